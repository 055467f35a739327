/**
 * Database persistence of collaborative journey documents: each update is appended to
 * `journey_update`; once a journey has more than `compactAfter` of them they are merged into
 * `journey_snapshot` in one transaction. Works with PGlite and PostgreSQL, with several processes.
 */
import { asc, count, eq, sql } from 'drizzle-orm';
import * as Y from 'yjs';
import type { Db } from './db';
import { journeySnapshot, journeyUpdate } from './db/schema';

export interface CollabStoreOptions {
	/** Compact when a journey has more stored updates than this. Default 200. */
	compactAfter?: number;
}

/** Satisfies `CollabPersistence` of `server/collab`. */
export interface CollabStore {
	loadDocument(journeyId: string): Promise<Uint8Array | null>;
	appendUpdate(journeyId: string, update: Uint8Array): Promise<void>;
	compact(journeyId: string, snapshot?: Uint8Array): Promise<void>;
	/** Stores the first state of a new journey (e.g. from a template). */
	saveInitialState(journeyId: string, state: Uint8Array): Promise<void>;
	/** Number of stored updates not yet compacted (for tests and monitoring). */
	pendingUpdates(journeyId: string): Promise<number>;
}

export function createCollabStore(db: Db, options: CollabStoreOptions = {}): CollabStore {
	const compactAfter = options.compactAfter ?? 200;
	/** Stored updates per journey since its last compaction, as far as this process knows. */
	const counts = new Map<string, number>();

	async function pendingUpdates(journeyId: string): Promise<number> {
		const [row] = await db
			.select({ n: count() })
			.from(journeyUpdate)
			.where(eq(journeyUpdate.journeyId, journeyId));
		return Number(row?.n ?? 0);
	}

	async function compact(journeyId: string, snapshot?: Uint8Array): Promise<void> {
		counts.delete(journeyId);
		await db.transaction(async (tx) => {
			// Two processes compacting one journey take turns; other journeys are not blocked.
			await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`journey:${journeyId}`}, 0))`);
			// Merge exactly the rows this transaction deletes: an update committed meanwhile stays for next time.
			const rows = await tx
				.delete(journeyUpdate)
				.where(eq(journeyUpdate.journeyId, journeyId))
				.returning({ data: journeyUpdate.data });
			const [current] = await tx
				.select({ data: journeySnapshot.data })
				.from(journeySnapshot)
				.where(eq(journeySnapshot.journeyId, journeyId));
			if (rows.length === 0 && !snapshot) return;
			// Applying to a document (rather than mergeUpdates) drops deleted content.
			const doc = new Y.Doc();
			if (current) Y.applyUpdate(doc, current.data);
			for (const r of rows) Y.applyUpdate(doc, r.data);
			if (snapshot) Y.applyUpdate(doc, snapshot);
			const data = Y.encodeStateAsUpdate(doc);
			doc.destroy();
			await tx
				.insert(journeySnapshot)
				.values({ journeyId, data })
				.onConflictDoUpdate({ target: journeySnapshot.journeyId, set: { data, updatedAt: sql`now()` } });
		});
	}

	return {
		async loadDocument(journeyId) {
			// Updates first: a compaction committing between the two reads moves rows into the snapshot,
			// which is then read after it; the other order could miss them.
			const rows = await db
				.select({ data: journeyUpdate.data })
				.from(journeyUpdate)
				.where(eq(journeyUpdate.journeyId, journeyId))
				.orderBy(asc(journeyUpdate.id));
			const [snap] = await db
				.select({ data: journeySnapshot.data })
				.from(journeySnapshot)
				.where(eq(journeySnapshot.journeyId, journeyId));
			const parts = [...(snap ? [snap.data] : []), ...rows.map((r) => r.data)];
			if (parts.length === 0) return null;
			return parts.length === 1 ? parts[0] : Y.mergeUpdates(parts);
		},

		async appendUpdate(journeyId, update) {
			await db.insert(journeyUpdate).values({ journeyId, data: update });
			// Counted here rather than queried at every append; other processes' appends are found by the
			// first count and by the compaction itself, which merges whatever rows exist.
			const n = (counts.get(journeyId) ?? (await pendingUpdates(journeyId)) - 1) + 1;
			if (n > compactAfter) {
				counts.delete(journeyId);
				await compact(journeyId);
			} else {
				counts.set(journeyId, n);
			}
		},

		compact,

		async saveInitialState(journeyId, state) {
			await db.insert(journeyUpdate).values({ journeyId, data: state });
		},

		pendingUpdates
	};
}
