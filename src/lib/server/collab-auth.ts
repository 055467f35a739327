/**
 * Who may open a journey's collaborative document, decided from the WebSocket upgrade request before the
 * document is touched: the session cookie, the journey's workspace membership and the role.
 */
import { and, inArray } from 'drizzle-orm';
import { roleAllows, type Role } from '../access/roles';
import { requireAccess } from './access';
import { SESSION_COOKIE, validateSessionToken } from './auth/session';
import type { Db } from './db';
import { journey, membership } from './db/schema';
import { isAppError } from './errors';

export type CollabAuthResult =
	| { ok: true; context: { userId: string; readOnly: boolean } }
	| { ok: false; code: 4401 | 4403 | 4404; reason: string };

export function readCookie(header: string | undefined, name: string): string | undefined {
	for (const part of (header ?? '').split(';')) {
		const eq = part.indexOf('=');
		if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
	}
	return undefined;
}

export async function authenticateCollab(
	db: Db,
	request: { cookie?: string; origin?: string; host?: string },
	journeyId: string
): Promise<CollabAuthResult> {
	// Browsers send Origin on WebSocket handshakes; another site's page must not ride on our cookie.
	if (request.origin && request.host) {
		let originHost = '';
		try {
			originHost = new URL(request.origin).host;
		} catch {
			/* leave empty: refused below */
		}
		if (originHost !== request.host)
			return { ok: false, code: 4403, reason: 'cross-site connection refused' };
	}
	const token = readCookie(request.cookie, SESSION_COOKIE);
	if (!token) return { ok: false, code: 4401, reason: 'sign in first' };
	const { user } = await validateSessionToken(db, token);
	if (!user) return { ok: false, code: 4401, reason: 'session expired: sign in again' };
	try {
		const { role } = await requireAccess(db, user, 'journey:read', { journeyId });
		return { ok: true, context: { userId: user.id, readOnly: !roleAllows(role, 'journey:edit') } };
	} catch (e) {
		if (isAppError(e)) return { ok: false, code: 4403, reason: 'no access to this journey' };
		throw e;
	}
}

/** What to do with the open sockets of one user on one journey once access is read again. */
export type CollabRecheck =
	| { userId: string; journeyId: string; action: 'keep' | 'forbid' | 'reconnect' }
	| { journeyId: string; action: 'discard' };

/**
 * Reads again the access behind open sockets, for when events that would have closed them may have been
 * lost (a broken link between instances): a journey gone is discarded, a user no longer a member is
 * refused, a user whose rights changed reconnects with the new ones.
 */
export async function recheckCollabAccess(
	db: Db,
	open: readonly { userId: string; journeyId: string; readOnly: boolean }[]
): Promise<CollabRecheck[]> {
	const journeyIds = [...new Set(open.map((c) => c.journeyId))];
	if (journeyIds.length === 0) return [];
	const rows = await db
		.select({ id: journey.id, workspaceId: journey.workspaceId })
		.from(journey)
		.where(inArray(journey.id, journeyIds));
	const workspaceOf = new Map(rows.map((r) => [r.id, r.workspaceId]));
	const workspaceIds = [...new Set(rows.map((r) => r.workspaceId))];
	const userIds = [...new Set(open.map((c) => c.userId))];
	// One read for every open socket, not one per user.
	const memberships =
		workspaceIds.length === 0
			? []
			: await db
					.select({ userId: membership.userId, workspaceId: membership.workspaceId, role: membership.role })
					.from(membership)
					.where(and(inArray(membership.workspaceId, workspaceIds), inArray(membership.userId, userIds)));
	const roles = new Map<string, Role>(memberships.map((m) => [`${m.userId} ${m.workspaceId}`, m.role]));
	const out: CollabRecheck[] = [];
	for (const id of journeyIds) if (!workspaceOf.has(id)) out.push({ journeyId: id, action: 'discard' });
	for (const c of open) {
		const workspaceId = workspaceOf.get(c.journeyId);
		if (!workspaceId) continue;
		const role = roles.get(`${c.userId} ${workspaceId}`) ?? null;
		const action = !role ? 'forbid' : !roleAllows(role, 'journey:edit') !== c.readOnly ? 'reconnect' : 'keep';
		out.push({ userId: c.userId, journeyId: c.journeyId, action });
	}
	return out;
}
