import { redirect } from '@sveltejs/kit';
import { listWorkspaces } from '$lib/server/workspaces';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
	if (!locals.user) redirect(303, '/signin');
	const workspaces = await listWorkspaces(locals.db, locals.user);
	if (workspaces.length === 0) redirect(303, '/w/new');
	redirect(303, `/w/${workspaces[0].id}/journeys`);
};
