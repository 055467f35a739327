import { commentStream } from '$lib/server/comments';
import { AppError } from '$lib/server/errors';
import { apiError } from '$lib/server/http';
import type { RequestHandler } from './$types';

/** Server-sent events: `event: comments` with every comment of the journey, on connect and on each change. */
export const GET: RequestHandler = async ({ locals, params, request }) => {
	try {
		if (!locals.user) throw new AppError(401, 'error.unauthenticated');
		return await commentStream(locals.db, locals.user, params, request);
	} catch (e) {
		return apiError(e, locals.locale);
	}
};
