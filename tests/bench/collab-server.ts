/**
 * Server side of `npm run bench:collab` and `npm run bench:cluster`, run as a child process so its CPU
 * and memory are its own. `BENCH_SERVER=collab`: the real collaboration server with cookie sessions
 * checked against the database, on PGlite, or on PostgreSQL with `BENCH_DATABASE_URL` (a database the
 * bench made). `BENCH_REDIS_URL` (+ `BENCH_REDIS_PREFIX`) links it to the other instances through Redis.
 * `BENCH_SEED=0`: an extra instance that only serves what the first one created (user, session,
 * journeys). `BENCH_SERVER=relay`: a minimal y-protocols relay (one Y.Doc per room, sync + awareness, no
 * auth, no persistence) to compare against. Driven over IPC.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { WebSocketServer, type WebSocket } from 'ws';
import { CollabServer } from '../../server/collab/server';
import { createCollabUpgradeHandler } from '../../server/collab/ws';
import { silentLogger } from '../../server/collab/types';
import { createJourneyDoc, templateFile, type JourneyFileInput } from '../../src/lib/journey';
import { authenticateCollab } from '../../src/lib/server/collab-auth';
import { createCollabStore } from '../../src/lib/server/collab-store';
import { openCluster, type ClusterLink } from '../../src/lib/server/cluster';
import { createSession, generateSessionToken, SESSION_COOKIE } from '../../src/lib/server/auth/session';
import { openDatabase } from '../../src/lib/server/db';
import { journey, membership, user, workspace } from '../../src/lib/server/db/schema';

export type BenchCommand =
	| { cmd: 'journeys'; count: number; touchpoints: number }
	| { cmd: 'stats' }
	| { cmd: 'gc' }
	| { cmd: 'unloadAll' };
export type BenchRequest = BenchCommand & { id: number };

/** A journey with `n` touchpoints over 10 stages, each with text, lists and a connection. */
export function bigJourney(n: number): JourneyFileInput {
	const stages = Array.from({ length: 10 }, (_, s) => ({
		id: `s${s}`,
		title: `Stage ${s}`,
		group: (['pre-sale', 'sale', 'after-sale'] as const)[Math.min(2, Math.floor(s / 4))],
		touchpoints: Array.from({ length: Math.ceil(n / 10) }, (_, t) => s * Math.ceil(n / 10) + t)
			.filter((i) => i < n)
			.map((i) => ({
				id: `t${i}`,
				title: `Touchpoint ${i}`,
				channel: 'web' as const,
				does: 'Looks for the opening hours on the website',
				thinks: 'Why is this so hard to find?',
				feels: 'Annoyed',
				pains: ['Slow page', 'Hidden link'],
				joys: ['Clear map'],
				emotion: ((i % 5) - 2) as -2 | -1 | 0 | 1 | 2,
				keywords: ['hours', 'horaires'],
				products: ['Store'],
				notes: 'Seen in the March survey.'
			}))
	}));
	return {
		title: `Journey of ${n} touchpoints`,
		personas: [{ id: 'p', name: 'Customer' }],
		stages,
		connections: Array.from({ length: Math.max(0, n - 1) }, (_, i) => ({
			id: `c${i}`,
			from: `t${i}`,
			to: `t${i + 1}`
		}))
	};
}

async function main() {
	const kind = process.env.BENCH_SERVER === 'relay' ? 'relay' : 'collab';
	const send = (msg: unknown) => process.send!(msg);
	const url = process.env.BENCH_DATABASE_URL;
	const seeds = process.env.BENCH_SEED !== '0';
	const database =
		kind === 'collab' ? await openDatabase(url ? { engine: 'postgres', url } : { engine: 'pglite' }) : null;
	if (seeds) await database?.migrate();
	const db = database?.db;
	const redisUrl = process.env.BENCH_REDIS_URL;
	const link: ClusterLink | null =
		kind === 'collab' && redisUrl
			? await openCluster(redisUrl, { prefix: process.env.BENCH_REDIS_PREFIX ?? `bench-${randomUUID()}` })
			: null;
	let sessionCookie = '';
	let workspaceId = '';
	if (db && seeds) {
		const [u] = await db
			.insert(user)
			// The phases of bench:cluster share one PostgreSQL database, each with a seeding instance of its own.
			.values({ email: `bench-${randomUUID()}@example.com`, name: 'Bench', passwordHash: 'x' })
			.returning();
		const [w] = await db.insert(workspace).values({ name: 'Bench' }).returning();
		await db.insert(membership).values({ workspaceId: w.id, userId: u.id, role: 'editor' });
		const token = generateSessionToken();
		await createSession(db, token, u.id);
		sessionCookie = `${SESSION_COOKIE}=${token}`;
		workspaceId = w.id;
	}

	const httpServer = http.createServer((_req, res) => res.writeHead(404).end());
	let collab: CollabServer | null = null;
	const relayDocs = new Map<string, Y.Doc>();
	let nextRelayId = 0;
	if (kind === 'collab') {
		const store = createCollabStore(db!);
		collab = new CollabServer({
			persistence: store,
			fanout: link?.fanout,
			logger: silentLogger,
			unloadGraceMs: Number(process.env.BENCH_GRACE_MS ?? 1000),
			// Every simulated editor signs in as the same member.
			maxConnectionsPerUser: Infinity
		});
		const upgrade = createCollabUpgradeHandler({
			collab,
			logger: silentLogger,
			authenticate: (req, journeyId) => authenticateCollab(db!, { cookie: req.headers.cookie }, journeyId)
		});
		httpServer.on(
			'upgrade',
			(req, socket, head) => upgrade.handleUpgrade(req, socket, head) || socket.destroy()
		);
	} else {
		const wss = new WebSocketServer({ noServer: true });
		httpServer.on('upgrade', (req, socket, head) =>
			wss.handleUpgrade(req, socket, head, (ws) => relay(ws, req.url ?? '/'))
		);
	}

	/** The minimal relay: what y-websocket's own example server does, nothing more. */
	function relay(ws: WebSocket, url: string) {
		const name = url.split('?')[0].split('/').pop()!;
		let doc = relayDocs.get(name);
		if (!doc) {
			const d = new Y.Doc();
			const aw = new awarenessProtocol.Awareness(d);
			aw.setLocalState(null);
			const conns = new Set<WebSocket>();
			Object.assign(d, { conns, aw });
			d.on('update', (update: Uint8Array, origin: unknown) => {
				const e = encoding.createEncoder();
				encoding.writeVarUint(e, 0);
				syncProtocol.writeUpdate(e, update);
				const m = encoding.toUint8Array(e);
				for (const c of conns) if (c !== origin) c.send(m);
			});
			aw.on('update', ({ added, updated, removed }: Record<string, number[]>, origin: unknown) => {
				const e = encoding.createEncoder();
				encoding.writeVarUint(e, 1);
				encoding.writeVarUint8Array(
					e,
					awarenessProtocol.encodeAwarenessUpdate(aw, added.concat(updated, removed))
				);
				const m = encoding.toUint8Array(e);
				for (const c of conns) if (c !== origin) c.send(m);
			});
			relayDocs.set(name, (doc = d));
		}
		const d = doc as Y.Doc & { conns: Set<WebSocket>; aw: awarenessProtocol.Awareness };
		d.conns.add(ws);
		const ids = new Set<number>();
		ws.on('message', (data: Buffer) => {
			const dec = decoding.createDecoder(data);
			const type = decoding.readVarUint(dec);
			if (type === 0) {
				const e = encoding.createEncoder();
				encoding.writeVarUint(e, 0);
				syncProtocol.readSyncMessage(dec, e, d, ws);
				if (encoding.length(e) > 1) ws.send(encoding.toUint8Array(e));
			} else if (type === 1) {
				const u = decoding.readVarUint8Array(dec);
				for (const c of readIds(u)) ids.add(c);
				awarenessProtocol.applyAwarenessUpdate(d.aw, u, ws);
			}
		});
		ws.on('close', () => {
			d.conns.delete(ws);
			awarenessProtocol.removeAwarenessStates(d.aw, [...ids], null);
		});
		const e = encoding.createEncoder();
		encoding.writeVarUint(e, 0);
		syncProtocol.writeSyncStep1(e, d);
		ws.send(encoding.toUint8Array(e));
	}

	function readIds(update: Uint8Array): number[] {
		const dec = decoding.createDecoder(update);
		const n = decoding.readVarUint(dec);
		const out: number[] = [];
		for (let i = 0; i < n; i++) {
			out.push(decoding.readVarUint(dec));
			decoding.readVarUint(dec);
			decoding.readVarString(dec);
		}
		return out;
	}

	await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
	const { port } = httpServer.address() as AddressInfo;
	let cpu = process.cpuUsage();
	let cpuAt = performance.now();
	let linked = link?.stats() ?? { published: 0, received: 0 };

	process.on('message', async (req: BenchRequest) => {
		try {
			if (req.cmd === 'journeys') {
				if (kind === 'collab' && !seeds) throw new Error('this instance only serves (BENCH_SEED=0)');
				const ids: string[] = [];
				const state = Y.encodeStateAsUpdate(
					createJourneyDoc({ ...templateFile('blank', 'en'), journey: bigJourney(req.touchpoints) })
				);
				for (let i = 0; i < req.count; i++) {
					if (db) {
						const [j] = await db
							.insert(journey)
							.values({ workspaceId, title: `J${i}` })
							.returning();
						await createCollabStore(db).saveInitialState(j.id, state);
						ids.push(j.id);
					} else {
						// Relay rooms start empty; the clients bring the same initial state.
						ids.push(`00000000-0000-4000-8000-${String(nextRelayId++).padStart(12, '0')}`);
					}
				}
				send({ id: req.id, ids, cookie: sessionCookie, state: Buffer.from(state).toString('base64') });
			} else if (req.cmd === 'stats') {
				const now = performance.now();
				const used = process.cpuUsage(cpu);
				const cpuPercent = ((used.user + used.system) / 1000 / (now - cpuAt)) * 100;
				cpu = process.cpuUsage();
				cpuAt = now;
				const mem = process.memoryUsage();
				const counts = link?.stats();
				const cluster = counts
					? { published: counts.published - linked.published, received: counts.received - linked.received }
					: null;
				if (counts) linked = counts;
				send({
					id: req.id,
					cpuPercent,
					rss: mem.rss,
					heapUsed: mem.heapUsed,
					cluster,
					collab: collab?.stats()
				});
			} else if (req.cmd === 'gc') {
				for (let i = 0; i < 3; i++) {
					global.gc?.();
					await new Promise((r) => setTimeout(r, 20));
				}
				// Encoded documents live in ArrayBuffers, outside the JS heap: count both.
				const mem = process.memoryUsage();
				send({
					id: req.id,
					heapUsed: mem.heapUsed + mem.arrayBuffers,
					rooms: collab?.stats().rooms ?? relayDocs.size
				});
			} else if (req.cmd === 'unloadAll') {
				await collab?.flush();
				send({ id: req.id });
			}
		} catch (e) {
			send({ id: req.id, error: (e as Error).stack });
		}
	});
	send({ ready: true, port });
}

if (process.send) void main();
