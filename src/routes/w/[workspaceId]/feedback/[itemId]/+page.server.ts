import { roleAllows } from '$lib/access/roles';
import { correctFeedback, setSpam } from '$lib/server/feedback/corrections';
import { getFeedbackItem, inboxNames } from '$lib/server/feedback/inbox';
import { act, guard, readForm } from '$lib/server/http';
import { linkItems, openLoopsOfJourney } from '$lib/server/loops';
import { formString } from '$lib/server/validate';
import type { Actions, PageServerLoad } from './$types';

/** Only a link back into this workspace's inbox is followed (no open redirect through `back`). */
function backLink(workspaceId: string, back: string | null): string {
	const inbox = `/w/${workspaceId}/feedback`;
	if (!back || !back.startsWith(inbox) || back.includes('//') || back.length > 2000) return inbox;
	const rest = back.slice(inbox.length);
	return rest === '' || rest.startsWith('?') ? back : inbox;
}

export const load: PageServerLoad = async ({ locals, params, url, parent }) => {
	const { workspace } = await parent();
	return guard(locals, url, async () => {
		const detail = await getFeedbackItem(locals.db, locals.user, params.workspaceId, params.itemId);
		const names = await inboxNames(locals.db, locals.user, params.workspaceId, locals.locale);
		const canHandle = roleAllows(workspace.role, 'feedback:handle');
		const journeyId = detail.item.journeyId;
		const openLoops =
			canHandle && journeyId
				? await openLoopsOfJourney(locals.db, locals.user, params.workspaceId, journeyId)
				: [];
		return {
			...detail,
			openLoops,
			names,
			back: backLink(params.workspaceId, url.searchParams.get('back')),
			canHandle
		};
	});
};

export const actions: Actions = {
	correct: ({ locals, params, request }) =>
		act(locals, async () => {
			const form = await readForm(request);
			await correctFeedback(
				locals.db,
				locals.user,
				params.workspaceId,
				params.itemId,
				formString(form, 'field'),
				formString(form, 'value')
			);
			return { done: 'correct' };
		}),
	spam: ({ locals, params, request }) =>
		act(locals, async () => {
			const form = await readForm(request);
			const spam = formString(form, 'spam') !== '0';
			await setSpam(locals.db, locals.user, params.workspaceId, [params.itemId], spam);
			return { done: spam ? 'spam' : 'unspam' };
		}),
	addToLoop: ({ locals, params, request }) =>
		act(locals, async () => {
			const form = await readForm(request);
			await linkItems(locals.db, locals.user, params.workspaceId, formString(form, 'loopId'), [
				params.itemId
			]);
			return { done: 'addToLoop', loopId: formString(form, 'loopId') };
		})
};
