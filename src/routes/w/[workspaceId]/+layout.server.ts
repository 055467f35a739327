import { guard, requireUser } from '$lib/server/http';
import { getWorkspace } from '$lib/server/workspaces';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = async ({ locals, params, url }) => {
	const user = requireUser(locals, url);
	const workspace = await guard(locals, url, () => getWorkspace(locals.db, user, params.workspaceId));
	return { workspace };
};
