/**
 * Journey records and their life cycle (create from a template, rename, duplicate, archive, delete).
 * The map itself is the journey's collaborative document, stored by the collab store.
 */
import { and, asc, eq, isNotNull, isNull, sql } from 'drizzle-orm';
import * as Y from 'yjs';
import {
	createJourneyDoc,
	createJourneyFromTemplate,
	exportJourney,
	JourneyImportError,
	openJourney,
	TEMPLATES,
	type JourneyFile,
	type JourneySnapshot,
	type TemplateId
} from '../journey';
import { translate, type Locale } from '../i18n';
import { requireAccess, type Actor } from './access';
import { createCollabStore } from './collab-store';
import type { Db } from './db';
import { journey, journeyDaily, touchpointDaily } from './db/schema';
import { AppError, forbidden, invalid, notFound } from './errors';
import { emit } from './events';
import { requireText } from './validate';

export const MAX_JOURNEY_TITLE = 200;
export const MAX_JOURNEY_DESCRIPTION = 5000;

export function isTemplateId(value: unknown): value is TemplateId {
	return TEMPLATES.some((t) => t.id === value);
}

export async function listJourneys(db: Db, actor: Actor, workspaceId: string, archived = false) {
	await requireAccess(db, actor, 'journey:read', { workspaceId });
	return db
		.select()
		.from(journey)
		.where(
			and(
				eq(journey.workspaceId, workspaceId),
				archived ? isNotNull(journey.archivedAt) : isNull(journey.archivedAt)
			)
		)
		.orderBy(asc(journey.title));
}

export async function getJourney(db: Db, actor: Actor, journeyId: string) {
	const access = await requireAccess(db, actor, 'journey:read', { journeyId });
	const rows = await db.select().from(journey).where(eq(journey.id, journeyId));
	if (!rows[0]) throw notFound();
	return { journey: rows[0], role: access.role };
}

/** The record and the first state of its map, together or not at all; `then` runs in the same transaction. */
function insertJourney(
	db: Db,
	values: typeof journey.$inferInsert,
	state: Uint8Array | null,
	then?: (tx: Db, row: typeof journey.$inferSelect) => Promise<void>
) {
	return db.transaction(async (tx) => {
		const [row] = await tx.insert(journey).values(values).returning();
		if (state) await createCollabStore(tx as unknown as Db).saveInitialState(row.id, state);
		if (then) await then(tx as unknown as Db, row);
		return row;
	});
}

export async function createJourney(
	db: Db,
	actor: Actor,
	workspaceId: string,
	input: { title: unknown; description?: unknown; template?: unknown; locale?: Locale }
) {
	await requireAccess(db, actor, 'journey:create', { workspaceId });
	const title = requireText('title', input.title, MAX_JOURNEY_TITLE);
	const description = requireText('description', input.description, MAX_JOURNEY_DESCRIPTION, true);
	const template = input.template === undefined || input.template === '' ? 'blank' : input.template;
	if (!isTemplateId(template)) throw invalid('template', 'error.badRequest');

	const doc = new Y.Doc();
	createJourneyFromTemplate(doc, template, input.locale ?? 'en', { title, owner: actor!.id });
	const state = Y.encodeStateAsUpdate(doc);
	doc.destroy();

	return insertJourney(db, { workspaceId, title, description, createdBy: actor!.id }, state);
}

export async function renameJourney(db: Db, actor: Actor, journeyId: string, title: unknown) {
	await requireAccess(db, actor, 'journey:edit', { journeyId });
	const clean = requireText('title', title, MAX_JOURNEY_TITLE);
	await db.update(journey).set({ title: clean, updatedAt: new Date() }).where(eq(journey.id, journeyId));
}

/**
 * Copies the journey's stored map into a new journey of the same workspace; the touchpoints keep their
 * ids. With `withFeedback`, the copy also starts from the original's feedback scores: its daily sums are
 * copied, so its live scores equal the original's at the time of the copy. The items themselves stay
 * linked to the original only (the inbox lists and counts each once); feedback that arrives later counts
 * on the journey it is sent to.
 */
export async function duplicateJourney(
	db: Db,
	actor: Actor,
	journeyId: string,
	locale: Locale,
	options: { withFeedback?: boolean } = {}
) {
	const { workspaceId } = await requireAccess(db, actor, 'journey:create', { journeyId });
	const [source] = await db.select().from(journey).where(eq(journey.id, journeyId));
	if (!source) throw notFound();
	const store = createCollabStore(db);
	const state = await store.loadDocument(journeyId);
	const title = translate(locale, 'journeys.copyOf', { title: source.title }).slice(0, MAX_JOURNEY_TITLE);
	const copyScores = options.withFeedback
		? async (tx: Db, row: typeof journey.$inferSelect) => {
				await tx.execute(sql`
					insert into ${touchpointDaily}
						(journey_id, touchpoint_id, day, channel, workspace_id, n, score_sum, score_sq, negative, neutral, positive)
					select ${row.id}, touchpoint_id, day, channel, workspace_id, n, score_sum, score_sq, negative, neutral, positive
					from ${touchpointDaily} where journey_id = ${journeyId}`);
				await tx.execute(sql`
					insert into ${journeyDaily} (journey_id, day, workspace_id, n, score_sum, score_sq, negative, neutral, positive)
					select ${row.id}, day, workspace_id, n, score_sum, score_sq, negative, neutral, positive
					from ${journeyDaily} where journey_id = ${journeyId}`);
			}
		: undefined;
	return insertJourney(
		db,
		{ workspaceId, title, description: source.description, createdBy: actor!.id },
		state,
		copyScores
	);
}

export async function setJourneyArchived(db: Db, actor: Actor, journeyId: string, archived: boolean) {
	await requireAccess(db, actor, 'journey:edit', { journeyId });
	await db
		.update(journey)
		.set({ archivedAt: archived ? new Date() : null, updatedAt: new Date() })
		.where(eq(journey.id, journeyId));
}

/** Owners may delete any journey; editors the journeys they created. */
export async function deleteJourney(db: Db, actor: Actor, journeyId: string) {
	const { role } = await requireAccess(db, actor, 'journey:delete', { journeyId });
	const [row] = await db.select().from(journey).where(eq(journey.id, journeyId));
	if (!row) throw notFound();
	if (role !== 'owner' && row.createdBy !== actor!.id) throw forbidden();
	const deleted = await db.delete(journey).where(eq(journey.id, journeyId)).returning({ id: journey.id });
	if (!deleted[0]) throw new AppError(404, 'error.notFound');
	emit('journey:deleted', { journeyId });
}

export const MAX_IMPORT_BYTES = 5 * 1024 * 1024;

/** The journey's stored map as plain objects (no access check: callers check); null when none is stored. */
export async function loadJourneySnapshot(db: Db, journeyId: string): Promise<JourneySnapshot | null> {
	const state = await createCollabStore(db).loadDocument(journeyId);
	if (!state) return null;
	const doc = new Y.Doc();
	try {
		Y.applyUpdate(doc, state);
		return openJourney(doc).snapshot();
	} finally {
		doc.destroy();
	}
}

/** The journey as a versioned JSON file, from its stored map; the title is the journey's own. */
export async function exportJourneyFile(db: Db, actor: Actor, journeyId: string): Promise<JourneyFile> {
	const { journey: row } = await getJourney(db, actor, journeyId);
	const state = await createCollabStore(db).loadDocument(journeyId);
	const doc = new Y.Doc();
	if (state) Y.applyUpdate(doc, state);
	const file = exportJourney(doc);
	doc.destroy();
	return { ...file, journey: { ...file.journey, title: row.title, description: row.description } };
}

/**
 * A journey document from a journey file (a JSON string or the parsed value), through the same validation
 * and schema-version migration as every import. A bad file is a 400 on `file` naming its first problems.
 */
export function journeyDocFromFile(input: unknown): Y.Doc {
	try {
		return createJourneyDoc(input);
	} catch (e) {
		if (e instanceof JourneyImportError) {
			const details = e.issues
				.slice(0, 5)
				.map((i) => `${i.path || '(root)'}: ${i.message}`)
				.join('; ');
			throw invalid('file', 'error.importInvalid', { details });
		}
		throw e;
	}
}

/**
 * Creates a journey from a journey file (an import, a workspace template). The file is validated whole
 * first: a bad file is refused with the path of each problem, and nothing is created. `title` and
 * `owner` replace the file's own.
 */
export async function createJourneyFromFile(
	db: Db,
	actor: Actor,
	workspaceId: string,
	input: unknown,
	options: { locale: Locale; title?: string; owner?: string | null }
) {
	await requireAccess(db, actor, 'journey:create', { workspaceId });
	const doc = journeyDocFromFile(input);
	try {
		const jd = openJourney(doc);
		if (options.title !== undefined) jd.updateJourney({ title: options.title });
		if (options.owner !== undefined) jd.updateJourney({ owner: options.owner });
		const info = jd.snapshot();
		const title = (info.title.trim() || translate(options.locale, 'journeys.imported')).slice(
			0,
			MAX_JOURNEY_TITLE
		);
		const description = info.description.slice(0, MAX_JOURNEY_DESCRIPTION);
		const state = Y.encodeStateAsUpdate(doc);
		return await insertJourney(db, { workspaceId, title, description, createdBy: actor!.id }, state);
	} finally {
		doc.destroy();
	}
}

/** Creates a journey from an exported file (the JSON text a user uploads). */
export function importJourneyFile(db: Db, actor: Actor, workspaceId: string, text: string, locale: Locale) {
	return createJourneyFromFile(db, actor, workspaceId, text, { locale });
}
