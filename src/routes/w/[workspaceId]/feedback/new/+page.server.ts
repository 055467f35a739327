import { redirect } from '@sveltejs/kit';
import { FEEDBACK_CHANNELS } from '$lib/feedback/types';
import { journeyChoices } from '$lib/server/feedback/forms';
import { createManualFeedback, type ManualInput } from '$lib/server/feedback/manual';
import { act, guard, readForm } from '$lib/server/http';
import { formString } from '$lib/server/validate';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, url }) =>
	guard(locals, url, async () => ({
		journeys: await journeyChoices(locals.db, locals.user, params.workspaceId),
		channels: FEEDBACK_CHANNELS,
		journeyId: url.searchParams.get('journey') ?? ''
	}));

const FIELDS = [
	'text',
	'channel',
	'receivedAt',
	'tzOffset',
	'journeyId',
	'touchpointId',
	'customerId',
	'customerName',
	'customerContact',
	'ratingKind',
	'ratingValue'
] as const;

export const actions: Actions = {
	default: async ({ locals, params, request }) => {
		const values: Record<string, string> = {};
		let another = false;
		const result = await act(
			locals,
			async () => {
				const form = await readForm(request);
				const input = {
					text: formString(form, 'text'),
					channel: formString(form, 'channel'),
					receivedAt: formString(form, 'receivedAt'),
					tzOffset: formString(form, 'tzOffset'),
					journeyId: formString(form, 'journeyId'),
					touchpointId: formString(form, 'touchpointId'),
					customerId: formString(form, 'customerId'),
					customerName: formString(form, 'customerName'),
					customerContact: formString(form, 'customerContact'),
					ratingKind: formString(form, 'ratingKind'),
					ratingValue: formString(form, 'ratingValue')
				} satisfies ManualInput;
				for (const f of FIELDS) values[f] = input[f];
				another = formString(form, 'then') === 'another';
				const saved = await createManualFeedback(locals.db, locals.user, params.workspaceId, input);
				// The next note is often from the same channel and journey: keep those.
				return { saved: saved.id, keep: { channel: input.channel, journeyId: input.journeyId } };
			},
			values
		);
		if ('saved' in result && !another) redirect(303, `/w/${params.workspaceId}/feedback?added=1`);
		return result;
	}
};
