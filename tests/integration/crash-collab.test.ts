/**
 * Crash proof of the collaboration server (issue 9): 50 real y-websocket clients edit one journey, the
 * server process is killed with SIGKILL mid-editing (nothing flushed, no shutdown hook) and started again
 * on the same address and database; once the clients are back, every client and a fresh one hold the
 * same journey with every edit, each once. Then the stored state alone (after a clean restart) holds
 * them all too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sleep, waitFor } from './collab-harness';
import { engines } from './helpers/db';
import { connectEditor, keepEditing, settle, titles, type Editor } from './helpers/editors';
import {
	createJourneyByForm,
	createWorkspace,
	signUp,
	startTestServer,
	type Client,
	type TestServer
} from './helpers/server';

const EDITORS = 50;

const cookieOf = (c: Client) => [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; ');

describe.each(engines())('collaboration through a SIGKILL on $engine', ({ engine }) => {
	let server: TestServer;
	let owner: Client;
	let journeyId: string;
	const editors: Editor[] = [];

	beforeAll(async () => {
		server = await startTestServer(engine);
		owner = await signUp(server.url, 'Owner', 'owner@example.com');
		const workspaceId = await createWorkspace(owner, 'Crash');
		journeyId = await createJourneyByForm(owner, workspaceId, 'Crash journey', 'default');
	}, 120_000);
	afterAll(async () => {
		for (const e of editors.splice(0)) e.destroy();
		await server?.stop();
	});

	it('keeps every edit of 50 editors through a kill and restart, once, on every client and a fresh one', async () => {
		const started = Date.now();
		for (let i = 0; i < EDITORS; i++) editors.push(connectEditor(server.url, journeyId, cookieOf(owner)));
		await Promise.all(editors.map((e) => e.synced));
		// 50 editors × 1 edit a second, each relayed to 49 clients.
		const stop = keepEditing(editors, 1_000, 'k');
		await sleep(2_000);
		const port = server.port;
		await server.crash();
		const killedAt = editors.reduce((n, e) => n + e.made.length, 0);
		// Editing goes on while the server is down; y-websocket keeps the edits.
		await sleep(1_000);
		await server.start({ PORT: port });
		const restartedAt = Date.now();
		await waitFor(() => editors.every((e) => e.provider.wsconnected), 'every client back', 30_000);
		const backAfter = Date.now() - restartedAt;
		await sleep(1_000);
		stop();
		const made = editors.flatMap((e) => e.made);
		expect(await settle(editors, made, 60_000)).toEqual([]);
		expect(new Set(made).size).toBe(made.length);

		const fresh = connectEditor(server.url, journeyId, cookieOf(owner));
		editors.push(fresh);
		await fresh.synced;
		expect(titles(fresh.journey.snapshot())).toEqual([...made].sort());

		// What was stored is complete on its own: a clean restart with no client holding anything.
		for (const e of editors.splice(0)) e.destroy();
		await server.restart();
		const reader = connectEditor(server.url, journeyId, cookieOf(owner));
		editors.push(reader);
		await reader.synced;
		expect(titles(reader.journey.snapshot())).toEqual([...made].sort());
		console.log(
			`[crash-collab ${engine}] ${EDITORS} editors, ${made.length} edits (${killedAt} before the kill), clients back ${backAfter} ms after the restart, ${((Date.now() - started) / 1000).toFixed(1)} s in all`
		);
	}, 180_000);
});
