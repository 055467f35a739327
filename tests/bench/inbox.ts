/**
 * Benchmark of the inbox on a large workspace: inserts N analysed items directly (default 1,000,000),
 * then times what a page load does — the list and the facet counts — with and without filters, a
 * full-text search in French and English, and deep keyset pages. On embedded PGlite (on disk, in a
 * temporary directory) and on PostgreSQL too when TEST_DATABASE_URL is set.
 *
 *   npm run bench:inbox -- --items 50000 [--runs 20] [--engine pglite|postgres]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { emptyFilters, type InboxFilters } from '../../src/lib/feedback/inbox';
import { openDatabase, type Database } from '../../src/lib/server/db';
import { feedbackFacets, listFeedback } from '../../src/lib/server/feedback/inbox';
import { openFreshPostgres } from '../integration/helpers/db';
import { makeJourney, makeUser, makeWorkspace } from '../integration/helpers/factories';

function arg(name: string, fallback: string): string {
	const i = process.argv.indexOf(`--${name}`);
	return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}
const ITEMS = Number(arg('items', '1000000'));
const RUNS = Number(arg('runs', '20'));
const ONLY = arg('engine', '');
const CHUNK = 50_000;

// Written for this benchmark: short items in both languages, with the words the searches look for.
const TEXTS: Array<[string, string]> = [
	['fr', 'Mon vol a eu trois heures de retard et personne ne nous a prévenus.'],
	['fr', 'Ma valise est arrivée cassée, le service bagages ne répond pas.'],
	['fr', 'Personnel très aimable à l’embarquement, merci beaucoup !'],
	['fr', 'Le remboursement de mon billet annulé se fait toujours attendre.'],
	['fr', 'Site web lent, impossible de choisir mon siège avant le départ.'],
	['fr', 'Repas correct, sièges confortables, rien à signaler.'],
	['en', 'The flight was delayed by four hours and nobody told us why.'],
	['en', 'My suitcase arrived broken and the baggage desk never answered.'],
	['en', 'Lovely crew and a smooth boarding, thank you!'],
	['en', 'Still waiting for the refund of my cancelled ticket.'],
	['en', 'The app crashed twice while I was trying to check in.'],
	['en', 'Seats were fine, the meal was ok, nothing special.']
];
const CHANNELS = ['email', 'web_form', 'social', 'survey', 'chat', 'phone', 'store', 'review', 'other'];
const POLARITY = ['negative', 'negative', 'neutral', 'positive'];
const INTENT = ['complaint', 'question', 'opinion', 'praise', 'suggestion'];
const STAGE = ['pre-sale', 'sale', 'after-sale'];
const MOTIVES = [
	'delay',
	'cancellation',
	'lost_item',
	'staff_attitude',
	'waiting_time',
	'price',
	'website_bug',
	'comfort'
];
const EMOTIONS = ['anger', 'sadness', 'joy', 'trust', 'fear', 'surprise'];

const lit = (xs: string[]) => sql.raw(`array[${xs.map((x) => `'${x.replace(/'/g, "''")}'`).join(',')}]`);

async function seed(database: Database): Promise<{ owner: { id: string }; workspaceId: string }> {
	const db = database.db;
	const owner = await makeUser(db);
	const ws = await makeWorkspace(db, owner, 'Bench inbox');
	const journeys = [];
	for (let j = 0; j < 4; j++) journeys.push((await makeJourney(db, ws.id, `Journey ${j}`)).id);
	const started = performance.now();
	for (let start = 0; start < ITEMS; start += CHUNK) {
		const end = Math.min(ITEMS, start + CHUNK) - 1;
		// Deterministic spread: g walks every combination; multipliers decorrelate the columns.
		await db.execute(sql`
			insert into feedback (workspace_id, journey_id, touchpoint_id, text, channel, source, received_at, status,
				analysed_count, analysed_at, language, polarity, score, intent, stage, emotions, motives, products, places,
				customer_name, search)
			select ${ws.id}::uuid, (${lit(journeys)})[1 + g % 4]::uuid, 'tp-' || (g * 7 % 25),
				t.text || ' (réf. ' || g || ')', (${lit(CHANNELS)})[1 + g * 5 % 9]::feedback_channel, 'api',
				timestamptz '2026-11-01' - (g * 37 % 525600) * interval '1 minute', 'done', 1, now(), t.lang,
				(${lit(POLARITY)})[1 + g * 3 % 4], ((g * 3 % 4) - 1.5)::real, (${lit(INTENT)})[1 + g * 11 % 5],
				(${lit(STAGE)})[1 + g * 13 % 3], array[(${lit(EMOTIONS)})[1 + g * 17 % 6]],
				case when g % 3 = 0 then array[(${lit(MOTIVES)})[1 + g * 19 % 8]]
					else array[(${lit(MOTIVES)})[1 + g * 19 % 8], (${lit(MOTIVES)})[1 + g * 23 % 8]] end,
				case when g % 10 = 0 then array['product-' || g % 7] else '{}'::text[] end,
				case when g % 8 = 0 then array['city:lyon'] else '{}'::text[] end,
				case when g % 3 = 0 then 'Customer ' || g end,
				to_tsvector(case t.lang when 'fr' then 'french'::regconfig else 'english'::regconfig end, t.text)
			from generate_series(${start}::int, ${end}::int) g
			cross join lateral (
				select (${lit(TEXTS.map((t) => t[1]))})[1 + (g * 31 + g / 12) % ${TEXTS.length}] as text,
					(${lit(TEXTS.map((t) => t[0]))})[1 + (g * 31 + g / 12) % ${TEXTS.length}] as lang
			) t`);
		process.stdout.write(`\r  inserted ${(end + 1).toLocaleString('en')} / ${ITEMS.toLocaleString('en')}`);
	}
	await db.execute(sql`analyze feedback`);
	console.log(` in ${((performance.now() - started) / 1000).toFixed(1)} s`);
	return { owner, workspaceId: ws.id };
}

function quantile(xs: number[], q: number): number {
	const s = [...xs].sort((a, b) => a - b);
	return s[Math.min(s.length - 1, Math.floor(q * s.length))];
}

async function time(runs: number, fn: () => Promise<unknown>): Promise<{ p50: number; p95: number }> {
	await fn(); // warm-up (plans, caches)
	const times: number[] = [];
	for (let i = 0; i < runs; i++) {
		const t = performance.now();
		await fn();
		times.push(performance.now() - t);
	}
	return { p50: quantile(times, 0.5), p95: quantile(times, 0.95) };
}

async function run(engine: 'pglite' | 'postgres') {
	let database: Database;
	let cleanup: () => Promise<void>;
	if (engine === 'pglite') {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parcours-bench-inbox-'));
		database = await openDatabase({ engine: 'pglite', dataDir: dir });
		await database.migrate();
		cleanup = async () => {
			await database.close();
			fs.rmSync(dir, { recursive: true, force: true });
		};
	} else {
		const pg = await openFreshPostgres(process.env.TEST_DATABASE_URL!);
		database = pg;
		cleanup = () => pg.close();
	}
	console.log(
		`\n${engine === 'pglite' ? 'Embedded PGlite (on disk)' : 'PostgreSQL'}: ${ITEMS.toLocaleString('en')} items`
	);
	try {
		const { owner, workspaceId } = await seed(database);
		const db = database.db;
		const f = (over: Partial<InboxFilters>): InboxFilters => ({ ...emptyFilters(), ...over });
		const page = (filters: InboxFilters) => async () => {
			await listFeedback(db, owner, workspaceId, filters);
			await feedbackFacets(db, owner, workspaceId, filters);
		};
		const cases: Array<[string, () => Promise<unknown>]> = [
			['list + facets, no filter', page(f({}))],
			[
				'list + facets, polarity=negative & channel=email',
				page(f({ polarity: 'negative', channel: 'email' }))
			],
			[
				'list + facets, motive=delay & last 30 days',
				page(f({ motive: 'delay', from: '2026-10-02', to: '2026-11-01' }))
			],
			[
				'list + facets, rare value (place=city:lyon & product-3)',
				page(f({ place: 'city:lyon', product: 'product-3' }))
			],
			['search "retard" (FR) list + facets', page(f({ q: 'retard' }))],
			['search "delayed" (EN) list + facets', page(f({ q: 'delayed' }))],
			['search "valise cassée" list + facets', page(f({ q: 'valise cassée' }))],
			['list only, no filter', () => listFeedback(db, owner, workspaceId, f({}))],
			['search list only "refund"', () => listFeedback(db, owner, workspaceId, f({ q: 'refund' }))]
		];
		// A deep page: the cursor of page 20, reached by following the keyset.
		let deep = f({});
		for (let i = 0; i < 20; i++) {
			const r = await listFeedback(db, owner, workspaceId, deep);
			if (!r.next) break;
			deep = { ...deep, after: r.next };
		}
		cases.push(['list only, page 21 (keyset)', () => listFeedback(db, owner, workspaceId, deep)]);

		const rows: string[] = [];
		for (const [name, fn] of cases) {
			const { p50, p95 } = await time(RUNS, fn);
			rows.push(`| ${name.padEnd(58)} | ${p50.toFixed(1).padStart(8)} | ${p95.toFixed(1).padStart(8)} |`);
			console.log(rows[rows.length - 1]);
		}
	} finally {
		await cleanup();
	}
}

console.log(
	`bench:inbox — ${ITEMS.toLocaleString('en')} items, ${RUNS} runs per case (after one warm-up), ${os.availableParallelism()} cores, load ${os
		.loadavg()
		.map((x) => x.toFixed(1))
		.join(' ')}`
);
console.log(`| ${'case'.padEnd(58)} | p50 (ms) | p95 (ms) |`);
if (ONLY !== 'postgres') await run('pglite');
if (ONLY !== 'pglite' && process.env.TEST_DATABASE_URL) await run('postgres');
else if (ONLY !== 'pglite') console.log('\n(PostgreSQL skipped: set TEST_DATABASE_URL to run it too.)');
process.exit(0);
