/**
 * Notifications between features (e.g. a membership change closes collaboration sockets). Kept on
 * `globalThis` so the SvelteKit bundle and the server entry share one bus. With several instances
 * (`REDIS_URL`), `src/lib/server/cluster.ts` links the buses: every event emitted in one instance also
 * reaches the listeners of the others, once.
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
	/**
	 * An instance's link to the others broke and came back: events emitted meanwhile were lost, here or
	 * there. Whatever follows events checks again what it holds (access of open sockets and streams,
	 * cached contexts) and open streams send their current state again.
	 */
	'events:missed': Record<string, never>;
}

type Listener<K extends keyof AppEvents> = (payload: AppEvents[K]) => void;

export interface ListenOptions {
	/**
	 * Only events emitted in this process. For work that must happen once in the cluster, done by the
	 * instance where the event arose (e.g. alert detection of the items this instance analysed).
	 */
	localOnly?: boolean;
}

interface Entry {
	listener: (payload: never) => void;
	localOnly: boolean;
}

interface Bus {
	listeners: Partial<Record<keyof AppEvents, Set<Entry>>>;
	/** Sends an event emitted here to the other instances; null when this process is alone. */
	forward: ((name: keyof AppEvents, payload: unknown) => void) | null;
}

const KEY = Symbol.for('parcours.events');
function bus(): Bus {
	const holder = globalThis as { [KEY]?: Bus };
	return (holder[KEY] ??= { listeners: {}, forward: null });
}

export function on<K extends keyof AppEvents>(
	name: K,
	listener: Listener<K>,
	options: ListenOptions = {}
): () => void {
	const b = bus();
	const set = (b.listeners[name] ??= new Set());
	const entry: Entry = { listener: listener as Entry['listener'], localOnly: options.localOnly ?? false };
	set.add(entry);
	return () => void set.delete(entry);
}

function deliver<K extends keyof AppEvents>(name: K, payload: AppEvents[K], remote: boolean): void {
	for (const entry of bus().listeners[name] ?? []) {
		if (remote && entry.localOnly) continue;
		try {
			(entry.listener as Listener<K>)(payload);
		} catch (e) {
			console.error(`[events] ${name} listener failed`, e);
		}
	}
}

export function emit<K extends keyof AppEvents>(name: K, payload: AppEvents[K]): void {
	deliver(name, payload, false);
	bus().forward?.(name, payload);
}

/** Links this process's bus to the others': `forward` publishes; returns the receiver of theirs. */
export function linkEvents(forward: (name: keyof AppEvents, payload: unknown) => void): {
	receive(name: string, payload: unknown): void;
	unlink(): void;
} {
	const b = bus();
	b.forward = forward;
	return {
		receive(name, payload) {
			if (b.forward !== forward) return;
			if (!Object.hasOwn(EVENT_NAMES, name)) return;
			deliver(name as keyof AppEvents, payload as never, true);
		},
		unlink() {
			if (b.forward === forward) b.forward = null;
		}
	};
}

/** Every event, so a name received from elsewhere is checked (and a new event cannot be forgotten here). */
const EVENT_NAMES: Record<keyof AppEvents, true> = {
	'access:changed': true,
	'journey:deleted': true,
	'feedback:queued': true,
	'feedback:changed': true,
	'feedback:context-changed': true,
	'taxonomy:changed': true,
	'comment:changed': true,
	'notification:changed': true,
	'loop:changed': true,
	'alert:changed': true,
	'events:missed': true
};
