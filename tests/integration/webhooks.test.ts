/**
 * Outgoing webhooks on both engines, against a real HTTP receiver on this machine: signed deliveries,
 * retries with backoff, giving up, one send per attempt with two workers, who may manage them, and which
 * addresses a delivery may connect to (checked on the connection itself, so a rebound name cannot pass).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifySignature, type RetrySettings } from '../../src/lib/loops';
import type { Database } from '../../src/lib/server/db';
import { webhookDelivery } from '../../src/lib/server/db/schema';
import {
	createWebhook,
	deleteWebhook,
	enqueueWebhookEvent,
	isPrivateAddress,
	listWebhooks,
	lookupPublic,
	postWebhook,
	pruneDeliveries,
	reachable,
	rotateWebhookSecret,
	sendTestEvent,
	setWebhookActive,
	WebhookWorker
} from '../../src/lib/server/webhooks';
import { engines } from './helpers/db';
import { addMember, makeUser, makeWorkspace } from './helpers/factories';
import {
	createJourneyByForm,
	createWorkspace,
	inviteLink,
	signUp,
	startTestServer,
	type TestServer
} from './helpers/server';
import { status } from './helpers/status';

interface Received {
	path: string;
	body: string;
	headers: http.IncomingHttpHeaders;
	at: number;
}

/** A receiver whose answer per path is scripted: a list of statuses, the last one repeated. */
function receiver() {
	const received: Received[] = [];
	const scripts = new Map<string, number[]>();
	let connections = 0;
	const server = http.createServer((req, res) => {
		let body = '';
		req.on('data', (d) => (body += d));
		req.on('end', () => {
			const path = req.url ?? '/';
			received.push({ path, body, headers: req.headers, at: Date.now() });
			const script = scripts.get(path) ?? [200];
			const code = script.length > 1 ? script.shift()! : script[0];
			res.writeHead(code).end();
		});
	});
	server.on('connection', () => connections++);
	return {
		received,
		connections: () => connections,
		script: (path: string, codes: number[]) => scripts.set(path, codes),
		async listen() {
			await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
			return `http://127.0.0.1:${this.port()}`;
		},
		port: () => (server.address() as AddressInfo).port,
		close: () => new Promise<void>((r) => server.close(() => r())),
		at: (path: string) => received.filter((r) => r.path === path)
	};
}

const FAST: RetrySettings = {
	maxAttempts: 4,
	baseDelayMs: 150,
	factor: 2,
	maxDelayMs: 5_000,
	jitter: 0,
	timeoutMs: 2_000
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('which addresses a webhook may reach', () => {
	it('refuses every address of this host, its networks, and the ranges that embed them', () => {
		const refused = [
			'0.0.0.0',
			'0.1.2.3',
			'10.1.2.3',
			'100.64.0.1',
			'100.127.255.254',
			'127.0.0.1',
			'127.255.0.9',
			'169.254.169.254',
			'172.16.0.1',
			'172.31.255.255',
			'192.0.0.170',
			'192.0.2.10',
			'192.88.99.1',
			'192.168.1.1',
			'198.18.0.1',
			'198.19.255.255',
			'198.51.100.7',
			'203.0.113.7',
			'224.0.0.1',
			'239.255.255.250',
			'240.0.0.1',
			'255.255.255.255',
			'::',
			'::1',
			'::ffff:127.0.0.1',
			'::ffff:7f00:1',
			'::ffff:a9fe:a9fe',
			'::ffff:8.8.8.8',
			'0:0:0:0:0:ffff:7f00:1',
			'::127.0.0.1',
			'::7f00:1',
			'64:ff9b::7f00:1',
			'64:ff9b::808:808',
			'64:ff9b:1::1',
			'100::1',
			'2001::1',
			'2001:2::1',
			'2001:db8::1',
			'2002:7f00:1::1',
			'2002:808:808::1',
			'3fff::1',
			'fc00::1',
			'fd12:3456::1',
			'fe80::1',
			'fe80::1%eth0',
			'febf::1',
			'fec0::1',
			'ff02::1',
			'FF05::1:3',
			'not an address',
			'',
			'localhost'
		];
		const allowed = [
			'8.8.8.8',
			'1.1.1.1',
			'93.184.215.14',
			'100.63.255.255',
			'100.128.0.1',
			'172.15.255.255',
			'172.32.0.1',
			'192.0.1.1',
			'198.17.255.255',
			'198.20.0.1',
			'223.255.255.255',
			'2606:4700:4700::1111',
			'2a00:1450:4007:80e::200e',
			'2001:4860:4860::8888'
		];
		expect(refused.filter((ip) => !isPrivateAddress(ip))).toEqual([]);
		expect(allowed.filter(isPrivateAddress)).toEqual([]);
	});

	it('gives the connection the public addresses of a name in both of the forms Node asks for', async () => {
		// A literal resolves to itself without any DNS server, so this needs no network.
		const ask = (host: string, options: { all?: boolean }) =>
			new Promise<{ error: NodeJS.ErrnoException | null; result: unknown[] }>((resolve) =>
				lookupPublic(host, options, (error, ...result) => resolve({ error, result }))
			);
		expect(await ask('93.184.215.14', { all: true })).toEqual({
			error: null,
			result: [[{ address: '93.184.215.14', family: 4 }]]
		});
		expect(await ask('93.184.215.14', {})).toEqual({ error: null, result: ['93.184.215.14', 4] });
		expect((await ask('localhost', { all: true })).error?.name).toBe('PrivateAddressError');
		expect((await ask('169.254.169.254', {})).error?.name).toBe('PrivateAddressError');
		// A name that does not resolve fails the connection (it is retried later), never connects.
		expect((await ask('nothing.invalid', { all: true })).error?.code).toBe('ENOTFOUND');
	});
});

describe.each(engines())('webhooks on $engine', ({ open }) => {
	let database: Database;
	const rx = receiver();
	let base: string;
	beforeAll(async () => {
		database = await open();
		base = await rx.listen();
	});
	afterAll(async () => {
		await rx.close();
		await database.close();
	});

	async function setup(path: string, events?: string[]) {
		const owner = await makeUser(database.db);
		const ws = await makeWorkspace(database.db, owner);
		const hook = await createWebhook(database.db, owner, ws.id, { url: `${base}${path}`, events });
		return { owner, ws, hook };
	}

	const worker = () => new WebhookWorker(database.db, { retry: FAST, allowPrivate: true });

	it('delivers an event signed with the secret, with a stable event id', async () => {
		const { ws, hook } = await setup('/signed');
		await enqueueWebhookEvent(database.db, ws.id, 'alert.opened', { alert: { id: 'a1' } });
		expect(await worker().runOnce()).toBe(1);
		const [got] = rx.at('/signed');
		expect(got.headers['content-type']).toBe('application/json');
		const check = verifySignature(
			hook.secret,
			got.body,
			got.headers['parcours-signature'] as string,
			Date.now()
		);
		expect(check.ok).toBe(true);
		// Another secret, or a changed body, does not verify.
		expect(
			verifySignature('whsec_other', got.body, got.headers['parcours-signature'] as string, Date.now()).ok
		).toBe(false);
		expect(
			verifySignature(
				hook.secret,
				got.body.replace('a1', 'a2'),
				got.headers['parcours-signature'] as string,
				Date.now()
			).ok
		).toBe(false);
		const body = JSON.parse(got.body);
		expect(body).toMatchObject({ type: 'alert.opened', workspaceId: ws.id, data: { alert: { id: 'a1' } } });
		expect(got.headers['parcours-event-id']).toBe(body.id);
		expect(got.headers['parcours-event']).toBe('alert.opened');
		const [row] = await database.db
			.select()
			.from(webhookDelivery)
			.where(eq(webhookDelivery.webhookId, hook.id));
		expect(row).toMatchObject({ status: 'delivered', attempts: 1, lastStatus: 200 });
		// Nothing left to send.
		expect(await worker().runOnce()).toBe(0);
	});

	it('retries a 500 with a growing delay, then delivers the same event', async () => {
		const { ws, hook } = await setup('/flaky');
		rx.script('/flaky', [500, 503, 200]);
		await enqueueWebhookEvent(database.db, ws.id, 'alert.updated', { n: 1 });
		const w = worker();
		expect(await w.runOnce()).toBe(1);
		let [row] = await database.db
			.select()
			.from(webhookDelivery)
			.where(eq(webhookDelivery.webhookId, hook.id));
		expect(row).toMatchObject({ status: 'pending', attempts: 1, lastStatus: 500 });
		// Not due before its backoff.
		expect(await w.runOnce()).toBe(0);
		const deadline = Date.now() + 10_000;
		while (Date.now() < deadline) {
			await w.runOnce();
			[row] = await database.db.select().from(webhookDelivery).where(eq(webhookDelivery.webhookId, hook.id));
			if (row.status !== 'pending') break;
			await sleep(25);
		}
		expect(row).toMatchObject({ status: 'delivered', attempts: 3, lastStatus: 200 });
		const got = rx.at('/flaky');
		expect(got).toHaveLength(3);
		expect(new Set(got.map((g) => g.headers['parcours-event-id'])).size).toBe(1);
		const gaps = [got[1].at - got[0].at, got[2].at - got[1].at];
		expect(gaps[0]).toBeGreaterThanOrEqual(FAST.baseDelayMs - 10);
		expect(gaps[1]).toBeGreaterThanOrEqual(FAST.baseDelayMs * FAST.factor - 10);
		// Each retry is signed anew, at its own time.
		for (const g of got)
			expect(
				verifySignature(hook.secret, g.body, g.headers['parcours-signature'] as string, Date.now()).ok
			).toBe(true);
	});

	it('gives up on a 410 at once, and after the last attempt on errors', async () => {
		const { ws, hook } = await setup('/gone');
		rx.script('/gone', [410]);
		await enqueueWebhookEvent(database.db, ws.id, 'alert.resolved', {});
		const w = worker();
		await w.runOnce();
		await sleep(FAST.baseDelayMs + 50);
		expect(await w.runOnce()).toBe(0);
		const [row] = await database.db
			.select()
			.from(webhookDelivery)
			.where(eq(webhookDelivery.webhookId, hook.id));
		expect(row).toMatchObject({ status: 'failed', attempts: 1, lastStatus: 410 });
		expect(rx.at('/gone')).toHaveLength(1);

		const down = await setup('/down');
		rx.script('/down', [500]);
		await enqueueWebhookEvent(database.db, down.ws.id, 'alert.opened', {});
		const deadline = Date.now() + 10_000;
		let last;
		while (Date.now() < deadline) {
			await w.runOnce();
			[last] = await database.db
				.select()
				.from(webhookDelivery)
				.where(eq(webhookDelivery.webhookId, down.hook.id));
			if (last.status !== 'pending') break;
			await sleep(25);
		}
		expect(last).toMatchObject({ status: 'failed', attempts: FAST.maxAttempts, lastError: 'max_attempts' });
		expect(rx.at('/down')).toHaveLength(FAST.maxAttempts);
	});

	it('sends each event once even with two workers at it', async () => {
		const { ws } = await setup('/once');
		for (let i = 0; i < 12; i++) await enqueueWebhookEvent(database.db, ws.id, 'loop.created', { i });
		const a = new WebhookWorker(database.db, { retry: FAST, allowPrivate: true, batchSize: 5 });
		const b = new WebhookWorker(database.db, { retry: FAST, allowPrivate: true, batchSize: 5 });
		const drain = async (w: WebhookWorker) => {
			while ((await w.runOnce()) > 0);
		};
		await Promise.all([drain(a), drain(b), drain(a)]);
		const ids = rx.at('/once').map((g) => g.headers['parcours-event-id']);
		expect(ids).toHaveLength(12);
		expect(new Set(ids).size).toBe(12);
	});

	it('sends only subscribed events, holds them while paused, and signs with a rotated secret', async () => {
		const { owner, ws, hook } = await setup('/subscribed', ['alert.resolved']);
		await enqueueWebhookEvent(database.db, ws.id, 'alert.opened', {});
		await setWebhookActive(database.db, owner, ws.id, hook.id, false);
		await enqueueWebhookEvent(database.db, ws.id, 'alert.resolved', {});
		const w = worker();
		expect(await w.runOnce()).toBe(0);
		// Paused webhooks get no new events queued, and their queue waits.
		await enqueueWebhookEvent(database.db, ws.id, 'alert.resolved', {});
		expect(
			await database.db.select().from(webhookDelivery).where(eq(webhookDelivery.webhookId, hook.id))
		).toHaveLength(0);

		await setWebhookActive(database.db, owner, ws.id, hook.id, true);
		const { secret } = await rotateWebhookSecret(database.db, owner, ws.id, hook.id);
		await enqueueWebhookEvent(database.db, ws.id, 'alert.resolved', {});
		await sendTestEvent(database.db, owner, ws.id, hook.id);
		expect(await w.runOnce()).toBe(2);
		const got = rx.at('/subscribed');
		expect(got.map((g) => g.headers['parcours-event']).sort()).toEqual(['alert.resolved', 'webhook.test']);
		for (const g of got) {
			const header = g.headers['parcours-signature'] as string;
			expect(verifySignature(secret, g.body, header, Date.now()).ok).toBe(true);
			expect(verifySignature(hook.secret, g.body, header, Date.now()).ok).toBe(false);
		}
		// Finished deliveries are kept a month, then pruned; waiting ones never are.
		expect(await pruneDeliveries(database.db, Date.now() + 29 * 86_400_000)).toBe(0);
		await enqueueWebhookEvent(database.db, ws.id, 'alert.resolved', {});
		const [view] = await listWebhooks(database.db, owner, ws.id);
		expect(view).toMatchObject({
			id: hook.id,
			active: true,
			events: ['alert.resolved'],
			pending: 1,
			failed: 0
		});
		expect(view.deliveries.map((d) => d.status)).toEqual(['pending', 'delivered', 'delivered']);
		expect(JSON.stringify(view)).not.toContain(secret);
		await pruneDeliveries(database.db, Date.now() + 31 * 86_400_000);
		const left = await database.db
			.select()
			.from(webhookDelivery)
			.where(eq(webhookDelivery.webhookId, hook.id));
		expect(left.map((d) => d.status)).toEqual(['pending']);
	});

	it('lets only workspace owners manage webhooks, and refuses bad or private URLs', async () => {
		const { ws, hook, owner } = await setup('/access');
		const editor = await makeUser(database.db);
		const viewer = await makeUser(database.db);
		const stranger = await makeUser(database.db);
		await addMember(database.db, ws.id, editor, 'editor');
		await addMember(database.db, ws.id, viewer, 'viewer');
		expect(await status(() => createWebhook(database.db, editor, ws.id, { url: `${base}/x` }))).toBe(403);
		expect(await status(() => listWebhooks(database.db, viewer, ws.id))).toBe(403);
		expect(await status(() => rotateWebhookSecret(database.db, editor, ws.id, hook.id))).toBe(403);
		expect(await status(() => deleteWebhook(database.db, stranger, ws.id, hook.id))).toBe(404);
		expect(await status(() => sendTestEvent(database.db, editor, ws.id, hook.id))).toBe(403);
		// Another workspace's webhook is not found through this one.
		const other = await setup('/other');
		expect(await status(() => deleteWebhook(database.db, owner, ws.id, other.hook.id))).toBe(404);

		const bad = createWebhook(database.db, owner, ws.id, { url: 'ftp://example.com/hook' });
		await expect(bad).rejects.toMatchObject({ status: 400, field: 'url' });
		await expect(
			createWebhook(database.db, owner, ws.id, { url: `${base}/x`, events: ['alert.exploded'] })
		).rejects.toMatchObject({ status: 400, field: 'events' });

		expect(await reachable('http://127.0.0.1:9/x', false)).toBe(false);
		expect(await reachable('http://[::1]/x', false)).toBe(false);
		expect(await reachable('http://localhost/x', false)).toBe(false);
		expect(await reachable('https://93.184.215.14/x', false)).toBe(true);
		// The spellings a parsed URL really produces for loopback and cloud metadata behind IPv6.
		const port = rx.port();
		for (const url of [
			`http://[::ffff:127.0.0.1]:${port}/x`,
			'http://[::ffff:169.254.169.254]/latest/meta-data/',
			'http://[::127.0.0.1]/x',
			'http://[64:ff9b::7f00:1]/x',
			'http://[2002:7f00:1::]/x',
			'http://0x7f.1/x',
			'http://2130706433/x'
		])
			expect(await reachable(url, false), url).toBe(false);
		// A name that does not resolve is refused now, with its own reason.
		expect(await reachable('https://nothing.invalid/x', false)).toBe(false);
		const saving = process.env.WEBHOOK_ALLOW_PRIVATE;
		process.env.WEBHOOK_ALLOW_PRIVATE = 'false';
		try {
			await expect(
				createWebhook(database.db, owner, ws.id, { url: `http://[::ffff:127.0.0.1]:${port}/x` })
			).rejects.toMatchObject({ status: 400, field: 'url', code: 'alerts.webhooks.error.private_address' });
			await expect(
				createWebhook(database.db, owner, ws.id, { url: 'https://nothing.invalid/x' })
			).rejects.toMatchObject({ status: 400, field: 'url', code: 'alerts.webhooks.error.unresolved' });
		} finally {
			if (saving === undefined) delete process.env.WEBHOOK_ALLOW_PRIVATE;
			else process.env.WEBHOOK_ALLOW_PRIVATE = saving;
		}
		// A worker that may not reach private addresses gives such a delivery up without sending it.
		await enqueueWebhookEvent(database.db, ws.id, 'alert.opened', {});
		await new WebhookWorker(database.db, { retry: FAST, allowPrivate: false }).runOnce();
		const [row] = await database.db
			.select()
			.from(webhookDelivery)
			.where(eq(webhookDelivery.webhookId, hook.id));
		expect(row).toMatchObject({ status: 'failed', lastError: 'private_address' });
		expect(rx.at('/access')).toHaveLength(0);

		await deleteWebhook(database.db, owner, ws.id, hook.id);
		expect(await listWebhooks(database.db, owner, ws.id)).toHaveLength(0);
	});

	it('checks the address on the connection it delivers through: a name of this host is refused unless allowed', async () => {
		const port = rx.port();
		const statusOf = async (hookId: string) =>
			(await database.db.select().from(webhookDelivery).where(eq(webhookDelivery.webhookId, hookId)))[0];
		// `localhost` resolves to 127.0.0.1: the name passes no check of its own at delivery, only the
		// addresses the connection would use are checked, as for any name rebound to a private address.
		for (const [path, url] of [
			['/by-name', `http://localhost:${port}/by-name`],
			['/mapped', `http://[::ffff:127.0.0.1]:${port}/mapped`]
		]) {
			const owner = await makeUser(database.db);
			const ws = await makeWorkspace(database.db, owner);
			const hook = await createWebhook(database.db, owner, ws.id, { url });
			await enqueueWebhookEvent(database.db, ws.id, 'alert.opened', {});
			const before = rx.connections();
			await new WebhookWorker(database.db, { retry: FAST, allowPrivate: false }).runOnce();
			expect(await statusOf(hook.id), url).toMatchObject({
				status: 'failed',
				attempts: 1,
				lastStatus: null,
				lastError: 'private_address'
			});
			expect(rx.connections(), url).toBe(before);
			expect(rx.at(path)).toHaveLength(0);

			// Allowed, the same address does reach the receiver: the refusal above was the guard's.
			await enqueueWebhookEvent(database.db, ws.id, 'alert.opened', {});
			await worker().runOnce();
			expect(rx.at(path), url).toHaveLength(1);
		}
		await expect(
			postWebhook(`http://localhost:${port}/direct`, {}, '{}', { allowPrivate: false, timeoutMs: 2_000 })
		).rejects.toMatchObject({ name: 'PrivateAddressError' });
		expect(rx.at('/direct')).toHaveLength(0);
		expect(
			await postWebhook(`http://localhost:${port}/direct`, {}, '{}', { allowPrivate: true, timeoutMs: 2_000 })
		).toEqual({ status: 200, retryAfter: null });
	});
});

describe.each(engines())('webhooks through the app on $engine', ({ engine }) => {
	let server: TestServer;
	const rx = receiver();
	let base: string;
	beforeAll(async () => {
		base = await rx.listen();
		server = await startTestServer(engine, { WEBHOOK_ALLOW_PRIVATE: 'true' });
	}, 120_000);
	afterAll(async () => {
		await server?.stop();
		await rx.close();
	});

	it('an owner adds a webhook, its test event and a burst of complaints reach the receiver signed', async () => {
		const owner = await signUp(server.url, 'Olivia Owner', 'owner@example.com');
		const workspaceId = await createWorkspace(owner, 'Hooks');
		const journeyId = await createJourneyByForm(owner, workspaceId, 'Trip', 'default');
		const editor = await signUp(server.url, 'Ed Editor', 'editor@example.com');
		await editor.post(await inviteLink(owner, workspaceId, 'editor'), {});

		// Editors may not see or add webhooks.
		expect((await editor.request(`/w/${workspaceId}/settings/webhooks`)).status).toBe(403);
		expect(
			(await editor.post(`/w/${workspaceId}/settings/webhooks?/create`, { url: `${base}/app` })).status
		).toBe(403);

		const created = await owner.post(`/w/${workspaceId}/settings/webhooks?/create`, { url: `${base}/app` });
		const html = await created.text();
		const secret = /whsec_[A-Za-z0-9_-]{43}/.exec(html)?.[0];
		const webhookId = /name="webhookId" value="([0-9a-f-]{36})"/.exec(html)?.[1];
		expect(secret && webhookId, html.slice(0, 500)).toBeTruthy();
		// Shown once: the page does not show it again.
		expect(await (await owner.request(`/w/${workspaceId}/settings/webhooks`)).text()).not.toContain(secret);

		expect(
			(await owner.post(`/w/${workspaceId}/settings/webhooks?/test`, { webhookId: webhookId! })).status
		).toBe(200);
		await expect.poll(() => rx.at('/app').length, { timeout: 15_000 }).toBe(1);
		const [test] = rx.at('/app');
		expect(test.headers['parcours-event']).toBe('webhook.test');
		expect(
			verifySignature(secret!, test.body, test.headers['parcours-signature'] as string, Date.now()).ok
		).toBe(true);

		// A burst of complaints through the API: the server's detector opens an alert and says so.
		const keyPage = await owner.post(`/w/${workspaceId}/settings?/createApiKey`, { name: 'Burst' });
		const key = /pk_[a-z2-7]{32}/.exec(await keyPage.text())![0];
		const now = Date.now();
		const res = await fetch(`${server.url}/api/v1/feedback`, {
			method: 'POST',
			headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
			body: JSON.stringify({
				items: Array.from({ length: 10 }, (_, i) => ({
					text: 'My luggage was lost and nobody at the desk could help. Terrible service.',
					channel: 'email',
					received_at: new Date(now - (30 - i * 3) * 60_000).toISOString(),
					journey_id: journeyId
				}))
			})
		});
		expect(res.status, await res.text()).toBe(201);
		await expect
			.poll(() => rx.at('/app').filter((r) => r.headers['parcours-event'] === 'alert.opened').length, {
				timeout: 30_000
			})
			.toBeGreaterThan(0);
		const opened = rx.at('/app').find((r) => r.headers['parcours-event'] === 'alert.opened')!;
		expect(
			verifySignature(secret!, opened.body, opened.headers['parcours-signature'] as string, Date.now()).ok
		).toBe(true);
		const alertId = JSON.parse(opened.body).data.alert.id as string;
		const page = await owner.request(`/w/${workspaceId}/alerts/${alertId}`);
		expect(page.status).toBe(200);
		expect(await page.text()).toContain('Open a loop');
	});
});
