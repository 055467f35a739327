/**
 * The rules of a loop: its stages and the moves between them, who may do what, and what each stage
 * needs before the loop leaves it. Pure: the server gathers a loop's facts, asks here, and applies the
 * returned effects; a refusal carries machine codes with parameters that the UI translates as
 * `loops.refusal.<code>` (and `loops.requirement.<code>` for the checklist).
 *
 * Stages: listen → solve → measure → follow_up → closed, plus cancelled (from any open stage, with a
 * reason; a cancelled loop can be reopened into listen). Backward moves: solve → listen (more evidence
 * needed), and measure → solve unless the measured effect is an improvement (the actions did not work:
 * try others; the baseline stays the one taken on first entering solve). Closed is final.
 *
 * Who: workspace roles come from `access/roles.ts`. Viewers read only, except on what is assigned to
 * them: the owner of an action may change its status and add notes, the assignee of a follow-up may
 * record or waive it — whatever their role, since staff who own touchpoints are often viewers. Editors
 * and owners do everything else; cancelling, reopening and deleting a loop is for its owner or a
 * workspace owner.
 */
import type { Role } from '../access/roles';
import type { Verdict } from './measure';

export const LOOP_STAGES = ['listen', 'solve', 'measure', 'follow_up', 'closed', 'cancelled'] as const;
export type LoopStage = (typeof LOOP_STAGES)[number];

/** Stages in which a loop is still worked on. */
export const OPEN_STAGES = [
	'listen',
	'solve',
	'measure',
	'follow_up'
] as const satisfies readonly LoopStage[];

export const ACTION_STATUSES = ['todo', 'doing', 'blocked', 'done', 'cancelled'] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];

export const FOLLOW_UP_STATUSES = ['todo', 'done', 'waived'] as const;
export type FollowUpStatus = (typeof FOLLOW_UP_STATUSES)[number];

/** How a customer was contacted for a follow-up. */
export const CONTACT_METHODS = ['email', 'phone', 'letter', 'in_person', 'chat', 'social', 'other'] as const;
export type ContactMethod = (typeof CONTACT_METHODS)[number];

/** What came of a follow-up. */
export const FOLLOW_UP_OUTCOMES = ['satisfied', 'neutral', 'unsatisfied', 'no_reply'] as const;
export type FollowUpOutcome = (typeof FOLLOW_UP_OUTCOMES)[number];

/** Moves allowed from each stage; requirements and permissions are checked on top. */
export const TRANSITIONS: Readonly<Record<LoopStage, readonly LoopStage[]>> = {
	listen: ['solve', 'cancelled'],
	solve: ['measure', 'listen', 'cancelled'],
	measure: ['follow_up', 'solve', 'cancelled'],
	follow_up: ['closed', 'cancelled'],
	closed: [],
	cancelled: ['listen']
};

/** A waiver or a cancellation needs a reason of at least this many characters (trimmed). */
export const MIN_REASON_LENGTH = 3;

export interface LinkedItem {
	itemId: string;
	/** The item names a customer who can be answered (an id, a name with a contact…). */
	customerRef: boolean;
}

export interface LoopActionFacts {
	id: string;
	ownerId: string | null;
	status: ActionStatus;
}

export interface FollowUpFacts {
	id: string;
	/** The feedback item answered; null for a proactive follow-up of a customer who had not written. */
	itemId: string | null;
	assigneeId: string | null;
	status: FollowUpStatus;
}

/** What the rules need to know of a loop. Times are epoch milliseconds. */
export interface LoopFacts {
	stage: LoopStage;
	ownerId: string | null;
	touchpointIds: readonly string[];
	problem: string;
	evidence: readonly LinkedItem[];
	rationalNeed: string;
	emotionalNeed: string;
	actions: readonly LoopActionFacts[];
	baselineRecorded: boolean;
	/** The after measure, once taken. */
	measurement: { verdict: Verdict } | null;
	/** End of the after window; set when the actions became settled (see `actionsSettled`). */
	afterWindowEnd: number | null;
	followUps: readonly FollowUpFacts[];
}

export interface Actor {
	userId: string;
	role: Role;
}

/** Parameters of each refusal and requirement code, for the translated message. */
export interface RefusalParams {
	/** The actor's role is below what the operation needs. */
	forbidden_role: { required: Role };
	not_action_owner: { actionId: string };
	not_follow_up_assignee: { followUpId: string };
	not_loop_owner: Record<string, never>;
	unknown_action: { actionId: string };
	unknown_follow_up: { followUpId: string };
	/** Closed or cancelled loops change no more. */
	loop_finished: { stage: LoopStage };
	wrong_stage: { stage: LoopStage; allowed: string };
	transition_not_allowed: { from: LoopStage; to: LoopStage };
	reason_required: { min: number };
	/** measure → solve is refused once the measure showed an improvement. */
	effect_improved: Record<string, never>;
	missing_touchpoint: Record<string, never>;
	missing_evidence_or_problem: Record<string, never>;
	missing_rational_need: Record<string, never>;
	missing_emotional_need: Record<string, never>;
	missing_action: Record<string, never>;
	missing_baseline: Record<string, never>;
	actions_pending: { count: number };
	no_action_done: Record<string, never>;
	/** The after window ends at `until` (epoch ms; null: the actions are not settled yet) and no measure was taken explicitly. */
	after_window_running: { until: number | null };
	follow_ups_pending: { count: number };
}

export type RefusalCode = keyof RefusalParams;
export type Refusal = { [K in RefusalCode]: { code: K; params: RefusalParams[K] } }[RefusalCode];

/** What the server must do when a transition happens. */
export type TransitionEffect =
	/** Entering solve for the first time: record the touchpoints' baseline metrics. */
	| { type: 'record_baseline' }
	/** Leaving measure after the after window elapsed without an explicit measure: take it now. */
	| { type: 'record_measurement' }
	/** Going back to solve: the next measure starts over against the same baseline. */
	| { type: 'clear_measurement' }
	/** Entering follow_up: one follow-up task per linked item with a customer and none yet. */
	| { type: 'create_follow_ups'; itemIds: string[] };

export type Decision = { ok: true } | { ok: false; reasons: Refusal[] };
export type TransitionDecision =
	{ ok: true; effects: TransitionEffect[] } | { ok: false; reasons: Refusal[] };

/** One line of what a stage needs before the loop leaves it forward. */
export type Requirement = Refusal & { met: boolean };

/** Everything one may ask to do with or in a loop. */
export type LoopOperation =
	| { kind: 'read' }
	| { kind: 'create' }
	/** Title, problem, needs, touchpoints, evidence, loop owner. */
	| { kind: 'edit' }
	| { kind: 'delete' }
	| { kind: 'action:create' }
	/** Title, owner, due date. */
	| { kind: 'action:edit'; actionId: string }
	| { kind: 'action:delete'; actionId: string }
	| { kind: 'action:status'; actionId: string }
	| { kind: 'action:note'; actionId: string }
	| { kind: 'follow_up:create' }
	| { kind: 'follow_up:assign'; followUpId: string }
	| { kind: 'follow_up:record'; followUpId: string }
	| { kind: 'follow_up:waive'; followUpId: string; reason: string };

const refuse = (...reasons: Refusal[]): Decision => ({ ok: false, reasons });
const OK: Decision = { ok: true };

const RANK: Record<Role, number> = { viewer: 1, editor: 2, owner: 3 };

function needsRole(actor: Actor, required: Role): Refusal | null {
	return RANK[actor.role] >= RANK[required] ? null : { code: 'forbidden_role', params: { required } };
}

export function isOpenStage(stage: LoopStage): boolean {
	return (OPEN_STAGES as readonly LoopStage[]).includes(stage);
}

const blank = (text: string | null | undefined) => !text || text.trim() === '';

export function hasReason(reason: string | null | undefined): boolean {
	return !!reason && reason.trim().length >= MIN_REASON_LENGTH;
}

/** Every action is done or cancelled and at least one is done: the after window may start. */
export function actionsSettled(actions: readonly LoopActionFacts[]): boolean {
	return (
		actions.some((a) => a.status === 'done') &&
		actions.every((a) => a.status === 'done' || a.status === 'cancelled')
	);
}

/** Follow-ups still owed: open tasks, plus linked items with a customer that have no task at all. */
export function pendingFollowUps(loop: Pick<LoopFacts, 'evidence' | 'followUps'>): number {
	const covered = new Set(loop.followUps.map((f) => f.itemId));
	const open = loop.followUps.filter((f) => f.status === 'todo').length;
	const uncovered = loop.evidence.filter((e) => e.customerRef && !covered.has(e.itemId)).length;
	return open + uncovered;
}

const requirement = <K extends RefusalCode>(code: K, params: RefusalParams[K], met: boolean) =>
	({ code, params, met }) as Requirement;

/** What the loop's current stage needs before it moves forward, met or not; empty when finished. */
export function exitRequirements(loop: LoopFacts, now: number): Requirement[] {
	const none = {} as Record<string, never>;
	switch (loop.stage) {
		case 'listen':
			return [
				requirement('missing_touchpoint', none, loop.touchpointIds.length > 0),
				requirement('missing_evidence_or_problem', none, loop.evidence.length > 0 || !blank(loop.problem))
			];
		case 'solve':
			return [
				requirement('missing_rational_need', none, !blank(loop.rationalNeed)),
				requirement('missing_emotional_need', none, !blank(loop.emotionalNeed)),
				requirement(
					'missing_action',
					none,
					loop.actions.some((a) => a.status !== 'cancelled')
				),
				requirement('missing_baseline', none, loop.baselineRecorded)
			];
		case 'measure': {
			const pending = loop.actions.filter((a) => a.status !== 'done' && a.status !== 'cancelled').length;
			const until = loop.afterWindowEnd;
			return [
				requirement('actions_pending', { count: pending }, pending === 0),
				requirement(
					'no_action_done',
					none,
					loop.actions.some((a) => a.status === 'done')
				),
				requirement(
					'after_window_running',
					{ until },
					loop.measurement !== null || (until !== null && now >= until)
				)
			];
		}
		case 'follow_up': {
			const count = pendingFollowUps(loop);
			return [requirement('follow_ups_pending', { count }, count === 0)];
		}
		default:
			return [];
	}
}

function unmet(requirements: Requirement[]): Refusal[] {
	return requirements.filter((r) => !r.met).map(({ code, params }) => ({ code, params }) as Refusal);
}

function finished(loop: LoopFacts): Refusal | null {
	return isOpenStage(loop.stage) ? null : { code: 'loop_finished', params: { stage: loop.stage } };
}

function inStages(loop: LoopFacts, allowed: readonly LoopStage[]): Refusal | null {
	return allowed.includes(loop.stage)
		? null
		: { code: 'wrong_stage', params: { stage: loop.stage, allowed: allowed.join(',') } };
}

const isLoopOwner = (actor: Actor, loop: LoopFacts) =>
	actor.role === 'owner' || (loop.ownerId === actor.userId && actor.role === 'editor');

function decide(...checks: Array<Refusal | null>): Decision {
	const reasons = checks.filter((c): c is Refusal => c !== null);
	return reasons.length ? refuse(...reasons) : OK;
}

/**
 * May `actor` do `operation` on `loop` (null for `create`)? Checks role, ownership and stage; reasons
 * list every obstacle, the permission first. Transitions go through `checkTransition`.
 */
export function authorize(actor: Actor, loop: LoopFacts | null, operation: LoopOperation): Decision {
	if (operation.kind === 'read') return OK;
	if (operation.kind === 'create') return decide(needsRole(actor, 'editor'));
	if (!loop) throw new TypeError(`authorize(${operation.kind}) needs the loop`);
	switch (operation.kind) {
		case 'edit':
			return decide(needsRole(actor, 'editor'), finished(loop));
		case 'delete':
			return decide(isLoopOwner(actor, loop) ? null : { code: 'not_loop_owner', params: {} });
		case 'action:create':
			return decide(needsRole(actor, 'editor'), finished(loop) ?? inStages(loop, ['solve']));
		case 'action:edit':
		case 'action:delete': {
			const action = loop.actions.find((a) => a.id === operation.actionId);
			if (!action) return refuse({ code: 'unknown_action', params: { actionId: operation.actionId } });
			const stages: LoopStage[] = operation.kind === 'action:edit' ? ['solve', 'measure'] : ['solve'];
			return decide(needsRole(actor, 'editor'), finished(loop) ?? inStages(loop, stages));
		}
		case 'action:status':
		case 'action:note': {
			const action = loop.actions.find((a) => a.id === operation.actionId);
			if (!action) return refuse({ code: 'unknown_action', params: { actionId: operation.actionId } });
			const mine = action.ownerId !== null && action.ownerId === actor.userId;
			const permission =
				mine || RANK[actor.role] >= RANK.editor
					? null
					: ({ code: 'not_action_owner', params: { actionId: action.id } } as const);
			// A status change in follow-up would silently invalidate the measure already taken.
			const stage =
				operation.kind === 'action:status'
					? (finished(loop) ?? inStages(loop, ['solve', 'measure']))
					: finished(loop);
			return decide(permission, stage);
		}
		case 'follow_up:create':
			return decide(needsRole(actor, 'editor'), finished(loop));
		case 'follow_up:assign':
		case 'follow_up:record':
		case 'follow_up:waive': {
			const followUp = loop.followUps.find((f) => f.id === operation.followUpId);
			if (!followUp)
				return refuse({ code: 'unknown_follow_up', params: { followUpId: operation.followUpId } });
			const mine = followUp.assigneeId !== null && followUp.assigneeId === actor.userId;
			const permission =
				operation.kind === 'follow_up:assign'
					? needsRole(actor, 'editor')
					: mine || RANK[actor.role] >= RANK.editor
						? null
						: ({ code: 'not_follow_up_assignee', params: { followUpId: followUp.id } } as const);
			const reason =
				operation.kind === 'follow_up:waive' && !hasReason(operation.reason)
					? ({ code: 'reason_required', params: { min: MIN_REASON_LENGTH } } as const)
					: null;
			return decide(permission, finished(loop), reason);
		}
	}
}

/**
 * May `actor` move `loop` to `to` now? `reason` is required to cancel or reopen. On success, the effects
 * the server must apply in the same transaction.
 */
export function checkTransition(
	actor: Actor,
	loop: LoopFacts,
	to: LoopStage,
	options: { now: number; reason?: string | null }
): TransitionDecision {
	const from = loop.stage;
	const ending = to === 'cancelled' || from === 'cancelled';
	const permission = ending
		? isLoopOwner(actor, loop)
			? null
			: ({ code: 'not_loop_owner', params: {} } as const)
		: needsRole(actor, 'editor');
	if (permission) return { ok: false, reasons: [permission] };
	if (from === 'closed') return { ok: false, reasons: [{ code: 'loop_finished', params: { stage: from } }] };
	if (!TRANSITIONS[from].includes(to)) {
		return { ok: false, reasons: [{ code: 'transition_not_allowed', params: { from, to } }] };
	}
	if (ending) {
		return hasReason(options.reason)
			? { ok: true, effects: [] }
			: { ok: false, reasons: [{ code: 'reason_required', params: { min: MIN_REASON_LENGTH } }] };
	}
	if (from === 'measure' && to === 'solve') {
		return loop.measurement?.verdict === 'improved'
			? { ok: false, reasons: [{ code: 'effect_improved', params: {} }] }
			: { ok: true, effects: loop.measurement ? [{ type: 'clear_measurement' }] : [] };
	}
	if (from === 'solve' && to === 'listen') return { ok: true, effects: [] };

	const reasons = unmet(exitRequirements(loop, options.now));
	if (reasons.length) return { ok: false, reasons };
	const effects: TransitionEffect[] = [];
	if (to === 'solve' && !loop.baselineRecorded) effects.push({ type: 'record_baseline' });
	if (from === 'measure' && !loop.measurement) effects.push({ type: 'record_measurement' });
	if (to === 'follow_up') {
		const covered = new Set(loop.followUps.map((f) => f.itemId));
		const itemIds = loop.evidence.filter((e) => e.customerRef && !covered.has(e.itemId)).map((e) => e.itemId);
		if (itemIds.length) effects.push({ type: 'create_follow_ups', itemIds });
	}
	return { ok: true, effects };
}

/** Each move the loop's stage allows, with whether `actor` may make it now (and why not). */
export function availableTransitions(
	actor: Actor,
	loop: LoopFacts,
	now: number
): Array<{ to: LoopStage; decision: TransitionDecision }> {
	// A reason is asked in the dialog itself; here only the rest of the rules matter.
	return TRANSITIONS[loop.stage].map((to) => ({
		to,
		decision: checkTransition(actor, loop, to, { now, reason: 'x'.repeat(MIN_REASON_LENGTH) })
	}));
}
