import { json } from '@sveltejs/kit';
import { readScoreRequest } from '$lib/server/feedback/live-http';
import { journeyScores } from '$lib/server/feedback/scores';
import type { RequestHandler } from './$types';

/** The journey's live touchpoint scores (`JourneyScores`), with optional from/to/channel/product filters. */
export const GET: RequestHandler = async ({ locals, params, url }) => {
	try {
		const { filters } = await readScoreRequest(locals, params, url);
		return json(await journeyScores(locals.db, params.journeyId, filters), {
			headers: { 'cache-control': 'no-store' }
		});
	} catch (e) {
		if (e instanceof Response) return e;
		throw e;
	}
};
