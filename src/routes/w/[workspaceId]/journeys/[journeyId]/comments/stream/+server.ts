import { commentStream } from '$lib/server/comments';
import { AppError } from '$lib/server/errors';
import { apiError } from '$lib/server/http';
import type { RequestHandler } from './$types';

/**
 * Server-sent events: `event: comments` with every comment of the journey, on connect and on each
 * change; with `?notifications=1` also the user's `event: notifications` (what the bell shows).
 */
export const GET: RequestHandler = async ({ locals, params, request, url }) => {
	try {
		if (!locals.user) throw new AppError(401, 'error.unauthenticated');
		return await commentStream(locals.db, locals.user, params, request, {
			notifications: url.searchParams.get('notifications') === '1'
		});
	} catch (e) {
		return apiError(e, locals.locale);
	}
};
