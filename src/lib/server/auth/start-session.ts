import type { RequestEvent } from '@sveltejs/kit';
import { setSessionCookie } from './cookie';
import { createSession, generateSessionToken } from './session';

/** Opens a session for `userId` and sets its cookie on this response. */
export async function startSession(event: RequestEvent, userId: string): Promise<void> {
	const token = generateSessionToken();
	const session = await createSession(event.locals.db, token, userId);
	setSessionCookie(event, token, session.expiresAt);
}

/**
 * Only same-site paths may be a post-sign-in destination (no open redirect). Browsers drop tabs and
 * newlines from URLs and read "\\" as "/", so any control character, space or backslash is refused too.
 */
export function safeNext(next: string | null | undefined): string {
	if (!next || !next.startsWith('/') || next.startsWith('//')) return '/';
	// eslint-disable-next-line no-control-regex -- control characters are exactly what is refused here
	if (/[\u0000-\u0020\\\u007f]/.test(next)) return '/';
	try {
		const resolved = new URL(next, 'http://parcours.invalid');
		if (resolved.origin !== 'http://parcours.invalid') return '/';
	} catch {
		return '/';
	}
	return next;
}
