/**
 * Comment threads on a journey and its touchpoints. Anyone who may read the journey reads them; anyone
 * with `comment:write` (viewers too: executives ask questions on maps they may not edit) writes,
 * replies, resolves and reopens. A comment is edited only by its author and deleted by its author or a
 * workspace owner (who moderates). Mentions are resolved against the workspace's members when written
 * and notify the members newly mentioned.
 */
import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import { checkCommentBody } from '../comments/body';
import { mentionedIds } from '../comments/mentions';
import type { CommentView } from '../comments/threads';
import { isId, requireAccess, type Access, type Actor } from './access';
import type { Db } from './db';
import { comment, journey, membership, user } from './db/schema';
import { AppError, invalid, notFound } from './errors';
import { emit, on } from './events';
import { coalesce, eventStream, type EventStreamSink } from './event-stream';
import { notify, watchNotifications } from './notifications';

/** Touchpoint ids are made by the journey document (short random strings); anything else is refused. */
const TOUCHPOINT_ID = /^[A-Za-z0-9_-]{1,64}$/;
const MAX_TITLE = 200;
const EXCERPT = 140;

/** The journey of the URL, checked to be in the workspace of the URL (else one page would mix two). */
export interface JourneyRef {
	workspaceId: string;
	journeyId: string;
}

async function journeyAccess(
	db: Db,
	actor: Actor,
	action: 'journey:read' | 'comment:write' | 'journey:edit',
	ref: JourneyRef
) {
	const access = await requireAccess(db, actor, action, { journeyId: ref.journeyId });
	if (access.workspaceId !== ref.workspaceId) throw notFound();
	return access;
}

function view(row: typeof comment.$inferSelect & { authorName: string | null }): CommentView {
	return {
		id: row.id,
		journeyId: row.journeyId,
		touchpointId: row.touchpointId,
		detachedFrom: row.detachedFrom,
		parentId: row.parentId,
		authorId: row.authorId,
		authorName: row.authorName,
		body: row.body,
		mentions: row.mentions,
		createdAt: row.createdAt.toISOString(),
		editedAt: row.editedAt?.toISOString() ?? null,
		resolvedAt: row.resolvedAt?.toISOString() ?? null,
		resolvedBy: row.resolvedBy
	};
}

async function readComments(db: Db, where: ReturnType<typeof eq>) {
	const rows = await db
		.select({ c: comment, authorName: user.name })
		.from(comment)
		.leftJoin(user, eq(user.id, comment.authorId))
		.where(where)
		.orderBy(asc(comment.createdAt), asc(comment.id));
	return rows.map((r) => view({ ...r.c, authorName: r.authorName }));
}

/** Every comment of the journey (threads are assembled by the client, `assembleThreads`). */
export async function listComments(db: Db, actor: Actor, ref: JourneyRef): Promise<CommentView[]> {
	await journeyAccess(db, actor, 'journey:read', ref);
	return readComments(db, eq(comment.journeyId, ref.journeyId));
}

function requireBody(value: unknown): string {
	const checked = checkCommentBody(value);
	if (checked.ok) return checked.body;
	if (checked.problem === 'tooLong') throw invalid('body', 'comments.error.tooLong', { max: checked.max });
	throw invalid('body', 'comments.error.empty');
}

async function members(db: Db, workspaceId: string) {
	return db
		.select({ id: user.id, name: user.name })
		.from(membership)
		.innerJoin(user, eq(user.id, membership.userId))
		.where(eq(membership.workspaceId, workspaceId));
}

async function journeyTitle(db: Db, journeyId: string): Promise<string> {
	const [row] = await db.select({ title: journey.title }).from(journey).where(eq(journey.id, journeyId));
	return row?.title ?? '';
}

/** Where a mention notification leads: the journey, with the thread open. */
export function threadLink(ref: JourneyRef, threadId: string): string {
	return `/w/${ref.workspaceId}/journeys/${ref.journeyId}?thread=${threadId}`;
}

async function notifyMentions(
	db: Db,
	actor: { id: string },
	ref: JourneyRef,
	c: { id: string; parentId: string | null; body: string; touchpointTitle?: string | null },
	userIds: string[]
) {
	if (!userIds.length) return;
	const threadId = c.parentId ?? c.id;
	const excerpt = c.body.length > EXCERPT ? `${c.body.slice(0, EXCERPT - 1)}…` : c.body;
	await notify(db, {
		workspaceId: ref.workspaceId,
		kind: 'mention',
		actorId: actor.id,
		userIds,
		data: {
			journeyId: ref.journeyId,
			journeyTitle: await journeyTitle(db, ref.journeyId),
			threadId,
			commentId: c.id,
			touchpointTitle: c.touchpointTitle ?? null,
			excerpt
		},
		link: threadLink(ref, threadId)
	});
}

export interface NewComment {
	body?: unknown;
	/** A reply: the thread's root (a reply to a reply joins the same thread). */
	parentId?: unknown;
	/** A new thread on this touchpoint; null or absent: on the journey. */
	touchpointId?: unknown;
	/** The touchpoint's title, shown in the notification (the server does not read the document). */
	touchpointTitle?: unknown;
}

export async function createComment(
	db: Db,
	actor: Actor,
	ref: JourneyRef,
	input: NewComment
): Promise<CommentView> {
	await journeyAccess(db, actor, 'comment:write', ref);
	const body = requireBody(input.body);
	let parentId: string | null = null;
	let touchpointId: string | null = null;
	let detachedFrom: string | null = null;
	if (input.parentId !== undefined && input.parentId !== null && input.parentId !== '') {
		if (!isId(input.parentId)) throw invalid('parentId', 'comments.error.noThread');
		const [parent] = await db
			.select()
			.from(comment)
			.where(and(eq(comment.id, input.parentId), eq(comment.journeyId, ref.journeyId)));
		if (!parent) throw invalid('parentId', 'comments.error.noThread');
		parentId = parent.parentId ?? parent.id;
		// Replies carry their thread's place, so a reply never shows up elsewhere.
		const [root] = parent.parentId
			? await db.select().from(comment).where(eq(comment.id, parentId))
			: [parent];
		touchpointId = root.touchpointId;
		detachedFrom = root.detachedFrom;
	} else if (input.touchpointId !== undefined && input.touchpointId !== null && input.touchpointId !== '') {
		if (typeof input.touchpointId !== 'string' || !TOUCHPOINT_ID.test(input.touchpointId))
			throw invalid('touchpointId', 'comments.error.touchpoint');
		touchpointId = input.touchpointId;
	}
	const people = await members(db, ref.workspaceId);
	const mentions = mentionedIds(body, people);
	const [row] = await db
		.insert(comment)
		.values({
			workspaceId: ref.workspaceId,
			journeyId: ref.journeyId,
			touchpointId,
			detachedFrom,
			parentId,
			authorId: actor!.id,
			body,
			mentions
		})
		.returning();
	emit('comment:changed', { workspaceId: ref.workspaceId, journeyId: ref.journeyId, touchpointId });
	const touchpointTitle =
		typeof input.touchpointTitle === 'string'
			? input.touchpointTitle.trim().slice(0, MAX_TITLE) || null
			: null;
	await notifyMentions(db, actor!, ref, { ...row, touchpointTitle }, mentions);
	return view({ ...row, authorName: people.find((p) => p.id === actor!.id)?.name ?? null });
}

async function commentOf(db: Db, ref: JourneyRef, id: string) {
	if (!isId(id)) throw notFound();
	const [row] = await db
		.select()
		.from(comment)
		.where(and(eq(comment.id, id), eq(comment.journeyId, ref.journeyId)));
	if (!row) throw notFound();
	return row;
}

/** Changes the body of one's own comment; members newly mentioned are notified, the others not again. */
export async function editComment(
	db: Db,
	actor: Actor,
	ref: JourneyRef,
	id: string,
	input: { body?: unknown }
) {
	await journeyAccess(db, actor, 'comment:write', ref);
	const row = await commentOf(db, ref, id);
	if (row.authorId !== actor!.id) throw new AppError(403, 'comments.error.notYours');
	const body = requireBody(input.body);
	const mentions = mentionedIds(body, await members(db, ref.workspaceId));
	const [updated] = await db
		.update(comment)
		.set({ body, mentions, editedAt: new Date() })
		.where(eq(comment.id, id))
		.returning();
	emit('comment:changed', {
		workspaceId: ref.workspaceId,
		journeyId: ref.journeyId,
		touchpointId: row.touchpointId
	});
	const added = mentions.filter((m) => !row.mentions.includes(m));
	await notifyMentions(db, actor!, ref, updated, added);
	return updated;
}

/** Deletes a comment; deleting a thread's root deletes its replies. Own comments, or any for an owner. */
export async function deleteComment(db: Db, actor: Actor, ref: JourneyRef, id: string): Promise<void> {
	const access: Access = await journeyAccess(db, actor, 'comment:write', ref);
	const row = await commentOf(db, ref, id);
	if (row.authorId !== actor!.id && access.role !== 'owner')
		throw new AppError(403, 'comments.error.notYours');
	await db.delete(comment).where(eq(comment.id, id));
	emit('comment:changed', {
		workspaceId: ref.workspaceId,
		journeyId: ref.journeyId,
		touchpointId: row.touchpointId
	});
}

/** Resolves or reopens a thread; any commenter may (it is about the question, not about its author). */
export async function setResolved(
	db: Db,
	actor: Actor,
	ref: JourneyRef,
	id: string,
	resolved: unknown
): Promise<void> {
	await journeyAccess(db, actor, 'comment:write', ref);
	if (typeof resolved !== 'boolean') throw invalid('resolved', 'comments.error.resolved');
	const row = await commentOf(db, ref, id);
	const rootId = row.parentId ?? row.id;
	await db
		.update(comment)
		.set(
			resolved ? { resolvedAt: new Date(), resolvedBy: actor!.id } : { resolvedAt: null, resolvedBy: null }
		)
		.where(eq(comment.id, rootId));
	emit('comment:changed', {
		workspaceId: ref.workspaceId,
		journeyId: ref.journeyId,
		touchpointId: row.touchpointId
	});
}

export type ThreadFate = 'keep' | 'delete';

/**
 * After touchpoints were deleted from the map: their threads are kept on the journey (detached, with
 * the touchpoint's title; their touchpoint id stays, so an undo of the deletion brings them back to
 * the card) or deleted. Only those who may edit the map delete touchpoints, so only they decide.
 * Returns the number of threads concerned.
 */
export async function settleTouchpointThreads(
	db: Db,
	actor: Actor,
	ref: JourneyRef,
	input: { fate?: unknown; touchpoints?: unknown }
): Promise<number> {
	await journeyAccess(db, actor, 'journey:edit', ref);
	if (input.fate !== 'keep' && input.fate !== 'delete') throw invalid('fate', 'comments.error.fate');
	if (!Array.isArray(input.touchpoints) || input.touchpoints.length === 0 || input.touchpoints.length > 1000)
		throw invalid('touchpoints', 'comments.error.touchpoints');
	const titles = new Map<string, string>();
	input.touchpoints.forEach((t: unknown, i) => {
		const tp = t as { id?: unknown; title?: unknown } | null;
		if (!tp || typeof tp.id !== 'string' || !TOUCHPOINT_ID.test(tp.id))
			throw invalid(`touchpoints[${i}].id`, 'comments.error.touchpoint');
		const title = typeof tp.title === 'string' ? tp.title.replace(/\0/g, '').trim().slice(0, MAX_TITLE) : '';
		titles.set(tp.id, title);
	});
	const onThem = and(
		eq(comment.journeyId, ref.journeyId),
		inArray(comment.touchpointId, [...titles.keys()]),
		isNull(comment.parentId)
	);
	const roots = await db
		.select({ id: comment.id, touchpointId: comment.touchpointId })
		.from(comment)
		.where(onThem);
	if (!roots.length) return 0;
	await db.transaction(async (tx) => {
		if (input.fate === 'delete') {
			// Replies go with their root (foreign key cascade).
			await tx.delete(comment).where(onThem);
			return;
		}
		for (const [id, title] of titles) {
			await tx
				.update(comment)
				.set({ detachedFrom: title || null })
				.where(and(eq(comment.journeyId, ref.journeyId), eq(comment.touchpointId, id)));
		}
	});
	for (const tpId of new Set(roots.map((r) => r.touchpointId)))
		emit('comment:changed', { workspaceId: ref.workspaceId, journeyId: ref.journeyId, touchpointId: tpId });
	return roots.length;
}

/**
 * One reader per journey for all its open streams: a change is read once and sent to every watcher (a
 * workshop of 30 people does not run 30 identical queries per comment). Access was checked when each
 * stream opened; a member removed meanwhile has their stream closed by `eventStream`.
 */
const watched = new Map<string, { sinks: Set<EventStreamSink>; later: { poke(): void; stop(): void } }>();

function watchJourney(db: Db, journeyId: string, sink: EventStreamSink): () => void {
	let entry = watched.get(journeyId);
	if (!entry) {
		const sinks = new Set<EventStreamSink>();
		const later = coalesce(async () => {
			try {
				const comments = await readComments(db, eq(comment.journeyId, journeyId));
				for (const s of sinks) s.send('comments', comments);
			} catch (e) {
				console.error('[comments] reading for the stream failed', e);
			}
		});
		entry = { sinks, later };
		watched.set(journeyId, entry);
	}
	entry.sinks.add(sink);
	const e = entry;
	return () => {
		e.sinks.delete(sink);
		if (e.sinks.size === 0 && watched.get(journeyId) === e) {
			e.later.stop();
			watched.delete(journeyId);
		}
	};
}

let listening = false;
function ensureListeners() {
	if (listening) return;
	listening = true;
	on('comment:changed', (e) => watched.get(e.journeyId)?.later.poke());
	on('journey:deleted', (e) => {
		for (const s of watched.get(e.journeyId)?.sinks ?? []) s.close('deleted');
	});
}

/**
 * The journey's comments stream: `event: comments` with every comment, on connect and after each change
 * (coalesced); with `notifications`, also the user's `event: notifications`, so a map tab needs one
 * stream less (browsers allow six connections per host over HTTP/1.1). Ends when the journey is
 * deleted or the user loses access.
 */
export async function commentStream(
	db: Db,
	actor: Actor,
	ref: JourneyRef,
	request: Request,
	options: { notifications?: boolean } = {}
): Promise<Response> {
	await journeyAccess(db, actor, 'journey:read', ref);
	ensureListeners();
	return eventStream(db, request, { userId: actor!.id, workspaceId: ref.workspaceId }, async (sink) => {
		// Watching first: a change made while the first list is read is sent after it.
		const unwatch = watchJourney(db, ref.journeyId, sink);
		let unwatchNotifications = () => {};
		try {
			sink.send('comments', await listComments(db, actor, ref));
			if (options.notifications)
				unwatchNotifications = await watchNotifications(db, actor!, ref.workspaceId, sink);
		} catch (e) {
			unwatch();
			throw e;
		}
		return () => {
			unwatch();
			unwatchNotifications();
		};
	});
}
