/**
 * Crisis alerts on both engines, fed through the real path: items ingested, analysed by the processor,
 * announced with `feedback:changed`, observed by the workspace's detector. Time is the service's
 * injected clock, set in the past so every item's received time is a real past time.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createJourneyFromTemplate, openJourney } from '../../src/lib/journey';
import type { DetectorState } from '../../src/lib/loops';
import {
	AlertService,
	getAlert,
	listAlerts,
	openLoopFromAlert,
	saveDetectorSettings
} from '../../src/lib/server/alerts';
import { createCollabStore } from '../../src/lib/server/collab-store';
import type { Database } from '../../src/lib/server/db';
import {
	alert,
	alertDetector,
	feedback,
	loop,
	loopItem,
	notification,
	webhookDelivery
} from '../../src/lib/server/db/schema';
import { on } from '../../src/lib/server/events';
import { correctFeedback } from '../../src/lib/server/feedback/corrections';
import { ingestFeedback } from '../../src/lib/server/feedback/ingest';
import { processPending } from '../../src/lib/server/feedback/processor';
import { createWebhook } from '../../src/lib/server/webhooks';
import { engines } from './helpers/db';
import { addMember, makeJourney, makeUser, makeWorkspace } from './helpers/factories';
import { item } from './helpers/feedback';
import { status } from './helpers/status';
import { watchTransactions } from './helpers/transactions';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const NEGATIVE = [
	'My luggage was lost and nobody at the desk could help. Terrible service.',
	'The bag drop was a disaster, they lost my suitcase, awful.',
	'Horrible experience, my baggage never arrived and staff were rude.',
	'Lost luggage again, furious, nobody answers the phone.'
];
const POSITIVE = 'Great service, friendly staff, everything was perfect, thank you!';

describe.each(engines())('crisis alerts on $engine', ({ open }) => {
	let database: Database;
	let clock = 0;
	let service: AlertService;
	let watched: ReturnType<typeof watchTransactions>;
	beforeAll(async () => {
		database = await open();
		// The state is stored after every run here, so tests can read what the detector counted.
		watched = watchTransactions(database.db);
		service = new AlertService(watched.db, { evaluateMs: 0, persistMs: 0, batchMs: 0, now: () => clock });
		service.start();
	});
	afterAll(async () => {
		await service.stop();
		await database.close();
	});

	/** A workspace whose airline journey has a touchpoint owned by `tpOwner`. */
	async function setup() {
		const owner = await makeUser(database.db, { name: 'Owner' });
		const ws = await makeWorkspace(database.db, owner);
		const tpOwner = await makeUser(database.db, { name: 'Touchpoint owner' });
		const editor = await makeUser(database.db, { name: 'Editor' });
		const viewer = await makeUser(database.db, { name: 'Viewer' });
		await addMember(database.db, ws.id, tpOwner, 'editor');
		await addMember(database.db, ws.id, editor, 'editor');
		await addMember(database.db, ws.id, viewer, 'viewer');
		const journey = await makeJourney(database.db, ws.id, 'Airline');
		const doc = new Y.Doc();
		createJourneyFromTemplate(doc, 'airline', 'en', { title: 'Airline', owner: null });
		const map = openJourney(doc);
		const [hot, quiet] = map.snapshot().touchpoints;
		map.updateTouchpoint(hot.id, { owner: tpOwner.id });
		await createCollabStore(database.db).saveInitialState(journey.id, Y.encodeStateAsUpdate(doc));
		return { owner, ws, tpOwner, editor, viewer, journey, hot, quiet };
	}

	let n = 0;
	async function send(
		workspaceId: string,
		journeyId: string,
		items: Array<{ text: string; touchpointId: string; at: number }>
	) {
		await ingestFeedback(
			database.db,
			{ workspaceId, source: 'api' },
			items.map((i) =>
				item({
					text: i.text,
					journey_id: journeyId,
					touchpoint_id: i.touchpointId,
					received_at: new Date(i.at).toISOString(),
					external_id: `a-${n++}`
				})
			)
		);
		await processPending(database.db);
		await service.settled();
	}

	const complaints = (count: number, touchpointId: string, from: number, step: number) =>
		Array.from({ length: count }, (_, i) => ({
			text: NEGATIVE[i % NEGATIVE.length],
			touchpointId,
			at: from + i * step
		}));

	/** Items the stored detector state counts on touchpoints (what survives for another process). */
	async function storedVolume(workspaceId: string) {
		const [row] = await database.db
			.select()
			.from(alertDetector)
			.where(eq(alertDetector.workspaceId, workspaceId));
		const state = row?.state as DetectorState | null;
		return Object.values(state?.scopes ?? {})
			.filter((x) => x.scope.kind === 'touchpoint')
			.flatMap((x) => x.buckets)
			.reduce((sum, b) => sum + b.volume, 0);
	}

	const alertsOf = (workspaceId: string) =>
		database.db.select().from(alert).where(eq(alert.workspaceId, workspaceId));

	it('opens one alert for a burst, keeps it while the burst lasts, and resolves it after calm', async () => {
		const s = await setup();
		await createWebhook(database.db, s.owner, s.ws.id, { url: 'http://127.0.0.1:9/hook' });
		const t0 = Math.floor((Date.now() - 6 * HOUR) / MINUTE) * MINUTE;
		clock = t0;
		// Two weeks of ordinary life: about one complaint a day on the hot touchpoint, praise elsewhere,
		// and steady low-volume noise (a complaint every 8 hours) on the quiet one.
		const history: Array<{ text: string; touchpointId: string; at: number }> = [];
		for (let d = 14; d >= 1; d--) {
			history.push({
				text: NEGATIVE[d % NEGATIVE.length],
				touchpointId: s.hot.id,
				at: t0 - d * DAY + 3 * HOUR
			});
			history.push({ text: POSITIVE, touchpointId: s.hot.id, at: t0 - d * DAY + 5 * HOUR });
		}
		for (let h = 96; h >= 1; h -= 8)
			history.push({ text: NEGATIVE[h % NEGATIVE.length], touchpointId: s.quiet.id, at: t0 - h * HOUR });
		await send(s.ws.id, s.journey.id, history);
		const [detector] = await database.db
			.select()
			.from(alertDetector)
			.where(eq(alertDetector.workspaceId, s.ws.id));
		expect(detector.state).not.toBeNull();
		// Seeded with its history: nothing looks like a burst.
		expect(await alertsOf(s.ws.id)).toHaveLength(0);

		const changes: string[][] = [];
		const off = on('alert:changed', (e) => {
			if (e.workspaceId === s.ws.id) changes.push(e.journeyIds);
		});
		// Told once the alert is committed, never from inside the detector's transaction.
		const toldDuring: number[] = [];
		const offTold = on('notification:changed', (e) => {
			if (e.workspaceId === s.ws.id) toldDuring.push(watched.running());
		});
		// The burst: 8 complaints in 40 minutes on the hot touchpoint.
		await send(s.ws.id, s.journey.id, complaints(8, s.hot.id, t0 - 40 * MINUTE, 5 * MINUTE));
		offTold();
		expect(toldDuring.length).toBeGreaterThan(0);
		expect(toldDuring.every((n) => n === 0)).toBe(true);
		let rows = (await alertsOf(s.ws.id)).filter((r) => r.touchpointId);
		expect(rows).toHaveLength(1);
		const [opened] = rows;
		expect(opened).toMatchObject({ journeyId: s.journey.id, touchpointId: s.hot.id, resolvedAt: null });
		expect(opened.kinds).toContain('negative_rise');
		expect(opened.itemIds.length).toBeGreaterThanOrEqual(8);
		expect(changes.flat()).toContain(s.journey.id);
		// No alert on the quiet touchpoint's noise.
		expect(rows.some((r) => r.touchpointId === s.quiet.id)).toBe(false);

		// The touchpoint's owner and the workspace owner hear of it; another editor does not.
		const notes = await database.db
			.select()
			.from(notification)
			.where(and(eq(notification.workspaceId, s.ws.id), eq(notification.kind, 'alert')));
		const forOpened = notes.filter((x) => x.link === `/w/${s.ws.id}/alerts/${opened.id}`);
		expect(forOpened.map((x) => x.userId).sort()).toEqual([s.owner.id, s.tpOwner.id].sort());
		expect(forOpened[0].data).toMatchObject({ journeyTitle: 'Airline', touchpointTitle: s.hot.title });
		expect((forOpened[0].data as { negatives: number }).negatives).toBeGreaterThanOrEqual(8);

		// More of the same burst: still one alert, with more items behind it.
		clock = t0 + 10 * MINUTE;
		await send(s.ws.id, s.journey.id, complaints(6, s.hot.id, t0, MINUTE));
		rows = (await alertsOf(s.ws.id)).filter((r) => r.touchpointId);
		expect(rows).toHaveLength(1);
		expect(rows[0].id).toBe(opened.id);
		expect(rows[0].itemIds.length).toBeGreaterThanOrEqual(14);
		expect(rows[0].resolvedAt).toBeNull();

		// Pages: open first, the items behind it, who may open a loop.
		const list = await listAlerts(database.db, s.viewer, s.ws.id, { now: clock });
		// The same burst may open a motive alert too: each scope has its own.
		expect(list.find((a) => a.touchpointId)).toMatchObject({
			id: opened.id,
			touchpointTitle: s.hot.title,
			journeyTitle: 'Airline'
		});
		// By journey: a motive alert belongs to none.
		const ofJourney = await listAlerts(database.db, s.viewer, s.ws.id, {
			journeyId: s.journey.id,
			now: clock
		});
		expect(ofJourney.map((a) => a.id)).toEqual([opened.id]);
		expect(list.some((a) => a.motive && !a.journeyId)).toBe(true);
		const seen = await getAlert(database.db, s.viewer, s.ws.id, opened.id);
		expect(seen.items.length).toBe(rows[0].itemIds.length);
		expect(seen.items.every((i) => i.polarity === 'negative')).toBe(true);
		expect(seen.canOpenLoop).toBe(false);
		expect((await getAlert(database.db, s.editor, s.ws.id, opened.id)).canOpenLoop).toBe(true);
		const stranger = await makeUser(database.db);
		expect(await status(() => getAlert(database.db, stranger, s.ws.id, opened.id))).toBe(404);
		expect(await status(() => listAlerts(database.db, stranger, s.ws.id))).toBe(404);

		// One click opens a loop with the items behind it; the alert then leads to that loop.
		expect(await status(() => openLoopFromAlert(database.db, s.viewer, s.ws.id, opened.id))).toBe(403);
		// Two quick clicks: one loop, and both lead to it.
		const [fromAlert, again] = await Promise.all([
			openLoopFromAlert(database.db, s.editor, s.ws.id, opened.id),
			openLoopFromAlert(database.db, s.editor, s.ws.id, opened.id)
		]);
		expect(again).toEqual(fromAlert);
		expect(await database.db.$count(loop, eq(loop.alertId, opened.id))).toBe(1);
		const [made] = await database.db.select().from(loop).where(eq(loop.id, fromAlert.id));
		expect(made).toMatchObject({ journeyId: s.journey.id, touchpointIds: [s.hot.id], alertId: opened.id });
		const linked = await database.db.select().from(loopItem).where(eq(loopItem.loopId, fromAlert.id));
		expect(linked.map((l) => l.feedbackId).sort()).toEqual([...rows[0].itemIds].sort());
		expect(await openLoopFromAlert(database.db, s.owner, s.ws.id, opened.id)).toEqual(fromAlert);
		// A motive alert asks which journey the loop works on.
		// (The burst's complaints share a motive, so it has its own alert.)
		const motiveAlert = (await alertsOf(s.ws.id)).find((r) => r.motive)!;
		expect(motiveAlert.journeyId).toBeNull();
		await expect(openLoopFromAlert(database.db, s.editor, s.ws.id, motiveAlert.id)).rejects.toMatchObject({
			status: 400,
			field: 'journeyId'
		});
		const m = await openLoopFromAlert(database.db, s.editor, s.ws.id, motiveAlert.id, {
			journeyId: s.journey.id
		});
		expect(m.id).not.toBe(fromAlert.id);

		// Calm: the window moves past the burst; after an hour of calm the alert resolves itself.
		clock = t0 + 2 * HOUR + 30 * MINUTE;
		await service.evaluateOpen();
		expect((await alertsOf(s.ws.id)).find((r) => r.id === opened.id)!.resolvedAt).toBeNull();
		clock = t0 + 3 * HOUR + 35 * MINUTE;
		await service.evaluateOpen();
		const resolved = (await alertsOf(s.ws.id)).find((r) => r.id === opened.id)!;
		expect(resolved.resolvedAt?.getTime()).toBe(clock);
		off();

		// Subscribers heard it open and resolve.
		const types = (await database.db.select().from(webhookDelivery)).filter(
			(d) => JSON.parse(d.body).data.alert?.id === opened.id
		);
		expect(types.map((d) => d.eventType)).toContain('alert.opened');
		expect(types.map((d) => d.eventType)).toContain('alert.resolved');
		const after = await listAlerts(database.db, s.owner, s.ws.id, { now: clock });
		expect(after.find((a) => a.id === opened.id)?.resolvedAt).toBeTruthy();
	});

	it('counts each item once: a correction re-announces an item the detector already has', async () => {
		const s = await setup();
		clock = Math.floor((Date.now() - HOUR) / MINUTE) * MINUTE;
		await send(s.ws.id, s.journey.id, complaints(3, s.hot.id, clock - 30 * MINUTE, MINUTE));
		const volume = async () => {
			const [row] = await database.db
				.select()
				.from(alertDetector)
				.where(eq(alertDetector.workspaceId, s.ws.id));
			const state = row.state as DetectorState;
			return Object.values(state.scopes)
				.filter((x) => x.scope.kind === 'touchpoint')
				.flatMap((x) => x.buckets)
				.reduce((sum, b) => sum + b.volume, 0);
		};
		expect(await volume()).toBe(3);
		const [first] = await database.db.select().from(feedback).where(eq(feedback.workspaceId, s.ws.id));
		await correctFeedback(database.db, s.owner, s.ws.id, first.id, 'polarity', 'positive');
		await service.settled();
		expect(await volume()).toBe(3);
		await send(s.ws.id, s.journey.id, complaints(1, s.hot.id, clock - MINUTE, MINUTE));
		expect(await volume()).toBe(4);
	});

	it('keeps the state in memory between batches, stores it on stop, and another process resumes from it', async () => {
		const s = await setup();
		clock = Math.floor((Date.now() - HOUR) / MINUTE) * MINUTE;
		const stored = () => storedVolume(s.ws.id);
		// Only the services of this test listen to the processor meanwhile.
		await service.stop();
		const lazy = new AlertService(database.db, {
			evaluateMs: 0,
			persistMs: HOUR,
			batchMs: 0,
			now: () => clock
		});
		lazy.start();
		try {
			await send(s.ws.id, s.journey.id, complaints(2, s.hot.id, clock - 30 * MINUTE, MINUTE));
			await lazy.settled();
			// Seeding stores at once; the next batch stays in memory.
			expect(await stored()).toBe(2);
			await send(s.ws.id, s.journey.id, complaints(2, s.hot.id, clock - 20 * MINUTE, MINUTE));
			await lazy.settled();
			expect(await stored()).toBe(2);
			await lazy.stop();
			expect(await stored()).toBe(4);
			const next = new AlertService(database.db, {
				evaluateMs: 0,
				persistMs: 0,
				batchMs: 0,
				now: () => clock
			});
			next.start();
			await send(s.ws.id, s.journey.id, complaints(1, s.hot.id, clock - 10 * MINUTE, MINUTE));
			await next.settled();
			await next.stop();
			expect(await stored()).toBe(5);
		} finally {
			await lazy.stop();
			service.start();
		}
	});

	it('lets two instances take turns on one workspace: every item counted once, one alert for the burst', async () => {
		const s = await setup();
		const t0 = Math.floor((Date.now() - 6 * HOUR) / MINUTE) * MINUTE;
		clock = t0;
		// As with REDIS_URL: each instance observes the items it analysed and stores the state every run.
		await service.stop();
		const instances = [0, 1].map(
			() => new AlertService(database.db, { evaluateMs: 0, persistMs: 0, batchMs: 0, now: () => clock })
		);
		const volume = () => storedVolume(s.ws.id);
		try {
			let turn = 0;
			const deliver = async (items: Array<{ text: string; touchpointId: string; at: number }>) => {
				const before = new Set(
					(
						await database.db
							.select({ id: feedback.id })
							.from(feedback)
							.where(eq(feedback.workspaceId, s.ws.id))
					).map((r) => r.id)
				);
				await send(s.ws.id, s.journey.id, items);
				const ids = (
					await database.db
						.select({ id: feedback.id })
						.from(feedback)
						.where(eq(feedback.workspaceId, s.ws.id))
				)
					.map((r) => r.id)
					.filter((id) => !before.has(id));
				// Alternate: the instance that "analysed" this batch is told, the other is not.
				const instance = instances[turn++ % 2];
				await instance.itemsChanged(s.ws.id, ids);
				await instance.settled();
			};
			const history = Array.from({ length: 14 }, (_, d) => ({
				text: NEGATIVE[d % NEGATIVE.length],
				touchpointId: s.hot.id,
				at: t0 - (d + 1) * DAY + 3 * HOUR
			}));
			await deliver(history);
			expect(await volume()).toBe(14);
			// The burst, in four batches over the two instances.
			for (let b = 0; b < 4; b++) await deliver(complaints(3, s.hot.id, t0 - (40 - b * 10) * MINUTE, MINUTE));
			expect(await volume()).toBe(14 + 12);
			const rows = (await alertsOf(s.ws.id)).filter((r) => r.touchpointId === s.hot.id);
			expect(rows).toHaveLength(1);
			expect(rows[0].itemIds.length).toBe(12);
		} finally {
			for (const i of instances) await i.stop();
			service.start();
		}
	});

	it('lets owners set thresholds, refusing bad values field by field', async () => {
		const s = await setup();
		const bad = await saveDetectorSettings(database.db, s.owner, s.ws.id, {
			minNegatives: '1',
			riseFactor: 'lots',
			quietMinutes: '30.5',
			alpha: ''
		});
		expect(bad.issues.map((i) => [i.field, i.code]).sort()).toEqual([
			['minNegatives', 'out_of_range'],
			['quietMinutes', 'not_an_integer'],
			['riseFactor', 'not_a_number']
		]);
		const good = await saveDetectorSettings(database.db, s.owner, s.ws.id, { minNegatives: '12', alpha: '' });
		expect(good.issues).toEqual([]);
		expect(good.settings.minNegatives).toBe(12);
		const [row] = await database.db
			.select()
			.from(alertDetector)
			.where(eq(alertDetector.workspaceId, s.ws.id));
		expect(row.settings).toEqual({ minNegatives: 12 });
		expect(
			await status(() => saveDetectorSettings(database.db, s.editor, s.ws.id, { minNegatives: '9' }))
		).toBe(403);
	});
});
