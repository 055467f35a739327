import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../../src/lib/server/auth/token';
import {
	createSession,
	generateSessionToken,
	invalidateAllSessions,
	invalidateSession,
	SESSION_LIFETIME_MS,
	validateSessionToken
} from '../../src/lib/server/auth/session';
import type { Database } from '../../src/lib/server/db';
import { session } from '../../src/lib/server/db/schema';
import { engines } from './helpers/db';
import { makeUser } from './helpers/factories';

const DAY = 86_400_000;

describe.each(engines())('sessions on $engine', ({ open }) => {
	let database: Database;
	beforeAll(async () => {
		database = await open();
	});
	afterAll(async () => {
		await database.close();
	});

	it('stores only the SHA-256 of the token', async () => {
		const db = database.db;
		const u = await makeUser(db);
		const token = generateSessionToken();
		await createSession(db, token, u.id);
		const rows = await db.select().from(session).where(eq(session.userId, u.id));
		expect(rows).toHaveLength(1);
		expect(rows[0].id).toBe(hashToken(token));
		expect(rows[0].id).not.toContain(token);
		expect(JSON.stringify(rows[0])).not.toContain(token);
		const result = await validateSessionToken(db, token);
		expect(result.user?.id).toBe(u.id);
	});

	it('refuses an unknown or malformed token', async () => {
		expect((await validateSessionToken(database.db, generateSessionToken())).session).toBeNull();
		expect((await validateSessionToken(database.db, "x' or 1=1 --")).session).toBeNull();
	});

	it('expires after 30 days and deletes the expired row', async () => {
		const db = database.db;
		const u = await makeUser(db);
		const token = generateSessionToken();
		const start = new Date('2026-01-01T00:00:00Z');
		await createSession(db, token, u.id, start);
		const later = new Date(start.getTime() + SESSION_LIFETIME_MS + 1000);
		expect((await validateSessionToken(db, token, later)).session).toBeNull();
		expect(
			await db
				.select()
				.from(session)
				.where(eq(session.id, hashToken(token)))
		).toHaveLength(0);
	});

	it('slides: a session used in its last 15 days is renewed to 30', async () => {
		const db = database.db;
		const u = await makeUser(db);
		const token = generateSessionToken();
		const start = new Date('2026-01-01T00:00:00Z');
		await createSession(db, token, u.id, start);

		const early = await validateSessionToken(db, token, new Date(start.getTime() + 5 * DAY));
		expect(early.renewed).toBe(false);

		const lateUse = new Date(start.getTime() + 20 * DAY);
		const renewed = await validateSessionToken(db, token, lateUse);
		expect(renewed.renewed).toBe(true);
		expect(renewed.session?.expiresAt.getTime()).toBe(lateUse.getTime() + SESSION_LIFETIME_MS);
		// Still valid past the original expiry thanks to the renewal.
		const afterOriginal = new Date(start.getTime() + 35 * DAY);
		expect((await validateSessionToken(db, token, afterOriginal)).user?.id).toBe(u.id);
	});

	it('sign-out invalidates one session; sign-out everywhere invalidates all', async () => {
		const db = database.db;
		const u = await makeUser(db);
		const [a, b, c] = [generateSessionToken(), generateSessionToken(), generateSessionToken()];
		await createSession(db, a, u.id);
		await createSession(db, b, u.id);
		await createSession(db, c, u.id);
		await invalidateSession(db, hashToken(a));
		expect((await validateSessionToken(db, a)).session).toBeNull();
		expect((await validateSessionToken(db, b)).session).not.toBeNull();
		await invalidateAllSessions(db, u.id);
		expect((await validateSessionToken(db, b)).session).toBeNull();
		expect((await validateSessionToken(db, c)).session).toBeNull();
	});
});
