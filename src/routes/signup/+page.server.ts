import { redirect } from '@sveltejs/kit';
import { signUp } from '$lib/server/accounts';
import { safeNext, startSession } from '$lib/server/auth/start-session';
import { actPublic, readForm } from '$lib/server/http';
import { formString } from '$lib/server/validate';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	if (locals.user) redirect(303, safeNext(url.searchParams.get('next')));
	return { next: safeNext(url.searchParams.get('next')) };
};

export const actions: Actions = {
	default: async (event) => {
		const { locals, request, getClientAddress } = event;
		const values = { email: '', name: '' };
		const result = await actPublic(
			locals,
			async () => {
				const form = await readForm(request);
				values.email = formString(form, 'email').slice(0, 320);
				values.name = formString(form, 'name').slice(0, 200);
				const user = await signUp(locals.db, {
					email: values.email,
					name: values.name,
					password: formString(form, 'password'),
					locale: locals.locale,
					limit: { ip: getClientAddress(), config: locals.config }
				});
				await startSession(event, user.id);
				return safeNext(formString(form, 'next'));
			},
			values
		);
		if (typeof result === 'string') redirect(303, result);
		return result;
	}
};
