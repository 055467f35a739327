/**
 * What the canvas shows on top of a journey's authored map: the touchpoints with an open alert (they
 * pulse) and the open loops on each (a badge). Computed facts, so they travel on their own event stream,
 * never through the journey document; re-read when a loop or an alert of the journey changes.
 */
import { and, desc, eq, inArray, isNotNull, isNull } from 'drizzle-orm';
import { OPEN_STAGES, type LoopStage } from '../loops';
import type { Actor } from './access';
import type { Db } from './db';
import { alert, loop } from './db/schema';
import { coalesce, eventStream } from './event-stream';
import { on } from './events';
import { requireJourneyFeedback } from './feedback/scores';

export interface JourneySignals {
	journeyId: string;
	/** Per touchpoint id: its open alert (the latest opened, when several). */
	alerts: Record<string, { id: string; openedAt: string }>;
	/** Per touchpoint id: its open loops, most recently changed first. */
	loops: Record<string, Array<{ id: string; title: string; stage: LoopStage }>>;
}

/** A journey's open alerts and open loops by touchpoint (no access check: callers check). */
export async function journeySignals(db: Db, journeyId: string): Promise<JourneySignals> {
	const [alerts, loops] = await Promise.all([
		db
			.select({ id: alert.id, touchpointId: alert.touchpointId, openedAt: alert.openedAt })
			.from(alert)
			.where(and(eq(alert.journeyId, journeyId), isNull(alert.resolvedAt), isNotNull(alert.touchpointId)))
			.orderBy(desc(alert.openedAt)),
		db
			.select({ id: loop.id, title: loop.title, stage: loop.stage, touchpointIds: loop.touchpointIds })
			.from(loop)
			.where(and(eq(loop.journeyId, journeyId), inArray(loop.stage, [...OPEN_STAGES])))
			.orderBy(desc(loop.updatedAt))
	]);
	const out: JourneySignals = { journeyId, alerts: {}, loops: {} };
	for (const a of alerts) {
		out.alerts[a.touchpointId!] ??= { id: a.id, openedAt: a.openedAt.toISOString() };
	}
	for (const l of loops) {
		for (const tp of new Set(l.touchpointIds)) {
			(out.loops[tp] ??= []).push({ id: l.id, title: l.title, stage: l.stage });
		}
	}
	return out;
}

/**
 * `event: signals` with the journey's `JourneySignals`, on connect and after each change of its loops
 * or alerts. Whoever may read the journey's feedback may follow it (alerts are read from feedback).
 */
export async function journeySignalStream(
	db: Db,
	actor: Actor,
	workspaceId: string,
	journeyId: string,
	request: Request
): Promise<Response> {
	await requireJourneyFeedback(db, actor, workspaceId, journeyId);
	return eventStream(db, request, { userId: actor!.id, workspaceId }, async (sink) => {
		const push = async () => {
			try {
				sink.send('signals', await journeySignals(db, journeyId));
			} catch (e) {
				console.error('[signals] read failed', e);
			}
		};
		const later = coalesce(() => void push());
		const offs = [
			on('loop:changed', (e) => {
				if (e.journeyId === journeyId) later.poke();
			}),
			on('alert:changed', (e) => {
				if (e.journeyIds.includes(journeyId)) later.poke();
			}),
			on('journey:deleted', (e) => {
				if (e.journeyId === journeyId) sink.close('deleted');
			})
		];
		// Subscribed first, so that no change slips between the first figures and the watch.
		await push();
		return () => {
			later.stop();
			for (const off of offs) off();
		};
	});
}
