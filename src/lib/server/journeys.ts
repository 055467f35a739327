/** Journey records (the map itself lives in its collaborative document). */
import { and, asc, eq, isNull } from 'drizzle-orm';
import { requireAccess, type Actor } from './access';
import type { Db } from './db';
import { journey } from './db/schema';
import { requireText } from './validate';

export const MAX_JOURNEY_TITLE = 200;

export async function listJourneys(db: Db, actor: Actor, workspaceId: string) {
	await requireAccess(db, actor, 'journey:read', { workspaceId });
	return db
		.select()
		.from(journey)
		.where(and(eq(journey.workspaceId, workspaceId), isNull(journey.archivedAt)))
		.orderBy(asc(journey.title));
}

export async function createJourney(
	db: Db,
	actor: Actor,
	workspaceId: string,
	input: { title: unknown; description?: unknown }
) {
	await requireAccess(db, actor, 'journey:create', { workspaceId });
	const title = requireText('title', input.title, MAX_JOURNEY_TITLE);
	const description = requireText('description', input.description, 5000, true);
	const [row] = await db
		.insert(journey)
		.values({ workspaceId, title, description, createdBy: actor!.id })
		.returning();
	return row;
}
