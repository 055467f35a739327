/**
 * Loops of a workspace: create, move through listen → solve → measure → follow up, evidence, actions and
 * follow-ups. The rules come from `$lib/loops`: this module gathers a loop's facts, asks them, applies
 * the effects they return in the same transaction (baseline, measure, follow-up tasks), records the
 * timeline, and after the commit tells the others (`loop:changed`, notifications, webhooks).
 */
import { and, eq, inArray, isNull, max } from 'drizzle-orm';
import type { MessageKey } from '../i18n';
import {
	actionsSettled,
	afterWindow,
	authorize,
	baselineWindow,
	checkTransition,
	compareSnapshots,
	LOOP_STAGES,
	validateActionInput,
	validateFollowUpRecord,
	validateLoopInput,
	validateNote,
	validateReason,
	type ActionInput,
	type FollowUpRecordInput,
	type LoopFieldIssue,
	type LoopStage,
	type MetricSnapshot,
	type WebhookEventType
} from '../loops';
import { DUE_YEARS, isDay, isDueDay } from '../feedback/live';
import { isId, type Actor } from './access';
import type { Db } from './db';
import { alert, feedback, followUp, journey, loop, loopAction, loopItem, membership } from './db/schema';
import { AppError, invalid, notFound } from './errors';
import { emit } from './events';
import { loadJourneySnapshot } from './journeys';
import {
	allow,
	customerRefSql,
	factsOf,
	inTransaction,
	loadState,
	logEvents,
	ruleActor,
	stageEntry,
	windowSnapshot,
	type LoopState,
	type TimelineEntry,
	type Tx
} from './loops/state';
import { notify } from './notifications';
import { enqueueWebhookEvent } from './webhooks';

export {
	getLoop,
	itemsForLoop,
	journeyLoopMetrics,
	listLoops,
	loopMembers,
	openLoopsOfJourney,
	type LoopDetail,
	type LoopFilters,
	type LoopListRow
} from './loops/read';

export interface NewLoop {
	journeyId: string;
	title: string;
	problem?: string;
	touchpointIds: string[];
	motive?: string | null;
	ownerId?: string | null;
	/** Feedback items to link as evidence. */
	itemIds?: string[];
	/** The alert the loop is opened from. */
	alertId?: string | null;
}

/** Window lengths a user may choose, in days. */
export const WINDOW_DAYS = { min: 1, max: 365 } as const;
/** Customers pasted at once for proactive follow-ups. */
export const MAX_PROACTIVE = 500;
const MAX_ITEMS = 500;

/** What happens after the commit: notifications, webhooks, the `loop:changed` event. */
interface Aftermath {
	notifications: Array<Parameters<typeof notify>[1]>;
	webhooks: Array<{ type: WebhookEventType; data: Record<string, unknown> }>;
}

const aftermath = (): Aftermath => ({ notifications: [], webhooks: [] });

async function settle(
	db: Db,
	ref: { workspaceId: string; journeyId: string; loopId: string },
	after: Aftermath
): Promise<void> {
	emit('loop:changed', ref);
	for (const n of after.notifications) await notify(db, n);
	for (const w of after.webhooks) await enqueueWebhookEvent(db, ref.workspaceId, w.type, w.data);
}

function fieldError(issues: LoopFieldIssue[]): AppError {
	const issue = issues[0];
	const field = issue.field.replace(/\[\d+\]$/, '');
	return invalid(field, `loops.field.${issue.code}` as MessageKey, {
		field,
		limit: issue.limit ?? 0
	});
}

async function requireMember(db: Db, workspaceId: string, userId: string | null, field: string) {
	if (userId === null) return;
	if (!isId(userId)) throw invalid(field, 'loops.error.notMember');
	const [row] = await db
		.select({ userId: membership.userId })
		.from(membership)
		.where(and(eq(membership.workspaceId, workspaceId), eq(membership.userId, userId)));
	if (!row) throw invalid(field, 'loops.error.notMember');
}

async function requireTouchpoints(db: Db, journeyId: string, ids: readonly string[]) {
	if (!ids.length) return;
	const snapshot = await loadJourneySnapshot(db, journeyId);
	const known = new Set(snapshot?.touchpoints.map((t) => t.id) ?? []);
	const unknown = ids.find((id) => !known.has(id));
	if (unknown !== undefined) throw invalid('touchpointIds', 'loops.error.touchpoint', { id: unknown });
}

async function journeyOf(db: Db, workspaceId: string, journeyId: unknown) {
	if (!isId(journeyId)) throw invalid('journeyId', 'loops.error.journey');
	const [row] = await db
		.select({ id: journey.id, title: journey.title })
		.from(journey)
		.where(and(eq(journey.id, journeyId), eq(journey.workspaceId, workspaceId)));
	if (!row) throw invalid('journeyId', 'loops.error.journey');
	return row;
}

async function journeyTitle(db: Db, journeyId: string): Promise<string> {
	const [row] = await db.select({ title: journey.title }).from(journey).where(eq(journey.id, journeyId));
	return row?.title ?? '';
}

const loopLink = (workspaceId: string, loopId: string) => `/w/${workspaceId}/loops/${loopId}`;

const itemColumns = {
	id: feedback.id,
	journeyId: feedback.journeyId,
	receivedAt: feedback.receivedAt,
	customerId: feedback.customerId,
	customerName: feedback.customerName,
	customerContact: feedback.customerContact,
	customerRef: customerRefSql
};

/** Items to link: ids of analysed-or-not items of the workspace on the loop's journey. */
async function itemsToLink(db: Db, workspaceId: string, journeyId: string, itemIds: readonly string[]) {
	if (itemIds.length > MAX_ITEMS) throw invalid('itemIds', 'loops.field.too_many', { limit: MAX_ITEMS });
	const bad = itemIds.find((id) => !isId(id));
	if (bad !== undefined) throw invalid('itemIds', 'loops.error.item');
	if (!itemIds.length) return [];
	const rows = await db
		.select(itemColumns)
		.from(feedback)
		.where(and(eq(feedback.workspaceId, workspaceId), inArray(feedback.id, [...itemIds])));
	if (rows.length !== new Set(itemIds).size) throw invalid('itemIds', 'loops.error.item');
	if (rows.some((r) => r.journeyId !== journeyId)) throw invalid('itemIds', 'loops.error.itemJourney');
	return rows;
}

type ItemRow = Awaited<ReturnType<typeof itemsToLink>>[number];

/**
 * The loop's own evidence among `itemIds`, for follow-ups: linked once, an item stays evidence even when a
 * correction moved it to another journey, and there is no cap (the cap is on what a user links at once).
 */
async function linkedRows(tx: Tx, loopId: string, itemIds: readonly string[]): Promise<ItemRow[]> {
	if (!itemIds.length) return [];
	return tx
		.select(itemColumns)
		.from(loopItem)
		.innerJoin(feedback, eq(feedback.id, loopItem.feedbackId))
		.where(and(eq(loopItem.loopId, loopId), inArray(loopItem.feedbackId, [...itemIds])));
}

/** Links items with the touchpoints' metrics of the days before now, as the issue asks for evidence. */
async function linkRows(
	tx: Tx,
	state: Pick<LoopState, 'row'>,
	actorId: string,
	rows: ItemRow[],
	at: Date
): Promise<string[]> {
	if (!rows.length) return [];
	const metrics = await windowSnapshot(tx, state.row, baselineWindow(at.getTime(), state.row.baselineDays));
	const inserted = await tx
		.insert(loopItem)
		.values(
			rows.map((r) => ({ loopId: state.row.id, feedbackId: r.id, metrics, addedBy: actorId, addedAt: at }))
		)
		.onConflictDoNothing()
		.returning({ id: loopItem.feedbackId });
	return inserted.map((r) => r.id);
}

/** Follow-up tasks for items, assigned to the loop's owner; returns the timeline entries and notifications. */
async function createItemFollowUps(
	tx: Tx,
	state: LoopState,
	rows: ItemRow[],
	actorId: string,
	after: Aftermath,
	at: Date
): Promise<TimelineEntry[]> {
	const covered = new Set(state.followUps.map((f) => f.feedbackId));
	const todo = rows.filter((r) => r.customerRef && !covered.has(r.id));
	if (!todo.length) return [];
	const assigneeId = state.row.ownerId;
	const created = await tx
		.insert(followUp)
		.values(
			todo.map((r) => ({
				loopId: state.row.id,
				workspaceId: state.row.workspaceId,
				feedbackId: r.id,
				customerId: r.customerId,
				customerName: r.customerName,
				customerContact: r.customerContact,
				spokeAt: r.receivedAt,
				assigneeId,
				createdAt: at
			}))
		)
		.onConflictDoNothing()
		.returning();
	await followUpAssigned(tx, state, created, actorId, after);
	return created.map((f) => ({
		type: 'follow_up_created' as const,
		followUpId: f.id,
		data: { spokeAt: f.spokeAt?.getTime() ?? null, customerName: f.customerName }
	}));
}

/** Names of the first customers of a batch, then how many more. */
function customerNames(rows: Array<typeof followUp.$inferSelect>): string {
	const names = rows.map((f) => f.customerName ?? f.customerContact ?? '');
	return names.length > 3 ? `${names.slice(0, 3).join(', ')} (+${names.length - 3})` : names.join(', ');
}

/** One notification per assignee for a batch of follow-ups, naming its first customers. */
async function followUpAssigned(
	db: Db,
	state: LoopState,
	rows: Array<typeof followUp.$inferSelect>,
	actorId: string,
	after: Aftermath
) {
	const byAssignee = new Map<string, Array<typeof followUp.$inferSelect>>();
	for (const f of rows)
		if (f.assigneeId) byAssignee.set(f.assigneeId, [...(byAssignee.get(f.assigneeId) ?? []), f]);
	if (!byAssignee.size) return;
	const title = await journeyTitle(db, state.row.journeyId);
	for (const [assigneeId, theirs] of byAssignee)
		after.notifications.push({
			workspaceId: state.row.workspaceId,
			kind: 'follow_up_assigned',
			actorId,
			userIds: [assigneeId],
			data: { loopTitle: state.row.title, customerName: customerNames(theirs), journeyTitle: title },
			link: loopLink(state.row.workspaceId, state.row.id)
		});
}

async function actionAssigned(
	db: Db,
	state: LoopState,
	action: typeof loopAction.$inferSelect,
	actorId: string,
	after: Aftermath
) {
	if (!action.ownerId) return;
	const journey = await journeyTitle(db, state.row.journeyId);
	after.notifications.push({
		workspaceId: state.row.workspaceId,
		kind: 'action_assigned',
		actorId,
		userIds: [action.ownerId],
		data: {
			loopTitle: state.row.title,
			actionTitle: action.title,
			journeyTitle: journey,
			dueDate: action.dueDate
		},
		link: loopLink(state.row.workspaceId, state.row.id)
	});
	after.webhooks.push({
		type: 'loop.action_assigned',
		data: {
			loopId: state.row.id,
			journeyId: state.row.journeyId,
			actionId: action.id,
			title: action.title,
			ownerId: action.ownerId,
			dueDate: action.dueDate
		}
	});
}

/**
 * Runs one change of a loop: locks it, checks the actor, runs `fn` in a transaction, then tells the
 * others. `fn` returns timeline entries; the aftermath collects what goes out after the commit.
 */
async function change<T>(
	db: Db,
	actor: Actor,
	workspaceId: string,
	loopId: string,
	fn: (
		tx: Tx,
		state: LoopState,
		who: { userId: string; role: 'owner' | 'editor' | 'viewer' },
		after: Aftermath
	) => Promise<{ entries: TimelineEntry[]; result: T }>,
	at: Date = new Date()
): Promise<T> {
	const who = await ruleActor(db, actor, workspaceId);
	const after = aftermath();
	const { result, state } = await inTransaction(db, async (tx) => {
		const state = await loadState(tx, workspaceId, loopId, true);
		const { entries, result } = await fn(tx, state, who, after);
		await logEvents(tx, state.row.id, who.userId, entries, at);
		await tx.update(loop).set({ updatedAt: at }).where(eq(loop.id, state.row.id));
		return { result, state };
	});
	await settle(db, { workspaceId, journeyId: state.row.journeyId, loopId: state.row.id }, after);
	return result;
}

export async function createLoop(
	db: Db,
	actor: Actor,
	workspaceId: string,
	input: NewLoop,
	at: Date = new Date()
): Promise<{ id: string }> {
	const who = await ruleActor(db, actor, workspaceId);
	allow(authorize(who, null, { kind: 'create' }));
	const checked = validateLoopInput(
		{
			title: input.title,
			problem: input.problem ?? '',
			touchpointIds: input.touchpointIds,
			motive: input.motive ?? null,
			ownerId: input.ownerId ?? null
		},
		'create'
	);
	if (!checked.ok) throw fieldError(checked.issues);
	const value = checked.value;
	const j = await journeyOf(db, workspaceId, input.journeyId);
	await requireTouchpoints(db, j.id, value.touchpointIds);
	const ownerId = value.ownerId ?? who.userId;
	await requireMember(db, workspaceId, ownerId, 'ownerId');
	const items = await itemsToLink(db, workspaceId, j.id, input.itemIds ?? []);
	let alertId: string | null = null;
	if (input.alertId !== undefined && input.alertId !== null && input.alertId !== '') {
		if (!isId(input.alertId)) throw invalid('alertId', 'loops.error.alert');
		const [a] = await db
			.select({ id: alert.id })
			.from(alert)
			.where(and(eq(alert.id, input.alertId), eq(alert.workspaceId, workspaceId)));
		if (!a) throw invalid('alertId', 'loops.error.alert');
		alertId = a.id;
	}

	const row = await inTransaction(db, async (tx) => {
		const [row] = await tx
			.insert(loop)
			.values({
				workspaceId,
				journeyId: j.id,
				title: value.title,
				problem: value.problem,
				touchpointIds: value.touchpointIds,
				motive: value.motive,
				ownerId,
				alertId,
				createdBy: who.userId,
				createdAt: at,
				updatedAt: at,
				stageChangedAt: at
			})
			.returning();
		if (alertId) {
			// Claimed only if free: two quick clicks on "open a loop" must not leave two loops for one alert.
			const claimed = await tx
				.update(alert)
				.set({ loopId: row.id, updatedAt: at })
				.where(and(eq(alert.id, alertId), isNull(alert.loopId)))
				.returning({ id: alert.id });
			if (!claimed.length) throw new AppError(409, 'loops.error.alertHasLoop');
		}
		const linked = await linkRows(tx, { row }, who.userId, items, at);
		const entries: TimelineEntry[] = [{ type: 'created', data: { alertId } }];
		if (linked.length) entries.push({ type: 'item_linked', data: { itemIds: linked } });
		await logEvents(tx, row.id, who.userId, entries, at);
		return row;
	});
	const after = aftermath();
	after.webhooks.push({
		type: 'loop.created',
		data: {
			loopId: row.id,
			journeyId: row.journeyId,
			title: row.title,
			touchpointIds: row.touchpointIds,
			motive: row.motive,
			alertId: row.alertId,
			itemIds: items.map((i) => i.id)
		}
	});
	await settle(db, { workspaceId, journeyId: row.journeyId, loopId: row.id }, after);
	return { id: row.id };
}

export interface LoopPatch {
	title?: string;
	problem?: string;
	rationalNeed?: string;
	emotionalNeed?: string;
	touchpointIds?: string[];
	motive?: string | null;
	ownerId?: string | null;
	baselineDays?: number;
	afterDays?: number;
}

function windowDays(field: string, value: unknown): number {
	const n = typeof value === 'string' ? Number(value.trim()) : value;
	if (typeof n !== 'number' || !Number.isInteger(n) || n < WINDOW_DAYS.min || n > WINDOW_DAYS.max)
		throw invalid(field, 'loops.error.windowDays', WINDOW_DAYS);
	return n;
}

/** Title, problem, needs, touchpoints, motive, owner, window lengths. */
export async function editLoop(
	db: Db,
	actor: Actor,
	workspaceId: string,
	loopId: string,
	patch: LoopPatch
): Promise<void> {
	const { baselineDays, afterDays, ...rest } = patch;
	const checked = validateLoopInput(rest, 'patch');
	if (!checked.ok) throw fieldError(checked.issues);
	const days: { baselineDays?: number; afterDays?: number } = {};
	if (baselineDays !== undefined) days.baselineDays = windowDays('baselineDays', baselineDays);
	if (afterDays !== undefined) days.afterDays = windowDays('afterDays', afterDays);
	await change(db, actor, workspaceId, loopId, async (tx, state, who) => {
		allow(authorize(who, factsOf(state), { kind: 'edit' }));
		const value = checked.value;
		if (value.touchpointIds) {
			// The form sends them in page order, not necessarily the stored one.
			const sorted = (ids: readonly string[]) => JSON.stringify([...new Set(ids)].sort());
			const same = sorted(value.touchpointIds) === sorted(state.row.touchpointIds);
			// The after measure compares with the baseline: both must count the same touchpoints.
			if (!same && state.row.baseline !== null)
				throw invalid('touchpointIds', 'loops.error.touchpointsMeasured');
			await requireTouchpoints(tx, state.row.journeyId, value.touchpointIds);
		}
		if (value.ownerId !== undefined) await requireMember(tx, workspaceId, value.ownerId, 'ownerId');
		const set: Partial<typeof loop.$inferInsert> = { ...value, ...days };
		// A settled loop keeps its after window in step with its length.
		if (days.afterDays !== undefined && state.row.settledAt)
			set.afterWindowEnd = new Date(afterWindow(state.row.settledAt.getTime(), days.afterDays).to);
		const fields = Object.keys(set).filter(
			(k) =>
				JSON.stringify(set[k as keyof typeof set]) !== JSON.stringify(state.row[k as keyof typeof state.row])
		);
		if (!fields.length) return { entries: [], result: undefined };
		await tx.update(loop).set(set).where(eq(loop.id, state.row.id));
		return { entries: [{ type: 'edited', data: { fields } }], result: undefined };
	});
}

/** Adds feedback items of the loop's journey as evidence; in follow-up, customers get their task at once. */
export async function linkItems(
	db: Db,
	actor: Actor,
	workspaceId: string,
	loopId: string,
	itemIds: string[],
	at: Date = new Date()
): Promise<{ linked: number }> {
	return change(
		db,
		actor,
		workspaceId,
		loopId,
		async (tx, state, who, after) => {
			allow(authorize(who, factsOf(state), { kind: 'edit' }));
			const rows = await itemsToLink(tx, workspaceId, state.row.journeyId, itemIds);
			const linked = await linkRows(tx, state, who.userId, rows, at);
			const entries: TimelineEntry[] = linked.length
				? [{ type: 'item_linked', data: { itemIds: linked } }]
				: [];
			if (state.row.stage === 'follow_up') {
				const fresh = rows.filter((r) => linked.includes(r.id));
				entries.push(...(await createItemFollowUps(tx, state, fresh, who.userId, after, at)));
			}
			return { entries, result: { linked: linked.length } };
		},
		at
	);
}

export async function unlinkItem(
	db: Db,
	actor: Actor,
	workspaceId: string,
	loopId: string,
	itemId: string
): Promise<void> {
	await change(db, actor, workspaceId, loopId, async (tx, state, who) => {
		allow(authorize(who, factsOf(state), { kind: 'edit' }));
		if (!state.items.some((i) => i.feedbackId === itemId)) throw notFound();
		await tx.delete(loopItem).where(and(eq(loopItem.loopId, state.row.id), eq(loopItem.feedbackId, itemId)));
		return { entries: [{ type: 'item_unlinked', data: { itemId } }], result: undefined };
	});
}

function isStage(value: unknown): value is LoopStage {
	return typeof value === 'string' && (LOOP_STAGES as readonly string[]).includes(value);
}

/** Takes the after measure over `[settled_at, until)` against the stored baseline. */
async function takeMeasurement(tx: Tx, state: LoopState, until: number) {
	const baseline = state.row.baseline as MetricSnapshot | null;
	if (!baseline) throw new AppError(409, 'loops.refusal.missing_baseline');
	if (!state.row.settledAt) throw new AppError(409, 'loops.error.notSettled');
	const afterSnapshot = await windowSnapshot(tx, state.row, {
		from: state.row.settledAt.getTime(),
		to: until
	});
	const measurement = compareSnapshots(baseline, afterSnapshot);
	await tx.update(loop).set({ measurement }).where(eq(loop.id, state.row.id));
	return measurement;
}

/** Moves a loop to another stage, applying what the rules say comes with the move. */
export async function moveLoop(
	db: Db,
	actor: Actor,
	workspaceId: string,
	loopId: string,
	to: unknown,
	options: { reason?: string | null; at?: Date } = {}
): Promise<void> {
	if (!isStage(to)) throw invalid('to', 'loops.error.stage');
	const at = options.at ?? new Date();
	let reason: string | null = null;
	if (to === 'cancelled' || options.reason) {
		const r = validateReason({ reason: options.reason ?? '' });
		if (!r.ok) throw fieldError(r.issues);
		reason = r.value;
	}
	await change(
		db,
		actor,
		workspaceId,
		loopId,
		async (tx, state, who, after) => {
			const from = state.row.stage;
			const decision = checkTransition(who, factsOf(state), to, { now: at.getTime(), reason });
			allow(decision);
			if (!decision.ok) return { entries: [], result: undefined };
			const entries: TimelineEntry[] = [];
			for (const effect of decision.effects) {
				if (effect.type === 'record_baseline') {
					const baseline = await windowSnapshot(
						tx,
						state.row,
						baselineWindow(at.getTime(), state.row.baselineDays)
					);
					await tx.update(loop).set({ baseline }).where(eq(loop.id, state.row.id));
					state.row.baseline = baseline;
				} else if (effect.type === 'record_measurement') {
					// The window elapsed: the measure covers exactly the after window.
					const m = await takeMeasurement(tx, state, state.row.afterWindowEnd!.getTime());
					entries.push({ type: 'measured', data: { verdict: m.verdict, automatic: true } });
				} else if (effect.type === 'clear_measurement') {
					await tx.update(loop).set({ measurement: null }).where(eq(loop.id, state.row.id));
				} else if (effect.type === 'create_follow_ups') {
					const rows = await linkedRows(tx, state.row.id, effect.itemIds);
					entries.push(...(await createItemFollowUps(tx, state, rows, who.userId, after, at)));
				}
			}
			await tx
				.update(loop)
				.set({
					stage: to,
					stageChangedAt: at,
					closedAt: to === 'closed' ? at : null,
					cancelReason: to === 'cancelled' ? reason : null
				})
				.where(eq(loop.id, state.row.id));
			entries.unshift(stageEntry(from, to, reason));
			const data = { loopId: state.row.id, journeyId: state.row.journeyId, title: state.row.title };
			after.webhooks.push({ type: 'loop.stage_changed', data: { ...data, from, to } });
			if (to === 'closed') {
				const [m] = await tx.select({ m: loop.measurement }).from(loop).where(eq(loop.id, state.row.id));
				const verdict = (m?.m as { verdict?: string } | null)?.verdict ?? null;
				after.webhooks.push({ type: 'loop.closed', data: { ...data, verdict } });
			}
			return { entries, result: undefined };
		},
		at
	);
}

/** "Measure now": the after window from when the actions settled until now, compared with the baseline. */
export async function measureNow(
	db: Db,
	actor: Actor,
	workspaceId: string,
	loopId: string,
	at: Date = new Date()
) {
	return change(
		db,
		actor,
		workspaceId,
		loopId,
		async (tx, state, who) => {
			allow(authorize(who, factsOf(state), { kind: 'edit' }));
			if (state.row.stage !== 'measure')
				throw new AppError(409, 'loops.refusal.wrong_stage', {
					stage: state.row.stage,
					allowed: 'measure'
				});
			// Past its end, the after window stays the one the loop announced.
			const end = state.row.afterWindowEnd?.getTime() ?? Infinity;
			const m = await takeMeasurement(tx, state, Math.min(at.getTime(), end));
			return { entries: [{ type: 'measured', data: { verdict: m.verdict } }], result: m };
		},
		at
	);
}

/** Keeps `settled_at` and the after window's end in step with the actions (see `actionsSettled`). */
async function syncSettled(tx: Tx, state: LoopState, at: Date) {
	const settled = actionsSettled(state.actions);
	if (settled && !state.row.settledAt) {
		await tx
			.update(loop)
			.set({
				settledAt: at,
				afterWindowEnd: new Date(afterWindow(at.getTime(), state.row.afterDays).to)
			})
			.where(eq(loop.id, state.row.id));
	} else if (!settled && state.row.settledAt) {
		await tx.update(loop).set({ settledAt: null, afterWindowEnd: null }).where(eq(loop.id, state.row.id));
	}
}

export async function addAction(
	db: Db,
	actor: Actor,
	workspaceId: string,
	loopId: string,
	input: Partial<ActionInput>,
	at: Date = new Date()
): Promise<{ id: string }> {
	const checked = validateActionInput(input, 'create');
	if (!checked.ok) throw fieldError(checked.issues);
	return change(
		db,
		actor,
		workspaceId,
		loopId,
		async (tx, state, who, after) => {
			allow(authorize(who, factsOf(state), { kind: 'action:create' }));
			await requireMember(tx, workspaceId, checked.value.ownerId, 'ownerId');
			const [{ last }] = await tx
				.select({ last: max(loopAction.position) })
				.from(loopAction)
				.where(eq(loopAction.loopId, state.row.id));
			const [row] = await tx
				.insert(loopAction)
				.values({
					loopId: state.row.id,
					workspaceId,
					...checked.value,
					position: (last ?? -1) + 1,
					doneAt: checked.value.status === 'done' ? at : null,
					createdBy: who.userId,
					createdAt: at,
					updatedAt: at
				})
				.returning();
			state.actions.push(row);
			await syncSettled(tx, state, at);
			await actionAssigned(tx, state, row, who.userId, after);
			return {
				entries: [{ type: 'action_added', actionId: row.id, data: { title: row.title } }],
				result: { id: row.id }
			};
		},
		at
	);
}

const OWNED = { action: loopAction, followUp } as const;

/**
 * `change` for a loop's action or follow-up named by its own id (My actions calls these with the
 * workspace of its URL): a row of another workspace is a 404.
 */
async function changeOwned<T>(
	db: Db,
	actor: Actor,
	workspaceId: string,
	kind: keyof typeof OWNED,
	id: string,
	fn: Parameters<typeof change<T>>[4],
	at: Date = new Date()
): Promise<T> {
	await ruleActor(db, actor, workspaceId);
	if (!isId(id)) throw notFound();
	const table = OWNED[kind] as typeof loopAction;
	const [row] = await db
		.select({ loopId: table.loopId })
		.from(table)
		.where(and(eq(table.id, id), eq(table.workspaceId, workspaceId)));
	if (!row) throw notFound();
	return change(db, actor, workspaceId, row.loopId, fn, at);
}

/** Status, title, owner or due date of an action (action owners may change its status). */
export async function updateAction(
	db: Db,
	actor: Actor,
	workspaceId: string,
	actionId: string,
	patch: Partial<ActionInput>,
	at: Date = new Date()
): Promise<void> {
	const checked = validateActionInput(patch, 'patch');
	if (!checked.ok) throw fieldError(checked.issues);
	const { status, ...details } = checked.value;
	await changeOwned(
		db,
		actor,
		workspaceId,
		'action',
		actionId,
		async (tx, state, who, after) => {
			const facts = factsOf(state);
			const index = state.actions.findIndex((a) => a.id === actionId);
			// Deleted between `changeOwned`'s look-up and the lock.
			if (index < 0) throw notFound();
			const before = state.actions[index];
			const entries: TimelineEntry[] = [];
			const changed = (Object.keys(details) as Array<keyof typeof details>).filter(
				(k) => details[k] !== before[k]
			);
			if (changed.length) allow(authorize(who, facts, { kind: 'action:edit', actionId }));
			const statusChanged = status !== undefined && status !== before.status;
			if (statusChanged) allow(authorize(who, facts, { kind: 'action:status', actionId }));
			if (!changed.length && !statusChanged) return { entries, result: undefined };
			if (details.ownerId !== undefined) await requireMember(tx, workspaceId, details.ownerId, 'ownerId');
			const [row] = await tx
				.update(loopAction)
				.set({
					...details,
					...(statusChanged ? { status, doneAt: status === 'done' ? at : null } : {}),
					...(changed.includes('dueDate') ? { dueNotifiedAt: null } : {}),
					updatedAt: at
				})
				.where(eq(loopAction.id, actionId))
				.returning();
			state.actions[index] = row;
			if (changed.length)
				entries.push({ type: 'action_edited', actionId, data: { title: row.title, fields: changed } });
			if (statusChanged) {
				entries.push({
					type: 'action_status',
					actionId,
					data: { title: row.title, from: before.status, to: status }
				});
				await syncSettled(tx, state, at);
			}
			if (changed.includes('ownerId')) await actionAssigned(tx, state, row, who.userId, after);
			return { entries, result: undefined };
		},
		at
	);
}

export async function deleteAction(
	db: Db,
	actor: Actor,
	workspaceId: string,
	actionId: string
): Promise<void> {
	const at = new Date();
	await changeOwned(db, actor, workspaceId, 'action', actionId, async (tx, state, who) => {
		allow(authorize(who, factsOf(state), { kind: 'action:delete', actionId }));
		const gone = state.actions.find((a) => a.id === actionId)!;
		await tx.delete(loopAction).where(eq(loopAction.id, actionId));
		state.actions = state.actions.filter((a) => a.id !== actionId);
		await syncSettled(tx, state, at);
		return {
			entries: [{ type: 'action_deleted', actionId, data: { title: gone.title } }],
			result: undefined
		};
	});
}

export async function addActionNote(
	db: Db,
	actor: Actor,
	workspaceId: string,
	actionId: string,
	body: string
): Promise<void> {
	const checked = validateNote({ note: body });
	if (!checked.ok) throw fieldError(checked.issues);
	await changeOwned(db, actor, workspaceId, 'action', actionId, async (_tx, state, who) => {
		allow(authorize(who, factsOf(state), { kind: 'action:note', actionId }));
		const action = state.actions.find((a) => a.id === actionId)!;
		return {
			entries: [{ type: 'action_note', actionId, data: { title: action.title, body: checked.value } }],
			result: undefined
		};
	});
}

function requireOpenFollowUp(state: LoopState, followUpId: string) {
	const f = state.followUps.find((x) => x.id === followUpId)!;
	if (f.status !== 'todo') throw new AppError(409, 'loops.error.followUpSettled');
	return f;
}

export async function recordFollowUp(
	db: Db,
	actor: Actor,
	workspaceId: string,
	followUpId: string,
	input: FollowUpRecordInput & { message?: string | null },
	at: Date = new Date()
): Promise<void> {
	const checked = validateFollowUpRecord(input);
	if (!checked.ok) throw fieldError(checked.issues);
	const message = typeof input.message === 'string' ? input.message.trim() : '';
	if (message.length > 10_000) throw invalid('message', 'loops.field.too_long', { limit: 10_000 });
	await changeOwned(
		db,
		actor,
		workspaceId,
		'followUp',
		followUpId,
		async (tx, state, who, after) => {
			allow(authorize(who, factsOf(state), { kind: 'follow_up:record', followUpId }));
			const f = requireOpenFollowUp(state, followUpId);
			await tx
				.update(followUp)
				.set({
					status: 'done',
					method: checked.value.method,
					outcome: checked.value.outcome,
					note: checked.value.note || null,
					message: message || null,
					doneAt: at,
					doneBy: who.userId
				})
				.where(eq(followUp.id, followUpId));
			after.webhooks.push({
				type: 'loop.follow_up_done',
				data: {
					loopId: state.row.id,
					journeyId: state.row.journeyId,
					followUpId,
					itemId: f.feedbackId,
					method: checked.value.method,
					outcome: checked.value.outcome
				}
			});
			return {
				entries: [
					{
						type: 'follow_up_done',
						followUpId,
						data: {
							customerName: f.customerName,
							method: checked.value.method,
							outcome: checked.value.outcome
						}
					}
				],
				result: undefined
			};
		},
		at
	);
}

export async function waiveFollowUp(
	db: Db,
	actor: Actor,
	workspaceId: string,
	followUpId: string,
	reason: string,
	at: Date = new Date()
): Promise<void> {
	const checked = validateReason({ reason });
	await changeOwned(
		db,
		actor,
		workspaceId,
		'followUp',
		followUpId,
		async (tx, state, who) => {
			allow(authorize(who, factsOf(state), { kind: 'follow_up:waive', followUpId, reason }));
			if (!checked.ok) throw fieldError(checked.issues);
			const f = requireOpenFollowUp(state, followUpId);
			await tx
				.update(followUp)
				.set({ status: 'waived', waiveReason: checked.value, doneAt: at, doneBy: who.userId })
				.where(eq(followUp.id, followUpId));
			return {
				entries: [
					{
						type: 'follow_up_waived',
						followUpId,
						data: { customerName: f.customerName, reason: checked.value }
					}
				],
				result: undefined
			};
		},
		at
	);
}

/** Who answers a follow-up, and by when (a due date makes it show as due soon in My actions). */
export async function assignFollowUp(
	db: Db,
	actor: Actor,
	workspaceId: string,
	followUpId: string,
	assigneeId: string | null,
	dueDate?: string | null
): Promise<void> {
	if (dueDate !== undefined && dueDate !== null && !isDueDay(dueDate))
		throw isDay(dueDate)
			? invalid('dueDate', 'loops.field.day_out_of_range', { field: 'dueDate', limit: DUE_YEARS.max })
			: invalid('dueDate', 'loops.field.invalid_day', { field: 'dueDate', limit: 0 });
	await changeOwned(db, actor, workspaceId, 'followUp', followUpId, async (tx, state, who, after) => {
		allow(authorize(who, factsOf(state), { kind: 'follow_up:assign', followUpId }));
		await requireMember(tx, workspaceId, assigneeId, 'assigneeId');
		const before = state.followUps.find((f) => f.id === followUpId)!;
		const [row] = await tx
			.update(followUp)
			.set({
				assigneeId,
				...(dueDate === undefined ? {} : { dueDate }),
				dueNotifiedAt: null
			})
			.where(eq(followUp.id, followUpId))
			.returning();
		if (row.assigneeId !== before.assigneeId) await followUpAssigned(tx, state, [row], who.userId, after);
		return {
			entries: [
				{
					type: 'follow_up_assigned',
					followUpId,
					data: { customerName: row.customerName, assigneeId, dueDate: row.dueDate }
				}
			],
			result: undefined
		};
	});
}

/**
 * Follow-up tasks now, before the loop reaches Follow up, for every linked customer who has none yet:
 * after an alert, the customers affected are answered at once instead of waiting for the fix.
 */
export async function followUpLinkedNow(
	db: Db,
	actor: Actor,
	workspaceId: string,
	loopId: string,
	at: Date = new Date()
): Promise<{ created: number }> {
	return change(
		db,
		actor,
		workspaceId,
		loopId,
		async (tx, state, who, after) => {
			allow(authorize(who, factsOf(state), { kind: 'follow_up:create' }));
			const rows = await linkedRows(
				tx,
				state.row.id,
				state.items.filter((i) => i.customerRef).map((i) => i.feedbackId)
			);
			const entries = await createItemFollowUps(tx, state, rows, who.userId, after, at);
			return { entries, result: { created: entries.length } };
		},
		at
	);
}

/**
 * Reads pasted customers, one a line: `name, e-mail or phone` (either may be alone). Blank lines are
 * skipped; a line with neither is refused with its number.
 */
export function parseCustomers(text: string): Array<{ name: string | null; contact: string | null }> {
	const lines = text.split(/\r?\n/);
	const customers: Array<{ name: string | null; contact: string | null }> = [];
	lines.forEach((line, i) => {
		if (line.trim() === '') return;
		const parts = line.split(/[,;\t]/).map((p) => p.trim());
		const contactAt = parts.findIndex((p) => /@|^\+?[\d\s().-]{6,}$/.test(p));
		const contact = contactAt >= 0 ? parts[contactAt] : null;
		const name = parts.filter((p, k) => k !== contactAt && p !== '').join(' ') || null;
		if (!name && !contact) throw invalid('customers', 'loops.error.customerLine', { line: i + 1 });
		if ((name?.length ?? 0) > 200 || (contact?.length ?? 0) > 200)
			throw invalid('customers', 'loops.error.customerLine', { line: i + 1 });
		customers.push({ name, contact });
	});
	if (!customers.length) throw invalid('customers', 'loops.error.noCustomers');
	if (customers.length > MAX_PROACTIVE)
		throw invalid('customers', 'loops.field.too_many', { limit: MAX_PROACTIVE });
	return customers;
}

/** Proactive follow-ups: one task per affected customer, before they write (no item). */
export async function createProactiveFollowUps(
	db: Db,
	actor: Actor,
	workspaceId: string,
	loopId: string,
	input: { customers: string; assigneeId?: string | null },
	at: Date = new Date()
): Promise<{ created: number }> {
	const customers = parseCustomers(input.customers ?? '');
	return change(
		db,
		actor,
		workspaceId,
		loopId,
		async (tx, state, who, after) => {
			allow(authorize(who, factsOf(state), { kind: 'follow_up:create' }));
			const assigneeId = input.assigneeId || state.row.ownerId;
			await requireMember(tx, workspaceId, assigneeId, 'assigneeId');
			const rows = await tx
				.insert(followUp)
				.values(
					customers.map((c) => ({
						loopId: state.row.id,
						workspaceId,
						customerName: c.name,
						customerContact: c.contact,
						assigneeId,
						createdAt: at
					}))
				)
				.returning();
			await followUpAssigned(tx, state, rows, who.userId, after);
			return {
				entries: rows.map((f) => ({
					type: 'follow_up_created' as const,
					followUpId: f.id,
					data: { spokeAt: null, customerName: f.customerName, proactive: true }
				})),
				result: { created: rows.length }
			};
		},
		at
	);
}
