/**
 * What the feedback crash tests share: a generated CSV of customer comments, concurrent API clients that
 * remember which items the server accepted, and the database checks that every item is stored once and
 * analysed once.
 */
import http from 'node:http';
import path from 'node:path';
import { expect } from 'vitest';
import { sql } from 'drizzle-orm';
import { openDatabase, type Database } from '../../../src/lib/server/db';
import { rowsOf } from '../../../src/lib/server/db/raw';
import { expectAggregatesMatch } from './feedback';
import type { Client, TestServer } from './server';

/** A small deterministic generator (the same file on every run). */
export function seeded(seed: number) {
	let s = seed;
	return () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
}

const PHRASES = {
	en: [
		['The gate agent', 'My suitcase', 'The seat', 'Online check-in', 'The hotline', 'The upgrade offer'],
		[
			'was rude',
			'arrived broken',
			'was comfortable',
			'kept failing',
			'put me on hold for an hour',
			'was a nice surprise'
		]
	],
	fr: [
		[
			"L'agent au comptoir",
			'Ma valise',
			'Le siège',
			"L'enregistrement en ligne",
			'La hotline',
			'Le surclassement'
		],
		[
			'était désagréable',
			'est arrivée cassée',
			'était confortable',
			'ne marchait pas',
			"m'a fait attendre une heure",
			'était une belle surprise'
		]
	]
} as const;

/** One customer comment, French or English. */
export function comment(rand: () => number): string {
	const [subjects, verdicts] = rand() < 0.5 ? PHRASES.en : PHRASES.fr;
	const n = Math.floor(rand() * 1e6);
	return `${subjects[Math.floor(rand() * subjects.length)]} ${verdicts[Math.floor(rand() * verdicts.length)]} (${n}).`;
}

/**
 * A `;`-separated export as a French spreadsheet writes it: an id column (the items' external ids
 * `row-<n>`), a date in the last 60 days, a channel, a 1–5 rating and the comment.
 */
export function feedbackCsv(rows: number): Uint8Array {
	const rand = seeded(7);
	const channels = ['email', 'survey', 'chat', 'review'];
	const day = 86_400_000;
	const now = Date.now();
	const lines = ['id;date;canal;note;commentaire'];
	for (let i = 0; i < rows; i++) {
		const at = new Date(now - Math.floor(rand() * 60 * day));
		lines.push(
			[`row-${i}`, at.toISOString(), channels[i % channels.length], 1 + (i % 5), comment(rand)].join(';')
		);
	}
	return new TextEncoder().encode(lines.join('\r\n'));
}

/**
 * Uploads a multipart form with Node's own client, which reads the server's answer even when the server
 * answers before the whole body is sent (fetch only reports the broken pipe then).
 */
export async function postForm(
	client: Client,
	pathname: string,
	form: FormData
): Promise<{ status: number; body: string }> {
	const encoded = new Request('http://form.invalid', { method: 'POST', body: form });
	const bytes = new Uint8Array(await encoded.arrayBuffer());
	return new Promise((resolve, reject) => {
		const req = http.request(client.base + pathname, {
			method: 'POST',
			headers: {
				'content-type': encoded.headers.get('content-type')!,
				'content-length': bytes.length,
				origin: client.base,
				accept: 'application/json',
				cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ')
			}
		});
		req.on('response', (res) => {
			let body = '';
			res.on('data', (d) => (body += d));
			res.on('end', () => resolve({ status: res.statusCode!, body }));
		});
		// A write error after the answer started is the server refusing early: the answer says why.
		req.on('error', (e) => setTimeout(() => reject(e), 1000));
		req.end(bytes);
	});
}

/** A workspace API key, created on the settings page as an owner does. */
export async function createApiKey(owner: Client, workspaceId: string): Promise<string> {
	const res = await owner.post(`/w/${workspaceId}/settings?/createApiKey`, { name: 'crash test' });
	const key = /pk_[a-z2-7]{32}/.exec(await res.text())?.[0];
	if (!key) throw new Error(`no API key in the page (${res.status})`);
	return key;
}

interface ApiItem {
	text: string;
	channel: string;
	journey_id: string;
	external_id: string;
	received_at: string;
}

/** Posts one batch; the result per external id, or why the request failed (no answer, 5xx). */
export async function postBatch(
	url: string,
	key: string,
	items: ApiItem[]
): Promise<{ status: number; ids: Map<string, { id: string; duplicate: boolean }> } | { error: string }> {
	let res: Response;
	try {
		res = await fetch(`${url}/api/v1/feedback`, {
			method: 'POST',
			headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
			body: JSON.stringify({ items })
		});
	} catch (e) {
		return { error: String((e as Error).cause ?? e) };
	}
	let body: { results?: Array<{ index: number; id: string | null; duplicate?: boolean }> };
	try {
		body = await res.json();
	} catch (e) {
		return { error: `${res.status}, body cut: ${e}` };
	}
	if (res.status >= 500) return { error: `${res.status} ${JSON.stringify(body)}` };
	const ids = new Map<string, { id: string; duplicate: boolean }>();
	for (const r of body.results ?? []) {
		if (r.id) ids.set(items[r.index].external_id, { id: r.id, duplicate: !!r.duplicate });
	}
	return { status: res.status, ids };
}

/**
 * Several clients posting batches of new items (unique external ids), each waiting `pauseMs` after an
 * answer (so that the burst shares the server with the import rather than starving it), each until one
 * of its requests fails (the server died). `accepted` holds every item the server
 * answered with an id; `failed` the batches that got no usable answer, to send again.
 */
export function apiBurst(options: {
	url: string;
	key: string;
	journeyId: string;
	clients: number;
	batchSize: number;
	pauseMs: number;
}) {
	const accepted = new Map<string, string>();
	const failed: Array<{ items: ApiItem[]; error: string }> = [];
	let batches = 0;
	const clients = Array.from({ length: options.clients }, async (_, c) => {
		const rand = seeded(1000 + c);
		for (let b = 0; ; b++) {
			const items = Array.from({ length: options.batchSize }, (_, i) => ({
				text: comment(rand),
				channel: 'chat',
				journey_id: options.journeyId,
				external_id: `burst-${c}-${b}-${i}`,
				received_at: new Date().toISOString()
			}));
			const answer = await postBatch(options.url, options.key, items);
			if ('error' in answer) {
				failed.push({ items, error: answer.error });
				return;
			}
			expect(answer.status, 'a batch of valid new items').toBe(201);
			expect(answer.ids.size).toBe(items.length);
			for (const [externalId, { id }] of answer.ids) accepted.set(externalId, id);
			batches++;
			await new Promise((r) => setTimeout(r, options.pauseMs));
		}
	});
	return { accepted, failed, batches: () => batches, done: Promise.all(clients) };
}

/**
 * Polls `GET /api/v1/feedback/{id}` for every item until each is analysed, as an API client waiting for
 * its results would; fails on an item marked failed or still pending after `timeoutMs`.
 */
export async function waitAnalysed(url: string, key: string, ids: string[], timeoutMs: number) {
	const deadline = Date.now() + timeoutMs;
	let next = 0;
	const worker = async () => {
		while (next < ids.length) {
			const id = ids[next++];
			for (;;) {
				const res = await fetch(`${url}/api/v1/feedback/${id}`, {
					headers: { authorization: `Bearer ${key}` }
				});
				expect(res.status).toBe(200);
				const { status } = (await res.json()) as { status: string };
				if (status === 'done') break;
				expect(status, `item ${id}`).toBe('pending');
				if (Date.now() > deadline) throw new Error(`item ${id} still pending after ${timeoutMs} ms`);
				await new Promise((r) => setTimeout(r, 500));
			}
		}
	};
	await Promise.all(Array.from({ length: 8 }, worker));
}

/**
 * The server's database opened in the test: PostgreSQL at any time, the embedded one only while no
 * process holds it (after `halt()`).
 */
export function openServerDatabase(server: TestServer): Promise<Database> {
	return server.databaseUrl
		? openDatabase({ engine: 'postgres', url: server.databaseUrl })
		: openDatabase({ engine: 'pglite', dataDir: path.join(server.dataDir, 'pglite') });
}

/** An import's status and cursor read from the database, without opening its page (PostgreSQL). */
export async function importState(server: TestServer, importId: string) {
	const database = await openServerDatabase(server);
	try {
		const [row] = await query<{ status: string; processed: number }>(
			database,
			sql`select status, processed from feedback_import where id = ${importId}::uuid`
		);
		return row;
	} finally {
		await database.close();
	}
}

/** Waits until no item of the workspace is pending (PostgreSQL: read while the server runs). */
export async function waitDrained(server: TestServer, workspaceId: string, timeoutMs: number) {
	const database = await openServerDatabase(server);
	try {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const [{ n }] = await query<{ n: number }>(
				database,
				sql`select count(*)::int as n from feedback where workspace_id = ${workspaceId}::uuid and status = 'pending'`
			);
			if (n === 0) return;
			if (Date.now() > deadline) throw new Error(`${n} items still pending after ${timeoutMs} ms`);
			await new Promise((r) => setTimeout(r, 500));
		}
	} finally {
		await database.close();
	}
}

/**
 * Freezes the server (SIGSTOP) at a moment when the import has committed rows its cursor does not cover
 * yet (the cursor is written a few times a second, after the chunks): killed then, it leaves rows that
 * the resumed import reads again and must count once. Frozen, the process writes nothing more, so what
 * the database shows is what the kill leaves. Returns that, or null when no such moment came in 20 s (the
 * server is running again then). PostgreSQL only: read while the server runs.
 */
export async function freezePastTheCursor(
	server: TestServer,
	importId: string
): Promise<{ stored: number; cursor: number } | null> {
	const database = await openServerDatabase(server);
	try {
		const deadline = Date.now() + 20_000;
		while (Date.now() < deadline) {
			server.process.kill('SIGSTOP');
			// Statements already sent finish in PostgreSQL, frozen client or not.
			await new Promise((r) => setTimeout(r, 150));
			const [state] = await query<{ stored: number; cursor: number }>(
				database,
				sql`select (select count(*)::int from feedback where import_id = ${importId}::uuid) as stored,
					(select processed from feedback_import where id = ${importId}::uuid) as cursor`
			);
			if (state.stored > state.cursor) return state;
			server.process.kill('SIGCONT');
			await new Promise((r) => setTimeout(r, 30 + Math.random() * 200));
		}
		return null;
	} finally {
		await database.close();
	}
}

export async function query<T>(database: Database, statement: ReturnType<typeof sql>): Promise<T[]> {
	return rowsOf<T>(await database.db.execute(statement));
}

/**
 * Every item of the workspace stored once (distinct external ids), analysed (`done`, with an analysis)
 * and analysed once: `analysed_count` is incremented by every store of an analysis, so 1 means no second
 * analysis was ever written; and the journey's daily sums equal a recomputation from its items. Returns
 * how many items needed a second claim (their first processor died holding them).
 */
export async function expectStoredOnceAnalysedOnce(
	database: Database,
	workspaceId: string,
	journeyId: string
): Promise<{ items: number; claimedAgain: number }> {
	const [row] = await query<{
		items: number;
		distinct_ids: number;
		without_id: number;
		not_done: number;
		without_analysis: number;
		analysed_once: number;
		claimed_again: number;
		in_journey: number;
	}>(
		database,
		sql`select count(*)::int as items, count(distinct external_id)::int as distinct_ids,
			count(*) filter (where external_id is null)::int as without_id,
			count(*) filter (where status <> 'done')::int as not_done,
			count(*) filter (where analysis is null or polarity is null or search is null)::int as without_analysis,
			count(*) filter (where analysed_count = 1)::int as analysed_once,
			count(*) filter (where attempts > 1)::int as claimed_again,
			count(*) filter (where journey_id = ${journeyId}::uuid)::int as in_journey
		from feedback where workspace_id = ${workspaceId}::uuid`
	);
	expect(row.without_id).toBe(0);
	expect(row.distinct_ids).toBe(row.items);
	expect(row.not_done).toBe(0);
	expect(row.without_analysis).toBe(0);
	expect(row.analysed_once).toBe(row.items);
	expect(row.in_journey).toBe(row.items);
	await expectAggregatesMatch(database, journeyId);
	return { items: row.items, claimedAgain: row.claimed_again };
}
