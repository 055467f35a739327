import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { openJourney } from './document';
import { createJourneyDoc } from './io';
import {
	CURRENT_SCHEMA_VERSION,
	migrateJourneyDoc,
	migrateJourneyFile,
	migrateJourneyState,
	type JourneyMigration
} from './schema-version';
import { templateFile } from './templates';

/** A made-up version 2 that renames stage descriptions to "summary"-prefixed text. */
const toV2: JourneyMigration = {
	from: CURRENT_SCHEMA_VERSION,
	doc: (doc) => {
		for (const stage of doc.getMap<Y.Map<unknown>>('stages').values())
			stage.set('description', `v2:${stage.get('description')}`);
	},
	file: (j) => ({ ...j, title: `v2:${j.title}` })
};

describe('schema versions', () => {
	it('stamp new documents with the current version', () => {
		const doc = createJourneyDoc(templateFile('default', 'en'));
		expect(openJourney(doc).schemaVersion).toBe(CURRENT_SCHEMA_VERSION);
		expect(migrateJourneyDoc(doc)).toBe('current');
		expect(migrateJourneyDoc(new Y.Doc())).toBe('empty');
	});

	it('run the migrations from the document version to the target, once, in one transaction', () => {
		const doc = createJourneyDoc(templateFile('default', 'en'));
		let transactions = 0;
		doc.on('afterTransaction', () => transactions++);
		expect(migrateJourneyDoc(doc, [toV2], CURRENT_SCHEMA_VERSION + 1)).toBe('migrated');
		expect(transactions).toBe(1);
		expect(openJourney(doc).schemaVersion).toBe(CURRENT_SCHEMA_VERSION + 1);
		expect(openJourney(doc).snapshot().stages[0].description).toBe('v2:');
		expect(migrateJourneyDoc(doc, [toV2], CURRENT_SCHEMA_VERSION + 1)).toBe('current');
		expect(openJourney(doc).snapshot().stages[0].description).toBe('v2:');
	});

	it('say when a document is newer than this code, without touching it', () => {
		const doc = createJourneyDoc(templateFile('default', 'en'));
		doc.getMap('journey').set('schemaVersion', CURRENT_SCHEMA_VERSION + 5);
		const before = Y.encodeStateAsUpdate(doc);
		expect(migrateJourneyDoc(doc)).toBe('newer');
		expect(Y.encodeStateAsUpdate(doc)).toEqual(before);
	});

	it('migrate files, and fail clearly when a step is missing', () => {
		expect(
			migrateJourneyFile({ title: 'x' }, CURRENT_SCHEMA_VERSION, [toV2], CURRENT_SCHEMA_VERSION + 1)
		).toEqual({ title: 'v2:x' });
		expect(() => migrateJourneyFile({}, CURRENT_SCHEMA_VERSION, [], CURRENT_SCHEMA_VERSION + 1)).toThrow(
			/No journey migration/
		);
	});

	it('migrate an encoded state into an update, and skip decoding when no migration exists', () => {
		const doc = createJourneyDoc(templateFile('default', 'en'));
		const state = Y.encodeStateAsUpdate(doc);
		expect(migrateJourneyState(state)).toBeNull();
		// Not even a valid update: proves nothing was decoded.
		expect(migrateJourneyState(Uint8Array.from([255]))).toBeNull();
		const update = migrateJourneyState(state, [toV2], CURRENT_SCHEMA_VERSION + 1)!;
		Y.applyUpdate(doc, update);
		expect(openJourney(doc).schemaVersion).toBe(CURRENT_SCHEMA_VERSION + 1);
		expect(openJourney(doc).snapshot().stages[0].description).toBe('v2:');
		expect(migrateJourneyState(Y.encodeStateAsUpdate(doc), [toV2], CURRENT_SCHEMA_VERSION + 1)).toBeNull();
	});
});
