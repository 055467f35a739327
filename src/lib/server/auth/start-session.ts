import type { RequestEvent } from '@sveltejs/kit';
import { setSessionCookie } from './cookie';
import { createSession, generateSessionToken } from './session';

/** Opens a session for `userId` and sets its cookie on this response. */
export async function startSession(event: RequestEvent, userId: string): Promise<void> {
	const token = generateSessionToken();
	const session = await createSession(event.locals.db, token, userId);
	setSessionCookie(event, token, session.expiresAt);
}

/** Only same-site paths may be a post-sign-in destination (no open redirect). */
export function safeNext(next: string | null | undefined): string {
	if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
	return next;
}
