import { redirect } from '@sveltejs/kit';
import { act, guard } from '$lib/server/http';
import { acceptInvite, describeInvite } from '$lib/server/invites';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, url }) => {
	if (!locals.user) redirect(303, `/signin?next=${encodeURIComponent(url.pathname)}`);
	const offer = await guard(locals, url, () => describeInvite(locals.db, params.token));
	return { offer: { workspaceName: offer.workspaceName, role: offer.role } };
};

export const actions: Actions = {
	default: async ({ locals, params }) => {
		const result = await act(locals, () => acceptInvite(locals.db, locals.user, params.token));
		if ('workspaceId' in result) redirect(303, `/w/${result.workspaceId}/journeys`);
		return result;
	}
};
