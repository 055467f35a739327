/** The HTTP side of live scores: request checks shared by the JSON and event-stream endpoints. */
import { json } from '@sveltejs/kit';
import { parseScoreFilters, type ScoreFilters } from '../../feedback/filters';
import { AppError } from '../errors';
import { apiError } from '../http';
import { requireJourneyFeedback } from './scores';

/** Access and filters of a request on a journey's feedback; throws a Response for the client. */
export async function readScoreRequest(
	locals: App.Locals,
	params: { workspaceId: string; journeyId: string },
	url: URL
): Promise<{ workspaceId: string; filters: ScoreFilters }> {
	try {
		if (!locals.user) throw new AppError(401, 'error.unauthenticated');
		const access = await requireJourneyFeedback(locals.db, locals.user, params.workspaceId, params.journeyId);
		const filters = parseScoreFilters(url.searchParams);
		if (!filters.ok) {
			const [first] = filters.issues;
			throw json(
				{
					error: { code: 'error.badRequest', message: `${first.field} ${first.message}`, field: first.field }
				},
				{ status: 400 }
			);
		}
		return { workspaceId: access.workspaceId, filters: filters.value };
	} catch (e) {
		if (e instanceof Response) throw e;
		throw apiError(e, locals.locale);
	}
}
