/**
 * Hostile input against the built app running as its own process (a crash is a dead process):
 * - 100,000 random, truncated, oversized and out-of-order frames to the collaboration endpoint while two
 *   honest y-websocket clients edit the same journey: they converge, keep every edit, and the stored
 *   map loads after a restart;
 * - a flood of unauthenticated WebSocket connections and unfinished upgrades: memory stays bounded and
 *   an honest client still connects;
 * - random bodies to every form action and endpoint as anonymous, with an API key and as the owner:
 *   never a 5xx, and a refusal always says why.
 * Inputs come from a seeded generator: the seed is printed, `FUZZ_SEED` replays a run. `FUZZ_FRAMES`
 * (default 100000) and `FUZZ_BODIES` (bodies per route, actor and method; default 20) scale the run.
 */
import fs from 'node:fs';
import net from 'node:net';
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openJourney } from '../../src/lib/journey';
import { engines } from './helpers/db';
import { randomBody, randomQuery } from './helpers/fuzz-bodies';
import { socketFrames, type Frame } from './helpers/fuzz-frames';
import { createRng, fuzzSeed, type Rng } from './helpers/fuzz-random';
import { discoverRoutes } from './helpers/routes';
import {
	Client,
	createJourneyByForm,
	createWorkspace,
	inviteLink,
	signUp,
	startTestServer,
	type TestServer
} from './helpers/server';

const FRAMES = Number(process.env.FUZZ_FRAMES || 100_000);
const BODIES = Number(process.env.FUZZ_BODIES || 20);

function cookieOf(c: Client): string {
	return [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
}

function wsClass(cookie: string) {
	return class extends WebSocket {
		constructor(url: string, protocols?: string | string[]) {
			super(url, protocols, { headers: { cookie } });
		}
	};
}

interface Peer {
	doc: Y.Doc;
	provider: WebsocketProvider;
}

function connect(base: string, journeyId: string, cookie: string): Peer {
	const doc = new Y.Doc();
	const provider = new WebsocketProvider(base.replace('http', 'ws') + '/collab', journeyId, doc, {
		WebSocketPolyfill: wsClass(cookie) as never,
		disableBc: true
	});
	return { doc, provider };
}

async function until(check: () => boolean, ms = 10_000, what = 'condition'): Promise<void> {
	const end = Date.now() + ms;
	while (!check()) {
		if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
		await new Promise((r) => setTimeout(r, 20));
	}
}

function cardTitles(doc: Y.Doc): string[] {
	return openJourney(doc)
		.snapshot()
		.touchpoints.map((t) => t.title);
}

/** Resident memory of a process, in MB. */
function rssMb(pid: number): number {
	const kb = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
	return Number(kb) / 1024;
}

function countInto(counts: Record<string, number>, key: string, n = 1): void {
	counts[key] = (counts[key] ?? 0) + n;
}

/** Runs `task` over `items` with at most `width` at once. */
async function pool<T>(items: T[], width: number, task: (item: T) => Promise<void>): Promise<void> {
	let next = 0;
	await Promise.all(
		Array.from({ length: width }, async () => {
			while (next < items.length) await task(items[next++]);
		})
	);
}

const READ_ALL = 'all read (closed by the fuzzer)';

/**
 * Opens one fuzz socket, sends its frames without waiting, then a step 1 as a probe: an answer to every
 * step 1 means the server read the whole batch. Resolves with how the socket ended.
 */
function fuzzSocket(wsUrl: string, cookie: string, frames: Frame[], probe: Uint8Array): Promise<string> {
	return new Promise((resolve) => {
		const ws = new WebSocket(wsUrl, { headers: { cookie } });
		let answersDue = 1 + frames.filter((f) => f.kind === 'step 1 (state vector)').length;
		let outcome: string | null = null;
		const timer = setTimeout(() => {
			outcome = 'timeout';
			ws.terminate();
		}, 60_000);
		ws.on('open', () => {
			for (const f of frames) ws.send(f.data);
			ws.send(probe);
		});
		ws.on('message', (data: Buffer) => {
			// Sync step 2 (0, 1): an answer to a step 1.
			if (data[0] === 0 && data[1] === 1 && --answersDue === 0) {
				outcome = READ_ALL;
				ws.close(1000);
			}
		});
		ws.on('error', () => {});
		ws.on('close', (code) => {
			clearTimeout(timer);
			resolve(outcome ?? String(code));
		});
	});
}

describe.each(engines())('hostile input on $engine', ({ engine }) => {
	let server: TestServer;
	let owner: Client;
	let editor: Client;
	let mallory: Client;
	let workspaceId: string;
	let journeyId: string;
	/** Ids worth putting in form fields; deleting this journey costs nothing to the rest of the test. */
	let sacrificialJourneyId: string;
	let apiKey: string;
	const peers: Peer[] = [];

	beforeAll(async () => {
		server = await startTestServer(engine, {
			SIGNIN_LIMIT_PER_IP: '100000',
			SIGNUP_LIMIT_PER_IP: '100000',
			SIGNIN_LIMIT_PER_EMAIL: '100000',
			API_RATE_LIMIT_PER_MIN: '100000',
			FORM_LIMIT_PER_IP: '100000',
			PROCESS_FEEDBACK: 'false'
		});
		owner = await signUp(server.url, 'Owner', 'owner@example.com');
		workspaceId = await createWorkspace(owner, 'Fuzzed');
		journeyId = await createJourneyByForm(owner, workspaceId, 'Fuzzed journey', 'default');
		sacrificialJourneyId = await createJourneyByForm(owner, workspaceId, 'Sacrificial', 'blank');
		editor = await signUp(server.url, 'Editor', 'editor@example.com');
		await editor.post(await inviteLink(owner, workspaceId, 'editor'), {});
		mallory = await signUp(server.url, 'Mallory', 'mallory@example.com');
		await mallory.post(await inviteLink(owner, workspaceId, 'editor'), {});
		const res = await owner.post(`/w/${workspaceId}/settings?/createApiKey`, { name: 'Fuzz' });
		apiKey = /pk_[a-z2-7]{32}/.exec(await res.text())![0];
	}, 300_000);

	afterAll(async () => {
		for (const p of peers) p.provider.destroy();
		await server?.stop();
	});

	async function expectServing(): Promise<void> {
		expect(server.process.exitCode, server.output().slice(-2000)).toBeNull();
		expect(server.process.signalCode).toBeNull();
		expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
	}

	it(`survives ${FRAMES} hostile frames while two honest clients edit, and keeps every honest edit`, async () => {
		const rng = createRng(fuzzSeed(`collab frames on ${engine}`));
		const wsUrl = `${server.url.replace('http', 'ws')}/collab/${journeyId}`;
		const a = connect(server.url, journeyId, cookieOf(owner));
		const b = connect(server.url, journeyId, cookieOf(editor));
		peers.push(a, b);
		a.provider.awareness.setLocalStateField('user', { name: 'Owner' });
		b.provider.awareness.setLocalStateField('user', { name: 'Editor' });
		await until(() => a.provider.synced && b.provider.synced, 10_000, 'honest clients to sync');
		await until(
			() =>
				a.provider.awareness.getStates().has(b.doc.clientID) &&
				b.provider.awareness.getStates().has(a.doc.clientID),
			10_000,
			'honest clients to see each other'
		);

		// One honest edit per fuzz socket, alternating clients, so the map grows with the run's frames and
		// not with how slow the machine is (every join and step 1 costs the size of the map).
		const written: string[] = [];
		const honestEdit = () => {
			const i = written.length;
			const peer = i % 2 === 0 ? a : b;
			const title = `${i % 2 === 0 ? 'A' : 'B'}-${i}`;
			const journey = openJourney(peer.doc);
			journey.addTouchpoint(journey.snapshot().stages[0].id, { title });
			written.push(title);
		};

		const probe = () => {
			const e = encoding.createEncoder();
			encoding.writeVarUint(e, 0);
			encoding.writeVarUint(e, 0);
			encoding.writeVarUint8Array(e, Y.encodeStateVector(a.doc));
			return encoding.toUint8Array(e);
		};
		const context = {
			honestIds: () => [a.doc.clientID, b.doc.clientID],
			stateVector: () => Y.encodeStateVector(a.doc)
		};

		const kinds: Record<string, number> = {};
		const closes: Record<string, number> = {};
		let sent = 0;
		let sockets = 0;
		const started = Date.now();
		await Promise.all(
			Array.from({ length: 8 }, async (_, worker) => {
				const own = rng.fork();
				while (sent < FRAMES) {
					const frames = socketFrames(own, Math.min(own.int(100, 400), FRAMES - sent), context);
					sent += frames.length;
					sockets++;
					honestEdit();
					for (const f of frames) countInto(kinds, f.kind);
					if (Math.floor(sent / 20_000) > Math.floor((sent - frames.length) / 20_000))
						console.log(`[fuzz]   ${sent} frames after ${((Date.now() - started) / 1000).toFixed(1)} s`);
					countInto(closes, await fuzzSocket(wsUrl, cookieOf(mallory), frames, probe()));
				}
				return worker;
			})
		);
		const elapsed = (Date.now() - started) / 1000;

		await until(
			() => {
				const [ta, tb] = [new Set(cardTitles(a.doc)), new Set(cardTitles(b.doc))];
				return written.every((t) => ta.has(t) && tb.has(t));
			},
			30_000,
			'every honest edit on both clients'
		);
		expect(openJourney(a.doc).snapshot()).toEqual(openJourney(b.doc).snapshot());
		// Impostors claimed the honest clients' presence: each still sees the other as it announced itself.
		expect(a.provider.awareness.getStates().get(b.doc.clientID)).toEqual(
			b.provider.awareness.getLocalState()
		);
		expect(b.provider.awareness.getStates().get(a.doc.clientID)).toEqual(
			a.provider.awareness.getLocalState()
		);
		await expectServing();

		console.log(
			`[fuzz] collab on ${engine}: ${sent} frames over ${sockets} sockets in ${elapsed.toFixed(1)} s ` +
				`(${Math.round(sent / elapsed)} frames/s), ${written.length} honest edits kept\n` +
				`[fuzz]   frames by kind: ${JSON.stringify(kinds)}\n` +
				`[fuzz]   sockets by close code: ${JSON.stringify(closes)}`
		);
		expect(sent).toBeGreaterThanOrEqual(FRAMES);
		expect(closes.timeout ?? 0).toBe(0);
		// 1011 would be the server failing on its own. 4500 (try again later) is an overloaded server's answer
		// to an upgrade it could not authenticate in time: y-websocket retries it.
		expect(
			Object.keys(closes).filter((c) => !['1007', '1008', '1009', '1006', '4500', READ_ALL].includes(c))
		).toEqual([]);

		// The stored map is readable: a new process loads it and a fresh client sees every honest edit.
		for (const p of peers.splice(0)) p.provider.destroy();
		await server.restart();
		const fresh = connect(server.url, journeyId, cookieOf(owner));
		peers.push(fresh);
		await until(() => fresh.provider.synced, 20_000, 'a fresh client to sync after the restart');
		const stored = new Set(cardTitles(fresh.doc));
		expect(written.filter((t) => !stored.has(t))).toEqual([]);
	}, 900_000);

	it('keeps memory bounded under a flood of unauthenticated connections, and still serves members', async () => {
		const rng = createRng(fuzzSeed(`connection flood on ${engine}`));
		const pid = server.process.pid!;
		const port = Number(new URL(server.url).port);
		const wsUrl = `${server.url.replace('http', 'ws')}/collab/${journeyId}`;
		await new Promise((r) => setTimeout(r, 1000));
		const before = rssMb(pid);
		let peak = before;
		const sampler = setInterval(() => (peak = Math.max(peak, rssMb(pid))), 50);

		// Upgrades that never end their headers: only the server's header timeout frees them.
		const partial: net.Socket[] = [];
		for (let i = 0; i < 500; i++) {
			const s = net.connect(port, '127.0.0.1');
			s.on('error', () => {});
			s.write(
				`GET /collab/${journeyId} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\n` +
					`Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: ${Buffer.from(rng.bytes(16)).toString('base64')}\r\n`
			);
			partial.push(s);
		}

		const outcomes: Record<string, number> = {};
		const flood = Array.from({ length: 5000 }, (_, i) => i);
		let honestSyncMs = -1;
		const honest = (async () => {
			await new Promise((r) => setTimeout(r, 500));
			const t = Date.now();
			const p = connect(server.url, journeyId, cookieOf(owner));
			peers.push(p);
			await until(() => p.provider.synced, 20_000, 'the honest client to sync during the flood');
			honestSyncMs = Date.now() - t;
			expect(cardTitles(p.doc).length).toBeGreaterThan(0);
		})();
		const started = Date.now();
		await pool(flood, 200, (i) => {
			// Half without a cookie, half with a made-up session, which costs the server a lookup.
			const headers: Record<string, string> =
				i % 2 ? { cookie: `parcours_session=${Buffer.from(rng.bytes(20)).toString('hex')}` } : {};
			return new Promise<void>((resolve) => {
				const ws = new WebSocket(wsUrl, { headers });
				ws.on('error', (e) => countInto(outcomes, /\d{3}/.exec(e.message)?.[0] ?? e.message));
				ws.on('close', (code) => {
					if (code !== 1006) countInto(outcomes, String(code));
					resolve();
				});
			});
		});
		await honest;
		const floodSeconds = (Date.now() - started) / 1000;
		const during = peak;
		for (const s of partial) s.destroy();
		await new Promise((r) => setTimeout(r, 3000));
		clearInterval(sampler);
		const after = rssMb(pid);
		await expectServing();

		console.log(
			`[fuzz] flood on ${engine}: 5000 unauthenticated WebSockets (200 at a time) + 500 unfinished upgrades in ` +
				`${floodSeconds.toFixed(1)} s; outcomes ${JSON.stringify(outcomes)}; honest client synced in ${honestSyncMs} ms; ` +
				`server RSS before ${before.toFixed(0)} MB, peak ${during.toFixed(0)} MB, after ${after.toFixed(0)} MB`
		);
		expect(outcomes['4401']).toBeGreaterThan(4000);
		expect(Object.keys(outcomes).filter((k) => !['4401', '503'].includes(k))).toEqual([]);
		expect(during - before).toBeLessThan(100);
		expect(after - before).toBeLessThan(60);
	}, 180_000);

	it('answers random bodies on every action and endpoint without a 5xx, and says why it refuses', async () => {
		const rng = createRng(fuzzSeed(`HTTP bodies on ${engine}`));
		const routes = discoverRoutes();
		const values = [workspaceId, sacrificialJourneyId, crypto.randomUUID(), 'Fuzzed', 'owner@example.com'];
		const apiClient = new Client(server.url);
		// The restart after the frames moved the server to another port; the session is the same.
		const signedIn = new Client(server.url);
		signedIn.cookies = owner.cookies;
		const actors: Record<string, { client: Client; headers: Record<string, string> }> = {
			anonymous: { client: new Client(server.url), headers: {} },
			'API key': { client: apiClient, headers: { authorization: `Bearer ${apiKey}` } },
			owner: { client: signedIn, headers: {} }
		};
		const fill = (pattern: string, r: Rng) =>
			pattern
				.replace('[workspaceId]', workspaceId)
				.replace('[journeyId]', journeyId)
				.replace(/\[\w+\]/g, () =>
					r.chance(0.8) ? crypto.randomUUID() : encodeURIComponent(r.pick(['x', "'", '..', '%00', '0']))
				);

		interface Job {
			who: string;
			pattern: string;
			method: string;
			action?: string;
			fields: string[];
			rng: Rng;
		}
		const jobs: Job[] = [];
		for (const route of routes) {
			for (const who of Object.keys(actors)) {
				for (let n = 0; n < BODIES; n++) {
					for (const action of route.actions)
						jobs.push({
							who,
							pattern: route.pattern,
							method: 'POST',
							action: action.name,
							fields: action.fields,
							rng: rng.fork()
						});
					for (const method of route.endpointMethods)
						jobs.push({
							who,
							pattern: route.pattern,
							method,
							fields: ['items', 'text', 'channel', 'body', 'resolved'],
							rng: rng.fork()
						});
				}
			}
		}

		const problems: string[] = [];
		const statuses: Record<string, number> = {};
		const started = Date.now();
		await pool(jobs, 6, async ({ who, pattern, method, action, fields, rng: r }) => {
			const { client, headers } = actors[who];
			const body = method === 'GET' ? { label: 'query' } : randomBody(r, fields, values);
			let path = fill(pattern, r) + (action ? (action === 'default' ? '' : `?/${action}`) : '');
			if (method === 'GET') path += randomQuery(r, values);
			const h: Record<string, string> = { ...headers };
			if (body.contentType) h['content-type'] = body.contentType;
			if (action) Object.assign(h, { accept: 'application/json', 'x-sveltekit-action': 'true' });
			else h.accept = r.pick(['application/json', 'text/html', '*/*']);
			const abort = new AbortController();
			const timer = setTimeout(() => abort.abort(), 20_000);
			const what = `${who} ${method} ${path.slice(0, 200)} [${body.label}]`;
			try {
				if (who === 'owner' && !client.cookies.has('parcours_session'))
					await client.post('/signin', {
						email: 'owner@example.com',
						password: 'a long passphrase',
						next: '/'
					});
				const res = await client.request(path, { method, body: body.body, headers: h, signal: abort.signal });
				countInto(statuses, String(res.status));
				// Event streams stay open: the status and headers are the answer.
				if (res.headers.get('content-type')?.includes('text/event-stream')) {
					abort.abort();
					return;
				}
				const text = await res.text();
				const seen = `${what} → ${res.status} ${text.slice(0, 200)}`;
				if (res.status >= 500) problems.push(seen);
				else if (res.status >= 400 && text.trim().length === 0) problems.push(`${seen} (empty refusal)`);
				else if (action && res.headers.get('content-type')?.includes('json')) {
					const result = JSON.parse(text) as { type: string; data?: string; error?: { message?: string } };
					if (result.type === 'error' && !result.error?.message) problems.push(`${seen} (no message)`);
					if (result.type === 'failure' && !/message/.test(result.data ?? ''))
						problems.push(`${seen} (no message)`);
				} else if (
					pattern.startsWith('/api/v1/') &&
					res.status >= 400 &&
					res.headers.get('content-type')?.includes('json')
				) {
					// A batch refused whole answers with each item's error instead of one.
					const answer = JSON.parse(text) as {
						error?: { message?: string };
						results?: { error?: { message?: string } }[];
					};
					const said = answer.error?.message ?? answer.results?.find((r) => r.error)?.error?.message;
					if (!said) problems.push(`${seen} (no message)`);
				}
			} catch (e) {
				// A reset connection or an answer that never comes is a failure too.
				problems.push(`${what}: ${(e as Error).cause ?? e}`);
			} finally {
				clearTimeout(timer);
			}
		});
		const elapsed = (Date.now() - started) / 1000;
		console.log(
			`[fuzz] HTTP bodies on ${engine}: ${jobs.length} requests (${BODIES} per action/endpoint and actor) in ` +
				`${elapsed.toFixed(1)} s; statuses ${JSON.stringify(statuses)}`
		);
		const resets = problems.filter((p) => /ECONNRESET|EPIPE|other side closed/.test(p));
		expect(problems.filter((p) => !resets.includes(p)).slice(0, 30)).toEqual([]);
		// An early answer (415, 403, 401) to a large body must not reset the connection under the client.
		expect(resets.slice(0, 10)).toEqual([]);
		await expectServing();
	}, 600_000);
});
