/**
 * One loaded journey document: its Y.Doc, its presence (awareness), its connections, and the
 * debounced, retried stores of its updates.
 */
import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import {
	CloseCode,
	type CollabLogger,
	type CollabPersistence,
	type CollabSocket,
	type ConnectionContext
} from './types';

export const MESSAGE_SYNC = 0;
export const MESSAGE_AWARENESS = 1;
export const MESSAGE_QUERY_AWARENESS = 3;

export interface RoomSettings {
	persistence: CollabPersistence;
	logger: CollabLogger;
	storeDebounceMs: number;
	storeMaxWaitMs: number;
	storeRetryMs: number;
	storeRetryMaxMs: number;
	unloadGraceMs: number;
	maxAwarenessClientsPerConnection: number;
	maxBufferedBytes: number;
	maxConnectionsPerRoom: number;
}

export interface CollabCounters {
	droppedReadOnlyUpdates: number;
	malformedFrames: number;
	oversizedFrames: number;
	failedStores: number;
	failedLoads: number;
	droppedAwarenessUpdates: number;
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

function syncUpdateMessage(update: Uint8Array): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, MESSAGE_SYNC);
	syncProtocol.writeUpdate(encoder, update);
	return encoding.toUint8Array(encoder);
}

function awarenessMessage(awareness: awarenessProtocol.Awareness, clients: number[]): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, MESSAGE_AWARENESS);
	encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(awareness, clients));
	return encoding.toUint8Array(encoder);
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
	readonly doc = new Y.Doc({ gc: true });
	readonly awareness = new awarenessProtocol.Awareness(this.doc);
	readonly connections = new Set<Connection>();
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

	constructor(
		readonly journeyId: string,
		readonly settings: RoomSettings,
		private readonly counters: CollabCounters,
		private readonly onUnload: (room: Room) => void
	) {
		// The server has no presence of its own.
		this.awareness.setLocalState(null);
		this.doc.on('update', (update: Uint8Array, origin: unknown) => {
			if (origin === 'load') return;
			const message = syncUpdateMessage(update);
			for (const c of this.connections) if (c !== origin) c.send(message);
			this.queueStore(update);
		});
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
				const message = awarenessMessage(this.awareness, changed);
				for (const c of this.connections) if (c !== origin) c.send(message);
			}
		);
	}

	/** Applies the stored state; no broadcast, no store. */
	load(state: Uint8Array | null): void {
		if (state && state.byteLength > 0) Y.applyUpdate(this.doc, state, 'load');
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
		// Ask the client for what the server lacks; the client asks for the rest with its own step 1.
		const encoder = encoding.createEncoder();
		encoding.writeVarUint(encoder, MESSAGE_SYNC);
		syncProtocol.writeSyncStep1(encoder, this.doc);
		conn.send(encoding.toUint8Array(encoder));
		const states = this.awareness.getStates();
		if (states.size > 0) conn.send(awarenessMessage(this.awareness, [...states.keys()]));
	}

	leave(conn: Connection): void {
		if (!this.connections.delete(conn)) return;
		if (conn.awarenessIds.size > 0) {
			awarenessProtocol.removeAwarenessStates(this.awareness, [...conn.awarenessIds], null);
		}
		if (this.connections.size === 0) this.scheduleUnload();
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
			let reply: Uint8Array;
			try {
				const encoder = encoding.createEncoder();
				encoding.writeVarUint(encoder, MESSAGE_SYNC);
				syncProtocol.writeSyncStep2(encoder, this.doc, payload);
				reply = encoding.toUint8Array(encoder);
			} catch {
				throw new MalformedFrame('unreadable state vector');
			}
			conn.send(reply);
			return;
		}
		if (step !== syncProtocol.messageYjsSyncStep2 && step !== syncProtocol.messageYjsUpdate) {
			throw new MalformedFrame(`unknown sync step ${step}`);
		}
		if (conn.context.readOnly) {
			this.counters.droppedReadOnlyUpdates++;
			return;
		}
		try {
			// Decode fully before applying, so a broken update cannot leave the document half-changed.
			Y.decodeUpdate(payload);
		} catch {
			throw new MalformedFrame('unreadable document update');
		}
		Y.applyUpdate(this.doc, payload, conn);
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
		// A connection speaks for its own clients only, and for a bounded number of them.
		const owned = new Set(conn.awarenessIds);
		for (const { id } of clients) {
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
			await this.settings.persistence.compact(this.journeyId, Y.encodeStateAsUpdate(this.doc));
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
		this.awareness.destroy();
		this.doc.destroy();
	}
}
