/**
 * Benchmark of feedback ingestion (issue 5).
 *
 *   npm run bench:ingest
 *
 * Runs the real app in this process (`server/app.ts`: pages, API, processor with its analysis worker
 * threads) on a fresh embedded database (or PostgreSQL with `--postgres`, using TEST_DATABASE_URL), then:
 * 1. CSV: a generated 100,000-row file (FR/EN, `;`, UTF-8) imported with `importCsv`, timed until every
 *    row is stored and until every item is analysed; meanwhile `/api/health` is requested every 100 ms
 *    from another connection to show whether other users are kept waiting.
 * 2. API sustained rate: batches of 500 items from 4 concurrent clients for BENCH_API_SECONDS, accepted
 *    items/s, then the time the processor takes to analyse them.
 * 3. Live latency: a client watches the journey's event stream; single items are posted at 50 items/s
 *    (BENCH_RATE) for BENCH_LIVE_SECONDS; for each item, the time from the API's answer to the event in
 *    which its touchpoint's volume includes it: p50/p99 (target p99 ≤ 250 ms).
 * Texts are generated from templates here (never from ../shared/data/eval).
 * Environment: BENCH_ROWS (100000), BENCH_API_SECONDS (10), BENCH_LIVE_SECONDS (20), BENCH_RATE (50).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { eq, and, inArray, sql } from 'drizzle-orm';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const ROWS = env('BENCH_ROWS', 100_000);
const API_SECONDS = env('BENCH_API_SECONDS', 10);
const LIVE_SECONDS = env('BENCH_LIVE_SECONDS', 20);
const RATE = env('BENCH_RATE', 50);
const usePostgres = process.argv.includes('--postgres');

// Settings the app reads at start: no demo, no API rate limit in the way of the load.
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parcours-bench-ingest-'));
Object.assign(process.env, {
	DATA_DIR: dataDir,
	SEED_DEMO: 'false',
	LOG_LEVEL: 'silent',
	API_RATE_LIMIT_PER_MIN: '100000000',
	SIGNUP_LIMIT_PER_IP: '1000'
});

const buildDir = process.env.BUILD_DIR || 'build';
if (!fs.existsSync(path.join(buildDir, 'handler.js'))) {
	console.log('Building the app first…');
	const r = spawnSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build'], { stdio: 'inherit' });
	if (r.status !== 0) process.exit(1);
}

const { readConfig } = await import('../../src/lib/server/config');
const { openFreshPostgres } = await import('../integration/helpers/db');
let dropPostgres: (() => Promise<void>) | null = null;
if (usePostgres) {
	if (!process.env.TEST_DATABASE_URL) throw new Error('--postgres needs TEST_DATABASE_URL');
	const pg = await openFreshPostgres(process.env.TEST_DATABASE_URL);
	process.env.DATABASE_URL = pg.url;
	await pg.close.bind(pg); // dropped at the end
	dropPostgres = () => pg.close();
}
const { startServer } = await import('../../server/app');
const { createJourneyByForm, createWorkspace, signUp } = await import('../integration/helpers/server');
const { importCsv, waitForImport } = await import('../../src/lib/server/feedback/csv-import');
const { feedback } = await import('../../src/lib/server/db/schema');
const { createJourneyFromTemplate, openJourney } = await import('../../src/lib/journey');
const Y = await import('yjs');

const config = readConfig();
const running = await startServer({ ...config, port: 0, host: '127.0.0.1' });
const db = running.runtime.database.db;
const base = running.url;
console.log(
	`Parcours on ${base} — ${usePostgres ? 'PostgreSQL' : 'embedded PGlite'}, ${config.analysisWorkers} analysis worker(s), ${os.availableParallelism()} cores`
);

// ── Fixtures ────────────────────────────────────────────────────────────────────────────────────
const owner = await signUp(base, 'Bench', 'bench@example.com');
const workspaceId = await createWorkspace(owner, 'Bench');
const journeyId = await createJourneyByForm(owner, workspaceId, 'Trip', 'airline');
const keyAnswer = await owner.post(`/w/${workspaceId}/settings?/createApiKey`, { name: 'bench' });
const apiKey = /pk_[a-z2-7]{32}/.exec(await keyAnswer.text())![0];
const userId = (await db.execute(sql`select id from "user" where email = 'bench@example.com'`)) as unknown;
const actor = {
	id: ((userId as { rows?: Array<{ id: string }> }).rows ?? (userId as Array<{ id: string }>))[0].id
};
const doc = new Y.Doc();
createJourneyFromTemplate(doc, 'airline', 'en', { title: 'Trip', owner: null });
const touchpointIds = openJourney(doc)
	.snapshot()
	.touchpoints.map((t) => t.id);

let seed = 42;
const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];
const EN_SUBJECT = [
	'My luggage',
	'The check-in desk',
	'Boarding',
	'The flight',
	'The crew',
	'The app',
	'The lounge',
	'Customer service',
	'The refund',
	'The meal on board'
];
const EN_VERDICT = [
	'was lost for three days',
	'was quick and friendly',
	'was delayed by two hours',
	'crashed twice',
	'was excellent, thank you',
	'never answered my e-mails',
	'was dirty and crowded',
	'took forever',
	'was perfect',
	'charged me twice'
];
const FR_SUBJECT = [
	'Mes bagages',
	"L'enregistrement",
	"L'embarquement",
	'Le vol',
	"L'équipage",
	"L'application",
	'Le salon',
	'Le service client',
	'Le remboursement',
	'Le repas à bord'
];
const FR_VERDICT = [
	'ont été perdus pendant trois jours',
	'était rapide et agréable',
	'a eu deux heures de retard',
	'a planté deux fois',
	'était excellent, merci',
	"n'a jamais répondu à mes mails",
	'était sale et bondé',
	'a pris une éternité',
	'était parfait',
	"m'a facturé deux fois"
];
const EN_TAIL = [
	'',
	' Really disappointed.',
	' Will fly again!',
	' Please do something.',
	' Not bad at all.',
	' 😡',
	' 👍'
];
const FR_TAIL = [
	'',
	' Vraiment déçu.',
	' Je revolerai avec vous !',
	' Merci de faire quelque chose.',
	' Pas mal du tout.',
	' 😡',
	' 👍'
];
function text(): string {
	return rand() < 0.5
		? `${pick(EN_SUBJECT)} ${pick(EN_VERDICT)}.${pick(EN_TAIL)} Ref ${Math.floor(rand() * 1e6)}.`
		: `${pick(FR_SUBJECT)} ${pick(FR_VERDICT)}.${pick(FR_TAIL)} Réf ${Math.floor(rand() * 1e6)}.`;
}
const quote = (s: string) => (/[;"\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
const pct = (xs: number[], p: number) => {
	const s = [...xs].sort((a, b) => a - b);
	return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] : NaN;
};
const fmt = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${ms.toFixed(1)} ms`);

async function pendingItems(): Promise<number> {
	const rows = await db
		.select({ n: sql<number>`count(*)::int` })
		.from(feedback)
		.where(and(eq(feedback.workspaceId, workspaceId), inArray(feedback.status, ['pending', 'processing'])));
	return rows[0].n;
}
async function drained(): Promise<void> {
	while ((await pendingItems()) > 0) await new Promise((r) => setTimeout(r, 250));
}

/** Requests /api/health every 100 ms on its own connection while `work` runs. */
async function probeWhile<T>(work: Promise<T>): Promise<{ result: T; latencies: number[] }> {
	const latencies: number[] = [];
	let done = false;
	const probing = (async () => {
		while (!done) {
			const t = performance.now();
			await fetch(`${base}/api/health`).then((r) => r.arrayBuffer());
			latencies.push(performance.now() - t);
			await new Promise((r) => setTimeout(r, 100));
		}
	})();
	const result = await work;
	done = true;
	await probing;
	return { result, latencies };
}

// ── 1. CSV import ───────────────────────────────────────────────────────────────────────────────
{
	const day = 24 * 3600 * 1000;
	const channels = ['email', 'survey', 'chat', 'social', 'review', 'phone'];
	const lines = ['id;date;canal;client;note;commentaire'];
	for (let i = 0; i < ROWS; i++) {
		const at = new Date(Date.now() - Math.floor(rand() * 60) * day - Math.floor(rand() * day));
		lines.push(
			[
				`r${i}`,
				at.toISOString(),
				pick(channels),
				`client-${i % 5000}`,
				String(1 + Math.floor(rand() * 5)),
				quote(text())
			].join(';')
		);
	}
	const bytes = new TextEncoder().encode(lines.join('\r\n'));
	console.log(`\n1. CSV import: ${ROWS.toLocaleString('en')} rows, ${(bytes.length / 1e6).toFixed(1)} MB`);
	const elu0 = performance.eventLoopUtilization();
	const t0 = performance.now();
	let storedAt = 0;
	let answeredAt = 0;
	const { result, latencies } = await probeWhile(
		(async () => {
			const id = await importCsv(db, actor, workspaceId, bytes, {
				filename: 'bench.csv',
				journeyId,
				channel: 'survey',
				ratingKind: 'stars'
			});
			answeredAt = performance.now();
			const progress = await waitForImport(db, id);
			storedAt = performance.now();
			await drained();
			return progress;
		})()
	);
	const total = performance.now() - t0;
	console.log(`   file checked and committed with the import (the upload's answer): ${fmt(answeredAt - t0)}`);
	console.log(
		`   stored: ${result?.inserted} inserted, ${result?.rejected} rejected, ${result?.duplicates} duplicates in ${fmt(storedAt - t0)}`
	);
	console.log(
		`   stored and analysed: ${fmt(total)} (target ≤ 60 s) — ${Math.round(ROWS / (total / 1000)).toLocaleString('en')} rows/s`
	);
	console.log(
		`   main thread busy ${(performance.eventLoopUtilization(elu0).utilization * 100).toFixed(0)} % of the time`
	);
	console.log(
		`   /api/health meanwhile (${latencies.length} requests): p50 ${fmt(pct(latencies, 50))}, p99 ${fmt(pct(latencies, 99))}, max ${fmt(Math.max(...latencies))}`
	);
}

// ── 2. API sustained rate ───────────────────────────────────────────────────────────────────────
{
	const BATCH = 500;
	const CLIENTS = 4;
	let accepted = 0;
	let n = 0;
	const latencies: number[] = [];
	const t0 = performance.now();
	const deadline = t0 + API_SECONDS * 1000;
	await Promise.all(
		Array.from({ length: CLIENTS }, async () => {
			while (performance.now() < deadline) {
				const items = Array.from({ length: BATCH }, () => ({
					text: text(),
					channel: 'email',
					received_at: new Date().toISOString(),
					journey_id: journeyId,
					external_id: `api-${n++}`
				}));
				const t = performance.now();
				const res = await fetch(`${base}/api/v1/feedback`, {
					method: 'POST',
					headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
					body: JSON.stringify({ items })
				});
				if (res.status >= 300) throw new Error(`API answered ${res.status}: ${await res.text()}`);
				await res.arrayBuffer();
				latencies.push(performance.now() - t);
				accepted += BATCH;
			}
		})
	);
	const acceptSeconds = (performance.now() - t0) / 1000;
	await drained();
	const allSeconds = (performance.now() - t0) / 1000;
	console.log(`\n2. API: batches of ${BATCH} from ${CLIENTS} clients for ${API_SECONDS} s`);
	console.log(
		`   accepted ${accepted.toLocaleString('en')} items: ${Math.round(accepted / acceptSeconds).toLocaleString('en')} items/s (batch answer p50 ${fmt(pct(latencies, 50))}, p99 ${fmt(pct(latencies, 99))})`
	);
	console.log(
		`   analysed too after ${allSeconds.toFixed(1)} s: ${Math.round(accepted / allSeconds).toLocaleString('en')} items/s end to end`
	);
}

// ── 3. Live latency at a steady rate ────────────────────────────────────────────────────────────
{
	const tp = touchpointIds[3];
	const res = await owner.request(`/w/${workspaceId}/journeys/${journeyId}/live`, {
		headers: { accept: 'text/event-stream' }
	});
	const reader = res.body!.getReader();
	const decoder = new TextDecoder();
	const seen: Array<{ at: number; volume: number }> = [];
	let buffer = '';
	const signal: { first: (() => void) | null } = { first: null };
	const firstEvent = new Promise<void>((r) => (signal.first = r));
	const reading = (async () => {
		for (;;) {
			const { value, done } = await reader.read();
			if (done) return;
			const at = performance.now();
			buffer += decoder.decode(value, { stream: true });
			let end;
			while ((end = buffer.indexOf('\n\n')) >= 0) {
				const block = buffer.slice(0, end);
				buffer = buffer.slice(end + 2);
				const data = block.split('\n').find((l) => l.startsWith('data: '));
				if (!block.startsWith('event: scores') || !data) continue;
				const scores = JSON.parse(data.slice(6)) as { touchpoints: Record<string, { volume: number }> };
				seen.push({ at, volume: scores.touchpoints[tp]?.volume ?? 0 });
				signal.first?.();
				signal.first = null;
			}
		}
	})();
	await firstEvent;
	const baseVolume = seen[seen.length - 1].volume;
	const accepted: number[] = [];
	const total = RATE * LIVE_SECONDS;
	const elu0 = performance.eventLoopUtilization();
	const t0 = performance.now();
	const sends: Promise<void>[] = [];
	for (let i = 0; i < total; i++) {
		const due = t0 + (i * 1000) / RATE;
		const wait = due - performance.now();
		if (wait > 0) await new Promise((r) => setTimeout(r, wait));
		sends.push(
			fetch(`${base}/api/v1/feedback`, {
				method: 'POST',
				headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
				body: JSON.stringify({
					text: text(),
					channel: 'chat',
					received_at: new Date().toISOString(),
					journey_id: journeyId,
					touchpoint_id: tp
				})
			}).then(async (r) => {
				await r.arrayBuffer();
				if (r.status !== 201) throw new Error(`API answered ${r.status}`);
				accepted.push(performance.now());
			})
		);
	}
	await Promise.all(sends);
	const deadline = performance.now() + 10_000;
	while ((seen.at(-1)?.volume ?? 0) < baseVolume + total && performance.now() < deadline) {
		await new Promise((r) => setTimeout(r, 20));
	}
	const elu = performance.eventLoopUtilization(elu0).utilization;
	accepted.sort((a, b) => a - b);
	const lat: number[] = [];
	let missing = 0;
	for (let k = 0; k < accepted.length; k++) {
		const ev = seen.find((e) => e.volume >= baseVolume + k + 1 && e.at >= accepted[k] - 1000);
		if (ev) lat.push(Math.max(0, ev.at - accepted[k]));
		else missing++;
	}
	await reader.cancel();
	await reading.catch(() => {});
	console.log(
		`\n3. Live: ${total} items at ${RATE} items/s over ${LIVE_SECONDS} s, one client watching the journey`
	);
	console.log(
		`   API answer → score moved on the client: p50 ${fmt(pct(lat, 50))}, p99 ${fmt(pct(lat, 99))}, max ${fmt(Math.max(...lat))} (target p99 ≤ 250 ms)${missing ? `; ${missing} never seen` : ''}`
	);
	console.log(
		`   main thread busy ${(elu * 100).toFixed(0)} % of the time (server, embedded database and this client share it)`
	);
}

await running.close();
if (dropPostgres) await dropPostgres();
fs.rmSync(dataDir, { recursive: true, force: true });
process.exit(0);
