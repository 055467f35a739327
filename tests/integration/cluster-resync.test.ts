/**
 * Two instances behind the cluster's proxy, on a Redis of this test's own that goes away for a while.
 * Events emitted during the outage are lost (nothing is queued), so once the link is back every instance
 * reads again what they would have told it: a member removed on one instance while Redis was away loses
 * the collaboration socket and the event stream he had open on the other, and a member's stream there is
 * closed for a resync, opened again, and starts with the current state.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { user } from '../../src/lib/server/db/schema';
import { sleep, waitFor } from './collab-harness';
import { clusterEnv, killCluster, startCluster, type Cluster } from './helpers/cluster';
import { openFreshPostgres } from './helpers/db';
import { connectEditor, type Editor } from './helpers/editors';
import { startTestRedis, type TestRedis } from './helpers/redis';
import { Client, createJourneyByForm, createWorkspace, inviteLink, signUp } from './helpers/server';

const adminUrl = process.env.TEST_DATABASE_URL;
const cookieOf = (c: Client) => [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; ');

/**
 * A client of one instance, past the proxy: it says what the proxy would (the instances take the scheme
 * from X-Forwarded-Proto), so the app's same-origin check sees the address it was called at.
 */
class InstanceClient extends Client {
	request(pathname: string, init: Parameters<Client['request']>[1] = {}) {
		const headers = new Headers(init.headers);
		headers.set('x-forwarded-proto', 'http');
		return super.request(pathname, { ...init, headers });
	}
}

/** An event stream read as text as it arrives. */
function openStream(base: string, path: string, cookie: string) {
	const controller = new AbortController();
	let text = '';
	let status = 0;
	const done = fetch(base + path, {
		headers: { cookie, accept: 'text/event-stream' },
		signal: controller.signal
	})
		.then(async (res) => {
			status = res.status;
			const reader = res.body!.getReader();
			const decoder = new TextDecoder();
			for (;;) {
				const { value, done } = await reader.read();
				if (done) return;
				text += decoder.decode(value, { stream: true });
			}
		})
		.catch(() => {});
	return {
		text: () => text,
		status: () => status,
		ended: done,
		close: () => controller.abort()
	};
}

describe.skipIf(!adminUrl)('events lost while Redis was away', () => {
	let redis: TestRedis;
	let pg: Awaited<ReturnType<typeof openFreshPostgres>>;
	let cluster: Cluster;
	let url: string;
	/** The two instances' own addresses, not the proxy's: each client is pinned to one. */
	let a: string;
	let b: string;
	const editors: Editor[] = [];
	const streams: ReturnType<typeof openStream>[] = [];

	beforeAll(async () => {
		redis = await startTestRedis();
		pg = await openFreshPostgres(adminUrl!, { migrate: false });
		({ cluster, url } = await startCluster({
			...clusterEnv(pg.url),
			REDIS_URL: redis.url,
			SEED_DEMO: 'false'
		}));
		const ready = [...cluster.output().matchAll(/instance (\d+) \(pid \d+\) ready on (\S+):(\d+)/g)];
		const address = (name: string) => {
			const m = ready.find((r) => r[1] === name)!;
			return `http://${m[2]}:${m[3]}`;
		};
		a = address('1');
		b = address('2');
	}, 120_000);

	afterAll(async () => {
		for (const e of editors.splice(0)) e.destroy();
		for (const s of streams.splice(0)) s.close();
		if (cluster) killCluster(cluster);
		redis?.kill();
		await pg?.close();
	});

	it('closes what a member removed during the outage had open on the other instance, and resyncs the rest', async () => {
		const owner = await signUp(url, 'Owner', 'owner@example.com');
		const workspaceId = await createWorkspace(owner, 'Outage');
		const journeyId = await createJourneyByForm(owner, workspaceId, 'Trip', 'default');
		const bob = await signUp(url, 'Bob', 'bob@example.com');
		const joined = await bob.post(await inviteLink(owner, workspaceId, 'editor'), {});
		expect(joined.status).toBeLessThan(400);

		// Bob's socket and stream, and the owner's stream, are on instance B.
		const bobEditor = connectEditor(b, journeyId, cookieOf(bob));
		editors.push(bobEditor);
		const closes: number[] = [];
		bobEditor.provider.on('connection-close', (e) => void (e && closes.push(e.code)));
		await bobEditor.synced;
		const live = `/w/${workspaceId}/journeys/${journeyId}/live`;
		const bobStream = openStream(b, live, cookieOf(bob));
		const ownerStream = openStream(b, live, cookieOf(owner));
		streams.push(bobStream, ownerStream);
		await waitFor(() => bobStream.text().includes('event: scores'), "Bob's first scores", 10_000);
		await waitFor(() => ownerStream.text().includes('event: scores'), "the owner's first scores", 10_000);

		// Redis goes away; meanwhile the owner removes Bob on instance A.
		redis.kill();
		await sleep(500);
		const ownerOnA = new InstanceClient(a);
		ownerOnA.cookies = owner.cookies;
		const [{ id: bobId }] = await pg.db
			.select({ id: user.id })
			.from(user)
			.where(eq(user.email, 'bob@example.com'));
		const removed = await ownerOnA.post(`/w/${workspaceId}/settings?/removeMember`, { userId: bobId });
		expect(removed.status).toBe(200);
		// The event that would close Bob's socket on B was dropped with the link.
		await sleep(1_500);
		expect(closes, 'nothing told B during the outage').toEqual([]);
		expect(bobStream.text()).not.toContain('event: closed');

		// Redis is back: B learns events were missed and reads access again.
		const back = Date.now();
		await redis.restart();
		await waitFor(() => closes.includes(4403), "Bob's socket refused on B", 20_000);
		await waitFor(() => bobStream.text().includes('event: closed'), "Bob's stream closed", 20_000);
		await waitFor(() => ownerStream.text().includes('event: closed'), "the owner's stream closed", 20_000);
		console.log(
			`[resync] access read again ${((Date.now() - back) / 1000).toFixed(1)} s after Redis came back`
		);
		// Bob's stream says why it ends, so his page stops instead of retrying; the owner's starts over.
		expect(bobStream.text()).toContain('"reason":"access"');
		expect(ownerStream.text()).toContain('"reason":"resync"');

		// Opened again, as the browser does: refused for Bob, the current state for the owner.
		const bobAgain = openStream(b, live, cookieOf(bob));
		const ownerAgain = openStream(b, live, cookieOf(owner));
		streams.push(bobAgain, ownerAgain);
		await bobAgain.ended;
		expect(bobAgain.status()).toBeGreaterThanOrEqual(400);
		expect(bobAgain.status()).toBeLessThan(500);
		await waitFor(() => ownerAgain.text().includes('event: scores'), "the owner's scores again", 10_000);
		expect(ownerAgain.status()).toBe(200);
	});
});
