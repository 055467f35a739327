import { redirect } from '@sveltejs/kit';
import { signIn } from '$lib/server/accounts';
import { safeNext, startSession } from '$lib/server/auth/start-session';
import { actPublic, readForm } from '$lib/server/http';
import { formString } from '$lib/server/validate';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	if (locals.user) redirect(303, safeNext(url.searchParams.get('next')));
	return { next: safeNext(url.searchParams.get('next')), deleted: url.searchParams.has('deleted') };
};

export const actions: Actions = {
	default: async (event) => {
		const { locals, request, url, getClientAddress } = event;
		let email = '';
		const result = await actPublic(
			locals,
			async () => {
				const form = await readForm(request);
				email = formString(form, 'email').slice(0, 320);
				const user = await signIn(locals.db, locals.config, {
					email,
					password: formString(form, 'password'),
					ip: getClientAddress()
				});
				await startSession(event, user.id);
				return safeNext(formString(form, 'next') || url.searchParams.get('next'));
			},
			{ email: '' }
		);
		if (typeof result === 'string') redirect(303, result);
		if (result.data.values) result.data.values.email = email;
		return result;
	}
};
