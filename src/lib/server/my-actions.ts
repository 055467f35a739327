/**
 * "My actions": what is assigned to the signed-in member across the journeys of a workspace (loop
 * actions they own, follow-ups they must answer), and the touchpoints they own with their live score,
 * the feedback that arrived since they last looked, and what is open on them.
 */
import { and, asc, count, desc, eq, gt, gte, inArray, isNull, or, sql } from 'drizzle-orm';
import { OPEN_STAGES, type ActionStatus, type LoopStage } from '../loops';
import { byDueDate, isOverdue } from '../my-actions/due';
import { isId, requireAccess, type Actor } from './access';
import type { Db } from './db';
import { alert, feedback, followUp, journey, loop, loopAction, touchpointVisit } from './db/schema';
import { invalid } from './errors';
import { journeyScores } from './feedback/scores';
import { loadJourneySnapshot } from './journeys';

/** Done actions stay listed (collapsed) this long, so a misclick can be seen and undone. */
export const RECENTLY_DONE_DAYS = 7;

interface Assigned {
	id: string;
	loopId: string;
	loopTitle: string;
	loopStage: LoopStage;
	journeyId: string;
	journeyTitle: string;
	/** YYYY-MM-DD, or null when none was set. */
	dueDate: string | null;
	overdue: boolean;
}

export interface MyAction extends Assigned {
	kind: 'action';
	title: string;
	status: ActionStatus;
	/** Statuses change only while the loop is in solve or measure (`$lib/loops` rules). */
	statusEditable: boolean;
}

export interface MyFollowUp extends Assigned {
	kind: 'follow_up';
	customerName: string | null;
	customerContact: string | null;
	spokeAt: string | null;
}

export interface MyActions {
	/** Open actions and follow-ups, by due date (none last). */
	items: Array<MyAction | MyFollowUp>;
	/** Actions done in the last `RECENTLY_DONE_DAYS` days, latest first. */
	recentlyDone: MyAction[];
	/** The journeys something is assigned to me in, for the filter (before filtering). */
	journeys: Array<{ id: string; title: string }>;
}

const OPEN = [...OPEN_STAGES];
/**
 * What is assigned to `actor` in the workspace's open loops. `journeyId` narrows the list to one
 * journey. Overdue means the due date is before today (UTC).
 */
export async function listMyActions(
	db: Db,
	actor: Actor,
	workspaceId: string,
	options: { journeyId?: string | null; now?: Date } = {}
): Promise<MyActions> {
	await requireAccess(db, actor, 'workspace:read', { workspaceId });
	const filter = options.journeyId || null;
	if (filter !== null && !isId(filter)) throw invalid('journey', 'myActions.error.journey');
	const now = options.now ?? new Date();
	const me = actor!.id;
	const loopColumns = {
		loopId: loop.id,
		loopTitle: loop.title,
		loopStage: loop.stage,
		journeyId: journey.id,
		journeyTitle: journey.title
	};
	const recentSince = new Date(now.getTime() - RECENTLY_DONE_DAYS * 86_400_000);
	const [actions, followUps] = await Promise.all([
		db
			.select({
				...loopColumns,
				id: loopAction.id,
				title: loopAction.title,
				status: loopAction.status,
				dueDate: loopAction.dueDate,
				doneAt: loopAction.doneAt
			})
			.from(loopAction)
			.innerJoin(loop, eq(loop.id, loopAction.loopId))
			.innerJoin(journey, eq(journey.id, loop.journeyId))
			.where(
				and(
					eq(loopAction.workspaceId, workspaceId),
					eq(loopAction.ownerId, me),
					inArray(loop.stage, OPEN),
					or(
						inArray(loopAction.status, ['todo', 'doing', 'blocked']),
						and(eq(loopAction.status, 'done'), gte(loopAction.doneAt, recentSince))
					)
				)
			),
		db
			.select({
				...loopColumns,
				id: followUp.id,
				dueDate: followUp.dueDate,
				customerName: followUp.customerName,
				customerContact: followUp.customerContact,
				spokeAt: followUp.spokeAt
			})
			.from(followUp)
			.innerJoin(loop, eq(loop.id, followUp.loopId))
			.innerJoin(journey, eq(journey.id, loop.journeyId))
			.where(
				and(
					eq(followUp.workspaceId, workspaceId),
					eq(followUp.assigneeId, me),
					eq(followUp.status, 'todo'),
					inArray(loop.stage, OPEN)
				)
			)
	]);

	const journeys = new Map<string, string>();
	for (const r of [...actions, ...followUps]) journeys.set(r.journeyId, r.journeyTitle);
	const wanted = (r: { journeyId: string }) => filter === null || r.journeyId === filter;

	const toAction = ({ doneAt, ...r }: (typeof actions)[number]): MyAction => {
		void doneAt;
		return {
			...r,
			kind: 'action',
			overdue: isOverdue(r.dueDate, r.status === 'done', now),
			statusEditable: r.loopStage === 'solve' || r.loopStage === 'measure'
		};
	};
	const items: Array<MyAction | MyFollowUp> = [
		...actions.filter((a) => a.status !== 'done' && wanted(a)).map(toAction),
		...followUps.filter(wanted).map((r): MyFollowUp => ({
			...r,
			kind: 'follow_up',
			spokeAt: r.spokeAt?.toISOString() ?? null,
			overdue: isOverdue(r.dueDate, false, now)
		}))
	].sort(byDueDate);
	const recentlyDone = actions
		.filter((a) => a.status === 'done' && wanted(a))
		.sort((a, b) => (b.doneAt?.getTime() ?? 0) - (a.doneAt?.getTime() ?? 0))
		.map(toAction);
	return {
		items,
		recentlyDone,
		journeys: [...journeys]
			.map(([id, title]) => ({ id, title }))
			.sort((a, b) => a.title.localeCompare(b.title))
	};
}

export interface MyTouchpoint {
	journeyId: string;
	journeyTitle: string;
	touchpointId: string;
	title: string;
	/** Live score on −2..+2 and its volume; null score when no analysed feedback. */
	score: number | null;
	volume: number;
	/** Analysed items that reached it since my last visit of its feedback (all of them before a first visit). */
	newSinceVisit: number;
	visitedAt: string | null;
	openLoops: number;
	/** The id of its open alert, if any. */
	alertId: string | null;
}

/** Every touchpoint `actor` owns on the workspace's current (not archived) journeys. */
export async function listMyTouchpoints(db: Db, actor: Actor, workspaceId: string): Promise<MyTouchpoint[]> {
	await requireAccess(db, actor, 'feedback:read', { workspaceId });
	const me = actor!.id;
	const journeys = await db
		.select({ id: journey.id, title: journey.title })
		.from(journey)
		.where(and(eq(journey.workspaceId, workspaceId), isNull(journey.archivedAt)))
		.orderBy(asc(journey.title));
	const result: MyTouchpoint[] = [];
	// One stored map at a time: a workspace's maps are read once per page view, not kept in memory.
	for (const j of journeys) {
		const snapshot = await loadJourneySnapshot(db, j.id);
		const mine = snapshot?.touchpoints.filter((t) => t.owner === me) ?? [];
		if (!mine.length) continue;
		const ids = mine.map((t) => t.id);
		const [scores, fresh, loops, alerts] = await Promise.all([
			journeyScores(db, j.id),
			newFeedbackSinceVisit(db, me, j.id, ids),
			db
				.select({ touchpointId: sql<string>`tp`, n: count() })
				.from(sql`${loop}, unnest(${loop.touchpointIds}) as tp`)
				.where(and(eq(loop.journeyId, j.id), inArray(loop.stage, OPEN), inArray(sql`tp`, ids)))
				.groupBy(sql`tp`),
			db
				.select({ id: alert.id, touchpointId: alert.touchpointId })
				.from(alert)
				.where(and(eq(alert.journeyId, j.id), inArray(alert.touchpointId, ids), isNull(alert.resolvedAt)))
				.orderBy(desc(alert.openedAt))
		]);
		for (const t of mine) {
			const s = scores.touchpoints[t.id];
			const f = fresh.get(t.id);
			result.push({
				journeyId: j.id,
				journeyTitle: j.title,
				touchpointId: t.id,
				title: t.title,
				score: s?.score ?? null,
				volume: s?.volume ?? 0,
				newSinceVisit: f?.n ?? 0,
				visitedAt: f?.visitedAt ?? null,
				openLoops: Number(loops.find((l) => l.touchpointId === t.id)?.n ?? 0),
				alertId: alerts.find((a) => a.touchpointId === t.id)?.id ?? null
			});
		}
	}
	return result;
}

async function newFeedbackSinceVisit(
	db: Db,
	userId: string,
	journeyId: string,
	touchpointIds: string[]
): Promise<Map<string, { n: number; visitedAt: string | null }>> {
	const visits = await db
		.select({ touchpointId: touchpointVisit.touchpointId, visitedAt: touchpointVisit.visitedAt })
		.from(touchpointVisit)
		.where(
			and(
				eq(touchpointVisit.userId, userId),
				eq(touchpointVisit.journeyId, journeyId),
				inArray(touchpointVisit.touchpointId, touchpointIds)
			)
		);
	const rows = await db
		.select({ touchpointId: sql<string>`${feedback.touchpointId}`, n: count() })
		.from(feedback)
		.leftJoin(
			touchpointVisit,
			and(
				eq(touchpointVisit.userId, userId),
				eq(touchpointVisit.journeyId, feedback.journeyId),
				eq(touchpointVisit.touchpointId, feedback.touchpointId)
			)
		)
		.where(
			and(
				eq(feedback.journeyId, journeyId),
				inArray(feedback.touchpointId, touchpointIds),
				eq(feedback.status, 'done'),
				eq(feedback.spam, false),
				// An item reaches a touchpoint when it is analysed, which may be long after it was stored.
				or(
					isNull(touchpointVisit.visitedAt),
					gt(sql`coalesce(${feedback.analysedAt}, ${feedback.createdAt})`, touchpointVisit.visitedAt)
				)
			)
		)
		.groupBy(feedback.touchpointId);
	const out = new Map<string, { n: number; visitedAt: string | null }>();
	for (const id of touchpointIds) {
		out.set(id, {
			n: Number(rows.find((r) => r.touchpointId === id)?.n ?? 0),
			visitedAt: visits.find((v) => v.touchpointId === id)?.visitedAt.toISOString() ?? null
		});
	}
	return out;
}

/**
 * Records that `actor` looked at a touchpoint's feedback now. Callers have checked that they may read
 * the journey's feedback.
 */
export async function recordTouchpointVisit(
	db: Db,
	actor: { id: string },
	journeyId: string,
	touchpointId: string,
	at: Date = new Date()
): Promise<void> {
	await db
		.insert(touchpointVisit)
		.values({ userId: actor.id, journeyId, touchpointId, visitedAt: at })
		.onConflictDoUpdate({
			target: [touchpointVisit.userId, touchpointVisit.journeyId, touchpointVisit.touchpointId],
			set: { visitedAt: at }
		});
}
