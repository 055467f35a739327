/**
 * The feedback API through the built app with real HTTP: key auth, validation naming field and item
 * index, batch partial success, the batch limit, idempotency, body checks, the per-key rate limit,
 * polling an item until it is analysed, and the OpenAPI document.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FEEDBACK_CHANNELS, FEEDBACK_LIMITS } from '../../src/lib/feedback/types';
import { engines } from './helpers/db';
import {
	createWorkspace,
	signUp,
	startTestServer,
	type Client,
	type TestServer,
	createJourneyByForm
} from './helpers/server';

const RATE_LIMIT = 150;

async function createKey(owner: Client, workspaceId: string, name = 'Integration'): Promise<string> {
	const res = await owner.post(`/w/${workspaceId}/settings?/createApiKey`, { name });
	const key = /pk_[a-z2-7]{32}/.exec(await res.text())?.[0];
	if (!key) throw new Error(`no API key in the page (${res.status})`);
	return key;
}

/** Revokes the newest key that is still active (keys are listed newest first). */
async function revokeNewestKey(owner: Client, workspaceId: string) {
	const page = await (await owner.request(`/w/${workspaceId}/settings`)).text();
	const keyId = /name="keyId" value="([0-9a-f-]{36})"/.exec(page)![1];
	const res = await owner.post(`/w/${workspaceId}/settings?/revokeApiKey`, { keyId });
	expect(res.status).toBeLessThan(400);
}

describe.each(engines())('feedback API on $engine', ({ engine }) => {
	let server: TestServer;
	let owner: Client;
	let workspaceId: string;
	let journeyId: string;
	let key: string;

	const api = (
		path: string,
		init: { method?: string; body?: unknown; raw?: BodyInit; type?: string; key?: string | null } = {}
	) => {
		const headers: Record<string, string> = {};
		const k = init.key === undefined ? key : init.key;
		if (k) headers.authorization = `Bearer ${k}`;
		if (init.body !== undefined || init.raw !== undefined)
			headers['content-type'] = init.type ?? 'application/json';
		return fetch(server.url + path, {
			method: init.method ?? (init.body !== undefined || init.raw !== undefined ? 'POST' : 'GET'),
			headers,
			body: init.raw ?? (init.body !== undefined ? JSON.stringify(init.body) : undefined)
		});
	};
	const post = async (body: unknown, k?: string) => {
		const res = await api('/api/v1/feedback', { body, key: k });
		return { status: res.status, body: await res.json() };
	};

	beforeAll(async () => {
		server = await startTestServer(engine, { API_RATE_LIMIT_PER_MIN: String(RATE_LIMIT) });
		owner = await signUp(server.url, 'Owner', 'owner@example.com');
		workspaceId = await createWorkspace(owner, 'API');
		journeyId = await createJourneyByForm(owner, workspaceId, 'Trip', 'airline');
		key = await createKey(owner, workspaceId);
	}, 120_000);
	afterAll(async () => {
		await server?.stop();
	});

	it('refuses a missing, malformed, unknown or revoked key with 401 and a message', async () => {
		for (const k of [null, 'pk_short', 'pk_' + 'a'.repeat(32)]) {
			const res = await api('/api/v1/feedback', { body: { text: 'hi', channel: 'email' }, key: k });
			expect(res.status).toBe(401);
			const body = await res.json();
			expect(body.error.message).toBeTruthy();
			expect(body.error.field).toBe('Authorization');
		}
		// Refused before the body is read, the client still gets the answer (not a reset connection).
		for (let i = 0; i < 5; i++)
			for (const path of ['/api/v1/feedback', '/api/v1/inbound/email']) {
				const res = await api(path, { raw: '{', key: 'pk_' + 'c'.repeat(32) });
				expect(res.status).toBe(401);
				expect((await res.json()).error.message).toBeTruthy();
			}
		const revoked = await createKey(owner, workspaceId, 'To revoke');
		expect((await post({ text: 'before', channel: 'chat' }, revoked)).status).toBe(201);
		await revokeNewestKey(owner, workspaceId);
		expect((await post({ text: 'after', channel: 'chat' }, revoked)).status).toBe(401);
		expect((await api('/api/v1/feedback/' + crypto.randomUUID(), { key: revoked })).status).toBe(401);
	});

	it('stores one item (201), then the same external id again answers 200 with the same id', async () => {
		const item = {
			text: 'Le vol avait 3 heures de retard et personne ne nous a prévenus.',
			channel: 'email',
			received_at: '2026-11-02T14:30:00Z',
			customer: { id: 'C-1', name: 'Camille', contact: 'camille@example.com' },
			rating: { kind: 'nps', value: 3 },
			journey_id: journeyId,
			language: 'fr',
			external_id: 'crm-1'
		};
		const first = await post(item);
		expect(first.status).toBe(201);
		expect(first.body).toMatchObject({ id: expect.any(String), duplicate: false, status: 'pending' });
		const again = await post({ ...item, text: 'changed text is ignored' });
		expect(again.status).toBe(200);
		expect(again.body).toMatchObject({ id: first.body.id, duplicate: true });
		// Within a batch too, and a repeat inside one batch counts once.
		const batch = await post({
			items: [item, { ...item, external_id: 'crm-2' }, { ...item, external_id: 'crm-2' }]
		});
		expect(batch.status).toBe(201);
		expect(batch.body.results.map((r: { duplicate: boolean }) => r.duplicate)).toEqual([true, false, true]);
		expect(batch.body.results[0].id).toBe(first.body.id);
		expect(batch.body.results[2].id).toBe(batch.body.results[1].id);
		expect(batch.body).toMatchObject({ created: 1, duplicates: 2, rejected: 0 });
		const onlyDuplicates = await post({ items: [item] });
		expect(onlyDuplicates.status).toBe(200);

		const got = await api(`/api/v1/feedback/${first.body.id}`);
		expect(got.status).toBe(200);
		const stored = await got.json();
		expect(stored).toMatchObject({
			id: first.body.id,
			text: item.text,
			channel: 'email',
			source: 'api',
			received_at: '2026-11-02T14:30:00.000Z',
			customer: { id: 'C-1', name: 'Camille', contact: 'camille@example.com' },
			rating: { kind: 'nps', value: 3 },
			journey_id: journeyId,
			external_id: 'crm-1'
		});
		expect(['pending', 'processing', 'done']).toContain(stored.status);
	});

	it('names the field of every problem of a single item (400)', async () => {
		const cases: Array<[unknown, string]> = [
			[{ channel: 'email' }, 'text'],
			[{ text: '   ', channel: 'email' }, 'text'],
			[{ text: 'x'.repeat(FEEDBACK_LIMITS.text + 1), channel: 'email' }, 'text'],
			[{ text: 'hi' }, 'channel'],
			[{ text: 'hi', channel: 'fax' }, 'channel'],
			[{ text: 'hi', channel: 'chat', received_at: 'yesterday' }, 'received_at'],
			[{ text: 'hi', channel: 'chat', received_at: '2999-01-01T00:00:00Z' }, 'received_at'],
			[{ text: 'hi', channel: 'chat', rating: { kind: 'nps', value: 11 } }, 'rating.value'],
			[{ text: 'hi', channel: 'chat', rating: { kind: 'likes', value: 1 } }, 'rating.kind'],
			[{ text: 'hi', channel: 'chat', customer: { contact: 'x'.repeat(400) } }, 'customer.contact'],
			[{ text: 'hi', channel: 'chat', journey_id: 'nope' }, 'journey_id'],
			[{ text: 'hi', channel: 'chat', journey_id: crypto.randomUUID() }, 'journey_id'],
			[{ text: 'hi', channel: 'chat', touchpoint_id: 'tp' }, 'touchpoint_id'],
			[
				{ text: 'hi', channel: 'chat', journey_id: journeyId, touchpoint_id: 'not-on-the-map' },
				'touchpoint_id'
			],
			[{ text: 'hi', channel: 'chat', language: 'klingon' }, 'language'],
			[{ text: 'hi', channel: 'chat', external_id: 'x'.repeat(201) }, 'external_id']
		];
		for (const [item, field] of cases) {
			const { status, body } = await post(item);
			expect(status, JSON.stringify(item).slice(0, 80)).toBe(400);
			expect(body.error.field).toBe(field);
			expect(body.error.message).toContain(field);
			expect(body.error.issues.length).toBeGreaterThan(0);
		}
	});

	it('stores the good items of a batch and reports each bad one with its index (207)', async () => {
		const good = (n: number) => ({ text: `Good item ${n}`, channel: FEEDBACK_CHANNELS[n % 9] });
		const { status, body } = await post({
			items: [
				good(0),
				{ text: '', channel: 'chat' },
				good(2),
				{ text: 'x', channel: 'chat', rating: { kind: 'csat', value: 9 } },
				'not an object',
				{ text: 'x', channel: 'chat', journey_id: crypto.randomUUID() },
				good(6)
			]
		});
		expect(status).toBe(207);
		expect(body).toMatchObject({ created: 3, duplicates: 0, rejected: 4 });
		expect(body.results.map((r: { index: number }) => r.index)).toEqual([0, 1, 2, 3, 4, 5, 6]);
		const errors = Object.fromEntries(
			body.results
				.filter((r: { id: string | null }) => r.id === null)
				.map((r: { index: number; error: { field: string } }) => [r.index, r.error.field])
		);
		expect(errors).toEqual({
			1: 'items[1].text',
			3: 'items[3].rating.value',
			4: 'items[4]',
			5: 'items[5].journey_id'
		});
		expect(body.results[3].error.message).toBe(
			'items[3].rating.value must be a whole number from 1 to 5 for csat'
		);
		for (const i of [0, 2, 6]) {
			const res = await api(`/api/v1/feedback/${body.results[i].id}`);
			expect((await res.json()).text).toBe(`Good item ${i}`);
		}
		const allBad = await post({ items: [{ text: '' }, {}] });
		expect(allBad.status).toBe(400);
		expect(allBad.body.rejected).toBe(2);
	});

	it(`accepts ${FEEDBACK_LIMITS.batch} items in one batch and refuses one more`, async () => {
		const items = Array.from({ length: FEEDBACK_LIMITS.batch + 1 }, (_, i) => ({
			text: `Bulk ${i}: la livraison était rapide`,
			channel: 'review',
			external_id: `bulk-${i}`
		}));
		const over = await post({ items });
		expect(over.status).toBe(413);
		expect(over.body.error.field).toBe('items');
		expect(over.body.error.message).toContain(String(FEEDBACK_LIMITS.batch));
		const ok = await post({ items: items.slice(0, FEEDBACK_LIMITS.batch) });
		expect(ok.status).toBe(201);
		expect(ok.body.created).toBe(FEEDBACK_LIMITS.batch);
		expect(new Set(ok.body.results.map((r: { id: string }) => r.id)).size).toBe(FEEDBACK_LIMITS.batch);
	});

	it('answers malformed JSON, another content type, an empty or oversized body with a clear 4xx', async () => {
		const check = async (res: Response, status: number, field: string) => {
			expect(res.status).toBe(status);
			const body = await res.json();
			expect(body.error.field).toBe(field);
			expect(body.error.message.length).toBeGreaterThan(10);
			return body;
		};
		const malformed = await check(await api('/api/v1/feedback', { raw: '{"text": "hi",' }), 400, 'body');
		expect(malformed.error.code).toBe('collect.api.malformedJson');
		await check(
			await api('/api/v1/feedback', { raw: '<text>hi</text>', type: 'application/xml' }),
			415,
			'Content-Type'
		);
		// A form body with a key (and no cookie) passes the cross-site form check and gets the API's answer.
		await check(
			await api('/api/v1/feedback', { raw: 'text=hi', type: 'application/x-www-form-urlencoded' }),
			415,
			'Content-Type'
		);
		await check(
			await api('/api/v1/feedback', { raw: new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]) }),
			400,
			'body'
		);
		await check(await api('/api/v1/feedback', { raw: ' ' }), 400, 'body');
		await check(await api('/api/v1/feedback', { body: [1, 2] }), 400, 'body');
		await check(await api('/api/v1/feedback', { body: { items: 'nope' } }), 400, 'items');
		await check(await api('/api/v1/feedback', { body: { items: [] } }), 400, 'items');
		const huge = JSON.stringify({ text: 'x'.repeat(6 * 1024 * 1024), channel: 'chat' });
		await check(await api('/api/v1/feedback', { raw: huge }), 413, 'body');
	});

	it('keeps items to their workspace: another key cannot read them (404)', async () => {
		const { body } = await post({ text: 'Mine', channel: 'chat' });
		const other = await signUp(server.url, 'Other', 'other@example.com');
		const otherWs = await createWorkspace(other, 'Elsewhere');
		const otherKey = await createKey(other, otherWs);
		expect((await api(`/api/v1/feedback/${body.id}`, { key: otherKey })).status).toBe(404);
		expect((await api(`/api/v1/feedback/not-an-id`)).status).toBe(404);
		expect((await api(`/api/v1/feedback/${crypto.randomUUID()}`)).status).toBe(404);
		// Nor post into this workspace's journey.
		const cross = await post({ text: 'x', channel: 'chat', journey_id: journeyId }, otherKey);
		expect(cross.status).toBe(400);
		expect(cross.body.error.field).toBe('journey_id');
	});

	it('analyses what was posted: polling shows status done with the results', async () => {
		const { body } = await post({
			text: 'The staff at the Lyon store were wonderful, thank you so much!',
			channel: 'store',
			journey_id: journeyId
		});
		let item: {
			status: string;
			result: { polarity: string; score: number } | null;
			analysis: unknown;
		} | null = null;
		const until = Date.now() + 20_000;
		while (Date.now() < until) {
			item = await (await api(`/api/v1/feedback/${body.id}`)).json();
			if (item!.status === 'done') break;
			await new Promise((r) => setTimeout(r, 200));
		}
		expect(item?.status).toBe('done');
		expect(item?.result?.polarity).toBe('positive');
		expect(item?.result?.score).toBeGreaterThan(0);
		expect(item?.analysis).toBeTruthy();
	});

	it('limits requests per key: 429 with Retry-After past the limit, other keys unaffected', async () => {
		const limited = await createKey(owner, workspaceId, 'Limited');
		let res: Response | null = null;
		for (let i = 0; i <= RATE_LIMIT; i++) {
			res = await api(`/api/v1/feedback/${crypto.randomUUID()}`, { key: limited });
			if (res.status === 429) break;
			await res.arrayBuffer();
		}
		expect(res!.status).toBe(429);
		expect(Number(res!.headers.get('retry-after'))).toBeGreaterThan(0);
		expect((await res!.json()).error.message).toMatch(/Retry in \d+ s/);
		expect((await post({ text: 'still fine', channel: 'chat' })).status).toBe(201);
	});

	it('serves the OpenAPI document listing every path, without a key', async () => {
		const res = await fetch(`${server.url}/api/v1/openapi.json`);
		expect(res.status).toBe(200);
		expect(res.headers.get('content-type')).toContain('application/json');
		const doc = await res.json();
		expect(doc.openapi).toBe('3.1.0');
		expect(Object.keys(doc.paths)).toEqual(
			expect.arrayContaining([
				'/api/v1/workspace',
				'/api/v1/feedback',
				'/api/v1/feedback/{id}',
				'/api/v1/inbound/email'
			])
		);
		expect(doc.servers[0].url).toBe(server.url);
		expect(doc.components.schemas.FeedbackItem.properties.channel.enum).toEqual([...FEEDBACK_CHANNELS]);
	});
});
