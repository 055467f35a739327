/**
 * One loaded journey document: its state, its presence (awareness), its connections, and the
 * debounced, retried stores of its updates.
 *
 * The room keeps the document as an encoded Yjs update, not as a Y.Doc: a Y.Doc of a 200-touchpoint
 * journey takes about 2.4 MB of heap, its encoding about 125 kB. Incoming updates are validated,
 * relayed and kept in a list that is merged into the base state now and then (Y.mergeUpdates); a
 * joining client gets the base state (diffed against its state vector) plus the recent updates.
 */
import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { CLEAN, recordEdit, versionDueAt, type EditClock } from '../../src/lib/versions/policy';
import { decodePeerMessage, encodePeerMessage, type PeerMessage } from './peers';
import {
	CloseCode,
	type AutoVersionOptions,
	type CollabLogger,
	type CollabPersistence,
	type CollabSocket,
	type ConnectionContext
} from './types';

export const MESSAGE_SYNC = 0;
export const MESSAGE_AWARENESS = 1;
export const MESSAGE_QUERY_AWARENESS = 3;

/** The same journey's rooms in other instances, as a room sees them. */
export interface RoomPeers {
	/** This instance's id among its peers. */
	readonly id: string;
	/** Resolves to how many other instances got the message; never rejects. */
	publish(journeyId: string, message: Uint8Array): Promise<number>;
}

/** The origin of changes that came from another instance: applied and relayed here, never sent back. */
const FROM_PEER = Symbol('peer');
type Origin = Connection | null | typeof FROM_PEER;

export interface RoomSettings {
	persistence: CollabPersistence;
	peers: RoomPeers | null;
	logger: CollabLogger;
	storeDebounceMs: number;
	storeMaxWaitMs: number;
	storeRetryMs: number;
	storeRetryMaxMs: number;
	unloadGraceMs: number;
	maxAwarenessClientsPerConnection: number;
	maxBufferedBytes: number;
	maxConnectionsPerRoom: number;
	autoVersion: AutoVersionOptions | null;
}

export interface CollabCounters {
	droppedReadOnlyUpdates: number;
	malformedFrames: number;
	oversizedFrames: number;
	failedStores: number;
	failedLoads: number;
	droppedAwarenessUpdates: number;
	/** Messages from other instances that could not be read (a bug or a foreign publisher). */
	malformedPeerMessages: number;
	/** Sockets refused because their user already held `maxConnectionsPerUser`. */
	refusedOverUserCap: number;
}

/** Thrown by message handling for a frame that does not follow the protocol. */
export class MalformedFrame extends Error {}

export class Connection {
	room: Room | null = null;
	closed = false;
	/** Awareness client ids this connection has announced. */
	readonly awarenessIds = new Set<number>();
	/** Frames received before the room was ready. */
	readonly early: Uint8Array[] = [];
	/** Whether the client answered the server's step 1 (its sync reply, checked against the room once). */
	answeredStep1 = false;

	constructor(
		readonly socket: CollabSocket,
		readonly context: ConnectionContext
	) {}

	send(message: Uint8Array): void {
		if (this.closed) return;
		const buffered = this.socket.bufferedAmount ?? 0;
		if (this.room && buffered > this.room.settings.maxBufferedBytes) {
			this.close(CloseCode.tryAgain, 'client too slow');
			return;
		}
		try {
			this.socket.send(message);
		} catch {
			this.close(CloseCode.goingAway, 'send failed');
		}
	}

	close(code: number, reason: string): void {
		if (this.closed) return;
		this.closed = true;
		try {
			this.socket.close(code, reason);
		} catch {
			// already closed
		}
	}
}

const EMPTY_UPDATE = Y.encodeStateAsUpdate(new Y.Doc());

function syncUpdateMessage(update: Uint8Array): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, MESSAGE_SYNC);
	syncProtocol.writeUpdate(encoder, update);
	return encoding.toUint8Array(encoder);
}

function awarenessFrame(update: Uint8Array): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, MESSAGE_AWARENESS);
	encoding.writeVarUint8Array(encoder, update);
	return encoding.toUint8Array(encoder);
}

function awarenessMessage(awareness: awarenessProtocol.Awareness, clients: number[]): Uint8Array {
	return awarenessFrame(awarenessProtocol.encodeAwarenessUpdate(awareness, clients));
}

/** Whether an update carries anything (a client's answer to step 1 often does not). */
function isEmptyUpdate(update: Uint8Array): boolean {
	const decoded = Y.decodeUpdate(update);
	return decoded.structs.length === 0 && decoded.ds.clients.size === 0;
}

/** Client ids and states of an awareness update, fully decoded (throws on a malformed one). */
function readAwarenessClients(update: Uint8Array): { id: number; state: unknown }[] {
	const decoder = decoding.createDecoder(update);
	const count = decoding.readVarUint(decoder);
	if (count > 1000) throw new MalformedFrame('too many awareness entries');
	const out: { id: number; state: unknown }[] = [];
	for (let i = 0; i < count; i++) {
		const id = decoding.readVarUint(decoder);
		decoding.readVarUint(decoder);
		out.push({ id, state: JSON.parse(decoding.readVarString(decoder)) });
	}
	return out;
}

export class Room {
	readonly awareness = new awarenessProtocol.Awareness(new Y.Doc());
	readonly connections = new Set<Connection>();
	/** Merged state; `recent` holds the updates received since the last merge. */
	private base: Uint8Array = EMPTY_UPDATE;
	private baseVector: Uint8Array | null = null;
	private recent: Uint8Array[] = [];
	private recentBytes = 0;
	/** The user behind each client id whose presence came from another instance. */
	private readonly peerOwners = new Map<number, string>();
	/** Sync replies received from other instances, and the loads waiting for them. */
	private peerReplies = 0;
	private readonly replyWaiters = new Set<() => void>();
	/** What the state holds (structs and deletions), computed when a client's sync reply needs it. */
	private known: Y.Snapshot | null = null;
	/** Size of `base` after the last garbage collection of deleted content. */
	private collectedSize = 0;
	/** Updates not stored yet, oldest first. */
	private pending: Uint8Array[] = [];
	private firstPendingAt = 0;
	private storeTimer: ReturnType<typeof setTimeout> | null = null;
	private storing: Promise<void> | null = null;
	private storeAttempts = 0;
	/** Whether updates were stored since the last compaction (compacted when the room unloads). */
	private storedSinceCompact = false;
	private unloadTimer: ReturnType<typeof setTimeout> | null = null;
	private destroyed = false;
	/** Set while the last store failed; cleared by the next success. */
	storeFailing = false;
	/** Client edits not in an automatic version yet. */
	private editClock: EditClock = CLEAN;
	private lastEditor: string | null = null;
	private versionTimer: ReturnType<typeof setTimeout> | null = null;
	/** The automatic version being saved, if any. */
	versioning: Promise<void> | null = null;

	constructor(
		readonly journeyId: string,
		readonly settings: RoomSettings,
		private readonly counters: CollabCounters,
		private readonly onUnload: (room: Room) => void
	) {
		// The server has no presence of its own.
		this.awareness.setLocalState(null);
		this.awareness.on(
			'update',
			(
				{ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
				origin: unknown
			) => {
				const changed = added.concat(updated, removed);
				if (origin instanceof Connection) {
					for (const id of added) origin.awarenessIds.add(id);
					for (const id of removed) origin.awarenessIds.delete(id);
				}
				const update = awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed);
				const message = awarenessFrame(update);
				for (const c of this.connections) if (c !== origin) c.send(message);
				if (origin !== FROM_PEER)
					void this.toPeers({ type: 'awareness', update, owners: this.ownersOf(changed) });
			}
		);
	}

	/** Sets the stored state; no broadcast, no store. */
	load(state: Uint8Array | null): void {
		if (state && state.byteLength > 0) this.base = state;
		this.known = null;
		this.collectedSize = this.base.byteLength;
		// Needed by the first join anyway; reading it also refuses an unreadable stored state now.
		this.baseVector = Y.encodeStateVectorFromUpdate(this.base);
	}

	/** Adds an update made on the server (e.g. a migration at load): relayed and stored like a client's. */
	applyServerUpdate(update: Uint8Array): void {
		this.accept(update, null);
	}

	/** The whole current state, merged. */
	state(): Uint8Array {
		if (this.recent.length > 0) this.mergeRecent();
		return this.base;
	}

	private accept(update: Uint8Array, origin: Origin): void {
		this.known = null;
		const message = syncUpdateMessage(update);
		for (const c of this.connections) if (c !== origin) c.send(message);
		// Every instance holding the journey stores what it has (peers' updates too): an instance killed
		// before its store leaves its edits in the others' stores. Yjs merges the copies into one.
		if (origin !== FROM_PEER) void this.toPeers({ type: 'update', update });
		// An update read from a frame is a view of the frame's whole buffer: keep only its own bytes while it
		// waits to be merged (the soak's heap snapshots: about 1.1 KB held per small edit before, 0.7 KB now).
		// Uint8Array's slice copies; a Buffer's would be another view.
		const own =
			update.byteLength === update.buffer.byteLength ? update : Uint8Array.prototype.slice.call(update);
		this.recent.push(own);
		this.recentBytes += own.byteLength;
		if (this.recentBytes > Math.max(64 * 1024, this.base.byteLength / 4)) this.mergeRecent();
		this.queueStore(own);
		// Server updates (migrations, restores) are not edits: a restored state is a version already.
		if (origin instanceof Connection) {
			this.editClock = recordEdit(this.editClock, Date.now());
			this.lastEditor = origin.context.userId;
			this.scheduleVersion();
		}
	}

	private mergeRecent(): void {
		this.base = Y.mergeUpdates([this.base, ...this.recent]);
		this.recent = [];
		this.recentBytes = 0;
		this.baseVector = null;
		// Merging keeps the content of deleted items; a Y.Doc drops it. Do that when it has piled up.
		if (this.base.byteLength > 2 * this.collectedSize + 256 * 1024) {
			const doc = new Y.Doc();
			Y.applyUpdate(doc, this.base);
			this.base = Y.encodeStateAsUpdate(doc);
			doc.destroy();
			this.collectedSize = this.base.byteLength;
		}
	}

	get isDestroyed(): boolean {
		return this.destroyed;
	}

	get hasUnstoredChanges(): boolean {
		return this.pending.length > 0 || this.storing !== null;
	}

	join(conn: Connection): void {
		if (this.connections.size >= this.settings.maxConnectionsPerRoom) {
			conn.close(CloseCode.tryAgain, 'journey is full');
			return;
		}
		this.cancelUnload();
		conn.room = this;
		this.connections.add(conn);
		// Ask the client for what the server lacks. Merge first: a vector that left out `recent` would make
		// the client send it all back (harmless, but relayed and stored again).
		if (this.recent.length > 0) this.mergeRecent();
		this.baseVector ??= Y.encodeStateVectorFromUpdate(this.base);
		const encoder = encoding.createEncoder();
		encoding.writeVarUint(encoder, MESSAGE_SYNC);
		encoding.writeVarUint(encoder, syncProtocol.messageYjsSyncStep1);
		encoding.writeVarUint8Array(encoder, this.baseVector);
		conn.send(encoding.toUint8Array(encoder));
		const states = this.awareness.getStates();
		if (states.size > 0) conn.send(awarenessMessage(this.awareness, [...states.keys()]));
	}

	leave(conn: Connection): void {
		if (!this.connections.delete(conn)) return;
		if (conn.awarenessIds.size > 0) {
			awarenessProtocol.removeAwarenessStates(this.awareness, [...conn.awarenessIds], null);
		}
		// The last editor leaving ends a working session: keep what it changed now.
		if (!conn.context.readOnly && ![...this.connections].some((c) => !c.context.readOnly)) {
			void this.saveVersion();
		}
		if (this.connections.size === 0) this.scheduleUnload();
	}

	/** Whether the state already has every struct and deletion of `update`. */
	private holds(update: Uint8Array): boolean {
		if (!this.known) {
			const state = this.state();
			this.known = Y.createSnapshot(
				Y.decodeUpdate(state).ds,
				Y.decodeStateVector(Y.encodeStateVectorFromUpdate(state))
			);
		}
		return Y.snapshotContainsUpdate(this.known, update);
	}

	/** Handles one frame from a connection; throws MalformedFrame for anything off-protocol. */
	handle(conn: Connection, data: Uint8Array): void {
		let decoder: decoding.Decoder;
		let type: number;
		try {
			decoder = decoding.createDecoder(data);
			type = decoding.readVarUint(decoder);
		} catch {
			throw new MalformedFrame('unreadable message type');
		}
		switch (type) {
			case MESSAGE_SYNC:
				return this.handleSync(conn, decoder);
			case MESSAGE_AWARENESS:
				return this.handleAwareness(conn, decoder);
			case MESSAGE_QUERY_AWARENESS:
				conn.send(awarenessMessage(this.awareness, [...this.awareness.getStates().keys()]));
				return;
			default:
				throw new MalformedFrame(`unknown message type ${type}`);
		}
	}

	private handleSync(conn: Connection, decoder: decoding.Decoder): void {
		let step: number;
		let payload: Uint8Array;
		try {
			step = decoding.readVarUint(decoder);
			payload = decoding.readVarUint8Array(decoder);
		} catch {
			throw new MalformedFrame('unreadable sync message');
		}
		if (step === syncProtocol.messageYjsSyncStep1) {
			// One answer with everything: y-websocket calls itself synced on this message, so updates sent
			// after it would reach a client that already showed the journey as complete.
			if (this.recent.length > 0) this.mergeRecent();
			let diff: Uint8Array;
			try {
				// A new client (empty state vector) gets the stored bytes as they are.
				diff = payload.byteLength === 1 && payload[0] === 0 ? this.base : Y.diffUpdate(this.base, payload);
			} catch {
				throw new MalformedFrame('unreadable state vector');
			}
			const encoder = encoding.createEncoder();
			encoding.writeVarUint(encoder, MESSAGE_SYNC);
			encoding.writeVarUint(encoder, syncProtocol.messageYjsSyncStep2);
			encoding.writeVarUint8Array(encoder, diff);
			conn.send(encoding.toUint8Array(encoder));
			return;
		}
		if (step !== syncProtocol.messageYjsSyncStep2 && step !== syncProtocol.messageYjsUpdate) {
			throw new MalformedFrame(`unknown sync step ${step}`);
		}
		if (conn.context.readOnly) {
			this.counters.droppedReadOnlyUpdates++;
			return;
		}
		let empty: boolean;
		try {
			// Decode fully before keeping it: a broken update must not reach the state or other clients.
			empty = isEmptyUpdate(payload);
		} catch {
			throw new MalformedFrame('unreadable document update');
		}
		// A client's answer to step 1 when it has nothing new.
		if (empty) return;
		// When a server restarts, every client answers its step 1 with the same edits the first one
		// already brought: relaying each copy to every client made reconnecting 50 editors take seconds.
		// Checked once per connection: the check reads the whole state, and a client sends one sync reply.
		if (step === syncProtocol.messageYjsSyncStep2 && !conn.answeredStep1) {
			conn.answeredStep1 = true;
			if (this.holds(payload)) return;
		}
		this.accept(payload, conn);
	}

	private handleAwareness(conn: Connection, decoder: decoding.Decoder): void {
		let update: Uint8Array;
		let clients: { id: number; state: unknown }[];
		try {
			update = decoding.readVarUint8Array(decoder);
			clients = readAwarenessClients(update);
		} catch {
			throw new MalformedFrame('unreadable awareness update');
		}
		// A connection speaks for its own clients only, and for a bounded number of them; a client of
		// another instance is someone else's unless it is the same user (back after a reconnection).
		const owned = new Set(conn.awarenessIds);
		for (const { id } of clients) {
			const peerOwner = this.peerOwners.get(id);
			if (peerOwner !== undefined && peerOwner !== conn.context.userId) {
				this.counters.droppedAwarenessUpdates++;
				return;
			}
			for (const other of this.connections) {
				if (other !== conn && other.awarenessIds.has(id)) {
					this.counters.droppedAwarenessUpdates++;
					return;
				}
			}
			owned.add(id);
		}
		if (owned.size > this.settings.maxAwarenessClientsPerConnection) {
			this.counters.droppedAwarenessUpdates++;
			return;
		}
		awarenessProtocol.applyAwarenessUpdate(this.awareness, update, conn);
	}

	// ------------------------------------------------------------------ other instances

	/** Users behind these client ids, for the ids a connection of this instance announced. */
	private ownersOf(ids: number[]): [number, string][] {
		const out: [number, string][] = [];
		for (const id of ids)
			for (const c of this.connections) if (c.awarenessIds.has(id)) out.push([id, c.context.userId]);
		return out;
	}

	private toPeers(message: PeerMessage): Promise<number> {
		const peers = this.settings.peers;
		if (!peers || this.destroyed) return Promise.resolve(0);
		return peers.publish(this.journeyId, encodePeerMessage(message));
	}

	/**
	 * Tells the other instances what this room holds; they answer with what it lacks (and presence).
	 * With `waitMs`, resolves once every instance the request reached has answered, or after `waitMs`:
	 * a room that is loading waits so that its first client's sync already holds the edits another
	 * instance has in memory and not stored yet.
	 */
	requestPeerSync(waitMs = 0): Promise<void> {
		const peers = this.settings.peers;
		if (!peers || this.destroyed) return Promise.resolve();
		const before = this.peerReplies;
		const reached = this.toPeers({
			type: 'sync-request',
			from: peers.id,
			stateVector: Y.encodeStateVectorFromUpdate(this.state())
		});
		if (waitMs <= 0) return Promise.resolve();
		return new Promise((resolve) => {
			let expected = Infinity;
			const check = () => {
				if (this.peerReplies - before < expected && !this.destroyed) return;
				clearTimeout(timer);
				this.replyWaiters.delete(check);
				resolve();
			};
			const timer = setTimeout(() => {
				expected = 0;
				check();
			}, waitMs);
			this.replyWaiters.add(check);
			// A reply can come before Redis says how many got the request: count from the request on.
			void reached.then((n) => {
				expected = n;
				check();
			});
		});
	}

	/** Handles a message from the same journey's room in another instance. */
	receivePeer(bytes: Uint8Array): void {
		if (this.destroyed) return;
		let message: PeerMessage;
		try {
			message = decodePeerMessage(bytes);
			this.applyPeer(message);
		} catch (e) {
			this.counters.malformedPeerMessages++;
			this.settings.logger.error('unreadable message from another instance; ignored', {
				journeyId: this.journeyId,
				error: (e as Error).message
			});
		}
	}

	private applyPeer(message: PeerMessage): void {
		const me = this.settings.peers?.id;
		switch (message.type) {
			case 'update':
				if (!isEmptyUpdate(message.update)) this.accept(message.update, FROM_PEER);
				return;
			case 'catch-up':
				if (!this.holds(message.update)) this.accept(message.update, FROM_PEER);
				return;
			case 'awareness':
				for (const [id, user] of message.owners) this.peerOwners.set(id, user);
				awarenessProtocol.applyAwarenessUpdate(this.awareness, message.update, FROM_PEER);
				for (const id of this.peerOwners.keys())
					if (!this.awareness.getStates().has(id)) this.peerOwners.delete(id);
				return;
			case 'sync-request': {
				if (message.from === me) return;
				const state = this.state();
				void this.toPeers({
					type: 'sync-reply',
					to: message.from,
					diff: Y.diffUpdate(state, message.stateVector),
					stateVector: Y.encodeStateVectorFromUpdate(state)
				});
				// The newcomer's clients should see who is already here.
				const local = [...this.connections].flatMap((c) => [...c.awarenessIds]);
				if (local.length > 0)
					void this.toPeers({
						type: 'awareness',
						update: awarenessProtocol.encodeAwarenessUpdate(this.awareness, local),
						owners: this.ownersOf(local)
					});
				return;
			}
			case 'sync-reply': {
				if (message.to !== me) return;
				// The answer carries the peer's whole delete set: what it holds, as a snapshot.
				const theirs = Y.createSnapshot(
					Y.decodeUpdate(message.diff).ds,
					Y.decodeStateVector(message.stateVector)
				);
				if (!this.holds(message.diff)) this.accept(message.diff, FROM_PEER);
				// What the answering instance lacks (edits or deletions missed while the link was down) goes to
				// every peer.
				const back = Y.diffUpdate(this.state(), message.stateVector);
				if (!Y.snapshotContainsUpdate(theirs, back)) void this.toPeers({ type: 'catch-up', update: back });
				this.peerReplies++;
				for (const check of [...this.replyWaiters]) check();
				return;
			}
		}
	}

	// ------------------------------------------------------------------ persistence

	private queueStore(update: Uint8Array): void {
		this.pending.push(update);
		if (this.firstPendingAt === 0) this.firstPendingAt = Date.now();
		if (!this.storing && !this.storeFailing) this.scheduleStore(this.settings.storeDebounceMs);
	}

	private scheduleStore(debounce: number): void {
		if (this.destroyed) return;
		if (this.storeTimer) clearTimeout(this.storeTimer);
		const untilMaxWait = this.firstPendingAt + this.settings.storeMaxWaitMs - Date.now();
		const delay = Math.max(0, Math.min(debounce, untilMaxWait));
		this.storeTimer = setTimeout(() => {
			this.storeTimer = null;
			void this.store();
		}, delay);
	}

	/** Stores what is pending now; resolves when that attempt ended (successfully or not). */
	store(): Promise<void> {
		if (this.storing) return this.storing;
		if (this.pending.length === 0) return Promise.resolve();
		if (this.storeTimer) {
			clearTimeout(this.storeTimer);
			this.storeTimer = null;
		}
		const batch = this.pending;
		this.pending = [];
		this.firstPendingAt = 0;
		const merged = batch.length === 1 ? batch[0] : Y.mergeUpdates(batch);
		this.storing = (async () => {
			try {
				await this.settings.persistence.appendUpdate(this.journeyId, merged);
				this.storeAttempts = 0;
				this.storeFailing = false;
				this.storedSinceCompact = true;
			} catch (e) {
				this.counters.failedStores++;
				this.storeFailing = true;
				this.storeAttempts++;
				// Keep the batch first in line; nothing is dropped while the store is down.
				this.pending.unshift(merged);
				if (this.firstPendingAt === 0) this.firstPendingAt = Date.now();
				this.settings.logger.error('storing journey update failed; will retry', {
					journeyId: this.journeyId,
					attempt: this.storeAttempts,
					error: (e as Error).message
				});
			} finally {
				this.storing = null;
			}
			if (this.pending.length > 0) {
				const retry = this.storeFailing
					? Math.min(
							this.settings.storeRetryMs * 2 ** (this.storeAttempts - 1),
							this.settings.storeRetryMaxMs
						)
					: this.settings.storeDebounceMs;
				if (this.storeFailing) this.firstPendingAt = Date.now();
				this.scheduleStore(retry);
			}
		})();
		return this.storing;
	}

	private async compact(): Promise<void> {
		try {
			await this.settings.persistence.compact(this.journeyId, this.state());
			this.storedSinceCompact = false;
		} catch (e) {
			// The updates are stored; the store compacts them later by itself.
			this.settings.logger.warn('compacting journey failed', {
				journeyId: this.journeyId,
				error: (e as Error).message
			});
		}
	}

	/** Stores everything pending, retrying until it is stored or `deadline` (ms timestamp) passes. */
	async flush(deadline = Infinity): Promise<boolean> {
		while (this.hasUnstoredChanges) {
			await this.store();
			if (this.storeFailing) {
				if (Date.now() >= deadline) return false;
				await new Promise((r) =>
					setTimeout(r, Math.min(this.settings.storeRetryMs, Math.max(0, deadline - Date.now())))
				);
			}
		}
		return true;
	}

	// ------------------------------------------------------------------ automatic versions

	private scheduleVersion(): void {
		const auto = this.settings.autoVersion;
		if (!auto || this.destroyed || this.versioning) return;
		const due = versionDueAt(this.editClock, auto);
		if (due === null) return;
		if (this.versionTimer) clearTimeout(this.versionTimer);
		this.versionTimer = setTimeout(
			() => {
				this.versionTimer = null;
				void this.saveVersion();
			},
			Math.max(0, due - Date.now())
		);
	}

	/** Saves an automatic version now if client edits are not in one; resolves when done. */
	saveVersion(): Promise<void> {
		const auto = this.settings.autoVersion;
		if (!auto || this.editClock.dirtySince === null) return this.versioning ?? Promise.resolve();
		if (this.versioning) return this.versioning;
		if (this.versionTimer) clearTimeout(this.versionTimer);
		this.versionTimer = null;
		const taken = this.editClock;
		const state = this.state();
		this.versioning = (async () => {
			try {
				await auto.save(this.journeyId, state, this.lastEditor);
				// Edits that came in while saving start the next period.
				this.editClock =
					this.editClock.lastEditAt === taken.lastEditAt
						? CLEAN
						: { dirtySince: taken.lastEditAt, lastEditAt: this.editClock.lastEditAt };
			} catch (e) {
				this.settings.logger.error('saving an automatic version failed; will retry', {
					journeyId: this.journeyId,
					error: (e as Error).message
				});
				// Try again after a quiet period, as if the edits had just been made.
				this.editClock = { dirtySince: Date.now(), lastEditAt: Date.now() };
			} finally {
				this.versioning = null;
			}
			this.scheduleVersion();
		})();
		return this.versioning;
	}

	// ------------------------------------------------------------------ lifetime

	private cancelUnload(): void {
		if (this.unloadTimer) clearTimeout(this.unloadTimer);
		this.unloadTimer = null;
	}

	scheduleUnload(): void {
		this.cancelUnload();
		this.unloadTimer = setTimeout(() => void this.tryUnload(), this.settings.unloadGraceMs);
	}

	private async tryUnload(): Promise<void> {
		this.unloadTimer = null;
		if (this.connections.size > 0 || this.destroyed) return;
		// A room whose store fails stays in memory: it holds the only copy of those changes.
		if (!(await this.flush(Date.now() + this.settings.storeRetryMaxMs))) {
			if (this.connections.size === 0) this.scheduleUnload();
			return;
		}
		if (this.storedSinceCompact) await this.compact();
		if (this.destroyed || this.connections.size > 0 || this.hasUnstoredChanges) return;
		this.destroy();
		this.onUnload(this);
	}

	destroy(): void {
		if (this.destroyed) return;
		this.destroyed = true;
		this.cancelUnload();
		if (this.storeTimer) clearTimeout(this.storeTimer);
		if (this.versionTimer) clearTimeout(this.versionTimer);
		this.awareness.doc.destroy();
		this.awareness.destroy();
		this.base = EMPTY_UPDATE;
		this.recent = [];
		// A load waiting for peers' answers ends now (and finds the room destroyed).
		for (const check of [...this.replyWaiters]) check();
	}
}
