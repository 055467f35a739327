/** Sign-up, sign-in and what a user does to their own account. */
import { and, count, eq, inArray, ne } from 'drizzle-orm';
import type { Config } from './config';
import type { Db } from './db';
import { membership, user, workspace } from './db/schema';
import { AppError, invalid } from './errors';
import {
	checkPasswordPolicy,
	hashPassword,
	PASSWORD_MAX_LENGTH,
	PASSWORD_MIN_LENGTH,
	verifyDummy,
	verifyPassword
} from './auth/password';
import { hit, reset } from './auth/rate-limit';
import { invalidateAllSessions } from './auth/session';
import { noNul, requireEmail, requireText } from './validate';

function checkNewPassword(field: string, password: unknown, email: string): string {
	if (typeof password !== 'string' || password === '') throw invalid(field, 'error.required');
	const problem = checkPasswordPolicy(password, email);
	if (problem === 'too_short') throw invalid(field, 'error.passwordTooShort', { min: PASSWORD_MIN_LENGTH });
	if (problem === 'too_long') throw invalid(field, 'error.passwordTooLong', { max: PASSWORD_MAX_LENGTH });
	if (problem === 'contains_email') throw invalid(field, 'error.passwordContainsEmail');
	return password;
}

export interface SignUpInput {
	email: unknown;
	name: unknown;
	password: unknown;
	locale?: string;
	/** When given, sign-ups are counted per address before any password is hashed. */
	limit?: { ip: string; config: Config };
}

export async function signUp(db: Db, input: SignUpInput): Promise<{ id: string; email: string }> {
	const email = requireEmail('email', input.email);
	const name = requireText('name', input.name);
	const password = checkNewPassword('password', input.password, email);
	if (input.limit) {
		const { ip, config } = input.limit;
		const r = await hit(db, `signup:ip:${ip}`, config.signUpLimitPerIp, config.signInWindowSeconds);
		if (!r.allowed) {
			throw new AppError(429, 'error.tooManySignUps', {
				minutes: Math.ceil(r.retryAfterSeconds / 60),
				seconds: r.retryAfterSeconds
			});
		}
	}
	const passwordHash = await hashPassword(password);
	const rows = await db
		.insert(user)
		.values({ email, name, passwordHash, locale: input.locale ?? null })
		.onConflictDoNothing({ target: user.email })
		.returning({ id: user.id, email: user.email });
	if (!rows[0]) throw new AppError(409, 'error.emailTaken', {}, 'email');
	return rows[0];
}

export interface SignInInput {
	email: unknown;
	password: unknown;
	ip: string;
}

/**
 * Checks the credentials, counting the attempt against the e-mail and the IP address first, so a
 * refused attempt costs no password hashing.
 */
export async function signIn(db: Db, config: Config, input: SignInInput): Promise<{ id: string }> {
	const email =
		typeof input.email === 'string' ? noNul('email', input.email).trim().toLowerCase().slice(0, 320) : '';
	const password = typeof input.password === 'string' ? input.password : '';
	if (!email) throw invalid('email', 'error.required');
	if (!password) throw invalid('password', 'error.required');

	const window = config.signInWindowSeconds;
	const byEmail = await hit(db, `signin:email:${email}`, config.signInLimitPerEmail, window);
	const byIp = await hit(db, `signin:ip:${input.ip}`, config.signInLimitPerIp, window);
	const refused = [byEmail, byIp].filter((r) => !r.allowed);
	if (refused.length > 0) {
		const seconds = Math.max(...refused.map((r) => r.retryAfterSeconds));
		throw new AppError(429, 'error.tooManyAttempts', { minutes: Math.ceil(seconds / 60), seconds });
	}

	const rows = await db
		.select({ id: user.id, passwordHash: user.passwordHash })
		.from(user)
		.where(eq(user.email, email));
	const found = rows[0];
	const ok =
		found && password.length <= PASSWORD_MAX_LENGTH
			? await verifyPassword(found.passwordHash, password)
			: await verifyDummy(password);
	if (!found || !ok) throw new AppError(400, 'error.invalidCredentials', {}, 'password');
	await reset(db, `signin:email:${email}`);
	return { id: found.id };
}

export async function changePassword(
	db: Db,
	userId: string,
	input: { current: unknown; next: unknown; confirm: unknown },
	config?: Config
): Promise<void> {
	const rows = await db.select().from(user).where(eq(user.id, userId));
	const me = rows[0];
	if (!me) throw new AppError(401, 'error.unauthenticated');
	const current = typeof input.current === 'string' ? input.current : '';
	if (!current) throw invalid('current', 'error.required');
	// A stolen session must not become a way to guess the password: same budget as signing in.
	if (config) {
		const r = await hit(
			db,
			`password:user:${userId}`,
			config.signInLimitPerEmail,
			config.signInWindowSeconds
		);
		if (!r.allowed) {
			throw new AppError(429, 'error.tooManyAttempts', {
				minutes: Math.ceil(r.retryAfterSeconds / 60),
				seconds: r.retryAfterSeconds
			});
		}
	}
	if (current.length > PASSWORD_MAX_LENGTH || !(await verifyPassword(me.passwordHash, current))) {
		throw invalid('current', 'error.passwordWrong');
	}
	const next = checkNewPassword('next', input.next, me.email);
	if (input.confirm !== next) throw invalid('confirm', 'error.passwordMismatch');
	await db
		.update(user)
		.set({ passwordHash: await hashPassword(next) })
		.where(eq(user.id, userId));
	// A changed password ends every session; the caller opens a fresh one for this browser.
	await invalidateAllSessions(db, userId);
}

export async function setLocale(db: Db, userId: string, locale: 'en' | 'fr'): Promise<void> {
	await db.update(user).set({ locale }).where(eq(user.id, userId));
}

/**
 * Deletes the account. Workspaces where the user is the only member go with it; a workspace that has
 * other members but no other owner blocks the deletion, so no workspace is left without an owner.
 */
export async function deleteAccount(db: Db, userId: string, confirmEmail: unknown): Promise<void> {
	await db.transaction(async (tx) => {
		const rows = await tx.select().from(user).where(eq(user.id, userId));
		const me = rows[0];
		if (!me) throw new AppError(401, 'error.unauthenticated');
		if (typeof confirmEmail !== 'string' || confirmEmail.trim().toLowerCase() !== me.email) {
			throw invalid('confirm', 'error.confirmMismatch');
		}
		const mine = await tx
			.select({ workspaceId: membership.workspaceId, role: membership.role, name: workspace.name })
			.from(membership)
			.innerJoin(workspace, eq(workspace.id, membership.workspaceId))
			.where(eq(membership.userId, userId));
		const soleMemberOf: string[] = [];
		for (const m of mine) {
			const [{ others }] = await tx
				.select({ others: count() })
				.from(membership)
				.where(and(eq(membership.workspaceId, m.workspaceId), ne(membership.userId, userId)));
			if (others === 0) {
				soleMemberOf.push(m.workspaceId);
				continue;
			}
			if (m.role !== 'owner') continue;
			const [{ owners }] = await tx
				.select({ owners: count() })
				.from(membership)
				.where(
					and(
						eq(membership.workspaceId, m.workspaceId),
						eq(membership.role, 'owner'),
						ne(membership.userId, userId)
					)
				);
			if (owners === 0) throw new AppError(409, 'error.lastOwnerAccount', { workspace: m.name });
		}
		if (soleMemberOf.length > 0) await tx.delete(workspace).where(inArray(workspace.id, soleMemberOf));
		await tx.delete(user).where(eq(user.id, userId));
	});
}
