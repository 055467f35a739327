import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roleIn } from '../../src/lib/server/access';
import { authenticateApiKey, createApiKey, listApiKeys, revokeApiKey } from '../../src/lib/server/api-keys';
import { hashToken } from '../../src/lib/server/auth/token';
import { changePassword, deleteAccount, signIn, signUp } from '../../src/lib/server/accounts';
import { readConfig } from '../../src/lib/server/config';
import type { Database } from '../../src/lib/server/db';
import { apiKey, invite, user, workspace } from '../../src/lib/server/db/schema';
import { AppError } from '../../src/lib/server/errors';
import { acceptInvite, createInvite, INVITE_LIFETIME_MS } from '../../src/lib/server/invites';
import { changeRole, deleteWorkspace, leaveWorkspace, removeMember } from '../../src/lib/server/workspaces';
import { createSession, generateSessionToken, validateSessionToken } from '../../src/lib/server/auth/session';
import { engines } from './helpers/db';
import { addMember, DEFAULT_PASSWORD, makeUser, makeWorkspace } from './helpers/factories';

async function code(fn: () => Promise<unknown>): Promise<string> {
	try {
		await fn();
		return 'ok';
	} catch (e) {
		if (e instanceof AppError) return e.code;
		throw e;
	}
}

describe.each(engines())('workspaces, invites, API keys and accounts on $engine', ({ open }) => {
	let database: Database;
	beforeAll(async () => {
		database = await open();
	});
	afterAll(async () => {
		await database.close();
	});

	describe('the last owner', () => {
		it('cannot leave, be demoted or be removed; can once another owner exists', async () => {
			const db = database.db;
			const owner = await makeUser(db);
			const editor = await makeUser(db);
			const ws = await makeWorkspace(db, owner);
			await addMember(db, ws.id, editor, 'editor');

			expect(await code(() => leaveWorkspace(db, owner, ws.id))).toBe('error.lastOwner');
			expect(await code(() => changeRole(db, owner, ws.id, owner.id, 'editor'))).toBe('error.lastOwner');
			expect(await code(() => removeMember(db, owner, ws.id, owner.id))).toBe('error.lastOwner');
			expect(await roleIn(db, owner.id, ws.id)).toBe('owner');

			await changeRole(db, owner, ws.id, editor.id, 'owner');
			expect(await code(() => leaveWorkspace(db, owner, ws.id))).toBe('ok');
			expect(await roleIn(db, owner.id, ws.id)).toBeNull();
			expect(await roleIn(db, editor.id, ws.id)).toBe('owner');
		});

		it('keeps one owner when two owners demote each other at the same time', async () => {
			const db = database.db;
			const a = await makeUser(db);
			const b = await makeUser(db);
			const ws = await makeWorkspace(db, a);
			await addMember(db, ws.id, b, 'owner');
			const results = await Promise.all([
				code(() => changeRole(db, a, ws.id, b.id, 'viewer')),
				code(() => changeRole(db, b, ws.id, a.id, 'viewer'))
			]);
			const roles = [await roleIn(db, a.id, ws.id), await roleIn(db, b.id, ws.id)];
			expect(roles.filter((r) => r === 'owner')).toHaveLength(1);
			expect(results.filter((r) => r === 'ok').length).toBeGreaterThanOrEqual(1);
		});
	});

	describe('invites', () => {
		it('are single-use, give the chosen role, and store only a hash', async () => {
			const db = database.db;
			const owner = await makeUser(db);
			const ws = await makeWorkspace(db, owner);
			const { token } = await createInvite(db, owner, ws.id, 'viewer');
			const rows = await db.select().from(invite).where(eq(invite.workspaceId, ws.id));
			expect(rows[0].tokenHash).toBe(hashToken(token));
			expect(JSON.stringify(rows)).not.toContain(token);

			const first = await makeUser(db);
			await acceptInvite(db, first, token);
			expect(await roleIn(db, first.id, ws.id)).toBe('viewer');

			const second = await makeUser(db);
			expect(await code(() => acceptInvite(db, second, token))).toBe('error.inviteInvalid');
			expect(await roleIn(db, second.id, ws.id)).toBeNull();
		});

		it('expire', async () => {
			const db = database.db;
			const owner = await makeUser(db);
			const ws = await makeWorkspace(db, owner);
			const created = new Date();
			const { token } = await createInvite(db, owner, ws.id, 'editor', created);
			const late = new Date(created.getTime() + INVITE_LIFETIME_MS + 1000);
			const someone = await makeUser(db);
			expect(await code(() => acceptInvite(db, someone, token, late))).toBe('error.inviteInvalid');
		});

		it('refuse a role that does not exist and tokens that are not tokens', async () => {
			const db = database.db;
			const owner = await makeUser(db);
			const ws = await makeWorkspace(db, owner);
			expect(await code(() => createInvite(db, owner, ws.id, 'superuser'))).toBe('error.invalidRole');
			expect(await code(() => acceptInvite(db, owner, '../../etc/passwd'))).toBe('error.inviteInvalid');
		});
	});

	describe('API keys', () => {
		it('are stored hashed, authenticate, record last use and stop working when revoked', async () => {
			const db = database.db;
			const owner = await makeUser(db);
			const ws = await makeWorkspace(db, owner);
			const created = await createApiKey(db, owner, ws.id, 'CRM export');
			expect(created.key).toMatch(/^pk_[a-z2-7]{32}$/);
			const rows = await db.select().from(apiKey).where(eq(apiKey.id, created.id));
			expect(rows[0].keyHash).toBe(hashToken(created.key));
			expect(JSON.stringify(rows[0])).not.toContain(created.key.slice(10));
			expect(rows[0].lastUsedAt).toBeNull();

			expect(await authenticateApiKey(db, created.key)).toEqual({ keyId: created.id, workspaceId: ws.id });
			const listed = await listApiKeys(db, owner, ws.id);
			expect(listed[0].lastUsedAt).not.toBeNull();
			expect(listed[0]).not.toHaveProperty('keyHash');

			await revokeApiKey(db, owner, ws.id, created.id);
			expect(await authenticateApiKey(db, created.key)).toBeNull();
			expect(await authenticateApiKey(db, 'pk_' + 'a'.repeat(32))).toBeNull();
		});

		it('cannot be revoked from another workspace', async () => {
			const db = database.db;
			const owner = await makeUser(db);
			const ws = await makeWorkspace(db, owner);
			const key = await createApiKey(db, owner, ws.id, 'k');
			const stranger = await makeUser(db);
			const theirs = await makeWorkspace(db, stranger);
			expect(await code(() => revokeApiKey(db, stranger, theirs.id, key.id))).toBe('error.notFound');
			expect(await authenticateApiKey(db, key.key)).not.toBeNull();
		});
	});

	describe('deleting a workspace', () => {
		it('is for owners who type its name; it takes the journeys with it', async () => {
			const db = database.db;
			const owner = await makeUser(db);
			const editor = await makeUser(db);
			const stranger = await makeUser(db);
			const ws = await makeWorkspace(db, owner, 'Doomed space');
			await addMember(db, ws.id, editor, 'editor');
			await makeWorkspace(db, stranger);
			expect(await code(() => deleteWorkspace(db, editor, ws.id, 'Doomed space'))).toBe('error.forbidden');
			expect(await code(() => deleteWorkspace(db, stranger, ws.id, 'Doomed space'))).toBe('error.notFound');
			expect(await code(() => deleteWorkspace(db, owner, ws.id, 'doomed'))).toBe(
				'error.workspaceNameMismatch'
			);
			expect(await db.select().from(workspace).where(eq(workspace.id, ws.id))).toHaveLength(1);
			expect(await code(() => deleteWorkspace(db, owner, ws.id, ' Doomed space '))).toBe('ok');
			expect(await db.select().from(workspace).where(eq(workspace.id, ws.id))).toHaveLength(0);
			expect(await roleIn(db, editor.id, ws.id)).toBeNull();
		});
	});

	describe('accounts', () => {
		it('sign-up validates the password against length and the e-mail', async () => {
			const db = database.db;
			expect(await code(() => signUp(db, { email: 'ana@example.com', name: 'Ana', password: 'short' }))).toBe(
				'error.passwordTooShort'
			);
			expect(
				await code(() => signUp(db, { email: 'anabelle@example.com', name: 'A', password: 'xxanabelle123' }))
			).toBe('error.passwordContainsEmail');
			expect(
				await code(() => signUp(db, { email: 'not an email', name: 'A', password: 'long enough pw' }))
			).toBe('error.emailInvalid');
			const made = await signUp(db, { email: 'Ana@Example.com', name: 'Ana', password: 'a long passphrase' });
			expect(made.email).toBe('ana@example.com');
			const rows = await db.select().from(user).where(eq(user.id, made.id));
			expect(rows[0].passwordHash).toMatch(/^\$argon2id\$/);
			expect(
				await code(() => signUp(db, { email: 'ana@example.com', name: 'B', password: 'another passphrase' }))
			).toBe('error.emailTaken');
		});

		it('the 11th rapid wrong sign-in for one e-mail is refused with the retry time, even with the right password', async () => {
			const db = database.db;
			const config = readConfig({});
			const u = await makeUser(db);
			for (let i = 0; i < 10; i++) {
				expect(
					await code(() =>
						signIn(db, config, { email: u.email, password: 'wrong password', ip: `10.0.0.${i}` })
					)
				).toBe('error.invalidCredentials');
			}
			let refused: AppError | null = null;
			try {
				await signIn(db, config, { email: u.email, password: DEFAULT_PASSWORD, ip: '10.0.1.1' });
			} catch (e) {
				refused = e as AppError;
			}
			expect(refused?.status).toBe(429);
			expect(refused?.params.seconds).toBeGreaterThan(0);
			expect(refused?.params.seconds).toBeLessThanOrEqual(config.signInWindowSeconds);
		});

		it('a successful sign-in resets the per-e-mail counter', async () => {
			const db = database.db;
			const config = readConfig({});
			const u = await makeUser(db);
			for (let i = 0; i < 9; i++)
				await code(() => signIn(db, config, { email: u.email, password: 'nope nope', ip: '10.1.0.1' }));
			expect(
				(await signIn(db, config, { email: u.email, password: DEFAULT_PASSWORD, ip: '10.1.0.1' })).id
			).toBe(u.id);
			for (let i = 0; i < 5; i++)
				await code(() => signIn(db, config, { email: u.email, password: 'nope nope', ip: '10.1.0.1' }));
			expect(
				(await signIn(db, config, { email: u.email, password: DEFAULT_PASSWORD, ip: '10.1.0.1' })).id
			).toBe(u.id);
		});

		it('counts e-mail variants (case, spaces) as one e-mail', async () => {
			const db = database.db;
			const config = readConfig({ SIGNIN_LIMIT_PER_EMAIL: '3' });
			const u = await makeUser(db, { email: 'variant@example.com' });
			const variants = [
				'variant@example.com',
				' VARIANT@example.com',
				'Variant@Example.COM ',
				'variant@EXAMPLE.com'
			];
			const results: string[] = [];
			for (const email of variants)
				results.push(await code(() => signIn(db, config, { email, password: 'wrong!', ip: '10.9.9.9' })));
			expect(results.slice(0, 3)).toEqual([
				'error.invalidCredentials',
				'error.invalidCredentials',
				'error.invalidCredentials'
			]);
			expect(results[3]).toBe('error.tooManyAttempts');
			expect(u.id).toBeTruthy();
		});

		it('limits sign-ups per IP address before hashing any password', async () => {
			const db = database.db;
			const config = readConfig({ SIGNUP_LIMIT_PER_IP: '2' });
			const results: string[] = [];
			for (let i = 0; i < 3; i++) {
				results.push(
					await code(() =>
						signUp(db, {
							email: `many${i}-${Date.now()}@example.com`,
							name: 'M',
							password: 'long enough pw',
							limit: { ip: '198.51.100.1', config }
						})
					)
				);
			}
			expect(results).toEqual(['ok', 'ok', 'error.tooManySignUps']);
		});

		it('limits guesses of the current password when changing it', async () => {
			const db = database.db;
			const config = readConfig({ SIGNIN_LIMIT_PER_EMAIL: '2' });
			const u = await makeUser(db);
			const attempt = (current: string) =>
				code(() =>
					changePassword(db, u.id, { current, next: 'new passphrase!', confirm: 'new passphrase!' }, config)
				);
			expect(await attempt('guess one')).toBe('error.passwordWrong');
			expect(await attempt('guess two')).toBe('error.passwordWrong');
			expect(await attempt(DEFAULT_PASSWORD)).toBe('error.tooManyAttempts');
		});

		it('changing the password ends every session of the user', async () => {
			const db = database.db;
			const u = await makeUser(db);
			const tokens = [generateSessionToken(), generateSessionToken()];
			for (const t of tokens) await createSession(db, t, u.id);
			expect(
				await code(() =>
					changePassword(db, u.id, { current: 'nope', next: 'new passphrase!', confirm: 'new passphrase!' })
				)
			).toBe('error.passwordWrong');
			expect((await validateSessionToken(db, tokens[0])).user?.id).toBe(u.id);
			expect(
				await code(() =>
					changePassword(db, u.id, { current: DEFAULT_PASSWORD, next: 'new passphrase!', confirm: 'other' })
				)
			).toBe('error.passwordMismatch');
			expect(
				await code(() =>
					changePassword(db, u.id, {
						current: DEFAULT_PASSWORD,
						next: 'new passphrase!',
						confirm: 'new passphrase!'
					})
				)
			).toBe('ok');
			for (const t of tokens) expect((await validateSessionToken(db, t)).session).toBeNull();
			const config = readConfig({});
			expect(
				(await signIn(db, config, { email: u.email, password: 'new passphrase!', ip: '10.2.2.2' })).id
			).toBe(u.id);
		});

		it('limits attempts per IP address across e-mails', async () => {
			const db = database.db;
			const config = readConfig({ SIGNIN_LIMIT_PER_IP: '3' });
			const results: string[] = [];
			for (let i = 0; i < 4; i++) {
				results.push(
					await code(() =>
						signIn(db, config, { email: `nobody${i}@example.com`, password: 'x', ip: '192.0.2.7' })
					)
				);
			}
			expect(results).toEqual([
				'error.invalidCredentials',
				'error.invalidCredentials',
				'error.invalidCredentials',
				'error.tooManyAttempts'
			]);
		});

		it('deleting an account removes its sole-member workspaces and refuses to orphan shared ones', async () => {
			const db = database.db;
			const me = await makeUser(db);
			const solo = await makeWorkspace(db, me);
			const shared = await makeWorkspace(db, me, 'Shared');
			const colleague = await makeUser(db);
			await addMember(db, shared.id, colleague, 'editor');

			expect(await code(() => deleteAccount(db, me.id, 'wrong@example.com'))).toBe('error.confirmMismatch');
			expect(await code(() => deleteAccount(db, me.id, me.email))).toBe('error.lastOwnerAccount');
			expect(await db.select().from(user).where(eq(user.id, me.id))).toHaveLength(1);

			await changeRole(db, me, shared.id, colleague.id, 'owner');
			expect(await code(() => deleteAccount(db, me.id, me.email.toUpperCase()))).toBe('ok');
			expect(await db.select().from(user).where(eq(user.id, me.id))).toHaveLength(0);
			expect(await db.select().from(workspace).where(eq(workspace.id, solo.id))).toHaveLength(0);
			expect(await db.select().from(workspace).where(eq(workspace.id, shared.id))).toHaveLength(1);
		});
	});
});
