/**
 * Two collaboration servers on one database, linked through a real Redis, as two instances behind a
 * load balancer: clients of one journey on both see each other's edits and presence, every update
 * crosses once, a room that loads while the other instance holds unstored edits gets them, and what is
 * stored holds every edit once. Runs when TEST_REDIS_URL is set (`.ci/run` sets it).
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { openCluster, type ClusterLink } from '../../src/lib/server/cluster';
import { createCollabStore, type CollabStore } from '../../src/lib/server/collab-store';
import type { Database } from '../../src/lib/server/db';
import { emit, on } from '../../src/lib/server/events';
import { createJourneyDoc, openJourney, templateFile, type JourneySnapshot } from '../../src/lib/journey';
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
import { startTestRedis } from './helpers/redis';

const REDIS_URL = process.env.TEST_REDIS_URL;

async function storedSnapshot(store: CollabStore, journeyId: string): Promise<JourneySnapshot> {
	const copy = new Y.Doc();
	const state = await store.loadDocument(journeyId);
	if (state) Y.applyUpdate(copy, state);
	return openJourney(copy).snapshot();
}

const same = (a: TestClient, b: TestClient) =>
	JSON.stringify(a.journey.snapshot()) === JSON.stringify(b.journey.snapshot());

describe.skipIf(!REDIS_URL).each(engines())('two instances through Redis on $engine', ({ open }) => {
	let database: Database;
	let store: CollabStore;
	let workspaceId: string;
	// Channels of this file only: test files run side by side on one Redis.
	const prefix = `parcours-test-${randomUUID()}`;
	const links: ClusterLink[] = [];
	const servers: TestServer[] = [];
	const clients: TestClient[] = [];

	const newJourney = async () => {
		const id = (await makeJourney(database.db, workspaceId)).id;
		await store.saveInitialState(id, Y.encodeStateAsUpdate(createJourneyDoc(templateFile('default', 'en'))));
		return id;
	};
	const instance = async (options: Partial<Parameters<typeof startCollabServer>[0]> = {}) => {
		const link = await openCluster(REDIS_URL!, { prefix });
		links.push(link);
		const server = await startCollabServer({ persistence: store, fanout: link.fanout, ...options });
		servers.push(server);
		return { link, server };
	};
	const connect = (server: TestServer, journeyId: string, session: string) => {
		const client = connectClient(server, journeyId, session);
		clients.push(client);
		return client;
	};
	/** Two instances, a journey, Alice on the first and Bob on the second, both synced. */
	const aliceAndBob = async () => {
		const a = await instance();
		const b = await instance();
		const id = await newJourney();
		const alice = connect(a.server, id, 'alice');
		const bob = connect(b.server, id, 'bob');
		await Promise.all([alice.synced, bob.synced]);
		return { a, b, id, alice, bob };
	};
	const stageId = (c: TestClient, title: string) =>
		c.journey.snapshot().stages.find((s) => s.title === title)!.id;

	beforeAll(async () => {
		database = await open();
		store = createCollabStore(database.db);
		workspaceId = (await makeWorkspace(database.db, await makeUser(database.db))).id;
	});
	afterEach(async () => {
		for (const c of clients.splice(0)) c.destroy();
		for (const s of servers.splice(0)) await s.close();
		for (const l of links.splice(0)) await l.close();
	});
	afterAll(() => database.close());

	it('makes clients on two instances converge, shows presence across, and relays each update once', async () => {
		const { a, b, id, alice, bob } = await aliceAndBob();
		await sleep(100);

		const buy = stageId(alice, 'Buy');
		const fromAlice = alice.journey.addTouchpoint(buy, { title: 'Cart', channel: 'web' });
		const fromBob = bob.journey.addTouchpoint(buy, { title: 'Till', channel: 'store' });
		alice.journey.updateStage(buy, { title: 'Purchase' });
		bob.journey.updateStage(buy, { description: 'Paying' });
		await waitFor(() => alice.journey.snapshot().touchpoints.length === 2 && same(alice, bob), 'convergence');
		expect(alice.journey.snapshot().stages.find((s) => s.id === buy)).toMatchObject({
			title: 'Purchase',
			description: 'Paying'
		});
		expect(
			bob.journey
				.snapshot()
				.touchpoints.map((t) => t.id)
				.sort()
		).toEqual([fromAlice, fromBob].sort());

		// Presence crosses too.
		alice.provider.awareness.setLocalStateField('user', { name: 'Alice' });
		await waitFor(
			() => [...bob.provider.awareness.getStates().values()].some((s) => s.user?.name === 'Alice'),
			'Alice’s presence on the other instance'
		);

		// Alice alone edits: her instance publishes each of her updates once, the other publishes nothing.
		await sleep(200);
		const before = { a: a.link.stats(), b: b.link.stats() };
		for (let i = 0; i < 20; i++) alice.journey.updateStage(buy, { description: `step ${i}` });
		await waitFor(
			() => bob.journey.snapshot().stages.find((s) => s.id === buy)?.description === 'step 19',
			'Alice’s last edit on Bob’s side'
		);
		await sleep(300);
		const after = { a: a.link.stats(), b: b.link.stats() };
		expect(after.b.published - before.b.published).toBe(0);
		const sent = after.a.published - before.a.published;
		expect(sent).toBeGreaterThanOrEqual(1);
		expect(sent).toBeLessThanOrEqual(20);
		expect(after.b.received - before.b.received).toBe(sent);
		// Quiet means quiet: no message goes round between the two.
		await sleep(300);
		expect(a.link.stats().published + b.link.stats().published).toBe(after.a.published + after.b.published);

		// A late joiner on either instance gets the same journey.
		const carol = connect(b.server, id, 'carol');
		await carol.synced;
		expect(carol.journey.snapshot()).toEqual(alice.journey.snapshot());
	});

	it('gives a room that loads, before its first client syncs, the edits another instance has not stored', async () => {
		// Instance A stores only after 20 s: its edits exist in its memory and its clients only.
		const a = await instance({ storeDebounceMs: 20_000, storeMaxWaitMs: 20_000 });
		// A long wait: it ends as soon as A answers, and a busy machine must not end it first.
		const b = await instance({ peerSyncWaitMs: 10_000 });
		const id = await newJourney();
		const alice = connect(a.server, id, 'alice');
		await alice.synced;
		const tp = alice.journey.addTouchpoint(stageId(alice, 'Buy'), { title: 'Unstored', channel: 'web' });
		await waitFor(() => a.server.collab.stats().roomsWithUnstoredChanges === 1, 'the edit in A’s memory');
		expect((await storedSnapshot(store, id)).touchpoints).toHaveLength(0);

		const bob = connect(b.server, id, 'bob');
		await bob.synced;
		// Already in Bob's first sync: B's room waited for A's answer before taking its first client.
		expect(bob.journey.snapshot().touchpoints.map((t) => t.id)).toEqual([tp]);
		// B keeps what it holds too: A crashing now would not lose the edit.
		await b.server.collab.flush();
		expect((await storedSnapshot(store, id)).touchpoints.map((t) => t.id)).toEqual([tp]);
	});

	it('brings a change stored by an instance without the room to clients of the instance that holds it', async () => {
		const a = await instance();
		const b = await instance();
		const id = await newJourney();
		const bob = connect(b.server, id, 'bob');
		await bob.synced;
		const buy = stageId(bob, 'Buy');
		// As a version restore or an import on A would: A has no room for this journey.
		await a.server.collab.updateDocument(id, (state) => {
			const doc = new Y.Doc();
			Y.applyUpdate(doc, state);
			const vector = Y.encodeStateVector(doc);
			openJourney(doc).updateStage(buy, { title: 'Changed on A' });
			return Y.encodeStateAsUpdate(doc, vector);
		});
		expect(a.server.collab.stats().rooms).toBe(0);
		await waitFor(
			() => bob.journey.snapshot().stages.find((s) => s.id === buy)?.title === 'Changed on A',
			'the change on B'
		);
	});

	it('stores every edit once when both instances store and compact the same journey', async () => {
		// Compacting every few updates makes both instances compact while the other appends.
		const compacting = createCollabStore(database.db, { compactAfter: 3 });
		const a = await instance({ persistence: compacting });
		const b = await instance({ persistence: compacting });
		const id = await newJourney();
		const editors = [
			connect(a.server, id, 'alice'),
			connect(b.server, id, 'bob'),
			connect(a.server, id, 'carol'),
			connect(b.server, id, 'alice')
		];
		await Promise.all(editors.map((e) => e.synced));
		const buy = stageId(editors[0], 'Buy');
		const made: string[] = [];
		for (let round = 0; round < 15; round++) {
			editors.forEach((e, i) =>
				made.push(e.journey.addTouchpoint(buy, { title: `t${round}-${i}`, channel: 'web' }))
			);
			await sleep(15);
		}
		await waitFor(
			() => editors.every((e) => e.journey.snapshot().touchpoints.length === made.length),
			'every edit everywhere'
		);
		await waitFor(() => editors.every((e) => same(e, editors[0])), 'convergence');
		for (const e of editors) e.destroy();
		clients.splice(0);
		// Both unload: both store and compact under the advisory lock.
		await waitFor(
			() => a.server.collab.stats().rooms === 0 && b.server.collab.stats().rooms === 0,
			'both rooms unloaded'
		);
		const stored = await storedSnapshot(compacting, id);
		expect(stored.touchpoints.map((t) => t.id).sort()).toEqual([...made].sort());
		expect(new Set(stored.touchpoints.map((t) => t.title)).size).toBe(made.length);
		// A fresh client, on either instance, reads the same.
		const fresh = connect(a.server, id, 'carol');
		await fresh.synced;
		expect(fresh.journey.snapshot().touchpoints).toHaveLength(made.length);
	});

	it('catches up after the Redis link breaks: edits made meanwhile reach the other instance', async () => {
		const { b, alice, bob } = await aliceAndBob();
		const buy = stageId(alice, 'Buy');
		const admin = new Redis(REDIS_URL!);
		try {
			// B's subscriber connection is dropped; while it reconnects, Alice keeps editing on A.
			const list = await admin.client('LIST');
			const line = String(list)
				.split('\n')
				.find((l) => l.includes(`name=${prefix}:${b.link.instanceId}:sub`))!;
			const clientId = /(?:^| )id=(\d+)/.exec(line)![1];
			await admin.client('KILL', 'ID', clientId);
			const during = alice.journey.addTouchpoint(buy, { title: 'During the break', channel: 'web' });
			await waitFor(
				() => bob.journey.snapshot().touchpoints.some((t) => t.id === during),
				'the edit made during the break on B',
				10_000
			);
		} finally {
			admin.disconnect();
		}
		await waitFor(() => same(alice, bob), 'convergence');
		expect(bob.journey.snapshot().touchpoints.map((t) => t.title)).toEqual(['During the break']);
	});

	it('refuses presence for another instance’s client from a different user', async () => {
		const { a, id, alice, bob } = await aliceAndBob();
		bob.provider.awareness.setLocalStateField('user', { name: 'Bob' });
		await waitFor(
			() => alice.provider.awareness.getStates().get(bob.doc.clientID)?.user?.name === 'Bob',
			'Bob on A'
		);
		// Carol, on A, speaks with Bob's client id.
		const doc = new Y.Doc();
		doc.clientID = bob.doc.clientID;
		const carol = connectClient(a.server, id, 'carol', doc);
		clients.push(carol);
		await carol.synced;
		carol.provider.awareness.setLocalStateField('user', { name: 'Not Bob' });
		await waitFor(() => a.server.collab.stats().droppedAwarenessUpdates > 0, 'the spoof dropped');
		await sleep(200);
		expect(alice.provider.awareness.getStates().get(bob.doc.clientID)?.user?.name).toBe('Bob');
		expect(bob.provider.awareness.getStates().get(bob.doc.clientID)?.user?.name).toBe('Bob');
		// Bob himself may, on A, while his state from B is still there (a reconnection after a crash).
		const doc2 = new Y.Doc();
		doc2.clientID = bob.doc.clientID;
		const again = connectClient(a.server, id, 'bob', doc2);
		clients.push(again);
		await again.synced;
		again.provider.awareness.setLocalStateField('user', { name: 'Bob again' });
		await waitFor(
			() => alice.provider.awareness.getStates().get(bob.doc.clientID)?.user?.name === 'Bob again',
			'Bob’s own update accepted'
		);
	});

	it('keeps serving while Redis is away: journeys open, edits stay local, shutdown does not hang', async () => {
		// A Redis of this test's own, to stop it.
		const redis = await startTestRedis();
		try {
			const url = redis.url;
			const link = await openCluster(url, { prefix });
			links.push(link);
			const server = await startCollabServer({ persistence: store, fanout: link.fanout });
			servers.push(server);
			redis.kill();
			await sleep(200);
			// A journey opened during the outage loads from the database at once.
			const id = await newJourney();
			const started = Date.now();
			const alice = connect(server, id, 'alice');
			await alice.synced;
			expect(Date.now() - started).toBeLessThan(3_000);
			const bob = connect(server, id, 'bob');
			await bob.synced;
			alice.journey.addTouchpoint(stageId(alice, 'Buy'), { title: 'Offline from Redis', channel: 'web' });
			await waitFor(() => bob.journey.snapshot().touchpoints.length === 1, 'the edit on the same instance');
			// Nothing is queued for the peers meanwhile, and stopping does not wait for Redis.
			expect(link.stats().dropped).toBeGreaterThan(0);
			const closing = Date.now();
			for (const c of clients.splice(0)) c.destroy();
			await server.close();
			servers.splice(servers.indexOf(server), 1);
			await link.close();
			links.splice(links.indexOf(link), 1);
			expect(Date.now() - closing).toBeLessThan(5_000);
			expect((await storedSnapshot(store, id)).touchpoints.map((t) => t.title)).toEqual([
				'Offline from Redis'
			]);
		} finally {
			redis.kill();
		}
	});

	it('carries app events to other instances once, and keeps local-only listeners local', async () => {
		const link = await openCluster(REDIS_URL!, { prefix });
		links.push(link);
		const other = new Redis(REDIS_URL!);
		const listener = new Redis(REDIS_URL!);
		try {
			const heard: string[] = [];
			await listener.subscribe(`${prefix}:events`);
			listener.on('messageBuffer', (_c: Buffer, m: Buffer) => heard.push(m.subarray(8).toString()));
			const workspace = randomUUID();
			emit('taxonomy:changed', { workspaceId: workspace });
			await waitFor(() => heard.length === 1, 'the event on Redis');
			expect(JSON.parse(heard[0])).toEqual({ name: 'taxonomy:changed', payload: { workspaceId: workspace } });

			// Another instance's event reaches every listener here, except the local-only ones.
			const all: string[] = [];
			const local: string[] = [];
			const offAll = on('feedback:changed', (e) => all.push(e.workspaceId));
			const offLocal = on('feedback:changed', (e) => local.push(e.workspaceId), { localOnly: true });
			const elsewhere = Buffer.from('0123456789abcdef', 'hex');
			const event = {
				name: 'feedback:changed',
				payload: { workspaceId: workspace, journeyIds: [], itemIds: [] }
			};
			await other.publish(`${prefix}:events`, Buffer.concat([elsewhere, Buffer.from(JSON.stringify(event))]));
			// An unknown event name and garbage are ignored.
			await other.publish(`${prefix}:events`, Buffer.concat([elsewhere, Buffer.from('{"name":"nope"}')]));
			await other.publish(`${prefix}:events`, Buffer.concat([elsewhere, Buffer.from('not json')]));
			await waitFor(() => all.length === 1, 'the remote event');
			await sleep(100);
			expect(all).toEqual([workspace]);
			expect(local).toEqual([]);
			// And it is not sent back out.
			expect(heard).toHaveLength(1 + 3);
			offAll();
			offLocal();
		} finally {
			other.disconnect();
			listener.disconnect();
		}
	});
});
