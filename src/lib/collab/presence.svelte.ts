/**
 * Who is here and what they do, carried on the y-websocket awareness. Each client publishes its user,
 * colour, cursor (flow coordinates), selected touchpoints and the field it is editing. Cursor and
 * selection are throttled and sent only on change, so 30 people moving their mouse stay a few kB/s.
 */
/* eslint-disable svelte/prefer-svelte-reactivity -- Sets and Maps here are local temporaries or
   non-reactive bookkeeping; reactive state is in $state fields. */
import type { Awareness } from 'y-protocols/awareness';
import { colorFor } from './colors';
import { throttled, type Throttled } from './throttle';

export interface PresenceUser {
	id: string;
	name: string;
	color: string;
}

export interface PresenceCursor {
	x: number;
	y: number;
}

export interface PresenceEditing {
	/** Touchpoint or stage id. */
	id: string;
	field: string;
}

export interface PresenceState {
	user: PresenceUser;
	cursor: PresenceCursor | null;
	selection: string[];
	editing: PresenceEditing | null;
}

export interface Peer extends PresenceState {
	clientId: number;
}

/** Cursor messages per second at most. */
export const CURSOR_HZ = 10;

const sameCursor = (a: PresenceCursor | null, b: PresenceCursor | null) =>
	a === b || (!!a && !!b && Math.round(a.x) === Math.round(b.x) && Math.round(a.y) === Math.round(b.y));
const sameList = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

function isPresence(v: unknown): v is PresenceState {
	const s = v as PresenceState | null;
	return !!s && typeof s.user?.id === 'string' && typeof s.user?.name === 'string';
}

export class Presence {
	/** Everyone else connected to this journey (one entry per browser tab), in join order. */
	peers = $state.raw<Peer[]>([]);
	readonly self: PresenceUser;
	private readonly awareness: Awareness;
	private readonly cursor: Throttled<PresenceCursor | null>;
	private readonly selection: Throttled<string[]>;
	private frame: number | null = null;
	private readonly onChange = () => this.schedule();

	constructor(awareness: Awareness, user: { id: string; name: string }) {
		this.awareness = awareness;
		this.self = { id: user.id, name: user.name, color: colorFor(user.id) };
		const initial: PresenceState = { user: this.self, cursor: null, selection: [], editing: null };
		awareness.setLocalState(initial);
		this.cursor = throttled((c) => this.set('cursor', c), 1000 / CURSOR_HZ, sameCursor);
		this.selection = throttled((s) => this.set('selection', s), 100, sameList);
		awareness.on('change', this.onChange);
		this.read();
	}

	setCursor(cursor: PresenceCursor | null): void {
		this.cursor.push(cursor && { x: Math.round(cursor.x), y: Math.round(cursor.y) });
	}

	setSelection(ids: string[]): void {
		this.selection.push(ids);
	}

	setEditing(editing: PresenceEditing | null): void {
		const cur = (this.awareness.getLocalState() as PresenceState | null)?.editing ?? null;
		if (cur?.id === editing?.id && cur?.field === editing?.field) return;
		this.set('editing', editing);
	}

	destroy(): void {
		this.cursor.cancel();
		this.selection.cancel();
		if (this.frame !== null) cancelAnimationFrame(this.frame);
		this.awareness.off('change', this.onChange);
		this.awareness.setLocalState(null);
	}

	private set<K extends keyof PresenceState>(field: K, value: PresenceState[K]): void {
		if (this.awareness.getLocalState() === null) return;
		this.awareness.setLocalStateField(field, value);
	}

	/** Many awareness changes can arrive in one frame: read them once per frame. */
	private schedule(): void {
		if (this.frame !== null) return;
		if (typeof requestAnimationFrame === 'undefined') return this.read();
		this.frame = requestAnimationFrame(() => {
			this.frame = null;
			this.read();
		});
	}

	private read(): void {
		const peers: Peer[] = [];
		for (const [clientId, state] of this.awareness.getStates()) {
			if (clientId === this.awareness.clientID || !isPresence(state)) continue;
			peers.push({
				clientId,
				user: state.user,
				cursor: state.cursor ?? null,
				selection: Array.isArray(state.selection) ? state.selection : [],
				editing: state.editing ?? null
			});
		}
		this.peers = peers;
	}
}

/** One avatar per person, however many tabs they have open. */
export function uniqueUsers(peers: readonly Peer[], self?: PresenceUser): PresenceUser[] {
	const seen = new Map<string, PresenceUser>();
	if (self) seen.set(self.id, self);
	for (const p of peers) if (!seen.has(p.user.id)) seen.set(p.user.id, p.user);
	return [...seen.values()];
}
