import {
	ACTION_STATUSES,
	CONTACT_METHODS,
	FOLLOW_UP_OUTCOMES,
	type ActionStatus,
	type ContactMethod,
	type FollowUpOutcome
} from '$lib/loops';
import { act, guard, readForm, requireUser } from '$lib/server/http';
import { addActionNote, recordFollowUp, updateAction, waiveFollowUp } from '$lib/server/loops';
import { listMyActions, listMyTouchpoints, RECENTLY_DONE_DAYS } from '$lib/server/my-actions';
import { AppError, invalid } from '$lib/server/errors';
import { isId } from '$lib/server/access';
import { formString } from '$lib/server/validate';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const user = requireUser(locals, url);
	const journeyId = url.searchParams.get('journey') || null;
	return guard(locals, url, async () => {
		const [mine, touchpoints] = await Promise.all([
			listMyActions(locals.db, user, params.workspaceId, { journeyId }),
			listMyTouchpoints(locals.db, user, params.workspaceId)
		]);
		return {
			...mine,
			touchpoints,
			journeyId,
			recentDays: RECENTLY_DONE_DAYS,
			statuses: ACTION_STATUSES,
			methods: CONTACT_METHODS,
			outcomes: FOLLOW_UP_OUTCOMES
		};
	});
};

/**
 * Runs an inline change of one action or follow-up. The form's values come back with a refusal, so the
 * message shows next to that item and a note is not lost.
 */
async function onItem(
	locals: App.Locals,
	request: Request,
	run: (form: FormData, id: string) => Promise<void>
) {
	const form = await readForm(request).catch(() => null);
	const values = form ? Object.fromEntries([...form].map(([k, v]) => [k, String(v)])) : undefined;
	return act(
		locals,
		async () => {
			if (!form) throw new AppError(400, 'error.badRequest');
			const id = formString(form, 'id');
			// A forged id is answered like one that vanished.
			if (!isId(id)) throw invalid('id', 'myActions.error.item');
			await run(form, id);
			return { saved: id };
		},
		values
	);
}

// The loop rules decide who may change what (an action's owner, a follow-up's assignee, editors):
// these actions only read the form and hand it to the loop service.
export const actions: Actions = {
	status: ({ locals, params, request }) =>
		onItem(locals, request, async (form, id) => {
			const status = formString(form, 'status');
			if (!(ACTION_STATUSES as readonly string[]).includes(status))
				throw invalid('status', 'myActions.error.status');
			await updateAction(locals.db, locals.user, params.workspaceId, id, { status: status as ActionStatus });
		}),
	note: ({ locals, params, request }) =>
		onItem(locals, request, (form, id) =>
			addActionNote(locals.db, locals.user, params.workspaceId, id, formString(form, 'body'))
		),
	record: ({ locals, params, request }) =>
		onItem(locals, request, (form, id) =>
			recordFollowUp(locals.db, locals.user, params.workspaceId, id, {
				method: formString(form, 'method') as ContactMethod,
				outcome: formString(form, 'outcome') as FollowUpOutcome,
				note: formString(form, 'note')
			})
		),
	waive: ({ locals, params, request }) =>
		onItem(locals, request, (form, id) =>
			waiveFollowUp(locals.db, locals.user, params.workspaceId, id, formString(form, 'reason'))
		)
};
