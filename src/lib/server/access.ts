/**
 * The one place that answers "may this user do this to this thing?". Every load, action and endpoint
 * calls it before touching data. A thing in a workspace the user is not a member of is reported as not
 * found, so its existence is not revealed.
 */
import { and, eq } from 'drizzle-orm';
import { roleAllows, type Action, type Role } from '../access/roles';
import type { Db } from './db';
import { journey, membership } from './db/schema';
import { forbidden, notFound, unauthenticated } from './errors';

export type Actor = { id: string } | null;

export type Target = { workspaceId: string } | { journeyId: string };

export interface Access {
	workspaceId: string;
	role: Role;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True when `id` can be a database id; anything else is answered 404 without a query. */
export function isId(id: unknown): id is string {
	return typeof id === 'string' && UUID.test(id);
}

export async function roleIn(db: Db, userId: string, workspaceId: string): Promise<Role | null> {
	const rows = await db
		.select({ role: membership.role })
		.from(membership)
		.where(and(eq(membership.workspaceId, workspaceId), eq(membership.userId, userId)));
	return rows[0]?.role ?? null;
}

async function workspaceOf(db: Db, target: Target): Promise<string | null> {
	if ('workspaceId' in target) return isId(target.workspaceId) ? target.workspaceId : null;
	if (!isId(target.journeyId)) return null;
	const rows = await db
		.select({ workspaceId: journey.workspaceId })
		.from(journey)
		.where(eq(journey.id, target.journeyId));
	return rows[0]?.workspaceId ?? null;
}

export async function requireAccess(db: Db, actor: Actor, action: Action, target: Target): Promise<Access> {
	if (!actor) throw unauthenticated();
	const workspaceId = await workspaceOf(db, target);
	if (!workspaceId) throw notFound();
	const role = await roleIn(db, actor.id, workspaceId);
	if (!role) throw notFound();
	if (!roleAllows(role, action)) throw forbidden();
	return { workspaceId, role };
}

/** Same question, answered yes/no: for showing or hiding controls. */
export async function can(db: Db, actor: Actor, action: Action, target: Target): Promise<boolean> {
	try {
		await requireAccess(db, actor, action, target);
		return true;
	} catch {
		return false;
	}
}
