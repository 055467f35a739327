import { json } from '@sveltejs/kit';
import { readScoreRequest } from '$lib/server/feedback/live-http';
import { touchpointFeedback } from '$lib/server/feedback/scores';
import { recordTouchpointVisit } from '$lib/server/my-actions';
import type { RequestHandler } from './$types';

/** A touchpoint's latest feedback and top motives, with the map's filters. */
export const GET: RequestHandler = async ({ locals, params, url }) => {
	try {
		const { workspaceId, filters } = await readScoreRequest(locals, params, url);
		if (params.touchpointId.length > 100) return json({ latest: [], topMotives: [] });
		const [body] = await Promise.all([
			touchpointFeedback(locals.db, workspaceId, params.journeyId, params.touchpointId, filters),
			// Its owner has now seen what arrived: "new since your last visit" starts again from here.
			recordTouchpointVisit(locals.db, locals.user!, params.journeyId, params.touchpointId)
		]);
		return json(body, { headers: { 'cache-control': 'no-store' } });
	} catch (e) {
		if (e instanceof Response) return e;
		throw e;
	}
};
