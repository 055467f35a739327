/**
 * Publishes journeys' live scores to the clients watching them. Server-authoritative and separate from
 * the journey's Yjs document: computed values never enter the authored map. When items of a journey
 * change, its scores are computed once per distinct filter among its watchers and pushed to each.
 */
import type { ScoreFilters } from '../../feedback/filters';
import { scoreFiltersToParams } from '../../feedback/filters';
import type { JourneyScores } from '../../feedback/types';
import type { Db } from '../db';
import { on } from '../events';
import { journeyScores } from './scores';

export interface LiveWatcher {
	journeyId: string;
	filters: ScoreFilters;
	send(scores: JourneyScores): void;
}

/** How long changes are gathered before scores are recomputed; bursts cost one query, not one per item. */
const GATHER_MS = 15;

export class LiveScores {
	private readonly watchers = new Map<string, Set<LiveWatcher>>();
	private readonly scheduled = new Set<string>();
	private readonly off: () => void;

	constructor(private readonly db: Db) {
		this.off = on('feedback:changed', ({ journeyIds }) => {
			for (const id of journeyIds) if (this.watchers.has(id)) this.schedule(id);
		});
	}

	watch(w: LiveWatcher): () => void {
		let set = this.watchers.get(w.journeyId);
		if (!set) this.watchers.set(w.journeyId, (set = new Set()));
		set.add(w);
		return () => {
			set.delete(w);
			if (set.size === 0) this.watchers.delete(w.journeyId);
		};
	}

	/** Number of open watchers (monitoring, tests). */
	get size(): number {
		let n = 0;
		for (const s of this.watchers.values()) n += s.size;
		return n;
	}

	private schedule(journeyId: string): void {
		if (this.scheduled.has(journeyId)) return;
		this.scheduled.add(journeyId);
		setTimeout(() => {
			this.scheduled.delete(journeyId);
			void this.publish(journeyId);
		}, GATHER_MS);
	}

	private async publish(journeyId: string): Promise<void> {
		const set = this.watchers.get(journeyId);
		if (!set) return;
		const byFilter = new Map<string, LiveWatcher[]>();
		for (const w of set) {
			const key = scoreFiltersToParams(w.filters).toString();
			byFilter.set(key, [...(byFilter.get(key) ?? []), w]);
		}
		for (const group of byFilter.values()) {
			try {
				const scores = await journeyScores(this.db, journeyId, group[0].filters);
				for (const w of group) w.send(scores);
			} catch (e) {
				console.error(`[live] scores of journey ${journeyId} failed`, e);
			}
		}
	}

	close(): void {
		this.off();
		this.watchers.clear();
	}
}

const KEY = Symbol.for('parcours.live-scores');

/** The process's publisher (shared by the SvelteKit bundle and the server entry through `globalThis`). */
export function liveScores(db: Db): LiveScores {
	const holder = globalThis as { [KEY]?: LiveScores };
	return (holder[KEY] ??= new LiveScores(db));
}
