/**
 * In-app notifications, for any feature: a mention today, assignments and alerts later. A notification
 * belongs to one user in one workspace; `kind` says what happened and `data` carries what the bell
 * shows (names, titles, an excerpt) so listing needs no joins into other features' tables.
 */
import { and, count, desc, eq, inArray, isNull } from 'drizzle-orm';
import { requireAccess, type Actor, isId } from './access';
import type { Db } from './db';
import { membership, notification, user } from './db/schema';
import { notFound } from './errors';
import { coalesce, eventStream, type EventStreamSink } from './event-stream';
import { emit, on } from './events';
import { mailNotification } from './notification-mail';

export interface NewNotification {
	workspaceId: string;
	kind: string;
	/** Who caused it; never notified of their own action. */
	actorId: string | null;
	userIds: readonly string[];
	data: Record<string, unknown>;
	/** Where a click goes (a path in the app). */
	link: string;
}

/** What the bell and the list show. */
export interface NotificationView {
	id: string;
	kind: string;
	actorName: string | null;
	data: Record<string, unknown>;
	link: string;
	readAt: string | null;
	createdAt: string;
}

/**
 * Creates one notification per recipient who is a member of the workspace (others are dropped: a
 * feature cannot notify outside it), except the actor, and e-mails it to them when SMTP is configured.
 * Called by services after their own access check. Returns the users notified.
 */
export async function notify(db: Db, n: NewNotification): Promise<string[]> {
	const wanted = [...new Set(n.userIds)].filter((id) => id !== n.actorId && isId(id));
	if (!wanted.length) return [];
	const members = await db
		.select({ userId: membership.userId })
		.from(membership)
		.where(and(eq(membership.workspaceId, n.workspaceId), inArray(membership.userId, wanted)));
	const userIds = members.map((m) => m.userId);
	if (!userIds.length) return [];
	await db.insert(notification).values(
		userIds.map((userId) => ({
			userId,
			workspaceId: n.workspaceId,
			kind: n.kind,
			actorId: n.actorId,
			data: n.data,
			link: n.link
		}))
	);
	emit('notification:changed', { workspaceId: n.workspaceId, userIds });
	try {
		await mailNotification(db, n, userIds);
	} catch (e) {
		// The notification is stored and shown in the app; a failed e-mail must not undo what caused it.
		console.error(`[mail] notification ${n.kind} not sent:`, e);
	}
	return userIds;
}

/** The user's notifications in a workspace, newest first. */
export async function listNotifications(
	db: Db,
	actor: Actor,
	workspaceId: string,
	options: { limit?: number; unreadOnly?: boolean } = {}
): Promise<NotificationView[]> {
	await requireAccess(db, actor, 'workspace:read', { workspaceId });
	const rows = await db
		.select({
			id: notification.id,
			kind: notification.kind,
			actorName: user.name,
			data: notification.data,
			link: notification.link,
			readAt: notification.readAt,
			createdAt: notification.createdAt
		})
		.from(notification)
		.leftJoin(user, eq(user.id, notification.actorId))
		.where(
			and(
				eq(notification.userId, actor!.id),
				eq(notification.workspaceId, workspaceId),
				options.unreadOnly ? isNull(notification.readAt) : undefined
			)
		)
		.orderBy(desc(notification.createdAt), desc(notification.id))
		.limit(Math.min(Math.max(options.limit ?? 50, 1), 200));
	return rows.map((r) => ({
		...r,
		data: (r.data ?? {}) as Record<string, unknown>,
		readAt: r.readAt?.toISOString() ?? null,
		createdAt: r.createdAt.toISOString()
	}));
}

export async function unreadCount(db: Db, actor: Actor, workspaceId: string): Promise<number> {
	await requireAccess(db, actor, 'workspace:read', { workspaceId });
	const [row] = await db
		.select({ n: count() })
		.from(notification)
		.where(
			and(
				eq(notification.userId, actor!.id),
				eq(notification.workspaceId, workspaceId),
				isNull(notification.readAt)
			)
		);
	return Number(row?.n ?? 0);
}

/** Marks one of the user's notifications read and returns where it leads. Another's is not found. */
export async function markRead(
	db: Db,
	actor: Actor,
	workspaceId: string,
	id: string
): Promise<{ link: string }> {
	await requireAccess(db, actor, 'workspace:read', { workspaceId });
	if (!isId(id)) throw notFound();
	const mine = and(
		eq(notification.id, id),
		eq(notification.userId, actor!.id),
		eq(notification.workspaceId, workspaceId)
	);
	const [row] = await db
		.select({ link: notification.link, readAt: notification.readAt })
		.from(notification)
		.where(mine);
	if (!row) throw notFound();
	if (!row.readAt) {
		await db.update(notification).set({ readAt: new Date() }).where(mine);
		// The user's other tabs lower their count too.
		emit('notification:changed', { workspaceId, userIds: [actor!.id] });
	}
	return { link: row.link };
}

export async function markAllRead(db: Db, actor: Actor, workspaceId: string): Promise<void> {
	await requireAccess(db, actor, 'workspace:read', { workspaceId });
	await db
		.update(notification)
		.set({ readAt: new Date() })
		.where(
			and(
				eq(notification.userId, actor!.id),
				eq(notification.workspaceId, workspaceId),
				isNull(notification.readAt)
			)
		);
	emit('notification:changed', { workspaceId, userIds: [actor!.id] });
}

/**
 * Sends `event: notifications` (the unread count and the latest ones) on `sink` now and whenever new
 * ones arrive for this user. Access is checked by the stream's opener. Returns the unsubscribe.
 */
export async function watchNotifications(
	db: Db,
	actor: { id: string },
	workspaceId: string,
	sink: EventStreamSink
): Promise<() => void> {
	const push = async () => {
		try {
			const [unread, latest] = await Promise.all([
				unreadCount(db, actor, workspaceId),
				listNotifications(db, actor, workspaceId, { limit: BELL_SIZE })
			]);
			sink.send('notifications', { unread, latest });
		} catch {
			sink.close('access');
		}
	};
	const later = coalesce(() => void push());
	const off = on('notification:changed', (e) => {
		if (e.workspaceId === workspaceId && e.userIds.includes(actor.id)) later.poke();
	});
	await push();
	return () => {
		off();
		later.stop();
	};
}

/**
 * The bell's own stream, for pages without another stream to carry its notifications (a journey's
 * comments stream carries them: one connection fewer per map tab).
 */
export async function notificationStream(db: Db, actor: Actor, workspaceId: string, request: Request) {
	await requireAccess(db, actor, 'workspace:read', { workspaceId });
	const userId = actor!.id;
	return eventStream(db, request, { userId, workspaceId }, (sink) =>
		watchNotifications(db, { id: userId }, workspaceId, sink)
	);
}

/** How many notifications the bell's menu shows. */
export const BELL_SIZE = 8;
