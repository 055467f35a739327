import { roleAllows } from '$lib/access/roles';
import { parseFilters } from '$lib/feedback/inbox';
import { assignTouchpoint, correctFeedback, setSpam } from '$lib/server/feedback/corrections';
import { feedbackFacets, inboxNames, listFeedback } from '$lib/server/feedback/inbox';
import { act, guard, readForm } from '$lib/server/http';
import { formString, noNul } from '$lib/server/validate';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, url, parent }) => {
	const { workspace } = await parent();
	const { filters, issues } = parseFilters(url.searchParams);
	return guard(locals, url, async () => {
		const list = await listFeedback(locals.db, locals.user, params.workspaceId, filters);
		const facets = await feedbackFacets(locals.db, locals.user, params.workspaceId, filters);
		const names = await inboxNames(locals.db, locals.user, params.workspaceId, locals.locale);
		return {
			filters,
			issues,
			list,
			facets,
			names,
			canHandle: roleAllows(workspace.role, 'feedback:handle')
		};
	});
};

/** The selected item ids of a form (checkboxes named `ids`). */
function selection(form: FormData): string[] {
	return form
		.getAll('ids')
		.filter((v): v is string => typeof v === 'string')
		.map((v) => noNul('ids', v));
}

export const actions: Actions = {
	correct: ({ locals, params, request }) =>
		act(locals, async () => {
			const form = await readForm(request);
			await correctFeedback(
				locals.db,
				locals.user,
				params.workspaceId,
				formString(form, 'itemId'),
				formString(form, 'field'),
				formString(form, 'value')
			);
			return { done: 'correct' };
		}),
	assign: ({ locals, params, request }) =>
		act(locals, async () => {
			const form = await readForm(request);
			// One select names both: "journeyId:touchpointId".
			const [journeyId, ...rest] = formString(form, 'touchpoint').split(':');
			const result = await assignTouchpoint(
				locals.db,
				locals.user,
				params.workspaceId,
				selection(form),
				journeyId,
				rest.join(':')
			);
			return { done: 'assign', ...result };
		}),
	spam: ({ locals, params, request }) =>
		act(locals, async () => {
			const form = await readForm(request);
			const spam = formString(form, 'spam') !== '0';
			const result = await setSpam(locals.db, locals.user, params.workspaceId, selection(form), spam);
			return { done: spam ? 'spam' : 'unspam', ...result };
		})
};
