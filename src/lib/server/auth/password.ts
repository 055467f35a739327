import { hash, verify } from '@node-rs/argon2';

// OWASP's argon2id baseline: 19 MiB, 2 iterations, 1 lane.
const OPTIONS = { memoryCost: 19456, timeCost: 2, outputLen: 32, parallelism: 1 } as const;

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 256;

export type PasswordProblem = 'too_short' | 'too_long' | 'contains_email';

/** Returns what is wrong with a new password, or null. */
export function checkPasswordPolicy(password: string, email: string): PasswordProblem | null {
	if (password.length < PASSWORD_MIN_LENGTH) return 'too_short';
	if (password.length > PASSWORD_MAX_LENGTH) return 'too_long';
	const lower = password.toLowerCase();
	const mail = email.toLowerCase();
	const local = mail.split('@')[0] ?? '';
	if (lower.includes(mail) || (local.length >= 4 && lower.includes(local))) return 'contains_email';
	return null;
}

export function hashPassword(password: string): Promise<string> {
	return hash(password, OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
	try {
		return await verify(passwordHash, password);
	} catch {
		return false;
	}
}

// Verifying against a fixed hash when the e-mail is unknown keeps response times alike, so timing does
// not tell which e-mails have accounts.
let dummyHash: Promise<string> | null = null;
export async function verifyDummy(password: string): Promise<false> {
	dummyHash ??= hashPassword('parcours-timing-equaliser');
	await verifyPassword(await dummyHash, password);
	return false;
}
