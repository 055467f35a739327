/**
 * Feedback under crash (issue 9): the built app, as its own process, is killed with SIGKILL while a
 * 100,000-row CSV import uploaded through the import page's route is a third of the way through and
 * several API clients are posting batches; a new process is started on the same database. After it: the
 * import finishes with every row stored once, every item the API accepted is stored once (sending the
 * unanswered batches again stores nothing twice), everything is analysed once, and the daily sums equal
 * a recomputation from the items.
 *
 * On PostgreSQL a restarted process cannot tell a dead instance's work from a live one's: it takes back
 * the dead one's claimed items after the claim timeout and its import once its heartbeat is old. Both are
 * settings (60 s and 2 minutes by default); this test sets them to 20 s and checks the import is taken up
 * no sooner than its heartbeat allows, and soon after.
 * There, the kill also comes at a moment when the import has committed rows past its written cursor,
 * so that the resumed import reads rows already stored and must count them once.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { engines } from './helpers/db';
import {
	apiBurst,
	createApiKey,
	expectStoredOnceAnalysedOnce,
	feedbackCsv,
	freezePastTheCursor,
	openServerDatabase,
	postBatch,
	postForm,
	query,
	waitAnalysed,
	waitDrained,
	importState
} from './helpers/crash-feedback';
import {
	Client,
	createJourneyByForm,
	createWorkspace,
	signUp,
	startTestServer,
	type TestServer
} from './helpers/server';

const ROWS = 100_000;
/** The kill comes once the import's cursor passed this many rows (a third of the file)… */
const KILL_AFTER = 34_000;
/** …and the API burst starts a little before, so that it is in full flow at the kill. */
const BURST_AFTER = 30_000;

/** IMPORT_STALE_SECONDS and FEEDBACK_CLAIM_TIMEOUT_SECONDS of the server under test. */
const STALE_SECONDS = 20;

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

describe.each(engines())('feedback under crash on $engine', ({ engine }) => {
	let server: TestServer | undefined;
	afterAll(() => server?.stop());

	it(
		'a 100,000-row import and an API burst killed part-way: every accepted item stored once and analysed once',
		{ timeout: 900_000 },
		async () => {
			const started = Date.now();
			server = await startTestServer(engine, {
				API_RATE_LIMIT_PER_MIN: '1000000',
				IMPORT_STALE_SECONDS: String(STALE_SECONDS),
				FEEDBACK_CLAIM_TIMEOUT_SECONDS: String(STALE_SECONDS)
			});
			let owner = await signUp(server.url, 'Owner', `crash-${Date.now()}@example.com`);
			const workspaceId = await createWorkspace(owner, 'Crash');
			const journeyId = await createJourneyByForm(owner, workspaceId, 'Trip', 'airline');
			const key = await createApiKey(owner, workspaceId);

			const body = new FormData();
			body.append('file', new Blob([feedbackCsv(ROWS) as BlobPart], { type: 'text/csv' }), 'crash.csv');
			body.append('journeyId', journeyId);
			body.append('channel', 'survey');
			body.append('ratingKind', 'stars');
			const upload = await postForm(owner, `/w/${workspaceId}/feedback/import/upload`, body);
			expect(upload.status, upload.body).toBe(202);
			const { id: importId, url: importUrl } = JSON.parse(upload.body) as { id: string; url: string };
			const progress = async () => {
				const res = await owner.request(`${importUrl}/progress`, { headers: { accept: 'application/json' } });
				expect(res.status).toBe(200);
				return (await res.json()) as Record<string, number | string | null>;
			};

			// ── Up to the kill ──
			let burst: ReturnType<typeof apiBurst> | null = null;
			let seen = await progress();
			while (Number(seen.processed) < KILL_AFTER) {
				expect(seen.status).toBe('running');
				if (!burst && Number(seen.processed) >= BURST_AFTER) {
					burst = apiBurst({ url: server.url, key, journeyId, clients: 4, batchSize: 20, pauseMs: 250 });
				}
				await new Promise((r) => setTimeout(r, 400));
				seen = await progress();
			}
			expect(burst, 'the burst started before the kill').not.toBeNull();
			const frozen = server.databaseUrl ? await freezePastTheCursor(server, importId) : null;
			if (server.databaseUrl) expect(frozen, 'rows committed past the cursor at the kill').not.toBeNull();
			const acceptedBeforeKill = burst!.accepted.size;
			await server.crash();
			const killedAt = Date.now();
			await burst!.done;
			// The cursor only covers committed rows: the kill came within a third to a half of the file.
			expect(Number(seen.processed)).toBeLessThanOrEqual(ROWS / 2);
			expect(burst!.failed.length, 'each client has a request the kill cut').toBe(4);
			console.log(
				`[${engine}] killed ${seconds(killedAt - started)} after the start: import cursor at ${seen.processed} of ${ROWS} rows; ` +
					`API ${acceptedBeforeKill} items accepted in ${burst!.batches()} batches, ${burst!.failed.length} batches unanswered (${burst!.failed[0].error})`
			);
			let lastBeat = 0;
			if (server.databaseUrl) {
				// PostgreSQL outlives the app: what the dead process had committed can be counted now.
				const database = await openServerDatabase(server);
				const [beat] = await query<{ at: number }>(
					database,
					sql`select (extract(epoch from updated_at) * 1000)::float8 as at from feedback_import where id = ${importId}::uuid`
				);
				lastBeat = Number(beat.at);
				const [stored] = await query<{ rows: number; api: number; claimed: number }>(
					database,
					sql`select count(*) filter (where import_id is not null)::int as rows,
						count(*) filter (where import_id is null)::int as api,
						count(*) filter (where status = 'pending' and claim_token is not null)::int as claimed
					from feedback where workspace_id = ${workspaceId}::uuid`
				);
				await database.close();
				console.log(
					`[${engine}] stored at the kill: ${stored.rows} import rows (cursor ${frozen?.cursor}), ${stored.api} API items (${stored.claimed} claimed by the dead process, not stored)`
				);
				expect(stored.rows).toBe(frozen!.stored);
			}

			// ── A new process on the same database ──
			await server.start();
			const restartedAt = Date.now();
			const moved = new Client(server.url);
			moved.cookies = owner.cookies;
			owner = moved;

			// Batches the kill left unanswered are sent again, as a client with retries does: an item the
			// dead process had stored is answered as a duplicate with its id, the others are stored now.
			let storedUnanswered = 0;
			const accepted = burst!.accepted;
			const unanswered = burst!.failed.map((f) => f.items);
			for (const items of unanswered) {
				const answer = await postBatch(server.url, key, items);
				if ('error' in answer) throw new Error(answer.error);
				expect([200, 201]).toContain(answer.status);
				expect(answer.ids.size).toBe(items.length);
				for (const [externalId, { id, duplicate }] of answer.ids) {
					if (duplicate) storedUnanswered++;
					accepted.set(externalId, id);
				}
			}
			// And once more: now every one of them is a duplicate with the same id.
			for (const items of unanswered) {
				const answer = await postBatch(server.url, key, items);
				if ('error' in answer) throw new Error(answer.error);
				expect(answer.status).toBe(200);
				for (const [externalId, { id, duplicate }] of answer.ids) {
					expect(duplicate).toBe(true);
					expect(id).toBe(accepted.get(externalId));
				}
			}

			// The embedded database's process took the import up when it started; on PostgreSQL a running
			// instance takes it up once its heartbeat is old (every 30 s it looks): read the database, not the
			// page (opening the page would take it up too).
			let resumedAt = 0;
			const running = server;
			const state = async () =>
				running.databaseUrl ? await importState(running, importId) : await progress();
			const cursorAtRestart = Number((await state()).processed);
			for (;;) {
				seen = await state();
				if (!resumedAt && (seen.status !== 'running' || Number(seen.processed) > cursorAtRestart))
					resumedAt = Date.now();
				if (seen.status !== 'running') break;
				if (!resumedAt) {
					expect(Date.now() - restartedAt, 'the import is taken up again').toBeLessThan(240_000);
				}
				await new Promise((r) => setTimeout(r, 500));
			}
			const importDoneAt = Date.now();
			if (server.databaseUrl) {
				// Not while the dead process's heartbeat was fresh, and within one look (every STALE/2) after.
				expect(resumedAt - lastBeat, 'taken up once the heartbeat is stale').toBeGreaterThanOrEqual(
					STALE_SECONDS * 1000
				);
				expect(resumedAt - killedAt, 'taken up soon after').toBeLessThan(STALE_SECONDS * 1000 * 2 + 15_000);
			}
			// Through the API, as a client waiting for its results: the last item of every batch (the queue
			// is taken in order) and every item of the batches sent again. The database check below covers all.
			const resent = new Set(unanswered.flat().map((i) => i.external_id));
			const sample = [...accepted].filter(([externalId], k) => k % 20 === 19 || resent.has(externalId));
			await waitAnalysed(
				server.url,
				key,
				sample.map(([, id]) => id),
				180_000
			);
			if (server.databaseUrl) await waitDrained(server, workspaceId, 60_000);
			const drainedAt = Date.now();
			seen = await progress();
			expect(seen).toMatchObject({
				status: 'done',
				total: ROWS,
				processed: ROWS,
				inserted: ROWS,
				duplicates: 0,
				rejected: 0,
				analysed: ROWS
			});
			console.log(
				`[${engine}] after the restart: import taken up in ${seconds(resumedAt - restartedAt)}, finished in ` +
					`${seconds(importDoneAt - restartedAt)}; ${accepted.size} API items accepted in all (${storedUnanswered} of the unanswered ` +
					`ones had been stored by the dead process), all analysed ${seconds(drainedAt - restartedAt)} after the restart`
			);

			// ── What the database holds ──
			await server.halt();
			const database = await openServerDatabase(server);
			try {
				const { items, claimedAgain } = await expectStoredOnceAnalysedOnce(database, workspaceId, journeyId);
				expect(items).toBe(ROWS + accepted.size);
				const [rows] = await query<{ n: number; distinct_rows: number }>(
					database,
					sql`select count(*)::int as n, count(distinct external_id) filter (where external_id like 'row-%')::int as distinct_rows
					from feedback where import_id = ${importId}::uuid`
				);
				expect(rows).toEqual({ n: ROWS, distinct_rows: ROWS });
				// Each accepted item is the one the API answered with, under its external id.
				const api = await query<{ id: string; external_id: string }>(
					database,
					sql`select id, external_id from feedback where workspace_id = ${workspaceId}::uuid and import_id is null`
				);
				expect(api.length).toBe(accepted.size);
				for (const r of api) expect(r.id).toBe(accepted.get(r.external_id));
				console.log(
					`[${engine}] ${items} items, each stored once and analysed once (${claimedAgain} claimed again after the kill); ` +
						`sums equal the recomputation; total ${seconds(Date.now() - started)}`
				);
			} finally {
				await database.close();
			}
		}
	);
});
