import { LOOP_STAGES, type LoopStage } from '$lib/loops';
import { inboxNames } from '$lib/server/feedback/inbox';
import { guard } from '$lib/server/http';
import { journeyLoopMetrics, listLoops, loopMembers } from '$lib/server/loops';
import type { PageServerLoad } from './$types';

/** The board and list share one set of filters, read from the query so a filtered view can be linked. */
function filtersOf(query: URLSearchParams) {
	const text = (name: string) => query.get(name)?.trim() || null;
	const stage = text('stage');
	return {
		journeyId: text('journey'),
		touchpointId: text('touchpoint'),
		ownerId: text('owner'),
		overdue: query.get('overdue') === '1',
		stage: stage && (LOOP_STAGES as readonly string[]).includes(stage) ? (stage as LoopStage) : null
	};
}

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const filters = filtersOf(url.searchParams);
	const view = url.searchParams.get('view') === 'list' ? 'list' : 'board';
	return guard(locals, url, async () => {
		const [loops, metrics, names, members] = await Promise.all([
			listLoops(locals.db, locals.user, params.workspaceId, filters),
			journeyLoopMetrics(locals.db, locals.user, params.workspaceId, filters.journeyId),
			inboxNames(locals.db, locals.user, params.workspaceId, locals.locale),
			loopMembers(locals.db, locals.user, params.workspaceId)
		]);
		return { filters, view, loops, metrics, journeys: names.journeys, members };
	});
};
