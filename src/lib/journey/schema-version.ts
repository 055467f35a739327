/**
 * Versioned document schema. `journey.schemaVersion` in the Y.Doc (and `schemaVersion` in a journey
 * file) says which layout the content follows. A later change of layout adds a migration here; the
 * collab server runs `migrateJourneyDoc` when it loads a document, before any client sees it, so a
 * migration runs once per document rather than concurrently in every browser.
 */
import * as Y from 'yjs';

export const CURRENT_SCHEMA_VERSION = 1;

export interface JourneyMigration {
	/** Applies to documents at this version and leaves them at `from + 1`. */
	from: number;
	/** Rewrites the Y.Doc (called inside a transaction). Must be deterministic. */
	doc(doc: Y.Doc): void;
	/** Rewrites a parsed journey file of version `from` (plain JSON) before validation. */
	file(data: Record<string, unknown>): Record<string, unknown>;
}

/** Empty at version 1; append `{ from: 1, doc, file }` with the next layout change. */
export const JOURNEY_MIGRATIONS: readonly JourneyMigration[] = [];

export type MigrationResult = 'empty' | 'current' | 'migrated' | 'newer';

/**
 * Brings a document to `target`. Returns 'newer' when the document was written by a later version of
 * Parcours (open it read-only), 'empty' when it has no journey yet.
 */
export function migrateJourneyDoc(
	doc: Y.Doc,
	migrations: readonly JourneyMigration[] = JOURNEY_MIGRATIONS,
	target = CURRENT_SCHEMA_VERSION,
	origin: unknown = 'migration'
): MigrationResult {
	const info = doc.getMap('journey');
	const version = info.get('schemaVersion');
	if (typeof version !== 'number') return 'empty';
	if (version > target) return 'newer';
	if (version === target) return 'current';
	doc.transact(() => {
		for (let v = version; v < target; v++) {
			const m = migrations.find((x) => x.from === v);
			if (!m) throw new Error(`No journey migration from schema version ${v}`);
			m.doc(doc);
			info.set('schemaVersion', v + 1);
		}
	}, origin);
	return 'migrated';
}

/**
 * The same for a document held as an encoded update (the collab server keeps no Y.Doc): returns the
 * update the migrations made, or null. With no migration registered it returns at once, without decoding.
 */
export function migrateJourneyState(
	state: Uint8Array,
	migrations: readonly JourneyMigration[] = JOURNEY_MIGRATIONS,
	target = CURRENT_SCHEMA_VERSION
): Uint8Array | null {
	if (!migrations.some((m) => m.from < target)) return null;
	const doc = new Y.Doc();
	Y.applyUpdate(doc, state);
	const changes: Uint8Array[] = [];
	doc.on('update', (u: Uint8Array) => changes.push(u));
	migrateJourneyDoc(doc, migrations, target);
	doc.destroy();
	return changes.length === 0 ? null : Y.mergeUpdates(changes);
}

/** Same for a parsed file; returns the data at `target`. */
export function migrateJourneyFile(
	data: Record<string, unknown>,
	version: number,
	migrations: readonly JourneyMigration[] = JOURNEY_MIGRATIONS,
	target = CURRENT_SCHEMA_VERSION
): Record<string, unknown> {
	let out = data;
	for (let v = version; v < target; v++) {
		const m = migrations.find((x) => x.from === v);
		if (!m) throw new Error(`No journey migration from schema version ${v}`);
		out = m.file(out);
	}
	return out;
}
