import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openJourney } from '../../src/lib/journey';
import { createCollabStore } from '../../src/lib/server/collab-store';
import type { Database } from '../../src/lib/server/db';
import { AppError } from '../../src/lib/server/errors';
import {
	createJourney,
	deleteJourney,
	duplicateJourney,
	exportJourneyFile,
	getJourney,
	importJourneyFile,
	listJourneys,
	renameJourney,
	setJourneyArchived
} from '../../src/lib/server/journeys';
import { engines } from './helpers/db';
import { status } from './helpers/status';
import { addMember, makeUser, makeWorkspace } from './helpers/factories';

describe.each(engines())('journey life cycle on $engine', ({ open }) => {
	let database: Database;
	beforeAll(async () => {
		database = await open();
	});
	afterAll(async () => {
		await database.close();
	});

	async function storedStages(journeyId: string): Promise<string[]> {
		const state = await createCollabStore(database.db).loadDocument(journeyId);
		const doc = new Y.Doc();
		if (state) Y.applyUpdate(doc, state);
		return openJourney(doc)
			.snapshot()
			.stages.map((s) => s.title);
	}

	it('creates a journey from a template in the chosen language, and duplicates its map', async () => {
		const db = database.db;
		const owner = await makeUser(db);
		const ws = await makeWorkspace(db, owner);
		const j = await createJourney(db, owner, ws.id, { title: 'Achat', template: 'default', locale: 'fr' });
		expect(await storedStages(j.id)).toEqual([
			'Découvrir',
			'Comparer',
			'Acheter',
			'Recevoir / Utiliser',
			'Obtenir de l’aide',
			'Recommander'
		]);
		const blank = await createJourney(db, owner, ws.id, { title: 'Empty' });
		expect(await storedStages(blank.id)).toEqual([]);
		const copy = await duplicateJourney(db, owner, j.id, 'en');
		expect(copy.title).toBe('Achat (copy)');
		expect(await storedStages(copy.id)).toEqual(await storedStages(j.id));
		expect(await status(() => createJourney(db, owner, ws.id, { title: 'X', template: 'nope' }))).toBe(400);
	});

	it('archives and restores; archived journeys leave the main list', async () => {
		const db = database.db;
		const owner = await makeUser(db);
		const ws = await makeWorkspace(db, owner);
		const j = await createJourney(db, owner, ws.id, { title: 'Old' });
		await setJourneyArchived(db, owner, j.id, true);
		expect((await listJourneys(db, owner, ws.id)).map((x) => x.id)).not.toContain(j.id);
		expect((await listJourneys(db, owner, ws.id, true)).map((x) => x.id)).toContain(j.id);
		await setJourneyArchived(db, owner, j.id, false);
		expect((await listJourneys(db, owner, ws.id)).map((x) => x.id)).toContain(j.id);
	});

	it('lets editors rename and delete their own journeys, owners any, viewers none', async () => {
		const db = database.db;
		const owner = await makeUser(db);
		const editor = await makeUser(db);
		const viewer = await makeUser(db);
		const ws = await makeWorkspace(db, owner);
		await addMember(db, ws.id, editor, 'editor');
		await addMember(db, ws.id, viewer, 'viewer');
		const ownersJourney = await createJourney(db, owner, ws.id, { title: "Owner's" });
		const editorsJourney = await createJourney(db, editor, ws.id, { title: "Editor's" });

		expect(await status(() => renameJourney(db, viewer, ownersJourney.id, 'No'))).toBe(403);
		expect(await status(() => setJourneyArchived(db, viewer, ownersJourney.id, true))).toBe(403);
		expect(await status(() => duplicateJourney(db, viewer, ownersJourney.id, 'en'))).toBe(403);
		expect(await status(() => renameJourney(db, editor, ownersJourney.id, 'Renamed'))).toBe(200);
		expect((await getJourney(db, owner, ownersJourney.id)).journey.title).toBe('Renamed');

		expect(await status(() => deleteJourney(db, viewer, editorsJourney.id))).toBe(403);
		expect(await status(() => deleteJourney(db, editor, ownersJourney.id))).toBe(403);
		expect(await status(() => deleteJourney(db, editor, editorsJourney.id))).toBe(200);
		expect(await status(() => deleteJourney(db, owner, ownersJourney.id))).toBe(200);
		expect(await status(() => getJourney(db, owner, ownersJourney.id))).toBe(404);
		// The map goes with the journey.
		expect(await createCollabStore(db).loadDocument(ownersJourney.id)).toBeNull();
	});

	it('exports a journey to JSON and imports it back as an equal journey', async () => {
		const db = database.db;
		const owner = await makeUser(db);
		const ws = await makeWorkspace(db, owner);
		const source = await createJourney(db, owner, ws.id, {
			title: 'Vol Paris',
			template: 'airline',
			locale: 'fr'
		});
		const file = await exportJourneyFile(db, owner, source.id);
		expect(file.journey.title).toBe('Vol Paris');
		const copy = await importJourneyFile(db, owner, ws.id, JSON.stringify(file), 'fr');
		expect(copy.title).toBe('Vol Paris');
		const again = await exportJourneyFile(db, owner, copy.id);
		expect(again).toEqual(file);
		expect((await storedStages(copy.id)).length).toBeGreaterThan(3);
	});

	it('refuses a bad journey file with the path of each problem and creates nothing', async () => {
		const db = database.db;
		const owner = await makeUser(db);
		const ws = await makeWorkspace(db, owner);
		const base = await createJourney(db, owner, ws.id, { title: 'Base', template: 'default' });
		const good = await exportJourneyFile(db, owner, base.id);
		const before = (await listJourneys(db, owner, ws.id)).length;
		const baseMap = await createCollabStore(db).loadDocument(base.id);
		const broken = structuredClone(good) as unknown as { journey: { stages: { touchpoints: unknown[] }[] } };
		broken.journey.stages[0].touchpoints.push({ title: 'Bad', channel: 'pigeon', emotion: 7 });
		for (const text of ['not json', '{}', JSON.stringify(broken)]) {
			let err: AppError | null = null;
			try {
				await importJourneyFile(db, owner, ws.id, text, 'en');
			} catch (e) {
				err = e as AppError;
			}
			expect(err?.status).toBe(400);
			expect(err?.field).toBe('file');
		}
		let detail = '';
		try {
			await importJourneyFile(db, owner, ws.id, JSON.stringify(broken), 'en');
		} catch (e) {
			detail = String((e as AppError).params.details);
		}
		expect(detail).toMatch(/journey\.stages\[0\]\.touchpoints\[\d+\]\.(channel|emotion)/);
		expect((await listJourneys(db, owner, ws.id)).length).toBe(before);
		expect(await createCollabStore(db).loadDocument(base.id)).toEqual(baseMap);
		expect(await exportJourneyFile(db, owner, base.id)).toEqual(good);
	});

	it('hides journeys of other workspaces behind 404', async () => {
		const db = database.db;
		const owner = await makeUser(db);
		const ws = await makeWorkspace(db, owner);
		const j = await createJourney(db, owner, ws.id, { title: 'Private' });
		const stranger = await makeUser(db);
		await makeWorkspace(db, stranger);
		for (const op of [
			() => getJourney(db, stranger, j.id),
			() => renameJourney(db, stranger, j.id, 'x'),
			() => duplicateJourney(db, stranger, j.id, 'en'),
			() => deleteJourney(db, stranger, j.id),
			() => exportJourneyFile(db, stranger, j.id)
		]) {
			expect(await status(op)).toBe(404);
		}
	});
});
