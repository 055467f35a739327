/**
 * Benchmark of the collaboration server with real y-websocket clients (issue 4).
 *
 *   npm run bench:collab
 *
 * 1. Load: R journeys × N editors, each editor moving a touchpoint 5 times a second for S seconds,
 *    against the real server (cookie sessions checked in the database, PGlite persistence), then the
 *    same load against a minimal y-protocols relay (no auth, no persistence): p50/p99 propagation
 *    latency, server CPU and memory, and the ratio of the two.
 * 2. One hot journey: H editors editing and moving their cursor; cursor p50/p99.
 * 3. Cold join of a 1,000-touchpoint journey (load from the database + sync), warm join.
 * 4. Server memory per loaded 200-touchpoint journey.
 * 5. Server heap after C connect/disconnect cycles, against the heap before.
 *
 * The server runs in a child process; the clients share this process (2 cores here: when this process
 * is saturated, client time inflates the latencies of both servers alike — its CPU is reported).
 * Environment: BENCH_JOURNEYS (100), BENCH_EDITORS (10), BENCH_SECONDS (30), BENCH_HOT_EDITORS (100),
 * BENCH_CURSOR_HZ (5), BENCH_CYCLES (10000), BENCH_ONLY (join: the cold join alone).
 */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { openJourney } from '../../src/lib/journey';
import type { BenchCommand } from './collab-server';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const JOURNEYS = env('BENCH_JOURNEYS', 100);
const EDITORS = env('BENCH_EDITORS', 10);
const SECONDS = env('BENCH_SECONDS', 30);
const HOT_EDITORS = env('BENCH_HOT_EDITORS', 100);
const CURSOR_HZ = env('BENCH_CURSOR_HZ', 5);
const CYCLES = env('BENCH_CYCLES', 10_000);
export const EDIT_HZ = 5;

const here = path.dirname(fileURLToPath(import.meta.url));
// Each y-websocket provider in Node adds a process 'exit' listener.
process.setMaxListeners(0);

type Reply = Record<string, unknown> & { id?: number; error?: string };

export interface BenchServer {
	port: number;
	request<T = Reply>(cmd: BenchCommand): Promise<T>;
	stop(): void;
}

/** What a bench server's `stats` command answers; CPU and link counters cover the time since the last call. */
export interface ServerStats {
	cpuPercent: number;
	rss: number;
	heapUsed: number;
	cluster: { published: number; received: number } | null;
}

export async function startServer(
	kind: 'collab' | 'relay',
	extraEnv: Record<string, string> = {}
): Promise<BenchServer> {
	const child: ChildProcess = fork(path.join(here, 'collab-server.ts'), [], {
		execArgv: ['--import', 'tsx', '--expose-gc'],
		env: { ...process.env, BENCH_SERVER: kind, ...extraEnv },
		stdio: ['ignore', 'inherit', 'inherit', 'ipc']
	});
	let next = 1;
	const waiting = new Map<number, (r: Reply) => void>();
	const port = await new Promise<number>((resolve, reject) => {
		child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
		child.on('message', (m: Reply) => {
			if (m.ready) resolve(m.port as number);
			else if (m.id !== undefined) waiting.get(m.id)?.(m);
		});
	});
	return {
		port,
		request(cmd) {
			const id = next++;
			return new Promise((resolve, reject) => {
				waiting.set(id, (r) => {
					waiting.delete(id);
					if (r.error) reject(new Error(r.error));
					else resolve(r as never);
				});
				child.send({ ...cmd, id });
			});
		},
		stop: () => child.kill()
	};
}

function cookieSocket(cookie: string): typeof WebSocket {
	return class extends WebSocket {
		constructor(url: string | URL, protocols?: string | string[]) {
			super(url, protocols, cookie ? { headers: { cookie } } : {});
		}
	} as typeof WebSocket;
}

export interface Client {
	doc: Y.Doc;
	provider: WebsocketProvider;
	synced: Promise<void>;
	destroy(): void;
}

export function connect(port: number, journeyId: string, cookie: string, initial?: Uint8Array): Client {
	const doc = new Y.Doc();
	if (initial) Y.applyUpdate(doc, initial);
	const provider = new WebsocketProvider(`ws://127.0.0.1:${port}/collab`, journeyId, doc, {
		WebSocketPolyfill: cookieSocket(cookie) as never,
		disableBc: true
	});
	const synced = new Promise<void>((resolve) => provider.on('sync', (s: boolean) => s && resolve()));
	return {
		doc,
		provider,
		synced,
		destroy() {
			provider.destroy();
			doc.destroy();
		}
	};
}

export async function inBatches<T>(items: T[], size: number, fn: (item: T) => Promise<void>): Promise<void> {
	for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(fn));
}

export function percentile(sorted: number[], p: number): number {
	if (sorted.length === 0) return NaN;
	return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export const ms = (n: number) => `${n.toFixed(1)} ms`;
export const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;

interface LoadResult {
	p50: number;
	p99: number;
	samples: number;
	cursorP50?: number;
	cursorP99?: number;
	cursorSamples?: number;
	serverCpu: number;
	serverRss: number;
	serverHeap: number;
	clientCpu: number;
}

export interface LoadPlan {
	/** Journeys already stored, with the state the clients start from (the stored one). */
	journeys: { ids: string[]; cookie: string; initial: Uint8Array };
	servers: BenchServer[];
	editors: number;
	seconds: number;
	cursorHz?: number;
	/** Which of `servers` the `editor`-th editor of a journey connects to; the first by default. */
	serverOf?: (editor: number) => number;
	/** Runs right before and right after the measured window (e.g. to read counters elsewhere). */
	onWindow?: (edge: 'start' | 'end') => Promise<void>;
	/** After the window, waits until every journey's clients hold the same document (or 10 s), counting the deliveries still arriving. */
	checkConvergence?: boolean;
}

export interface LoadMeasure {
	/** Edit propagation, sorted, to clients on the sender's server and to clients on another one. */
	sameServer: number[];
	crossServer: number[];
	/** Cursor propagation, sorted. */
	cursor: number[];
	/** Per server, in the order of `servers`, over the window. */
	servers: ServerStats[];
	/** This process's CPU over the window, in % of one core. */
	clientCpu: number;
	/** The window's measured length. */
	seconds: number;
	/** Edits made in the window (the timers run only then): a starved client process makes fewer than planned. */
	edits: number;
	/** Journeys whose clients still disagreed 10 s after the window (with `checkConvergence`). */
	diverged: number;
}

/** Every journey's editors moving touchpoints at 5 Hz (and cursors at `cursorHz`) for `seconds`. */
export async function measureLoad(plan: LoadPlan): Promise<LoadMeasure> {
	const { servers, editors, seconds, cursorHz = 0 } = plan;
	const { ids, cookie, initial } = plan.journeys;
	const serverOf = plan.serverOf ?? (() => 0);
	const clients: { client: Client; journey: string; server: number }[] = [];
	const sameServer: number[] = [];
	const crossServer: number[] = [];
	const cursor: number[] = [];
	let measuring = false;
	let edits = 0;
	const slots = ids.flatMap((journey) =>
		Array.from({ length: editors }, (_, e) => ({ journey, server: serverOf(e) }))
	);
	await inBatches(slots, 50, async ({ journey, server }) => {
		const client = connect(servers[server].port, journey, cookie, initial);
		clients.push({ client, journey, server });
		await client.synced;
	});
	// The edit marks are keyed by the sender's client id: where it sits tells which route an edit took.
	const serverOfClient = new Map(clients.map((c) => [c.client.doc.clientID, c.server]));
	for (const { client: c, server } of clients) {
		c.doc.getMap<number>('bench').observe((e) => {
			if (!measuring || e.transaction.local) return;
			const now = performance.now();
			for (const k of e.keysChanged) {
				const into = serverOfClient.get(Number(k)) === server ? sameServer : crossServer;
				into.push(now - (e.target.get(k) as number));
			}
		});
		if (cursorHz > 0) {
			c.provider.awareness.on(
				'change',
				({ updated, added }: { updated: number[]; added: number[] }, origin: unknown) => {
					if (!measuring || origin === 'local') return;
					const now = performance.now();
					for (const id of updated.concat(added)) {
						const t = c.provider.awareness.getStates().get(id)?.t;
						if (typeof t === 'number') cursor.push(now - t);
					}
				}
			);
		}
	}
	const timers: ReturnType<typeof setInterval>[] = [];
	const startTimer = (hz: number, fn: () => void) =>
		setTimeout(() => timers.push(setInterval(fn, 1000 / hz)), Math.random() * (1000 / hz));
	await sleep(300);
	// Resets the servers' CPU and link counters.
	await Promise.all(servers.map((s) => s.request({ cmd: 'stats' })));
	await plan.onWindow?.('start');
	const clientCpu0 = process.cpuUsage();
	const t0 = performance.now();
	measuring = true;
	const starters = clients.flatMap(({ client: c }) => {
		const journey = openJourney(c.doc);
		const { stages, touchpoints } = journey.snapshot();
		const marks = c.doc.getMap<number>('bench');
		const out = [
			startTimer(EDIT_HZ, () => {
				const tp = touchpoints[Math.floor(Math.random() * touchpoints.length)].id;
				const stage = stages[Math.floor(Math.random() * stages.length)].id;
				c.doc.transact(() => {
					journey.moveTouchpoint(tp, stage, 0);
					marks.set(String(c.doc.clientID), performance.now());
				});
				edits++;
			})
		];
		if (cursorHz > 0) {
			out.push(
				startTimer(cursorHz, () =>
					c.provider.awareness.setLocalState({
						cursor: { x: Math.random() * 1000, y: Math.random() * 800 },
						t: performance.now()
					})
				)
			);
		}
		return out;
	});
	await sleep(seconds * 1000);
	// With the convergence check, edits of the window still in flight count when they arrive: cutting
	// them off would drop the slowest deliveries from the percentiles.
	measuring = !!plan.checkConvergence;
	for (const t of starters) clearTimeout(t);
	for (const t of timers) clearInterval(t);
	const wall = performance.now() - t0;
	const used = process.cpuUsage(clientCpu0);
	const stats = await Promise.all(servers.map((s) => s.request<ServerStats>({ cmd: 'stats' })));
	await plan.onWindow?.('end');
	let diverged = 0;
	if (plan.checkConvergence) {
		const disagreeing = () => {
			const vectors = new Map<string, Set<string>>();
			for (const { client, journey } of clients) {
				const seen = vectors.get(journey) ?? vectors.set(journey, new Set()).get(journey)!;
				// The vector misses deletions: the map read back tells those.
				const vector = Buffer.from(Y.encodeStateVector(client.doc)).toString('base64');
				seen.add(vector + JSON.stringify(openJourney(client.doc).snapshot()));
			}
			return [...vectors.values()].filter((v) => v.size > 1).length;
		};
		for (let waited = 0; (diverged = disagreeing()) > 0 && waited < 10_000; waited += 100) await sleep(100);
		measuring = false;
	}
	for (const { client } of clients) client.destroy();
	const byValue = (a: number, b: number) => a - b;
	return {
		sameServer: sameServer.sort(byValue),
		crossServer: crossServer.sort(byValue),
		cursor: cursor.sort(byValue),
		servers: stats,
		clientCpu: ((used.user + used.system) / 1000 / wall) * 100,
		seconds: wall / 1000,
		edits,
		diverged
	};
}

/** `journeys` × `editors` clients moving touchpoints at 5 Hz (and cursors at `cursorHz`) for `seconds`. */
async function load(
	kind: 'collab' | 'relay',
	journeys: number,
	editors: number,
	seconds: number,
	cursorHz = 0
): Promise<LoadResult> {
	const server = await startServer(kind);
	try {
		const { ids, cookie, state } = await server.request<{ ids: string[]; cookie: string; state: string }>({
			cmd: 'journeys',
			count: journeys,
			touchpoints: 20
		});
		const initial = new Uint8Array(Buffer.from(state, 'base64'));
		const m = await measureLoad({
			journeys: { ids, cookie, initial },
			servers: [server],
			editors,
			seconds,
			cursorHz
		});
		const [stats] = m.servers;
		return {
			p50: percentile(m.sameServer, 50),
			p99: percentile(m.sameServer, 99),
			samples: m.sameServer.length,
			...(cursorHz > 0
				? {
						cursorP50: percentile(m.cursor, 50),
						cursorP99: percentile(m.cursor, 99),
						cursorSamples: m.cursor.length
					}
				: {}),
			serverCpu: stats.cpuPercent,
			serverRss: stats.rss,
			serverHeap: stats.heapUsed,
			clientCpu: m.clientCpu
		};
	} finally {
		server.stop();
	}
}

async function coldJoin(): Promise<{ cold: number[]; warm: number[] }> {
	const server = await startServer('collab');
	try {
		const { ids, cookie } = await server.request<{ ids: string[]; cookie: string }>({
			cmd: 'journeys',
			count: 5,
			touchpoints: 1000
		});
		const cold: number[] = [];
		const warm: number[] = [];
		for (const id of ids) {
			let t = performance.now();
			const first = connect(server.port, id, cookie);
			await first.synced;
			cold.push(performance.now() - t);
			if (openJourney(first.doc).snapshot().touchpoints.length !== 1000)
				throw new Error('cold join: journey incomplete');
			t = performance.now();
			const second = connect(server.port, id, cookie);
			await second.synced;
			warm.push(performance.now() - t);
			first.destroy();
			second.destroy();
		}
		return { cold, warm };
	} finally {
		server.stop();
	}
}

async function memoryPerJourney(count = 50): Promise<number> {
	const server = await startServer('collab', { BENCH_GRACE_MS: String(10 * 60_000) });
	try {
		const { ids, cookie } = await server.request<{ ids: string[]; cookie: string }>({
			cmd: 'journeys',
			count: count + 1,
			touchpoints: 200
		});
		// Warm up code paths with one journey, then measure the others.
		const warm = connect(server.port, ids[0], cookie);
		await warm.synced;
		warm.destroy();
		await sleep(200);
		const before = await server.request<{ heapUsed: number }>({ cmd: 'gc' });
		await inBatches(ids.slice(1), 10, async (id) => {
			const c = connect(server.port, id, cookie);
			await c.synced;
			c.destroy();
		});
		await sleep(500);
		const after = await server.request<{ heapUsed: number; rooms: number }>({ cmd: 'gc' });
		if (after.rooms !== count + 1)
			throw new Error(`expected ${count + 1} loaded journeys, found ${after.rooms}`);
		return (after.heapUsed - before.heapUsed) / count;
	} finally {
		server.stop();
	}
}

async function connectCycles(cycles: number): Promise<{ before: number; after: number; seconds: number }> {
	const server = await startServer('collab', { BENCH_GRACE_MS: '200' });
	try {
		const { ids, cookie } = await server.request<{ ids: string[]; cookie: string }>({
			cmd: 'journeys',
			count: 10,
			touchpoints: 20
		});
		const cycle = async (i: number) => {
			const c = connect(server.port, ids[i % ids.length], cookie);
			await c.synced;
			c.destroy();
		};
		const indices = (n: number) => Array.from({ length: n }, (_, i) => i);
		await inBatches(indices(200), 50, cycle);
		await sleep(1_000);
		const before = await server.request<{ heapUsed: number; rooms: number }>({ cmd: 'gc' });
		const t = performance.now();
		await inBatches(indices(cycles), 50, cycle);
		const seconds = (performance.now() - t) / 1000;
		await sleep(1_000);
		const after = await server.request<{ heapUsed: number; rooms: number }>({ cmd: 'gc' });
		if (after.rooms !== 0) throw new Error(`${after.rooms} rooms still loaded after the cycles`);
		return { before: before.heapUsed, after: after.heapUsed, seconds };
	} finally {
		server.stop();
	}
}

export const verdict = (ok: boolean) => (ok ? 'ok' : 'MISSED');

async function reportJoin() {
	const join = await coldJoin();
	const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
	console.log(
		`join of a 1,000-touchpoint journey: cold ${join.cold.map((x) => x.toFixed(0)).join(', ')} ms (median ${ms(median(join.cold))}), warm median ${ms(median(join.warm))}   target cold ≤ 150 ms: ${verdict(median(join.cold) <= 150)}`
	);
}

async function main() {
	// BENCH_ONLY=join measures the cold join alone (a minute instead of several).
	if (process.env.BENCH_ONLY === 'join') return reportJoin();
	console.log(`bench:collab — ${JOURNEYS} journeys × ${EDITORS} editors at ${EDIT_HZ} Hz for ${SECONDS} s\n`);

	const collab = await load('collab', JOURNEYS, EDITORS, SECONDS);
	const relay = await load('relay', JOURNEYS, EDITORS, SECONDS);
	const ratio = collab.p99 / relay.p99;
	console.log('load                 p50        p99        samples   server CPU   server RSS   client CPU');
	for (const [name, r] of [
		['collab server', collab],
		['minimal relay', relay]
	] as const) {
		console.log(
			`${name.padEnd(20)} ${ms(r.p50).padEnd(10)} ${ms(r.p99).padEnd(10)} ${String(r.samples).padEnd(9)} ${`${r.serverCpu.toFixed(0)} %`.padEnd(12)} ${mb(r.serverRss).padEnd(12)} ${r.clientCpu.toFixed(0)} %`
		);
	}
	if (Math.max(collab.clientCpu, relay.clientCpu) > 80) {
		console.log(
			'note: the simulated clients saturate this process, so latencies are client-bound (lower BENCH_JOURNEYS or use more cores)'
		);
	}
	console.log(
		`p99 ratio collab/relay: ${ratio.toFixed(2)}×   target p99 ≤ 50 ms: ${verdict(collab.p99 <= 50)}, ≤ 1.5× relay: ${verdict(ratio <= 1.5)}\n`
	);

	const hot = await load('collab', 1, HOT_EDITORS, Math.min(SECONDS, 15), CURSOR_HZ);
	console.log(
		`${hot.clientCpu > 80 ? '(clients saturated) ' : ''}hot journey, ${HOT_EDITORS} editors, cursors at ${CURSOR_HZ} Hz: edit p50 ${ms(hot.p50)} p99 ${ms(hot.p99)}; cursor p50 ${ms(hot.cursorP50!)} p99 ${ms(hot.cursorP99!)} (${hot.cursorSamples} samples); server CPU ${hot.serverCpu.toFixed(0)} %, client CPU ${hot.clientCpu.toFixed(0)} %   target cursor p99 ≤ 100 ms: ${verdict(hot.cursorP99! <= 100)}\n`
	);

	await reportJoin();

	const perJourney = await memoryPerJourney();
	console.log(
		`server memory (heap + buffers) per loaded 200-touchpoint journey: ${(perJourney / 1024).toFixed(0)} kB   target ≤ 1 MB: ${verdict(perJourney <= 1024 * 1024)}`
	);

	const cycles = await connectCycles(CYCLES);
	const growth = cycles.after / cycles.before - 1;
	console.log(
		`${CYCLES} connect/disconnect cycles in ${cycles.seconds.toFixed(1)} s: heap + buffers ${mb(cycles.before)} before, ${mb(cycles.after)} after (${(growth * 100).toFixed(1)} %)   target within 10 %: ${verdict(growth <= 0.1)}`
	);
}

// Imported by bench:cluster for its helpers: run only as the entry point.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
	main().then(
		() => process.exit(0),
		(e) => {
			console.error(e);
			process.exit(1);
		}
	);
}
