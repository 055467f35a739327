import { roleAllows } from '$lib/access/roles';
import { listAlerts } from '$lib/server/alerts';
import { guard } from '$lib/server/http';
import { listJourneys } from '$lib/server/journeys';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, url, parent }) => {
	const { workspace } = await parent();
	const journeyId = url.searchParams.get('journey') || null;
	return guard(locals, url, async () => ({
		alerts: await listAlerts(locals.db, locals.user, params.workspaceId, {
			journeyId,
			locale: locals.locale
		}),
		journeys: (await listJourneys(locals.db, locals.user, params.workspaceId)).map((j) => ({
			id: j.id,
			title: j.title
		})),
		journeyId,
		canManage: roleAllows(workspace.role, 'workspace:manage')
	}));
};
