import { can } from '$lib/server/access';
import { act, guard, readForm } from '$lib/server/http';
import { createJourney, listJourneys } from '$lib/server/journeys';
import { formString } from '$lib/server/validate';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const journeys = await guard(locals, url, () => listJourneys(locals.db, locals.user, params.workspaceId));
	return {
		journeys: journeys.map((j) => ({
			id: j.id,
			title: j.title,
			description: j.description,
			updatedAt: j.updatedAt
		})),
		canCreate: await can(locals.db, locals.user, 'journey:create', { workspaceId: params.workspaceId })
	};
};

export const actions: Actions = {
	create: async ({ locals, params, request }) =>
		act(locals, async () => {
			const form = await readForm(request);
			const j = await createJourney(locals.db, locals.user, params.workspaceId, {
				title: formString(form, 'title')
			});
			return { created: j.id };
		})
};
