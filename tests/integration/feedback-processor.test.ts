/**
 * The analysis queue on both engines: items are analysed once, placed on touchpoints, searchable, and the
 * touchpoint aggregates always equal a recomputation from the items.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import type { Database } from '../../src/lib/server/db';
import { feedback } from '../../src/lib/server/db/schema';
import { on } from '../../src/lib/server/events';
import { ingestFeedback } from '../../src/lib/server/feedback/ingest';
import { rowsOf } from '../../src/lib/server/db/raw';
import { FeedbackProcessor, inlineAnalyse, processPending } from '../../src/lib/server/feedback/processor';
import { engines } from './helpers/db';
import { airlineJourney, expectAggregatesMatch, item } from './helpers/feedback';
import { makeUser, makeWorkspace } from './helpers/factories';

const TEXTS = [
	'My luggage was lost at the baggage claim, nobody at the desk could help. Terrible.',
	'Le personnel à l’embarquement était charmant, embarquement rapide, merci !',
	'Online check-in crashed twice, I could not get my boarding pass.',
	'Les bagages sont arrivés abîmés et personne ne répond au service client.',
	'Great seat, friendly crew and the meal on board was delicious.',
	'The flight was delayed by four hours and we were never told why.'
];

for (const { engine, open } of engines()) {
	describe(`feedback processor (${engine})`, () => {
		let database: Database;
		beforeAll(async () => {
			database = await open();
		});
		afterAll(async () => {
			await database.close();
		});

		it('analyses each pending item once, places it on a touchpoint and keeps aggregates exact', async () => {
			const owner = await makeUser(database.db);
			const ws = await makeWorkspace(database.db, owner);
			const { journey } = await airlineJourney(database, ws.id);
			const changed: string[][] = [];
			const off = on('feedback:changed', (e) => changed.push(e.journeyIds));
			const res = await ingestFeedback(
				database.db,
				{ workspaceId: ws.id, source: 'api' },
				TEXTS.map((text, i) => item({ text, journey_id: journey.id, external_id: `t-${i}` }))
			);
			expect(res.created).toBe(TEXTS.length);
			const pending = await database.db.select().from(feedback).where(eq(feedback.workspaceId, ws.id));
			expect(pending.every((r) => r.status === 'pending')).toBe(true);

			expect(await processPending(database.db)).toBe(TEXTS.length);
			off();
			expect(changed.flat()).toContain(journey.id);
			const rows = await database.db.select().from(feedback).where(eq(feedback.workspaceId, ws.id));
			for (const r of rows) {
				expect(r.status).toBe('done');
				expect(r.analysedCount).toBe(1);
				expect(r.polarity).toMatch(/negative|neutral|positive/);
				expect(r.score).toBeGreaterThanOrEqual(-2);
				expect(r.score).toBeLessThanOrEqual(2);
				expect(r.analysis).toBeTruthy();
			}
			const lost = rows.find((r) => r.externalId === 't-0')!;
			expect(lost.polarity).toBe('negative');
			expect(lost.touchpointId).toBeTruthy();
			expect(rows.find((r) => r.externalId === 't-1')!.language).toBe('fr');
			expect(rows.filter((r) => r.touchpointId).length).toBeGreaterThanOrEqual(4);
			await expectAggregatesMatch(database, journey.id);

			// Nothing left: a second pass analyses nothing.
			expect(await processPending(database.db)).toBe(0);

			// French stemming finds "bagages" from "bagage", English "luggage" its own item.
			const fr = rowsOf<{ id: string }>(
				await database.db.execute(
					sql`select id from feedback where workspace_id = ${ws.id} and search @@ plainto_tsquery('french', 'bagage')`
				)
			);
			expect(fr.length).toBeGreaterThanOrEqual(1);
		});

		it('places an item without a journey on the journey of its touchpoint', async () => {
			const owner = await makeUser(database.db);
			const ws = await makeWorkspace(database.db, owner);
			const { journey } = await airlineJourney(database, ws.id);
			await ingestFeedback(database.db, { workspaceId: ws.id, source: 'api' }, [
				item({ text: 'My suitcase was lost at baggage claim and never delivered.' })
			]);
			await processPending(database.db);
			const [row] = await database.db.select().from(feedback).where(eq(feedback.workspaceId, ws.id));
			expect(row.journeyId).toBe(journey.id);
			expect(row.touchpointId).toBeTruthy();
			await expectAggregatesMatch(database, journey.id);
		});

		it('keeps a touchpoint given by the source', async () => {
			const owner = await makeUser(database.db);
			const ws = await makeWorkspace(database.db, owner);
			const { journey, touchpoints } = await airlineJourney(database, ws.id);
			const given = touchpoints[touchpoints.length - 1].id;
			await ingestFeedback(database.db, { workspaceId: ws.id, source: 'form' }, [
				item({ text: 'My luggage was lost.', journey_id: journey.id, touchpoint_id: given })
			]);
			await processPending(database.db);
			const [row] = await database.db.select().from(feedback).where(eq(feedback.workspaceId, ws.id));
			expect(row.touchpointId).toBe(given);
		});

		it('takes back an abandoned claim once, and two processors never store one item twice', async () => {
			const owner = await makeUser(database.db);
			const ws = await makeWorkspace(database.db, owner);
			const { journey } = await airlineJourney(database, ws.id);
			const inputs = Array.from({ length: 120 }, (_, i) =>
				item({ text: TEXTS[i % TEXTS.length], journey_id: journey.id, external_id: `c-${i}` })
			);
			await ingestFeedback(database.db, { workspaceId: ws.id, source: 'api' }, inputs);
			// A processor that died after claiming: its claims are old. Another one is at work on c-3.
			await database.db.execute(
				sql`update feedback set claim_token = gen_random_uuid(), claimed_at = now() - interval '5 minutes', attempts = 1
					where workspace_id = ${ws.id} and external_id in ('c-0', 'c-1', 'c-2')`
			);
			await database.db.execute(
				sql`update feedback set claim_token = gen_random_uuid(), claimed_at = now(), attempts = 1
					where workspace_id = ${ws.id} and external_id = 'c-3'`
			);
			const a = new FeedbackProcessor(database.db, { pollMs: 0, batchSize: 25, analyse: inlineAnalyse() });
			const b = new FeedbackProcessor(database.db, { pollMs: 0, batchSize: 25, analyse: inlineAnalyse() });
			await Promise.all([a.wake(), b.wake()]);
			await Promise.all([a.stop(), b.stop()]);
			const rows = await database.db.select().from(feedback).where(eq(feedback.workspaceId, ws.id));
			expect(rows.length).toBe(120);
			const busy = rows.find((r) => r.externalId === 'c-3')!;
			expect([busy.status, busy.analysedCount]).toEqual(['pending', 0]);
			const rest = rows.filter((r) => r !== busy);
			expect(rest.every((r) => r.status === 'done' && r.analysedCount === 1)).toBe(true);
			expect(a.analysed + b.analysed).toBe(119);
			await expectAggregatesMatch(database, journey.id);
		});

		it('retries a failing analysis and marks the item failed after its attempts', async () => {
			const owner = await makeUser(database.db);
			const ws = await makeWorkspace(database.db, owner);
			await ingestFeedback(database.db, { workspaceId: ws.id, source: 'api' }, [item({ text: 'hello' })]);
			let calls = 0;
			const broken = new FeedbackProcessor(database.db, {
				pollMs: 0,
				maxAttempts: 2,
				log: () => {},
				analyse: async () => {
					calls++;
					throw new Error('worker crashed');
				}
			});
			await broken.wake();
			await broken.stop();
			const [row] = await database.db.select().from(feedback).where(eq(feedback.workspaceId, ws.id));
			expect(calls).toBe(2);
			expect(row.status).toBe('failed');
			expect(row.error).toContain('worker crashed');
		});
	});
}
