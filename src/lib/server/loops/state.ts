/**
 * What every loop service needs: the actor as the rules see them, a loop's rows and its facts for the
 * rules, refusals turned into translated errors, the touchpoints' window metrics from `feedback`, and the
 * timeline. Shared by the mutations (`../loops.ts`) and the reads (`./read.ts`).
 */
import { and, asc, eq, gte, inArray, lt, sql } from 'drizzle-orm';
import type { MessageKey } from '../../i18n';
import {
	emptyMetricSums,
	normaliseRating,
	snapshotFromSums,
	type Actor as RulesActor,
	type Decision,
	type LoopFacts,
	type LoopStage,
	type MetricSnapshot,
	type Refusal,
	type TimeWindow,
	type TransitionDecision,
	type Verdict
} from '../../loops';
import type { RatingKind } from '../../feedback/types';
import { isId, roleIn, type Actor } from '../access';
import type { Db } from '../db';
import { feedback, followUp, loop, loopAction, loopEvent, loopItem } from '../db/schema';
import { AppError, notFound, unauthenticated } from '../errors';

export type Tx = Db;

/** Runs `fn` in a transaction; the transaction handle is used as a `Db` like elsewhere in the server. */
export function inTransaction<T>(db: Db, fn: (tx: Tx) => Promise<T>): Promise<T> {
	return db.transaction((t) => fn(t as unknown as Db));
}

/** The member as the rules see them; a stranger to the workspace gets a 404 (nothing is revealed). */
export async function ruleActor(db: Db, actor: Actor, workspaceId: string): Promise<RulesActor> {
	if (!actor) throw unauthenticated();
	if (!isId(workspaceId)) throw notFound();
	const role = await roleIn(db, actor.id, workspaceId);
	if (!role) throw notFound();
	return { userId: actor.id, role };
}

export interface LoopState {
	row: typeof loop.$inferSelect;
	items: Array<{ feedbackId: string; customerRef: boolean }>;
	actions: Array<typeof loopAction.$inferSelect>;
	followUps: Array<typeof followUp.$inferSelect>;
}

/** A customer can be answered when the item names them by an id or gives a way to reach them. */
export const customerRefSql = sql<boolean>`(coalesce(${feedback.customerId}, '') <> '' or coalesce(${feedback.customerContact}, '') <> '')`;

/** The loop with its evidence, actions and follow-ups; 404 unless it is in the workspace. With `lock`, the loop row is locked for the transaction. */
export async function loadState(
	db: Db,
	workspaceId: string,
	loopId: string,
	lock = false
): Promise<LoopState> {
	if (!isId(loopId)) throw notFound();
	const query = db
		.select()
		.from(loop)
		.where(and(eq(loop.id, loopId), eq(loop.workspaceId, workspaceId)));
	const [row] = lock ? await query.for('update') : await query;
	if (!row) throw notFound();
	const [items, actions, followUps] = await Promise.all([
		db
			.select({ feedbackId: loopItem.feedbackId, customerRef: customerRefSql })
			.from(loopItem)
			.innerJoin(feedback, eq(feedback.id, loopItem.feedbackId))
			.where(eq(loopItem.loopId, loopId))
			.orderBy(asc(loopItem.addedAt)),
		db
			.select()
			.from(loopAction)
			.where(eq(loopAction.loopId, loopId))
			.orderBy(asc(loopAction.position), asc(loopAction.createdAt)),
		db.select().from(followUp).where(eq(followUp.loopId, loopId)).orderBy(asc(followUp.createdAt))
	]);
	return { row, items, actions, followUps };
}

export function factsOf(state: LoopState): LoopFacts {
	const { row } = state;
	const measurement = row.measurement as { verdict: Verdict } | null;
	return {
		stage: row.stage,
		ownerId: row.ownerId,
		touchpointIds: row.touchpointIds,
		problem: row.problem,
		evidence: state.items.map((i) => ({ itemId: i.feedbackId, customerRef: !!i.customerRef })),
		rationalNeed: row.rationalNeed,
		emotionalNeed: row.emotionalNeed,
		actions: state.actions.map((a) => ({ id: a.id, ownerId: a.ownerId, status: a.status })),
		baselineRecorded: row.baseline !== null,
		measurement: measurement ? { verdict: measurement.verdict } : null,
		afterWindowEnd: row.afterWindowEnd?.getTime() ?? null,
		followUps: state.followUps.map((f) => ({
			id: f.id,
			itemId: f.feedbackId,
			assigneeId: f.assigneeId,
			status: f.status
		}))
	};
}

const PERMISSION_CODES = new Set<Refusal['code']>([
	'forbidden_role',
	'not_action_owner',
	'not_follow_up_assignee',
	'not_loop_owner'
]);

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** A refusal's parameters as message parameters (dates as days, absent values as an empty string). */
export function refusalParams(r: Refusal): Record<string, string | number> {
	const params: Record<string, string | number> = {};
	for (const [k, v] of Object.entries(r.params as Record<string, unknown>)) {
		if (typeof v === 'number') params[k] = k === 'until' ? day(v) : v;
		else params[k] = v === null || v === undefined ? '' : String(v);
	}
	return params;
}

/** The first reason of a refusal as an error: permission 403, unknown 404, a missing reason 400, the rest 409. */
export function refusalError(r: Refusal): AppError {
	const status = PERMISSION_CODES.has(r.code)
		? 403
		: r.code === 'unknown_action' || r.code === 'unknown_follow_up'
			? 404
			: r.code === 'reason_required'
				? 400
				: 409;
	return new AppError(status, `loops.refusal.${r.code}` as MessageKey, refusalParams(r));
}

export function allow(decision: Decision | TransitionDecision): void {
	if (!decision.ok) throw refusalError(decision.reasons[0]);
}

/**
 * The loop's touchpoints' metrics over a window, from the analysed items of the journey (not spam).
 * The stored score is on -2..+2; measure wants the analysis strength in [-1, 1], hence the halving.
 */
export async function windowSnapshot(
	db: Db,
	scope: { journeyId: string; touchpointIds: readonly string[] },
	window: TimeWindow
): Promise<MetricSnapshot> {
	const sums = emptyMetricSums();
	if (scope.touchpointIds.length === 0) return snapshotFromSums(sums, window);
	const where = and(
		eq(feedback.journeyId, scope.journeyId),
		inArray(feedback.touchpointId, [...scope.touchpointIds]),
		eq(feedback.status, 'done'),
		eq(feedback.spam, false),
		gte(feedback.receivedAt, new Date(window.from)),
		lt(feedback.receivedAt, new Date(window.to))
	);
	const strength = sql`greatest(-1.0, least(1.0, coalesce(${feedback.score}, 0) / 2.0))`;
	const [totals] = await db
		.select({
			volume: sql<number>`count(*)::int`,
			scoreSum: sql<string>`coalesce(sum(${strength}), 0)::float8`,
			scoreSumSq: sql<string>`coalesce(sum(${strength} * ${strength}), 0)::float8`,
			negative: sql<number>`(count(*) filter (where ${feedback.polarity} = 'negative'))::int`
		})
		.from(feedback)
		.where(where);
	sums.volume = Number(totals.volume);
	sums.scoreSum = Number(totals.scoreSum);
	sums.scoreSumSq = Number(totals.scoreSumSq);
	sums.negative = Number(totals.negative);
	// Few distinct (kind, value) pairs: normalised here by the same function the rest of measure uses.
	const ratings = await db
		.select({
			kind: feedback.ratingKind,
			value: feedback.ratingValue,
			n: sql<number>`count(*)::int`
		})
		.from(feedback)
		.where(and(where, sql`${feedback.ratingKind} is not null and ${feedback.ratingValue} is not null`))
		.groupBy(feedback.ratingKind, feedback.ratingValue);
	for (const r of ratings) {
		const value = normaliseRating({ kind: r.kind as RatingKind, value: Number(r.value) });
		if (value === null) continue;
		const n = Number(r.n);
		sums.ratings += n;
		sums.ratingSum += n * value;
		sums.ratingSumSq += n * value * value;
	}
	return snapshotFromSums(sums, window);
}

/** Timeline kinds; the first six are the `LoopEvent` history `loopMetrics` replays. */
export type TimelineType =
	| 'created'
	| 'stage_changed'
	| 'measured'
	| 'follow_up_created'
	| 'follow_up_done'
	| 'follow_up_waived'
	| 'edited'
	| 'item_linked'
	| 'item_unlinked'
	| 'action_added'
	| 'action_edited'
	| 'action_status'
	| 'action_note'
	| 'action_deleted'
	| 'follow_up_assigned';

export interface TimelineEntry {
	type: TimelineType;
	actionId?: string | null;
	followUpId?: string | null;
	data?: Record<string, unknown>;
}

export async function logEvents(
	db: Db,
	loopId: string,
	actorId: string | null,
	entries: TimelineEntry[],
	at: Date = new Date()
): Promise<void> {
	if (!entries.length) return;
	await db.insert(loopEvent).values(
		entries.map((e) => ({
			loopId,
			actorId,
			type: e.type,
			actionId: e.actionId ?? null,
			followUpId: e.followUpId ?? null,
			data: e.data ?? {},
			createdAt: at
		}))
	);
}

export function stageEntry(from: LoopStage, to: LoopStage, reason?: string | null): TimelineEntry {
	return { type: 'stage_changed', data: reason ? { from, to, reason } : { from, to } };
}
