import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { CollabServer } from '../../server/collab/server';
import { createCollabStore, type CollabStore } from '../../src/lib/server/collab-store';
import type { Database } from '../../src/lib/server/db';
import { createJourneyDoc, openJourney, templateFile, type JourneySnapshot } from '../../src/lib/journey';
import {
	silentLogger,
	type CollabFanout,
	type CollabPersistence,
	type CollabSocket
} from '../../server/collab/types';
import {
	connectClient,
	sleep,
	startCollabServer,
	waitFor,
	type TestClient,
	type TestServer
} from './collab-harness';
import { engines } from './helpers/db';
import { makeJourney, makeUser, makeWorkspace } from './helpers/factories';

/** The journey as the server holds it. */
function serverSnapshot(server: TestServer, journeyId: string): JourneySnapshot | undefined {
	const state = server.collab.loadedState(journeyId);
	if (!state) return undefined;
	const copy = new Y.Doc();
	Y.applyUpdate(copy, state);
	return openJourney(copy).snapshot();
}

async function storedSnapshot(store: CollabStore, journeyId: string): Promise<JourneySnapshot> {
	const copy = new Y.Doc();
	const state = await store.loadDocument(journeyId);
	if (state) Y.applyUpdate(copy, state);
	return openJourney(copy).snapshot();
}

/** A raw socket with a session cookie, to send frames no y-websocket client would. */
async function rawSocket(server: TestServer, journeyId: string, session: string) {
	const ws = new WebSocket(`${server.url}/${journeyId}`, { headers: { cookie: `session=${session}` } });
	const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
	ws.on('error', () => {});
	// The server's sync step 1 says the document is loaded and the socket joined its room.
	// (Listen before `open` resolves: both can arrive in one chunk.)
	await new Promise((resolve, reject) => {
		ws.once('message', resolve);
		ws.once('error', reject);
	});
	return { ws, closed };
}

describe.each(engines())('collaboration server on $engine', ({ open }) => {
	let database: Database;
	let store: CollabStore;
	let workspaceId: string;
	const servers: TestServer[] = [];
	const clients: TestClient[] = [];

	const newJourney = async (template?: 'default' | 'airline') => {
		const id = (await makeJourney(database.db, workspaceId)).id;
		if (template) {
			await store.saveInitialState(id, Y.encodeStateAsUpdate(createJourneyDoc(templateFile(template, 'en'))));
		}
		return id;
	};
	const start = async (options: Partial<Parameters<typeof startCollabServer>[0]> = {}) => {
		const server = await startCollabServer({ persistence: store, ...options });
		servers.push(server);
		return server;
	};
	const connect = (server: TestServer, journeyId: string, session?: string, doc?: Y.Doc) => {
		const client = connectClient(server, journeyId, session, doc);
		clients.push(client);
		return client;
	};

	beforeAll(async () => {
		database = await open();
		store = createCollabStore(database.db);
		workspaceId = (await makeWorkspace(database.db, await makeUser(database.db))).id;
	});
	afterEach(async () => {
		for (const c of clients.splice(0)) c.destroy();
		for (const s of servers.splice(0)) await s.close();
	});
	afterAll(() => database.close());

	it('makes two clients converge after concurrent edits, and gives a late joiner the same journey', async () => {
		const server = await start();
		const id = await newJourney('default');
		const alice = connect(server, id, 'alice');
		const bob = connect(server, id, 'bob');
		await Promise.all([alice.synced, bob.synced]);
		expect(bob.journey.snapshot().stages).toHaveLength(6);

		const [buy] = alice.journey
			.snapshot()
			.stages.filter((s) => s.title === 'Buy')
			.map((s) => s.id);
		// Both edit at the same moment, without waiting for each other.
		const fromAlice = alice.journey.addTouchpoint(buy, { title: 'Cart', channel: 'web', pains: ['slow'] });
		const fromBob = bob.journey.addTouchpoint(buy, { title: 'Till', channel: 'store' }, { index: 0 });
		alice.journey.updateStage(buy, { title: 'Purchase' });
		bob.journey.updateStage(buy, { description: 'Paying' });
		const moved = bob.journey.snapshot().stages[5].id;
		bob.journey.moveStage(moved, 0);

		await waitFor(
			() =>
				alice.journey.snapshot().touchpoints.length === 2 &&
				JSON.stringify(alice.journey.snapshot()) === JSON.stringify(bob.journey.snapshot()),
			'both clients to converge'
		);
		const final = alice.journey.snapshot();
		expect(final.touchpoints.map((t) => t.id).sort()).toEqual([fromAlice, fromBob].sort());
		expect(final.stages.find((s) => s.id === buy)).toMatchObject({
			title: 'Purchase',
			description: 'Paying'
		});
		expect(final.stages[0].id).toBe(moved);
		await waitFor(() => JSON.stringify(serverSnapshot(server, id)) === JSON.stringify(final), 'the server');

		const carol = connect(server, id, 'carol');
		await carol.synced;
		expect(carol.journey.snapshot()).toEqual(final);
	});

	it('refuses a client without a session with 4401 and one without access with 4403, for good', async () => {
		const server = await start();
		const id = await newJourney('default');
		const anonymous = connect(server, id);
		const outsider = connect(server, id, 'oscar');
		await waitFor(() => anonymous.closeCodes.length > 0 && outsider.closeCodes.length > 0, 'both refusals');
		expect(anonymous.closeCodes).toEqual([4401]);
		expect(outsider.closeCodes).toEqual([4403]);
		// With a 300 ms backoff a retrying client would have come back several times by now.
		await sleep(1_200);
		expect(server.upgrades.get(id)).toBe(2);
		expect(anonymous.provider.shouldConnect).toBe(false);
		// No document was loaded for them.
		expect(server.collab.stats().rooms).toBe(0);
		expect(anonymous.journey.snapshot().stages).toEqual([]);
	});

	it('drops a viewer’s updates on the server and for other clients, but shows the viewer’s presence', async () => {
		const server = await start();
		const id = await newJourney('default');
		const alice = connect(server, id, 'alice');
		const vera = connect(server, id, 'vera');
		await Promise.all([alice.synced, vera.synced]);

		vera.provider.awareness.setLocalStateField('user', { name: 'Vera' });
		await waitFor(
			() => [...alice.provider.awareness.getStates().values()].some((s) => s.user?.name === 'Vera'),
			'the viewer’s presence at alice'
		);

		vera.journey.addStage({ title: 'Written by a viewer', group: 'sale' });
		await waitFor(() => server.collab.stats().droppedReadOnlyUpdates > 0, 'the update to be dropped');
		// The viewer still receives the editors' changes.
		alice.journey.updateJourney({ title: 'Edited by alice' });
		await waitFor(() => vera.journey.snapshot().title === 'Edited by alice', 'the viewer to receive edits');

		const isViewerStage = (s: { title: string }) => s.title === 'Written by a viewer';
		expect(alice.journey.snapshot().stages.some(isViewerStage)).toBe(false);
		expect(serverSnapshot(server, id)!.stages.some(isViewerStage)).toBe(false);
		const bob = connect(server, id, 'bob');
		await bob.synced;
		expect(bob.journey.snapshot().stages.some(isViewerStage)).toBe(false);
		await server.collab.flush();
		expect((await storedSnapshot(store, id)).stages.some(isViewerStage)).toBe(false);
	});

	it('keeps the journey across a server restart on the same database', async () => {
		const first = await start();
		const id = await newJourney();
		const alice = connect(first, id, 'alice');
		await alice.synced;
		const stage = alice.journey.addStage({ title: 'Before restart', group: 'pre-sale' });
		alice.journey.addTouchpoint(stage, { title: 'Kept', emotion: -2, joys: ['j'] });
		await waitFor(() => serverSnapshot(first, id)?.touchpoints.length === 1, 'the server to have the edit');
		const expected = alice.journey.snapshot();
		alice.destroy();
		await first.close();

		const second = await start();
		const bob = connect(second, id, 'bob');
		await bob.synced;
		expect(bob.journey.snapshot()).toEqual(expected);
	});

	it('answers a client’s step 1 with everything in one message, edits made since it joined included', async () => {
		// y-websocket reports synced on the server's step 2: whatever comes in a later message reaches a
		// client that already shows the journey as complete. Sockets of the core's own interface, to
		// place an edit exactly between the join and the client's step 1.
		const collab = new CollabServer({ persistence: store, logger: silentLogger, storeDebounceMs: 10 });
		const id = await newJourney('default');
		const socket = () => {
			const handlers: Record<string, (d: Uint8Array) => void> = {};
			const sent: Uint8Array[] = [];
			return {
				sent,
				send: (d: Uint8Array) => void sent.push(d),
				close() {},
				on: ((event: string, listener: (d: Uint8Array) => void) =>
					void (handlers[event] = listener)) as CollabSocket['on'],
				receive: (d: Uint8Array) => handlers.message?.(d)
			};
		};
		const writer = socket();
		const reader = socket();
		collab.handleConnection(writer, { userId: 'w', readOnly: false, journeyId: id });
		await waitFor(() => writer.sent.length > 0, 'the writer joined');
		collab.handleConnection(reader, { userId: 'r', readOnly: false, journeyId: id });
		await waitFor(() => reader.sent.length > 0, 'the reader joined');
		// An edit after the reader joined, before its step 1.
		const doc = new Y.Doc();
		Y.applyUpdate(doc, (await store.loadDocument(id))!);
		const vector = Y.encodeStateVector(doc);
		openJourney(doc).addStage({ title: 'Made meanwhile', group: 'sale' });
		const frame = (type: number, payload: Uint8Array) => {
			const e = encoding.createEncoder();
			encoding.writeVarUint(e, 0);
			encoding.writeVarUint(e, type);
			encoding.writeVarUint8Array(e, payload);
			return encoding.toUint8Array(e);
		};
		writer.receive(frame(2, Y.encodeStateAsUpdate(doc, vector)));
		const before = reader.sent.length;
		reader.receive(frame(0, Y.encodeStateVector(new Y.Doc())));
		const answers = reader.sent.slice(before);
		expect(answers).toHaveLength(1);
		const d = decoding.createDecoder(answers[0]);
		expect([decoding.readVarUint(d), decoding.readVarUint(d)]).toEqual([0, 1]);
		const got = new Y.Doc();
		Y.applyUpdate(got, decoding.readVarUint8Array(d));
		expect(
			openJourney(got)
				.snapshot()
				.stages.map((s) => s.title)
		).toContain('Made meanwhile');
		await collab.close();
	});

	/**
	 * The core's fan-out over an in-memory hub whose delivery to one instance can be cut, as a Redis link
	 * that broke: Redis itself is in cluster-collab.test.ts. Like Redis, a publish counts every instance
	 * listening to the journey, whether or not the message then reaches it.
	 */
	const memoryHub = () => {
		const joined = new Map<string, Map<string, (m: Uint8Array) => void>>();
		const cut = new Set<string>();
		const resumes = new Map<string, () => void>();
		let dropped = 0;
		const fanout = (name: string): CollabFanout => {
			joined.set(name, new Map());
			return {
				async join(journeyId, receive) {
					joined.get(name)!.set(journeyId, receive);
				},
				leave: (journeyId) => void joined.get(name)!.delete(journeyId),
				async publish(journeyId, message) {
					let reached = 0;
					for (const [other, rooms] of joined) {
						const receive = rooms.get(journeyId);
						if (other === name || !receive) continue;
						reached++;
						if (cut.has(other)) dropped++;
						else queueMicrotask(() => receive(message));
					}
					return reached;
				},
				onResume(listener) {
					resumes.set(name, listener);
					return () => void resumes.delete(name);
				}
			};
		};
		return { fanout, cut, resumes, dropped: () => dropped };
	};

	it('brings a deletion one instance missed back to it when the other asks for a state exchange', async () => {
		const { fanout, cut, resumes } = memoryHub();
		const a = await start({ fanout: fanout('a') });
		const b = await start({ fanout: fanout('b') });
		const id = await newJourney('default');
		const alice = connect(a, id, 'alice');
		const bob = connect(b, id, 'bob');
		await Promise.all([alice.synced, bob.synced]);
		cut.add('a');
		const gone = bob.journey.snapshot().stages[0].id;
		bob.journey.removeStage(gone);
		await sleep(100);
		expect(alice.journey.snapshot().stages.map((st) => st.id)).toContain(gone);
		cut.delete('a');
		// Only B asks (its link came back first): A must get what it lacks, a deletion with no new struct.
		resumes.get('b')!();
		await waitFor(() => !alice.journey.snapshot().stages.some((st) => st.id === gone), 'the deletion on A');
		expect(alice.journey.snapshot()).toEqual(bob.journey.snapshot());
	});

	it('asks again when the link comes back while a loading room waits for the other instances', async () => {
		const hub = memoryHub();
		const a = await start({ fanout: hub.fanout('a'), storeDebounceMs: 20_000, storeMaxWaitMs: 20_000 });
		// A long wait: it ends as soon as A answers, and a busy machine must not end it first.
		const b = await start({ fanout: hub.fanout('b'), peerSyncWaitMs: 10_000 });
		const id = await newJourney('default');
		const alice = connect(a, id, 'alice');
		await alice.synced;
		const tp = alice.journey.addTouchpoint(alice.journey.snapshot().stages[0].id, {
			title: 'Unstored',
			channel: 'web'
		});
		await waitFor(() => a.collab.stats().roomsWithUnstoredChanges === 1, 'the edit in A’s memory only');
		// B's state request is lost on the way to A; the link comes back while B's room waits for A.
		hub.cut.add('a');
		const bob = connect(b, id, 'bob');
		await waitFor(() => hub.dropped() > 0, 'B’s request lost');
		hub.cut.delete('a');
		hub.resumes.get('b')!();
		await bob.synced;
		expect(bob.journey.snapshot().touchpoints.map((t) => t.id)).toEqual([tp]);
	});

	it('does not serve a journey deleted while its room waits for the other instances', async () => {
		// Another instance listens to the journey and never answers: the load waits its whole wait.
		let asked = () => {};
		const requested = new Promise<void>((resolve) => (asked = resolve));
		const silent: CollabFanout = {
			async join() {},
			leave() {},
			publish: async () => (asked(), 1),
			onResume: () => () => {}
		};
		// A room without clients stays a minute: one that got served after the deletion would be seen.
		const a = await start({ fanout: silent, unloadGraceMs: 60_000, peerSyncWaitMs: 1_500 });
		const id = await newJourney('default');
		const alice = connect(a, id, 'alice');
		await requested;
		expect(a.collab.stats().rooms).toBe(0);
		a.collab.discardJourney(id);
		await waitFor(() => alice.closeCodes.includes(4404), 'the socket closed as deleted');
		await sleep(1_800);
		expect(a.collab.stats().rooms).toBe(0);
	});

	it('does not serve a journey deleted while its room reads the store', async () => {
		let release = () => {};
		const gate = new Promise<void>((resolve) => (release = resolve));
		let reading = () => {};
		const read = new Promise<void>((resolve) => (reading = resolve));
		const slow: CollabPersistence = {
			loadDocument: async (journeyId) => {
				reading();
				await gate;
				return store.loadDocument(journeyId);
			},
			appendUpdate: (j, u) => store.appendUpdate(j, u),
			compact: (j, s) => store.compact(j, s)
		};
		const a = await start({ persistence: slow, unloadGraceMs: 60_000 });
		const id = await newJourney('default');
		const alice = connect(a, id, 'alice');
		await read;
		// The load under way, as the room's state asks for it: it must fail, not serve the journey.
		const settled = a.collab.currentState(id);
		a.collab.discardJourney(id);
		release();
		await expect(settled).rejects.toThrow('journey deleted while it loaded');
		await waitFor(() => alice.closeCodes.length > 0, 'the socket closed');
		expect(a.collab.stats().rooms).toBe(0);
	});

	it('neither relays nor stores a joining client’s sync reply that holds nothing new (a reconnect storm)', async () => {
		const server = await start();
		const id = await newJourney('default');
		const alice = connect(server, id, 'alice');
		await alice.synced;
		// A deletion: every sync reply carries the whole delete set, so it is never empty.
		alice.journey.removeStage(alice.journey.snapshot().stages[0].id);
		await waitFor(() => serverSnapshot(server, id)?.stages.length === 5, 'the deletion on the server');
		await server.collab.flush();
		const rows = await store.pendingUpdates(id);
		const received: number[] = [];
		alice.provider.ws?.addEventListener('message', () => received.push(Date.now()));
		// Clients that already hold everything join, as they do when a server restarts.
		const copies = ['bob', 'carol'].map((who) => {
			const doc = new Y.Doc();
			Y.applyUpdate(doc, Y.encodeStateAsUpdate(alice.doc));
			return connect(server, id, who, doc);
		});
		await Promise.all(copies.map((c) => c.synced));
		await sleep(200);
		await server.collab.flush();
		expect(await store.pendingUpdates(id)).toBe(rows);
		// Alice heard of their presence, not of a document update.
		expect(received.length).toBeLessThanOrEqual(4);
		expect(copies[0].journey.snapshot()).toEqual(alice.journey.snapshot());
	});

	it('stores on unload after the grace period and loads again on the next connection', async () => {
		const server = await start({ unloadGraceMs: 100 });
		const id = await newJourney('airline');
		const alice = connect(server, id, 'alice');
		await alice.synced;
		alice.journey.updateJourney({ title: 'Stored at unload' });
		await sleep(5);
		alice.provider.disconnect();
		await waitFor(() => server.collab.stats().rooms === 0, 'the room to unload');
		expect((await storedSnapshot(store, id)).title).toBe('Stored at unload');
		// Unloading compacted the stored updates into the snapshot.
		expect(await store.pendingUpdates(id)).toBe(0);
		const bob = connect(server, id, 'bob');
		await bob.synced;
		expect(bob.journey.snapshot()).toEqual(alice.journey.snapshot());
	});

	it('closes only the socket that sends a malformed or oversized frame', async () => {
		const server = await start({ maxFrameBytes: 16 * 1024 });
		const id = await newJourney('default');
		const alice = connect(server, id, 'alice');
		const bob = connect(server, id, 'bob');
		await Promise.all([alice.synced, bob.synced]);

		const frames = [
			Uint8Array.from([0, 2, 5, 1, 2, 3, 4, 5]), // a document update that is not one
			Uint8Array.from([9, 1, 2]), // unknown message type
			Uint8Array.from([1, 4, 1, 7, 1, 123]), // awareness with broken JSON
			Uint8Array.from([0]) // truncated
		];
		for (const frame of frames) {
			const raw = await rawSocket(server, id, 'carol');
			raw.ws.send(frame);
			expect(await raw.closed).toBe(1007);
		}
		const big = await rawSocket(server, id, 'carol');
		big.ws.send(new Uint8Array(32 * 1024));
		expect(await big.closed).toBe(1009);

		expect(server.collab.stats().malformedFrames).toBe(frames.length);
		expect(server.logger.lines.filter((l) => l.message.startsWith('malformed frame'))).toHaveLength(
			frames.length
		);
		// The two real clients were not disturbed and keep syncing.
		expect(alice.closeCodes).toEqual([]);
		expect(bob.closeCodes).toEqual([]);
		alice.journey.updateJourney({ title: 'Still syncing' });
		await waitFor(() => bob.journey.snapshot().title === 'Still syncing', 'bob to receive the edit');
		const stage = bob.journey.snapshot().stages[0].id;
		bob.journey.addTouchpoint(stage, { title: 'Back to alice' });
		await waitFor(() => alice.journey.snapshot().touchpoints.length === 1, 'alice to receive the edit');
	});

	it('never overwrites stored data when a load fails, and serves the journey once loading works', async () => {
		let failLoads = true;
		const flaky: CollabPersistence = {
			loadDocument: async (journeyId) => {
				if (failLoads) throw new Error('database unreachable');
				return store.loadDocument(journeyId);
			},
			appendUpdate: (j, u) => store.appendUpdate(j, u),
			compact: (j, s) => store.compact(j, s)
		};
		const server = await start({ persistence: flaky });
		const id = await newJourney('airline');
		const before = await storedSnapshot(store, id);

		// A client with content of its own (e.g. edits kept offline) connects while the database is down.
		const local = new Y.Doc();
		openJourney(local).updateJourney({ title: 'Offline title' });
		openJourney(local).addStage({ title: 'Offline stage', group: 'sale' });
		const alice = connect(server, id, 'alice', local);
		await waitFor(() => alice.closeCodes.includes(4500), 'the refusal');
		expect(server.collab.stats().rooms).toBe(0);
		expect(server.collab.stats().failedLoads).toBeGreaterThan(0);
		await sleep(300);
		expect(await storedSnapshot(store, id)).toEqual(before);

		// 4500 means "try again later": the client comes back by itself and both contents merge.
		failLoads = false;
		await alice.synced;
		await waitFor(
			() => alice.journey.snapshot().stages.length === before.stages.length + 1,
			'the stored journey at the client'
		);
		await waitFor(
			() => !!serverSnapshot(server, id)?.stages.some((s) => s.title === 'Offline stage'),
			'the client’s own content at the server'
		);
		await server.collab.flush();
		const after = await storedSnapshot(store, id);
		expect(after.touchpoints).toEqual(before.touchpoints);
		expect(after.stages.map((s) => s.title)).toContain('Offline stage');
	});

	it('keeps a room whose stores fail in memory, and stores it when the database is back', async () => {
		let failStores = true;
		const flaky: CollabPersistence = {
			loadDocument: (j) => store.loadDocument(j),
			appendUpdate: async (j, u) => {
				if (failStores) throw new Error('disk full');
				return store.appendUpdate(j, u);
			},
			compact: (j, s) => store.compact(j, s)
		};
		const server = await start({
			persistence: flaky,
			unloadGraceMs: 50,
			storeRetryMs: 20,
			storeRetryMaxMs: 100
		});
		const id = await newJourney('default');
		const alice = connect(server, id, 'alice');
		await alice.synced;
		alice.journey.updateJourney({ title: 'Only in memory' });
		await waitFor(() => server.collab.stats().failedStores >= 2, 'the store to be retried');
		alice.provider.disconnect();
		await sleep(400);
		expect(server.collab.stats()).toMatchObject({ rooms: 1, roomsWithUnstoredChanges: 1 });

		failStores = false;
		await waitFor(() => server.collab.stats().rooms === 0, 'the room to be stored and unloaded');
		expect((await storedSnapshot(store, id)).title).toBe('Only in memory');
		expect(server.logger.lines.some((l) => l.level === 'error' && l.message.includes('will retry'))).toBe(
			true
		);
	});

	it('refuses a user past his connection cap for good, and takes him again once a tab closes', async () => {
		const server = await start({ maxConnectionsPerUser: 3 });
		const id = await newJourney('default');
		const other = await newJourney('default');
		// The cap counts every journey together.
		const tabs = [
			connect(server, id, 'alice'),
			connect(server, id, 'alice'),
			connect(server, other, 'alice')
		];
		await Promise.all(tabs.map((t) => t.synced));
		const extra = connect(server, id, 'alice');
		await waitFor(() => extra.closeCodes.length > 0, 'the fourth tab refused');
		expect(extra.closeCodes).toEqual([4429]);
		expect(server.collab.stats().refusedOverUserCap).toBe(1);
		// Another user is not concerned.
		const bob = connect(server, id, 'bob');
		await bob.synced;
		// The client stops (4400–4499): no retry storm.
		await sleep(800);
		expect(extra.closeCodes).toEqual([4429]);
		expect(server.collab.stats().refusedOverUserCap).toBe(1);
		tabs[0].destroy();
		await waitFor(() => server.collab.stats().connections === 3, 'the closed tab counted out');
		const again = connect(server, id, 'alice');
		await again.synced;
		expect(again.closeCodes).toEqual([]);
	});

	it('closes the sockets of a user whose access is revoked, and the client does not come back', async () => {
		const server = await start();
		const id = await newJourney('default');
		const alice = connect(server, id, 'alice');
		const bob = connect(server, id, 'bob');
		await Promise.all([alice.synced, bob.synced]);
		const upgrades = server.upgrades.get(id);
		expect(server.collab.closeConnectionsFor('user-bob', id)).toBe(1);
		await waitFor(() => bob.closeCodes.length > 0, 'bob to be closed');
		expect(bob.closeCodes).toEqual([4403]);
		await sleep(800);
		expect(server.upgrades.get(id)).toBe(upgrades);
		expect(alice.closeCodes).toEqual([]);
		expect(server.collab.stats().connections).toBe(1);
	});

	it('removes the presence of a client that leaves', async () => {
		const server = await start();
		const id = await newJourney('default');
		const alice = connect(server, id, 'alice');
		const bob = connect(server, id, 'bob');
		await Promise.all([alice.synced, bob.synced]);
		bob.provider.awareness.setLocalStateField('cursor', { x: 1, y: 2 });
		const bobId = bob.doc.clientID;
		await waitFor(
			() => alice.provider.awareness.getStates().get(bobId)?.cursor?.x === 1,
			'bob’s cursor at alice'
		);
		// Drop the connection without a goodbye: the server must remove bob's presence itself.
		bob.provider.shouldConnect = false;
		(bob.provider.ws as unknown as WebSocket).terminate();
		await waitFor(() => !alice.provider.awareness.getStates().has(bobId), 'bob’s presence to go');
		expect([...alice.provider.awareness.getStates().keys()]).toEqual([alice.doc.clientID]);
	});
});
