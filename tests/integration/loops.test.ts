/**
 * The loop service on both engines: creating a loop with its evidence, moving it through listen → solve
 * → measure → follow up → closed with what each stage needs and what each move records (the baseline
 * from the touchpoint's feedback, the measure, follow-up tasks), who may do what (viewers read; an
 * action's owner and a follow-up's assignee act on what is theirs), and ids of another workspace.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Measurement, MetricSnapshot } from '../../src/lib/loops';
import type { Database } from '../../src/lib/server/db';
import {
	alert,
	feedback,
	followUp,
	loop,
	loopAction,
	loopEvent,
	notification,
	webhook,
	webhookDelivery
} from '../../src/lib/server/db/schema';
import { AppError } from '../../src/lib/server/errors';
import { on } from '../../src/lib/server/events';
import {
	addAction,
	addActionNote,
	assignFollowUp,
	createLoop,
	createProactiveFollowUps,
	deleteAction,
	editLoop,
	followUpLinkedNow,
	getLoop,
	journeyLoopMetrics,
	linkItems,
	listLoops,
	measureNow,
	moveLoop,
	openLoopsOfJourney,
	recordFollowUp,
	updateAction,
	waiveFollowUp
} from '../../src/lib/server/loops';
import { engines } from './helpers/db';
import { airlineJourney } from './helpers/feedback';
import { addMember, makeUser, makeWorkspace } from './helpers/factories';
import { status } from './helpers/status';
import { watchTransactions } from './helpers/transactions';

const DAY = 86_400_000;

/** The refusal code a call fails with (`loops.refusal.<code>`), or 'ok'. */
async function refusal(fn: () => Promise<unknown>): Promise<string> {
	try {
		await fn();
		return 'ok';
	} catch (e) {
		if (e instanceof AppError) return `${e.status} ${e.code}`;
		throw e;
	}
}

describe.each(engines())('loops on $engine', ({ open }) => {
	let database: Database;
	let owner: { id: string };
	let editor: { id: string };
	let viewer: { id: string };
	let otherViewer: { id: string };
	let outsider: { id: string };
	let wsId: string;
	let otherWsId: string;
	let journeyId: string;
	let tp: string;
	let otherTp: string;
	/** The touchpoint of the full story, with no items of the other tests. */
	let storyTp: string;
	let otherJourneyId: string;
	let foreignItem: string;

	async function seed(
		wsId: string,
		journey: string,
		touchpointId: string,
		n: number,
		opts: {
			at: number;
			polarity: 'negative' | 'positive';
			score: number;
			customer?: boolean;
			spam?: boolean;
			status?: 'done' | 'pending';
		}
	): Promise<string[]> {
		const rows = await database.db
			.insert(feedback)
			.values(
				Array.from({ length: n }, (_, i) => ({
					workspaceId: wsId,
					journeyId: journey,
					touchpointId,
					text: `${opts.polarity} item ${i}`,
					channel: 'email' as const,
					source: 'api' as const,
					receivedAt: new Date(opts.at + i * 60_000),
					status: opts.status ?? ('done' as const),
					spam: opts.spam ?? false,
					polarity: opts.polarity,
					score: opts.score,
					ratingKind: 'stars' as const,
					ratingValue: opts.polarity === 'negative' ? 1 : 5,
					customerName: opts.customer ? `Customer ${i}` : null,
					customerContact: opts.customer ? `c${i}@example.com` : null
				}))
			)
			.returning({ id: feedback.id });
		return rows.map((r) => r.id);
	}

	/** A loop of the editor's on `tp`, in Solve: ready for actions. */
	async function loopInSolve(title: string, problem: string) {
		const { id } = await createLoop(database.db, editor, wsId, {
			journeyId,
			title,
			problem,
			touchpointIds: [tp]
		});
		await moveLoop(database.db, editor, wsId, id, 'solve');
		return id;
	}

	/** An open alert on `tp`, as the detector stores it. */
	async function openAlert(detectorId: string) {
		const now = new Date();
		const [a] = await database.db
			.insert(alert)
			.values({
				workspaceId: wsId,
				detectorId,
				scopeKey: `tp:${tp}`,
				journeyId,
				touchpointId: tp,
				kinds: ['negative_rise'],
				peak: {},
				latest: {},
				openedAt: now,
				lastFiringAt: now
			})
			.returning();
		return a;
	}

	beforeAll(async () => {
		database = await open();
		const db = database.db;
		owner = await makeUser(db, { name: 'Olivia Owner' });
		editor = await makeUser(db, { name: 'Eddie Editor' });
		viewer = await makeUser(db, { name: 'Vera Viewer' });
		otherViewer = await makeUser(db, { name: 'Victor Viewer' });
		outsider = await makeUser(db, { name: 'Oscar Outsider' });
		const ws = await makeWorkspace(db, owner);
		wsId = ws.id;
		await addMember(db, wsId, editor, 'editor');
		await addMember(db, wsId, viewer, 'viewer');
		await addMember(db, wsId, otherViewer, 'viewer');
		const j = await airlineJourney(database, wsId, 'Flights');
		journeyId = j.journey.id;
		tp = j.touchpoints[0].id;
		otherTp = j.touchpoints[1].id;
		storyTp = j.touchpoints[2].id;
		otherJourneyId = (await airlineJourney(database, wsId, 'Other')).journey.id;
		const elsewhere = await makeWorkspace(db, outsider);
		otherWsId = elsewhere.id;
		const foreignJourney = await airlineJourney(database, otherWsId, 'Foreign');
		[foreignItem] = await seed(otherWsId, foreignJourney.journey.id, tp, 1, {
			at: Date.now() - DAY,
			polarity: 'negative',
			score: -1
		});
	});
	afterAll(async () => {
		await database?.close();
	});

	it('creates a loop from a journey, its touchpoints and items, and validates each of them', async () => {
		const db = database.db;
		const items = await seed(wsId, journeyId, tp, 2, {
			at: Date.now() - 2 * DAY,
			polarity: 'negative',
			score: -1.5,
			customer: true
		});
		const changed: string[] = [];
		const off = on('loop:changed', (e) => changed.push(e.loopId));
		const { id } = await createLoop(db, editor, wsId, {
			journeyId,
			title: '  Late boarding  ',
			touchpointIds: [tp],
			itemIds: items
		});
		off();
		expect(changed).toEqual([id]);
		const detail = await getLoop(db, viewer, wsId, id);
		expect(detail.loop).toMatchObject({ title: 'Late boarding', stage: 'listen', ownerId: editor.id });
		expect(detail.items.map((i) => i.id).sort()).toEqual([...items].sort());
		// The touchpoint's metrics at link time are stored with the evidence.
		expect(detail.items[0].metrics?.volume).toBe(2);
		expect(detail.timeline.map((e) => e.type)).toEqual(['created', 'item_linked']);
		expect(detail.transitions.find((t) => t.to === 'solve')?.decision.ok).toBe(false); // a viewer

		const base = { journeyId, title: 'X', touchpointIds: [tp] };
		expect(await refusal(() => createLoop(db, editor, wsId, { ...base, touchpointIds: ['nope'] }))).toBe(
			'400 loops.error.touchpoint'
		);
		expect(await refusal(() => createLoop(db, editor, wsId, { ...base, title: ' ' }))).toBe(
			'400 loops.field.required'
		);
		expect(await refusal(() => createLoop(db, editor, wsId, { ...base, itemIds: [foreignItem] }))).toBe(
			'400 loops.error.item'
		);
		expect(
			await refusal(() =>
				createLoop(db, editor, wsId, { ...base, journeyId: otherJourneyId, itemIds: items })
			)
		).toBe('400 loops.error.itemJourney');
		expect(await refusal(() => createLoop(db, editor, otherWsId, base))).toBe('404 error.notFound');
		expect(await refusal(() => createLoop(db, editor, wsId, { ...base, ownerId: outsider.id }))).toBe(
			'400 loops.error.notMember'
		);
		expect(await refusal(() => createLoop(db, viewer, wsId, base))).toBe('403 loops.refusal.forbidden_role');
		expect(await openLoopsOfJourney(db, viewer, wsId, journeyId)).toEqual([
			{ id, title: 'Late boarding', stage: 'listen' }
		]);
	});

	it('links the alert a loop is opened from, both ways', async () => {
		const db = database.db;
		const a = await openAlert('d-1');
		const { id } = await createLoop(db, owner, wsId, {
			journeyId,
			title: 'Delayed departure',
			touchpointIds: [tp],
			alertId: a.id
		});
		const [stored] = await db.select().from(alert).where(eq(alert.id, a.id));
		expect(stored.loopId).toBe(id);
		expect((await getLoop(db, owner, wsId, id)).loop.alertId).toBe(a.id);
		expect(
			await refusal(() =>
				createLoop(db, owner, wsId, { journeyId, title: 'x', touchpointIds: [], alertId: outsider.id })
			)
		).toBe('400 loops.error.alert');
	});

	it('goes listen → solve → measure → follow up → closed with requirements, baseline, measure and follow-ups', async () => {
		const db = database.db;
		const t0 = Date.now();
		// Baseline window (28 days before entering solve): 12 negative items count; spam, pending, another
		// touchpoint and items older than the window do not.
		const evidence = await seed(wsId, journeyId, storyTp, 12, {
			at: t0 - 10 * DAY,
			polarity: 'negative',
			score: -1.6,
			customer: true
		});
		await seed(wsId, journeyId, storyTp, 3, { at: t0 - 40 * DAY, polarity: 'negative', score: -2 });
		await seed(wsId, journeyId, storyTp, 2, {
			at: t0 - 5 * DAY,
			polarity: 'negative',
			score: -2,
			spam: true
		});
		await seed(wsId, journeyId, storyTp, 2, {
			at: t0 - 5 * DAY,
			polarity: 'negative',
			score: -2,
			status: 'pending'
		});
		await seed(wsId, journeyId, otherTp, 4, { at: t0 - 5 * DAY, polarity: 'negative', score: -2 });
		const anonymous = await seed(wsId, journeyId, storyTp, 1, {
			at: t0 - 20 * DAY,
			polarity: 'negative',
			score: -1.6
		});

		const { id } = await createLoop(db, owner, wsId, {
			journeyId,
			title: 'Boarding chaos',
			touchpointIds: [],
			itemIds: [evidence[0], evidence[1], anonymous[0]]
		});
		expect(await refusal(() => moveLoop(db, owner, wsId, id, 'solve'))).toBe(
			'409 loops.refusal.missing_touchpoint'
		);
		await editLoop(db, owner, wsId, id, { touchpointIds: [storyTp] });
		expect(await refusal(() => moveLoop(db, owner, wsId, id, 'measure'))).toBe(
			'409 loops.refusal.transition_not_allowed'
		);
		// Timeline times must follow each other for the metrics: the moves happen now.
		const solveAt = Date.now();
		await moveLoop(db, editor, wsId, id, 'solve', { at: new Date(solveAt) });

		let detail = await getLoop(db, owner, wsId, id);
		const baseline = detail.loop.baseline as MetricSnapshot;
		expect(baseline.volume).toBe(13);
		expect(baseline.negative).toBe(13);
		expect(baseline.score.mean).toBeCloseTo(-0.8, 5);
		expect(baseline.rating).toMatchObject({ n: 13, mean: 0 });
		expect(baseline.window).toEqual({ from: solveAt - 28 * DAY, to: solveAt });

		expect(await refusal(() => moveLoop(db, owner, wsId, id, 'measure'))).toBe(
			'409 loops.refusal.missing_rational_need'
		);
		await editLoop(db, editor, wsId, id, {
			rationalNeed: 'Board on time, with a clear order',
			emotionalNeed: 'Feel respected and informed'
		});
		expect(await refusal(() => moveLoop(db, owner, wsId, id, 'measure'))).toBe(
			'409 loops.refusal.missing_action'
		);
		const mine = await addAction(db, editor, wsId, id, {
			title: 'Board by zones',
			ownerId: viewer.id,
			dueDate: '2026-12-01'
		});
		const theirs = await addAction(db, editor, wsId, id, { title: 'Announce delays', ownerId: editor.id });
		const [assigned] = await db
			.select()
			.from(notification)
			.where(and(eq(notification.userId, viewer.id), eq(notification.kind, 'action_assigned')));
		expect(assigned.data).toMatchObject({
			loopTitle: 'Boarding chaos',
			actionTitle: 'Board by zones',
			journeyTitle: 'Flights',
			dueDate: '2026-12-01'
		});
		expect(assigned.link).toBe(`/w/${wsId}/loops/${id}`);

		await moveLoop(db, owner, wsId, id, 'measure');
		expect(await refusal(() => moveLoop(db, owner, wsId, id, 'follow_up'))).toBe(
			'409 loops.refusal.actions_pending'
		);

		// The viewer owns one action: its status and notes are theirs, nothing else.
		expect(await status(() => updateAction(db, viewer, wsId, mine.id, { status: 'done' }))).toBe(200);
		expect(await status(() => addActionNote(db, viewer, wsId, mine.id, 'Zones painted on the floor'))).toBe(
			200
		);
		expect(await refusal(() => updateAction(db, viewer, wsId, mine.id, { title: 'Renamed' }))).toBe(
			'403 loops.refusal.forbidden_role'
		);
		expect(await refusal(() => updateAction(db, viewer, wsId, theirs.id, { status: 'done' }))).toBe(
			'403 loops.refusal.not_action_owner'
		);
		expect(await refusal(() => addActionNote(db, otherViewer, wsId, mine.id, 'Me too'))).toBe(
			'403 loops.refusal.not_action_owner'
		);
		let [row] = await db.select().from(loop).where(eq(loop.id, id));
		expect(row.settledAt).toBeNull();
		await updateAction(db, editor, wsId, theirs.id, { status: 'cancelled' });
		[row] = await db.select().from(loop).where(eq(loop.id, id));
		expect(row.settledAt).not.toBeNull();
		const settledAt = row.settledAt!.getTime();
		expect(row.afterWindowEnd!.getTime()).toBe(settledAt + 14 * DAY);
		// Not settled any more: the window is cleared, and set again when it is.
		await updateAction(db, editor, wsId, theirs.id, { status: 'doing' });
		[row] = await db.select().from(loop).where(eq(loop.id, id));
		expect([row.settledAt, row.afterWindowEnd]).toEqual([null, null]);
		await updateAction(db, editor, wsId, theirs.id, { status: 'cancelled' });
		[row] = await db.select().from(loop).where(eq(loop.id, id));
		const afterStart = row.settledAt!.getTime();

		expect(await refusal(() => moveLoop(db, owner, wsId, id, 'follow_up'))).toBe(
			'409 loops.refusal.after_window_running'
		);
		await seed(wsId, journeyId, storyTp, 15, {
			at: afterStart + 3_600_000,
			polarity: 'positive',
			score: 1.2
		});
		const m = (await measureNow(db, editor, wsId, id, new Date(afterStart + 2 * DAY))) as Measurement;
		expect(m.verdict).toBe('improved');
		expect(m.after.volume).toBe(15);
		expect(m.comparisons.map((c) => [c.metric, c.test])).toEqual([
			['negative_share', 'two_proportion_z'],
			['score', 'welch_t'],
			['rating', 'welch_t']
		]);
		expect(await refusal(() => moveLoop(db, owner, wsId, id, 'solve'))).toBe(
			'409 loops.refusal.effect_improved'
		);

		await moveLoop(db, owner, wsId, id, 'follow_up');
		detail = await getLoop(db, owner, wsId, id);
		// Two of the three linked items name a customer: one task each, assigned to the loop's owner.
		expect(detail.followUps).toHaveLength(2);
		expect(detail.followUps.every((f) => f.assigneeId === owner.id && f.status === 'todo')).toBe(true);
		expect(detail.followUps.map((f) => f.customerName).sort()).toEqual(['Customer 0', 'Customer 1']);
		expect(await refusal(() => moveLoop(db, owner, wsId, id, 'closed'))).toBe(
			'409 loops.refusal.follow_ups_pending'
		);

		const [first, second] = detail.followUps;
		expect(await refusal(() => assignFollowUp(db, editor, wsId, first.id, viewer.id, '31/12/2026'))).toBe(
			'400 loops.field.invalid_day'
		);
		await assignFollowUp(db, editor, wsId, first.id, viewer.id, '2026-12-31');
		expect((await db.select().from(followUp).where(eq(followUp.id, first.id)))[0].dueDate).toBe('2026-12-31');
		const [told] = await db
			.select()
			.from(notification)
			.where(and(eq(notification.userId, viewer.id), eq(notification.kind, 'follow_up_assigned')));
		expect(told.data).toEqual({
			loopTitle: 'Boarding chaos',
			customerName: first.customerName,
			journeyTitle: 'Flights'
		});
		expect(
			await refusal(() =>
				recordFollowUp(db, otherViewer, wsId, first.id, { method: 'email', outcome: 'satisfied', note: '' })
			)
		).toBe('403 loops.refusal.not_follow_up_assignee');
		expect(
			await refusal(() =>
				recordFollowUp(db, viewer, wsId, first.id, {
					method: 'pigeon' as 'email',
					outcome: 'satisfied',
					note: ''
				})
			)
		).toBe('400 loops.field.invalid_choice');
		await recordFollowUp(db, viewer, wsId, first.id, {
			method: 'email',
			outcome: 'satisfied',
			note: 'Offered a lounge pass',
			message: 'Hello Customer 0, we are sorry…'
		});
		expect(
			await refusal(() =>
				recordFollowUp(db, viewer, wsId, first.id, { method: 'email', outcome: 'satisfied', note: '' })
			)
		).toBe('409 loops.error.followUpSettled');
		expect(await refusal(() => moveLoop(db, owner, wsId, id, 'closed'))).toBe(
			'409 loops.refusal.follow_ups_pending'
		);
		expect(await refusal(() => waiveFollowUp(db, owner, wsId, second.id, 'no'))).toBe(
			'400 loops.refusal.reason_required'
		);
		await waiveFollowUp(db, owner, wsId, second.id, 'Customer asked not to be contacted');
		await moveLoop(db, editor, wsId, id, 'closed');

		detail = await getLoop(db, viewer, wsId, id);
		expect(detail.loop.stage).toBe('closed');
		expect(detail.loop.closedAt).not.toBeNull();
		const [done] = await db.select().from(followUp).where(eq(followUp.id, first.id));
		expect(done).toMatchObject({ status: 'done', method: 'email', outcome: 'satisfied', doneBy: viewer.id });
		expect(detail.actions.find((a) => a.id === mine.id)?.notes.map((n) => n.body)).toEqual([
			'Zones painted on the floor'
		]);
		const types = detail.timeline.map((e) => e.type);
		expect(types).toContain('measured');
		expect(types.filter((t) => t === 'stage_changed')).toHaveLength(4);
		expect(types.filter((t) => t === 'follow_up_created')).toHaveLength(2);
		// Closed loops are read-only.
		expect(await refusal(() => editLoop(db, owner, wsId, id, { title: 'Again' }))).toBe(
			'409 loops.refusal.loop_finished'
		);

		const [metrics] = await journeyLoopMetrics(db, viewer, wsId, journeyId);
		expect(metrics.metrics.closed).toBe(1);
		expect(metrics.metrics.closedImproved).toEqual({ count: 1, share: 1 });
		expect(metrics.metrics.followUps).toMatchObject({ total: 2, done: 1, waived: 1, rate: 0.5 });
		expect(metrics.metrics.timeInStage.solve.n).toBe(1);
	});

	it('lets viewers read loops and refuses them every edit', async () => {
		const db = database.db;
		const { id } = await createLoop(db, editor, wsId, {
			journeyId,
			title: 'Lost luggage',
			problem: 'Bags arrive a day late',
			touchpointIds: [tp]
		});
		expect((await getLoop(db, viewer, wsId, id)).canEdit).toBe(false);
		expect((await listLoops(db, viewer, wsId, { journeyId })).some((l) => l.id === id)).toBe(true);
		expect(await refusal(() => editLoop(db, viewer, wsId, id, { title: 'Mine' }))).toBe(
			'403 loops.refusal.forbidden_role'
		);
		expect(await refusal(() => moveLoop(db, viewer, wsId, id, 'solve'))).toBe(
			'403 loops.refusal.forbidden_role'
		);
		expect(await refusal(() => linkItems(db, viewer, wsId, id, []))).toBe('403 loops.refusal.forbidden_role');
		await moveLoop(db, editor, wsId, id, 'solve');
		expect(await refusal(() => addAction(db, viewer, wsId, id, { title: 'Do it' }))).toBe(
			'403 loops.refusal.forbidden_role'
		);
		expect(
			await refusal(() => createProactiveFollowUps(db, viewer, wsId, id, { customers: 'Ann, a@b.c' }))
		).toBe('403 loops.refusal.forbidden_role');
		// Cancelling is for the loop's owner (or a workspace owner), with a reason.
		expect(await refusal(() => moveLoop(db, viewer, wsId, id, 'cancelled', { reason: 'dup' }))).toBe(
			'403 loops.refusal.not_loop_owner'
		);
		expect(await refusal(() => moveLoop(db, editor, wsId, id, 'cancelled'))).toBe('400 loops.field.required');
		await moveLoop(db, editor, wsId, id, 'cancelled', { reason: 'Duplicate of another loop' });
		expect((await getLoop(db, viewer, wsId, id)).loop.cancelReason).toBe('Duplicate of another loop');
	});

	it('answers 404 for loops, actions and follow-ups of another workspace', async () => {
		const db = database.db;
		const id = await loopInSolve('Cross', 'Only this workspace may see it');
		const action = await addAction(db, editor, wsId, id, { title: 'Secret action' });
		await createProactiveFollowUps(db, editor, wsId, id, { customers: 'Ann Martin, ann@example.com' });
		const [f] = await db.select().from(followUp).where(eq(followUp.loopId, id));

		expect(await status(() => getLoop(db, outsider, otherWsId, id))).toBe(404);
		expect(await status(() => getLoop(db, outsider, wsId, id))).toBe(404);
		expect(await status(() => updateAction(db, outsider, otherWsId, action.id, { status: 'done' }))).toBe(
			404
		);
		// A member of both workspaces naming the wrong workspace gets a 404 too.
		await addMember(db, otherWsId, editor, 'editor');
		expect(await status(() => updateAction(db, editor, otherWsId, action.id, { status: 'done' }))).toBe(404);
		expect(await status(() => addActionNote(db, editor, otherWsId, action.id, 'hi'))).toBe(404);
		expect(
			await status(() =>
				recordFollowUp(db, editor, otherWsId, f.id, { method: 'phone', outcome: 'neutral', note: '' })
			)
		).toBe(404);
		expect(await status(() => waiveFollowUp(db, editor, otherWsId, f.id, 'Wrong place'))).toBe(404);
		expect(await status(() => deleteAction(db, editor, otherWsId, action.id))).toBe(404);
		expect(await refusal(() => deleteAction(db, viewer, wsId, action.id))).toBe(
			'403 loops.refusal.forbidden_role'
		);
		await deleteAction(db, editor, wsId, action.id);
		expect((await getLoop(db, editor, wsId, id)).timeline.map((e) => e.type)).toContain('action_deleted');
		expect(await status(() => moveLoop(db, editor, otherWsId, id, 'listen'))).toBe(404);
		expect(await status(() => getLoop(db, editor, wsId, 'not-an-id'))).toBe(404);
	});

	it('creates proactive follow-ups for pasted customers, with no item', async () => {
		const db = database.db;
		const { id } = await createLoop(db, editor, wsId, {
			journeyId,
			title: 'Delayed AF123',
			touchpointIds: [tp]
		});
		expect(
			await refusal(() => createProactiveFollowUps(db, editor, wsId, id, { customers: 'Ann, a@b.c\n , \n' }))
		).toBe('400 loops.error.customerLine');
		const res = await createProactiveFollowUps(db, editor, wsId, id, {
			customers: 'Ann Martin, ann@example.com\n\nBob Durand; +33 6 12 34 56 78\ncarla@example.com\n',
			assigneeId: otherViewer.id
		});
		expect(res.created).toBe(3);
		const [told] = await db
			.select()
			.from(notification)
			.where(and(eq(notification.userId, otherViewer.id), eq(notification.kind, 'follow_up_assigned')));
		expect(told.data).toMatchObject({ customerName: 'Ann Martin, Bob Durand, carla@example.com' });
		const rows = await db.select().from(followUp).where(eq(followUp.loopId, id));
		expect(
			rows
				.map((r) => [r.customerName, r.customerContact, r.feedbackId, r.assigneeId])
				.sort((x, y) => String(x[1]).localeCompare(String(y[1])))
		).toEqual([
			['Bob Durand', '+33 6 12 34 56 78', null, otherViewer.id],
			['Ann Martin', 'ann@example.com', null, otherViewer.id],
			[null, 'carla@example.com', null, otherViewer.id]
		]);
		const events = await db.select().from(loopEvent).where(eq(loopEvent.loopId, id));
		expect(events.filter((e) => e.type === 'follow_up_created')).toHaveLength(3);
		// The assignee, a viewer, may record what is theirs.
		await recordFollowUp(db, otherViewer, wsId, rows[0].id, {
			method: 'phone',
			outcome: 'neutral',
			note: ''
		});
		const list = await listLoops(db, owner, wsId, { ownerId: editor.id, stage: 'listen' });
		expect(list.find((l) => l.id === id)?.followUpsPending).toBe(2);
	});

	it('takes the measure itself when the after window has elapsed and the loop moves on', async () => {
		const db = database.db;
		const { id } = await createLoop(db, editor, wsId, {
			journeyId,
			title: 'Slow refunds',
			problem: 'Refunds take weeks',
			touchpointIds: [otherTp]
		});
		await moveLoop(db, editor, wsId, id, 'solve');
		await editLoop(db, editor, wsId, id, {
			rationalNeed: 'Refund in 3 days',
			emotionalNeed: 'Trust',
			afterDays: 7
		});
		await addAction(db, editor, wsId, id, { title: 'Automate refunds', status: 'done' });
		await moveLoop(db, editor, wsId, id, 'measure');
		const [row] = await db.select().from(loop).where(eq(loop.id, id));
		expect(row.afterWindowEnd!.getTime()).toBe(row.settledAt!.getTime() + 7 * DAY);
		expect(row.measurement).toBeNull();
		await moveLoop(db, editor, wsId, id, 'follow_up', { at: new Date(row.afterWindowEnd!.getTime() + 1000) });
		const detail = await getLoop(db, editor, wsId, id);
		expect(detail.loop.stage).toBe('follow_up');
		expect(detail.loop.measurement?.after.window).toEqual({
			from: row.settledAt!.getTime(),
			to: row.afterWindowEnd!.getTime()
		});
		expect(detail.timeline.find((e) => e.type === 'measured')?.data).toMatchObject({ automatic: true });
	});

	it('follows up the linked customers at once, before the fix, and tells webhooks what happens', async () => {
		const db = database.db;
		const [hook] = await db
			.insert(webhook)
			.values({ workspaceId: wsId, url: 'https://hooks.example.com/parcours', secret: 's'.repeat(32) })
			.returning();
		const items = await seed(wsId, journeyId, tp, 3, {
			at: Date.now() - DAY,
			polarity: 'negative',
			score: -1.8,
			customer: true
		});
		const anonymous = await seed(wsId, journeyId, tp, 1, {
			at: Date.now() - DAY,
			polarity: 'negative',
			score: -1
		});
		const { id } = await createLoop(db, editor, wsId, {
			journeyId,
			title: 'Delayed AF456',
			touchpointIds: [tp],
			itemIds: [...items, ...anonymous]
		});
		expect(await refusal(() => followUpLinkedNow(db, viewer, wsId, id))).toBe(
			'403 loops.refusal.forbidden_role'
		);
		expect(await followUpLinkedNow(db, editor, wsId, id)).toEqual({ created: 3 });
		// Nobody is asked twice.
		expect(await followUpLinkedNow(db, editor, wsId, id)).toEqual({ created: 0 });
		const tasks = await db.select().from(followUp).where(eq(followUp.loopId, id));
		expect(tasks.map((t) => t.feedbackId).sort()).toEqual([...items].sort());

		await moveLoop(db, editor, wsId, id, 'cancelled', { reason: 'Handled by the alert team' });
		const deliveries = await db
			.select({ type: webhookDelivery.eventType, body: webhookDelivery.body })
			.from(webhookDelivery)
			.where(eq(webhookDelivery.webhookId, hook.id));
		expect(deliveries.map((d) => d.type).sort()).toEqual(['loop.created', 'loop.stage_changed']);
		const changed = JSON.parse(deliveries.find((d) => d.type === 'loop.stage_changed')!.body);
		expect(changed.data).toMatchObject({ loopId: id, from: 'listen', to: 'cancelled' });
	});

	it('refuses due dates no database stores (year 0000) or no plan means, naming the field', async () => {
		const db = database.db;
		const id = await loopInSolve('Far dates', 'Plans far away');
		const fieldOf = async (fn: () => Promise<unknown>) => {
			try {
				await fn();
				return 'ok';
			} catch (e) {
				if (e instanceof AppError) return `${e.status} ${e.code} ${e.field}`;
				throw e;
			}
		};
		for (const dueDate of ['0000-01-01', '9999-12-31'])
			expect(await fieldOf(() => addAction(db, editor, wsId, id, { title: 'Call', dueDate }))).toBe(
				'400 loops.field.day_out_of_range dueDate'
			);
		const action = await addAction(db, editor, wsId, id, { title: 'Call', dueDate: '2026-12-01' });
		expect(await fieldOf(() => updateAction(db, editor, wsId, action.id, { dueDate: '0000-01-01' }))).toBe(
			'400 loops.field.day_out_of_range dueDate'
		);
		await createProactiveFollowUps(db, editor, wsId, id, { customers: 'Ana, ana@example.com' });
		const [task] = await db.select().from(followUp).where(eq(followUp.loopId, id));
		expect(await fieldOf(() => assignFollowUp(db, editor, wsId, task.id, editor.id, '0000-01-01'))).toBe(
			'400 loops.field.day_out_of_range dueDate'
		);
		await assignFollowUp(db, editor, wsId, task.id, editor.id, '2999-12-31');
	});

	it('answers 404 when an action is deleted between its look-up and the loop’s lock', async () => {
		const db = database.db;
		const id = await loopInSolve('Racing', 'Two tabs');
		const action = await addAction(db, editor, wsId, id, { title: 'Gone soon' });
		const watched = watchTransactions(db);
		watched.beforeNext(() => db.delete(loopAction).where(eq(loopAction.id, action.id)));
		expect(await refusal(() => updateAction(watched.db, editor, wsId, action.id, { title: 'Renamed' }))).toBe(
			'404 error.notFound'
		);
	});

	it('gives one loop per alert, even to two quick clicks', async () => {
		const db = database.db;
		const a = await openAlert('d-twice');
		const input = { journeyId, title: 'Twice', touchpointIds: [tp], alertId: a.id };
		const outcomes = await Promise.all([
			refusal(() => createLoop(db, owner, wsId, input)),
			refusal(() => createLoop(db, editor, wsId, input))
		]);
		expect(outcomes.sort()).toEqual(['409 loops.error.alertHasLoop', 'ok']);
		const loops = await db.select({ id: loop.id }).from(loop).where(eq(loop.alertId, a.id));
		expect(loops).toHaveLength(1);
		const [stored] = await db.select().from(alert).where(eq(alert.id, a.id));
		expect(stored.loopId).toBe(loops[0].id);
	});

	it('measures what the baseline measured: same touchpoints, within the after window', async () => {
		const db = database.db;
		const items = await seed(wsId, journeyId, tp, 2, {
			at: Date.now() - 3 * DAY,
			polarity: 'negative',
			score: -1.2,
			customer: true
		});
		const { id } = await createLoop(db, owner, wsId, {
			journeyId,
			title: 'Moved evidence',
			touchpointIds: [tp],
			ownerId: editor.id,
			itemIds: items
		});
		await moveLoop(db, owner, wsId, id, 'solve');
		expect(await refusal(() => editLoop(db, owner, wsId, id, { touchpointIds: [otherTp] }))).toBe(
			'400 loops.error.touchpointsMeasured'
		);
		expect(await refusal(() => editLoop(db, owner, wsId, id, { touchpointIds: [tp, otherTp] }))).toBe(
			'400 loops.error.touchpointsMeasured'
		);
		await editLoop(db, owner, wsId, id, {
			touchpointIds: [tp],
			rationalNeed: 'Answer in a day',
			emotionalNeed: 'Be heard',
			afterDays: 7
		});
		await addAction(db, owner, wsId, id, { title: 'Reply template', status: 'done' });
		await moveLoop(db, owner, wsId, id, 'measure');
		const [row] = await db.select().from(loop).where(eq(loop.id, id));
		const end = row.afterWindowEnd!.getTime();
		const m = await measureNow(db, owner, wsId, id, new Date(end + 3 * DAY));
		expect(m.after.window).toEqual({ from: row.settledAt!.getTime(), to: end });

		// A correction moved one piece of evidence to another journey: it is still followed up, and its
		// assignee hears of the batch once.
		await db.update(feedback).set({ journeyId: otherJourneyId }).where(eq(feedback.id, items[0]));
		const before = await db.$count(notification, eq(notification.link, `/w/${wsId}/loops/${id}`));
		await moveLoop(db, owner, wsId, id, 'follow_up', { at: new Date(end + 4 * DAY) });
		const tasks = await db.select().from(followUp).where(eq(followUp.loopId, id));
		expect(tasks.map((t) => t.feedbackId).sort()).toEqual([...items].sort());
		const told = await db
			.select({ userId: notification.userId, kind: notification.kind, data: notification.data })
			.from(notification)
			.where(eq(notification.link, `/w/${wsId}/loops/${id}`));
		const assigned = told.slice(before).filter((n) => n.kind === 'follow_up_assigned');
		expect(assigned).toHaveLength(1);
		expect(assigned[0].userId).toBe(editor.id);
		expect((assigned[0].data as { customerName: string }).customerName.split(', ').sort()).toEqual([
			'Customer 0',
			'Customer 1'
		]);
		expect(await followUpLinkedNow(db, owner, wsId, id)).toEqual({ created: 0 });
	});

	it('follows up every linked customer, past the cap on what one request links', async () => {
		const db = database.db;
		const items = await seed(wsId, journeyId, otherTp, 501, {
			at: Date.now() - 2 * DAY,
			polarity: 'negative',
			score: -1,
			customer: true
		});
		const { id } = await createLoop(db, editor, wsId, {
			journeyId,
			title: 'Mass delay',
			touchpointIds: [otherTp, tp],
			itemIds: items.slice(0, 500)
		});
		await linkItems(db, editor, wsId, id, items.slice(500));
		expect(await followUpLinkedNow(db, editor, wsId, id)).toEqual({ created: 501 });
		// Once the baseline is recorded, the same touchpoints in the page's order are no change.
		await moveLoop(db, editor, wsId, id, 'solve');
		await editLoop(db, editor, wsId, id, { title: 'Mass delay, AF456', touchpointIds: [tp, otherTp] });
		expect((await getLoop(db, editor, wsId, id)).loop.title).toBe('Mass delay, AF456');
	});
});
