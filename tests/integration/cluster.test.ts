/**
 * `npm run start:cluster` run as a user runs it: two instances on PostgreSQL and Redis behind the proxy
 * on one port. Pages, sessions, the collaboration socket and event streams work through the proxy; a
 * killed instance is restarted while the other answers; SIGTERM stops everything. PostgreSQL only (the
 * embedded database allows one process); whether edits converge across instances is tested elsewhere.
 */
import type { IncomingMessage } from 'node:http';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openJourney } from '../../src/lib/journey';
import { alive, clusterEnv, instancePids, runCluster, type Cluster } from './helpers/cluster';
import { openFreshPostgres } from './helpers/db';
import { Client, createJourneyByForm, createWorkspace, signUp } from './helpers/server';

const adminUrl = process.env.TEST_DATABASE_URL;
if (!adminUrl) {
	console.info(
		'cluster.test.ts: TEST_DATABASE_URL is unset; the cluster runs on PostgreSQL only, so its tests are skipped.'
	);
}

describe('the cluster launcher refuses a setup it cannot run', () => {
	it('asks for DATABASE_URL on PostgreSQL', async () => {
		const missing = runCluster({ DATABASE_URL: '' });
		expect((await missing.exit).code).toBe(1);
		expect(missing.output()).toContain('DATABASE_URL is required');
		const other = runCluster({ DATABASE_URL: 'mysql://root@127.0.0.1/parcours' });
		expect((await other.exit).code).toBe(1);
		expect(other.output()).toContain('DATABASE_URL must start with postgres://');
	});

	it('says which Redis it cannot reach', async () => {
		const cluster = runCluster({
			DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/unused',
			REDIS_URL: 'redis://127.0.0.1:1'
		});
		expect((await cluster.exit).code).toBe(1);
		expect(cluster.output()).toContain('Cannot reach Redis at 127.0.0.1:1');
	});
});

describe.skipIf(!adminUrl)('two instances behind the proxy (PostgreSQL)', () => {
	let pg: Awaited<ReturnType<typeof openFreshPostgres>>;
	let cluster: Cluster;
	let url: string;

	beforeAll(async () => {
		// Not migrated: the cluster migrates before its instances start.
		pg = await openFreshPostgres(adminUrl!, { migrate: false });
		cluster = runCluster({
			DATABASE_URL: pg.url,
			REDIS_URL: process.env.TEST_REDIS_URL || 'redis://127.0.0.1:6379',
			// Clusters of tests running side by side share the Redis server, not its channels.
			REDIS_PREFIX: `parcours-test-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`,
			CLUSTER_INSTANCES: '2',
			PORT: '0',
			HOST: '127.0.0.1',
			SEED_DEMO: 'true',
			LOG_LEVEL: 'info',
			ANALYSIS_WORKERS: '1'
		});
		url = (await cluster.waitFor(/2 instances behind (http:\/\/\S+)/))[1];
	}, 120_000);

	afterAll(async () => {
		if (cluster && cluster.child.exitCode === null && cluster.child.signalCode === null) {
			for (const pid of instancePids(cluster.output()).values()) if (alive(pid)) process.kill(pid, 'SIGKILL');
			cluster.child.kill('SIGKILL');
		}
		await pg?.close();
	});

	async function instanceOf(path: string, client = new Client(url)): Promise<string> {
		const res = await client.request(path);
		expect(res.status, path).toBeLessThan(400);
		await res.body?.cancel();
		return res.headers.get('x-parcours-instance') ?? '';
	}

	it('seeds the demo once, and its printed sign-in works through the proxy', async () => {
		const out = cluster.output();
		expect(out.match(/Parcours demo workspace created/g)).toHaveLength(1);
		const m = /e-mail:\s+(\S+)[\s\S]*?password:\s+(\S+)/.exec(out);
		expect(m, out).not.toBeNull();
		const client = new Client(url);
		expect((await client.post('/signin', { email: m![1], password: m![2], next: '/' })).status).toBe(303);
		const home = await client.request('/');
		expect(home.headers.get('location')).toMatch(/^\/w\/[0-9a-f-]{36}\//);
	});

	it('spreads requests over both instances', async () => {
		const seen = new Set<string>();
		for (let i = 0; i < 6; i++) seen.add(await instanceOf('/api/health'));
		expect([...seen].sort()).toEqual(['1', '2']);
	});

	describe('a signed-in member', () => {
		let owner: Client;
		let workspaceId: string;
		let journeyId: string;

		beforeAll(async () => {
			// Forms pass SvelteKit's origin check under whichever name the browser used.
			owner = await signUp(url, 'Owner', 'owner@example.com');
			await signUp(url.replace('127.0.0.1', 'localhost'), 'Other', 'other@example.com');
			workspaceId = await createWorkspace(owner, 'Cluster');
			journeyId = await createJourneyByForm(owner, workspaceId, 'Checkout', 'default');
		});

		it('keeps the session on both instances', async () => {
			const seen = new Set<string>();
			for (let i = 0; i < 4; i++) {
				const res = await owner.request(`/w/${workspaceId}/journeys`);
				expect(res.status).toBe(200);
				expect(await res.text()).toContain('Checkout');
				seen.add(res.headers.get('x-parcours-instance') ?? '');
			}
			expect([...seen].sort()).toEqual(['1', '2']);
		});

		it('edits a map through the proxy: two y-websocket clients land on different instances and sync', async () => {
			const cookie = [...owner.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
			const landedOn: string[] = [];
			class CookieSocket extends WebSocket {
				constructor(address: string, protocols?: string | string[]) {
					super(address, protocols, { headers: { cookie, origin: url } });
					this.on('upgrade', (res: IncomingMessage) =>
						landedOn.push(String(res.headers['x-parcours-instance']))
					);
				}
			}
			const peers = [0, 1].map(() => {
				const doc = new Y.Doc();
				const provider = new WebsocketProvider(url.replace('http', 'ws') + '/collab', journeyId, doc, {
					WebSocketPolyfill: CookieSocket as never,
					disableBc: true
				});
				return { doc, provider };
			});
			try {
				const end = Date.now() + 10_000;
				while (!peers.every((p) => p.provider.synced)) {
					if (Date.now() > end) throw new Error('the clients did not sync through the proxy');
					await new Promise((r) => setTimeout(r, 20));
				}
				for (const p of peers) expect(openJourney(p.doc).snapshot().stages).toHaveLength(6);
				expect([...landedOn].sort()).toEqual(['1', '2']);
			} finally {
				for (const p of peers) p.provider.destroy();
			}
		});

		it('receives an event stream through the proxy as it is written', async () => {
			const res = await owner.request(`/w/${workspaceId}/journeys/${journeyId}/live`, {
				headers: { accept: 'text/event-stream' }
			});
			expect(res.status).toBe(200);
			expect(res.headers.get('content-type')).toContain('text/event-stream');
			// The stream stays open: its first event can only arrive if the proxy does not wait for the end.
			const reader = res.body!.getReader();
			const decoder = new TextDecoder();
			let text = '';
			const deadline = setTimeout(() => void reader.cancel(), 10_000);
			try {
				while (!text.includes('event: scores')) {
					const { value, done } = await reader.read();
					if (done) break;
					text += decoder.decode(value, { stream: true });
				}
			} finally {
				clearTimeout(deadline);
				await reader.cancel();
			}
			expect(text).toContain('event: scores');
		});

		it('brings live scores to the event streams of both instances, whichever analysed the item', async () => {
			const res = await owner.post(`/w/${workspaceId}/settings?/createApiKey`, { name: 'Cluster' });
			const key = /pk_[a-z2-7]{32}/.exec(await res.text())![0];
			// One stream on each instance (the proxy takes turns; open until both are covered).
			const streams = new Map<
				string,
				{ events: string[]; reader: ReadableStreamDefaultReader<Uint8Array> }
			>();
			for (let i = 0; i < 8 && streams.size < 2; i++) {
				const r = await owner.request(`/w/${workspaceId}/journeys/${journeyId}/live`, {
					headers: { accept: 'text/event-stream' }
				});
				const instance = r.headers.get('x-parcours-instance')!;
				if (streams.has(instance)) {
					await r.body!.cancel();
					continue;
				}
				const stream = { events: [] as string[], reader: r.body!.getReader() };
				streams.set(instance, stream);
				void (async () => {
					const decoder = new TextDecoder();
					let text = '';
					for (;;) {
						const { value, done } = await stream.reader
							.read()
							.catch(() => ({ value: undefined, done: true }));
						if (done) return;
						text += decoder.decode(value, { stream: true });
						for (let cut = text.indexOf('\n\n'); cut >= 0; cut = text.indexOf('\n\n')) {
							const event = text.slice(0, cut);
							text = text.slice(cut + 2);
							if (event.startsWith('event: scores')) stream.events.push(event);
						}
					}
				})();
			}
			expect([...streams.keys()].sort()).toEqual(['1', '2']);
			try {
				const waitEvents = async (n: number) => {
					const end = Date.now() + 15_000;
					while ([...streams.values()].some((s) => s.events.length < n)) {
						if (Date.now() > end)
							throw new Error(`scores events: ${[...streams.values()].map((s) => s.events.length)}`);
						await new Promise((r) => setTimeout(r, 50));
					}
				};
				await waitEvents(1);
				const posted = await fetch(`${url}/api/v1/feedback`, {
					method: 'POST',
					headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
					body: JSON.stringify({
						text: 'The check-in queue was endless and the staff rude.',
						channel: 'email',
						journey_id: journeyId
					})
				});
				expect(posted.status).toBe(201);
				// The item is analysed by one instance; both streams hear of the new scores.
				await waitEvents(2);
				for (const s of streams.values()) expect(s.events.at(-1)).not.toBe(s.events[0]);
			} finally {
				for (const s of streams.values()) await s.reader.cancel().catch(() => {});
			}
		});
	});

	it('keeps answering while a killed instance is restarted', async () => {
		const before = instancePids(cluster.output());
		const victim = before.get('1')!;
		const from = cluster.output().length;
		process.kill(victim, 'SIGKILL');

		// Meanwhile every request is answered (by the other instance), none refused.
		const statuses: number[] = [];
		const until = Date.now() + 1500;
		while (Date.now() < until) {
			const res = await fetch(`${url}/api/health`);
			statuses.push(res.status);
			await res.body?.cancel();
		}
		expect(statuses.length).toBeGreaterThan(5);
		expect(statuses.every((s) => s === 200)).toBe(true);

		await cluster.waitFor(/instance 1 \(pid \d+\) exited \(signal SIGKILL\); restarting/, from);
		const back = await cluster.waitFor(/instance 1 \(pid (\d+)\) ready/, from, 60_000);
		expect(Number(back[1])).not.toBe(victim);
		expect(alive(victim)).toBe(false);
		const seen = new Set<string>();
		for (let i = 0; i < 4; i++) seen.add(await instanceOf('/api/health'));
		expect([...seen].sort()).toEqual(['1', '2']);
	}, 90_000);

	it('stops its instances when the launcher itself is killed with SIGKILL', async () => {
		const pg2 = await openFreshPostgres(adminUrl!, { migrate: false });
		let lone: Cluster | undefined;
		try {
			lone = runCluster({ ...clusterEnv(pg2.url, 1), SEED_DEMO: 'false' });
			await lone.waitFor(/1 instance behind/);
			const pids = [...instancePids(lone.output()).values()];
			expect(pids).toHaveLength(1);
			lone.child.kill('SIGKILL');
			await lone.exit;
			const end = Date.now() + 20_000;
			while (pids.some(alive) && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
			expect(pids.filter(alive), 'instances left running').toEqual([]);
		} finally {
			for (const pid of instancePids(lone?.output() ?? '').values())
				if (alive(pid)) process.kill(pid, 'SIGKILL');
			await pg2.close();
		}
	}, 90_000);

	it('stops every instance on SIGTERM and exits 0', async () => {
		const pids = [...instancePids(cluster.output()).values()];
		expect(pids).toHaveLength(2);
		cluster.child.kill('SIGTERM');
		expect(await cluster.exit).toEqual({ code: 0, signal: null });
		for (const pid of pids) expect(alive(pid)).toBe(false);
	}, 40_000);
});
