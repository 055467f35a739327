/** Comments as the UI shows them: threads (a root and its replies), their order, and counts per touchpoint. */

/** One comment as the server sends it to the browser. */
export interface CommentView {
	id: string;
	journeyId: string;
	touchpointId: string | null;
	/** Title of the deleted touchpoint a kept thread was on. */
	detachedFrom: string | null;
	parentId: string | null;
	authorId: string | null;
	/** Null when the author's account is gone. */
	authorName: string | null;
	body: string;
	mentions: string[];
	createdAt: string;
	editedAt: string | null;
	resolvedAt: string | null;
	resolvedBy: string | null;
}

export interface Thread {
	root: CommentView;
	replies: CommentView[];
	resolved: boolean;
	/** When the last comment of the thread was written. */
	lastAt: string;
}

const byCreated = (a: CommentView, b: CommentView) =>
	a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : 1;

/**
 * Groups comments into threads. Open threads come first, then resolved ones; within each, the most
 * recently active first, so a new reply brings its thread up. Replies read top to bottom, oldest first.
 * A reply whose root is missing (deleted meanwhile) is dropped rather than shown out of context.
 */
export function assembleThreads(comments: readonly CommentView[]): Thread[] {
	const roots = new Map<string, Thread>();
	for (const c of comments) {
		if (c.parentId === null)
			roots.set(c.id, { root: c, replies: [], resolved: c.resolvedAt !== null, lastAt: c.createdAt });
	}
	for (const c of comments) {
		if (c.parentId === null) continue;
		const thread = roots.get(c.parentId);
		if (!thread) continue;
		thread.replies.push(c);
		if (c.createdAt > thread.lastAt) thread.lastAt = c.createdAt;
	}
	const threads = [...roots.values()];
	for (const t of threads) t.replies.sort(byCreated);
	return threads.sort(
		(a, b) =>
			Number(a.resolved) - Number(b.resolved) ||
			(a.lastAt > b.lastAt ? -1 : a.lastAt < b.lastAt ? 1 : 0) ||
			(a.root.id < b.root.id ? -1 : 1)
	);
}

/**
 * Where a thread is shown: on its touchpoint while the touchpoint is in the map, otherwise on the
 * journey — marked detached when it was on a touchpoint (deleted with "keep its threads", or removed
 * elsewhere, e.g. by someone's undo). Kept threads keep their touchpoint id, so undoing the deletion
 * puts them back on the card.
 */
export type Placement =
	| { on: 'touchpoint'; touchpointId: string }
	| { on: 'journey'; detachedFrom: string | null; detached: boolean };

export function placeThread(thread: Thread, touchpointIds: ReadonlySet<string>): Placement {
	const { touchpointId, detachedFrom } = thread.root;
	if (touchpointId !== null && touchpointIds.has(touchpointId)) return { on: 'touchpoint', touchpointId };
	return { on: 'journey', detachedFrom, detached: touchpointId !== null || detachedFrom !== null };
}

/**
 * The number on a card's badge and on the toolbar: open (unresolved) threads — what still needs an
 * answer. Resolved threads stay readable in the drawer but no longer call for attention. A card shows
 * the count of its touchpoint id; threads of deleted touchpoints count only in the total.
 */
export function openThreadCounts(threads: readonly Thread[]): {
	byTouchpoint: Map<string, number>;
	total: number;
} {
	const byTouchpoint = new Map<string, number>();
	let total = 0;
	for (const t of threads) {
		if (t.resolved) continue;
		total++;
		const id = t.root.touchpointId;
		if (id !== null) byTouchpoint.set(id, (byTouchpoint.get(id) ?? 0) + 1);
	}
	return { byTouchpoint, total };
}

/** Threads of the given touchpoints (any state): what deleting those touchpoints would affect. */
export function threadsOn(threads: readonly Thread[], touchpointIds: readonly string[]): Thread[] {
	const ids = new Set(touchpointIds);
	return threads.filter((t) => t.root.touchpointId !== null && ids.has(t.root.touchpointId));
}
