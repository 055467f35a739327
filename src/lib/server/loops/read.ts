/**
 * Reading loops: the board and list with filters, one loop with everything its page shows, the open
 * loops of a journey (for "Add to a loop"), and each journey's loop metrics replayed from the timeline.
 * Every member reads (`authorize` read); nothing here changes data.
 */
import { and, asc, desc, eq, inArray, or, sql, type SQL } from 'drizzle-orm';
import {
	availableTransitions,
	authorize,
	DEFAULT_TEMPLATES,
	exitRequirements,
	loopMetrics,
	OPEN_STAGES,
	type LoopEvent,
	type LoopHistory,
	type LoopMetrics,
	type LoopStage,
	type Measurement,
	type MessageTemplate,
	type MetricSnapshot,
	type Requirement,
	type TransitionDecision
} from '../../loops';
import type { Role } from '../../access/roles';
import { isId, type Actor } from '../access';
import type { Db } from '../db';
import {
	feedback,
	followUp,
	journey,
	loop,
	loopAction,
	loopEvent,
	loopItem,
	membership,
	messageTemplate,
	user,
	workspace
} from '../db/schema';
import { invalid } from '../errors';
import { loadJourneySnapshot } from '../journeys';
import { factsOf, loadState, ruleActor } from './state';

export interface LoopFilters {
	journeyId?: string | null;
	touchpointId?: string | null;
	/** The loop's owner or the owner of one of its actions. */
	ownerId?: string | null;
	/** Only loops with an action or follow-up past its due date. */
	overdue?: boolean;
	stage?: LoopStage | null;
}

export interface LoopListRow {
	id: string;
	title: string;
	stage: LoopStage;
	journeyId: string;
	journeyTitle: string;
	touchpointIds: string[];
	ownerId: string | null;
	ownerName: string | null;
	stageChangedAt: Date;
	updatedAt: Date;
	actions: number;
	actionsDone: number;
	/** Open actions and follow-ups past their due date. */
	overdue: number;
	followUpsPending: number;
}

const today = () => new Date().toISOString().slice(0, 10);

/** Loops of the workspace, most recently changed first, filtered. */
export async function listLoops(
	db: Db,
	actor: Actor,
	workspaceId: string,
	filters: LoopFilters = {}
): Promise<LoopListRow[]> {
	await ruleActor(db, actor, workspaceId);
	const day = today();
	const overdueActions = sql<number>`(select count(*) from ${loopAction} a where a.loop_id = ${loop.id} and a.status not in ('done', 'cancelled') and a.due_date < ${day})`;
	const overdueFollowUps = sql<number>`(select count(*) from ${followUp} f where f.loop_id = ${loop.id} and f.status = 'todo' and f.due_date < ${day})`;
	const where: SQL[] = [eq(loop.workspaceId, workspaceId)];
	if (filters.journeyId) {
		if (!isId(filters.journeyId)) throw invalid('journey', 'loops.error.journey');
		where.push(eq(loop.journeyId, filters.journeyId));
	}
	if (filters.touchpointId) where.push(sql`${filters.touchpointId} = any(${loop.touchpointIds})`);
	if (filters.ownerId) {
		if (!isId(filters.ownerId)) throw invalid('owner', 'loops.error.notMember');
		where.push(
			or(
				eq(loop.ownerId, filters.ownerId),
				sql`exists (select 1 from ${loopAction} a where a.loop_id = ${loop.id} and a.owner_id = ${filters.ownerId})`
			)!
		);
	}
	if (filters.stage) where.push(eq(loop.stage, filters.stage));
	if (filters.overdue) where.push(sql`(${overdueActions}) + (${overdueFollowUps}) > 0`);
	const rows = await db
		.select({
			id: loop.id,
			title: loop.title,
			stage: loop.stage,
			journeyId: loop.journeyId,
			journeyTitle: journey.title,
			touchpointIds: loop.touchpointIds,
			ownerId: loop.ownerId,
			ownerName: user.name,
			stageChangedAt: loop.stageChangedAt,
			updatedAt: loop.updatedAt,
			actions: sql<number>`(select count(*) from ${loopAction} a where a.loop_id = ${loop.id} and a.status <> 'cancelled')::int`,
			actionsDone: sql<number>`(select count(*) from ${loopAction} a where a.loop_id = ${loop.id} and a.status = 'done')::int`,
			overdue: sql<number>`((${overdueActions}) + (${overdueFollowUps}))::int`,
			followUpsPending: sql<number>`(select count(*) from ${followUp} f where f.loop_id = ${loop.id} and f.status = 'todo')::int`
		})
		.from(loop)
		.innerJoin(journey, eq(journey.id, loop.journeyId))
		.leftJoin(user, eq(user.id, loop.ownerId))
		.where(and(...where))
		.orderBy(desc(loop.updatedAt))
		.limit(1000);
	return rows.map((r) => ({
		...r,
		actions: Number(r.actions),
		actionsDone: Number(r.actionsDone),
		overdue: Number(r.overdue),
		followUpsPending: Number(r.followUpsPending)
	}));
}

/** Open loops of a journey, for "Add to a loop" from the inbox. */
export async function openLoopsOfJourney(
	db: Db,
	actor: Actor,
	workspaceId: string,
	journeyId: string
): Promise<Array<{ id: string; title: string; stage: LoopStage }>> {
	await ruleActor(db, actor, workspaceId);
	if (!isId(journeyId)) return [];
	return db
		.select({ id: loop.id, title: loop.title, stage: loop.stage })
		.from(loop)
		.where(
			and(
				eq(loop.workspaceId, workspaceId),
				eq(loop.journeyId, journeyId),
				inArray(loop.stage, [...OPEN_STAGES])
			)
		)
		.orderBy(desc(loop.updatedAt));
}

const HISTORY_TYPES = [
	'created',
	'stage_changed',
	'measured',
	'follow_up_created',
	'follow_up_done',
	'follow_up_waived'
] as const;

/** A stored timeline row as the metrics' `LoopEvent`; null for UI-only kinds. */
function historyEvent(row: {
	type: string;
	createdAt: Date;
	followUpId: string | null;
	data: unknown;
}): LoopEvent | null {
	const at = row.createdAt.getTime();
	const data = (row.data ?? {}) as Record<string, unknown>;
	switch (row.type) {
		case 'created':
			return { type: 'created', at };
		case 'stage_changed':
			return { type: 'stage_changed', at, to: data.to as LoopStage };
		case 'measured':
			return { type: 'measured', at, verdict: data.verdict as Measurement['verdict'] };
		case 'follow_up_created':
			return {
				type: 'follow_up_created',
				at,
				followUpId: row.followUpId ?? '',
				spokeAt: typeof data.spokeAt === 'number' ? data.spokeAt : null
			};
		case 'follow_up_done':
		case 'follow_up_waived':
			return { type: row.type, at, followUpId: row.followUpId ?? '' };
		default:
			return null;
	}
}

/** Each loop's metric events, by journey (no access check: callers check). */
async function historiesByJourney(
	db: Db,
	workspaceId: string,
	journeyId?: string | null
): Promise<Map<string, { title: string; loops: Map<string, LoopEvent[]> }>> {
	const where: SQL[] = [eq(loop.workspaceId, workspaceId), inArray(loopEvent.type, [...HISTORY_TYPES])];
	if (journeyId && isId(journeyId)) where.push(eq(loop.journeyId, journeyId));
	const rows = await db
		.select({
			loopId: loopEvent.loopId,
			journeyId: loop.journeyId,
			journeyTitle: journey.title,
			type: loopEvent.type,
			createdAt: loopEvent.createdAt,
			followUpId: loopEvent.followUpId,
			data: loopEvent.data
		})
		.from(loopEvent)
		.innerJoin(loop, eq(loop.id, loopEvent.loopId))
		.innerJoin(journey, eq(journey.id, loop.journeyId))
		.where(and(...where))
		.orderBy(asc(loopEvent.id));
	const journeys = new Map<string, { title: string; loops: Map<string, LoopEvent[]> }>();
	for (const r of rows) {
		const j = journeys.get(r.journeyId) ?? { title: r.journeyTitle, loops: new Map() };
		journeys.set(r.journeyId, j);
		const events = j.loops.get(r.loopId) ?? [];
		j.loops.set(r.loopId, events);
		const e = historyEvent(r);
		if (e) events.push(e);
	}
	return journeys;
}

const asHistories = (loops: Map<string, LoopEvent[]>): LoopHistory[] =>
	[...loops].map(([loopId, events]) => ({ loopId, events }));

/** Loop metrics per journey of the workspace (only journeys with loops), replayed from the timelines. */
export async function journeyLoopMetrics(
	db: Db,
	actor: Actor,
	workspaceId: string,
	journeyId?: string | null
): Promise<Array<{ journeyId: string; journeyTitle: string; metrics: LoopMetrics }>> {
	await ruleActor(db, actor, workspaceId);
	const journeys = await historiesByJourney(db, workspaceId, journeyId);
	return [...journeys].map(([id, j]) => ({
		journeyId: id,
		journeyTitle: j.title,
		metrics: loopMetrics(asHistories(j.loops))
	}));
}

/** The loops of one journey as metric histories (no access check: callers check). */
export async function loopHistories(db: Db, workspaceId: string, journeyId: string): Promise<LoopHistory[]> {
	const j = (await historiesByJourney(db, workspaceId, journeyId)).get(journeyId);
	return j ? asHistories(j.loops) : [];
}

function membersOf(db: Db, workspaceId: string) {
	return db
		.select({ id: user.id, name: user.name, role: membership.role })
		.from(membership)
		.innerJoin(user, eq(user.id, membership.userId))
		.where(eq(membership.workspaceId, workspaceId))
		.orderBy(asc(user.name));
}

/** Who may own a loop, an action or a follow-up: the workspace's members. */
export async function loopMembers(db: Db, actor: Actor, workspaceId: string) {
	await ruleActor(db, actor, workspaceId);
	return membersOf(db, workspaceId);
}

export interface LoopDetail {
	loop: Omit<typeof loop.$inferSelect, 'baseline' | 'measurement'> & {
		baseline: MetricSnapshot | null;
		measurement: Measurement | null;
	};
	journeyTitle: string;
	workspaceName: string;
	/** Touchpoints of the journey's map (for titles and the editor). */
	touchpoints: Array<{ id: string; title: string }>;
	items: Array<{
		id: string;
		text: string;
		receivedAt: Date;
		touchpointId: string | null;
		polarity: string | null;
		score: number | null;
		customerName: string | null;
		customerContact: string | null;
		customerId: string | null;
		metrics: MetricSnapshot | null;
		addedAt: Date;
		addedByName: string | null;
	}>;
	actions: Array<
		typeof loopAction.$inferSelect & {
			ownerName: string | null;
			notes: Array<{ body: string; at: Date; by: string | null }>;
			canEdit: boolean;
			canStatus: boolean;
			canNote: boolean;
		}
	>;
	followUps: Array<
		typeof followUp.$inferSelect & {
			assigneeName: string | null;
			excerpt: string | null;
			canRecord: boolean;
			canAssign: boolean;
		}
	>;
	timeline: Array<{
		id: number;
		type: string;
		actorName: string | null;
		actionId: string | null;
		followUpId: string | null;
		data: Record<string, unknown>;
		at: Date;
	}>;
	members: Array<{ id: string; name: string; role: Role }>;
	templates: Array<MessageTemplate & { id: string; name: string }>;
	requirements: Requirement[];
	transitions: Array<{ to: LoopStage; decision: TransitionDecision }>;
	role: Role;
	canEdit: boolean;
	canAddAction: boolean;
	canCreateFollowUp: boolean;
}

/** One loop with everything its page shows; 404 unless it is in the workspace. */
export async function getLoop(
	db: Db,
	actor: Actor,
	workspaceId: string,
	loopId: string,
	now: Date = new Date()
): Promise<LoopDetail> {
	const who = await ruleActor(db, actor, workspaceId);
	const state = await loadState(db, workspaceId, loopId);
	const facts = factsOf(state);
	const ok = (op: Parameters<typeof authorize>[2]) => authorize(who, facts, op).ok;
	const row = state.row;
	const [j, ws, snapshot, items, members, events, templates] = await Promise.all([
		db.select({ title: journey.title }).from(journey).where(eq(journey.id, row.journeyId)),
		db.select({ name: workspace.name }).from(workspace).where(eq(workspace.id, workspaceId)),
		loadJourneySnapshot(db, row.journeyId),
		db
			.select({
				id: feedback.id,
				text: feedback.text,
				receivedAt: feedback.receivedAt,
				touchpointId: feedback.touchpointId,
				polarity: feedback.polarity,
				score: feedback.score,
				customerName: feedback.customerName,
				customerContact: feedback.customerContact,
				customerId: feedback.customerId,
				metrics: loopItem.metrics,
				addedAt: loopItem.addedAt,
				addedByName: user.name
			})
			.from(loopItem)
			.innerJoin(feedback, eq(feedback.id, loopItem.feedbackId))
			.leftJoin(user, eq(user.id, loopItem.addedBy))
			.where(eq(loopItem.loopId, row.id))
			.orderBy(asc(loopItem.addedAt), asc(feedback.receivedAt)),
		membersOf(db, workspaceId),
		db
			.select({
				id: loopEvent.id,
				type: loopEvent.type,
				actorName: user.name,
				actionId: loopEvent.actionId,
				followUpId: loopEvent.followUpId,
				data: loopEvent.data,
				at: loopEvent.createdAt
			})
			.from(loopEvent)
			.leftJoin(user, eq(user.id, loopEvent.actorId))
			.where(eq(loopEvent.loopId, row.id))
			.orderBy(asc(loopEvent.id)),
		db
			.select()
			.from(messageTemplate)
			.where(eq(messageTemplate.workspaceId, workspaceId))
			.orderBy(asc(messageTemplate.name))
	]);
	const name = (id: string | null) => members.find((m) => m.id === id)?.name ?? null;
	const excerpts = new Map(items.map((i) => [i.id, i.text.slice(0, 140)]));
	const timeline = events.map((e) => ({ ...e, data: (e.data ?? {}) as Record<string, unknown> }));
	return {
		loop: {
			...row,
			baseline: row.baseline as MetricSnapshot | null,
			measurement: row.measurement as Measurement | null
		},
		journeyTitle: j[0]?.title ?? '',
		workspaceName: ws[0]?.name ?? '',
		touchpoints: (snapshot?.touchpoints ?? []).map((t) => ({ id: t.id, title: t.title })),
		items: items.map((i) => ({ ...i, metrics: i.metrics as MetricSnapshot | null })),
		actions: state.actions.map((a) => ({
			...a,
			ownerName: name(a.ownerId),
			notes: timeline
				.filter((e) => e.type === 'action_note' && e.actionId === a.id)
				.map((e) => ({ body: String(e.data.body ?? ''), at: e.at, by: e.actorName })),
			canEdit: ok({ kind: 'action:edit', actionId: a.id }),
			canStatus: ok({ kind: 'action:status', actionId: a.id }),
			canNote: ok({ kind: 'action:note', actionId: a.id })
		})),
		followUps: state.followUps.map((f) => ({
			...f,
			assigneeName: name(f.assigneeId),
			excerpt: f.feedbackId ? (excerpts.get(f.feedbackId) ?? null) : null,
			canRecord: ok({ kind: 'follow_up:record', followUpId: f.id }),
			canAssign: ok({ kind: 'follow_up:assign', followUpId: f.id })
		})),
		timeline,
		members,
		templates: [
			...templates.map((t) => ({
				id: t.id,
				name: t.name,
				kind: 'apology' as const,
				language: (t.language === 'fr' ? 'fr' : 'en') as MessageTemplate['language'],
				subject: t.subject,
				body: t.body
			})),
			...DEFAULT_TEMPLATES.map((t) => ({ ...t, id: `default:${t.kind}:${t.language}`, name: '' }))
		],
		requirements: exitRequirements(facts, now.getTime()),
		transitions: availableTransitions(who, facts, now.getTime()),
		role: who.role,
		canEdit: ok({ kind: 'edit' }),
		canAddAction: ok({ kind: 'action:create' }),
		canCreateFollowUp: ok({ kind: 'follow_up:create' })
	};
}

/** Feedback items named in a link to "new loop" (from the inbox): those of the workspace, with an excerpt. */
export async function itemsForLoop(db: Db, actor: Actor, workspaceId: string, ids: readonly string[]) {
	await ruleActor(db, actor, workspaceId);
	const wanted = ids.filter(isId).slice(0, 500);
	if (!wanted.length) return [];
	const rows = await db
		.select({
			id: feedback.id,
			journeyId: feedback.journeyId,
			touchpointId: feedback.touchpointId,
			text: feedback.text
		})
		.from(feedback)
		.where(and(eq(feedback.workspaceId, workspaceId), inArray(feedback.id, wanted)));
	return rows.map((r) => ({ ...r, text: r.text.slice(0, 140) }));
}
