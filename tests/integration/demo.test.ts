import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Client, startTestServer } from './helpers/server';

/** `npm start` on a fresh data directory prints a demo sign-in that works, once. */
describe('the demo workspace on first start', () => {
	const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parcours-demo-'));
	afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

	it(
		'prints a sign-in that opens the demo journeys, and prints it only once',
		{ timeout: 120_000 },
		async () => {
			const env = { SEED_DEMO: 'true', LOG_LEVEL: 'info', DATA_DIR: dataDir };
			const first = await startTestServer('pglite', env);
			let password: string;
			try {
				const m = /e-mail:\s+(\S+)\s+password:\s+(\S+)/.exec(first.output());
				expect(m, first.output()).not.toBeNull();
				expect(m![1]).toBe('demo@parcours.local');
				password = m![2];
				const client = new Client(first.url);
				const res = await client.post('/signin', { email: m![1], password, next: '/' });
				expect(res.status).toBe(303);
				const home = await client.request('/');
				const journeys = await client.request(home.headers.get('location')!);
				expect(await journeys.text()).toContain('Airline trip');
			} finally {
				await first.restart();
			}

			const second = first;
			try {
				expect(second.output()).not.toContain('password:');
				const client = new Client(second.url);
				const res = await client.post('/signin', { email: 'demo@parcours.local', password, next: '/' });
				expect(res.status).toBe(303);
			} finally {
				await second.stop();
			}
		}
	);
});
