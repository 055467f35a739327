import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { openDatabase, type Database } from '../../src/lib/server/db';
import { journey, journeySnapshot, journeyUpdate } from '../../src/lib/server/db/schema';
import { createCollabStore } from '../../src/lib/server/collab-store';
import { createJourneyDoc, openJourney, templateFile } from '../../src/lib/journey';
import { engines } from './helpers/db';
import { makeJourney, makeUser, makeWorkspace } from './helpers/factories';
import { eq } from 'drizzle-orm';

/** Adds a stage on a replica and returns the update it produced. */
function stageUpdate(doc: Y.Doc, title: string): Uint8Array {
	let update!: Uint8Array;
	const grab = (u: Uint8Array) => (update = update ? Y.mergeUpdates([update, u]) : u);
	doc.on('update', grab);
	openJourney(doc).addStage({ title, group: 'sale' });
	doc.off('update', grab);
	return update;
}

function titles(state: Uint8Array | null): string[] {
	const doc = new Y.Doc();
	if (state) Y.applyUpdate(doc, state);
	return openJourney(doc)
		.snapshot()
		.stages.map((s) => s.title)
		.sort();
}

describe.each(engines())('collab store on $engine', ({ engine, open }) => {
	let database: Database;
	let workspaceId: string;
	const newJourney = async () => (await makeJourney(database.db, workspaceId)).id;

	beforeAll(async () => {
		database = await open();
		workspaceId = (await makeWorkspace(database.db, await makeUser(database.db))).id;
	});
	afterAll(() => database.close());

	it('loads nothing for a journey never stored, then what was appended', async () => {
		const store = createCollabStore(database.db);
		const id = await newJourney();
		expect(await store.loadDocument(id)).toBeNull();
		const doc = createJourneyDoc(templateFile('default', 'en'));
		await store.saveInitialState(id, Y.encodeStateAsUpdate(doc));
		await store.appendUpdate(id, stageUpdate(doc, 'Extra'));
		const loaded = new Y.Doc();
		Y.applyUpdate(loaded, (await store.loadDocument(id))!);
		expect(openJourney(loaded).snapshot()).toEqual(openJourney(doc).snapshot());
	});

	it('compacts into one snapshot once updates pass the threshold, losing nothing', async () => {
		const store = createCollabStore(database.db, { compactAfter: 10 });
		const id = await newJourney();
		const doc = new Y.Doc();
		for (let i = 0; i < 25; i++) await store.appendUpdate(id, stageUpdate(doc, `s${i}`));
		expect(await store.pendingUpdates(id)).toBeLessThanOrEqual(10);
		const [snap] = await database.db.select().from(journeySnapshot).where(eq(journeySnapshot.journeyId, id));
		expect(snap.data).toBeInstanceOf(Uint8Array);
		expect(titles(await store.loadDocument(id))).toEqual(titles(Y.encodeStateAsUpdate(doc)));
		expect(titles(await store.loadDocument(id))).toHaveLength(25);
	});

	it('merges the given in-memory state when compacting, and keeps stored updates it did not know', async () => {
		const store = createCollabStore(database.db);
		const id = await newJourney();
		const mine = new Y.Doc();
		const theirs = new Y.Doc();
		await store.appendUpdate(id, stageUpdate(mine, 'mine'));
		// Another process stored an update this one never saw.
		await store.appendUpdate(id, stageUpdate(theirs, 'theirs'));
		stageUpdate(mine, 'unstored');
		await store.compact(id, Y.encodeStateAsUpdate(mine));
		expect(await store.pendingUpdates(id)).toBe(0);
		expect(titles(await store.loadDocument(id))).toEqual(['mine', 'theirs', 'unstored']);
	});

	it('stays consistent when appends and compactions of two processes interleave', async () => {
		const id = await newJourney();
		// A second connection pool on the same database stands for a second server process.
		const second =
			engine === 'postgres'
				? await openDatabase({ engine: 'postgres', url: (database as Database & { url: string }).url })
				: database;
		try {
			const stores = [
				createCollabStore(database.db, { compactAfter: 3 }),
				createCollabStore(second.db, { compactAfter: 3 })
			];
			const writers = [new Y.Doc(), new Y.Doc()];
			await Promise.all(
				Array.from({ length: 40 }, (_, i) =>
					stores[i % 2]
						.appendUpdate(id, stageUpdate(writers[i % 2], `w${i}`))
						.then(() => (i % 7 === 0 ? stores[(i + 1) % 2].compact(id) : undefined))
				)
			);
			const loaded = titles(await stores[0].loadDocument(id));
			expect(loaded).toHaveLength(40);
			expect(loaded).toEqual(Array.from({ length: 40 }, (_, i) => `w${i}`).sort());
		} finally {
			if (second !== database) await second.close();
		}
	});

	it('deletes a journey’s document with the journey', async () => {
		const store = createCollabStore(database.db);
		const id = await newJourney();
		await store.appendUpdate(id, stageUpdate(new Y.Doc(), 'x'));
		await store.compact(id);
		await store.appendUpdate(id, stageUpdate(new Y.Doc(), 'y'));
		await database.db.delete(journey).where(eq(journey.id, id));
		expect(await database.db.select().from(journeyUpdate).where(eq(journeyUpdate.journeyId, id))).toEqual([]);
		expect(await store.loadDocument(id)).toBeNull();
	});
});
