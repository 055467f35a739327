import { redirect } from '@sveltejs/kit';
import { inboxNames } from '$lib/server/feedback/inbox';
import { act, guard, readForm } from '$lib/server/http';
import { createLoop, itemsForLoop, linkItems, loopMembers, openLoopsOfJourney } from '$lib/server/loops';
import { formString, noNul } from '$lib/server/validate';
import type { Actions, PageServerLoad } from './$types';

const list = (value: string | null) =>
	(value ?? '')
		.split(',')
		.map((v) => v.trim())
		.filter(Boolean);

/** Prefilled from `?journey=<id>&touchpoint=<id>&items=<id,id>` (the canvas and the inbox link here). */
export const load: PageServerLoad = async ({ locals, params, url }) => {
	return guard(locals, url, async () => {
		const items = await itemsForLoop(
			locals.db,
			locals.user,
			params.workspaceId,
			list(url.searchParams.get('items'))
		);
		const [names, members] = await Promise.all([
			inboxNames(locals.db, locals.user, params.workspaceId, locals.locale),
			loopMembers(locals.db, locals.user, params.workspaceId)
		]);
		const journeyId = url.searchParams.get('journey') ?? items.find((i) => i.journeyId)?.journeyId ?? null;
		const touchpointIds = [
			...new Set([
				...list(url.searchParams.get('touchpoint')),
				...items.flatMap((i) => (i.touchpointId && i.journeyId === journeyId ? [i.touchpointId] : []))
			])
		];
		// Items from the inbox may go to a loop already open on their journey instead.
		const openLoops =
			items.length && journeyId
				? await openLoopsOfJourney(locals.db, locals.user, params.workspaceId, journeyId)
				: [];
		return {
			openLoops,
			journeys: names.journeys,
			motives: names.motives,
			members,
			items,
			prefill: { journeyId, touchpointIds, alertId: url.searchParams.get('alert') ?? '' }
		};
	});
};

const all = (form: FormData, name: string) =>
	form
		.getAll(name)
		.filter((v): v is string => typeof v === 'string' && v !== '')
		.map((v) => noNul(name, v));

export const actions: Actions = {
	create: async ({ locals, params, request }) => {
		// Filled as the form is read, so a refusal puts the typed text back.
		const values: Record<string, string> = {};
		const result = await act(
			locals,
			async () => {
				const form = await readForm(request);
				values.title = formString(form, 'title');
				values.problem = formString(form, 'problem');
				values.journeyId = formString(form, 'journeyId');
				return createLoop(locals.db, locals.user, params.workspaceId, {
					journeyId: values.journeyId,
					title: values.title,
					problem: values.problem,
					touchpointIds: all(form, 'touchpointIds'),
					motive: formString(form, 'motive') || null,
					ownerId: formString(form, 'ownerId') || null,
					itemIds: all(form, 'itemIds'),
					alertId: formString(form, 'alertId') || null
				});
			},
			values
		);
		if ('id' in result) redirect(303, `/w/${params.workspaceId}/loops/${result.id}`);
		return result;
	},
	addTo: async ({ locals, params, request }) => {
		let loopId = '';
		const result = await act(locals, async () => {
			const form = await readForm(request);
			loopId = formString(form, 'loopId');
			return linkItems(locals.db, locals.user, params.workspaceId, loopId, all(form, 'itemIds'));
		});
		if ('linked' in result) redirect(303, `/w/${params.workspaceId}/loops/${loopId}`);
		return result;
	}
};
