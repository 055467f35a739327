import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { openJourney } from '../../src/lib/journey';
import { createCollabStore } from '../../src/lib/server/collab-store';
import type { Database } from '../../src/lib/server/db';
import { catalogueItem, feedback, journey, place } from '../../src/lib/server/db/schema';
import { seedDemo } from '../../src/lib/server/demo';
import { processPending } from '../../src/lib/server/feedback/processor';
import { journeyScores } from '../../src/lib/server/feedback/scores';
import { engines } from './helpers/db';
import { Client, startTestServer } from './helpers/server';

describe.each(engines())('the demo workspace on $engine', ({ open }) => {
	let database: Database;
	beforeAll(async () => {
		database = await open();
	});
	afterAll(async () => {
		await database.close();
	});

	it(
		'has two journey maps with stages and touchpoints, a catalogue, places and pending feedback, once',
		{ timeout: 120_000 },
		async () => {
			const db = database.db;
			const demo = await seedDemo(db);
			expect(demo).not.toBeNull();
			expect(await seedDemo(db)).toBeNull(); // once per database

			const journeys = await db.select().from(journey).where(eq(journey.workspaceId, demo!.workspaceId));
			expect(journeys.map((j) => j.title).sort()).toEqual([
				'Airline trip / Voyage en avion',
				'Buying a TV online / Achat d’un téléviseur en ligne'
			]);
			const store = createCollabStore(db);
			const touchpointsOf = new Map<string, string[]>();
			for (const j of journeys) {
				const state = await store.loadDocument(j.id);
				expect(state, j.title).not.toBeNull();
				const doc = new Y.Doc();
				Y.applyUpdate(doc, state!);
				const map = openJourney(doc).snapshot();
				expect(map.stages.length, j.title).toBeGreaterThanOrEqual(4);
				expect(map.touchpoints.length, j.title).toBeGreaterThanOrEqual(10);
				touchpointsOf.set(
					j.id,
					map.touchpoints.map((t) => t.id)
				);
				doc.destroy();
			}
			const products = await db
				.select()
				.from(catalogueItem)
				.where(eq(catalogueItem.workspaceId, demo!.workspaceId));
			const places = await db.select().from(place).where(eq(place.workspaceId, demo!.workspaceId));
			expect(products.map((p) => p.name)).toContain('Home delivery');
			expect(places.map((p) => p.kind)).toContain('airport');

			const items = await db.select().from(feedback).where(eq(feedback.workspaceId, demo!.workspaceId));
			expect(items.length).toBeGreaterThanOrEqual(300);
			expect(items.every((i) => i.source === 'demo' && i.status === 'pending' && i.journeyId)).toBe(true);
			expect(new Set(items.map((i) => i.journeyId))).toEqual(new Set(journeys.map((j) => j.id)));
			const days = items.map((i) => Math.floor((Date.now() - i.receivedAt.getTime()) / 86_400_000));
			expect(Math.max(...days) - Math.min(...days)).toBeGreaterThanOrEqual(42); // several weeks
			expect(Math.max(...days)).toBeLessThanOrEqual(56);

			// Analysed, the items are in both languages and land on the touchpoints of their journey.
			expect(await processPending(db)).toBe(items.length);
			const done = await db
				.select({
					language: feedback.language,
					journeyId: feedback.journeyId,
					touchpointId: feedback.touchpointId
				})
				.from(feedback)
				.where(and(eq(feedback.workspaceId, demo!.workspaceId), eq(feedback.status, 'done')));
			expect(done).toHaveLength(items.length);
			const languages = new Map<string, number>();
			for (const d of done) languages.set(d.language ?? '?', (languages.get(d.language ?? '?') ?? 0) + 1);
			expect(languages.get('fr')).toBeGreaterThan(items.length * 0.35);
			expect(languages.get('en')).toBeGreaterThan(items.length * 0.35);
			const placed = done.filter((d) => touchpointsOf.get(d.journeyId!)!.includes(d.touchpointId ?? ''));
			expect(placed.length / done.length).toBeGreaterThanOrEqual(0.8);

			// The map then shows solid evidence on most touchpoints, and luggage going badly.
			const airline = journeys.find((j) => j.title.startsWith('Airline'))!;
			const scores = await journeyScores(db, airline.id);
			const levels = Object.values(scores.touchpoints).map((t) => t.evidence);
			expect(levels.filter((l) => l === 'solid').length).toBeGreaterThanOrEqual(levels.length / 2);
			expect(levels).toContain('few');
			expect(scores.touchpoints['lost-bag'].score).toBeLessThan(0);
			expect(scores.touchpoints['app-checkin'].score).toBeGreaterThan(0);
			const [{ n }] = await db
				.select({ n: sql<number>`count(*)::int` })
				.from(feedback)
				.where(eq(feedback.workspaceId, demo!.workspaceId));
			expect(n).toBe(items.length);
		}
	);
});

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
				const journeysUrl = home.headers.get('location')!;
				const journeys = await client.request(journeysUrl);
				const html = await journeys.text();
				expect(html).toContain('Airline trip');
				// The processor analyses the demo items on start: the maps soon show live scores.
				const ids = [...new Set([...html.matchAll(/\/journeys\/([0-9a-f-]{36})/g)].map((m) => m[1]))];
				expect(ids.length).toBeGreaterThanOrEqual(2);
				const base = journeysUrl.replace(/\/$/, '');
				let solid = 0;
				for (let i = 0; i < 60 && solid < 2; i++) {
					solid = 0;
					for (const id of ids) {
						const res = await client.request(`${base}/${id}/scores`);
						expect(res.status).toBe(200);
						const scores = (await res.json()) as { touchpoints: Record<string, { evidence: string }> };
						if (Object.values(scores.touchpoints).filter((t) => t.evidence === 'solid').length >= 5) solid++;
					}
					if (solid < 2) await new Promise((r) => setTimeout(r, 500));
				}
				expect(solid).toBe(2);
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
