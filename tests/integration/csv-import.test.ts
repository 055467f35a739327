/**
 * CSV import on both engines: the files French and English spreadsheets produce, broken rows reported
 * (not fatal), re-imports adding nothing, the rejected-rows report, access, and a large file stored in
 * steps that leave the event loop free.
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, asc, eq } from 'drizzle-orm';
import type { Database } from '../../src/lib/server/db';
import { feedback, feedbackImport } from '../../src/lib/server/db/schema';
import {
	claimImport,
	getImport,
	importCsv,
	importReport,
	listImports,
	resumeImports,
	stopImports,
	waitForImport,
	type CsvImportSettings
} from '../../src/lib/server/feedback/csv-import';
import { FeedbackProcessor, inlineAnalyse, processPending } from '../../src/lib/server/feedback/processor';
import { startFeedbackProcessing, stopFeedbackProcessing } from '../../server/feedback';
import { readConfig } from '../../src/lib/server/config';
import { on } from '../../src/lib/server/events';
import { pendingCount } from '../../src/lib/server/feedback/ingest';
import type { Runtime } from '../../src/lib/server/runtime';
import { engines } from './helpers/db';
import { airlineJourney, expectAggregatesMatch } from './helpers/feedback';
import { addMember, makeJourney, makeUser, makeWorkspace } from './helpers/factories';
import { Client, createWorkspace, signUp, startTestServer, type TestServer } from './helpers/server';

const fixture = (name: string) => new Uint8Array(fs.readFileSync(path.resolve('tests/fixtures/csv', name)));
const utf8 = (s: string) => new TextEncoder().encode(s);

for (const { engine, open } of engines()) {
	describe(`CSV import (${engine})`, () => {
		let database: Database;
		let owner: { id: string };
		let editor: { id: string };
		let viewer: { id: string };
		let outsider: { id: string };
		let ws: { id: string };
		let journeyId: string;

		beforeAll(async () => {
			database = await open();
			const db = database.db;
			owner = await makeUser(db);
			editor = await makeUser(db);
			viewer = await makeUser(db);
			outsider = await makeUser(db);
			ws = await makeWorkspace(db, owner);
			await addMember(db, ws.id, editor, 'editor');
			await addMember(db, ws.id, viewer, 'viewer');
			await makeWorkspace(db, outsider);
			journeyId = (await makeJourney(db, ws.id, 'Agence')).id;
		});
		afterAll(() => database?.close());

		async function run(bytes: Uint8Array, settings: CsvImportSettings = {}, actor = editor) {
			const id = await importCsv(database.db, actor, ws.id, bytes, settings);
			const done = await waitForImport(database.db, id);
			expect(done?.status).toBe('done');
			return { id, done: done! };
		}
		const itemsOf = (importId: string) =>
			database.db
				.select()
				.from(feedback)
				.where(eq(feedback.importId, importId))
				.orderBy(asc(feedback.receivedAt));

		it('imports a Windows-1252 file separated by semicolons, with day-first dates and French headers', async () => {
			const { id, done } = await run(fixture('latin1-semicolon.csv'), {
				filename: 'export.csv',
				journeyId,
				channel: 'survey'
			});
			expect(done).toMatchObject({ total: 3, processed: 3, inserted: 3, duplicates: 0, rejected: 0 });
			const items = await itemsOf(id);
			expect(items.map((i) => i.text)).toEqual([
				'Très déçu : 50 € de frais cachés – inacceptable',
				'Accueil chaleureux à l’agence, merci !',
				'Le cœur du problème : l’attente au guichet'
			]);
			expect(items.map((i) => i.channel)).toEqual(['phone', 'store', 'survey']);
			expect(items[0]).toMatchObject({
				source: 'csv',
				status: 'pending',
				journeyId,
				customerContact: 'marie@example.fr',
				ratingKind: 'nps',
				ratingValue: 2,
				receivedAt: new Date('2025-12-31T14:30:00Z')
			});
			expect(items[0].externalId).toMatch(/^csv:[0-9a-f]{64}$/);
			// The processor analyses imported items like any other.
			await processPending(database.db);
			const analysed = await getImport(database.db, editor, ws.id, id);
			expect(analysed.analysed).toBe(3);
		});

		it('with a processor running, analyses each row before storing it: written once, done, never queued', async () => {
			const airline = await airlineJourney(database, ws.id, 'Airline import');
			const processor = new FeedbackProcessor(database.db, { pollMs: 0 });
			processor.start();
			try {
				const csv = [
					'id,date,text',
					'p-1,2026-11-02T10:00:00Z,My luggage was lost and nobody at the baggage desk could help. Terrible.',
					'p-2,2026-11-02T11:00:00Z,"Le personnel à bord était charmant, merci !"',
					'p-3,2026-11-03T09:00:00Z,Check-in online kept crashing on my phone.'
				].join('\n');
				const { id, done } = await run(utf8(csv), { journeyId: airline.journey.id, channel: 'email' });
				expect(done).toMatchObject({ inserted: 3, rejected: 0 });
				const items = await itemsOf(id);
				// Claiming counts an attempt: rows that never went through the queue have none.
				expect(items.map((i) => [i.externalId, i.status, i.attempts, i.analysedCount])).toEqual([
					['p-1', 'done', 0, 1],
					['p-2', 'done', 0, 1],
					['p-3', 'done', 0, 1]
				]);
				expect(items.map((i) => i.polarity)).toEqual(['negative', 'positive', 'negative']);
				expect(items.map((i) => i.language)).toEqual(['en', 'fr', 'en']);
				expect(items.every((i) => i.search !== null && i.analysis !== null)).toBe(true);
				expect(items[0].touchpointId).toBe(
					airline.touchpoints.find((tp) => tp.title === 'Reporting a delayed bag')!.id
				);
				await expectAggregatesMatch(database, airline.journey.id);
				expect((await getImport(database.db, editor, ws.id, id)).analysed).toBe(3);

				// The same file again adds nothing and counts nothing twice.
				const again = await run(utf8(csv), { journeyId: airline.journey.id, channel: 'email' });
				expect(again.done).toMatchObject({ inserted: 0, duplicates: 3 });
				await expectAggregatesMatch(database, airline.journey.id);

				// Rows that went through the queue (no processor during the import) end up the same.
				await processor.stop();
				const queued = await run(utf8(csv.replaceAll('p-', 'q-')), {
					journeyId: airline.journey.id,
					channel: 'email'
				});
				expect((await itemsOf(queued.id)).map((i) => i.status)).toEqual(['pending', 'pending', 'pending']);
				await processPending(database.db);
				const same = (rows: typeof items) =>
					rows.map((i) => [i.polarity, i.score, i.language, i.touchpointId, i.intent, i.motives, i.emotions]);
				expect(same(await itemsOf(queued.id))).toEqual(same(items));
				await expectAggregatesMatch(database, airline.journey.id);
			} finally {
				await processor.stop();
			}
		});

		it('imports UTF-8 with a BOM and commas, multi-line quoted fields, the id column as external id', async () => {
			const { id, done } = await run(fixture('utf8-bom-comma.csv'), { channel: 'review' });
			expect(done).toMatchObject({ inserted: 3, rejected: 0 });
			const items = await itemsOf(id);
			expect(items.map((i) => [i.externalId, i.customerName, i.ratingKind, i.ratingValue])).toEqual([
				['A-1', 'Jane Doe', 'stars', 5],
				['A-2', 'John Smith', 'stars', 2],
				['A-3', 'Zoë', 'stars', 4]
			]);
			expect(items[1].text).toBe('Delivery was late.\nThe driver was rude, though "sorry" was said.');
			expect(items[2].text).toBe('Crème brûlée was perfect');
		});

		it('imports UTF-16 "Unicode text" separated by tabs, with the columns chosen by hand', async () => {
			const { id, done } = await run(fixture('utf16-tab.txt'), {
				mapping: { text: 0, received_at: 1, language: 2 },
				channel: 'email'
			});
			expect(done).toMatchObject({ inserted: 2, rejected: 0 });
			const items = await itemsOf(id);
			expect(items.map((i) => [i.text, i.givenLanguage, i.channel])).toEqual([
				['Personnel très aimable', 'fr', 'email'],
				['The wifi never worked', 'en', 'email']
			]);
		});

		it('rejects the rows with broken quotes, keeps the others, and reports them in the reader’s language', async () => {
			const { id, done } = await run(fixture('broken-quotes.csv'), { filename: 'broken-quotes.csv' });
			expect(done).toMatchObject({ total: 5, processed: 5, inserted: 3, rejected: 2 });
			expect((await itemsOf(id)).map((i) => i.text)).toEqual([
				'First fine row',
				'Second fine row',
				'Third fine, quoted'
			]);
			const en = await importReport(database.db, editor, ws.id, id, 'en');
			expect(en.filename).toBe('rejected-rows-broken-quotes.csv');
			expect(en.body).toBe(
				'\uFEFFRow,Reason,Original line\r\n' +
					'3,"A quote opens a field and is never closed: close it (""…"") or remove it","""This quote is never closed,2026-01-02"\r\n' +
					'5,"A quoted field goes on after its closing quote: double the quotes inside it ("""") or remove them","""Closed"" then more,2026-01-04"\r\n'
			);
			const fr = await importReport(database.db, editor, ws.id, id, 'fr');
			expect(fr.filename).toBe('lignes-rejetees-broken-quotes.csv');
			const lines = fr.body.split('\r\n');
			expect(lines[0]).toBe('\uFEFFLigne;Motif;Ligne d’origine');
			expect(lines[1]).toMatch(/^3;"?Un guillemet ouvre un champ et n’est jamais fermé/);
			expect(lines.length).toBe(4);
		});

		it('rejects a row with a 1 MB field as too long and keeps the others', async () => {
			const big = 'é'.repeat(1024 * 1024);
			const csv = `texte;date\nAvant;2026-01-01\n"${big}";2026-01-02\n${big};2026-01-03\nAprès;2026-01-04\n`;
			const { id, done } = await run(utf8(csv));
			expect(done).toMatchObject({ total: 4, inserted: 2, rejected: 2 });
			expect((await itemsOf(id)).map((i) => i.text)).toEqual(['Avant', 'Après']);
			const report = (await importReport(database.db, editor, ws.id, id, 'en')).body.split('\r\n');
			expect(report[1]).toMatch(/^3,Text too long \(1048576 characters; at most 20000\),"""é{999}…"$/);
			expect(report[2]).toMatch(/^4,Text too long/);
		});

		it('adds nothing when the same file is imported again, with or without an id column', async () => {
			const before = (await database.db.select().from(feedback)).length;
			const latin = await run(fixture('latin1-semicolon.csv'), { journeyId, channel: 'survey' });
			const ids = await run(fixture('utf8-bom-comma.csv'), { channel: 'review' });
			expect(latin.done).toMatchObject({ inserted: 0, duplicates: 3, rejected: 0 });
			expect(ids.done).toMatchObject({ inserted: 0, duplicates: 3 });
			expect((await database.db.select().from(feedback)).length).toBe(before);
		});

		it('names what is wrong with a row in the report', async () => {
			const csv = [
				'comment,date,channel,rating,lang',
				'ok,2026-01-01,email,3,fr',
				',2026-01-01,email,,',
				'bad date,yesterday,email,,',
				'bad channel,2026-01-01,pigeon,,',
				'bad rating,2026-01-01,email,12,',
				'bad language,2026-01-01,email,,klingon'
			].join('\n');
			const { id, done } = await run(utf8(csv), { ratingKind: 'csat' });
			expect(done).toMatchObject({ inserted: 1, rejected: 5 });
			const reasons = (await importReport(database.db, editor, ws.id, id, 'en')).body
				.split('\r\n')
				.slice(1, -1)
				.map((l) => l.split(',')[0] + ' ' + /^\d+,"?([^,(“]*)/.exec(l)![1].trim());
			expect(reasons).toEqual([
				'3 The text is empty',
				'4 Unreadable date',
				'5 Unknown channel',
				'6 Rating',
				'7 Unknown language'
			]);
		});

		it('refuses files and choices it cannot use, naming the field, and stores nothing', async () => {
			const db = database.db;
			const imports = async () => (await db.select().from(feedbackImport)).length;
			const before = await imports();
			const refusal = (bytes: Uint8Array, settings: CsvImportSettings = {}) =>
				importCsv(db, editor, ws.id, bytes, settings).then(
					() => null,
					(e) => ({ status: e.status, code: e.code, field: e.field })
				);
			expect(await refusal(new Uint8Array())).toEqual({
				status: 400,
				code: 'csvImport.error.empty',
				field: 'file'
			});
			expect(await refusal(new Uint8Array(50 * 1024 * 1024 + 1))).toMatchObject({
				status: 413,
				field: 'file'
			});
			expect(await refusal(Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 0]))).toMatchObject({
				code: 'csvImport.error.xlsx'
			});
			expect(await refusal(utf8('text\n'))).toMatchObject({ code: 'csvImport.error.noRows' });
			expect(await refusal(utf8('a,b\n1,2'), { mapping: { customer_id: 0 } })).toMatchObject({
				field: 'map_text'
			});
			expect(await refusal(utf8('a,b\n1,2'), { mapping: { text: 5 } })).toMatchObject({ field: 'map_text' });
			expect(await refusal(utf8('a,b\n1,2'), { mapping: { text: 0, channel: 0 } })).toMatchObject({
				code: 'csvImport.error.sameColumn'
			});
			expect(await refusal(utf8('text,note\nx,3'))).toMatchObject({ field: 'ratingKind' });
			expect(await refusal(utf8('text\nx'), { channel: 'pigeon' })).toMatchObject({ field: 'channel' });
			const otherJourney = await makeJourney(db, (await makeWorkspace(db, outsider)).id);
			expect(await refusal(utf8('text\nx'), { journeyId: otherJourney.id })).toMatchObject({
				field: 'journeyId'
			});
			expect(await refusal(utf8('text\nx'), { journeyId: 'nope' })).toMatchObject({ field: 'journeyId' });
			expect(await imports()).toBe(before);
		});

		it('lets editors import and refuses viewers (403) and other workspaces (404)', async () => {
			const db = database.db;
			const code = (p: Promise<unknown>) =>
				p.then(
					() => 200,
					(e) => e.status
				);
			expect(await code(importCsv(db, viewer, ws.id, utf8('text\nx')))).toBe(403);
			expect(await code(importCsv(db, outsider, ws.id, utf8('text\nx')))).toBe(404);
			expect(await code(importCsv(db, null, ws.id, utf8('text\nx')))).toBe(401);
			const { id } = await run(utf8('text\nfrom the owner'), {}, owner);
			expect(await code(getImport(db, viewer, ws.id, id))).toBe(403);
			expect(await code(getImport(db, outsider, ws.id, id))).toBe(404);
			expect(await code(importReport(db, outsider, ws.id, id, 'en'))).toBe(404);
			const otherWs = await makeWorkspace(db, editor);
			expect(await code(getImport(db, editor, otherWs.id, id))).toBe(404);
			expect(await code(getImport(db, editor, ws.id, 'not-an-id'))).toBe(404);
			expect((await listImports(db, editor, ws.id)).some((i) => i.id === id)).toBe(true);
		});

		it('marks an import whose process died as interrupted instead of running for ever', async () => {
			const db = database.db;
			const [row] = await db
				.insert(feedbackImport)
				.values({
					workspaceId: ws.id,
					filename: 'lost.csv',
					status: 'running',
					// Started before files were kept: nothing to resume from.
					updatedAt: new Date(Date.now() - 10 * 60_000)
				})
				.returning();
			const progress = await getImport(db, editor, ws.id, row.id);
			expect(progress).toMatchObject({ status: 'failed', error: 'csvImport.progress.interrupted' });
		});

		it('commits the uploaded file with the import before any row is analysed, and clears it at the end', async () => {
			const db = database.db;
			const inline = inlineAnalyse();
			let release!: () => void;
			const gate = new Promise<void>((r) => (release = r));
			let reached!: () => void;
			const analysing = new Promise<void>((r) => (reached = r));
			const processor = new FeedbackProcessor(db, {
				pollMs: 0,
				analyse: async (job) => {
					// Items left pending by other tests may be claimed too: only this file's rows are held.
					if (job.items.some((i) => i.text.startsWith('Held row'))) {
						reached();
						await gate;
					}
					return inline(job);
				}
			});
			processor.start();
			try {
				const bytes = utf8('id,text\nheld-1,Held row one\nheld-2,Held row two\n');
				const id = await importCsv(db, editor, ws.id, bytes, {});
				await analysing;
				const [stored] = await db
					.select({ file: feedbackImport.file, processed: feedbackImport.processed })
					.from(feedbackImport)
					.where(eq(feedbackImport.id, id));
				expect(stored.file).toEqual(bytes);
				expect(stored.processed).toBe(0);
				expect(await itemsOf(id)).toEqual([]);
				release();
				expect(await waitForImport(db, id)).toMatchObject({ status: 'done', inserted: 2 });
				expect((await itemsOf(id)).map((i) => [i.status, i.analysedCount])).toEqual([
					['done', 1],
					['done', 1]
				]);
				const [ended] = await db
					.select({ file: feedbackImport.file })
					.from(feedbackImport)
					.where(eq(feedbackImport.id, id));
				expect(ended.file).toBeNull();
			} finally {
				release();
				await processor.stop();
			}
		});

		for (const withProcessor of [true, false])
			it(
				`resumes an interrupted import from its cursor: every row once, counts and report right (${withProcessor ? 'analysed while imported' : 'queued'})`,
				{ timeout: 120_000 },
				async () => {
					const db = database.db;
					// A workspace of its own: its events are this import's alone.
					const own = await makeWorkspace(db, editor);
					const airline = await airlineJourney(database, own.id, 'Resumed');
					const processor = new FeedbackProcessor(db, {
						pollMs: 0,
						analyse: inlineAnalyse()
					});
					if (withProcessor) processor.start();
					const tag = withProcessor ? 'ra' : 'rq';
					const rows = 2000;
					const lines = ['id,date,text'];
					for (let i = 0; i < rows; i++) {
						// Rejected rows sit in the first chunk and at the end, away from the rewound cursor below.
						if (i === 3) lines.push(`${tag}-${i},"never closed,2026-11-02T10:00:00Z`);
						else if (i === 7) lines.push(`${tag}-${i},yesterday,My bag was lost`);
						else if (i === 11) lines.push(`${tag}-5,2026-11-02T10:00:00Z,Same id as row 7 of the file`);
						else
							lines.push(
								`${tag}-${i},${new Date(Date.UTC(2026, 0, 1 + (i % 250), 10)).toISOString()},${i % 2 ? 'My luggage was lost, terrible' : 'Friendly crew, thank you'} (${i})`
							);
					}
					lines.push(',2026-11-02T10:00:00Z,');
					const bytes = utf8(lines.join('\n'));
					try {
						// Stopped once its third chunk is stored (the chunks under way are stored too).
						let chunks = 0;
						let stopping: Promise<void> | undefined;
						const stopAfterThird = (e: { workspaceId: string }) => {
							if (e.workspaceId === own.id && ++chunks === 3) stopping = stopImports([id]);
						};
						const unsubscribe = [
							on('feedback:queued', stopAfterThird),
							on('feedback:changed', stopAfterThird)
						];
						const id = await importCsv(db, editor, own.id, bytes, { journeyId: airline.journey.id });
						await waitForImport(db, id);
						for (const off of unsubscribe) off();
						expect(stopping).toBeDefined();
						await stopping;
						const [stopped] = await db.select().from(feedbackImport).where(eq(feedbackImport.id, id));
						expect(stopped.status).toBe('running');
						expect(stopped.file).toEqual(bytes);
						expect(stopped.processed % 250).toBe(0);
						expect(stopped.processed).toBeGreaterThanOrEqual(500);
						expect(stopped.processed).toBeLessThan(rows);
						const committed = (await itemsOf(id)).length;
						expect(committed).toBe(stopped.processed - 3);

						// A crash after a chunk was committed but before its cursor was written: the rows of that
						// chunk are in the database, the cursor is behind them, the heartbeat is old.
						await db
							.update(feedbackImport)
							.set({ processed: stopped.processed - 250, updatedAt: new Date(Date.now() - 10 * 60_000) })
							.where(eq(feedbackImport.id, id));
						expect(await resumeImports(db, { staleMs: 60_000 })).toContain(id);
						// Taken: neither this process nor another instance takes it again meanwhile.
						expect(await resumeImports(db, { staleMs: 60_000 })).not.toContain(id);
						const done = await waitForImport(db, id);
						expect(done).toMatchObject({
							status: 'done',
							total: rows + 1,
							processed: rows + 1,
							inserted: rows - 3,
							duplicates: 1,
							rejected: 3
						});
						const items = await itemsOf(id);
						expect(items.length).toBe(rows - 3);
						expect(new Set(items.map((i) => i.externalId)).size).toBe(rows - 3);
						const [ended] = await db
							.select({ file: feedbackImport.file })
							.from(feedbackImport)
							.where(eq(feedbackImport.id, id));
						expect(ended.file).toBeNull();
						const report = (await importReport(db, editor, own.id, id, 'en')).body.split('\r\n').slice(1, -1);
						expect(report.map((l) => l.split(',')[0])).toEqual(['5', '9', String(rows + 2)]);

						if (!withProcessor) {
							expect(items.every((i) => i.status === 'pending')).toBe(true);
							await processPending(db);
						}
						const analysed = await itemsOf(id);
						expect(analysed.filter((i) => i.status !== 'done' || i.analysedCount !== 1)).toEqual([]);
						await expectAggregatesMatch(database, airline.journey.id);
						expect((await getImport(db, editor, own.id, id)).analysed).toBe(rows - 3);
					} finally {
						await processor.stop();
					}
				}
			);

		it('leaves an import another instance is running (fresh heartbeat) to it', async () => {
			const db = database.db;
			const [row] = await db
				.insert(feedbackImport)
				.values({
					workspaceId: ws.id,
					filename: 'elsewhere.csv',
					status: 'running',
					file: utf8('text\nelsewhere'),
					settings: {
						journeyId: null,
						channel: 'other',
						mapping: { text: 0 },
						ratingKind: null,
						hasHeader: true,
						delimiter: ',',
						encoding: 'utf-8'
					}
				})
				.returning();
			expect(await resumeImports(db)).not.toContain(row.id);
			expect(await getImport(db, editor, ws.id, row.id)).toMatchObject({ status: 'running', processed: 0 });
			const staleNow = () =>
				db
					.update(feedbackImport)
					.set({ updatedAt: new Date(Date.now() - 10 * 60_000) })
					.where(eq(feedbackImport.id, row.id));
			// Instances claiming it at once (on PostgreSQL, each on its own connection): one gets it.
			await staleNow();
			const claims = await Promise.all([1, 2, 3, 4].map(() => claimImport(db, row.id, 60_000)));
			expect(claims.filter((c) => c !== null)).toHaveLength(1);
			await staleNow();
			// Its instance died: the next look at it takes it up.
			await getImport(db, editor, ws.id, row.id);
			expect(await waitForImport(db, row.id)).toMatchObject({ status: 'done', inserted: 1 });
		});

		it(
			'stores a large file in steps, answering at once and leaving the event loop free',
			{ timeout: 120_000 },
			async () => {
				const rows = 6000;
				const lines = ['id;texte;date'];
				for (let i = 0; i < rows; i++)
					lines.push(
						`big-${i};Retour numéro ${i} sur le service;${String((i % 28) + 1).padStart(2, '0')}/01/2026 10:00`
					);
				const bytes = utf8(lines.join('\n'));
				let maxGap = 0;
				let last = performance.now();
				const timer = setInterval(() => {
					const now = performance.now();
					maxGap = Math.max(maxGap, now - last);
					last = now;
				}, 5);
				const seen = new Set<number>();
				try {
					const started = performance.now();
					const id = await importCsv(database.db, editor, ws.id, bytes, {});
					expect(performance.now() - started).toBeLessThan(2000);
					const poll = setInterval(() => {
						void database.db
							.select({ processed: feedbackImport.processed })
							.from(feedbackImport)
							.where(and(eq(feedbackImport.id, id)))
							.then(([r]) => seen.add(r.processed));
					}, 20);
					const done = await waitForImport(database.db, id);
					clearInterval(poll);
					expect(done).toMatchObject({ status: 'done', total: rows, inserted: rows });
				} finally {
					clearInterval(timer);
				}
				// Progress was visible between steps, and no step held the event loop for long.
				expect([...seen].some((p) => p > 0 && p < rows)).toBe(true);
				expect(maxGap).toBeLessThan(1500);
			}
		);

		it(
			'takes up, when the server starts, an import its previous process left running',
			{ timeout: 60_000 },
			async () => {
				const db = database.db;
				const own = await makeWorkspace(db, editor);
				const rows = 1500;
				const lines = ['id,text'];
				for (let i = 0; i < rows; i++) lines.push(`boot-${i},Retour numéro ${i} sur l’accueil`);
				let chunks = 0;
				let stopping: Promise<void> | undefined;
				const off = on('feedback:queued', (e) => {
					if (e.workspaceId === own.id && ++chunks === 2) stopping = stopImports([id]);
				});
				const id = await importCsv(db, editor, own.id, utf8(lines.join('\n')), {});
				await waitForImport(db, id);
				off();
				await stopping;
				// Its process died: no heartbeat for minutes.
				await db
					.update(feedbackImport)
					.set({ updatedAt: new Date(Date.now() - 10 * 60_000) })
					.where(eq(feedbackImport.id, id));
				const [before] = await db.select().from(feedbackImport).where(eq(feedbackImport.id, id));
				expect(before).toMatchObject({ status: 'running' });
				expect(before.processed).toBeLessThan(rows);

				const runtime = {
					config: { ...readConfig({}), processFeedback: true, analysisWorkers: 0 },
					database,
					demo: null,
					cluster: null
				} as Runtime;
				try {
					await startFeedbackProcessing(runtime);
					expect(await waitForImport(db, id)).toMatchObject({
						status: 'done',
						processed: rows,
						inserted: rows,
						duplicates: 0,
						rejected: 0
					});
					for (let i = 0; i < 200 && (await pendingCount(db, own.id)) > 0; i++)
						await new Promise((r) => setTimeout(r, 50));
					const items = await itemsOf(id);
					expect(items.length).toBe(rows);
					expect(items.filter((i) => i.status !== 'done' || i.analysedCount !== 1)).toEqual([]);
				} finally {
					await stopFeedbackProcessing();
				}
			}
		);
	});
}

/**
 * Through the built app: an upload far above the app's 512 KB body limit goes through the import's own
 * reader, the progress endpoint follows it to the end, the report downloads; the no-JavaScript form works.
 */
describe('CSV upload through the app', () => {
	let server: TestServer;
	let owner: Client;
	let workspaceId: string;

	beforeAll(async () => {
		server = await startTestServer('pglite', { PROCESS_FEEDBACK: 'false' });
		owner = await signUp(server.url, 'Owner', `owner-${Date.now()}@example.com`);
		workspaceId = await createWorkspace(owner, 'CSV');
	}, 120_000);
	afterAll(() => server?.stop());

	function multipart(csv: string | Uint8Array, fields: Record<string, string> = {}, filename = 'avis.csv') {
		const body = new FormData();
		body.append('file', new Blob([csv as BlobPart], { type: 'text/csv' }), filename);
		for (const [k, v] of Object.entries(fields)) body.append(k, v);
		return body;
	}

	async function until(id: string) {
		for (let i = 0; i < 600; i++) {
			const res = await owner.request(`/w/${workspaceId}/feedback/import/${id}/progress`, {
				headers: { accept: 'application/json' }
			});
			expect(res.status).toBe(200);
			const p = await res.json();
			if (p.status !== 'running') return p;
			await new Promise((r) => setTimeout(r, 100));
		}
		throw new Error('import did not finish');
	}

	it(
		'imports a 2 MB upload, reports progress and serves the rejected rows',
		{ timeout: 120_000 },
		async () => {
			const lines = ['Référence;Commentaire;Date'];
			for (let i = 0; i < 30_000; i++)
				lines.push(`R${i};Un retour assez long pour peser, numéro ${i};0${(i % 9) + 1}/02/2026`);
			lines.push('"cassé;2026-02-01');
			const csv = lines.join('\r\n');
			expect(csv.length).toBeGreaterThan(1_500_000);
			const res = await owner.request(`/w/${workspaceId}/feedback/import/upload`, {
				method: 'POST',
				body: multipart(csv, { channel: 'email' }),
				headers: { accept: 'application/json' }
			});
			expect(res.status, await res.clone().text()).toBe(202);
			const { id, url } = await res.json();
			expect(url).toBe(`/w/${workspaceId}/feedback/import/${id}`);
			const done = await until(id);
			expect(done).toMatchObject({ status: 'done', total: 30_001, inserted: 30_000, rejected: 1 });

			const page = await owner.request(url);
			expect(page.status).toBe(200);
			expect(await page.text()).toContain('avis.csv');

			const report = await owner.request(`${url}/report`);
			expect(report.status).toBe(200);
			expect(report.headers.get('content-type')).toBe('text/csv; charset=utf-8');
			expect(report.headers.get('content-disposition')).toContain('rejected-rows-avis.csv');
			expect(await report.text()).toContain('30002,"A quote opens a field and is never closed');
		}
	);

	it(
		'after a crash part-way, the next start of the server finishes the import from its stored file, every row once',
		{ timeout: 180_000 },
		async () => {
			const lines = ['Référence;Commentaire;Date'];
			for (let i = 0; i < 30_000; i++)
				lines.push(`K${i};Un retour qui survit à un arrêt brutal, numéro ${i};0${(i % 9) + 1}/03/2026`);
			lines.push('"cassé;2026-03-01');
			const res = await owner.request(`/w/${workspaceId}/feedback/import/upload`, {
				method: 'POST',
				body: multipart(lines.join('\r\n'), { channel: 'email' }, 'crash.csv'),
				headers: { accept: 'application/json' }
			});
			expect(res.status, await res.clone().text()).toBe(202);
			const { id, url } = await res.json();
			let seen = { status: 'running', processed: 0, total: 0 };
			for (let i = 0; i < 600 && seen.processed === 0; i++) {
				await new Promise((r) => setTimeout(r, 20));
				seen = await (
					await owner.request(`${url}/progress`, { headers: { accept: 'application/json' } })
				).json();
			}
			expect(seen.status).toBe('running');
			expect(seen.processed).toBeGreaterThan(0);
			expect(seen.processed).toBeLessThan(30_001);

			const killed = new Promise((r) => server.process.once('exit', r));
			server.process.kill('SIGKILL');
			await killed;
			await server.restart();
			// The new process listens on another port; the session is in the database.
			const moved = new Client(server.url);
			moved.cookies = owner.cookies;
			owner = moved;

			const done = await until(id);
			expect(done).toMatchObject({
				status: 'done',
				total: 30_001,
				processed: 30_001,
				inserted: 30_000,
				duplicates: 0,
				rejected: 1
			});
			const report = await (await owner.request(`${url}/report`)).text();
			expect(report.match(/30002,/g)).toHaveLength(1);
		}
	);

	it('answers a file over the limit with 413 and a message, without reading it', async () => {
		const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
			const req = http.request(`${server.url}/w/${workspaceId}/feedback/import/upload`, {
				method: 'POST',
				headers: {
					'content-type': 'multipart/form-data; boundary=x',
					'content-length': String(60 * 1024 * 1024),
					origin: server.url,
					accept: 'application/json',
					cookie: [...owner.cookies].map(([k, v]) => `${k}=${v}`).join('; ')
				}
			});
			req.on('response', (res) => {
				let body = '';
				res.on('data', (d) => (body += d));
				res.on('end', () => {
					resolve({ status: res.statusCode!, body });
					req.destroy();
				});
			});
			req.on('error', reject);
			req.write('--x\r\n');
		});
		expect(answer.status).toBe(413);
		expect(JSON.parse(answer.body).error).toMatchObject({
			field: 'file',
			message: 'The file is larger than 50 MB: split it into smaller files.'
		});
	});

	it('refuses what is not a file upload, and people outside the workspace', async () => {
		const notMultipart = await owner.request(`/w/${workspaceId}/feedback/import/upload`, {
			method: 'POST',
			form: { file: 'text' },
			headers: { accept: 'application/json' }
		});
		expect(notMultipart.status).toBe(400);
		expect((await notMultipart.json()).error.field).toBe('file');
		const stranger = await signUp(server.url, 'Stranger', `stranger-${Date.now()}@example.com`);
		const res = await stranger.request(`/w/${workspaceId}/feedback/import/upload`, {
			method: 'POST',
			body: multipart('text\nhello'),
			headers: { accept: 'application/json' }
		});
		expect(res.status).toBe(404);
	});

	it('imports without JavaScript through the form, guessing the columns', async () => {
		const res = await owner.request(`/w/${workspaceId}/feedback/import?/start`, {
			method: 'POST',
			body: multipart('Commentaire;Canal\nSuper accueil;magasin\n', { channel: 'survey' }, 'form.csv')
		});
		expect(res.status).toBe(303);
		const location = res.headers.get('location')!;
		expect(location).toMatch(new RegExp(`^/w/${workspaceId}/feedback/import/[0-9a-f-]{36}$`));
		const done = await until(location.split('/').pop()!);
		expect(done).toMatchObject({ status: 'done', inserted: 1 });
	});
});
