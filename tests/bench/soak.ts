/**
 * Soak (issue 9): two instances on PostgreSQL and Redis behind the cluster's proxy, editing and
 * feedback ingestion for SOAK_MINUTES (default 10) while an instance is killed with SIGKILL at random
 * moments. At the end: every editor, and a fresh client on each instance, hold the same journeys with
 * every edit once; every item the API accepted is stored once and analysed; the daily sums equal a
 * recomputation from the items.
 *
 * Memory: editors keep each journey at a steady size (SOAK_KEEP touchpoints per editor: once there, they
 * move, renote or remove their own touchpoints instead of adding), so what stays in an instance is not
 * the data growing. Every 30 s the soak takes a heap snapshot of each instance through its inspector
 * (instances run with `--inspect=127.0.0.1:0`, local only) and counts the heap it can reach; RSS every
 * 10 s. Flat = for every instance that lived at least 2.5 minutes past its first (4 snapshots), the last
 * snapshot's heap is within 10 % + 5 MB of the first.
 *
 *   npm run soak                  # 10 minutes
 *   SOAK_MINUTES=2 npm run soak   # a short run
 *   SOAK_KEEP=0 npm run soak      # editors only add (the journeys grow)
 *   SOAK_KILL_EVERY_S=0 npm run soak   # no kills (SOAK_KILL_EVERY_S=45-120 is the default)
 *   SOAK_SNAPSHOT_DIR=/tmp/heap npm run soak  # keeps every heap snapshot taken, to look into
 *
 * Needs the build (`npm run build`), PostgreSQL (SOAK_DATABASE_URL, default the local server; a fresh
 * database is created and dropped) and Redis (SOAK_REDIS_URL, default the local server). Exits 1 when a
 * check fails. SOAK_SEED makes the kill times reproducible.
 */
import fs from 'node:fs';
import WebSocket from 'ws';
import { performance } from 'node:perf_hooks';
import postgres from 'postgres';
import * as Y from 'yjs';
import { alive, clusterEnv, instancePids, killCluster, startCluster } from '../integration/helpers/cluster';
import { openFreshPostgres } from '../integration/helpers/db';
import { createRng } from '../integration/helpers/fuzz-random';
import { connectEditor, keepEditing, settle, titles, type Editor } from '../integration/helpers/editors';
import { createJourneyByForm, createWorkspace, signUp, type Client } from '../integration/helpers/server';

const MINUTES = Number(process.env.SOAK_MINUTES ?? 10);
const JOURNEYS = Number(process.env.SOAK_JOURNEYS ?? 3);
const EDITORS_PER_JOURNEY = Number(process.env.SOAK_EDITORS ?? 6);
const KEEP = Number(process.env.SOAK_KEEP ?? 8);
const SNAPSHOT_DIR = process.env.SOAK_SNAPSHOT_DIR;
const ITEMS_PER_SECOND = Number(process.env.SOAK_ITEMS_PER_SECOND ?? 20);
// Seconds between kills, drawn in this range; 0 turns kills off (to look at memory alone).
const [KILL_MIN_S, KILL_MAX_S] = (process.env.SOAK_KILL_EVERY_S ?? '45-120').split('-').map(Number);
const SEED = Number(process.env.SOAK_SEED ?? Date.now() % 100_000);
const adminUrl =
	process.env.SOAK_DATABASE_URL ??
	process.env.TEST_DATABASE_URL ??
	'postgres://postgres@127.0.0.1:5432/postgres';
process.env.TEST_REDIS_URL ??= process.env.SOAK_REDIS_URL ?? 'redis://127.0.0.1:6379';
// Each y-websocket provider in Node adds a process 'exit' listener.
process.setMaxListeners(0);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const cookieOf = (c: Client) => [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
const log = (m: string) => console.log(`[soak ${new Date().toISOString().slice(11, 19)}] ${m}`);

function rssMb(pid: number): number | null {
	try {
		const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
		return m ? Number(m[1]) / 1024 : null;
	} catch {
		return null;
	}
}

/**
 * The V8 heap an instance can still reach, in MB: the sum of the objects of a heap snapshot taken through
 * its inspector (V8 collects all garbage first). The heap "used after GC" that V8 reports swings by tens
 * of MB with work in flight and was no measure here; a snapshot counts what is reachable. When `file` is
 * given the snapshot is kept there (open it in Chrome DevTools, Memory tab). Null if the instance is gone.
 */
async function liveHeapMb(inspectorUrl: string, file?: string): Promise<number | null> {
	const chunks: string[] = [];
	const taken = await new Promise<boolean>((resolve) => {
		const ws = new WebSocket(inspectorUrl, { maxPayload: 0 });
		const done = (ok: boolean) => {
			clearTimeout(timer);
			ws.terminate();
			resolve(ok);
		};
		const timer = setTimeout(() => done(false), 60_000);
		ws.on('error', () => done(false));
		// An instance killed during its snapshot closes the socket without an error.
		ws.on('close', () => done(false));
		ws.on('open', () => ws.send(JSON.stringify({ id: 1, method: 'HeapProfiler.takeHeapSnapshot' })));
		ws.on('message', (data) => {
			const m = JSON.parse(String(data)) as { id?: number; method?: string; params?: { chunk: string } };
			if (m.method === 'HeapProfiler.addHeapSnapshotChunk') chunks.push(m.params!.chunk);
			if (m.id === 1) done(true);
		});
	});
	if (!taken) return null;
	const text = chunks.join('');
	if (file) fs.writeFileSync(file, text);
	const snapshot = JSON.parse(text) as { snapshot: { meta: { node_fields: string[] } }; nodes: number[] };
	const fields = snapshot.snapshot.meta.node_fields;
	const size = fields.indexOf('self_size');
	let bytes = 0;
	for (let i = size; i < snapshot.nodes.length; i += fields.length) bytes += snapshot.nodes[i];
	return bytes / 2 ** 20;
}

/** Each instance process's inspector address, from what the cluster printed. */
function inspectors(output: string): Map<number, string> {
	const byPid = new Map<number, string>();
	const last = new Map<string, string>();
	for (const m of output.matchAll(
		/^\[(\d+)\] Debugger listening on (ws:\/\/\S+)|cluster: instance (\d+) \(pid (\d+)\) ready/gm
	)) {
		if (m[1]) last.set(m[1], m[2]);
		else if (last.has(m[3])) byPid.set(Number(m[4]), last.get(m[3])!);
	}
	return byPid;
}

async function main() {
	if (!fs.existsSync(`${process.env.BUILD_DIR || 'build'}/handler.js`)) {
		throw new Error('no build: run `npm run build` first');
	}
	const rng = createRng(SEED);
	const rand = () => rng.next();
	log(
		`${MINUTES} min, ${JOURNEYS} journeys × ${EDITORS_PER_JOURNEY} editors at 1 edit/s (${KEEP ? `steady, ${KEEP} touchpoints each` : 'adding only'}), ${ITEMS_PER_SECOND} items/s, seed ${SEED}`
	);
	const pg = await openFreshPostgres(adminUrl, { migrate: false });
	const env = {
		...clusterEnv(pg.url),
		SEED_DEMO: 'false',
		LOG_LEVEL: 'silent',
		API_RATE_LIMIT_PER_MIN: '100000',
		NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --inspect=127.0.0.1:0`.trim()
	};
	const { cluster, url } = await startCluster(env);
	const problems: string[] = [];
	const editors: Editor[] = [];
	try {
		const owner = await signUp(url, 'Owner', 'owner@example.com');
		const workspaceId = await createWorkspace(owner, 'Soak');
		const journeyIds: string[] = [];
		for (let j = 0; j < JOURNEYS; j++)
			journeyIds.push(await createJourneyByForm(owner, workspaceId, `Soak ${j}`, 'default'));
		const keyPage = await owner.post(`/w/${workspaceId}/settings?/createApiKey`, { name: 'Soak' });
		const key = /pk_[a-z2-7]{32}/.exec(await keyPage.text())![0];

		const byJourney = journeyIds.map((id) =>
			Array.from({ length: EDITORS_PER_JOURNEY }, () => connectEditor(url, id, cookieOf(owner)))
		);
		editors.push(...byJourney.flat());
		await Promise.all(editors.map((e) => e.synced));
		const editRng = createRng(SEED + 1);
		const stops = byJourney.map((group, j) =>
			keepEditing(group, 1_000, `j${j}e`, { steady: KEEP, random: () => editRng.next() })
		);

		// Ingestion: unique external ids; an item counts as accepted only when the API said so.
		const accepted = new Set<string>();
		let refused = 0;
		let failed = 0;
		let ingesting = true;
		let n = 0;
		const ingestion = (async () => {
			while (ingesting && ITEMS_PER_SECOND > 0) {
				const started = performance.now();
				const batch = Array.from({ length: ITEMS_PER_SECOND }, () => {
					const id = `soak-${n++}`;
					return {
						text:
							n % 3
								? 'Le vol avait trois heures de retard, personne ne nous a prévenus.'
								: 'Great crew, thank you!',
						channel: 'email',
						journey_id: journeyIds[n % journeyIds.length],
						external_id: id
					};
				});
				try {
					const res = await fetch(`${url}/api/v1/feedback`, {
						method: 'POST',
						headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
						body: JSON.stringify({ items: batch })
					});
					if (res.status === 201 || res.status === 207) {
						const body = (await res.json()) as { results: { id: string | null }[] };
						body.results.forEach((r, i) => r.id && accepted.add(batch[i].external_id));
					} else {
						refused++;
						await res.body?.cancel();
					}
				} catch {
					// The instance died under this request: these items were not accepted.
					failed++;
				}
				await sleep(Math.max(0, 1_000 - (performance.now() - started)));
			}
		})();

		// Kills at random moments (every 45–120 s), RSS samples every 10 s, heap snapshots every 30 s.
		type Samples = { at: number; mb: number }[];
		const memory = new Map<number, { instance: string; samples: Samples; heap: Samples; born: number }>();
		let round = 0;
		if (SNAPSHOT_DIR) fs.mkdirSync(SNAPSHOT_DIR, { recursive: true });
		const kills: string[] = [];
		const start = Date.now();
		const end = start + MINUTES * 60_000;
		const killGap = () => (KILL_MIN_S + rand() * ((KILL_MAX_S ?? KILL_MIN_S) - KILL_MIN_S)) * 1000;
		let nextKill = KILL_MIN_S > 0 ? start + killGap() : Infinity;
		while (Date.now() < end) {
			const addresses = inspectors(cluster.output());
			for (const [instance, pid] of instancePids(cluster.output())) {
				const mb = alive(pid) ? rssMb(pid) : null;
				if (mb === null) continue;
				const entry = memory.get(pid) ?? { instance, samples: [], heap: [], born: Date.now() - start };
				entry.samples.push({ at: Date.now() - start, mb });
				memory.set(pid, entry);
				const address = addresses.get(pid);
				if (round % 3 === 0 && address) {
					const file =
						SNAPSHOT_DIR &&
						`${SNAPSHOT_DIR}/instance-${instance}-${pid}-${Date.now() - start}ms.heapsnapshot`;
					const heap = await liveHeapMb(address, file || undefined);
					if (heap !== null) entry.heap.push({ at: Date.now() - start, mb: heap });
				}
			}
			round++;
			if (Date.now() >= nextKill && Date.now() < end - 30_000) {
				const pids = instancePids(cluster.output());
				const victim = rand() < 0.5 ? '1' : '2';
				const pid = pids.get(victim);
				if (pid && alive(pid)) {
					process.kill(pid, 'SIGKILL');
					kills.push(`${((Date.now() - start) / 1000).toFixed(0)} s: instance ${victim} (pid ${pid})`);
					log(`killed instance ${victim} (pid ${pid})`);
				}
				nextKill = Date.now() + killGap();
			}
			await sleep(Math.min(10_000, Math.max(0, end - Date.now())));
		}
		for (const stop of stops) stop();
		ingesting = false;
		await ingestion;
		const changes = editors.reduce((s, e) => s + e.changes, 0);
		log(
			`load stopped: ${changes} edits, ${accepted.size} items accepted (${refused} refused, ${failed} failed requests)`
		);

		// Every editor of a journey holds every edit of that journey, once.
		for (const [j, group] of byJourney.entries()) {
			const made = group.flatMap((e) => e.made);
			const left = await settle(group, made, 120_000);
			if (left.length) problems.push(`journey ${j}: ${left.join('; ')}`);
			// A fresh client on each instance (the proxy takes turns) sees the same.
			for (let k = 0; k < 2; k++) {
				const fresh = connectEditor(url, journeyIds[j], cookieOf(owner));
				editors.push(fresh);
				await fresh.synced;
				if (JSON.stringify(titles(fresh.journey.snapshot())) !== JSON.stringify([...made].sort()))
					problems.push(
						`journey ${j}: a fresh client has ${fresh.journey.snapshot().touchpoints.length} touchpoints, ${made.length} made`
					);
				// Moves and notes too, not only which touchpoints exist.
				else if (!Y.equalSnapshots(Y.snapshot(fresh.doc), Y.snapshot(group[0].doc)))
					problems.push(`journey ${j}: a fresh client's document differs from the editors'`);
			}
		}

		// Every accepted item stored once and analysed; the sums equal the items.
		const sql = postgres(pg.url, { max: 1, onnotice: () => {} });
		try {
			const deadline = Date.now() + 180_000;
			let pending = Infinity;
			while (Date.now() < deadline) {
				[{ pending }] = await sql<{ pending: number }[]>`
					select count(*)::int as pending from feedback where status not in ('done', 'failed')`;
				if (pending === 0) break;
				await sleep(1_000);
			}
			if (pending > 0) problems.push(`${pending} items still not analysed after 3 minutes`);
			const rows = await sql<{ external_id: string; n: number; status: string }[]>`
				select external_id, count(*)::int as n, min(status) as status from feedback group by external_id`;
			const stored = new Map(rows.map((r) => [r.external_id, r]));
			const missing = [...accepted].filter((id) => !stored.has(id));
			const doubled = rows.filter((r) => r.n > 1);
			const failedItems = rows.filter((r) => r.status !== 'done');
			if (missing.length)
				problems.push(`${missing.length} accepted items missing (e.g. ${missing.slice(0, 3).join(', ')})`);
			if (doubled.length) problems.push(`${doubled.length} items stored more than once`);
			if (failedItems.length)
				problems.push(`${failedItems.length} items not analysed (status ${failedItems[0].status})`);
			// Analysed once: the sums each item adds when it is stored, per table, equal the items' own counts.
			const [items] = await sql<{ n: number; neg: number; pos: number }[]>`
				select count(*)::int as n, (count(*) filter (where polarity = 'negative'))::int as neg,
					(count(*) filter (where polarity = 'positive'))::int as pos
				from feedback where status = 'done' and not spam and journey_id is not null`;
			for (const table of ['touchpoint_daily', 'journey_daily']) {
				const [sums] = await sql<{ n: number; neg: number; pos: number }[]>`
					select coalesce(sum(n), 0)::int as n, coalesce(sum(negative), 0)::int as neg,
						coalesce(sum(positive), 0)::int as pos from ${sql(table)}`;
				if (JSON.stringify(sums) !== JSON.stringify(items))
					problems.push(`${table} sums ${JSON.stringify(sums)}, the items ${JSON.stringify(items)}`);
			}
			log(`${rows.length} items stored (${accepted.size} accepted), ${items.n} counted in the sums`);
		} finally {
			await sql.end();
		}

		// Memory, per instance process (an instance killed and restarted is a new process).
		console.log('\ninstance memory, per process lifetime (heap = the V8 heap reachable, every 30 s):');
		const mean = (s: Samples) => s.reduce((a, b) => a + b.mb, 0) / s.length;
		let judged = 0;
		for (const [pid, { instance, samples, heap, born }] of memory) {
			if (samples.length < 2) continue;
			const span = (samples.at(-1)!.at - samples[0].at) / 1000;
			const peak = Math.max(...samples.map((s) => s.mb));
			// The first minute is start-up (caches, compiled code, journeys loading), not growth.
			const settled = heap.filter((h) => h.at - born >= 60_000);
			const series = settled.length ? settled.map((h) => h.mb.toFixed(1)).join(' → ') : '—';
			console.log(
				`  instance ${instance} pid ${pid}: ${span.toFixed(0)} s; RSS first minute ${mean(samples.slice(0, 6)).toFixed(0)} MB, last minute ${mean(samples.slice(-6)).toFixed(0)} MB, peak ${peak.toFixed(0)} MB; heap after its first minute ${series} MB`
			);
			if (settled.length < 4) continue;
			judged++;
			const [first, last] = [settled[0].mb, settled.at(-1)!.mb];
			if (last > first * 1.1 + 5)
				problems.push(
					`instance ${instance} (pid ${pid}): reachable heap grew from ${first.toFixed(1)} to ${last.toFixed(1)} MB`
				);
		}
		if (judged === 0)
			problems.push('no instance lived 2.5 minutes past its first: memory not judged (raise SOAK_MINUTES)');
		const sizes = byJourney.map((group) => group[0].journey.snapshot().touchpoints.length);
		const bytes = byJourney.map((group) => Y.encodeStateAsUpdate(group[0].doc).byteLength);
		console.log(
			`journeys at the end: ${sizes.join(', ')} touchpoints, ${bytes.map((b) => `${(b / 1024).toFixed(0)} kB`).join(', ')} encoded`
		);
		console.log(`kills: ${kills.length ? kills.join(', ') : 'none'}`);
		console.log(
			`edits ${changes}, items accepted ${accepted.size}, requests refused ${refused}, failed ${failed}`
		);
	} finally {
		for (const e of editors) e.destroy();
		cluster.child.kill('SIGTERM');
		const stopped = await Promise.race([cluster.exit.then(() => true), sleep(30_000).then(() => false)]);
		if (!stopped) killCluster(cluster);
		await pg.close();
	}
	if (problems.length) {
		console.log(`\nSOAK FAILED (seed ${SEED}):\n  ${problems.join('\n  ')}`);
		process.exit(1);
	}
	console.log(`\nsoak passed (seed ${SEED})`);
	process.exit(0);
}

main().catch((e) => {
	console.error(e);
	process.exit(1);
});
