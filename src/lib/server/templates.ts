/**
 * Workspace templates: a journey saved as a starting point for the workspace's new journeys. A template
 * holds a journey file (`parcours.journey`), so starting from it goes through the same validation and
 * schema-version migration as an import, and a template saved by an older Parcours still opens.
 */
import { and, count, desc, eq, sql } from 'drizzle-orm';
import type { Locale } from '../i18n';
import { isId, requireAccess, type Actor } from './access';
import type { Db } from './db';
import { journeyTemplate, workspace } from './db/schema';
import { AppError } from './errors';
import {
	createJourneyFromFile,
	exportJourneyFile,
	journeyDocFromFile,
	MAX_JOURNEY_DESCRIPTION,
	MAX_JOURNEY_TITLE
} from './journeys';
import { requireText } from './validate';

export const MAX_TEMPLATE_NAME = 200;
/** Each template holds a whole map (up to a few MB): the limit keeps a workspace's templates bounded. */
export const MAX_TEMPLATES_PER_WORKSPACE = 200;

export interface TemplateSummary {
	id: string;
	name: string;
	description: string;
	sourceJourneyId: string | null;
	createdBy: string | null;
	createdAt: Date;
	stageCount: number;
	touchpointCount: number;
}

function summary(row: typeof journeyTemplate.$inferSelect): TemplateSummary {
	const file = row.file as { journey?: { stages?: { touchpoints?: unknown[] }[] } };
	const stages = Array.isArray(file.journey?.stages) ? file.journey.stages : [];
	return {
		id: row.id,
		name: row.name,
		description: row.description,
		sourceJourneyId: row.sourceJourneyId,
		createdBy: row.createdBy,
		createdAt: row.createdAt,
		stageCount: stages.length,
		touchpointCount: stages.reduce((n, s) => n + (Array.isArray(s.touchpoints) ? s.touchpoints.length : 0), 0)
	};
}

/** The workspace's templates, newest first. */
export async function listTemplates(db: Db, actor: Actor, workspaceId: string): Promise<TemplateSummary[]> {
	await requireAccess(db, actor, 'journey:read', { workspaceId });
	const rows = await db
		.select()
		.from(journeyTemplate)
		.where(eq(journeyTemplate.workspaceId, workspaceId))
		.orderBy(desc(journeyTemplate.createdAt), desc(journeyTemplate.id));
	return rows.map(summary);
}

/** A template of this workspace; one of another workspace is not found, like a missing one. */
async function templateIn(db: Db, workspaceId: string, templateId: string, field?: string) {
	const notFound = () => new AppError(404, 'error.notFound', {}, field);
	if (!isId(templateId)) throw notFound();
	const [row] = await db
		.select()
		.from(journeyTemplate)
		.where(and(eq(journeyTemplate.id, templateId), eq(journeyTemplate.workspaceId, workspaceId)));
	if (!row) throw notFound();
	return row;
}

/**
 * Saves the journey's current stored map as a template of its workspace. The name defaults to the
 * journey's title; the description to the journey's.
 */
export async function saveJourneyAsTemplate(
	db: Db,
	actor: Actor,
	journeyId: string,
	input: { name?: unknown; description?: unknown } = {}
): Promise<TemplateSummary> {
	const { workspaceId } = await requireAccess(db, actor, 'template:manage', { journeyId });
	const file = await exportJourneyFile(db, actor, journeyId);
	const name =
		input.name === undefined || input.name === ''
			? file.journey.title.slice(0, MAX_TEMPLATE_NAME)
			: requireText('name', input.name, MAX_TEMPLATE_NAME);
	const description =
		input.description === undefined
			? file.journey.description
			: requireText('description', input.description, MAX_JOURNEY_DESCRIPTION, true);
	// What is stored must open again: the same check as an import, before anything is written.
	journeyDocFromFile(file).destroy();

	return db.transaction(async (tx) => {
		// Two saves at once must not both pass the limit: they queue on the workspace row.
		await tx.execute(sql`select id from ${workspace} where id = ${workspaceId} for update`);
		const [{ n }] = await tx
			.select({ n: count() })
			.from(journeyTemplate)
			.where(eq(journeyTemplate.workspaceId, workspaceId));
		if (n >= MAX_TEMPLATES_PER_WORKSPACE) {
			throw new AppError(409, 'templates.error.limit', { max: MAX_TEMPLATES_PER_WORKSPACE });
		}
		const [row] = await tx
			.insert(journeyTemplate)
			.values({ workspaceId, name, description, file, sourceJourneyId: journeyId, createdBy: actor!.id })
			.returning();
		return summary(row);
	});
}

export async function renameTemplate(
	db: Db,
	actor: Actor,
	workspaceId: string,
	templateId: string,
	name: unknown
): Promise<void> {
	await requireAccess(db, actor, 'template:manage', { workspaceId });
	const clean = requireText('name', name, MAX_TEMPLATE_NAME);
	await templateIn(db, workspaceId, templateId);
	await db
		.update(journeyTemplate)
		.set({ name: clean })
		.where(and(eq(journeyTemplate.id, templateId), eq(journeyTemplate.workspaceId, workspaceId)));
}

export async function deleteTemplate(db: Db, actor: Actor, workspaceId: string, templateId: string) {
	await requireAccess(db, actor, 'template:manage', { workspaceId });
	await templateIn(db, workspaceId, templateId);
	await db
		.delete(journeyTemplate)
		.where(and(eq(journeyTemplate.id, templateId), eq(journeyTemplate.workspaceId, workspaceId)));
}

/** How the new-journey form names a workspace template (built-in templates are named by their id). */
export const WORKSPACE_TEMPLATE_PREFIX = 'workspace:';

/** A new journey titled `title` whose map is the template's. */
export async function createJourneyFromWorkspaceTemplate(
	db: Db,
	actor: Actor,
	workspaceId: string,
	templateId: string,
	input: { title: unknown; locale: Locale }
) {
	await requireAccess(db, actor, 'journey:create', { workspaceId });
	const title = requireText('title', input.title, MAX_JOURNEY_TITLE);
	const row = await templateIn(db, workspaceId, templateId, 'template');
	// Like a built-in template, the new journey is owned by whoever starts it.
	return createJourneyFromFile(db, actor, workspaceId, row.file, {
		locale: input.locale,
		title,
		owner: actor!.id
	});
}
