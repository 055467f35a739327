/**
 * What the journey editor does, apart from drawing it: selection, persona filter, commands (create,
 * move, delete with confirmation, copy/paste, undo) on top of a `JourneySession`. Components call these
 * methods and read the state; every change of the journey goes through `session.batch`, so it is one
 * undo step of this tab.
 */
/* eslint-disable svelte/prefer-svelte-reactivity -- Sets and Maps here are local temporaries or
   non-reactive bookkeeping; reactive state is in $state fields. */
import type { JourneySnapshot, StageGroup, Touchpoint } from '$lib/journey';
import { copyTouchpoints, parseClipboard, pasteTouchpoints, type JourneyClipboard } from './clipboard';
import type { JourneySession } from './session.svelte';

export interface Selection {
	touchpoints: string[];
	stage: string | null;
	connection: string | null;
}

export const EMPTY_SELECTION: Selection = { touchpoints: [], stage: null, connection: null };

export interface PendingDelete {
	touchpoints: { id: string; title: string }[];
	stage: { id: string; title: string } | null;
	connections: { id: string; from: string; to: string; kind: string }[];
}

export interface EditorTexts {
	newTouchpoint: string;
	newStage: string;
}

export class EditorState {
	readonly session: JourneySession;
	selection = $state.raw<Selection>(EMPTY_SELECTION);
	personaFilter = $state<string | null>(null);
	pendingDelete = $state.raw<PendingDelete | null>(null);
	helpOpen = $state(false);
	/**
	 * Asks the side panel of `id` to focus a field (after creating a touchpoint, or Enter); `n` grows with
	 * each request. Dropped when the selection changes, so selecting a card later does not steal focus.
	 */
	focusRequest = $state.raw<{ id: string | null; field: string; n: number }>({ id: null, field: '', n: 0 });
	private clipboard: JourneyClipboard | null = null;
	private readonly texts: EditorTexts;

	constructor(session: JourneySession, texts: EditorTexts) {
		this.session = session;
		this.texts = texts;
	}

	/** Always current (commands may run between two frames), and reactive like `session.snapshot`. */
	get snapshot(): JourneySnapshot {
		void this.session.snapshot;
		return this.session.journey.snapshot();
	}

	get readOnly(): boolean {
		return this.session.readOnly;
	}

	/** Selected touchpoints that still exist (another person may have deleted one). */
	get selectedTouchpoints(): Touchpoint[] {
		const ids = new Set(this.selection.touchpoints);
		return this.snapshot.touchpoints.filter((t) => ids.has(t.id));
	}

	select(next: Partial<Selection>): void {
		const sel = { ...EMPTY_SELECTION, ...next };
		const cur = this.selection;
		if (
			cur.stage === sel.stage &&
			cur.connection === sel.connection &&
			cur.touchpoints.length === sel.touchpoints.length &&
			cur.touchpoints.every((id, i) => id === sel.touchpoints[i])
		)
			return;
		this.selection = sel;
		this.focusDone();
		this.session.presence.setSelection(
			sel.touchpoints.length ? sel.touchpoints : sel.stage ? [sel.stage] : []
		);
	}

	clearSelection(): void {
		this.select({});
	}

	/** True when the touchpoint concerns the persona the map is filtered on (or no filter). */
	matchesFilter(tp: Touchpoint): boolean {
		return !this.personaFilter || tp.personaIds === null || tp.personaIds.includes(this.personaFilter);
	}

	/** Focuses `field` in the panel of the selected touchpoint or stage. */
	requestFocus(field: string): void {
		const id = this.selection.touchpoints.length === 1 ? this.selection.touchpoints[0] : this.selection.stage;
		if (id) this.focusRequest = { id, field, n: this.focusRequest.n + 1 };
	}

	/**
	 * Ends the pending focus request: once the field has the focus, or another card is selected. A request
	 * left pending would take the focus back whenever the panel redraws.
	 */
	focusDone(): void {
		if (this.focusRequest.id !== null) this.focusRequest = { ...this.focusRequest, id: null };
	}

	/** The request number for a field of `id`'s panel, 0 when none. */
	focusFor(id: string, field: string): number {
		const r = this.focusRequest;
		return r.id === id && r.field === field ? r.n : 0;
	}

	// ------------------------------------------------------------ creating

	/** Adds a touchpoint (in `stageId` at `index`, or after the selection) and selects it. */
	addTouchpoint(stageId?: string, index?: number): string | null {
		if (this.readOnly) return null;
		const snap = this.snapshot;
		if (!snap.stages.length) return null;
		let target = stageId;
		let at = index;
		if (!target) {
			const last = this.selectedTouchpoints.at(-1);
			if (last) {
				target = last.stageId;
				at = snap.touchpoints.filter((t) => t.stageId === target).findIndex((t) => t.id === last.id) + 1;
			} else {
				target = this.selection.stage ?? snap.stages[0].id;
			}
		}
		const personaIds = this.personaFilter ? [this.personaFilter] : null;
		const id = this.session.batch((j) =>
			j.addTouchpoint(target, { title: this.texts.newTouchpoint, personaIds }, { index: at })
		);
		this.session.stopCapturing();
		this.select({ touchpoints: [id] });
		this.requestFocus('title');
		return id;
	}

	addStage(): string | null {
		if (this.readOnly) return null;
		const snap = this.snapshot;
		const after = this.selection.stage ?? this.selectedTouchpoints.at(-1)?.stageId ?? snap.stages.at(-1)?.id;
		const i = snap.stages.findIndex((s) => s.id === after);
		const group: StageGroup = i >= 0 ? snap.stages[i].group : 'pre-sale';
		const id = this.session.batch((j) =>
			j.addStage({ title: this.texts.newStage, group }, { index: i >= 0 ? i + 1 : undefined })
		);
		this.session.stopCapturing();
		this.select({ stage: id });
		this.requestFocus('title');
		return id;
	}

	// ------------------------------------------------------------ moving

	/**
	 * Moves cards (in journey order) to `index` in `stageId`, counted among the cards that stay, keeping
	 * their relative order: each goes right before the card that will follow the block.
	 */
	moveTouchpoints(ids: string[], stageId: string, index: number): void {
		if (this.readOnly || !ids.length) return;
		const snap = this.snapshot;
		const order = new Map(snap.touchpoints.map((t, i) => [t.id, i]));
		const moving = ids.filter((id) => order.has(id)).sort((a, b) => order.get(a)! - order.get(b)!);
		const movingSet = new Set(moving);
		const list = snap.touchpoints.filter((t) => t.stageId === stageId).map((t) => t.id);
		const anchor = list.filter((id) => !movingSet.has(id))[index] ?? null;
		// One operation per card (see `JourneySession.group`), following the order by hand.
		this.session.group((j) => {
			for (const id of moving) {
				const from = list.indexOf(id);
				if (from >= 0) list.splice(from, 1);
				const at = anchor === null ? list.length : list.indexOf(anchor);
				j.moveTouchpoint(id, stageId, at);
				list.splice(at, 0, id);
			}
		});
	}

	/** Keyboard move of the selected cards: up/down inside their stage, left/right to the next stage. */
	nudge(direction: 'up' | 'down' | 'left' | 'right'): void {
		const selected = this.selectedTouchpoints;
		if (this.readOnly || !selected.length) return;
		const snap = this.snapshot;
		const first = selected[0];
		const stageIndex = snap.stages.findIndex((s) => s.id === first.stageId);
		const siblings = snap.touchpoints.filter((t) => t.stageId === first.stageId);
		const ids = new Set(selected.map((t) => t.id));
		const rest = siblings.filter((t) => !ids.has(t.id));
		const pos = siblings.findIndex((t) => t.id === first.id);
		if (direction === 'up' || direction === 'down') {
			const index = Math.max(0, Math.min(rest.length, pos + (direction === 'up' ? -1 : 1)));
			this.moveTouchpoints([...ids], first.stageId, index);
			return;
		}
		const next = snap.stages[stageIndex + (direction === 'left' ? -1 : 1)];
		if (!next) return;
		const count = snap.touchpoints.filter((t) => t.stageId === next.id).length;
		this.moveTouchpoints([...ids], next.id, Math.min(pos, count));
	}

	// ------------------------------------------------------------ deleting

	/** Prepares the confirmation of deleting what is selected (nothing is changed yet). */
	requestDelete(): void {
		if (this.readOnly) return;
		const snap = this.snapshot;
		const titles = new Map(snap.touchpoints.map((t) => [t.id, t.title]));
		const describe = (ids: Set<string>) =>
			snap.connections
				.filter((c) => ids.has(c.from) || ids.has(c.to))
				.map((c) => ({ id: c.id, from: titles.get(c.from)!, to: titles.get(c.to)!, kind: c.kind }));
		const sel = this.selection;
		if (sel.touchpoints.length) {
			const tps = this.selectedTouchpoints;
			if (!tps.length) return;
			this.pendingDelete = {
				touchpoints: tps.map((t) => ({ id: t.id, title: t.title })),
				stage: null,
				connections: describe(new Set(tps.map((t) => t.id)))
			};
		} else if (sel.stage) {
			const stage = snap.stages.find((s) => s.id === sel.stage);
			if (!stage) return;
			const tps = snap.touchpoints.filter((t) => t.stageId === stage.id);
			this.pendingDelete = {
				touchpoints: tps.map((t) => ({ id: t.id, title: t.title })),
				stage: { id: stage.id, title: stage.title },
				connections: describe(new Set(tps.map((t) => t.id)))
			};
		} else if (sel.connection) {
			// A single connection goes without asking: it is one undo away.
			const id = sel.connection;
			if (snap.connections.some((c) => c.id === id)) this.session.batch((j) => j.removeConnection(id));
			this.clearSelection();
		}
	}

	confirmDelete(): void {
		const pending = this.pendingDelete;
		this.pendingDelete = null;
		if (!pending || this.readOnly) return;
		this.session.batch((j) => {
			const snap = j.snapshot();
			if (pending.stage) {
				if (snap.stages.some((s) => s.id === pending.stage!.id)) j.removeStage(pending.stage.id);
				return;
			}
			const alive = new Set(snap.touchpoints.map((t) => t.id));
			for (const t of pending.touchpoints) if (alive.has(t.id)) j.removeTouchpoint(t.id);
		});
		this.session.stopCapturing();
		this.clearSelection();
	}

	cancelDelete(): void {
		this.pendingDelete = null;
	}

	// ------------------------------------------------------------ clipboard

	/** Copies the selected touchpoints; also as JSON on the system clipboard, for another journey. */
	copy(): JourneyClipboard | null {
		const ids = this.selection.touchpoints;
		if (!ids.length) return null;
		this.clipboard = copyTouchpoints(this.snapshot, ids);
		void globalThis.navigator?.clipboard?.writeText(JSON.stringify(this.clipboard)).catch(() => {});
		return this.clipboard;
	}

	/** Pastes `text` when it is a copy of touchpoints, else the last copy made in this tab. */
	paste(text?: string | null): string[] {
		if (this.readOnly) return [];
		const clip = (text ? parseClipboard(text) : null) ?? this.clipboard;
		if (!clip || !clip.touchpoints.length) return [];
		const stage = this.selection.stage ?? undefined;
		const after = this.selection.touchpoints.at(-1);
		const target = stage
			? { stageId: stage }
			: after && !clip.touchpoints.some((t) => t.ref === after)
				? { stageId: this.snapshot.touchpoints.find((t) => t.id === after)?.stageId, afterId: after }
				: {};
		const ids = this.session.group((j) => pasteTouchpoints(j, clip, target));
		if (ids.length) this.select({ touchpoints: ids });
		return ids;
	}

	duplicate(): string[] {
		const clip = this.copy();
		return clip ? this.paste(JSON.stringify(clip)) : [];
	}

	selectAll(): void {
		this.select({
			touchpoints: this.snapshot.touchpoints.filter((t) => this.matchesFilter(t)).map((t) => t.id)
		});
	}

	undo(): void {
		this.session.undo();
	}

	redo(): void {
		this.session.redo();
	}
}
