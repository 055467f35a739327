/** Invitation links: single use, expiring, with the role chosen by an owner. Only the hash is stored. */
import { and, desc, eq, gt, isNull } from 'drizzle-orm';
import type { Role } from '../access/roles';
import { isId, requireAccess, roleIn, type Actor } from './access';
import { generateToken, hashToken } from './auth/token';
import type { Db } from './db';
import { invite, membership, workspace } from './db/schema';
import { AppError, notFound, unauthenticated } from './errors';
import { requireRole } from './validate';

export const INVITE_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;

export async function createInvite(
	db: Db,
	actor: Actor,
	workspaceId: string,
	role: unknown,
	now = new Date()
): Promise<{ token: string; expiresAt: Date; role: Role }> {
	await requireAccess(db, actor, 'invite:manage', { workspaceId });
	const r = requireRole('role', role);
	const token = generateToken();
	const expiresAt = new Date(now.getTime() + INVITE_LIFETIME_MS);
	await db.insert(invite).values({
		workspaceId,
		tokenHash: hashToken(token),
		role: r,
		createdBy: actor!.id,
		expiresAt
	});
	return { token, expiresAt, role: r };
}

export async function listPendingInvites(db: Db, actor: Actor, workspaceId: string, now = new Date()) {
	await requireAccess(db, actor, 'invite:manage', { workspaceId });
	return db
		.select({ id: invite.id, role: invite.role, expiresAt: invite.expiresAt, createdAt: invite.createdAt })
		.from(invite)
		.where(
			and(
				eq(invite.workspaceId, workspaceId),
				isNull(invite.usedAt),
				isNull(invite.revokedAt),
				gt(invite.expiresAt, now)
			)
		)
		.orderBy(desc(invite.createdAt));
}

export async function revokeInvite(
	db: Db,
	actor: Actor,
	workspaceId: string,
	inviteId: unknown
): Promise<void> {
	await requireAccess(db, actor, 'invite:manage', { workspaceId });
	if (!isId(inviteId)) throw notFound();
	const rows = await db
		.update(invite)
		.set({ revokedAt: new Date() })
		.where(and(eq(invite.id, inviteId), eq(invite.workspaceId, workspaceId)))
		.returning({ id: invite.id });
	if (!rows[0]) throw notFound();
}

function validTokenShape(token: unknown): token is string {
	return typeof token === 'string' && /^[a-z2-7]{32}$/.test(token);
}

/** What an invitation link offers, for the page that asks to accept it. */
export async function describeInvite(db: Db, token: unknown, now = new Date()) {
	if (!validTokenShape(token)) throw new AppError(404, 'error.inviteInvalid');
	const rows = await db
		.select({ workspaceId: invite.workspaceId, workspaceName: workspace.name, role: invite.role })
		.from(invite)
		.innerJoin(workspace, eq(workspace.id, invite.workspaceId))
		.where(
			and(
				eq(invite.tokenHash, hashToken(token)),
				isNull(invite.usedAt),
				isNull(invite.revokedAt),
				gt(invite.expiresAt, now)
			)
		);
	if (!rows[0]) throw new AppError(404, 'error.inviteInvalid');
	return rows[0];
}

export async function acceptInvite(db: Db, actor: Actor, token: unknown, now = new Date()) {
	if (!actor) throw unauthenticated();
	const offer = await describeInvite(db, token, now);
	if (await roleIn(db, actor.id, offer.workspaceId)) throw new AppError(409, 'error.alreadyMember');
	return db.transaction(async (tx) => {
		// Claiming the invite and checking it is still unused is one statement: a link works once.
		const claimed = await tx
			.update(invite)
			.set({ usedAt: now, usedBy: actor.id })
			.where(
				and(
					eq(invite.tokenHash, hashToken(token as string)),
					isNull(invite.usedAt),
					isNull(invite.revokedAt),
					gt(invite.expiresAt, now)
				)
			)
			.returning({ workspaceId: invite.workspaceId, role: invite.role });
		if (!claimed[0]) throw new AppError(404, 'error.inviteInvalid');
		const joined = await tx
			.insert(membership)
			.values({ workspaceId: claimed[0].workspaceId, userId: actor.id, role: claimed[0].role })
			.onConflictDoNothing()
			.returning({ userId: membership.userId });
		// Joined meanwhile through another link: this one stays unused (the claim is rolled back).
		if (!joined[0]) throw new AppError(409, 'error.alreadyMember');
		return claimed[0];
	});
}
