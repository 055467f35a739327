/**
 * Through the built app: the canvas's signals stream (open alerts and loops by touchpoint) is refused to
 * outsiders and follows a loop opened through the loop form without a reload; the My actions page and
 * its inline forms answer a mistake with a message, and its touchpoint links record the visit.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	Client,
	createJourneyByForm,
	createWorkspace,
	signUp,
	startTestServer,
	type TestServer
} from './helpers/server';

const ENGINES = process.env.TEST_DATABASE_URL ? (['pglite', 'postgres'] as const) : (['pglite'] as const);

interface Signals {
	alerts: Record<string, { id: string }>;
	loops: Record<string, Array<{ id: string; title: string; stage: string }>>;
}

/** The `signals` events of a server-sent event response, in order. */
function signalReader(res: Response) {
	const reader = res.body!.getReader();
	const decoder = new TextDecoder();
	let buffer = '';
	return {
		async next(): Promise<Signals> {
			for (;;) {
				let end;
				while ((end = buffer.indexOf('\n\n')) >= 0) {
					const block = buffer.slice(0, end);
					buffer = buffer.slice(end + 2);
					const data = /^data: (.*)$/m.exec(block);
					if (block.startsWith('event: signals') && data) return JSON.parse(data[1]) as Signals;
				}
				const chunk = await Promise.race([
					reader.read(),
					new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no event in time')), 10_000))
				]);
				if (chunk.done) throw new Error('stream ended');
				buffer += decoder.decode(chunk.value, { stream: true });
			}
		},
		close: () => reader.cancel()
	};
}

describe.each(ENGINES)('canvas signals and My actions through the app on %s', (engine) => {
	let server: TestServer;
	let owner: Client;
	let outsider: Client;
	let wsId: string;
	let journeyId: string;
	let touchpointId: string;

	beforeAll(async () => {
		server = await startTestServer(engine);
		owner = await signUp(server.url, 'Olivia Owner', `owner-${Date.now()}@example.com`);
		outsider = await signUp(server.url, 'Oscar Outsider', `outsider-${Date.now()}@example.com`);
		await createWorkspace(outsider, 'Elsewhere');
		wsId = await createWorkspace(owner, 'Airline CX');
		journeyId = await createJourneyByForm(owner, wsId, 'Checkout', 'airline');
		const file = (await (await owner.request(`/w/${wsId}/journeys/${journeyId}/export`)).json()) as {
			journey: { stages: Array<{ touchpoints: Array<{ id: string }> }> };
		};
		touchpointId = file.journey.stages[0].touchpoints[0].id;
	}, 120_000);
	afterAll(async () => {
		await server?.stop();
	});

	it('refuses the stream to the signed-out and to outsiders', async () => {
		const path = `/w/${wsId}/journeys/${journeyId}/signals`;
		expect((await new Client(server.url).request(path)).status).toBe(401);
		const refused = await outsider.request(path);
		expect(refused.status).toBe(404);
		expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('error.notFound');
	});

	it('pushes a loop opened through the loop form to an open canvas', async () => {
		const res = await owner.request(`/w/${wsId}/journeys/${journeyId}/signals`, {
			headers: { accept: 'text/event-stream' }
		});
		expect(res.status).toBe(200);
		expect(res.headers.get('content-type')).toContain('text/event-stream');
		const events = signalReader(res);
		expect(await events.next()).toMatchObject({ alerts: {}, loops: {} });
		const created = await owner.post(`/w/${wsId}/loops/new?/create`, {
			title: 'Queue at the desk',
			problem: 'Customers wait 40 minutes',
			journeyId,
			touchpointIds: touchpointId
		});
		expect(created.status).toBe(303);
		const next = await events.next();
		expect(next.loops[touchpointId]).toEqual([
			expect.objectContaining({ title: 'Queue at the desk', stage: 'listen' })
		]);
		await events.close();
	});

	it('shows My actions, names a bad filter and a bad item, and records a touchpoint visit on the way to its feedback', async () => {
		const page = await owner.request(`/w/${wsId}/actions`);
		expect(page.status).toBe(200);
		const html = await page.text();
		expect(html).toContain('My actions');
		expect(html).toContain('My touchpoints');
		expect((await owner.request(`/w/${wsId}/actions?journey=nope`)).status).toBe(400);

		const refused = await owner.request(`/w/${wsId}/actions?/status`, {
			method: 'POST',
			headers: { accept: 'application/json', 'x-sveltekit-action': 'true' },
			form: { id: 'nope', status: 'done' }
		});
		const body = (await refused.json()) as { type: string; status: number; data: string };
		expect(body).toMatchObject({ type: 'failure', status: 400 });
		expect(body.data).toContain('no longer assigned to you');

		const visit = await owner.request(
			`/w/${wsId}/actions/visit?journey=${journeyId}&touchpoint=${touchpointId}`
		);
		expect(visit.status).toBe(303);
		expect(visit.headers.get('location')).toBe(
			`/w/${wsId}/feedback?journey=${journeyId}&touchpoint=${touchpointId}`
		);
		expect(
			(await outsider.request(`/w/${wsId}/actions/visit?journey=${journeyId}&touchpoint=${touchpointId}`))
				.status
		).toBe(404);
		expect((await outsider.request(`/w/${wsId}/actions`)).status).toBe(404);
	});
});
