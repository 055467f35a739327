/**
 * One open journey in the browser: the Y.Doc, its y-websocket connection to `/collab/<journeyId>`, its
 * offline copy in IndexedDB, presence, and an undo manager limited to this tab's own changes.
 * Every edit goes through `journey` (a `JourneyDocument` whose transactions carry `origin`).
 */
/* eslint-disable svelte/prefer-svelte-reactivity -- Sets and Maps here are local temporaries or
   non-reactive bookkeeping; reactive state is in $state fields. */
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { IndexeddbPersistence } from 'y-indexeddb';
import { Awareness } from 'y-protocols/awareness';
import { openJourney, ROOT, type JourneyDocument, type JourneySnapshot } from '$lib/journey';
import { Presence } from './presence.svelte';

export type ConnectionStatus =
	/** First connection attempt. */
	| 'connecting'
	/** Socket open, waiting for the server's state. */
	| 'syncing'
	| 'connected'
	/** Disconnected (network down or server away); retrying, edits are kept on this device. */
	| 'offline'
	/**
	 * The server closed the connection for good (4401 signed out, 4403 no access, 4404 gone, 4429 too
	 * many connections of this user).
	 */
	| 'refused';

export interface SessionOptions {
	journeyId: string;
	user: { id: string; name: string };
	/** Viewers: no offline copy, no undo; the server drops their updates anyway. */
	readOnly: boolean;
	/** `ws(s)://host/collab` by default, from `location`. */
	serverUrl?: string;
	/**
	 * A fixed state to show instead of the live journey (a past version): no connection, no offline
	 * copy, read-only.
	 */
	state?: Uint8Array;
}

/** The transaction origin of this tab's edits. */
export interface LocalOrigin {
	readonly session: true;
}

export function collabUrl(loc: Pick<Location, 'protocol' | 'host'>): string {
	return `${loc.protocol === 'https:' ? 'wss:' : 'ws:'}//${loc.host}/collab`;
}

export class JourneySession {
	readonly doc = new Y.Doc();
	readonly origin: LocalOrigin = { session: true };
	readonly journey: JourneyDocument;
	/** Null for a fixed state (a past version). */
	readonly provider: WebsocketProvider | null;
	readonly presence: Presence;
	readonly undoManager: Y.UndoManager | null;
	readonly readOnly: boolean;
	private readonly idb: IndexeddbPersistence | null;

	/** The journey as last drawn (refreshed once per frame); `journey.snapshot()` is always current. */
	snapshot = $state.raw<JourneySnapshot>(undefined as unknown as JourneySnapshot);
	status = $state<ConnectionStatus>('connecting');
	closeCode = $state<number | null>(null);
	/** True once the document came from the server or from this device's copy. */
	loaded = $state(false);
	/** Local edits made since the connection was lost (kept on this device, sent on reconnect). */
	offlineEdits = $state(0);
	canUndo = $state(false);
	canRedo = $state(false);

	private readonly cleanups: (() => void)[] = [];

	constructor(options: SessionOptions) {
		const fixed = options.state !== undefined;
		this.readOnly = options.readOnly || fixed;
		if (options.state) Y.applyUpdate(this.doc, options.state);
		this.journey = openJourney(this.doc, { origin: this.origin });
		// One snapshot per frame, however many updates arrive in it (a busy workshop sends many).
		this.snapshot = this.journey.snapshot();
		let frame: number | null = null;
		const refresh = () => {
			frame = null;
			this.snapshot = this.journey.snapshot();
		};
		const onTransaction = () => {
			if (frame === null) frame = requestAnimationFrame(refresh);
		};
		this.doc.on('afterTransaction', onTransaction);
		this.cleanups.push(() => {
			this.doc.off('afterTransaction', onTransaction);
			if (frame !== null) cancelAnimationFrame(frame);
		});

		this.idb = this.readOnly
			? null
			: new IndexeddbPersistence(`parcours:journey:${options.journeyId}`, this.doc);
		this.idb?.whenSynced.then(() => {
			if (this.doc.share.size && this.journey.snapshot().stages.length) this.loaded = true;
		});

		if (fixed) {
			this.provider = null;
			this.presence = new Presence(new Awareness(this.doc), options.user);
			this.status = 'connected';
			this.loaded = true;
			this.undoManager = null;
			return;
		}
		this.provider = new WebsocketProvider(
			options.serverUrl ?? collabUrl(location),
			options.journeyId,
			this.doc,
			// A viewer's tab must not relay anything to an editor's tab of the same browser.
			{ disableBc: options.readOnly, maxBackoffTime: 5000 }
		);
		const provider = this.provider;
		this.presence = new Presence(provider.awareness, options.user);

		provider.on('status', ({ status }) => {
			if (this.status === 'refused') return;
			if (status === 'connected') this.status = 'syncing';
			else if (status === 'disconnected') this.status = 'offline';
			else if (this.status !== 'offline') this.status = 'connecting';
		});
		provider.on('sync', (synced) => {
			if (!synced) return;
			this.status = 'connected';
			this.loaded = true;
			this.offlineEdits = 0;
		});
		provider.on('closed', ({ code }) => {
			this.status = 'refused';
			this.closeCode = code;
		});
		const onUpdate = (_u: Uint8Array, origin: unknown) => {
			if (origin === this.origin && this.status !== 'connected') this.offlineEdits++;
		};
		this.doc.on('update', onUpdate);
		this.cleanups.push(() => this.doc.off('update', onUpdate));

		// y-websocket notices a dead network only after 30 s without messages; the browser knows sooner.
		const offline = () => {
			if (this.status === 'refused') return;
			provider.disconnect();
			this.status = 'offline';
		};
		const online = () => {
			if (this.status !== 'refused') provider.connect();
		};
		window.addEventListener('offline', offline);
		window.addEventListener('online', online);
		this.cleanups.push(() => {
			window.removeEventListener('offline', offline);
			window.removeEventListener('online', online);
		});
		if (typeof navigator !== 'undefined' && navigator.onLine === false) offline();

		if (options.readOnly) {
			this.undoManager = null;
		} else {
			const d = this.doc;
			this.undoManager = new Y.UndoManager(
				[
					d.getMap(ROOT.info),
					d.getMap(ROOT.personas),
					d.getMap(ROOT.stages),
					d.getMap(ROOT.touchpoints),
					d.getMap(ROOT.connections),
					d.getArray(ROOT.placement)
				],
				{ trackedOrigins: new Set([this.origin]), captureTimeout: 400 }
			);
			const stacks = () => {
				this.canUndo = this.undoManager!.canUndo();
				this.canRedo = this.undoManager!.canRedo();
			};
			this.undoManager.on('stack-item-added', stacks);
			this.undoManager.on('stack-item-popped', stacks);
			this.undoManager.on('stack-cleared', stacks);
		}
		// A handle for debugging from the console and for end-to-end tests; it gives nothing the page
		// does not already have.
		(globalThis as { parcoursSession?: JourneySession }).parcoursSession = this;
	}

	/** Runs several operations as one change (one undo step, one update on the wire). */
	batch<T>(fn: (journey: JourneyDocument) => T): T {
		let out!: T;
		this.doc.transact(() => (out = fn(this.journey)), this.origin);
		return out;
	}

	/**
	 * Runs operations one transaction each, as one undo step. Needed when several operations place
	 * items in one stage: the model reads positions as of the last finished transaction.
	 */
	group<T>(fn: (journey: JourneyDocument) => T): T {
		this.undoManager?.stopCapturing();
		try {
			return fn(this.journey);
		} finally {
			this.undoManager?.stopCapturing();
		}
	}

	undo(): void {
		this.undoManager?.undo();
	}

	redo(): void {
		this.undoManager?.redo();
	}

	/** Ends the current undo step, so the next edit is undone separately. */
	stopCapturing(): void {
		this.undoManager?.stopCapturing();
	}

	/** Drops the connection by hand (the network stays up): edits are kept and sent on `reconnect`. */
	disconnect(): void {
		if (!this.provider) return;
		this.provider.disconnect();
		this.status = 'offline';
	}

	reconnect(): void {
		this.provider?.connect();
	}

	destroy(): void {
		for (const c of this.cleanups.splice(0)) c();
		this.presence.destroy();
		this.undoManager?.destroy();
		this.provider?.destroy();
		void this.idb?.destroy();
		this.journey.destroy();
		this.doc.destroy();
		const g = globalThis as { parcoursSession?: JourneySession };
		if (g.parcoursSession === this) delete g.parcoursSession;
	}
}
