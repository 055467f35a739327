import { redirect } from '@sveltejs/kit';
import { getAlert, openLoopFromAlert } from '$lib/server/alerts';
import { act, guard, readForm } from '$lib/server/http';
import { listJourneys } from '$lib/server/journeys';
import { formString } from '$lib/server/validate';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, url }) =>
	guard(locals, url, async () => {
		const detail = await getAlert(locals.db, locals.user, params.workspaceId, params.alertId, locals.locale);
		// A motive alert spans journeys: the loop needs one.
		const journeys =
			detail.canOpenLoop && !detail.alert.journeyId && !detail.alert.loopId
				? (await listJourneys(locals.db, locals.user, params.workspaceId)).map((j) => ({
						id: j.id,
						title: j.title
					}))
				: [];
		return { ...detail, journeys };
	});

export const actions: Actions = {
	openLoop: async ({ locals, params, request }) => {
		const result = await act(locals, async () => {
			const form = await readForm(request);
			return openLoopFromAlert(locals.db, locals.user, params.workspaceId, params.alertId, {
				journeyId: formString(form, 'journeyId') || null,
				locale: locals.locale
			});
		});
		if ('id' in result) redirect(303, `/w/${params.workspaceId}/loops/${result.id}`);
		return result;
	}
};
