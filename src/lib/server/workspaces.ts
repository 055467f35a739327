/** Workspaces, their members and roles. Every function checks access first. */
import { and, asc, count, eq, sql } from 'drizzle-orm';
import type { Role } from '../access/roles';
import { requireAccess, isId, type Actor } from './access';
import type { Db } from './db';
import { journey, membership, user, workspace } from './db/schema';
import { AppError, notFound } from './errors';
import { emit } from './events';
import { requireRole, requireText } from './validate';

export interface WorkspaceSummary {
	id: string;
	name: string;
	role: Role;
}

export async function createWorkspace(db: Db, actor: Actor, name: unknown): Promise<WorkspaceSummary> {
	if (!actor) throw new AppError(401, 'error.unauthenticated');
	const clean = requireText('name', name);
	return db.transaction(async (tx) => {
		const [ws] = await tx.insert(workspace).values({ name: clean }).returning();
		await tx.insert(membership).values({ workspaceId: ws.id, userId: actor.id, role: 'owner' });
		return { id: ws.id, name: ws.name, role: 'owner' as const };
	});
}

export async function listWorkspaces(db: Db, actor: Actor): Promise<WorkspaceSummary[]> {
	if (!actor) return [];
	return db
		.select({ id: workspace.id, name: workspace.name, role: membership.role })
		.from(membership)
		.innerJoin(workspace, eq(workspace.id, membership.workspaceId))
		.where(eq(membership.userId, actor.id))
		.orderBy(asc(workspace.name), asc(workspace.createdAt));
}

export async function getWorkspace(db: Db, actor: Actor, workspaceId: string): Promise<WorkspaceSummary> {
	const { role } = await requireAccess(db, actor, 'workspace:read', { workspaceId });
	const rows = await db.select().from(workspace).where(eq(workspace.id, workspaceId));
	if (!rows[0]) throw notFound();
	return { id: rows[0].id, name: rows[0].name, role };
}

export async function renameWorkspace(
	db: Db,
	actor: Actor,
	workspaceId: string,
	name: unknown
): Promise<void> {
	await requireAccess(db, actor, 'workspace:manage', { workspaceId });
	const clean = requireText('name', name);
	await db.update(workspace).set({ name: clean }).where(eq(workspace.id, workspaceId));
}

export interface Member {
	userId: string;
	name: string;
	email: string;
	role: Role;
	since: Date;
}

export async function listMembers(db: Db, actor: Actor, workspaceId: string): Promise<Member[]> {
	await requireAccess(db, actor, 'workspace:read', { workspaceId });
	return db
		.select({
			userId: user.id,
			name: user.name,
			email: user.email,
			role: membership.role,
			since: membership.createdAt
		})
		.from(membership)
		.innerJoin(user, eq(user.id, membership.userId))
		.where(eq(membership.workspaceId, workspaceId))
		.orderBy(asc(user.name));
}

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/**
 * Runs a membership change with the workspace row locked, so two owners demoting each other at the same
 * moment cannot leave the workspace without an owner.
 */
async function withMembershipLock<T>(db: Db, workspaceId: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
	return db.transaction(async (tx) => {
		await tx.execute(sql`select id from ${workspace} where id = ${workspaceId} for update`);
		return fn(tx);
	});
}

async function ownersOtherThan(tx: Tx, workspaceId: string, userId: string): Promise<number> {
	const [{ n }] = await tx
		.select({ n: count() })
		.from(membership)
		.where(
			and(
				eq(membership.workspaceId, workspaceId),
				eq(membership.role, 'owner'),
				sql`${membership.userId} <> ${userId}`
			)
		);
	return n;
}

async function targetMembership(tx: Tx, workspaceId: string, userId: unknown) {
	if (!isId(userId)) throw notFound();
	const rows = await tx
		.select()
		.from(membership)
		.where(and(eq(membership.workspaceId, workspaceId), eq(membership.userId, userId)));
	if (!rows[0]) throw notFound();
	return rows[0];
}

export async function changeRole(
	db: Db,
	actor: Actor,
	workspaceId: string,
	userId: unknown,
	newRole: unknown
): Promise<void> {
	await requireAccess(db, actor, 'member:manage', { workspaceId });
	const role = requireRole('role', newRole);
	await withMembershipLock(db, workspaceId, async (tx) => {
		const m = await targetMembership(tx, workspaceId, userId);
		if (m.role === 'owner' && role !== 'owner' && (await ownersOtherThan(tx, workspaceId, m.userId)) === 0) {
			throw new AppError(409, 'error.lastOwner', {}, 'role');
		}
		await tx
			.update(membership)
			.set({ role })
			.where(and(eq(membership.workspaceId, workspaceId), eq(membership.userId, m.userId)));
		return m.userId;
	}).then((changed) => emit('access:changed', { workspaceId, userId: changed }));
}

export async function removeMember(
	db: Db,
	actor: Actor,
	workspaceId: string,
	userId: unknown
): Promise<void> {
	await requireAccess(db, actor, 'member:manage', { workspaceId });
	await withMembershipLock(db, workspaceId, async (tx) => {
		const m = await targetMembership(tx, workspaceId, userId);
		if (m.role === 'owner' && (await ownersOtherThan(tx, workspaceId, m.userId)) === 0) {
			throw new AppError(409, 'error.lastOwner');
		}
		await tx
			.delete(membership)
			.where(and(eq(membership.workspaceId, workspaceId), eq(membership.userId, m.userId)));
		return m.userId;
	}).then((removed) => emit('access:changed', { workspaceId, userId: removed }));
}

export async function leaveWorkspace(db: Db, actor: Actor, workspaceId: string): Promise<void> {
	const { role } = await requireAccess(db, actor, 'workspace:read', { workspaceId });
	await withMembershipLock(db, workspaceId, async (tx) => {
		if (role === 'owner' && (await ownersOtherThan(tx, workspaceId, actor!.id)) === 0) {
			throw new AppError(409, 'error.lastOwner');
		}
		await tx
			.delete(membership)
			.where(and(eq(membership.workspaceId, workspaceId), eq(membership.userId, actor!.id)));
	});
	emit('access:changed', { workspaceId, userId: actor!.id });
}

/**
 * Deletes a workspace with everything in it. The owner types its name to confirm; members lose access
 * at once (their collaboration sockets are closed).
 */
export async function deleteWorkspace(db: Db, actor: Actor, workspaceId: string, confirmName: unknown) {
	await requireAccess(db, actor, 'workspace:delete', { workspaceId });
	const rows = await db.select().from(workspace).where(eq(workspace.id, workspaceId));
	if (!rows[0]) throw notFound();
	if (typeof confirmName !== 'string' || confirmName.trim() !== rows[0].name) {
		throw new AppError(400, 'error.workspaceNameMismatch', {}, 'confirm');
	}
	const members = await db
		.select({ userId: membership.userId })
		.from(membership)
		.where(eq(membership.workspaceId, workspaceId));
	const journeys = await db
		.select({ id: journey.id })
		.from(journey)
		.where(eq(journey.workspaceId, workspaceId));
	await db.delete(workspace).where(eq(workspace.id, workspaceId));
	for (const j of journeys) emit('journey:deleted', { journeyId: j.id });
	for (const m of members) emit('access:changed', { workspaceId, userId: m.userId });
}
