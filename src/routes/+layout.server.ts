import { listWorkspaces } from '$lib/server/workspaces';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = async ({ locals }) => {
	return {
		locale: locals.locale,
		user: locals.user ? { id: locals.user.id, name: locals.user.name, email: locals.user.email } : null,
		workspaces: await listWorkspaces(locals.db, locals.user)
	};
};
