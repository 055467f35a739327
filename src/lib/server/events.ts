/**
 * In-process notifications between features (e.g. a membership change closes collaboration sockets).
 * Kept on `globalThis` so the SvelteKit bundle and the server entry share one bus.
 */
export interface AppEvents {
	/** A user's role in a workspace changed or was removed. */
	'access:changed': { workspaceId: string; userId: string };
	/** A journey was deleted; its document must be dropped. */
	'journey:deleted': { journeyId: string };
	/** Feedback items were committed as pending: the processor should look. */
	'feedback:queued': { workspaceId: string };
	/** Items were analysed, corrected or removed: these journeys' live scores changed. */
	'feedback:changed': { workspaceId: string; journeyIds: string[]; itemIds: string[] };
	/** The taxonomy or the learned model of a workspace changed: analysis contexts must be rebuilt. */
	'feedback:context-changed': { workspaceId: string };
	/** Catalogue, places or motives of a workspace were edited. */
	'taxonomy:changed': { workspaceId: string };
	/** A comment thread of a journey was written, edited, resolved or removed. */
	'comment:changed': { workspaceId: string; journeyId: string; touchpointId: string | null };
	/** New in-app notifications for these users, or some of theirs marked read: open bells re-read. */
	'notification:changed': { workspaceId: string; userIds: string[] };
	/** A loop was created, moved, or its actions or follow-ups changed: canvases re-read their loop badges. */
	'loop:changed': { workspaceId: string; journeyId: string; loopId: string };
	/** Alerts of a workspace opened, grew or resolved: canvases of these journeys re-read their pulses. */
	'alert:changed': { workspaceId: string; journeyIds: string[] };
}

type Listener<K extends keyof AppEvents> = (payload: AppEvents[K]) => void;
type Bus = Partial<Record<keyof AppEvents, Set<(payload: never) => void>>>;

const KEY = Symbol.for('parcours.events');
function bus(): Bus {
	const holder = globalThis as { [KEY]?: Bus };
	return (holder[KEY] ??= {});
}

export function on<K extends keyof AppEvents>(name: K, listener: Listener<K>): () => void {
	const b = bus();
	const set = (b[name] ??= new Set()) as Set<Listener<K>>;
	set.add(listener);
	return () => void set.delete(listener);
}

export function emit<K extends keyof AppEvents>(name: K, payload: AppEvents[K]): void {
	for (const listener of (bus()[name] as Set<Listener<K>> | undefined) ?? []) {
		try {
			listener(payload);
		} catch (e) {
			console.error(`[events] ${name} listener failed`, e);
		}
	}
}
