/** Contracts of the collaboration core; nothing here knows the socket library or the database. */

/** The least a transport must offer. A `ws` WebSocket is adapted in `ws.ts`. */
export interface CollabSocket {
	send(data: Uint8Array): void;
	close(code: number, reason: string): void;
	on(event: 'message', listener: (data: Uint8Array) => void): void;
	on(event: 'close', listener: () => void): void;
	/** Bytes queued but not yet sent; lets the core drop a client that does not read. */
	readonly bufferedAmount?: number;
}

/** What the upgrade's authentication decided about one connection. */
export interface AccessContext {
	userId: string;
	/** Viewers: they receive the document and presence, their document updates are dropped. */
	readOnly: boolean;
}

export interface ConnectionContext extends AccessContext {
	journeyId: string;
}

/**
 * Where documents are kept. Implemented on the database by `src/lib/server/collab-store.ts`.
 * `loadDocument` returns the merged stored state (null for a document never stored) and throws when
 * the state cannot be read: the core then refuses the connection instead of starting from nothing.
 */
export interface CollabPersistence {
	loadDocument(journeyId: string): Promise<Uint8Array | null>;
	appendUpdate(journeyId: string, update: Uint8Array): Promise<void>;
	/**
	 * Merges the stored updates and `snapshot` (the room's full state, given when a room unloads) into one
	 * stored snapshot. The store also compacts by itself when updates pile up.
	 */
	compact(journeyId: string, snapshot: Uint8Array): Promise<void>;
}

/**
 * How rooms of the same journey in several instances reach each other (Redis in production, see
 * `src/lib/server/cluster.ts`; an in-memory hub in tests). Messages are opaque bytes to the transport,
 * which must not hand an instance back its own messages.
 */
export interface CollabFanout {
	/** Starts receiving a journey's messages; resolves once messages published from now on will arrive. */
	join(journeyId: string, receive: (message: Uint8Array) => void): Promise<void>;
	leave(journeyId: string): void;
	/**
	 * Resolves to how many other instances listening to the journey the message reached (0 when the link
	 * is down or the publish failed: it never rejects).
	 */
	publish(journeyId: string, message: Uint8Array): Promise<number>;
	/** Called when the link came back after a break (messages may have been missed meanwhile). */
	onResume(listener: () => void): () => void;
}

export interface CollabLogger {
	info(message: string, details?: Record<string, unknown>): void;
	warn(message: string, details?: Record<string, unknown>): void;
	error(message: string, details?: Record<string, unknown>): void;
}

export const consoleLogger: CollabLogger = {
	info: (m, d) => console.info(`[collab] ${m}`, d ?? ''),
	warn: (m, d) => console.warn(`[collab] ${m}`, d ?? ''),
	error: (m, d) => console.error(`[collab] ${m}`, d ?? '')
};

export const silentLogger: CollabLogger = { info() {}, warn() {}, error() {} };

/**
 * WebSocket close codes. y-websocket 3 stops reconnecting on 4400–4499 and retries on everything else,
 * including 4500–4599 ("try again later").
 */
export const CloseCode = {
	goingAway: 1001,
	malformed: 1007,
	policy: 1008,
	tooBig: 1009,
	tryAgain: 1013,
	unauthenticated: 4401,
	forbidden: 4403,
	notFound: 4404,
	/** Past a user's connection cap: the client stops (4400–4499), a person closes tabs and reloads. */
	tooMany: 4429,
	unavailable: 4500
} as const;

export interface CollabOptions {
	persistence: CollabPersistence;
	/** Other instances holding the same journeys; none when this process is alone. */
	fanout?: CollabFanout;
	logger?: CollabLogger;
	/**
	 * Runs once on a freshly loaded state, before any client sees it, and returns the update to apply
	 * (schema migrations: `migrateJourneyState` from src/lib/journey), or null when there is nothing to do.
	 */
	prepareState?: (state: Uint8Array) => Uint8Array | null;
	/**
	 * Same on a Y.Doc built from the state. Costs a full Y.Doc per load (about 0.3 s for a
	 * 1,000-touchpoint journey): prefer `prepareState`.
	 */
	prepareDocument?: (doc: import('yjs').Doc) => void;
	/** Frames larger than this close their socket with 1009. Default 1 MiB. */
	maxFrameBytes?: number;
	/** Store pending updates this long after the last one… Default 500 ms. */
	storeDebounceMs?: number;
	/** …but never later than this after the first one. Default 3 s. */
	storeMaxWaitMs?: number;
	/** First retry delay after a failed store, doubled up to `storeRetryMaxMs`. Default 500 ms / 30 s. */
	storeRetryMs?: number;
	storeRetryMaxMs?: number;
	/** Keep a room this long after its last connection left. Default 10 s. */
	unloadGraceMs?: number;
	/** A load that takes longer counts as failed. Default 15 s. */
	loadTimeoutMs?: number;
	/**
	 * With a fan-out: how long a loading room waits for the other instances holding the journey to send
	 * what they have (unstored edits included) before its first client syncs. Default 1 s.
	 */
	peerSyncWaitMs?: number;
	/** Frames a connection may send while its document loads. Default 64. */
	maxFramesWhileLoading?: number;
	/** Awareness client ids one connection may control (one per tab is normal). Default 8. */
	maxAwarenessClientsPerConnection?: number;
	/** A client whose unsent data exceeds this is disconnected. Default 16 MiB. */
	maxBufferedBytes?: number;
	/** Default 1,000. */
	maxConnectionsPerRoom?: number;
	/**
	 * Open sockets one user may hold on this instance, all journeys together (tabs, devices): a runaway
	 * script or a stolen session cannot fill the server alone. Default 100.
	 */
	maxConnectionsPerUser?: number;
	/** Automatic versions of edited journeys; none when absent. */
	autoVersion?: AutoVersionOptions;
}

/**
 * Automatic versions: `save` gets a room's state when one is due (quiet period after the last edit, at
 * the latest `maxIntervalMs` after the first unsaved edit, and when the last editor leaves). Only edits
 * from clients count; `save` may still decide the content is unchanged and keep nothing.
 */
export interface AutoVersionOptions {
	quietMs: number;
	maxIntervalMs: number;
	/** `editorId`: the user whose edit came last. Rejects when the version could not be kept (retried). */
	save(journeyId: string, state: Uint8Array, editorId: string | null): Promise<void>;
}
