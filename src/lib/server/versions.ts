/**
 * Journey version history: automatic versions (taken by the collaboration server), named versions,
 * viewing, comparing and restoring. The live document lives in the collaboration server (the process's
 * server entry); this module reaches it through `LiveDocuments`, registered on `globalThis` by
 * `server/upgrade.ts`, and falls back to the stored document when no collaboration server runs.
 */
import { and, desc, eq } from 'drizzle-orm';
import * as Y from 'yjs';
import { migrateJourneyState } from '../journey';
import {
	compareWithCurrent,
	restoreUpdate,
	sameContent,
	snapshotOf,
	versionsToDelete,
	type JourneyDiff
} from '../versions';
import { parseKeepCount } from '../versions/retention';
import type { Action } from '../access/roles';
import { requireAccess, isId, type Actor } from './access';
import { createCollabStore } from './collab-store';
import type { Db } from './db';
import { journey, journeyVersion, user, workspace, type JourneyVersion } from './db/schema';
import { AppError, invalid, notFound } from './errors';

export const MAX_VERSION_NAME = 120;

/** A journey as the URL names it: it must be in that workspace, or it is not found. */
export interface JourneyRef {
	workspaceId: string;
	journeyId: string;
}

/** Checks access to a journey's versions; routes call it before reading a request body. */
export async function allow(db: Db, actor: Actor, action: Action, ref: JourneyRef) {
	const access = await requireAccess(db, actor, action, { journeyId: ref.journeyId });
	if (access.workspaceId !== ref.workspaceId) throw notFound();
	return access;
}

/** What the version routes need from the collaboration server (`CollabServer` fits). */
export interface LiveDocuments {
	currentState(journeyId: string): Promise<Uint8Array | null>;
	updateDocument(
		journeyId: string,
		change: (state: Uint8Array) => Uint8Array | null
	): Promise<{ before: Uint8Array; update: Uint8Array | null }>;
}

const KEY = Symbol.for('parcours.live-documents');
type Holder = { [KEY]?: () => Promise<LiveDocuments> };

/** Called by the server entry: how to reach the live documents of this process. */
export function setLiveDocuments(provider: (() => Promise<LiveDocuments>) | null): void {
	const holder = globalThis as Holder;
	if (provider) holder[KEY] = provider;
	else delete holder[KEY];
}

/** The stored documents, for a process without a collaboration server (scripts, some tests). */
function storedDocuments(db: Db): LiveDocuments {
	const store = createCollabStore(db);
	const current = async (journeyId: string) => {
		const state = await store.loadDocument(journeyId);
		if (!state) return null;
		const change = migrateJourneyState(state);
		return change ? Y.mergeUpdates([state, change]) : state;
	};
	return {
		currentState: current,
		async updateDocument(journeyId, change) {
			const before = (await current(journeyId)) ?? Y.encodeStateAsUpdate(new Y.Doc());
			const update = change(before);
			if (update) await store.appendUpdate(journeyId, update);
			return { before, update };
		}
	};
}

async function liveDocuments(db: Db): Promise<LiveDocuments> {
	const provider = (globalThis as Holder)[KEY];
	return provider ? provider() : storedDocuments(db);
}

export interface VersionSummary {
	id: string;
	kind: JourneyVersion['kind'];
	name: string | null;
	stageCount: number;
	touchpointCount: number;
	createdAt: Date;
	createdBy: { id: string; name: string } | null;
}

function counts(state: Uint8Array) {
	const snap = snapshotOf(state);
	return { stageCount: snap.stages.length, touchpointCount: snap.touchpoints.length };
}

async function insertVersion(
	db: Db,
	journeyId: string,
	kind: JourneyVersion['kind'],
	state: Uint8Array,
	createdBy: string | null,
	name: string | null = null
): Promise<string> {
	const [row] = await db
		.insert(journeyVersion)
		.values({ journeyId, kind, name, data: state, createdBy, ...counts(state) })
		.returning({ id: journeyVersion.id });
	return row.id;
}

/** Deletes the server-made versions over the workspace's limit (named versions are kept). */
async function applyRetention(db: Db, journeyId: string): Promise<void> {
	const [ws] = await db
		.select({ keep: workspace.autoVersionsKept })
		.from(journey)
		.innerJoin(workspace, eq(workspace.id, journey.workspaceId))
		.where(eq(journey.id, journeyId));
	if (!ws) return;
	const rows = await db
		.select({ id: journeyVersion.id, kind: journeyVersion.kind, createdAt: journeyVersion.createdAt })
		.from(journeyVersion)
		.where(eq(journeyVersion.journeyId, journeyId));
	for (const id of versionsToDelete(rows, ws.keep)) {
		await db.delete(journeyVersion).where(eq(journeyVersion.id, id));
	}
}

/**
 * Keeps `state` as an automatic version unless the journey's newest version already shows the same
 * content; then applies retention. Called by the collaboration server. True when a version was kept.
 */
export async function saveAutoVersion(
	db: Db,
	journeyId: string,
	state: Uint8Array,
	editorId: string | null
): Promise<boolean> {
	const [latest] = await db
		.select({ data: journeyVersion.data })
		.from(journeyVersion)
		.where(eq(journeyVersion.journeyId, journeyId))
		.orderBy(desc(journeyVersion.createdAt))
		.limit(1);
	if (latest && sameContent(snapshotOf(latest.data), snapshotOf(state))) return false;
	const [exists] = await db.select({ id: journey.id }).from(journey).where(eq(journey.id, journeyId));
	// A journey deleted while it was edited has nowhere to keep versions.
	if (!exists) return false;
	await insertVersion(db, journeyId, 'auto', state, editorId);
	await applyRetention(db, journeyId);
	return true;
}

export async function listVersions(db: Db, actor: Actor, ref: JourneyRef): Promise<VersionSummary[]> {
	await allow(db, actor, 'journey:read', ref);
	const rows = await db
		.select({
			id: journeyVersion.id,
			kind: journeyVersion.kind,
			name: journeyVersion.name,
			stageCount: journeyVersion.stageCount,
			touchpointCount: journeyVersion.touchpointCount,
			createdAt: journeyVersion.createdAt,
			userId: user.id,
			userName: user.name
		})
		.from(journeyVersion)
		.leftJoin(user, eq(user.id, journeyVersion.createdBy))
		.where(eq(journeyVersion.journeyId, ref.journeyId))
		.orderBy(desc(journeyVersion.createdAt));
	return rows.map(({ userId, userName, ...v }) => ({
		...v,
		createdBy: userId ? { id: userId, name: userName ?? '' } : null
	}));
}

function readName(value: unknown): string {
	const name = typeof value === 'string' ? value.trim() : '';
	if (!name) throw invalid('name', 'versions.error.nameRequired');
	if (name.length > MAX_VERSION_NAME)
		throw invalid('name', 'versions.error.nameTooLong', { max: MAX_VERSION_NAME });
	return name;
}

/** Names the current state (the live room's when loaded, else the stored one). */
export async function createNamedVersion(
	db: Db,
	actor: Actor,
	ref: JourneyRef,
	name: unknown
): Promise<VersionSummary> {
	const { journeyId } = ref;
	await allow(db, actor, 'version:create', ref);
	const clean = readName(name);
	const state =
		(await (await liveDocuments(db)).currentState(journeyId)) ?? Y.encodeStateAsUpdate(new Y.Doc());
	const id = await insertVersion(db, journeyId, 'named', state, actor!.id, clean);
	return (await listVersions(db, actor, ref)).find((v) => v.id === id)!;
}

async function findVersion(db: Db, journeyId: string, versionId: string): Promise<JourneyVersion> {
	if (!isId(versionId)) throw notFound();
	const [row] = await db
		.select()
		.from(journeyVersion)
		.where(and(eq(journeyVersion.id, versionId), eq(journeyVersion.journeyId, journeyId)));
	if (!row) throw notFound();
	return row;
}

/** Renames a named version (an automatic one gets a name, and is then kept like a named one). */
export async function renameVersion(
	db: Db,
	actor: Actor,
	ref: JourneyRef,
	versionId: string,
	name: unknown
): Promise<void> {
	const { journeyId } = ref;
	await allow(db, actor, 'version:create', ref);
	const clean = readName(name);
	await findVersion(db, journeyId, versionId);
	await db.update(journeyVersion).set({ name: clean, kind: 'named' }).where(eq(journeyVersion.id, versionId));
}

/** Deletes a named version; server-made ones go by retention only. */
export async function deleteVersion(db: Db, actor: Actor, ref: JourneyRef, versionId: string): Promise<void> {
	const { journeyId } = ref;
	await allow(db, actor, 'version:create', ref);
	const row = await findVersion(db, journeyId, versionId);
	if (row.kind !== 'named') throw new AppError(409, 'versions.error.onlyNamedDeleted');
	await db.delete(journeyVersion).where(eq(journeyVersion.id, versionId));
}

export interface VersionView {
	version: VersionSummary;
	/** The version's document state (read-only on the canvas). */
	state: Uint8Array;
}

export async function viewVersion(
	db: Db,
	actor: Actor,
	ref: JourneyRef,
	versionId: string
): Promise<VersionView> {
	const { journeyId } = ref;
	await allow(db, actor, 'journey:read', ref);
	const row = await findVersion(db, journeyId, versionId);
	const version = (await listVersions(db, actor, ref)).find((v) => v.id === versionId)!;
	return { version, state: row.data };
}

export interface VersionComparison extends VersionView {
	diff: JourneyDiff;
	/** The current map with the touchpoints the version had and the map lost put back, to ghost them. */
	state: Uint8Array;
}

export async function compareVersion(
	db: Db,
	actor: Actor,
	ref: JourneyRef,
	versionId: string
): Promise<VersionComparison> {
	const view = await viewVersion(db, actor, ref, versionId);
	const current =
		(await (await liveDocuments(db)).currentState(ref.journeyId)) ?? Y.encodeStateAsUpdate(new Y.Doc());
	const { diff, state } = compareWithCurrent(view.state, current);
	return { version: view.version, diff, state };
}

/**
 * Makes a version the current state for everyone: the current state is kept first as a
 * `before-restore` version (restoring that one undoes the restore), then a new update whose result has
 * the version's content is applied to the live document. Returns the before-restore version's id, or
 * null when the map already showed that content.
 */
export async function restoreVersion(
	db: Db,
	actor: Actor,
	ref: JourneyRef,
	versionId: string
): Promise<string | null> {
	const { journeyId } = ref;
	await allow(db, actor, 'version:restore', ref);
	const [j] = await db
		.select({ archivedAt: journey.archivedAt })
		.from(journey)
		.where(eq(journey.id, journeyId));
	if (j?.archivedAt) throw new AppError(409, 'versions.error.archived');
	const row = await findVersion(db, journeyId, versionId);
	const live = await liveDocuments(db);
	const current = (await live.currentState(journeyId)) ?? Y.encodeStateAsUpdate(new Y.Doc());
	if (!restoreUpdate(current, row.data)) return null;
	const keptId = await insertVersion(db, journeyId, 'before-restore', current, actor!.id);
	const { before, update } = await live.updateDocument(journeyId, (state) => restoreUpdate(state, row.data));
	// Edits that arrived while the copy was written belong in it too.
	if (update && !sameContent(snapshotOf(before), snapshotOf(current))) {
		await db
			.update(journeyVersion)
			.set({ data: before, ...counts(before) })
			.where(eq(journeyVersion.id, keptId));
	}
	await applyRetention(db, journeyId);
	return keptId;
}

export async function getAutoVersionsKept(db: Db, actor: Actor, workspaceId: string): Promise<number> {
	await requireAccess(db, actor, 'workspace:read', { workspaceId });
	const [row] = await db
		.select({ keep: workspace.autoVersionsKept })
		.from(workspace)
		.where(eq(workspace.id, workspaceId));
	if (!row) throw notFound();
	return row.keep;
}

/** The workspace's number of automatic versions kept per journey (owners only). */
export async function setAutoVersionsKept(
	db: Db,
	actor: Actor,
	workspaceId: string,
	value: unknown
): Promise<number> {
	await requireAccess(db, actor, 'workspace:manage', { workspaceId });
	const keep = parseKeepCount(value);
	if (keep === null) throw invalid('autoVersionsKept', 'versions.error.keepRange', { min: 1, max: 1000 });
	await db.update(workspace).set({ autoVersionsKept: keep }).where(eq(workspace.id, workspaceId));
	return keep;
}
