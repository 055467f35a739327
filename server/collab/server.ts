/**
 * The collaboration core: rooms by journey, connections, loading and unloading. It speaks the
 * y-websocket protocol (y-protocols sync + awareness) over any socket that fits `CollabSocket`.
 */
import { randomUUID } from 'node:crypto';
import * as Y from 'yjs';
import { encodePeerMessage } from './peers';
import { Connection, MalformedFrame, Room, type CollabCounters, type RoomSettings } from './room';
import {
	CloseCode,
	consoleLogger,
	type CollabFanout,
	type CollabOptions,
	type CollabSocket,
	type ConnectionContext
} from './types';

export interface CollabStats extends CollabCounters {
	rooms: number;
	connections: number;
	/** Rooms holding changes that are not stored yet. */
	roomsWithUnstoredChanges: number;
}

export class CollabServer {
	private readonly settings: RoomSettings;
	private readonly maxFrameBytes: number;
	private readonly loadTimeoutMs: number;
	private readonly peerSyncWaitMs: number;
	private readonly maxFramesWhileLoading: number;
	private readonly prepareState?: (state: Uint8Array) => Uint8Array | null;
	private readonly prepareDocument?: (doc: Y.Doc) => void;
	private readonly rooms = new Map<string, Room>();
	private readonly loading = new Map<string, Promise<Room>>();
	/** Rooms loaded from the store and waiting for the other instances' answers (not in `rooms` yet). */
	private readonly waiting = new Map<string, Room>();
	private readonly perUser = new Map<string, number>();
	private readonly maxConnectionsPerUser: number;
	/** Journeys deleted while their room was reading the store: that load must not serve them. */
	private readonly discardedWhileLoading = new Set<string>();
	/** Server-side changes being stored for journeys without a room; a load waits for them. */
	private readonly writes = new Map<string, Promise<unknown>>();
	private readonly connections = new Set<Connection>();
	private readonly counters: CollabCounters = {
		droppedReadOnlyUpdates: 0,
		malformedFrames: 0,
		oversizedFrames: 0,
		failedStores: 0,
		failedLoads: 0,
		droppedAwarenessUpdates: 0,
		malformedPeerMessages: 0,
		refusedOverUserCap: 0
	};
	private closing = false;
	private readonly fanout: CollabFanout | null;
	private readonly offResume: () => void;

	constructor(options: CollabOptions) {
		this.fanout = options.fanout ?? null;
		const fanout = this.fanout;
		this.settings = {
			persistence: options.persistence,
			peers: fanout
				? { id: randomUUID(), publish: (journeyId, message) => fanout.publish(journeyId, message) }
				: null,
			logger: options.logger ?? consoleLogger,
			storeDebounceMs: options.storeDebounceMs ?? 500,
			storeMaxWaitMs: options.storeMaxWaitMs ?? 3_000,
			storeRetryMs: options.storeRetryMs ?? 500,
			storeRetryMaxMs: options.storeRetryMaxMs ?? 30_000,
			unloadGraceMs: options.unloadGraceMs ?? 10_000,
			maxAwarenessClientsPerConnection: options.maxAwarenessClientsPerConnection ?? 8,
			maxBufferedBytes: options.maxBufferedBytes ?? 16 * 1024 * 1024,
			maxConnectionsPerRoom: options.maxConnectionsPerRoom ?? 1_000,
			autoVersion: options.autoVersion ?? null
		};
		this.maxFrameBytes = options.maxFrameBytes ?? 1024 * 1024;
		this.loadTimeoutMs = options.loadTimeoutMs ?? 15_000;
		this.peerSyncWaitMs = options.peerSyncWaitMs ?? 1_000;
		this.maxFramesWhileLoading = options.maxFramesWhileLoading ?? 64;
		this.maxConnectionsPerUser = options.maxConnectionsPerUser ?? 100;
		this.prepareState = options.prepareState;
		this.prepareDocument = options.prepareDocument;
		// Messages published while the link was down are gone: every room exchanges states again.
		this.offResume =
			fanout?.onResume(() => {
				for (const room of [...this.rooms.values(), ...this.waiting.values()]) void room.requestPeerSync();
			}) ?? (() => {});
	}

	get frameLimit(): number {
		return this.maxFrameBytes;
	}

	/**
	 * Takes an authenticated socket for one journey. The document is loaded on the first connection;
	 * if it cannot be loaded the socket is closed with 4500 and nothing is created.
	 */
	handleConnection(socket: CollabSocket, context: ConnectionContext): void {
		const conn = new Connection(socket, context);
		if (this.closing) {
			conn.close(CloseCode.goingAway, 'server shutting down');
			return;
		}
		const held = this.perUser.get(context.userId) ?? 0;
		if (held >= this.maxConnectionsPerUser) {
			this.counters.refusedOverUserCap++;
			this.settings.logger.warn('connection over the per-user cap refused', {
				userId: context.userId,
				held
			});
			conn.close(CloseCode.tooMany, 'too many open connections: close other tabs and reload');
			return;
		}
		this.perUser.set(context.userId, held + 1);
		this.connections.add(conn);
		socket.on('message', (data) => this.onMessage(conn, data));
		socket.on('close', () => this.onClose(conn));
		this.room(context.journeyId).then(
			(room) => {
				if (conn.closed) return;
				room.join(conn);
				if (conn.room !== room) return;
				for (const frame of conn.early.splice(0)) this.onMessage(conn, frame);
			},
			() => conn.close(CloseCode.unavailable, 'journey unavailable, try again later')
		);
	}

	/** Closes the sockets of a user (for one journey, or all), e.g. when their access is revoked. */
	closeConnectionsFor(userId: string, journeyId?: string, code: number = CloseCode.forbidden): number {
		let n = 0;
		for (const conn of this.connections) {
			if (conn.context.userId !== userId) continue;
			if (journeyId !== undefined && conn.context.journeyId !== journeyId) continue;
			conn.close(code, 'access revoked');
			this.onClose(conn);
			n++;
		}
		return n;
	}

	/** Who is connected to which journey, and with which rights: one entry per distinct triple. */
	connectionContexts(): ConnectionContext[] {
		const seen = new Map<string, ConnectionContext>();
		for (const { context } of this.connections)
			seen.set(`${context.userId} ${context.journeyId} ${context.readOnly}`, { ...context });
		return [...seen.values()];
	}

	/**
	 * Forgets a journey that no longer exists: its sockets are closed with 4404 (the client stops) and
	 * its room is dropped without storing, since there is nowhere left to store it.
	 */
	discardJourney(journeyId: string): number {
		let n = 0;
		for (const conn of [...this.connections]) {
			if (conn.context.journeyId !== journeyId) continue;
			conn.close(CloseCode.notFound, 'journey deleted');
			this.onClose(conn);
			n++;
		}
		const room = this.rooms.get(journeyId);
		if (room) {
			this.rooms.delete(journeyId);
			room.destroy();
			this.fanout?.leave(journeyId);
		}
		// A room still waiting for its peers is destroyed too, and one still reading the store is marked:
		// either load then fails instead of serving the journey.
		this.waiting.get(journeyId)?.destroy();
		if (this.loading.has(journeyId)) this.discardedWhileLoading.add(journeyId);
		return n;
	}

	stats(): CollabStats {
		let unstored = 0;
		for (const r of this.rooms.values()) if (r.hasUnstoredChanges) unstored++;
		return {
			...this.counters,
			rooms: this.rooms.size,
			connections: this.connections.size,
			roomsWithUnstoredChanges: unstored
		};
	}

	/** The current state of a loaded journey as one Yjs update, if loaded (for tests and server-side readers). */
	loadedState(journeyId: string): Uint8Array | undefined {
		return this.rooms.get(journeyId)?.state();
	}

	/**
	 * The current state of a journey: the room's when it is loaded (or loading), else the stored one
	 * (prepared as a load would). Null for a journey never stored.
	 */
	async currentState(journeyId: string): Promise<Uint8Array | null> {
		const room = this.rooms.get(journeyId) ?? (await this.loading.get(journeyId));
		if (room) return room.state();
		await this.writes.get(journeyId);
		const state = await this.settings.persistence.loadDocument(journeyId);
		if (!state) return null;
		const change = this.prepare(state);
		return change ? Y.mergeUpdates([state, change]) : state;
	}

	/**
	 * Changes a journey's document on the server: `change` gets the current state and returns the update to
	 * apply (or null). In a loaded room it runs synchronously with the state every client has, and the
	 * update reaches every connected client; otherwise it is stored, and a room loading meanwhile waits
	 * for it. Resolves once the update is stored.
	 */
	async updateDocument(
		journeyId: string,
		change: (state: Uint8Array) => Uint8Array | null
	): Promise<{ before: Uint8Array; update: Uint8Array | null }> {
		const room = this.rooms.get(journeyId) ?? (await this.loading.get(journeyId));
		if (room && this.rooms.get(journeyId) === room) {
			const before = room.state();
			const update = change(before);
			if (update) {
				room.applyServerUpdate(update);
				if (!(await room.flush(Date.now() + this.settings.storeRetryMaxMs)))
					throw new Error('the change is applied but not stored yet');
			}
			return { before, update };
		}
		const previous = this.writes.get(journeyId) ?? Promise.resolve();
		const work = previous
			.catch(() => {})
			.then(async () => {
				const stored = await this.settings.persistence.loadDocument(journeyId);
				const prepared = stored ? this.prepare(stored) : null;
				const before = stored
					? prepared
						? Y.mergeUpdates([stored, prepared])
						: stored
					: Y.encodeStateAsUpdate(new Y.Doc());
				const update = change(before);
				const toStore = [prepared, update].filter((u): u is Uint8Array => !!u);
				if (update && toStore.length) {
					const merged = Y.mergeUpdates(toStore);
					await this.settings.persistence.appendUpdate(journeyId, merged);
					// Another instance may hold the journey in memory: it must see the change too.
					void this.fanout?.publish(journeyId, encodePeerMessage({ type: 'update', update: merged }));
				}
				return { before, update };
			});
		this.writes.set(journeyId, work);
		try {
			return await work;
		} finally {
			if (this.writes.get(journeyId) === work) this.writes.delete(journeyId);
		}
	}

	/** Stores what is pending in every room (retrying until `timeoutMs`); true when everything is stored. */
	async flush(timeoutMs = 10_000): Promise<boolean> {
		const deadline = Date.now() + timeoutMs;
		const results = await Promise.all([...this.rooms.values()].map((r) => r.flush(deadline)));
		return results.every(Boolean);
	}

	/** Closes every connection (1001), stores pending changes, then unloads every room. */
	async close(timeoutMs = 10_000): Promise<boolean> {
		this.closing = true;
		for (const conn of [...this.connections]) {
			conn.close(CloseCode.goingAway, 'server shutting down');
			this.onClose(conn);
		}
		await Promise.allSettled(this.loading.values());
		// The last editors just left: their automatic versions are being saved.
		await Promise.allSettled([...this.rooms.values()].map((r) => r.versioning));
		const stored = await this.flush(timeoutMs);
		if (!stored)
			this.settings.logger.error('shutting down with unstored journey changes', {
				rooms: this.stats().roomsWithUnstoredChanges
			});
		for (const [journeyId, room] of this.rooms) {
			room.destroy();
			this.fanout?.leave(journeyId);
		}
		this.rooms.clear();
		this.offResume();
		return stored;
	}

	private room(journeyId: string): Promise<Room> {
		const ready = this.rooms.get(journeyId);
		if (ready) return Promise.resolve(ready);
		const pending = this.loading.get(journeyId);
		if (pending) return pending;
		const load = this.load(journeyId).finally(() => {
			this.loading.delete(journeyId);
			this.discardedWhileLoading.delete(journeyId);
		});
		this.loading.set(journeyId, load);
		return load;
	}

	private async load(journeyId: string): Promise<Room> {
		const { logger, persistence } = this.settings;
		await this.writes.get(journeyId)?.catch(() => {});
		let timer: ReturnType<typeof setTimeout> | undefined;
		let state: Uint8Array | null;
		// Listen to the other instances before reading the store: an edit they make meanwhile is either
		// stored already or arrives here (kept until the room exists).
		const early: Uint8Array[] = [];
		let ready: Room | null = null;
		const fanout = this.fanout;
		try {
			state = await Promise.race([
				(async () => {
					await fanout?.join(journeyId, (m) => (ready ? ready.receivePeer(m) : early.push(m)));
					return persistence.loadDocument(journeyId);
				})(),
				new Promise<never>((_, reject) => {
					timer = setTimeout(
						() => reject(new Error(`load took over ${this.loadTimeoutMs} ms`)),
						this.loadTimeoutMs
					);
				})
			]);
		} catch (e) {
			this.counters.failedLoads++;
			fanout?.leave(journeyId);
			logger.error('loading journey failed; connections refused', { journeyId, error: (e as Error).message });
			throw e;
		} finally {
			clearTimeout(timer);
		}
		if (this.discardedWhileLoading.has(journeyId)) {
			fanout?.leave(journeyId);
			throw new Error('journey deleted while it loaded');
		}
		const room = new Room(journeyId, this.settings, this.counters, (r) => {
			if (this.rooms.get(journeyId) !== r) return;
			this.rooms.delete(journeyId);
			fanout?.leave(journeyId);
		});
		try {
			room.load(state);
			const change = this.prepare(room.state());
			if (change) room.applyServerUpdate(change);
		} catch (e) {
			room.destroy();
			fanout?.leave(journeyId);
			this.counters.failedLoads++;
			logger.error('stored journey state is unreadable; connections refused', {
				journeyId,
				error: (e as Error).message
			});
			throw e;
		}
		ready = room;
		for (const message of early.splice(0)) room.receivePeer(message);
		// Clients wait on this load: their first sync then holds what other instances have not stored yet.
		this.waiting.set(journeyId, room);
		try {
			await room.requestPeerSync(this.peerSyncWaitMs);
		} finally {
			this.waiting.delete(journeyId);
		}
		if (room.isDestroyed) {
			fanout?.leave(journeyId);
			throw new Error('journey deleted while it loaded');
		}
		this.rooms.set(journeyId, room);
		// Everyone who asked may have left while it loaded.
		queueMicrotask(() => {
			if (room.connections.size === 0) room.scheduleUnload();
		});
		return room;
	}

	/** Runs the preparation hooks on a loaded state; returns the update they made, if any. */
	private prepare(state: Uint8Array): Uint8Array | null {
		const changes: Uint8Array[] = [];
		const fromState = this.prepareState?.(state);
		if (fromState) changes.push(fromState);
		if (this.prepareDocument) {
			const doc = new Y.Doc();
			Y.applyUpdate(doc, fromState ? Y.mergeUpdates([state, fromState]) : state);
			doc.on('update', (u: Uint8Array) => changes.push(u));
			this.prepareDocument(doc);
			doc.destroy();
		}
		return changes.length === 0 ? null : changes.length === 1 ? changes[0] : Y.mergeUpdates(changes);
	}

	private onMessage(conn: Connection, data: Uint8Array): void {
		if (conn.closed) return;
		if (data.byteLength > this.maxFrameBytes) {
			this.counters.oversizedFrames++;
			this.settings.logger.warn('frame over the size limit; socket closed', {
				journeyId: conn.context.journeyId,
				userId: conn.context.userId,
				bytes: data.byteLength
			});
			conn.close(CloseCode.tooBig, 'frame too large');
			this.onClose(conn);
			return;
		}
		const room = conn.room;
		if (!room) {
			if (conn.early.length >= this.maxFramesWhileLoading) {
				conn.close(CloseCode.policy, 'too many frames before the journey loaded');
				this.onClose(conn);
			} else {
				conn.early.push(data);
			}
			return;
		}
		try {
			room.handle(conn, data);
		} catch (e) {
			// Whatever one client sent, only its own socket pays for it.
			this.counters.malformedFrames++;
			const log = e instanceof MalformedFrame ? this.settings.logger.warn : this.settings.logger.error;
			log('malformed frame; socket closed', {
				journeyId: conn.context.journeyId,
				userId: conn.context.userId,
				error: (e as Error).message
			});
			conn.close(CloseCode.malformed, 'malformed frame');
			this.onClose(conn);
		}
	}

	private onClose(conn: Connection): void {
		conn.closed = true;
		if (!this.connections.delete(conn)) return;
		const held = (this.perUser.get(conn.context.userId) ?? 1) - 1;
		if (held > 0) this.perUser.set(conn.context.userId, held);
		else this.perUser.delete(conn.context.userId);
		conn.early.length = 0;
		conn.room?.leave(conn);
	}
}
