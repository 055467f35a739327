/**
 * A journey's loop metrics, replayed from each loop's event history: open loops by stage, median time
 * spent in each stage, share of closed loops whose measure showed an improvement, follow-up rate and
 * time to follow up. Pure; times are epoch milliseconds.
 */
import type { Verdict } from './measure';
import { OPEN_STAGES, type LoopStage } from './rules';

export type LoopEvent =
	/** The loop starts in listen. */
	| { type: 'created'; at: number }
	| { type: 'stage_changed'; at: number; to: LoopStage }
	| { type: 'measured'; at: number; verdict: Verdict }
	/** `spokeAt`: when the customer wrote (null for a proactive follow-up, counted from creation). */
	| { type: 'follow_up_created'; at: number; followUpId: string; spokeAt: number | null }
	| { type: 'follow_up_done'; at: number; followUpId: string }
	| { type: 'follow_up_waived'; at: number; followUpId: string };

export interface LoopHistory {
	loopId: string;
	events: readonly LoopEvent[];
}

export type OpenStage = (typeof OPEN_STAGES)[number];

export interface Median {
	/** null without any value. */
	median: number | null;
	n: number;
}

export interface LoopMetrics {
	/** Loops counted (all stages). */
	loops: number;
	openByStage: Record<OpenStage, number>;
	closed: number;
	cancelled: number;
	/** Completed stays only: a loop still in a stage does not count for it yet. */
	timeInStage: Record<OpenStage, Median>;
	/** Closed loops whose last measure was an improvement, over closed loops; null when none closed. */
	closedImproved: { count: number; share: number | null };
	followUps: {
		total: number;
		done: number;
		waived: number;
		pending: number;
		/** done / total: customers who got an answer; null without follow-ups. */
		rate: number | null;
		/** From the customer's message (or the task's creation when proactive) to the answer. */
		timeToFollowUp: Median;
	};
}

export function median(values: readonly number[]): Median {
	if (values.length === 0) return { median: null, n: 0 };
	const sorted = [...values].sort((a, b) => a - b);
	const mid = sorted.length >> 1;
	return {
		median: sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2,
		n: sorted.length
	};
}

const isOpen = (stage: LoopStage): stage is OpenStage =>
	(OPEN_STAGES as readonly LoopStage[]).includes(stage);

interface Replayed {
	stage: LoopStage;
	stays: Array<{ stage: LoopStage; duration: number }>;
	verdict: Verdict | null;
	followUps: Map<string, { startedAt: number; state: 'todo' | 'done' | 'waived'; doneAt: number | null }>;
}

/** One loop's history, in time order (ties keep their given order). */
export function replayLoop(events: readonly LoopEvent[]): Replayed {
	const ordered = events.map((e, i) => [e, i] as const).sort((a, b) => a[0].at - b[0].at || a[1] - b[1]);
	const r: Replayed = { stage: 'listen', stays: [], verdict: null, followUps: new Map() };
	let enteredAt: number | null = null;
	for (const [e] of ordered) {
		switch (e.type) {
			case 'created':
				r.stage = 'listen';
				enteredAt = e.at;
				break;
			case 'stage_changed':
				if (enteredAt !== null && e.to !== r.stage)
					r.stays.push({ stage: r.stage, duration: e.at - enteredAt });
				if (e.to !== r.stage) enteredAt = e.at;
				r.stage = e.to;
				// Going back to solve discards the measure: the next one decides.
				if (e.to === 'solve') r.verdict = null;
				break;
			case 'measured':
				r.verdict = e.verdict;
				break;
			case 'follow_up_created':
				r.followUps.set(e.followUpId, { startedAt: e.spokeAt ?? e.at, state: 'todo', doneAt: null });
				break;
			case 'follow_up_done':
			case 'follow_up_waived': {
				const f = r.followUps.get(e.followUpId);
				if (f) {
					f.state = e.type === 'follow_up_done' ? 'done' : 'waived';
					f.doneAt = e.type === 'follow_up_done' ? e.at : null;
				}
				break;
			}
		}
	}
	return r;
}

export function loopMetrics(histories: readonly LoopHistory[]): LoopMetrics {
	const openByStage = Object.fromEntries(OPEN_STAGES.map((s) => [s, 0])) as Record<OpenStage, number>;
	const durations = Object.fromEntries(OPEN_STAGES.map((s) => [s, [] as number[]])) as Record<
		OpenStage,
		number[]
	>;
	let closed = 0;
	let cancelled = 0;
	let improved = 0;
	let total = 0;
	let done = 0;
	let waived = 0;
	const delays: number[] = [];

	for (const h of histories) {
		const r = replayLoop(h.events);
		if (isOpen(r.stage)) openByStage[r.stage]++;
		else if (r.stage === 'closed') {
			closed++;
			if (r.verdict === 'improved') improved++;
		} else cancelled++;
		for (const stay of r.stays) if (isOpen(stay.stage)) durations[stay.stage].push(stay.duration);
		for (const f of r.followUps.values()) {
			total++;
			if (f.state === 'done') {
				done++;
				delays.push(Math.max(0, f.doneAt! - f.startedAt));
			} else if (f.state === 'waived') waived++;
		}
	}

	return {
		loops: histories.length,
		openByStage,
		closed,
		cancelled,
		timeInStage: Object.fromEntries(OPEN_STAGES.map((s) => [s, median(durations[s])])) as Record<
			OpenStage,
			Median
		>,
		closedImproved: { count: improved, share: closed ? improved / closed : null },
		followUps: {
			total,
			done,
			waived,
			pending: total - done - waived,
			rate: total ? done / total : null,
			timeToFollowUp: median(delays)
		}
	};
}
