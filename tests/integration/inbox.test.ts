/**
 * The inbox on both engines: filters and facet counts, French and English search, keyset pages,
 * corrections that move the effective fields and the aggregates together, spam, bulk assignment,
 * learning from corrections, and who may do what.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { analyze, type Analysis } from '../../src/lib/analysis';
import type { Touchpoint } from '../../src/lib/journey';
import { emptyFilters, tallyFacets, type FacetRow, type InboxFilters } from '../../src/lib/feedback/inbox';
import type { Database } from '../../src/lib/server/db';
import { feedback, feedbackCorrection, workspaceModel } from '../../src/lib/server/db/schema';
import { on } from '../../src/lib/server/events';
import { ingestFeedback } from '../../src/lib/server/feedback/ingest';
import { recomputeAggregates } from '../../src/lib/server/feedback/aggregates';
import { processPending } from '../../src/lib/server/feedback/processor';
import {
	feedbackFacets,
	getFeedbackItem,
	listFeedback,
	inboxNames
} from '../../src/lib/server/feedback/inbox';
import { assignTouchpoint, correctFeedback, setSpam } from '../../src/lib/server/feedback/corrections';
import {
	cancelScheduledRetrains,
	retrainScheduled,
	retrainWorkspace,
	withoutSingleClassFields
} from '../../src/lib/server/feedback/learning';
import { engines } from './helpers/db';
import { airlineJourney, expectAggregatesMatch, item } from './helpers/feedback';
import { status } from './helpers/status';
import { addMember, makeUser, makeWorkspace } from './helpers/factories';

function filters(over: Partial<InboxFilters>): InboxFilters {
	return { ...emptyFilters(), ...over };
}

const TEXTS: Array<[string, Record<string, unknown>]> = [
	[
		'My luggage was lost at the baggage claim, nobody at the desk could help. Terrible.',
		{ channel: 'email' }
	],
	['Le personnel à l’embarquement était charmant, embarquement rapide, merci !', { channel: 'survey' }],
	['Online check-in crashed twice, I could not get my boarding pass.', { channel: 'chat' }],
	[
		'Ma valise est arrivée cassée et personne ne répond au service client.',
		{ channel: 'email', customer: { name: 'Léa Martin', contact: 'lea@example.com' } }
	],
	['Great seat, friendly crew and the meal on board was delicious.', { channel: 'review' }],
	['The flight was delayed by four hours and we were never told why.', { channel: 'social' }],
	['Le vol a été annulé sans explication, remboursement toujours en attente.', { channel: 'phone' }],
	['Boarding was quick and the staff were lovely, thanks!', { channel: 'email', customer: { id: 'C-42' } }]
];

describe('training examples', () => {
	it('leaves out a field whose corrections all give one value (it would pull every item to it)', () => {
		const out = withoutSingleClassFields([
			{ text: 'a', polarity: 'negative', intent: 'complaint' },
			{ text: 'b', polarity: 'positive', intent: 'complaint' },
			{ text: 'c', intent: 'complaint' }
		]);
		expect(out).toEqual([
			{ text: 'a', polarity: 'negative' },
			{ text: 'b', polarity: 'positive' }
		]);
	});
});

for (const { engine, open } of engines()) {
	describe(`inbox (${engine})`, () => {
		let database: Database;
		let owner: { id: string };
		let editor: { id: string };
		let viewer: { id: string };
		let outsider: { id: string };
		let wsId: string;
		let otherWsId: string;
		let journeyId: string;
		let touchpoints: Touchpoint[];
		let ids: string[];

		beforeAll(async () => {
			database = await open();
			const db = database.db;
			owner = await makeUser(db);
			editor = await makeUser(db);
			viewer = await makeUser(db);
			outsider = await makeUser(db);
			const ws = await makeWorkspace(db, owner);
			wsId = ws.id;
			await addMember(db, wsId, editor, 'editor');
			await addMember(db, wsId, viewer, 'viewer');
			otherWsId = (await makeWorkspace(db, outsider)).id;
			const j = await airlineJourney(database, wsId);
			journeyId = j.journey.id;
			touchpoints = j.touchpoints;
			const inputs = TEXTS.map(([text, extra], i) =>
				item({
					text,
					journey_id: journeyId,
					received_at: new Date(Date.UTC(2026, 10, 1 + i, 9)).toISOString(),
					...extra
				})
			);
			const res = await ingestFeedback(db, { workspaceId: wsId, source: 'api' }, inputs);
			ids = res.items.map((r) => r.id!);
			expect(await processPending(db)).toBe(TEXTS.length);
		});

		afterAll(async () => {
			cancelScheduledRetrains();
			await database?.close();
		});

		it('lists newest first with filters, and pages by keyset without gaps or repeats', async () => {
			const db = database.db;
			const all = await listFeedback(db, viewer, wsId, filters({}));
			expect(all.items.map((i) => i.id)).toEqual([...ids].reverse());
			expect(all.next).toBeNull();

			const email = await listFeedback(db, viewer, wsId, filters({ channel: 'email' }));
			expect(email.items.map((i) => i.id).sort()).toEqual([ids[0], ids[3], ids[7]].sort());
			const known = await listFeedback(db, viewer, wsId, filters({ customer: 'yes' }));
			expect(known.items.map((i) => i.id).sort()).toEqual([ids[3], ids[7]].sort());
			const range = await listFeedback(db, viewer, wsId, filters({ from: '2026-11-02', to: '2026-11-03' }));
			expect(range.items.map((i) => i.id)).toEqual([ids[2], ids[1]]);
			const fr = await listFeedback(db, viewer, wsId, filters({ language: 'fr' }));
			expect(fr.items.map((i) => i.id).sort()).toEqual([ids[1], ids[3], ids[6]].sort());

			const seen: string[] = [];
			let f = filters({});
			for (let guard = 0; guard < 10; guard++) {
				const page = await listFeedback(db, viewer, wsId, f, 3);
				seen.push(...page.items.map((i) => i.id));
				if (!page.next) break;
				f = { ...f, after: page.next };
			}
			expect(seen).toEqual([...ids].reverse());
		});

		it('counts each facet with the other filters applied', async () => {
			const db = database.db;
			const rows = await db.select().from(feedback).where(eq(feedback.workspaceId, wsId));
			const facetRows: FacetRow[] = rows.map((r) => ({
				journey: r.journeyId,
				touchpoint: r.touchpointId,
				stage: r.stage,
				channel: r.channel,
				polarity: r.polarity,
				intent: r.intent,
				language: r.language ?? 'unknown',
				customer: r.customerId || r.customerName || r.customerContact ? 'yes' : 'no',
				emotion: r.emotions,
				motive: r.motives,
				product: r.products,
				place: r.places
			}));
			const negative = rows.filter((r) => r.polarity === 'negative').length;
			expect(negative).toBeGreaterThan(1);
			const result = await feedbackFacets(db, viewer, wsId, filters({ polarity: 'negative' }));
			expect(result.approximate).toBe(false);
			expect(result.total).toBe(negative);
			// Its own facet ignores its own filter: every polarity is offered with its full count.
			expect(result.counts.polarity).toEqual(tallyFacets(facetRows, ['polarity']).polarity);
			// The others count negative items only.
			const negRows = facetRows.filter((r) => r.polarity === 'negative');
			expect(result.counts.channel).toEqual(tallyFacets(negRows, ['channel']).channel);
			expect(result.counts.language).toEqual(tallyFacets(negRows, ['language']).language);
			expect(result.counts.motive).toEqual(tallyFacets(negRows, ['motive']).motive);

			// Two filters: each facet leaves out only its own.
			const both = await feedbackFacets(
				db,
				viewer,
				wsId,
				filters({ polarity: 'negative', channel: 'email' })
			);
			expect(both.counts.channel).toEqual(tallyFacets(negRows, ['channel']).channel);
			const emailRows = facetRows.filter((r) => r.channel === 'email');
			expect(both.counts.polarity).toEqual(tallyFacets(emailRows, ['polarity']).polarity);
			expect(both.total).toBe(negRows.filter((r) => r.channel === 'email').length);
		});

		it('searches French and English words, stemmed in their language', async () => {
			const db = database.db;
			const search = async (q: string) =>
				(await listFeedback(db, viewer, wsId, filters({ q }))).items.map((i) => i.id).sort();
			// French plural → the French stem of the French item.
			expect(await search('valises')).toEqual([ids[3]]);
			// English inflection → the English stem.
			expect(await search('delays')).toEqual([ids[5]]);
			expect(await search('annulés')).toEqual([ids[6]]);
			// A phrase and an exclusion (web search syntax).
			expect(await search('"boarding pass"')).toEqual([ids[2]]);
			// English stems: "boarding" also finds "on board"; the excluded word removes the boarding pass.
			expect(await search('boarding -pass')).toEqual([ids[4], ids[7]].sort());
			expect(await search('zzzz nothing')).toEqual([]);
			// Facets follow the search too.
			expect((await feedbackFacets(db, viewer, wsId, filters({ q: 'valises' }))).total).toBe(1);
		});

		it('shows an item with its explanation; viewers read, outsiders get 404', async () => {
			const db = database.db;
			const detail = await getFeedbackItem(db, viewer, wsId, ids[3]);
			expect(detail.analysis?.text).toContain('valise');
			expect(detail.segments.map((s) => s.text).join('')).toBe(detail.analysis!.text);
			expect(detail.segments.some((s) => s.kinds.length > 0)).toBe(true);
			expect(await status(() => getFeedbackItem(db, outsider, wsId, ids[3]))).toBe(404);
			expect(await status(() => getFeedbackItem(db, outsider, otherWsId, ids[3]))).toBe(404);
			expect(await status(() => getFeedbackItem(db, viewer, wsId, 'nope'))).toBe(404);
			expect(await status(() => listFeedback(db, outsider, wsId, filters({})))).toBe(404);
			expect(await status(() => feedbackFacets(db, outsider, wsId, filters({})))).toBe(404);
			expect(await status(() => listFeedback(db, null, wsId, filters({})))).toBe(401);
			const names = await inboxNames(db, viewer, wsId, 'en');
			expect(names.journeys[0].touchpoints.map((t) => t.id)).toEqual(touchpoints.map((t) => t.id));
		});

		it('corrects polarity, intent, motive, stage and touchpoint; aggregates equal a recomputation', async () => {
			const db = database.db;
			const events: string[][] = [];
			const off = on('feedback:changed', (e) => events.push(e.itemIds));
			try {
				const target = ids[0]; // negative luggage complaint
				const [before] = await db.select().from(feedback).where(eq(feedback.id, target));
				expect(before.polarity).toBe('negative');
				const after = await correctFeedback(db, editor, wsId, target, 'polarity', 'positive');
				expect(after.polarity).toBe('positive');
				expect(after.score).toBeGreaterThan(0);
				expect(after.corrected).toEqual(['polarity']);
				await expectAggregatesMatch(database, journeyId);
				expect(events).toContainEqual([target]);
				expect(retrainScheduled(wsId)).toBe(true);

				await correctFeedback(db, editor, wsId, target, 'intent', 'suggestion');
				await correctFeedback(db, editor, wsId, target, 'motive', 'delay');
				await correctFeedback(db, editor, wsId, target, 'stage', 'pre-sale');
				const tp = touchpoints.find((t) => t.id !== before.touchpointId)!;
				await correctFeedback(db, owner, wsId, target, 'touchpoint', tp.id);
				const [row] = await db.select().from(feedback).where(eq(feedback.id, target));
				expect(row).toMatchObject({
					polarity: 'positive',
					intent: 'suggestion',
					motives: ['delay'],
					stage: 'pre-sale',
					touchpointId: tp.id
				});
				expect(row.corrected).toEqual(['intent', 'motive', 'polarity', 'stage', 'touchpoint']);
				await expectAggregatesMatch(database, journeyId);
				const log = await db
					.select()
					.from(feedbackCorrection)
					.where(eq(feedbackCorrection.feedbackId, target));
				expect(log.map((c) => c.field).sort()).toEqual([
					'intent',
					'motive',
					'polarity',
					'stage',
					'touchpoint'
				]);
				expect(log.find((c) => c.field === 'polarity')).toMatchObject({
					fromValue: 'negative',
					toValue: 'positive'
				});

				// Back to negative: the score is the analysis' own again, not a drift of corrections.
				const back = await correctFeedback(db, editor, wsId, target, 'polarity', 'negative');
				expect(back.score).toBeCloseTo(before.score!, 3);
				await expectAggregatesMatch(database, journeyId);
			} finally {
				off();
			}
		});

		it('refuses bad corrections with the field to fix, and viewers with 403', async () => {
			const db = database.db;
			expect(await status(() => correctFeedback(db, viewer, wsId, ids[1], 'polarity', 'negative'))).toBe(403);
			expect(await status(() => correctFeedback(db, outsider, wsId, ids[1], 'polarity', 'negative'))).toBe(
				404
			);
			expect(
				await status(() => correctFeedback(db, outsider, otherWsId, ids[1], 'polarity', 'negative'))
			).toBe(404);
			for (const [field, value] of [
				['mood', 'negative'],
				['polarity', 'angry'],
				['polarity', ''],
				['motive', 'not-a-motive'],
				['touchpoint', 'not-a-touchpoint'],
				['stage', 'during']
			]) {
				expect(await status(() => correctFeedback(db, editor, wsId, ids[1], field, value)), field).toBe(400);
			}
			expect(await status(() => assignTouchpoint(db, editor, wsId, [], journeyId, touchpoints[0].id))).toBe(
				400
			);
			expect(
				await status(() => assignTouchpoint(db, editor, wsId, ['x'], journeyId, touchpoints[0].id))
			).toBe(400);
			expect(await status(() => assignTouchpoint(db, editor, wsId, [ids[1]], journeyId, 'nope'))).toBe(400);
			expect(
				await status(() => assignTouchpoint(db, viewer, wsId, [ids[1]], journeyId, touchpoints[0].id))
			).toBe(403);
			expect(await status(() => setSpam(db, viewer, wsId, [ids[1]], true))).toBe(403);
			expect(await status(() => setSpam(db, editor, wsId, [crypto.randomUUID()], true))).toBe(400);
			const [row] = await db.select().from(feedback).where(eq(feedback.id, ids[1]));
			expect(row.corrected).toBeNull();
		});

		it('spam leaves the aggregates and the list, and comes back on undo', async () => {
			const db = database.db;
			const target = ids[4];
			const n = async () => (await recomputeAggregates(db, journeyId)).reduce((s, r) => s + r.n, 0);
			const before = await n();
			expect((await setSpam(db, editor, wsId, [target], true)).updated).toBe(1);
			expect(await n()).toBe(before - 1);
			await expectAggregatesMatch(database, journeyId);
			expect((await listFeedback(db, viewer, wsId, filters({}))).items.map((i) => i.id)).not.toContain(
				target
			);
			expect(
				(await listFeedback(db, viewer, wsId, filters({ spam: 'only' }))).items.map((i) => i.id)
			).toEqual([target]);
			expect((await setSpam(db, editor, wsId, [target], false)).updated).toBe(1);
			expect(await n()).toBe(before);
			await expectAggregatesMatch(database, journeyId);
		});

		it('assigns a selection to a touchpoint, across journeys', async () => {
			const db = database.db;
			const second = await airlineJourney(database, wsId, 'Second');
			const tp = second.touchpoints[2];
			const chosen = [ids[1], ids[2], ids[5]];
			const res = await assignTouchpoint(db, editor, wsId, chosen, second.journey.id, tp.id);
			expect(res).toEqual({ updated: 3, skipped: 0 });
			const rows = await db.select().from(feedback).where(eq(feedback.touchpointId, tp.id));
			expect(rows.map((r) => r.id).sort()).toEqual([...chosen].sort());
			expect(
				rows.every((r) => r.journeyId === second.journey.id && r.corrected?.includes('touchpoint'))
			).toBe(true);
			await expectAggregatesMatch(database, journeyId);
			await expectAggregatesMatch(database, second.journey.id);
			const listed = await listFeedback(
				db,
				viewer,
				wsId,
				filters({ journey: second.journey.id, touchpoint: tp.id })
			);
			expect(listed.items.map((i) => i.id).sort()).toEqual([...chosen].sort());
		});

		it('retrains the workspace model from corrections, and later items are analysed with it', async () => {
			const db = database.db;
			const texts = (word: string, n: number) =>
				Array.from({ length: n }, (_, i) => `The ${word} was handed over at gate ${i + 1} on tuesday.`);
			const res = await ingestFeedback(
				db,
				{ workspaceId: wsId, source: 'manual' },
				[...texts('zorblax', 16), ...texts('flurble', 16)].map((text) =>
					item({ text, journey_id: journeyId })
				)
			);
			await processPending(db);
			const newIds = res.items.map((r) => r.id!);
			for (const [k, id] of newIds.entries()) {
				await correctFeedback(db, editor, wsId, id, 'polarity', k < 16 ? 'negative' : 'positive');
			}
			const { examples } = await retrainWorkspace(db, wsId);
			expect(examples).toBeGreaterThanOrEqual(32);
			const [stored] = await db.select().from(workspaceModel).where(eq(workspaceModel.workspaceId, wsId));
			expect(stored.examples).toBe(examples);

			const probe = ['Another zorblax was handed over today.', 'Another flurble was handed over today.'];
			const plain = probe.map((t) => analyze(t).polarity.value);
			const later = await ingestFeedback(
				db,
				{ workspaceId: wsId, source: 'manual' },
				probe.map((text) => item({ text, journey_id: journeyId }))
			);
			await processPending(db);
			const analysed = await Promise.all(
				later.items.map(async (r) => (await db.select().from(feedback).where(eq(feedback.id, r.id!)))[0])
			);
			expect(analysed.map((r) => r.polarity)).toEqual(['negative', 'positive']);
			expect(plain).not.toEqual(['negative', 'positive']);
			expect((analysed[0].analysis as Analysis).learned).toContain('polarity');
		});
	});
}
