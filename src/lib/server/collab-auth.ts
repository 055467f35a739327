/**
 * Who may open a journey's collaborative document, decided from the WebSocket upgrade request before the
 * document is touched: the session cookie, the journey's workspace membership and the role.
 */
import { roleAllows } from '../access/roles';
import { requireAccess } from './access';
import { SESSION_COOKIE, validateSessionToken } from './auth/session';
import type { Db } from './db';
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
