import { redirect } from '@sveltejs/kit';
import { roleAllows } from '$lib/access/roles';
import { createApiKey, listApiKeys, revokeApiKey } from '$lib/server/api-keys';
import { act, guard, readForm } from '$lib/server/http';
import { createInvite, listPendingInvites, revokeInvite } from '$lib/server/invites';
import { formString } from '$lib/server/validate';
import { getAutoVersionsKept, setAutoVersionsKept } from '$lib/server/versions';
import {
	changeRole,
	deleteWorkspace,
	leaveWorkspace,
	listMembers,
	removeMember,
	renameWorkspace
} from '$lib/server/workspaces';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, url, parent }) => {
	const { workspace } = await parent();
	const id = params.workspaceId;
	const manage = roleAllows(workspace.role, 'workspace:manage');
	return guard(locals, url, async () => ({
		members: await listMembers(locals.db, locals.user, id),
		invites: manage ? await listPendingInvites(locals.db, locals.user, id) : [],
		apiKeys: manage ? await listApiKeys(locals.db, locals.user, id) : [],
		autoVersionsKept: await getAutoVersionsKept(locals.db, locals.user, id),
		manage
	}));
};

export const actions: Actions = {
	rename: ({ locals, params, request }) =>
		act(locals, async () => {
			const form = await readForm(request);
			await renameWorkspace(locals.db, locals.user, params.workspaceId, formString(form, 'name'));
			return { done: 'rename' };
		}),
	autoVersions: ({ locals, params, request }) => {
		// Put back in the form when refused, so the owner sees what to fix.
		const values: Record<string, string> = {};
		return act(
			locals,
			async () => {
				const form = await readForm(request);
				values.autoVersionsKept = formString(form, 'autoVersionsKept');
				const kept = await setAutoVersionsKept(
					locals.db,
					locals.user,
					params.workspaceId,
					values.autoVersionsKept
				);
				return { done: 'autoVersions', autoVersionsKept: kept };
			},
			values
		);
	},
	changeRole: ({ locals, params, request }) =>
		act(locals, async () => {
			const form = await readForm(request);
			await changeRole(
				locals.db,
				locals.user,
				params.workspaceId,
				formString(form, 'userId'),
				formString(form, 'role')
			);
			return { done: 'changeRole' };
		}),
	removeMember: ({ locals, params, request }) =>
		act(locals, async () => {
			const form = await readForm(request);
			await removeMember(locals.db, locals.user, params.workspaceId, formString(form, 'userId'));
			return { done: 'removeMember' };
		}),
	leave: async ({ locals, params }) => {
		const result = await act(locals, async () => {
			await leaveWorkspace(locals.db, locals.user, params.workspaceId);
			return { done: 'leave' };
		});
		if ('done' in result) redirect(303, '/');
		return result;
	},
	deleteWorkspace: async ({ locals, params, request }) => {
		const result = await act(locals, async () => {
			const form = await readForm(request);
			await deleteWorkspace(locals.db, locals.user, params.workspaceId, formString(form, 'confirm'));
			return { done: 'deleteWorkspace' };
		});
		if ('done' in result) redirect(303, '/');
		return result;
	},
	createInvite: ({ locals, params, request, url }) =>
		act(locals, async () => {
			const form = await readForm(request);
			const invite = await createInvite(locals.db, locals.user, params.workspaceId, formString(form, 'role'));
			return {
				done: 'createInvite',
				inviteUrl: `${url.origin}/invite/${invite.token}`,
				expiresAt: invite.expiresAt
			};
		}),
	revokeInvite: ({ locals, params, request }) =>
		act(locals, async () => {
			const form = await readForm(request);
			await revokeInvite(locals.db, locals.user, params.workspaceId, formString(form, 'inviteId'));
			return { done: 'revokeInvite' };
		}),
	createApiKey: ({ locals, params, request }) =>
		act(locals, async () => {
			const form = await readForm(request);
			const key = await createApiKey(locals.db, locals.user, params.workspaceId, formString(form, 'name'));
			return { done: 'createApiKey', apiKey: key.key };
		}),
	revokeApiKey: ({ locals, params, request }) =>
		act(locals, async () => {
			const form = await readForm(request);
			await revokeApiKey(locals.db, locals.user, params.workspaceId, formString(form, 'keyId'));
			return { done: 'revokeApiKey' };
		})
};
