import { fail, redirect } from '@sveltejs/kit';
import { isLocale } from '$lib/i18n';
import { setLocale } from '$lib/server/accounts';
import { safeNext } from '$lib/server/auth/start-session';
import { readForm } from '$lib/server/http';
import { formString } from '$lib/server/validate';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = () => redirect(303, '/');

export const actions: Actions = {
	default: async ({ request, cookies, locals, url }) => {
		const form = await readForm(request).catch(() => null);
		const locale = form ? formString(form, 'locale') : '';
		if (!isLocale(locale)) return fail(400, { field: 'locale', message: 'Choose en or fr.' });
		cookies.set('locale', locale, {
			path: '/',
			httpOnly: false,
			sameSite: 'lax',
			secure: url.protocol === 'https:',
			maxAge: 60 * 60 * 24 * 365
		});
		if (locals.user) await setLocale(locals.db, locals.user.id, locale);
		redirect(303, safeNext(form ? formString(form, 'redirect') : '/'));
	}
};
