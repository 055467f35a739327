import { act, guard, readForm } from '$lib/server/http';
import {
	createForm,
	deleteForm,
	journeyChoices,
	listForms,
	recentlyCollected,
	setFormEnabled
} from '$lib/server/feedback/forms';
import { formString } from '$lib/server/validate';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, url }) =>
	guard(locals, url, async () => ({
		forms: await listForms(locals.db, locals.user, params.workspaceId),
		journeys: await journeyChoices(locals.db, locals.user, params.workspaceId),
		recent: await recentlyCollected(locals.db, locals.user, params.workspaceId),
		origin: url.origin
	}));

export const actions: Actions = {
	create: ({ locals, params, request }) =>
		act(locals, async () => {
			const form = await readForm(request);
			const created = await createForm(locals.db, locals.user, params.workspaceId, {
				journeyId: formString(form, 'journeyId'),
				touchpointId: formString(form, 'touchpointId'),
				title: formString(form, 'title'),
				askRating: formString(form, 'askRating'),
				askContact: formString(form, 'askContact')
			});
			return { done: 'create', slug: created.slug };
		}),
	enable: ({ locals, params, request }) =>
		act(locals, async () => {
			const form = await readForm(request);
			await setFormEnabled(locals.db, locals.user, params.workspaceId, formString(form, 'formId'), true);
			return { done: 'enable' };
		}),
	disable: ({ locals, params, request }) =>
		act(locals, async () => {
			const form = await readForm(request);
			await setFormEnabled(locals.db, locals.user, params.workspaceId, formString(form, 'formId'), false);
			return { done: 'disable' };
		}),
	delete: ({ locals, params, request }) =>
		act(locals, async () => {
			const form = await readForm(request);
			await deleteForm(locals.db, locals.user, params.workspaceId, formString(form, 'formId'));
			return { done: 'delete' };
		})
};
