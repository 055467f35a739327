import { redirect } from '@sveltejs/kit';
import { act, guard, readForm, requireUser } from '$lib/server/http';
import { formString } from '$lib/server/validate';
import { listNotifications, markAllRead, markRead } from '$lib/server/notifications';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const user = requireUser(locals, url);
	return guard(locals, url, async () => ({
		notifications: await listNotifications(locals.db, user, params.workspaceId, { limit: 100 })
	}));
};

/** Only paths of this app: a stored link never sends anyone elsewhere. */
const safe = (link: string, fallback: string) =>
	link.startsWith('/') && !link.startsWith('//') ? link : fallback;

export const actions: Actions = {
	/** Marks the notification read and goes where it leads. */
	open: async ({ locals, params, request }) => {
		// Reading the form inside `act`: an unreadable or oversized body is a 400 like any other mistake.
		const result = await act(locals, async () =>
			markRead(locals.db, locals.user, params.workspaceId, formString(await readForm(request), 'id'))
		);
		if ('link' in result) redirect(303, safe(result.link, `/w/${params.workspaceId}/notifications`));
		return result;
	},
	readAll: ({ locals, params }) => act(locals, () => markAllRead(locals.db, locals.user, params.workspaceId))
};
