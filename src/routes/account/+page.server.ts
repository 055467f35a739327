import { redirect } from '@sveltejs/kit';
import { changePassword, deleteAccount } from '$lib/server/accounts';
import { clearSessionCookie } from '$lib/server/auth/cookie';
import { invalidateAllSessions } from '$lib/server/auth/session';
import { startSession } from '$lib/server/auth/start-session';
import { act, readForm, requireUser } from '$lib/server/http';
import { formString } from '$lib/server/validate';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	requireUser(locals, url);
	return {};
};

export const actions: Actions = {
	changePassword: (event) =>
		act(event.locals, async () => {
			const form = await readForm(event.request);
			await changePassword(
				event.locals.db,
				event.locals.user!.id,
				{
					current: formString(form, 'current'),
					next: formString(form, 'next'),
					confirm: formString(form, 'confirm')
				},
				event.locals.config
			);
			await startSession(event, event.locals.user!.id);
			return { done: 'changePassword' };
		}),
	signOutEverywhere: (event) =>
		act(event.locals, async () => {
			await invalidateAllSessions(event.locals.db, event.locals.user!.id);
			await startSession(event, event.locals.user!.id);
			return { done: 'signOutEverywhere' };
		}),
	delete: async (event) => {
		const result = await act(event.locals, async () => {
			const form = await readForm(event.request);
			await deleteAccount(event.locals.db, event.locals.user!.id, formString(form, 'confirm'));
			return { done: 'delete' };
		});
		if ('done' in result) {
			clearSessionCookie(event);
			redirect(303, '/signin?deleted=1');
		}
		return result;
	}
};
