import { redirect } from '@sveltejs/kit';
import { act, readForm, requireUser } from '$lib/server/http';
import { formString } from '$lib/server/validate';
import { createWorkspace } from '$lib/server/workspaces';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	requireUser(locals, url);
	return {};
};

export const actions: Actions = {
	default: async ({ locals, request }) => {
		const result = await act(locals, async () => {
			const form = await readForm(request);
			return createWorkspace(locals.db, locals.user, formString(form, 'name'));
		});
		if ('id' in result) redirect(303, `/w/${result.id}/journeys`);
		return result;
	}
};
