import { roleAllows } from '$lib/access/roles';
import { notFound } from '$lib/server/errors';
import { guard, requireUser } from '$lib/server/http';
import { getJourney } from '$lib/server/journeys';
import { loadTaxonomy } from '$lib/server/taxonomy';
import { listMembers } from '$lib/server/workspaces';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const user = requireUser(locals, url);
	return guard(locals, url, async () => {
		// getJourney starts with requireAccess(…, 'journey:read', { journeyId }).
		const { journey, role } = await getJourney(locals.db, user, params.journeyId);
		// The journey must be in the workspace of the URL, or one page would mix two workspaces.
		if (journey.workspaceId !== params.workspaceId) throw notFound();
		const [members, taxonomy] = await Promise.all([
			listMembers(locals.db, user, journey.workspaceId),
			// The catalogue, for the map's product filter: readable by anyone who may read the journey.
			loadTaxonomy(locals.db, journey.workspaceId)
		]);
		return {
			journey: { id: journey.id, title: journey.title, archived: journey.archivedAt !== null },
			me: { id: user.id, name: user.name },
			role,
			canEdit: roleAllows(role, 'journey:edit') && journey.archivedAt === null,
			members: members.map((m) => ({ id: m.userId, name: m.name })),
			catalogue: taxonomy.products
				.map((p) => ({ id: p.id, name: p.name }))
				.sort((a, b) => a.name.localeCompare(b.name))
		};
	});
};
