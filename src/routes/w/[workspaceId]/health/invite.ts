/** The health pages' "Invite a viewer": the workspace's own invitation, always with the viewer role. */
import type { RequestEvent } from '@sveltejs/kit';
import { act } from '$lib/server/http';
import { createInvite } from '$lib/server/invites';

export function inviteViewer({ locals, params, url }: RequestEvent<{ workspaceId: string }>) {
	return act(locals, async () => {
		const invite = await createInvite(locals.db, locals.user, params.workspaceId, 'viewer');
		return { inviteUrl: `${url.origin}/invite/${invite.token}` };
	});
}

/** Today as a UTC day, the end of the preset ranges. */
export const today = () => new Date().toISOString().slice(0, 10);
