/**
 * "Due soon": a periodic look for loop actions and follow-ups due within a day (or already overdue) and
 * not done, whose owner or assignee is told once in the app (and by e-mail when configured). Once is
 * kept in the database (`due_notified_at`), so several instances sharing it notify once between them.
 */
import { and, eq, inArray, isNotNull, isNull, lte } from 'drizzle-orm';
import { OPEN_STAGES } from '../loops';
import { dueSoonHorizon, isOverdue } from '../my-actions/due';
import type { Db } from './db';
import { startPeriodic, stopPeriodic } from './periodic';
import { followUp, journey, loop, loopAction } from './db/schema';
import { notify, type NewNotification } from './notifications';

export interface DueSoonResult {
	actions: number;
	followUps: number;
}

/**
 * Notifies the owners of actions and the assignees of follow-ups that fall due by `now` + 24 h, once
 * each. Due dates are days: a date counts from its start (UTC). Returns how many were notified.
 */
export async function notifyDueSoon(db: Db, now: Date = new Date()): Promise<DueSoonResult> {
	const horizon = dueSoonHorizon(now);
	const open = [...OPEN_STAGES];
	// Claimed in a transaction, notified after its commit: a round that rolls back tells nobody, and the
	// claim keeps two instances from both telling.
	const notifications: NewNotification[] = [];
	const result = await db.transaction(async (tx) => {
		const inOpenLoop = (column: typeof loopAction.loopId | typeof followUp.loopId) =>
			inArray(column, tx.select({ id: loop.id }).from(loop).where(inArray(loop.stage, open)));
		const actions = await tx
			.update(loopAction)
			.set({ dueNotifiedAt: now })
			.where(
				and(
					isNull(loopAction.dueNotifiedAt),
					isNotNull(loopAction.ownerId),
					lte(loopAction.dueDate, horizon),
					inArray(loopAction.status, ['todo', 'doing', 'blocked']),
					inOpenLoop(loopAction.loopId)
				)
			)
			.returning({
				id: loopAction.id,
				loopId: loopAction.loopId,
				ownerId: loopAction.ownerId,
				title: loopAction.title,
				dueDate: loopAction.dueDate
			});
		const followUps = await tx
			.update(followUp)
			.set({ dueNotifiedAt: now })
			.where(
				and(
					isNull(followUp.dueNotifiedAt),
					isNotNull(followUp.assigneeId),
					lte(followUp.dueDate, horizon),
					eq(followUp.status, 'todo'),
					inOpenLoop(followUp.loopId)
				)
			)
			.returning({
				id: followUp.id,
				loopId: followUp.loopId,
				assigneeId: followUp.assigneeId,
				customerName: followUp.customerName,
				dueDate: followUp.dueDate
			});
		const loopIds = [...new Set([...actions, ...followUps].map((r) => r.loopId))];
		if (!loopIds.length) return { actions: 0, followUps: 0 };
		const loops = new Map(
			(
				await tx
					.select({
						id: loop.id,
						title: loop.title,
						workspaceId: loop.workspaceId,
						journeyId: loop.journeyId,
						journeyTitle: journey.title
					})
					.from(loop)
					.innerJoin(journey, eq(journey.id, loop.journeyId))
					.where(inArray(loop.id, loopIds))
			).map((l) => [l.id, l])
		);
		const common = (loopId: string, dueDate: string | null) => {
			const l = loops.get(loopId)!;
			return {
				workspaceId: l.workspaceId,
				actorId: null,
				link: `/w/${l.workspaceId}/actions?journey=${l.journeyId}`,
				data: {
					loopTitle: l.title,
					journeyTitle: l.journeyTitle,
					dueDate,
					overdue: isOverdue(dueDate, false, now)
				}
			};
		};
		for (const a of actions) {
			const c = common(a.loopId, a.dueDate);
			notifications.push({
				...c,
				kind: 'action_due',
				userIds: [a.ownerId!],
				data: { ...c.data, actionTitle: a.title }
			});
		}
		for (const f of followUps) {
			const c = common(f.loopId, f.dueDate);
			notifications.push({
				...c,
				kind: 'follow_up_due',
				userIds: [f.assigneeId!],
				data: { ...c.data, customerName: f.customerName }
			});
		}
		return { actions: actions.length, followUps: followUps.length };
	});
	for (const n of notifications) await notify(db, n);
	return result;
}

/**
 * Looks every `everyMinutes` (0: never) from this process, the first time a minute after the start.
 * One per process, on `globalThis` like the feedback processor.
 */
export function startDueSoon(db: Db, everyMinutes: number): void {
	if (everyMinutes <= 0) return;
	startPeriodic('due-soon', Math.min(60_000, everyMinutes * 60_000), everyMinutes * 60_000, () =>
		notifyDueSoon(db)
	);
}

/** Stops the periodic look and waits for a round under way. */
export function stopDueSoon(): Promise<void> {
	return stopPeriodic('due-soon');
}
