/** Sessions after the Lucia guide: a random token in a cookie, its SHA-256 in the database. */
import { eq } from 'drizzle-orm';
import type { Db } from '../db';
import { session as sessionTable, user as userTable, type Session } from '../db/schema';
import { generateToken, hashToken } from './token';

const DAY = 24 * 60 * 60 * 1000;
export const SESSION_LIFETIME_MS = 30 * DAY;
/** A session used in its last 15 days is extended to a full 30 again. */
export const SESSION_RENEW_BEFORE_MS = 15 * DAY;
export const SESSION_COOKIE = 'parcours_session';

export interface SessionUser {
	id: string;
	email: string;
	name: string;
	locale: string | null;
}

export type SessionValidation =
	{ session: Session; user: SessionUser; renewed: boolean } | { session: null; user: null; renewed: false };

export { generateToken as generateSessionToken };

export async function createSession(
	db: Db,
	token: string,
	userId: string,
	now = new Date()
): Promise<Session> {
	const row: Session = {
		id: hashToken(token),
		userId,
		expiresAt: new Date(now.getTime() + SESSION_LIFETIME_MS),
		createdAt: now
	};
	await db.insert(sessionTable).values(row);
	return row;
}

export async function validateSessionToken(
	db: Db,
	token: string,
	now = new Date()
): Promise<SessionValidation> {
	if (!/^[a-z2-7]{32}$/.test(token)) return { session: null, user: null, renewed: false };
	const sessionId = hashToken(token);
	const rows = await db
		.select({
			session: sessionTable,
			user: { id: userTable.id, email: userTable.email, name: userTable.name, locale: userTable.locale }
		})
		.from(sessionTable)
		.innerJoin(userTable, eq(sessionTable.userId, userTable.id))
		.where(eq(sessionTable.id, sessionId));
	const row = rows[0];
	if (!row) return { session: null, user: null, renewed: false };
	const { session, user } = row;
	if (now.getTime() >= session.expiresAt.getTime()) {
		await db.delete(sessionTable).where(eq(sessionTable.id, sessionId));
		return { session: null, user: null, renewed: false };
	}
	let renewed = false;
	if (now.getTime() >= session.expiresAt.getTime() - SESSION_RENEW_BEFORE_MS) {
		session.expiresAt = new Date(now.getTime() + SESSION_LIFETIME_MS);
		await db.update(sessionTable).set({ expiresAt: session.expiresAt }).where(eq(sessionTable.id, sessionId));
		renewed = true;
	}
	return { session, user, renewed };
}

export async function invalidateSession(db: Db, sessionId: string): Promise<void> {
	await db.delete(sessionTable).where(eq(sessionTable.id, sessionId));
}

export async function invalidateAllSessions(db: Db, userId: string): Promise<void> {
	await db.delete(sessionTable).where(eq(sessionTable.userId, userId));
}
