import { can } from '$lib/server/access';
import { act, guard, readForm } from '$lib/server/http';
import { deleteTemplate, listTemplates, renameTemplate } from '$lib/server/templates';
import { formString } from '$lib/server/validate';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const templates = await guard(locals, url, () => listTemplates(locals.db, locals.user, params.workspaceId));
	return {
		templates,
		canManage: await can(locals.db, locals.user, 'template:manage', { workspaceId: params.workspaceId })
	};
};

export const actions: Actions = {
	rename: async ({ locals, params, request }) =>
		act(locals, async () => {
			const form = await readForm(request);
			const templateId = formString(form, 'templateId');
			await renameTemplate(locals.db, locals.user, params.workspaceId, templateId, formString(form, 'name'));
			return { done: 'rename', templateId };
		}),
	delete: async ({ locals, params, request }) =>
		act(locals, async () => {
			const form = await readForm(request);
			await deleteTemplate(locals.db, locals.user, params.workspaceId, formString(form, 'templateId'));
			return { done: 'delete' };
		})
};
