import { fail, redirect } from '@sveltejs/kit';
import { isLocale, translate } from '$lib/i18n';
import { setLocale } from '$lib/server/accounts';
import { safeNext } from '$lib/server/auth/start-session';
import { readForm } from '$lib/server/http';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = () => redirect(303, '/');

export const actions: Actions = {
	default: async ({ request, cookies, locals, url }) => {
		const form = await readForm(request).catch(() => null);
		const locale = form ? String(form.get('locale') ?? '') : '';
		if (!isLocale(locale)) {
			return fail(400, { field: 'locale', message: translate(locals.locale, 'error.chooseLocale') });
		}
		cookies.set('locale', locale, {
			path: '/',
			httpOnly: false,
			sameSite: 'lax',
			secure: url.protocol === 'https:',
			maxAge: 60 * 60 * 24 * 365
		});
		if (locals.user) await setLocale(locals.db, locals.user.id, locale);
		const back = form?.get('redirect');
		redirect(303, safeNext(typeof back === 'string' ? back : '/'));
	}
};
