import { redirect } from '@sveltejs/kit';
import { RATING_RANGE } from '$lib/feedback/types';
import { fillToken, getPublicForm, submitPublicForm } from '$lib/server/feedback/forms';
import { actPublic, guard, readForm } from '$lib/server/http';
import { formString } from '$lib/server/validate';
import type { Actions, PageServerLoad } from './$types';

/** A public feedback form: no sign-in; unknown or disabled forms are 404. */
export const load: PageServerLoad = async ({ locals, params, url }) =>
	guard(locals, url, async () => {
		const form = await getPublicForm(locals.db, params.slug);
		return {
			form: {
				title: form.title,
				askRating: form.askRating,
				ratingRange: form.askRating ? RATING_RANGE[form.askRating] : null,
				askContact: form.askContact
			},
			started: await fillToken(locals.db, form.slug),
			embed: url.searchParams.get('embed') === '1',
			sent: url.searchParams.get('sent') === '1'
		};
	});

export const actions: Actions = {
	default: async ({ locals, params, request, url, getClientAddress }) => {
		const values: Record<string, string> = {};
		const result = await actPublic(
			locals,
			async () => {
				const form = await readForm(request);
				for (const f of ['text', 'rating', 'name', 'email', 'started']) values[f] = formString(form, f);
				return submitPublicForm(
					locals.db,
					params.slug,
					{ ...values, text: values.text, website: formString(form, 'website') },
					{ ip: getClientAddress(), limitPerIp: locals.config.formLimitPerIp }
				);
			},
			values
		);
		// Robots caught by the honeypot or the timing see the same thank-you page as people.
		if ('stored' in result)
			redirect(303, `/f/${params.slug}?sent=1${url.searchParams.get('embed') === '1' ? '&embed=1' : ''}`);
		return result;
	}
};
