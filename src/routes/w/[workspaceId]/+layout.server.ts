import { guard, requireUser } from '$lib/server/http';
import { unreadCount } from '$lib/server/notifications';
import { getWorkspace } from '$lib/server/workspaces';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = async ({ locals, params, url }) => {
	const user = requireUser(locals, url);
	const workspace = await guard(locals, url, () => getWorkspace(locals.db, user, params.workspaceId));
	// The bell starts from this; its event stream keeps it current while the page is open.
	const unread = await guard(locals, url, () => unreadCount(locals.db, user, workspace.id));
	return { workspace, unread };
};
