/**
 * Benchmark of the journey health queries (issue 8).
 *
 *   npm run bench:health            (embedded database, then PostgreSQL when reachable)
 *
 * Seeds, on each engine, one workspace with 20 journeys of 25 touchpoints each (500) and 1,000,000
 * generated feedback items spread over the last two years (scores, polarities, motives, products,
 * places, ratings and customers drawn from a seeded generator in SQL — never from ../shared/data/eval),
 * builds the daily sums the app keeps, opens a few alerts and loops, then times the portfolio and the
 * journey-health queries as the pages run them: p50 / p95 over BENCH_RUNS runs each (targets p95 ≤ 300 ms
 * on PostgreSQL, ≤ 1 s on the embedded database).
 * Environment: BENCH_ITEMS (1000000), BENCH_RUNS (30), BENCH_ENGINES (pglite or postgres: one engine only), TEST_DATABASE_URL (postgres://postgres@127.0.0.1:5432/postgres).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import * as Y from 'yjs';
import { defaultMotives } from '../../src/lib/analysis';
import { createJourneyFromTemplate, openJourney } from '../../src/lib/journey';
import { openDatabase, type Database } from '../../src/lib/server/db';
import { createCollabStore } from '../../src/lib/server/collab-store';
import { rebuildAggregates } from '../../src/lib/server/feedback/aggregates';
import { journeyHealth, portfolio } from '../../src/lib/server/health';
import { parseHealthQuery } from '../../src/lib/health';
import { openFreshPostgres } from '../integration/helpers/db';
import { makeJourney, makeUser, makeWorkspace } from '../integration/helpers/factories';

const ITEMS = Number(process.env.BENCH_ITEMS ?? 1_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const JOURNEYS = 20;
const TOUCHPOINTS_PER_JOURNEY = 25;
const BATCH = 100_000;
const PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

// Motive codes of the default taxonomy, as analysis stores them.
const MOTIVES = defaultMotives.map((m) => m.id).slice(0, 8);
const PRODUCTS = ['Premium card', 'Basic plan', 'Family pack', 'Smart TV 55', 'Express delivery'];
const PLACES = ['Paris', 'Lyon', 'Marseille', 'Toulouse', 'Lille', 'Nantes'];

function quantile(sorted: number[], q: number): number {
	return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

async function time(runs: number, f: (i: number) => Promise<unknown>) {
	await f(0); // warm-up: plans and caches, as on a running server
	const ms: number[] = [];
	for (let i = 0; i < runs; i++) {
		const t = performance.now();
		await f(i + 1);
		ms.push(performance.now() - t);
	}
	ms.sort((a, b) => a - b);
	return { p50: quantile(ms, 0.5), p95: quantile(ms, 0.95), max: ms[ms.length - 1] };
}

async function seed(database: Database) {
	const { db } = database;
	const owner = await makeUser(db);
	const ws = await makeWorkspace(db, owner, 'Health benchmark');
	const store = createCollabStore(db);
	const touchpoints: Array<{ journeyId: string; touchpointId: string }> = [];
	const journeyIds: string[] = [];
	for (let j = 0; j < JOURNEYS; j++) {
		const journey = await makeJourney(db, ws.id, `Journey ${String(j + 1).padStart(2, '0')}`);
		const doc = new Y.Doc();
		createJourneyFromTemplate(doc, j % 2 ? 'airline' : 'tv-online', 'en', {
			title: journey.title,
			owner: null
		});
		const map = openJourney(doc);
		let snap = map.snapshot();
		for (let k = snap.touchpoints.length; k < TOUCHPOINTS_PER_JOURNEY; k++) {
			map.addTouchpoint(snap.stages[k % snap.stages.length].id, { title: `Extra touchpoint ${k}` });
		}
		snap = map.snapshot();
		await store.saveInitialState(journey.id, Y.encodeStateAsUpdate(doc));
		journeyIds.push(journey.id);
		for (const tp of snap.touchpoints.slice(0, TOUCHPOINTS_PER_JOURNEY)) {
			touchpoints.push({ journeyId: journey.id, touchpointId: tp.id });
		}
	}
	const tpJourneys = `{${touchpoints.map((t) => t.journeyId).join(',')}}`;
	const tpIds = `{${touchpoints.map((t) => `"${t.touchpointId}"`).join(',')}}`;
	const arr = (xs: string[]) => `{${xs.map((x) => `"${x}"`).join(',')}}`;
	const t0 = performance.now();
	for (let start = 0; start < ITEMS; start += BATCH) {
		const count = Math.min(BATCH, ITEMS - start);
		// Seeded draws in one transaction (one session), so every run seeds the same data; touchpoints are
		// uneven (a few carry much of the volume), scores lean slightly positive.
		await db.transaction(async (tx) => {
			await tx.execute(sql`select setseed(${(start / ITEMS) * 0.9})`);
			await tx.execute(sql`
			insert into feedback (workspace_id, journey_id, touchpoint_id, text, channel, source, received_at, status,
				polarity, score, motives, products, places, rating_kind, rating_value, customer_id, analysed_count, analysed_at)
			select ${ws.id}::uuid, tp_j[t], case when h4 < 0.03 then null else tp_i[t] end,
				'Generated feedback item ' || g, (array['email','web_form','social','survey','chat','phone']::feedback_channel[])[1 + (h1 * 6)::int % 6],
				'api', now() - (h2 * interval '730 days'), 'done',
				case when s < -0.3 then 'negative' when s > 0.3 then 'positive' else 'neutral' end, s,
				case when h3 < 0.6 then array[(${arr(MOTIVES)}::text[])[1 + (h3 * 1000)::int % ${MOTIVES.length}]] else '{}' end,
				case when h5 < 0.3 then array[(${arr(PRODUCTS)}::text[])[1 + (h5 * 1000)::int % ${PRODUCTS.length}]] else '{}' end,
				case when h6 < 0.2 then array[(${arr(PLACES)}::text[])[1 + (h6 * 1000)::int % ${PLACES.length}]] else '{}' end,
				case when h7 < 0.1 then 'nps'::rating_kind when h7 < 0.2 then 'csat'::rating_kind else null end,
				case when h7 < 0.1 then (h8 * 10.99)::int when h7 < 0.2 then 1 + (h8 * 4.99)::int else null end,
				case when h9 < 0.5 then 'c-' || (h9 * 200000)::int else null end, 1, now()
			from (
				select g, tp_j, tp_i,
					1 + least(${touchpoints.length - 1}, floor(${touchpoints.length} * power(random(), 1.6))::int) as t,
					random() as h1, random() as h2, random() as h3, random() as h4,
					random() as h5, random() as h6, random() as h7, random() as h8,
					random() as h9,
					round(greatest(-2, least(2, (random() + random() + random()) * 4 / 3 - 1.8))::numeric, 3)::real as s
				from generate_series(${start + 1}::int, ${start + count}::int) g,
					(select ${tpJourneys}::uuid[] as tp_j, ${tpIds}::text[] as tp_i) tps
			) x`);
		});
		process.stdout.write(`\r  seeded ${(start + count).toLocaleString('en')} items`);
	}
	process.stdout.write('\n');
	const seeded = performance.now() - t0;
	const t1 = performance.now();
	await rebuildAggregates(db, ws.id);
	const aggregated = performance.now() - t1;
	await db.execute(sql`analyze`);
	// A few open alerts and loops, as a live workspace has.
	for (let k = 0; k < 10; k++) {
		const tp = touchpoints[k * 37];
		await db.execute(sql`
			insert into alert (workspace_id, detector_id, scope_key, journey_id, touchpoint_id, kinds, peak, latest, opened_at, last_firing_at)
			values (${ws.id}::uuid, ${`bench-${k}`}, ${`tp:${tp.touchpointId}`}, ${tp.journeyId}::uuid, ${tp.touchpointId},
				'{negative_rise}', '{}'::jsonb, '{}'::jsonb, now(), now())`);
		await db.execute(sql`
			insert into loop (workspace_id, journey_id, title, touchpoint_ids)
			values (${ws.id}::uuid, ${tp.journeyId}::uuid, ${`Loop ${k}`}, array[${tp.touchpointId}]::text[])`);
	}
	return { owner, workspaceId: ws.id, journeyIds, seeded, aggregated };
}

async function measure(name: string, database: Database) {
	console.log(`\n${name}: seeding ${ITEMS.toLocaleString('en')} items…`);
	const s = await seed(database);
	console.log(
		`  seeded in ${(s.seeded / 1000).toFixed(1)} s, daily sums built in ${(s.aggregated / 1000).toFixed(1)} s`
	);
	const today = new Date().toISOString().slice(0, 10);
	const q = (params: string) => parseHealthQuery(new URLSearchParams(params), today).query;
	const cases: Array<[string, (i: number) => Promise<unknown>]> = [
		['portfolio, 90 days vs previous', () => portfolio(database.db, s.owner, s.workspaceId, q(''), 'en')],
		[
			'portfolio, 12 months vs previous',
			() => portfolio(database.db, s.owner, s.workspaceId, q('range=365d'), 'en')
		],
		[
			'portfolio, 90 days, product filter',
			() =>
				portfolio(database.db, s.owner, s.workspaceId, q(`product=${encodeURIComponent(PRODUCTS[0])}`), 'en')
		],
		[
			'portfolio, 12 months, product filter',
			() =>
				portfolio(
					database.db,
					s.owner,
					s.workspaceId,
					q(`range=365d&product=${encodeURIComponent(PRODUCTS[0])}`),
					'en'
				)
		],
		[
			'journey health, 90 days vs previous',
			(i) => journeyHealth(database.db, s.owner, s.workspaceId, s.journeyIds[i % JOURNEYS], q(''), 'en')
		],
		[
			'journey health, 12 months vs last year',
			(i) =>
				journeyHealth(
					database.db,
					s.owner,
					s.workspaceId,
					s.journeyIds[i % JOURNEYS],
					q('range=365d&compare=year'),
					'en'
				)
		],
		[
			'journey health, 90 days, place filter',
			(i) =>
				journeyHealth(
					database.db,
					s.owner,
					s.workspaceId,
					s.journeyIds[i % JOURNEYS],
					q(`place=${encodeURIComponent(PLACES[1])}`),
					'en'
				)
		]
	];
	const results: Array<{ query: string; p50: number; p95: number; max: number }> = [];
	for (const [label, f] of cases) {
		const r = await time(RUNS, f);
		results.push({ query: label, ...r });
		console.log(
			`  ${label.padEnd(42)} p50 ${r.p50.toFixed(0).padStart(5)} ms   p95 ${r.p95.toFixed(0).padStart(5)} ms   max ${r.max.toFixed(0).padStart(5)} ms`
		);
	}
	return results;
}

async function postgresReachable(): Promise<boolean> {
	const probe = postgres(PG_URL, { max: 1, connect_timeout: 3, onnotice: () => {} });
	try {
		await probe`select 1`;
		return true;
	} catch {
		return false;
	} finally {
		await probe.end({ timeout: 1 });
	}
}

console.log(
	`Health benchmark: ${ITEMS.toLocaleString('en')} items, ${JOURNEYS} journeys × ${TOUCHPOINTS_PER_JOURNEY} touchpoints, ${RUNS} runs per query`
);
const summary: Record<string, Awaited<ReturnType<typeof measure>>> = {};
if (process.env.BENCH_ENGINES !== 'postgres') {
	const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parcours-bench-health-'));
	const embedded = await openDatabase({ engine: 'pglite', dataDir });
	await embedded.migrate();
	try {
		summary['embedded (PGlite)'] = await measure('Embedded database (PGlite)', embedded);
	} finally {
		await embedded.close();
		fs.rmSync(dataDir, { recursive: true, force: true });
	}
}
if (process.env.BENCH_ENGINES !== 'pglite' && (await postgresReachable())) {
	const pg = await openFreshPostgres(PG_URL);
	try {
		summary.PostgreSQL = await measure('PostgreSQL', pg);
	} finally {
		await pg.close();
	}
} else {
	console.log(`\nPostgreSQL not reachable at ${PG_URL}: skipped.`);
}
console.log('\n| query | engine | p50 | p95 | target p95 |');
console.log('|---|---|---|---|---|');
for (const [engine, rows] of Object.entries(summary)) {
	for (const r of rows) {
		console.log(
			`| ${r.query} | ${engine} | ${r.p50.toFixed(0)} ms | ${r.p95.toFixed(0)} ms | ${engine === 'PostgreSQL' ? '≤ 300 ms' : '≤ 1 s'} |`
		);
	}
}
process.exit(0);
