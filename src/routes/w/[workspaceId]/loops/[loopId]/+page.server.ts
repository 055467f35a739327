import type { ActionInput } from '$lib/loops';
import { inboxNames } from '$lib/server/feedback/inbox';
import { act, guard, readForm } from '$lib/server/http';
import {
	addAction,
	addActionNote,
	assignFollowUp,
	createProactiveFollowUps,
	deleteAction,
	editLoop,
	followUpLinkedNow,
	getLoop,
	linkItems,
	measureNow,
	moveLoop,
	recordFollowUp,
	unlinkItem,
	updateAction,
	waiveFollowUp,
	type LoopPatch
} from '$lib/server/loops';
import { formString } from '$lib/server/validate';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, url }) =>
	guard(locals, url, async () => {
		const loop = await getLoop(locals.db, locals.user, params.workspaceId, params.loopId);
		const { motives } = await inboxNames(locals.db, locals.user, params.workspaceId, locals.locale);
		return { ...loop, motives };
	});

type Form = FormData;
type Handler = (form: Form, ctx: { ws: string; loopId: string; locals: App.Locals }) => Promise<unknown>;

/** Only the fields a form sent: a form that edits the needs leaves the title alone. */
function sent(form: Form, names: readonly string[]): Record<string, string> {
	return Object.fromEntries(names.filter((n) => form.has(n)).map((n) => [n, formString(form, n)]));
}

/**
 * Every action reads its form inside `act` (so a malformed form is a 400, not a 500), answers with
 * `{ done, id }` for the toast and the item it is about, and puts back the values on a refusal.
 */
function action(done: string, handler: Handler): Actions[string] {
	return ({ locals, params, request }) => {
		const values: Record<string, string> = {};
		return act(
			locals,
			async () => {
				const form = await readForm(request);
				for (const [k, v] of form) if (typeof v === 'string' && v.length < 5000) values[k] = v;
				await handler(form, { ws: params.workspaceId, loopId: params.loopId, locals });
				return { done, id: values.id ?? null };
			},
			values
		);
	};
}

export const actions: Actions = {
	edit: action('edit', (form, { ws, loopId, locals }) => {
		const patch: LoopPatch = sent(form, [
			'title',
			'problem',
			'rationalNeed',
			'emotionalNeed',
			'motive',
			'ownerId',
			'baselineDays',
			'afterDays'
		]) as LoopPatch;
		if (form.has('touchpointsSent'))
			patch.touchpointIds = form.getAll('touchpointIds').filter((v) => typeof v === 'string');
		if (patch.motive === '') patch.motive = null;
		if (patch.ownerId === '') patch.ownerId = null;
		return editLoop(locals.db, locals.user, ws, loopId, patch);
	}),
	move: action('move', (form, { ws, loopId, locals }) =>
		moveLoop(locals.db, locals.user, ws, loopId, formString(form, 'to'), {
			reason: formString(form, 'reason') || null
		})
	),
	link: action('link', (form, { ws, loopId, locals }) =>
		linkItems(
			locals.db,
			locals.user,
			ws,
			loopId,
			formString(form, 'itemIds')
				.split(/[\s,]+/)
				.filter(Boolean)
		)
	),
	unlink: action('unlink', (form, { ws, loopId, locals }) =>
		unlinkItem(locals.db, locals.user, ws, loopId, formString(form, 'id'))
	),
	addAction: action('addAction', (form, { ws, loopId, locals }) =>
		addAction(locals.db, locals.user, ws, loopId, {
			title: formString(form, 'title'),
			ownerId: formString(form, 'ownerId') || null,
			dueDate: formString(form, 'dueDate') || null
		})
	),
	updateAction: action('updateAction', (form, { ws, locals }) => {
		const patch = sent(form, ['title', 'ownerId', 'dueDate', 'status']) as Partial<ActionInput>;
		if (patch.ownerId === '') patch.ownerId = null;
		if (patch.dueDate === '') patch.dueDate = null;
		return updateAction(locals.db, locals.user, ws, formString(form, 'id'), patch);
	}),
	deleteAction: action('deleteAction', (form, { ws, locals }) =>
		deleteAction(locals.db, locals.user, ws, formString(form, 'id'))
	),
	note: action('note', (form, { ws, locals }) =>
		addActionNote(locals.db, locals.user, ws, formString(form, 'id'), formString(form, 'note'))
	),
	measure: action('measure', (_form, { ws, loopId, locals }) =>
		measureNow(locals.db, locals.user, ws, loopId)
	),
	record: action('record', (form, { ws, locals }) =>
		recordFollowUp(locals.db, locals.user, ws, formString(form, 'id'), {
			method: formString(form, 'method') as never,
			outcome: formString(form, 'outcome') as never,
			note: formString(form, 'note'),
			message: formString(form, 'message')
		})
	),
	waive: action('waive', (form, { ws, locals }) =>
		waiveFollowUp(locals.db, locals.user, ws, formString(form, 'id'), formString(form, 'reason'))
	),
	assign: action('assign', (form, { ws, locals }) =>
		assignFollowUp(
			locals.db,
			locals.user,
			ws,
			formString(form, 'id'),
			formString(form, 'assigneeId') || null,
			form.has('dueDate') ? formString(form, 'dueDate') || null : undefined
		)
	),
	followUpNow: action('followUpNow', (_form, { ws, loopId, locals }) =>
		followUpLinkedNow(locals.db, locals.user, ws, loopId)
	),
	proactive: action('proactive', (form, { ws, loopId, locals }) =>
		createProactiveFollowUps(locals.db, locals.user, ws, loopId, {
			customers: formString(form, 'customers'),
			assigneeId: formString(form, 'assigneeId') || null
		})
	)
};
