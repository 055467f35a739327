/**
 * The live scores of one open journey in the browser: one `EventSource` on the journey's live channel
 * (`…/live?filters`), re-opened when the filters change, and the figures it sends, exposed per
 * touchpoint. Each touchpoint has its own reactive cell, so a message that moves one score redraws one
 * card, not the 500 of a large map. Nothing here is ever written into the journey's Yjs document.
 */
/* eslint-disable svelte/prefer-svelte-reactivity -- the cell map is bookkeeping: each cell is reactive */
import type { JourneyScores, TouchpointScore } from './types';
import {
	NO_FILTERS,
	changedTouchpoints,
	filterQuery,
	normalizeFilters,
	parseJourneyScores,
	parseTouchpointFeedback,
	sameFilters,
	type LiveFilters,
	type TouchpointFeedback
} from './live';

/**
 * `connecting`: waiting for the first figures of the current filters; `live`: receiving;
 * `reconnecting`: the channel dropped and is being re-opened (the figures shown are the last received);
 * `stopped`: the server ended it for good (access removed, journey deleted).
 */
export type LiveStatus = 'connecting' | 'live' | 'reconnecting' | 'stopped';

/** The part of `EventSource` used here (tests pass their own). */
export interface LiveSource {
	readonly readyState: number;
	onopen: ((e: Event) => void) | null;
	onerror: ((e: Event) => void) | null;
	addEventListener(type: 'scores' | 'closed', listener: (e: MessageEvent<string>) => void): void;
	close(): void;
}

export interface LiveOptions {
	workspaceId: string;
	journeyId: string;
	filters?: Partial<LiveFilters>;
	open?: (url: string) => LiveSource;
	/** Delays of the re-open after the server refused or ended the stream (the browser retries other drops). */
	retry?: { first: number; max: number };
	/** Whether the tab is hidden, and its changes (`document` by default; tests pass their own). */
	visibility?: { hidden(): boolean; listen(onChange: () => void): () => void } | null;
	/** How long a hidden tab keeps its stream before closing it (reopened when shown again). */
	hiddenGraceMs?: number;
}

function documentVisibility(): LiveOptions['visibility'] {
	if (typeof document === 'undefined') return null;
	return {
		hidden: () => document.visibilityState === 'hidden',
		listen(onChange) {
			document.addEventListener('visibilitychange', onChange);
			return () => document.removeEventListener('visibilitychange', onChange);
		}
	};
}

const CLOSED = 2;

/** Reasons of a `closed` event after which opening the stream again is pointless. */
const FINAL_REASONS = new Set(['access', 'deleted']);

function closeReason(data: string): string {
	try {
		return (JSON.parse(data) as { reason?: string }).reason ?? '';
	} catch {
		return '';
	}
}

class Cell {
	value = $state.raw<TouchpointScore | null>(null);
	constructor(value: TouchpointScore | null) {
		this.value = value;
	}
}

export class LiveScores {
	readonly workspaceId: string;
	readonly journeyId: string;
	/** `/w/<workspaceId>/journeys/<journeyId>`, where the live endpoints are. */
	readonly base: string;
	status = $state<LiveStatus>('connecting');
	filters = $state.raw<LiveFilters>(NO_FILTERS);
	/** When the figures shown were computed (ISO); null before the first message. */
	at = $state<string | null>(null);
	/** Items of the journey no touchpoint was matched to. */
	unmatched = $state(0);
	/** Items counted on all touchpoints. */
	volume = $state(0);
	/** Grows with each message that changed something, for views of the whole journey (the curve). */
	revision = $state(0);

	/** Grows when a message brings touchpoints that had no cell yet. */
	private appeared = $state(0);
	private scores: Readonly<Record<string, TouchpointScore>> = {};
	private readonly cells = new Map<string, Cell>();
	private source: LiveSource | null = null;
	private retryTimer: ReturnType<typeof setTimeout> | null = null;
	private retryDelay: number;
	private destroyed = false;
	/** Closed while the tab is hidden. */
	private paused = false;
	private readonly cleanups: (() => void)[] = [];
	private readonly open: (url: string) => LiveSource;
	private readonly retry: { first: number; max: number };

	constructor(options: LiveOptions) {
		this.workspaceId = options.workspaceId;
		this.journeyId = options.journeyId;
		this.base = `/w/${options.workspaceId}/journeys/${options.journeyId}`;
		this.filters = normalizeFilters(options.filters ?? {});
		this.open = options.open ?? ((url) => new EventSource(url) as unknown as LiveSource);
		this.retry = options.retry ?? { first: 2000, max: 30_000 };
		this.retryDelay = this.retry.first;
		this.connect();
		// A stream whose network went away can stay open, silent, until TCP gives up: follow the browser's
		// own idea of being online, like the collaboration socket does.
		if (typeof window !== 'undefined') {
			const offline = () => {
				if (this.status === 'stopped') return;
				this.close();
				this.status = 'reconnecting';
			};
			const online = () => {
				if (this.status === 'stopped' || this.source || this.paused) return;
				this.connect();
				this.status = 'reconnecting';
			};
			window.addEventListener('offline', offline);
			window.addEventListener('online', online);
			this.cleanups.push(() => {
				window.removeEventListener('offline', offline);
				window.removeEventListener('online', online);
			});
		}
		// Over HTTP/1.1 (what `npm start` serves) a browser opens at most six connections per host, and
		// each open stream holds one: a few map tabs left in the background would starve the app's own
		// requests. A tab hidden for a while closes its stream; shown again, it reopens and gets the
		// current figures at once (the server sends them on connect).
		const visibility = options.visibility === undefined ? documentVisibility() : options.visibility;
		if (visibility) {
			const grace = options.hiddenGraceMs ?? 15_000;
			let timer: ReturnType<typeof setTimeout> | null = null;
			const stop = visibility.listen(() => {
				if (visibility.hidden()) {
					timer ??= setTimeout(() => {
						timer = null;
						if (this.status === 'stopped' || this.destroyed) return;
						this.close();
						this.paused = true;
					}, grace);
					return;
				}
				if (timer) clearTimeout(timer);
				timer = null;
				if (this.paused) {
					this.paused = false;
					this.connect();
					this.status = 'reconnecting';
				}
			});
			this.cleanups.push(() => {
				stop();
				if (timer) clearTimeout(timer);
			});
		}
		// A handle for debugging from the console and for end-to-end tests, like `parcoursSession`.
		(globalThis as { parcoursLive?: LiveScores }).parcoursLive = this;
	}

	/** The query string of the current filters, for the other endpoints of the map ('' or `?…`). */
	get query(): string {
		return filterQuery(this.filters);
	}

	/** A touchpoint's figures (null without feedback); only this touchpoint's changes re-run the reader. */
	get(touchpointId: string): TouchpointScore | null {
		const cell = this.cells.get(touchpointId);
		if (cell) return cell.value;
		// No cell is made here: Svelte does not track a signal read by the reaction that created it, so a
		// cell created lazily inside a card's render would never redraw that card. Touchpoints without a
		// cell follow `appeared`, which moves only when a message brings touchpoints never seen before.
		void this.appeared;
		return null;
	}

	/** Every touchpoint's figures as last received (not reactive: read `revision` to follow them). */
	all(): Readonly<Record<string, TouchpointScore>> {
		return this.scores;
	}

	setFilters(next: Partial<LiveFilters>): void {
		const filters = normalizeFilters({ ...this.filters, ...next });
		if (sameFilters(filters, this.filters)) return;
		this.filters = filters;
		this.paused = false;
		this.connect();
	}

	/** Takes one message of the channel: only the cells of touchpoints whose figures moved are set. */
	apply(message: JourneyScores): string[] {
		const changed = changedTouchpoints(this.scores, message.touchpoints);
		this.scores = message.touchpoints;
		let added = false;
		for (const id of changed) {
			const cell = this.cells.get(id);
			const value = message.touchpoints[id] ?? null;
			if (cell) cell.value = value;
			else if (value) {
				this.cells.set(id, new Cell(value));
				added = true;
			}
		}
		if (added) this.appeared++;
		let volume = 0;
		for (const s of Object.values(message.touchpoints)) volume += s.volume;
		if (changed.length || volume !== this.volume || message.unmatched !== this.unmatched) this.revision++;
		this.volume = volume;
		this.unmatched = message.unmatched;
		this.at = message.at;
		return changed;
	}

	/** Latest feedback and top motives of one touchpoint under the current filters. */
	async touchpointFeedback(touchpointId: string, signal?: AbortSignal): Promise<TouchpointFeedback> {
		const url = `${this.base}/touchpoints/${encodeURIComponent(touchpointId)}/feedback${this.query}`;
		const res = await fetch(url, { signal, headers: { accept: 'application/json' } });
		if (!res.ok) throw new Error(`HTTP ${res.status}`);
		const parsed = parseTouchpointFeedback(await res.json());
		if (!parsed) throw new Error('Unexpected answer');
		return parsed;
	}

	destroy(): void {
		this.destroyed = true;
		for (const cleanup of this.cleanups) cleanup();
		this.close();
		const g = globalThis as { parcoursLive?: LiveScores };
		if (g.parcoursLive === this) delete g.parcoursLive;
	}

	private connect(): void {
		this.close();
		if (this.destroyed) return;
		this.status = 'connecting';
		const source = this.open(`${this.base}/live${this.query}`);
		this.source = source;
		source.addEventListener('scores', (e) => {
			if (this.source !== source) return;
			const message = parseJourneyScores(e.data, this.journeyId);
			if (!message) return;
			this.retryDelay = this.retry.first;
			this.status = 'live';
			this.apply(message);
		});
		// The server's last word. When the user lost access or the journey went, it is not worth re-opening;
		// otherwise (`resync`: changes may have been missed between instances) the stream is opened again
		// and starts with the current figures.
		source.addEventListener('closed', (e) => {
			if (this.source !== source) return;
			this.close();
			if (FINAL_REASONS.has(closeReason(e.data))) {
				this.status = 'stopped';
				return;
			}
			this.status = 'reconnecting';
			this.scheduleRetry();
		});
		source.onerror = () => {
			if (this.source !== source) return;
			this.status = 'reconnecting';
			// The browser re-opens a dropped stream by itself, but not one the server answered with an
			// error status (a restart behind a proxy, a 5xx): that one is re-opened here, backing off.
			if (source.readyState === CLOSED) this.scheduleRetry();
		};
	}

	private scheduleRetry(): void {
		if (this.retryTimer || this.destroyed) return;
		const delay = this.retryDelay;
		this.retryDelay = Math.min(this.retry.max, this.retryDelay * 2);
		this.retryTimer = setTimeout(() => {
			this.retryTimer = null;
			this.connect();
			this.status = 'reconnecting';
		}, delay);
	}

	private close(): void {
		if (this.retryTimer) clearTimeout(this.retryTimer);
		this.retryTimer = null;
		this.source?.close();
		this.source = null;
	}
}
