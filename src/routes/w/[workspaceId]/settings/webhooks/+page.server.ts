import { WEBHOOK_EVENT_TYPES } from '$lib/loops';
import { act, guard, readForm } from '$lib/server/http';
import { formString } from '$lib/server/validate';
import {
	createWebhook,
	deleteWebhook,
	listWebhooks,
	rotateWebhookSecret,
	sendTestEvent,
	setWebhookActive
} from '$lib/server/webhooks';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, url }) =>
	guard(locals, url, async () => ({
		webhooks: await listWebhooks(locals.db, locals.user, params.workspaceId),
		eventTypes: WEBHOOK_EVENT_TYPES
	}));

/** Runs one action on the webhook the form names. */
function onHook(
	locals: App.Locals,
	request: Request,
	fn: (id: string, form: FormData) => Promise<Record<string, unknown> | void>
) {
	return act(locals, async () => {
		const form = await readForm(request);
		const id = formString(form, 'webhookId');
		return { ...(await fn(id, form)), webhookId: id };
	});
}

export const actions: Actions = {
	create: ({ locals, params, request }) => {
		const values: Record<string, string> = {};
		return act(
			locals,
			async () => {
				const form = await readForm(request);
				values.url = formString(form, 'url');
				const created = await createWebhook(locals.db, locals.user, params.workspaceId, {
					url: values.url,
					events: form.getAll('events').map(String)
				});
				return { created: created.id, secret: created.secret, webhookId: created.id };
			},
			values
		);
	},
	rotate: ({ locals, params, request }) =>
		onHook(locals, request, (id) => rotateWebhookSecret(locals.db, locals.user, params.workspaceId, id)),
	pause: ({ locals, params, request }) =>
		onHook(locals, request, (id) => setWebhookActive(locals.db, locals.user, params.workspaceId, id, false)),
	resume: ({ locals, params, request }) =>
		onHook(locals, request, (id) => setWebhookActive(locals.db, locals.user, params.workspaceId, id, true)),
	test: ({ locals, params, request }) =>
		onHook(locals, request, (id) => sendTestEvent(locals.db, locals.user, params.workspaceId, id)),
	delete: ({ locals, params, request }) =>
		onHook(locals, request, (id) => deleteWebhook(locals.db, locals.user, params.workspaceId, id))
};
