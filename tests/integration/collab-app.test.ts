/**
 * The collaboration endpoint of the real app: session cookie and workspace role decide at the upgrade,
 * viewers are read-only on the server, access revoked while connected closes the socket, and the map
 * survives a restart.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openJourney } from '../../src/lib/journey';
import { engines } from './helpers/db';
import {
	Client,
	createWorkspace,
	inviteLink,
	signUp,
	startTestServer,
	type TestServer,
	createJourneyByForm
} from './helpers/server';

function wsClass(cookie: string | null, origin?: string) {
	return class extends WebSocket {
		constructor(url: string, protocols?: string | string[]) {
			const headers: Record<string, string> = {};
			if (cookie) headers.cookie = cookie;
			if (origin) headers.origin = origin;
			super(url, protocols, { headers });
		}
	};
}

function cookieOf(c: Client): string {
	return [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
}

interface Peer {
	doc: Y.Doc;
	provider: WebsocketProvider;
	closes: number[];
}

function connect(base: string, journeyId: string, cookie: string | null, origin?: string): Peer {
	const doc = new Y.Doc();
	const provider = new WebsocketProvider(base.replace('http', 'ws') + '/collab', journeyId, doc, {
		WebSocketPolyfill: wsClass(cookie, origin) as never,
		disableBc: true
	});
	const closes: number[] = [];
	provider.on('connection-close', (e) => {
		if (e) closes.push(e.code);
	});
	return { doc, provider, closes };
}

async function until(check: () => boolean, ms = 5000): Promise<void> {
	const end = Date.now() + ms;
	while (!check()) {
		if (Date.now() > end) throw new Error('timed out waiting');
		await new Promise((r) => setTimeout(r, 20));
	}
}

function stageTitles(doc: Y.Doc): string[] {
	return openJourney(doc)
		.snapshot()
		.stages.map((s) => s.title);
}

describe.each(engines())('collaboration endpoint of the app on $engine', ({ engine }) => {
	let server: TestServer;
	let owner: Client;
	let viewer: Client;
	let outsider: Client;
	let workspaceId: string;
	let journeyId: string;
	const peers: Peer[] = [];
	const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parcours-collab-app-'));
	const env = { DATA_DIR: dataDir };

	beforeAll(async () => {
		server = await startTestServer(engine, env);
		owner = await signUp(server.url, 'Owner', 'owner@example.com');
		workspaceId = await createWorkspace(owner, 'Collab');
		journeyId = await createJourneyByForm(owner, workspaceId, 'Checkout', 'default');
		viewer = await signUp(server.url, 'Viewer', 'viewer@example.com');
		await viewer.post(await inviteLink(owner, workspaceId, 'viewer'), {});
		outsider = await signUp(server.url, 'Outsider', 'outsider@example.com');
		await createWorkspace(outsider, 'Elsewhere');
	}, 120_000);

	afterAll(async () => {
		for (const p of peers) p.provider.destroy();
		await server?.stop();
		fs.rmSync(dataDir, { recursive: true, force: true });
	});

	function track(p: Peer): Peer {
		peers.push(p);
		return p;
	}

	it('serves the journey created from a template to a member', async () => {
		const a = track(connect(server.url, journeyId, cookieOf(owner)));
		await until(() => a.provider.synced);
		expect(stageTitles(a.doc)).toHaveLength(6);
	});

	it('refuses a client without a session with 4401, one from another workspace with 4403, and does not retry', async () => {
		const anon = track(connect(server.url, journeyId, null));
		const stranger = track(connect(server.url, journeyId, cookieOf(outsider)));
		const forged = track(connect(server.url, journeyId, cookieOf(owner), 'http://evil.example'));
		await until(() => anon.closes.length > 0 && stranger.closes.length > 0 && forged.closes.length > 0);
		expect(anon.closes[0]).toBe(4401);
		expect(stranger.closes[0]).toBe(4403);
		expect(forged.closes[0]).toBe(4403);
		await new Promise((r) => setTimeout(r, 1500));
		expect(anon.closes).toHaveLength(1);
		expect(stranger.closes).toHaveLength(1);
		expect(stageTitles(stranger.doc)).toEqual([]);
	});

	it('survives malformed upgrade paths: the socket is refused, the server keeps serving', async () => {
		for (const bad of ['/collab/%E0', '/collab/%', '/collab/..%2F..%2Fx', '/collab/' + 'a'.repeat(5000)]) {
			const outcome = await new Promise<string>((resolve) => {
				const ws = new WebSocket(server.url.replace('http', 'ws') + bad, {
					headers: { cookie: cookieOf(owner) }
				});
				ws.on('close', (code) => resolve(`close ${code}`));
				ws.on('error', (e) => resolve(`error ${e.message}`));
			});
			expect(outcome, bad).toMatch(/close 4404|error Unexpected server response: 4\d\d/);
		}
		const health = await fetch(`${server.url}/api/health`);
		expect(health.status).toBe(200);
	});

	it("drops a viewer's edits on the server, while the viewer still receives the editors' edits", async () => {
		const editor = track(connect(server.url, journeyId, cookieOf(owner)));
		const reader = track(connect(server.url, journeyId, cookieOf(viewer)));
		await until(() => editor.provider.synced && reader.provider.synced);
		const readerJourney = openJourney(reader.doc);
		readerJourney.addStage({ title: 'Sneaky stage', group: 'sale' });
		openJourney(editor.doc).addStage({ title: 'Real stage', group: 'after-sale' });
		await until(() => stageTitles(reader.doc).includes('Real stage'));
		await new Promise((r) => setTimeout(r, 500));
		expect(stageTitles(editor.doc)).not.toContain('Sneaky stage');
		const fresh = track(connect(server.url, journeyId, cookieOf(owner)));
		await until(() => fresh.provider.synced && stageTitles(fresh.doc).includes('Real stage'));
		expect(stageTitles(fresh.doc)).not.toContain('Sneaky stage');
	});

	it('closes the socket of a member removed while connected', async () => {
		const reader = track(connect(server.url, journeyId, cookieOf(viewer)));
		await until(() => reader.provider.synced);
		const settings = await (await owner.request(`/w/${workspaceId}/settings`)).text();
		const viewerId = /name="userId" value="([0-9a-f-]{36})"/g;
		const ids = [...settings.matchAll(viewerId)].map((m) => m[1]);
		const removed = await owner.post(`/w/${workspaceId}/settings?/removeMember`, {
			userId: ids[ids.length - 1]
		});
		expect(removed.status).toBe(200);
		await until(() => reader.closes.includes(4403));
	});

	it('closes the sockets of a deleted journey with 4404 and does not bring it back', async () => {
		const doomed = await createJourneyByForm(owner, workspaceId, 'Doomed', 'blank');
		const p = track(connect(server.url, doomed, cookieOf(owner)));
		await until(() => p.provider.synced);
		openJourney(p.doc).addStage({ title: 'Soon gone', group: 'sale' });
		const deleted = await owner.post(`/w/${workspaceId}/journeys?/delete`, { journeyId: doomed });
		expect(deleted.status).toBe(200);
		await until(() => p.closes.includes(4404));
		// The stage typed just before the deletion must not resurrect the journey's document.
		await new Promise((r) => setTimeout(r, 800));
		const again = track(connect(server.url, doomed, cookieOf(owner)));
		await until(() => again.closes.length > 0);
		expect(again.closes[0]).toBe(4403);
	});

	it('keeps the map across a server restart', async () => {
		const before = track(connect(server.url, journeyId, cookieOf(owner)));
		await until(() => before.provider.synced);
		openJourney(before.doc).addStage({ title: 'Survives restart', group: 'after-sale' });
		await new Promise((r) => setTimeout(r, 300));
		for (const p of peers) p.provider.destroy();
		peers.length = 0;
		// A graceful stop stores what is pending; then a new process opens the same database.
		await server.restart();
		const after = track(connect(server.url, journeyId, cookieOf(owner)));
		await until(() => after.provider.synced);
		expect(stageTitles(after.doc)).toContain('Survives restart');
		expect(stageTitles(after.doc)).toContain('Real stage');
	});
});
