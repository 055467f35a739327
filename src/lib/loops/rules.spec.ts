import { describe, expect, it } from 'vitest';
import {
	actionsSettled,
	authorize,
	availableTransitions,
	checkTransition,
	exitRequirements,
	pendingFollowUps,
	TRANSITIONS,
	LOOP_STAGES,
	type Actor,
	type LoopFacts,
	type LoopStage
} from './rules';

const NOW = Date.UTC(2026, 5, 1);
const owner: Actor = { userId: 'own', role: 'owner' };
const editor: Actor = { userId: 'ed', role: 'editor' };
const loopOwner: Actor = { userId: 'lo', role: 'editor' };
const viewer: Actor = { userId: 'vi', role: 'viewer' };
const staff: Actor = { userId: 'staff', role: 'viewer' };

function loop(patch: Partial<LoopFacts> = {}): LoopFacts {
	return {
		stage: 'listen',
		ownerId: 'lo',
		touchpointIds: [],
		problem: '',
		evidence: [],
		rationalNeed: '',
		emotionalNeed: '',
		actions: [],
		baselineRecorded: false,
		measurement: null,
		afterWindowEnd: null,
		followUps: [],
		...patch
	};
}

/** A loop that meets every requirement up to `stage`. */
function ready(stage: LoopStage, patch: Partial<LoopFacts> = {}): LoopFacts {
	return loop({
		stage,
		touchpointIds: ['tp1'],
		evidence: [
			{ itemId: 'i1', customerRef: true },
			{ itemId: 'i2', customerRef: false }
		],
		rationalNeed: 'Know when the train leaves',
		emotionalNeed: 'Feel taken care of',
		actions: [{ id: 'a1', ownerId: 'staff', status: 'done' }],
		baselineRecorded: true,
		measurement: { verdict: 'improved' },
		afterWindowEnd: NOW - 1,
		followUps: [{ id: 'f1', itemId: 'i1', assigneeId: 'staff', status: 'done' }],
		...patch
	});
}

const codes = (d: { ok: boolean; reasons?: { code: string }[] }) =>
	d.ok ? [] : d.reasons!.map((r) => r.code);

describe('transitions', () => {
	it('the happy path runs listen → solve → measure → follow_up → closed with its effects', () => {
		const listen = ready('listen', { baselineRecorded: false, measurement: null, followUps: [] });
		expect(checkTransition(editor, listen, 'solve', { now: NOW })).toEqual({
			ok: true,
			effects: [{ type: 'record_baseline' }]
		});
		const solve = { ...listen, stage: 'solve' as const, baselineRecorded: true };
		expect(checkTransition(editor, solve, 'measure', { now: NOW })).toEqual({ ok: true, effects: [] });
		const measure = { ...solve, stage: 'measure' as const };
		expect(checkTransition(editor, measure, 'follow_up', { now: NOW })).toEqual({
			ok: true,
			effects: [{ type: 'record_measurement' }, { type: 'create_follow_ups', itemIds: ['i1'] }]
		});
		const followUp = ready('follow_up');
		expect(checkTransition(editor, followUp, 'closed', { now: NOW })).toEqual({ ok: true, effects: [] });
	});

	it('refuses moves the stage does not allow, and anything from closed', () => {
		expect(checkTransition(editor, ready('listen'), 'measure', { now: NOW })).toEqual({
			ok: false,
			reasons: [{ code: 'transition_not_allowed', params: { from: 'listen', to: 'measure' } }]
		});
		expect(codes(checkTransition(editor, ready('follow_up'), 'measure', { now: NOW }))).toEqual([
			'transition_not_allowed'
		]);
		expect(codes(checkTransition(owner, ready('closed'), 'listen', { now: NOW }))).toEqual(['loop_finished']);
		expect(
			codes(checkTransition(owner, ready('closed'), 'cancelled', { now: NOW, reason: 'duplicate' }))
		).toEqual(['loop_finished']);
		for (const stage of LOOP_STAGES) expect(TRANSITIONS[stage]).not.toContain(stage);
	});

	it('listen needs a touchpoint and evidence or a written problem', () => {
		expect(checkTransition(editor, loop(), 'solve', { now: NOW })).toEqual({
			ok: false,
			reasons: [
				{ code: 'missing_touchpoint', params: {} },
				{ code: 'missing_evidence_or_problem', params: {} }
			]
		});
		const written = loop({ touchpointIds: ['tp1'], problem: '  Trains leave late  ' });
		expect(checkTransition(editor, written, 'solve', { now: NOW }).ok).toBe(true);
		expect(
			codes(checkTransition(editor, loop({ touchpointIds: ['tp1'], problem: '   ' }), 'solve', { now: NOW }))
		).toEqual(['missing_evidence_or_problem']);
	});

	it('solve needs both needs, a live action and the baseline', () => {
		const solve = loop({ stage: 'solve', actions: [{ id: 'a1', ownerId: null, status: 'cancelled' }] });
		expect(codes(checkTransition(editor, solve, 'measure', { now: NOW }))).toEqual([
			'missing_rational_need',
			'missing_emotional_need',
			'missing_action',
			'missing_baseline'
		]);
	});

	it('measure needs settled actions, one done, and the after window elapsed or a measure taken', () => {
		const measuring = ready('measure', {
			actions: [
				{ id: 'a1', ownerId: 'staff', status: 'done' },
				{ id: 'a2', ownerId: 'staff', status: 'doing' },
				{ id: 'a3', ownerId: 'staff', status: 'blocked' }
			],
			measurement: null,
			afterWindowEnd: null
		});
		expect(checkTransition(editor, measuring, 'follow_up', { now: NOW })).toEqual({
			ok: false,
			reasons: [
				{ code: 'actions_pending', params: { count: 2 } },
				{ code: 'after_window_running', params: { until: null } }
			]
		});
		const allCancelled = ready('measure', { actions: [{ id: 'a1', ownerId: null, status: 'cancelled' }] });
		expect(codes(checkTransition(editor, allCancelled, 'follow_up', { now: NOW }))).toEqual([
			'no_action_done'
		]);
		const waiting = ready('measure', { measurement: null, afterWindowEnd: NOW + 1000 });
		expect(checkTransition(editor, waiting, 'follow_up', { now: NOW })).toEqual({
			ok: false,
			reasons: [{ code: 'after_window_running', params: { until: NOW + 1000 } }]
		});
		// Elapsed: the measure is taken on leaving.
		expect(checkTransition(editor, waiting, 'follow_up', { now: NOW + 1000 })).toMatchObject({
			ok: true,
			effects: [{ type: 'record_measurement' }]
		});
		// Measured explicitly before the window ended: no wait.
		const measured = ready('measure', {
			measurement: { verdict: 'no_clear_change' },
			afterWindowEnd: NOW + 1000
		});
		expect(checkTransition(editor, measured, 'follow_up', { now: NOW }).ok).toBe(true);
	});

	it('follow_up needs every customer answered or waived, proactive ones included', () => {
		const followUp = ready('follow_up', {
			evidence: [
				{ itemId: 'i1', customerRef: true },
				{ itemId: 'i2', customerRef: true },
				{ itemId: 'i3', customerRef: false }
			],
			followUps: [
				{ id: 'f1', itemId: 'i1', assigneeId: null, status: 'waived' },
				{ id: 'f2', itemId: null, assigneeId: null, status: 'todo' }
			]
		});
		expect(pendingFollowUps(followUp)).toBe(2);
		expect(checkTransition(editor, followUp, 'closed', { now: NOW })).toEqual({
			ok: false,
			reasons: [{ code: 'follow_ups_pending', params: { count: 2 } }]
		});
	});

	it('measure → solve when the effect is not an improvement; solve → listen always', () => {
		const worse = ready('measure', { measurement: { verdict: 'worse' } });
		expect(checkTransition(editor, worse, 'solve', { now: NOW })).toEqual({
			ok: true,
			effects: [{ type: 'clear_measurement' }]
		});
		expect(checkTransition(editor, ready('measure', { measurement: null }), 'solve', { now: NOW })).toEqual({
			ok: true,
			effects: []
		});
		expect(checkTransition(editor, ready('measure'), 'solve', { now: NOW })).toEqual({
			ok: false,
			reasons: [{ code: 'effect_improved', params: {} }]
		});
		expect(checkTransition(editor, loop({ stage: 'solve' }), 'listen', { now: NOW })).toEqual({
			ok: true,
			effects: []
		});
	});

	it('re-entering solve keeps the first baseline', () => {
		const back = ready('listen');
		expect(checkTransition(editor, back, 'solve', { now: NOW })).toEqual({ ok: true, effects: [] });
	});

	it('cancelling and reopening need the loop owner or a workspace owner, and a reason', () => {
		const open = ready('solve');
		expect(codes(checkTransition(editor, open, 'cancelled', { now: NOW, reason: 'duplicate' }))).toEqual([
			'not_loop_owner'
		]);
		expect(checkTransition(loopOwner, open, 'cancelled', { now: NOW, reason: ' no ' })).toEqual({
			ok: false,
			reasons: [{ code: 'reason_required', params: { min: 3 } }]
		});
		expect(checkTransition(loopOwner, open, 'cancelled', { now: NOW, reason: 'duplicate' }).ok).toBe(true);
		expect(checkTransition(owner, open, 'cancelled', { now: NOW, reason: 'duplicate' }).ok).toBe(true);
		const cancelled = ready('cancelled');
		expect(checkTransition(owner, cancelled, 'listen', { now: NOW, reason: 'it is back' }).ok).toBe(true);
		expect(codes(checkTransition(owner, cancelled, 'solve', { now: NOW, reason: 'it is back' }))).toEqual([
			'transition_not_allowed'
		]);
	});

	it('viewers move nothing, even the loop they own', () => {
		const viewerOwned = ready('listen', { ownerId: 'vi' });
		expect(checkTransition(viewer, viewerOwned, 'solve', { now: NOW })).toEqual({
			ok: false,
			reasons: [{ code: 'forbidden_role', params: { required: 'editor' } }]
		});
		expect(
			codes(checkTransition(viewer, viewerOwned, 'cancelled', { now: NOW, reason: 'duplicate' }))
		).toEqual(['not_loop_owner']);
	});

	it('lists the moves with their decisions, and the checklist of the stage', () => {
		const moves = availableTransitions(editor, loop({ touchpointIds: ['tp1'] }), NOW);
		expect(moves.map((m) => [m.to, codes(m.decision)])).toEqual([
			['solve', ['missing_evidence_or_problem']],
			['cancelled', ['not_loop_owner']]
		]);
		expect(exitRequirements(loop({ touchpointIds: ['tp1'] }), NOW).map((r) => [r.code, r.met])).toEqual([
			['missing_touchpoint', true],
			['missing_evidence_or_problem', false]
		]);
		expect(exitRequirements(ready('closed'), NOW)).toEqual([]);
	});
});

describe('permissions', () => {
	const solving = ready('solve', {
		actions: [
			{ id: 'a1', ownerId: 'staff', status: 'doing' },
			{ id: 'a2', ownerId: 'ed', status: 'todo' }
		],
		followUps: [{ id: 'f1', itemId: 'i1', assigneeId: 'staff', status: 'todo' }]
	});

	it('everyone reads; editors create and edit; viewers do not', () => {
		expect(authorize(viewer, solving, { kind: 'read' })).toEqual({ ok: true });
		expect(authorize(editor, null, { kind: 'create' })).toEqual({ ok: true });
		expect(authorize(viewer, null, { kind: 'create' })).toEqual({
			ok: false,
			reasons: [{ code: 'forbidden_role', params: { required: 'editor' } }]
		});
		for (const op of [
			{ kind: 'edit' },
			{ kind: 'action:create' },
			{ kind: 'action:edit', actionId: 'a1' },
			{ kind: 'action:delete', actionId: 'a1' },
			{ kind: 'follow_up:create' },
			{ kind: 'follow_up:assign', followUpId: 'f1' }
		] as const) {
			expect(authorize(editor, solving, op).ok, op.kind).toBe(true);
			expect(codes(authorize(staff, solving, op)), op.kind).toEqual(['forbidden_role']);
		}
	});

	it('action owners update their own actions, whatever their role, and no one else’s', () => {
		expect(authorize(staff, solving, { kind: 'action:status', actionId: 'a1' })).toEqual({ ok: true });
		expect(authorize(staff, solving, { kind: 'action:note', actionId: 'a1' })).toEqual({ ok: true });
		expect(authorize(staff, solving, { kind: 'action:status', actionId: 'a2' })).toEqual({
			ok: false,
			reasons: [{ code: 'not_action_owner', params: { actionId: 'a2' } }]
		});
		expect(authorize(viewer, solving, { kind: 'action:note', actionId: 'a1' }).ok).toBe(false);
		expect(authorize(editor, solving, { kind: 'action:status', actionId: 'a1' }).ok).toBe(true);
		expect(authorize(editor, solving, { kind: 'action:status', actionId: 'zz' })).toEqual({
			ok: false,
			reasons: [{ code: 'unknown_action', params: { actionId: 'zz' } }]
		});
	});

	it('follow-up assignees record and waive theirs; a waiver needs a reason', () => {
		expect(authorize(staff, solving, { kind: 'follow_up:record', followUpId: 'f1' })).toEqual({ ok: true });
		expect(authorize(viewer, solving, { kind: 'follow_up:record', followUpId: 'f1' })).toEqual({
			ok: false,
			reasons: [{ code: 'not_follow_up_assignee', params: { followUpId: 'f1' } }]
		});
		expect(
			codes(authorize(staff, solving, { kind: 'follow_up:waive', followUpId: 'f1', reason: '' }))
		).toEqual(['reason_required']);
		expect(
			authorize(staff, solving, { kind: 'follow_up:waive', followUpId: 'f1', reason: 'Customer unreachable' })
				.ok
		).toBe(true);
		expect(codes(authorize(editor, solving, { kind: 'follow_up:record', followUpId: 'nope' }))).toEqual([
			'unknown_follow_up'
		]);
	});

	it('stages limit what changes: actions are planned in solve, statuses frozen after measure', () => {
		const measuring = { ...solving, stage: 'measure' as const };
		expect(authorize(editor, measuring, { kind: 'action:create' })).toEqual({
			ok: false,
			reasons: [{ code: 'wrong_stage', params: { stage: 'measure', allowed: 'solve' } }]
		});
		expect(authorize(editor, measuring, { kind: 'action:edit', actionId: 'a1' }).ok).toBe(true);
		expect(authorize(staff, measuring, { kind: 'action:status', actionId: 'a1' }).ok).toBe(true);
		const following = { ...solving, stage: 'follow_up' as const };
		expect(codes(authorize(staff, following, { kind: 'action:status', actionId: 'a1' }))).toEqual([
			'wrong_stage'
		]);
		expect(authorize(staff, following, { kind: 'action:note', actionId: 'a1' }).ok).toBe(true);
		expect(authorize(staff, following, { kind: 'follow_up:record', followUpId: 'f1' }).ok).toBe(true);
	});

	it('closed and cancelled loops are read-only; deleting is for the loop owner or a workspace owner', () => {
		const closed = { ...solving, stage: 'closed' as const };
		expect(authorize(editor, closed, { kind: 'edit' })).toEqual({
			ok: false,
			reasons: [{ code: 'loop_finished', params: { stage: 'closed' } }]
		});
		expect(codes(authorize(staff, closed, { kind: 'action:note', actionId: 'a1' }))).toEqual([
			'loop_finished'
		]);
		expect(authorize(viewer, closed, { kind: 'read' }).ok).toBe(true);
		expect(authorize(owner, closed, { kind: 'delete' }).ok).toBe(true);
		expect(authorize(loopOwner, closed, { kind: 'delete' }).ok).toBe(true);
		expect(codes(authorize(editor, closed, { kind: 'delete' }))).toEqual(['not_loop_owner']);
	});

	it('actions are settled when all are done or cancelled and one is done', () => {
		expect(actionsSettled([])).toBe(false);
		expect(actionsSettled([{ id: 'a', ownerId: null, status: 'cancelled' }])).toBe(false);
		expect(
			actionsSettled([
				{ id: 'a', ownerId: null, status: 'cancelled' },
				{ id: 'b', ownerId: null, status: 'done' }
			])
		).toBe(true);
		expect(
			actionsSettled([
				{ id: 'a', ownerId: null, status: 'blocked' },
				{ id: 'b', ownerId: null, status: 'done' }
			])
		).toBe(false);
	});
});
