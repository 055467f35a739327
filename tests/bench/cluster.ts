/**
 * Benchmark of scale-out (issue 9): does a second instance behind the load balancer slow the
 * collaboration down?
 *
 *   npm run bench:cluster
 *
 * The same load — R journeys × N editors, each moving a touchpoint 5 times a second for S seconds, real
 * y-websocket clients with cookie sessions — against (a) one instance and (b) two instances, both on one
 * fresh PostgreSQL database with the Redis link on. With two, each journey's editors are split between
 * the instances (even editors on the first, odd on the second), so every edit crosses Redis to reach
 * half of its audience. Reported: propagation p50/p99/max (and p99 of the deliveries that crossed), CPU
 * and RSS per server process, the link's messages per second, Redis's own CPU, whether every journey's
 * clients ended with the same document. Two rounds, (1 then 2) and (2 then 1), so a noisy moment of the
 * machine does not favour one side; the verdict compares the p99 of both rounds' samples pooled.
 * Target: 2 instances within 5 ms p99 of 1 instance.
 *
 * Server processes come from `collab-server.ts`; the clients share this process (its CPU is reported:
 * when it saturates, client time inflates the latencies of both setups alike).
 * Environment: BENCH_JOURNEYS (20), BENCH_EDITORS (6), BENCH_SECONDS (20), BENCH_POSTGRES_URL (where the
 * bench creates and drops its database; postgres://postgres@127.0.0.1:5432/postgres), BENCH_REDIS_URL
 * (redis://127.0.0.1:6379).
 */
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { Redis } from 'ioredis';
import { openFreshPostgres } from '../integration/helpers/db';
import {
	EDIT_HZ,
	mb,
	measureLoad,
	ms,
	percentile,
	startServer,
	verdict,
	type BenchServer,
	type LoadMeasure
} from './collab';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const JOURNEYS = env('BENCH_JOURNEYS', 20);
const EDITORS = env('BENCH_EDITORS', 6);
const SECONDS = env('BENCH_SECONDS', 20);
const POSTGRES_URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const TARGET_MS = 5;

type Instances = 1 | 2;

interface Phase {
	round: number;
	instances: Instances;
	measure: LoadMeasure;
	/** Every delivery, sorted. */
	all: number[];
	/** Redis's own CPU over the window, in % of one core (every client of this Redis counts). */
	redisCpu: number;
}

async function redisCpuSeconds(redis: Redis): Promise<number> {
	const info = await redis.info('cpu');
	const read = (key: string) => Number(new RegExp(`^${key}:([\\d.]+)`, 'm').exec(info)?.[1] ?? 0);
	return read('used_cpu_user') + read('used_cpu_sys');
}

async function runPhase(
	round: number,
	instances: Instances,
	databaseUrl: string,
	redis: Redis
): Promise<Phase> {
	// Channels of this phase only: the Redis may be shared, and a phase must not hear the one before.
	const serverEnv = {
		BENCH_DATABASE_URL: databaseUrl,
		BENCH_REDIS_URL: REDIS_URL,
		BENCH_REDIS_PREFIX: `bench-cluster-${randomUUID()}`
	};
	const servers: BenchServer[] = [];
	try {
		servers.push(await startServer('collab', serverEnv));
		if (instances === 2) servers.push(await startServer('collab', { ...serverEnv, BENCH_SEED: '0' }));
		const { ids, cookie, state } = await servers[0].request<{ ids: string[]; cookie: string; state: string }>(
			{
				cmd: 'journeys',
				count: JOURNEYS,
				touchpoints: 20
			}
		);
		let redisCpu = 0;
		let start = { cpu: 0, at: 0 };
		const measure = await measureLoad({
			journeys: { ids, cookie, initial: new Uint8Array(Buffer.from(state, 'base64')) },
			servers,
			editors: EDITORS,
			seconds: SECONDS,
			serverOf: (editor) => editor % instances,
			checkConvergence: true,
			async onWindow(edge) {
				const now = { cpu: await redisCpuSeconds(redis), at: performance.now() };
				if (edge === 'start') start = now;
				else redisCpu = ((now.cpu - start.cpu) * 1000 * 100) / (now.at - start.at);
			}
		});
		const all = [...measure.sameServer, ...measure.crossServer].sort((a, b) => a - b);
		return { round, instances, measure, all, redisCpu };
	} finally {
		for (const s of servers) s.stop();
	}
}

const pct = (n: number) => `${n.toFixed(0)} %`;
const label = (instances: Instances) => (instances === 1 ? '1 instance' : '2 instances');

function row(name: string, p: Phase): string {
	const { measure: m, all } = p;
	const published = m.servers.reduce((n, s) => n + (s.cluster?.published ?? 0), 0);
	const received = m.servers.reduce((n, s) => n + (s.cluster?.received ?? 0), 0);
	const crossed = m.crossServer.length > 0 ? ms(percentile(m.crossServer, 99)) : '—';
	return [
		name.padEnd(20),
		ms(percentile(all, 50)).padEnd(9),
		ms(percentile(all, 99)).padEnd(9),
		ms(all.at(-1) ?? NaN).padEnd(10),
		crossed.padEnd(10),
		String(all.length).padEnd(8),
		(m.edits / m.seconds).toFixed(0).padEnd(7),
		pct((all.length / (m.edits * (EDITORS - 1))) * 100).padEnd(10),
		m.servers
			.map((s) => pct(s.cpuPercent))
			.join(' + ')
			.padEnd(12),
		m.servers
			.map((s) => mb(s.rss).replace(' MB', ''))
			.join(' + ')
			.concat(' MB')
			.padEnd(16),
		pct(m.clientCpu).padEnd(7),
		`${(published / m.seconds).toFixed(0)} / ${(received / m.seconds).toFixed(0)}`.padEnd(14),
		pct(p.redisCpu).padEnd(6),
		String(m.diverged)
	].join(' ');
}

function pooledRow(phases: Phase[], instances: Instances): { line: string; p99: number } {
	const all = phases
		.filter((p) => p.instances === instances)
		.flatMap((p) => p.all)
		.sort((a, b) => a - b);
	const p99 = percentile(all, 99);
	const line = [
		`both, ${label(instances)}`.padEnd(20),
		ms(percentile(all, 50)).padEnd(9),
		ms(p99).padEnd(9),
		ms(all.at(-1) ?? NaN).padEnd(10),
		''.padEnd(10),
		String(all.length)
	].join(' ');
	return { line, p99 };
}

async function main() {
	const load = () =>
		os
			.loadavg()
			.map((n) => n.toFixed(2))
			.join(', ');
	console.log(
		`bench:cluster — ${JOURNEYS} journeys × ${EDITORS} editors at ${EDIT_HZ} Hz for ${SECONDS} s, PostgreSQL + Redis; ${os.cpus().length} cores, load average ${load()}\n`
	);
	const loadBefore = os.loadavg()[0];
	const database = await openFreshPostgres(POSTGRES_URL);
	const redis = new Redis(REDIS_URL, { lazyConnect: true });
	await redis.connect();
	const phases: Phase[] = [];
	try {
		const order: [number, Instances][] = [
			[1, 1],
			[1, 2],
			[2, 2],
			[2, 1]
		];
		for (const [round, instances] of order) {
			const phase = await runPhase(round, instances, database.url, redis);
			phases.push(phase);
			console.log(`round ${round}, ${label(instances)}: p99 ${ms(percentile(phase.all, 99))}`);
		}
	} finally {
		redis.disconnect();
		await database.close();
	}

	console.log(
		'\n                     p50       p99       max        p99 cross  samples  edits/s delivered  server CPU   server RSS       client  link pub/recv  redis  diverged'
	);
	for (const p of phases) console.log(row(`round ${p.round}, ${label(p.instances)}`, p));
	const one = pooledRow(phases, 1);
	const two = pooledRow(phases, 2);
	console.log(one.line);
	console.log(two.line);
	console.log(
		`(edits/s: made by all clients, ${JOURNEYS * EDITORS * EDIT_HZ} planned; delivered: deliveries seen out of edits × ${EDITORS - 1} other editors; server CPU/RSS per process; link pub/recv: Redis messages per second published / received by the instances; redis: CPU of the whole Redis server, shared with anything else using it)`
	);

	const p99 = (round: number, instances: Instances) =>
		percentile(phases.find((p) => p.round === round && p.instances === instances)!.all, 99);
	const perRound = [1, 2].map((r) => `round ${r} ${ms(p99(r, 2) - p99(r, 1))}`).join(', ');
	const difference = two.p99 - one.p99;
	const [before, after] = [loadBefore, os.loadavg()[0]];
	if (Math.max(before, after) > os.cpus().length) {
		console.log(
			`note: the machine is oversubscribed (load average ${before.toFixed(1)} at the start, ${after.toFixed(1)} at the end, ${os.cpus().length} cores): every process waits for a core, two server processes more often than one; rerun on a quiet machine`
		);
	}
	if (phases.some((p) => p.measure.clientCpu > 80)) {
		console.log(
			'note: the simulated clients saturate this process, so latencies are client-bound (lower BENCH_JOURNEYS or use more cores)'
		);
	}
	const diverged = phases.reduce((n, p) => n + p.measure.diverged, 0);
	// Below the planned rate the clients, not the servers, set the pace: the comparison says nothing.
	const planned = JOURNEYS * EDITORS * EDIT_HZ;
	const made = Math.min(...phases.map((p) => p.measure.edits / p.measure.seconds / planned));
	const outcome =
		made < 0.9
			? `INCONCLUSIVE (a phase made only ${pct(made * 100)} of the planned edits)`
			: verdict(difference <= TARGET_MS);
	console.log(
		`\np99 difference 2 − 1 instances: ${ms(difference)} (${perRound}); ratio ${(two.p99 / one.p99).toFixed(2)}×   target ≤ ${TARGET_MS} ms: ${outcome}`
	);
	console.log(
		`journeys whose clients ended with different documents: ${diverged}   target 0: ${verdict(diverged === 0)}`
	);
	console.log(`load average at the end: ${load()}`);
}

main().then(
	() => process.exit(0),
	(e) => {
		console.error(e);
		process.exit(1);
	}
);
