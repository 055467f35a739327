/**
 * The comments of one open journey in the browser, shared by the toolbar's drawer, every card's badge
 * and the delete dialog (they are not in one component tree: cards are rendered by Svelte Flow). One
 * event stream per journey, opened by the first user and closed by the last.
 */
/* eslint-disable svelte/prefer-svelte-reactivity -- the registry is bookkeeping, not state */
import { checkCommentBody } from '$lib/comments/body';
import {
	carryNotifications,
	publishNotifications,
	type NotificationsMessage
} from '$lib/comments/notification-feed';
import { openStream } from '$lib/comments/stream';
import { assembleThreads, openThreadCounts, type CommentView, type Thread } from '$lib/comments/threads';

export type Fate = 'keep' | 'delete';

/** A refusal from the server, with its message (already in the user's language), or a network failure. */
export class CommentError extends Error {}

export class JourneyComments {
	readonly base: string;
	comments = $state.raw<CommentView[]>([]);
	/** False until the first list arrived. */
	loaded = $state(false);
	status = $state<'live' | 'reconnecting' | 'stopped'>('live');
	drawerOpen = $state(false);
	showResolved = $state(false);
	/** The thread to bring into view (from a notification's link or a badge); `n` grows per request. */
	focus = $state.raw<{ threadId: string | null; n: number }>({ threadId: null, n: 0 });
	/** A failure that happened away from any form (threads of deleted cards). */
	notice = $state<string | null>(null);

	readonly threads: Thread[] = $derived(assembleThreads(this.comments));
	readonly counts = $derived(openThreadCounts(this.threads));

	private stop: (() => void) | null = null;

	constructor(workspaceId: string, journeyId: string) {
		this.base = `/w/${workspaceId}/journeys/${journeyId}/comments`;
		if (typeof window === 'undefined') return;
		// This stream also brings the bell's notifications, so the page needs no stream of its own for them.
		const released = carryNotifications();
		const closeStream = openStream({
			url: `${this.base}/stream?notifications=1`,
			events: {
				comments: (data) => {
					this.comments = data as CommentView[];
					this.loaded = true;
				},
				notifications: (data) => publishNotifications(data as NotificationsMessage)
			},
			onstatus: (s) => (this.status = s)
		});
		this.stop = () => {
			closeStream();
			released();
		};
	}

	destroy(): void {
		this.stop?.();
		this.stop = null;
	}

	openDrawer(threadId: string | null = null): void {
		this.drawerOpen = true;
		if (threadId) this.focus = { threadId, n: this.focus.n + 1 };
	}

	private async call(method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
		let res: Response;
		try {
			res = await fetch(`${this.base}${path}`, {
				method,
				headers: body === undefined ? {} : { 'content-type': 'application/json' },
				body: body === undefined ? undefined : JSON.stringify(body)
			});
		} catch {
			throw new CommentError('network');
		}
		const data = (await res.json().catch(() => ({}))) as Record<string, unknown> & {
			error?: { message?: string };
		};
		if (!res.ok) throw new CommentError(data.error?.message ?? `HTTP ${res.status}`);
		return data;
	}

	/** Shows a comment the server accepted before the stream brings it, so the writer sees it at once. */
	private remember(c: CommentView) {
		if (!this.comments.some((x) => x.id === c.id)) this.comments = [...this.comments, c];
	}

	async startThread(body: string, touchpoint: { id: string; title: string } | null): Promise<CommentView> {
		const { comment } = await this.call('POST', '', {
			body,
			touchpointId: touchpoint?.id ?? null,
			touchpointTitle: touchpoint?.title ?? null
		});
		this.remember(comment as CommentView);
		return comment as CommentView;
	}

	async reply(thread: Thread, body: string, touchpointTitle: string | null): Promise<void> {
		const { comment } = await this.call('POST', '', { body, parentId: thread.root.id, touchpointTitle });
		this.remember(comment as CommentView);
	}

	async edit(id: string, body: string): Promise<void> {
		await this.call('PATCH', `/${id}`, { body });
		const checked = checkCommentBody(body);
		if (checked.ok)
			this.comments = this.comments.map((c) =>
				c.id === id ? { ...c, body: checked.body, editedAt: new Date().toISOString() } : c
			);
	}

	async remove(id: string): Promise<void> {
		await this.call('DELETE', `/${id}`);
		this.comments = this.comments.filter((c) => c.id !== id && c.parentId !== id);
	}

	async setResolved(thread: Thread, resolved: boolean): Promise<void> {
		await this.call('PATCH', `/${thread.root.id}`, { resolved });
		const at = resolved ? new Date().toISOString() : null;
		this.comments = this.comments.map((c) => (c.id === thread.root.id ? { ...c, resolvedAt: at } : c));
	}

	/** After the cards were deleted from the map: keep their threads (detached) or delete them. */
	async settle(fate: Fate, touchpoints: { id: string; title: string }[]): Promise<void> {
		await this.call('POST', '/settle', { fate, touchpoints });
	}
}

const open = new Map<string, { comments: JourneyComments; users: number }>();

/** The shared comments of a journey; call the returned release when the component goes. */
export function useJourneyComments(workspaceId: string, journeyId: string): [JourneyComments, () => void] {
	let entry = open.get(journeyId);
	if (!entry) {
		entry = { comments: new JourneyComments(workspaceId, journeyId), users: 0 };
		open.set(journeyId, entry);
	}
	entry.users++;
	const e = entry;
	let released = false;
	return [
		e.comments,
		() => {
			if (released) return;
			released = true;
			if (--e.users > 0) return;
			e.comments.destroy();
			if (open.get(journeyId) === e) open.delete(journeyId);
		}
	];
}
