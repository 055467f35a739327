/**
 * Journey health on both engines: the portfolio and a journey's health read from the daily sums equal a
 * recomputation from the raw items, after inserts, corrections, touchpoint moves and spam; filters,
 * ladder counts, open alerts and loops, and access are checked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import type { Database } from '../../src/lib/server/db';
import { alert, feedback, loop } from '../../src/lib/server/db/schema';
import { rowsOf } from '../../src/lib/server/db/raw';
import { ingestFeedback } from '../../src/lib/server/feedback/ingest';
import { processPending } from '../../src/lib/server/feedback/processor';
import { assignTouchpoint, correctFeedback, setSpam } from '../../src/lib/server/feedback/corrections';
import { journeyHealth, portfolio } from '../../src/lib/server/health';
import { duplicateJourney } from '../../src/lib/server/journeys';
import { parseHealthQuery } from '../../src/lib/health';
import type { JourneyHealthView, PortfolioView } from '../../src/lib/health/types';
import { engines } from './helpers/db';
import { airlineJourney, expectAggregatesMatch, item } from './helpers/feedback';
import { addMember, makeUser, makeWorkspace } from './helpers/factories';

const NOW = new Date('2026-11-20T12:00:00Z');
const TODAY = '2026-11-20';

const TEXTS = [
	'My luggage was lost at the baggage claim, nobody at the desk could help. Terrible.',
	'Le personnel à l’embarquement était charmant, embarquement rapide, merci !',
	'Online check-in crashed twice, I could not get my boarding pass.',
	'Les bagages sont arrivés abîmés et personne ne répond au service client.',
	'Great seat, friendly crew and the meal on board was delicious.',
	'The flight was delayed by four hours and we were never told why.',
	'Booking on the website was quick and the price was fair.',
	'Attente interminable au guichet, le vol a été annulé sans explication.'
];

const query = (params: string) => parseHealthQuery(new URLSearchParams(params), TODAY).query;

/**
 * Two reads agree: same shape and strings, numbers within 0.0015 — items store scores as float4 while the
 * daily sums add the exact values, so a mean can round to 0.129 one way and 0.13 the other.
 */
function expectSame(a: unknown, b: unknown, path: string): void {
	if (typeof a === 'number' && typeof b === 'number') {
		expect(Math.abs(a - b), `${path}: ${a} vs ${b}`).toBeLessThanOrEqual(0.0015);
	} else if (a && b && typeof a === 'object' && typeof b === 'object') {
		expect(Object.keys(a).sort(), path).toEqual(Object.keys(b).sort());
		for (const k of Object.keys(a))
			expectSame((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`);
	} else {
		expect(a, path).toEqual(b);
	}
}

/** A view without the instant it was computed at, for comparing two reads. */
function comparable<T extends PortfolioView | JourneyHealthView>(view: T): Omit<T, 'at'> {
	const { at: _at, ...rest } = view;
	return JSON.parse(JSON.stringify(rest));
}

for (const { engine, open } of engines()) {
	describe(`journey health (${engine})`, () => {
		let database: Database;
		beforeAll(async () => {
			database = await open();
		});
		afterAll(async () => {
			await database.close();
		});

		it('reads the same figures from the daily sums as from the items, through inserts and corrections', async () => {
			const { db } = database;
			const owner = await makeUser(db);
			const viewer = await makeUser(db);
			const ws = await makeWorkspace(db, owner);
			await addMember(db, ws.id, viewer, 'viewer');
			const { journey, touchpoints } = await airlineJourney(database, ws.id, 'Airline');
			const other = await airlineJourney(database, ws.id, 'Beta journey');
			const given = (i: number) => (i % 3 === 0 ? touchpoints[i % touchpoints.length].id : undefined);
			const batch = (from: number, count: number, journeyId: string) =>
				Array.from({ length: count }, (_, k) => {
					const i = from + k;
					const day = new Date(NOW.getTime() - ((i * 37) % 50) * 86_400_000 - 3_600_000);
					return item({
						text: TEXTS[i % TEXTS.length],
						journey_id: journeyId,
						touchpoint_id: given(i),
						received_at: day.toISOString(),
						external_id: `h-${journeyId.slice(0, 4)}-${i}`,
						customer: i % 4 === 0 ? { id: `cust-${i % 12}` } : undefined,
						rating:
							i % 5 === 0
								? { kind: 'nps', value: i % 11 }
								: i % 7 === 0
									? { kind: 'csat', value: 1 + (i % 5) }
									: undefined
					});
				});
			await ingestFeedback(db, { workspaceId: ws.id, source: 'api' }, batch(0, 70, journey.id));
			await ingestFeedback(db, { workspaceId: ws.id, source: 'api' }, batch(100, 12, other.journey.id));
			await processPending(db);
			// Products are what analysis found in the workspace catalogue; this workspace has none, so name one here.
			const named = [1, 2, 9].map((i) => `h-${journey.id.slice(0, 4)}-${i}`);
			await db.execute(sql`update feedback set products = array['Premium card']
				where journey_id = ${journey.id} and external_id = any(${`{${named.join(',')}}`}::text[])`);

			const ranges = ['range=custom&from=2026-10-01&to=2026-11-20', 'range=7d', 'range=28d&compare=year', ''];
			const filterSets = ['', '&product=Premium%20card', `&channel=${touchpoints[0].channel}`];
			async function expectRecomputed() {
				for (const r of ranges) {
					for (const f of filterSets) {
						const q = query(`${r}${f}`);
						const fromSums = await journeyHealth(db, viewer, ws.id, journey.id, q, 'en', { now: NOW });
						const fromItems = await journeyHealth(db, viewer, ws.id, journey.id, q, 'en', {
							now: NOW,
							source: 'items'
						});
						expectSame(comparable(fromSums), comparable(fromItems), `${r}${f}`);
						const p1 = await portfolio(db, viewer, ws.id, q, 'en');
						const p2 = await portfolio(db, viewer, ws.id, q, 'en', { source: 'items' });
						expectSame(comparable(p1), comparable(p2), `portfolio ${r}${f}`);
					}
				}
				// And against a plain count of the items that count.
				const q = query('range=custom&from=2026-10-01&to=2026-11-20');
				const view = await journeyHealth(db, viewer, ws.id, journey.id, q, 'en', { now: NOW });
				const [c] = rowsOf<{ n: number; sum: number }>(
					await db.execute(sql`select count(*)::int as n, sum(score::float8)::float8 as sum from feedback
						where journey_id = ${journey.id} and status = 'done' and not spam and polarity is not null
						and received_at >= '2026-10-01' and received_at < '2026-11-21'`)
				);
				expect(view.health.volume).toBe(Number(c.n));
				expect(view.health.liveScore).toBeCloseTo(Number(c.sum) / Number(c.n), 2);
				await expectAggregatesMatch(database, journey.id);
				return view;
			}

			const before = await expectRecomputed();
			expect(before.health.volume).toBeGreaterThan(40);
			expect(before.curve.length).toBe(touchpoints.length);

			// Corrections, moves and spam change the figures; sums and items still agree.
			const rows = await db.select().from(feedback).where(eq(feedback.journeyId, journey.id));
			const positives = rows.filter((r) => r.polarity === 'positive').slice(0, 3);
			for (const r of positives) await correctFeedback(db, owner, ws.id, r.id, 'polarity', 'negative');
			await assignTouchpoint(
				db,
				owner,
				ws.id,
				rows.slice(0, 5).map((r) => r.id),
				journey.id,
				touchpoints[1].id
			);
			await setSpam(
				db,
				owner,
				ws.id,
				rows.slice(10, 13).map((r) => r.id),
				true
			);
			await ingestFeedback(db, { workspaceId: ws.id, source: 'api' }, batch(70, 15, journey.id));
			await processPending(db);
			const after = await expectRecomputed();
			expect(after.health.negativeShare).not.toBe(before.health.negativeShare);

			// Pains and joys quote items that carry the motive with that polarity, newest first.
			expect(after.pains.length).toBeGreaterThan(0);
			for (const [list, polarity] of [
				[after.pains, 'negative'],
				[after.joys, 'positive']
			] as const) {
				for (const h of list) {
					expect(h.quotes.length, h.motive).toBeGreaterThan(0);
					for (const q of h.quotes) {
						const [r] = await db.select().from(feedback).where(eq(feedback.id, q.itemId));
						expect(r.motives).toContain(h.motive);
						expect(r.polarity).toBe(polarity);
					}
				}
			}

			// The product filter keeps only the items naming it.
			const premium = await journeyHealth(
				db,
				viewer,
				ws.id,
				journey.id,
				query('range=custom&from=2026-10-01&to=2026-11-20&product=Premium%20card'),
				'en',
				{ now: NOW }
			);
			const [withProduct] = rowsOf<{ n: number }>(
				await db.execute(sql`select count(*)::int as n from feedback where journey_id = ${journey.id} and status = 'done'
					and not spam and products @> array['Premium card']`)
			);
			expect(premium.health.volume).toBe(Number(withProduct.n));
			// The choices stay those of the whole journey, so another product can be picked.
			expect(premium.facets.products).toEqual(['Premium card']);
			expect(after.facets.products).toEqual(['Premium card']);

			// The ladder counts NPS answers with the ladder's buckets.
			const [nps] = rowsOf<{ n: number; promoters: number; detractors: number }>(
				await db.execute(sql`select count(*)::int as n, count(*) filter (where rating_value >= 9)::int as promoters,
					count(*) filter (where rating_value <= 6)::int as detractors from feedback
					where journey_id = ${journey.id} and status = 'done' and not spam and rating_kind = 'nps'
					and received_at >= '2026-10-01' and received_at < '2026-11-21'`)
			);
			expect(after.ladder.nps.n).toBe(Number(nps.n));
			expect(after.ladder.nps.promoters).toBe(Number(nps.promoters));
			expect(after.ladder.nps.detractors).toBe(Number(nps.detractors));

			// Open alerts and loops show on the portfolio and lower the journey's health.
			const q = query('range=custom&from=2026-10-01&to=2026-11-20');
			const calm = await portfolio(db, viewer, ws.id, q, 'en');
			await db.insert(alert).values({
				workspaceId: ws.id,
				detectorId: 'test-1',
				scopeKey: `tp:${touchpoints[0].id}`,
				journeyId: journey.id,
				touchpointId: touchpoints[0].id,
				kinds: ['negative_rise'],
				peak: {},
				latest: {},
				openedAt: new Date(),
				lastFiringAt: new Date()
			});
			await db.insert(loop).values({ workspaceId: ws.id, journeyId: journey.id, title: 'Lost luggage' });
			const alarmed = await portfolio(db, viewer, ws.id, q, 'en');
			const rowOf = (p: PortfolioView) => p.journeys.find((j) => j.journeyId === journey.id)!;
			expect(rowOf(alarmed).openAlerts).toBe(1);
			expect(rowOf(alarmed).openLoops).toBe(1);
			expect(rowOf(alarmed).health.score!).toBeLessThan(rowOf(calm).health.score!);
			expect(alarmed.journeys.map((j) => j.title).sort()).toEqual(['Airline', 'Beta journey']);
			const scores = alarmed.journeys.map((j) => j.health.score ?? Infinity);
			expect([...scores].sort((a, b) => a - b)).toEqual(scores);
			const alerted = await journeyHealth(db, viewer, ws.id, journey.id, q, 'en', { now: NOW });
			expect(alerted.curve.find((c) => c.touchpointId === touchpoints[0].id)!.health.openAlerts).toBe(1);
		});

		it('lets members read, and nobody else', async () => {
			const { db } = database;
			const owner = await makeUser(db);
			const outsider = await makeUser(db);
			const ws = await makeWorkspace(db, owner);
			const { journey } = await airlineJourney(database, ws.id);
			const q = query('');
			await expect(portfolio(db, outsider, ws.id, q, 'en')).rejects.toMatchObject({ status: 404 });
			await expect(journeyHealth(db, outsider, ws.id, journey.id, q, 'en')).rejects.toMatchObject({
				status: 404
			});
			await expect(portfolio(db, null, ws.id, q, 'en')).rejects.toMatchObject({ status: 401 });
			// A journey asked for under another workspace's address is not found, even by a member of both.
			const second = await makeWorkspace(db, owner);
			await expect(journeyHealth(db, owner, second.id, journey.id, q, 'en')).rejects.toMatchObject({
				status: 404
			});
			const empty = await journeyHealth(db, owner, ws.id, journey.id, q, 'en');
			expect(empty.health.score).toBeNull();
			expect(empty.health.band).toBe('none');
		});

		it('shows a journey duplicated with its scores like the original, on the portfolio and its page', async () => {
			const { db } = database;
			const owner = await makeUser(db);
			const ws = await makeWorkspace(db, owner);
			const { journey } = await airlineJourney(database, ws.id, 'Original');
			await ingestFeedback(
				db,
				{ workspaceId: ws.id, source: 'api' },
				TEXTS.map((text, i) =>
					item({
						text,
						journey_id: journey.id,
						received_at: `2026-11-1${i}T09:00:00Z`,
						external_id: `d-${i}`
					})
				)
			);
			await processPending(db);
			const copy = await duplicateJourney(db, owner, journey.id, 'en', { withFeedback: true });
			const q = query('range=28d');
			const view = await portfolio(db, owner, ws.id, q, 'en');
			const original = view.journeys.find((j) => j.journeyId === journey.id)!;
			const copied = view.journeys.find((j) => j.journeyId === copy.id)!;
			expect(original.volume).toBe(TEXTS.length);
			expect(copied.volume).toBe(original.volume);
			expect(copied.health).toEqual(original.health);
			const page = await journeyHealth(db, owner, ws.id, copy.id, q, 'en', { now: NOW });
			expect(page.health.volume).toBe(copied.volume);
		});
	});
}
