/**
 * "My actions" on both engines: what is assigned to me and in which order, my touchpoints with what is
 * new since my last visit, due-soon notifications sent once, notifications e-mailed through a real SMTP
 * server when one is configured (and not otherwise), and the canvas's alert and loop signals.
 */
import { and, eq } from 'drizzle-orm';
import * as Y from 'yjs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createJourneyFromTemplate, openJourney } from '../../src/lib/journey';
import type { Database } from '../../src/lib/server/db';
import {
	alert,
	feedback,
	followUp,
	loop,
	loopAction,
	notification,
	touchpointDaily,
	user
} from '../../src/lib/server/db/schema';
import { createCollabStore } from '../../src/lib/server/collab-store';
import { notifyDueSoon } from '../../src/lib/server/due-soon';
import { emit, on } from '../../src/lib/server/events';
import { journeySignals, journeySignalStream } from '../../src/lib/server/journey-signals';
import {
	addAction,
	addActionNote,
	createLoop,
	moveLoop,
	recordFollowUp,
	updateAction,
	waiveFollowUp
} from '../../src/lib/server/loops';
import { listMyActions, listMyTouchpoints, recordTouchpointVisit } from '../../src/lib/server/my-actions';
import { configureNotificationMail, notificationMailIdle } from '../../src/lib/server/notification-mail';
import { notify } from '../../src/lib/server/notifications';
import { engines } from './helpers/db';
import { catchMail, type MailCatcher, type ReceivedMail } from './helpers/smtp';
import { addMember, makeJourney, makeUser, makeWorkspace } from './helpers/factories';
import { watchTransactions } from './helpers/transactions';

const NOW = new Date('2026-11-20T09:00:00Z');

/** A journey whose stored map is the airline template, the first `owned` touchpoints owned by `ownerId`. */
async function journeyOwnedBy(
	database: Database,
	workspaceId: string,
	title: string,
	ownerId: string,
	owned = 2
) {
	const j = await makeJourney(database.db, workspaceId, title);
	const doc = new Y.Doc();
	createJourneyFromTemplate(doc, 'airline', 'en', { title, owner: null });
	const map = openJourney(doc);
	const touchpoints = map.snapshot().touchpoints;
	for (const t of touchpoints.slice(0, owned)) map.updateTouchpoint(t.id, { owner: ownerId });
	await createCollabStore(database.db).saveInitialState(j.id, Y.encodeStateAsUpdate(doc));
	return { journey: j, touchpoints };
}

describe.each(engines())('my actions on $engine', ({ open }) => {
	let database: Database;
	let me: { id: string };
	let colleague: { id: string };
	let outsider: { id: string };
	let wsId: string;
	let checkout: Awaited<ReturnType<typeof journeyOwnedBy>>;
	let support: { id: string; title: string };
	let solveLoop: string;
	let closedLoop: string;

	beforeAll(async () => {
		database = await open();
		const db = database.db;
		const owner = await makeUser(db, { name: 'Olivia Owner' });
		me = await makeUser(db, { name: 'Sam Staff' });
		colleague = await makeUser(db, { name: 'Colin Colleague' });
		outsider = await makeUser(db, { name: 'Oscar Outsider' });
		const ws = await makeWorkspace(db, owner);
		wsId = ws.id;
		// Staff who own touchpoints are often viewers: assignments must work for them.
		await addMember(db, wsId, me, 'viewer');
		await addMember(db, wsId, colleague, 'editor');
		await makeWorkspace(db, outsider);
		checkout = await journeyOwnedBy(database, wsId, 'Checkout', me.id);
		support = await makeJourney(db, wsId, 'Support');

		const tp = checkout.touchpoints;
		const [l1, l2, l3, l4] = await db
			.insert(loop)
			.values([
				{
					workspaceId: wsId,
					journeyId: checkout.journey.id,
					title: 'Slow boarding',
					stage: 'solve',
					touchpointIds: [tp[0].id]
				},
				{ workspaceId: wsId, journeyId: support.id, title: 'Unanswered calls', stage: 'follow_up' },
				{
					workspaceId: wsId,
					journeyId: checkout.journey.id,
					title: 'Old problem',
					stage: 'closed',
					touchpointIds: [tp[0].id]
				},
				{
					workspaceId: wsId,
					journeyId: checkout.journey.id,
					title: 'Lost bags',
					stage: 'listen',
					touchpointIds: [tp[0].id, tp[1].id]
				}
			])
			.returning();
		solveLoop = l1.id;
		closedLoop = l3.id;
		const action = (title: string, values: Partial<typeof loopAction.$inferInsert>) => ({
			loopId: l1.id,
			workspaceId: wsId,
			title,
			ownerId: me.id,
			...values
		});
		await db.insert(loopAction).values([
			action('Later', { dueDate: '2026-11-25' }),
			action('Overdue', { dueDate: '2026-11-18', status: 'doing' }),
			action('No date', {}),
			action('Today', { dueDate: '2026-11-20', status: 'blocked' }),
			action('Tomorrow', { dueDate: '2026-11-21' }),
			action('Done yesterday', {
				dueDate: '2026-11-10',
				status: 'done',
				doneAt: new Date('2026-11-19T10:00:00Z')
			}),
			action('Done long ago', {
				dueDate: '2026-10-01',
				status: 'done',
				doneAt: new Date('2026-10-02T10:00:00Z')
			}),
			action('Cancelled', { dueDate: '2026-11-01', status: 'cancelled' }),
			action('Not mine', { dueDate: '2026-11-01', ownerId: colleague.id }),
			action('In a closed loop', { dueDate: '2026-11-01', loopId: l3.id })
		]);
		await db.insert(followUp).values([
			{
				loopId: l2.id,
				workspaceId: wsId,
				assigneeId: me.id,
				dueDate: '2026-11-19',
				customerName: 'Camille Martin',
				customerContact: 'camille@example.com'
			},
			{ loopId: l2.id, workspaceId: wsId, assigneeId: me.id, dueDate: '2026-11-19', status: 'done' },
			{ loopId: l2.id, workspaceId: wsId, assigneeId: colleague.id, dueDate: '2026-11-19' }
		]);
		void l4;
	});
	afterAll(async () => {
		await database?.close();
	});

	it('lists my open actions and follow-ups by due date, none last, overdue marked, nobody else’s', async () => {
		const mine = await listMyActions(database.db, me, wsId, { now: NOW });
		expect(mine.items.map((i) => (i.kind === 'action' ? i.title : `follow-up ${i.customerName}`))).toEqual([
			'Overdue',
			'follow-up Camille Martin',
			'Today',
			'Tomorrow',
			'Later',
			'No date'
		]);
		expect(mine.items.filter((i) => i.overdue).map((i) => i.dueDate)).toEqual(['2026-11-18', '2026-11-19']);
		const overdue = mine.items[0];
		expect(overdue).toMatchObject({
			kind: 'action',
			loopTitle: 'Slow boarding',
			journeyTitle: 'Checkout',
			status: 'doing',
			statusEditable: true
		});
		expect(mine.items[1]).toMatchObject({ journeyTitle: 'Support', customerContact: 'camille@example.com' });
		expect(mine.recentlyDone.map((a) => a.title)).toEqual(['Done yesterday']);
		expect(mine.journeys.map((j) => j.title)).toEqual(['Checkout', 'Support']);
	});

	it('filters by journey, and names the filter when it is not a journey id', async () => {
		const only = await listMyActions(database.db, me, wsId, { journeyId: support.id, now: NOW });
		expect(only.items.map((i) => i.kind)).toEqual(['follow_up']);
		expect(only.recentlyDone).toEqual([]);
		// The filter's choices stay all of them, so another journey can be picked.
		expect(only.journeys).toHaveLength(2);
		await expect(listMyActions(database.db, me, wsId, { journeyId: 'nope' })).rejects.toMatchObject({
			status: 400,
			field: 'journey',
			code: 'myActions.error.journey'
		});
	});

	it('shows a colleague only theirs, and an outsider nothing', async () => {
		const theirs = await listMyActions(database.db, colleague, wsId, { now: NOW });
		expect(theirs.items.map((i) => (i.kind === 'action' ? i.title : i.kind))).toEqual([
			'Not mine',
			'follow_up'
		]);
		await expect(listMyActions(database.db, outsider, wsId)).rejects.toMatchObject({ status: 404 });
		await expect(listMyTouchpoints(database.db, outsider, wsId)).rejects.toMatchObject({ status: 404 });
	});

	it('lists my touchpoints with live score, new feedback since my last visit, open loops and alert', async () => {
		const db = database.db;
		const [tp0, tp1] = checkout.touchpoints;
		const item = (
			touchpointId: string,
			analysedAt: Date,
			extra: Partial<typeof feedback.$inferInsert> = {}
		) => ({
			workspaceId: wsId,
			journeyId: checkout.journey.id,
			touchpointId,
			text: 'Boarding took ages',
			channel: 'email' as const,
			source: 'api' as const,
			receivedAt: analysedAt,
			status: 'done' as const,
			score: -0.5,
			polarity: 'negative' as const,
			analysedAt,
			...extra
		});
		await db
			.insert(feedback)
			.values([
				item(tp0.id, new Date('2026-11-18T10:00:00Z')),
				item(tp0.id, new Date('2026-11-19T10:00:00Z')),
				item(tp0.id, new Date('2026-11-19T11:00:00Z'), { spam: true }),
				item(tp1.id, new Date('2026-11-19T12:00:00Z'), { status: 'pending', analysedAt: null })
			]);
		await db.insert(touchpointDaily).values({
			journeyId: checkout.journey.id,
			touchpointId: tp0.id,
			day: '2026-11-18',
			channel: 'email',
			workspaceId: wsId,
			n: 2,
			scoreSum: -1,
			scoreSq: 0.5,
			negative: 2
		});
		const [open] = await db
			.insert(alert)
			.values({
				workspaceId: wsId,
				detectorId: 'tp0-1',
				scopeKey: `tp:${tp0.id}`,
				journeyId: checkout.journey.id,
				touchpointId: tp0.id,
				kinds: ['negative_rise'],
				peak: {},
				latest: {},
				openedAt: NOW,
				lastFiringAt: NOW
			})
			.returning();

		let mine = await listMyTouchpoints(db, me, wsId);
		expect(mine.map((t) => t.touchpointId)).toEqual([tp0.id, tp1.id]);
		expect(mine[0]).toMatchObject({
			journeyTitle: 'Checkout',
			title: tp0.title,
			volume: 2,
			score: -0.5,
			newSinceVisit: 2,
			visitedAt: null,
			// The closed loop does not count.
			openLoops: 2,
			alertId: open.id
		});
		expect(mine[1]).toMatchObject({ volume: 0, score: null, newSinceVisit: 0, openLoops: 1, alertId: null });

		await recordTouchpointVisit(db, me, checkout.journey.id, tp0.id, new Date('2026-11-18T12:00:00Z'));
		mine = await listMyTouchpoints(db, me, wsId);
		expect(mine[0]).toMatchObject({ newSinceVisit: 1, visitedAt: '2026-11-18T12:00:00.000Z' });
		await recordTouchpointVisit(db, me, checkout.journey.id, tp0.id, new Date('2026-11-20T08:00:00Z'));
		expect((await listMyTouchpoints(db, me, wsId))[0].newSinceVisit).toBe(0);
		// Another user's visit is theirs: mine is unchanged, theirs owns no touchpoint.
		expect(await listMyTouchpoints(db, colleague, wsId)).toEqual([]);
	});

	it('notifies due-soon and overdue items once, to their owner or assignee only', async () => {
		const db = database.db;
		// Told after the commit: an in-app ping or an e-mail must not announce a claim that may roll back.
		const watched = watchTransactions(db);
		const toldDuring: number[] = [];
		const off = on('notification:changed', () => toldDuring.push(watched.running()));
		const first = await notifyDueSoon(watched.db, NOW);
		off();
		expect(toldDuring.length).toBeGreaterThan(0);
		expect(toldDuring.every((n) => n === 0)).toBe(true);
		// Overdue, Today, Tomorrow; not Later (in 5 days), nor done, cancelled or closed-loop ones.
		expect(first).toEqual({ actions: 4, followUps: 2 });
		const rows = await db
			.select({
				userId: notification.userId,
				kind: notification.kind,
				data: notification.data,
				link: notification.link
			})
			.from(notification)
			.where(eq(notification.workspaceId, wsId));
		const mineRows = rows.filter((r) => r.userId === me.id);
		expect(
			mineRows
				.filter((r) => r.kind === 'action_due')
				.map((r) => (r.data as { actionTitle: string }).actionTitle)
				.sort()
		).toEqual(['Overdue', 'Today', 'Tomorrow']);
		const overdue = mineRows.find((r) => (r.data as { actionTitle?: string }).actionTitle === 'Overdue')!;
		expect(overdue.data).toMatchObject({
			loopTitle: 'Slow boarding',
			journeyTitle: 'Checkout',
			dueDate: '2026-11-18',
			overdue: true
		});
		expect(overdue.link).toBe(`/w/${wsId}/actions?journey=${checkout.journey.id}`);
		expect(mineRows.find((r) => r.kind === 'follow_up_due')?.data).toMatchObject({
			customerName: 'Camille Martin',
			overdue: true
		});
		expect(
			rows
				.filter((r) => r.userId === colleague.id)
				.map((r) => r.kind)
				.sort()
		).toEqual(['action_due', 'follow_up_due']);

		expect(await notifyDueSoon(db, NOW)).toEqual({ actions: 0, followUps: 0 });
		expect(await db.$count(notification, eq(notification.workspaceId, wsId))).toBe(rows.length);
		// Later falls due in its turn, and only it.
		expect(await notifyDueSoon(db, new Date('2026-11-24T09:00:00Z'))).toEqual({ actions: 1, followUps: 0 });
		const closedOnes = await db
			.select({ at: loopAction.dueNotifiedAt })
			.from(loopAction)
			.where(and(eq(loopAction.loopId, closedLoop)));
		expect(closedOnes.every((r) => r.at === null)).toBe(true);
	});

	it('follows what the loop service does: an assignment appears, my status changes and notes go through it', async () => {
		const db = database.db;
		const [manager] = await db.select().from(user).where(eq(user.id, colleague.id));
		const { id: loopId } = await createLoop(db, manager, wsId, {
			journeyId: checkout.journey.id,
			title: 'Queue at the desk',
			problem: 'Customers wait 40 minutes',
			touchpointIds: [checkout.touchpoints[2].id]
		});
		await moveLoop(db, manager, wsId, loopId, 'solve');
		const { id: actionId } = await addAction(db, manager, wsId, loopId, {
			title: 'Second desk at peak hours',
			ownerId: me.id,
			dueDate: '2026-11-19'
		});
		const assigned = await db
			.select({ kind: notification.kind, data: notification.data })
			.from(notification)
			.where(and(eq(notification.userId, me.id), eq(notification.kind, 'action_assigned')));
		expect(assigned.map((n) => n.data)).toEqual([
			expect.objectContaining({
				actionTitle: 'Second desk at peak hours',
				loopTitle: 'Queue at the desk',
				journeyTitle: 'Checkout'
			})
		]);

		const listed = () => listMyActions(db, me, wsId, { now: NOW });
		expect((await listed()).items.find((i) => i.id === actionId)).toMatchObject({
			overdue: true,
			status: 'todo',
			statusEditable: true
		});
		// A viewer who owns the action changes its status and writes notes; nothing else of the loop.
		await updateAction(db, me, wsId, actionId, { status: 'doing' });
		await addActionNote(db, me, wsId, actionId, 'Asked the station manager');
		await expect(addActionNote(db, me, wsId, actionId, '   ')).rejects.toMatchObject({ status: 400 });
		expect((await listed()).items.find((i) => i.id === actionId)).toMatchObject({ status: 'doing' });
		await updateAction(db, me, wsId, actionId, { status: 'done' });
		const after = await listMyActions(db, me, wsId, { now: new Date() });
		expect(after.items.some((i) => i.id === actionId)).toBe(false);
		expect(after.recentlyDone.map((a) => a.id)).toContain(actionId);

		const followUps = (await listed()).items.filter((i) => i.kind === 'follow_up');
		expect(followUps).toHaveLength(1);
		await expect(waiveFollowUp(db, me, wsId, followUps[0].id, 'no')).rejects.toMatchObject({ status: 400 });
		await recordFollowUp(db, me, wsId, followUps[0].id, { method: 'phone', outcome: 'satisfied', note: '' });
		expect((await listed()).items.filter((i) => i.kind === 'follow_up')).toEqual([]);
	});

	it('gives the canvas each touchpoint’s open alert and open loops, and pushes them when they change', async () => {
		const db = database.db;
		const [tp0, tp1] = checkout.touchpoints;
		const signals = await journeySignals(db, checkout.journey.id);
		expect(Object.keys(signals.alerts)).toEqual([tp0.id]);
		expect(signals.loops[tp0.id].map((l) => l.title).sort()).toEqual(['Lost bags', 'Slow boarding']);
		expect(signals.loops[tp1.id].map((l) => l.stage)).toEqual(['listen']);

		await expect(
			journeySignalStream(db, outsider, wsId, checkout.journey.id, new Request('http://x/'))
		).rejects.toMatchObject({ status: 404 });

		const abort = new AbortController();
		const res = await journeySignalStream(
			db,
			me,
			wsId,
			checkout.journey.id,
			new Request('http://x/', { signal: abort.signal })
		);
		const events = sseEvents(res);
		expect((await events.next()).loops[tp1.id]).toHaveLength(1);
		await db.update(loop).set({ stage: 'cancelled' }).where(eq(loop.title, 'Lost bags'));
		emit('loop:changed', { workspaceId: wsId, journeyId: checkout.journey.id, loopId: solveLoop });
		const next = await events.next();
		expect(next.loops[tp1.id]).toBeUndefined();
		expect(next.loops[tp0.id].map((l) => l.title)).toEqual(['Slow boarding']);
		await db.update(alert).set({ resolvedAt: NOW }).where(eq(alert.journeyId, checkout.journey.id));
		emit('alert:changed', { workspaceId: wsId, journeyIds: [checkout.journey.id] });
		expect((await events.next()).alerts).toEqual({});
		abort.abort();
	});
});

/** The `signals` events of a server-sent event response, in order. */
function sseEvents(res: Response) {
	const reader = res.body!.getReader();
	const decoder = new TextDecoder();
	let buffer = '';
	return {
		async next(): Promise<Awaited<ReturnType<typeof journeySignals>>> {
			for (;;) {
				let end;
				while ((end = buffer.indexOf('\n\n')) >= 0) {
					const block = buffer.slice(0, end);
					buffer = buffer.slice(end + 2);
					const data = /^data: (.*)$/m.exec(block);
					if (block.startsWith('event: signals') && data) return JSON.parse(data[1]);
				}
				const chunk = await Promise.race([
					reader.read(),
					new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no event in time')), 5000))
				]);
				if (chunk.done) throw new Error('stream ended');
				buffer += decoder.decode(chunk.value, { stream: true });
			}
		}
	};
}

describe.each(engines())('notification e-mails on $engine', ({ open }) => {
	let database: Database;
	let smtp: MailCatcher;
	let port: number;
	let received: ReceivedMail[] = [];
	let wsId: string;
	let actor: { id: string };
	let french: { id: string; email: string };
	let english: { id: string; email: string };

	beforeAll(async () => {
		database = await open();
		const db = database.db;
		smtp = await catchMail();
		received = smtp.received;
		port = smtp.port;
		actor = await makeUser(db, { name: 'Olivia Owner' });
		french = await makeUser(db, { name: 'Hélène Lefèvre' });
		english = await makeUser(db, { name: 'Sam Staff' });
		await db.update(user).set({ locale: 'fr' }).where(eq(user.id, french.id));
		const ws = await makeWorkspace(db, actor, 'Airline CX');
		wsId = ws.id;
		await addMember(db, wsId, french, 'viewer');
		await addMember(db, wsId, english, 'editor');
	});
	afterEach(() => {
		configureNotificationMail(null);
		received.length = 0;
	});
	afterAll(async () => {
		configureNotificationMail(null);
		await smtp?.close();
		await database?.close();
	});

	const assignment = () => ({
		workspaceId: wsId,
		kind: 'action_assigned',
		actorId: actor.id,
		data: {
			loopTitle: 'Slow boarding',
			actionTitle: 'Open a second desk',
			journeyTitle: 'Checkout',
			dueDate: '2026-11-25'
		},
		link: `/w/${wsId}/actions`
	});

	it('sends each recipient the notification in their language, with an absolute link, after storing it', async () => {
		configureNotificationMail({
			smtpUrl: `smtp://127.0.0.1:${port}`,
			from: 'Parcours <parcours@example.com>',
			publicUrl: 'https://parcours.example.com'
		});
		const notified = await notify(database.db, {
			...assignment(),
			userIds: [french.id, english.id, actor.id]
		});
		expect(notified.sort()).toEqual([french.id, english.id].sort());
		await notificationMailIdle();
		expect(received.map((m) => m.to).sort()).toEqual([english.email, french.email].sort());
		const en = received.find((m) => m.to === english.email)!;
		expect(en.subject).toBe(
			'[Parcours] Olivia Owner assigned you “Open a second desk” in the loop “Slow boarding” (Checkout) · Due 2026-11-25'
		);
		expect(en.text).toContain(`https://parcours.example.com/w/${wsId}/actions`);
		expect(en.text).toContain('“Airline CX”');
		expect(en.html).toContain(`href="https://parcours.example.com/w/${wsId}/actions"`);
		const fr = received.find((m) => m.to === french.email)!;
		expect(fr.subject).toContain('Olivia Owner vous a confié « Open a second desk »');
	});

	it('sends nothing when no SMTP server is configured, and a failing one does not fail the notification', async () => {
		configureNotificationMail(null);
		expect(await notify(database.db, { ...assignment(), userIds: [english.id] })).toEqual([english.id]);
		await notificationMailIdle();
		expect(received).toEqual([]);

		// Nothing listens there: the notification is stored all the same, the error only logged.
		configureNotificationMail({ smtpUrl: 'smtp://127.0.0.1:1', from: 'parcours@example.com' });
		const before = await database.db.$count(notification, eq(notification.userId, english.id));
		expect(await notify(database.db, { ...assignment(), userIds: [english.id] })).toEqual([english.id]);
		await notificationMailIdle();
		expect(await database.db.$count(notification, eq(notification.userId, english.id))).toBe(before + 1);
		expect(received).toEqual([]);
	});
});
