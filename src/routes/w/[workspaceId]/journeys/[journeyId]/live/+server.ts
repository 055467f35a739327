import { eventStream } from '$lib/server/event-stream';
import { on } from '$lib/server/events';
import { readScoreRequest } from '$lib/server/feedback/live-http';
import { liveScores } from '$lib/server/feedback/live';
import { journeyScores } from '$lib/server/feedback/scores';
import type { RequestHandler } from './$types';

/**
 * Server-sent events: `event: scores` with the journey's `JourneyScores`, once on connect and whenever
 * its items are analysed or corrected. Ends when the user loses access to the workspace or the journey
 * is deleted.
 */
export const GET: RequestHandler = async ({ locals, params, url, request }) => {
	let checked;
	try {
		checked = await readScoreRequest(locals, params, url);
	} catch (e) {
		if (e instanceof Response) return e;
		throw e;
	}
	const { workspaceId, filters } = checked;
	const db = locals.db;
	return eventStream(db, request, { userId: locals.user!.id, workspaceId }, async (sink) => {
		const send = (scores: unknown) => sink.send('scores', scores);
		const unwatch = liveScores(db).watch({ journeyId: params.journeyId, filters, send });
		const offDeleted = on('journey:deleted', (e) => {
			if (e.journeyId === params.journeyId) sink.close('deleted');
		});
		const stop = () => {
			unwatch();
			offDeleted();
		};
		// Watching starts first so that no change slips between the first figures and the watch.
		try {
			send(await journeyScores(db, params.journeyId, filters));
		} catch (e) {
			stop();
			throw e;
		}
		return stop;
	});
};
