import { AppError } from '$lib/server/errors';
import { apiError } from '$lib/server/http';
import { notificationStream } from '$lib/server/notifications';
import type { RequestHandler } from './$types';

/** Server-sent events for the bell: `event: notifications` with `{ unread, latest }`. */
export const GET: RequestHandler = async ({ locals, params, request }) => {
	try {
		if (!locals.user) throw new AppError(401, 'error.unauthenticated');
		return await notificationStream(locals.db, locals.user, params.workspaceId, request);
	} catch (e) {
		return apiError(e, locals.locale);
	}
};
