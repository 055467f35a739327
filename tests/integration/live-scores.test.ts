/**
 * Live scores through the built app: an item accepted by the API moves its touchpoint's score on a
 * connected event stream; access and filters are checked; pending items survive a restart and are
 * analysed exactly once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import type { JourneyScores } from '../../src/lib/feedback/types';
import {
	Client,
	createWorkspace,
	signUp,
	startTestServer,
	type TestServer,
	createJourneyByForm
} from './helpers/server';

const ENGINES = process.env.TEST_DATABASE_URL ? (['pglite', 'postgres'] as const) : (['pglite'] as const);

/** Reads server-sent events from a fetch response. */
function eventReader(res: Response) {
	const reader = res.body!.getReader();
	const decoder = new TextDecoder();
	let buffer = '';
	const queue: Array<{ event: string; data: string }> = [];
	return {
		async next(timeoutMs = 5000): Promise<{ event: string; data: string }> {
			const deadline = Date.now() + timeoutMs;
			for (;;) {
				const ev = queue.shift();
				if (ev) return ev;
				const left = deadline - Date.now();
				if (left <= 0) throw new Error('no event in time');
				const chunk = await Promise.race([
					reader.read(),
					new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no event in time')), left))
				]);
				if (chunk.done) throw new Error('stream ended');
				buffer += decoder.decode(chunk.value, { stream: true });
				let end;
				while ((end = buffer.indexOf('\n\n')) >= 0) {
					const block = buffer.slice(0, end);
					buffer = buffer.slice(end + 2);
					let event = 'message';
					const data: string[] = [];
					for (const line of block.split('\n')) {
						if (line.startsWith('event: ')) event = line.slice(7);
						else if (line.startsWith('data: ')) data.push(line.slice(6));
					}
					if (data.length) queue.push({ event, data: data.join('\n') });
				}
			}
		},
		async scores(timeoutMs?: number): Promise<JourneyScores> {
			for (;;) {
				const ev = await this.next(timeoutMs);
				if (ev.event === 'scores') return JSON.parse(ev.data) as JourneyScores;
			}
		},
		close: () => reader.cancel()
	};
}

async function apiKeyOf(owner: Client, workspaceId: string): Promise<string> {
	const res = await owner.post(`/w/${workspaceId}/settings?/createApiKey`, { name: 'tests' });
	const m = /pk_[a-z2-7]{32}/.exec(await res.text());
	if (!m) throw new Error(`no API key in the answer (${res.status})`);
	return m[0];
}

/** The same signed-in browser, pointed at the restarted server's new port. */
function rebase(client: Client, server: TestServer): Client {
	const moved = new Client(server.url);
	moved.cookies = client.cookies;
	return moved;
}

function postItems(server: TestServer, key: string, body: unknown) {
	return fetch(`${server.url}/api/v1/feedback`, {
		method: 'POST',
		headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
		body: JSON.stringify(body)
	});
}

for (const engine of ENGINES) {
	describe(`live scores through the app (${engine})`, () => {
		let server: TestServer;
		let owner: Client;
		let outsider: Client;
		let workspaceId: string;
		let journeyId: string;
		let key: string;
		let touchpointId: string;

		beforeAll(async () => {
			server = await startTestServer(engine);
			owner = await signUp(server.url, 'Owner', 'owner@example.com');
			workspaceId = await createWorkspace(owner, 'Live');
			journeyId = await createJourneyByForm(owner, workspaceId, 'Trip', 'airline');
			key = await apiKeyOf(owner, workspaceId);
			outsider = await signUp(server.url, 'Outsider', 'outsider@example.com');
			await createWorkspace(outsider, 'Elsewhere');
			// Any item routed by the analysis gives us a real touchpoint id of this journey.
			const first = await postItems(server, key, {
				text: 'My luggage was lost at baggage claim.',
				channel: 'email',
				received_at: new Date().toISOString(),
				journey_id: journeyId
			});
			expect(first.status).toBe(201);
			const { id } = (await first.json()) as { id: string };
			for (let i = 0; i < 100; i++) {
				const item = (await (
					await fetch(`${server.url}/api/v1/feedback/${id}`, { headers: { authorization: `Bearer ${key}` } })
				).json()) as { status: string; touchpoint_id?: string; touchpointId?: string };
				if (item.status === 'done') {
					touchpointId = (item.touchpoint_id ?? item.touchpointId)!;
					break;
				}
				await new Promise((r) => setTimeout(r, 100));
			}
			expect(touchpointId).toBeTruthy();
		}, 120_000);

		afterAll(async () => {
			await server?.stop();
		});

		it('refuses the anonymous, outsiders and bad filters', async () => {
			const path = `/w/${workspaceId}/journeys/${journeyId}/live`;
			expect(
				(await new Client(server.url).request(path, { headers: { accept: 'text/event-stream' } })).status
			).toBe(401);
			expect((await outsider.request(path, { headers: { accept: 'text/event-stream' } })).status).toBe(404);
			const bad = await owner.request(`${path}?from=yesterday`, { headers: { accept: 'text/event-stream' } });
			expect(bad.status).toBe(400);
			expect(((await bad.json()) as { error: { field: string } }).error.field).toBe('from');
			expect(
				(await owner.request(`/w/${workspaceId}/journeys/${journeyId}/scores?channel=pigeon`)).status
			).toBe(400);
		});

		it('pushes the new score to a connected client when an API item is analysed', async () => {
			const res = await owner.request(`/w/${workspaceId}/journeys/${journeyId}/live`, {
				headers: { accept: 'text/event-stream' }
			});
			expect(res.status).toBe(200);
			expect(res.headers.get('content-type')).toContain('text/event-stream');
			const events = eventReader(res);
			const before = await events.scores();
			const volume = before.touchpoints[touchpointId]?.volume ?? 0;
			const posted = Date.now();
			const answer = await postItems(server, key, {
				text: 'Wonderful, the staff found my bag within the hour. Thank you!',
				channel: 'chat',
				received_at: new Date().toISOString(),
				journey_id: journeyId,
				touchpoint_id: touchpointId
			});
			expect(answer.status).toBe(201);
			let after = await events.scores();
			while ((after.touchpoints[touchpointId]?.volume ?? 0) === volume) after = await events.scores();
			expect(after.touchpoints[touchpointId].volume).toBe(volume + 1);
			expect(Date.now() - posted).toBeLessThan(3000);
			await events.close();

			// The JSON endpoint agrees, and a channel filter narrows it to the chat item.
			const chat = (await (
				await owner.request(`/w/${workspaceId}/journeys/${journeyId}/scores?channel=chat`)
			).json()) as JourneyScores;
			expect(chat.touchpoints[touchpointId].volume).toBe(1);
			expect(chat.touchpoints[touchpointId].shares.positive).toBe(1);
			const panel = (await (
				await owner.request(`/w/${workspaceId}/journeys/${journeyId}/touchpoints/${touchpointId}/feedback`)
			).json()) as { latest: Array<{ text: string }> };
			expect(panel.latest[0].text).toContain('Wonderful');
		});

		it('resumes pending items after a restart and analyses each exactly once', async () => {
			await server.restart({ PROCESS_FEEDBACK: 'false' });
			owner = rebase(owner, server);
			const items = Array.from({ length: 40 }, (_, i) => ({
				text:
					i % 2
						? 'Flight delayed again, nobody told us anything.'
						: 'Check-in was quick and the agent was lovely.',
				channel: 'email',
				received_at: new Date().toISOString(),
				journey_id: journeyId,
				touchpoint_id: touchpointId,
				external_id: `restart-${i}`
			}));
			const readScores = async () =>
				(await (
					await owner.request(`/w/${workspaceId}/journeys/${journeyId}/scores`)
				).json()) as JourneyScores;
			const base = await readScores();
			const startVolume = base.touchpoints[touchpointId]?.volume ?? 0;
			const res = await postItems(server, key, { items });
			expect(res.status).toBeLessThan(300);
			// Nobody analyses on this instance: the items wait in the queue.
			await new Promise((r) => setTimeout(r, 1000));
			expect((await readScores()).touchpoints[touchpointId]?.volume ?? 0).toBe(startVolume);
			await server.restart({ PROCESS_FEEDBACK: 'true' });
			owner = rebase(owner, server);
			let scores = base;
			for (let i = 0; i < 100; i++) {
				scores = (await (
					await owner.request(`/w/${workspaceId}/journeys/${journeyId}/scores`)
				).json()) as JourneyScores;
				if ((scores.touchpoints[touchpointId]?.volume ?? 0) >= startVolume + 40) break;
				await new Promise((r) => setTimeout(r, 200));
			}
			expect(scores.touchpoints[touchpointId].volume).toBe(startVolume + 40);
			if (server.databaseUrl) {
				const sql = postgres(server.databaseUrl, { max: 1 });
				const rows =
					await sql`select status, analysed_count from feedback where external_id like 'restart-%'`;
				await sql.end();
				expect(rows.length).toBe(40);
				expect(rows.every((r) => r.status === 'done' && r.analysed_count === 1)).toBe(true);
			}
		}, 120_000);
	});
}
