import { AppError } from '$lib/server/errors';
import { apiError } from '$lib/server/http';
import { journeySignalStream } from '$lib/server/journey-signals';
import type { RequestHandler } from './$types';

/** Server-sent events: `event: signals` with the journey's open alerts and open loops by touchpoint. */
export const GET: RequestHandler = async ({ locals, params, request }) => {
	try {
		if (!locals.user) throw new AppError(401, 'error.unauthenticated');
		return await journeySignalStream(locals.db, locals.user, params.workspaceId, params.journeyId, request);
	} catch (e) {
		return apiError(e, locals.locale);
	}
};
