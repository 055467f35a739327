/**
 * Two instances on PostgreSQL and Redis behind the cluster's proxy (issue 9): 50 editors spread over
 * both keep editing while one instance is killed with SIGKILL; its editors reconnect through the proxy
 * and, once every edit has arrived, every client, a fresh client and the stored state (read by a new
 * cluster) hold the same journey with every edit once. Live scores reach the event streams of both
 * instances whichever instance analysed the item.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sleep } from './collab-harness';
import { alive, clusterEnv, instancePids, killCluster, startCluster, type Cluster } from './helpers/cluster';
import { openFreshPostgres } from './helpers/db';
import { connectEditor, keepEditing, settle, titles, type Editor } from './helpers/editors';
import { createJourneyByForm, createWorkspace, signUp, type Client } from './helpers/server';

const adminUrl = process.env.TEST_DATABASE_URL;
const EDITORS = 50;
const cookieOf = (c: Client) => [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; ');

describe.skipIf(!adminUrl || !process.env.TEST_REDIS_URL)('two instances through a SIGKILL of one', () => {
	let pg: Awaited<ReturnType<typeof openFreshPostgres>>;
	let env: Record<string, string>;
	let cluster: Cluster;
	let url: string;
	let owner: Client;
	let workspaceId: string;
	let journeyId: string;
	const editors: Editor[] = [];

	beforeAll(async () => {
		pg = await openFreshPostgres(adminUrl!, { migrate: false });
		env = { ...clusterEnv(pg.url), SEED_DEMO: 'false' };
		({ cluster, url } = await startCluster(env));
		owner = await signUp(url, 'Owner', 'owner@example.com');
		workspaceId = await createWorkspace(owner, 'Cluster crash');
		journeyId = await createJourneyByForm(owner, workspaceId, 'Crash journey', 'default');
	}, 120_000);
	afterAll(async () => {
		for (const e of editors.splice(0)) e.destroy();
		if (cluster) killCluster(cluster);
		await pg?.close();
	});

	it('keeps every edit of 50 editors on two instances when one is killed', async () => {
		const started = Date.now();
		for (let i = 0; i < EDITORS; i++) editors.push(connectEditor(url, journeyId, cookieOf(owner)));
		await Promise.all(editors.map((e) => e.synced));
		const stop = keepEditing(editors, 1_000, 'c');
		await sleep(3_000);
		const victim = instancePids(cluster.output()).get('1')!;
		const from = cluster.output().length;
		process.kill(victim, 'SIGKILL');
		await sleep(3_000);
		stop();
		const made = editors.flatMap((e) => e.made);
		expect(await settle(editors, made, 60_000)).toEqual([]);
		expect(alive(victim)).toBe(false);
		// The launcher brought the killed instance back.
		await cluster.waitFor(/instance 1 \(pid \d+\) ready/, from, 60_000);

		const fresh = connectEditor(url, journeyId, cookieOf(owner));
		editors.push(fresh);
		await fresh.synced;
		expect(titles(fresh.journey.snapshot())).toEqual([...made].sort());

		// The stored state alone: a new cluster on the same database, no client holding anything.
		for (const e of editors.splice(0)) e.destroy();
		cluster.child.kill('SIGTERM');
		expect((await cluster.exit).code).toBe(0);
		({ cluster, url } = await startCluster(env));
		const reader = connectEditor(url, journeyId, cookieOf(owner));
		editors.push(reader);
		await reader.synced;
		expect(titles(reader.journey.snapshot())).toEqual([...made].sort());
		console.log(
			`[crash-cluster] ${EDITORS} editors on 2 instances, ${made.length} edits, one instance killed; ${((Date.now() - started) / 1000).toFixed(1)} s in all`
		);
	}, 240_000);
});
