import { describe, expect, it } from 'vitest';
import { loopMetrics, median, replayLoop, type LoopEvent, type LoopHistory } from './metrics';

const H = 3_600_000;
const T0 = Date.UTC(2026, 3, 1);

function history(loopId: string, events: LoopEvent[]): LoopHistory {
	return { loopId, events };
}

/** A loop that went all the way: listen 2 h, solve 10 h, measure 24 h, follow-up 5 h. */
const closedImproved = history('a', [
	{ type: 'created', at: T0 },
	{ type: 'stage_changed', at: T0 + 2 * H, to: 'solve' },
	{ type: 'stage_changed', at: T0 + 12 * H, to: 'measure' },
	{ type: 'measured', at: T0 + 36 * H, verdict: 'improved' },
	{ type: 'stage_changed', at: T0 + 36 * H, to: 'follow_up' },
	{ type: 'follow_up_created', at: T0 + 36 * H, followUpId: 'f1', spokeAt: T0 - 4 * H },
	{ type: 'follow_up_created', at: T0 + 36 * H, followUpId: 'f2', spokeAt: T0 - 2 * H },
	{ type: 'follow_up_done', at: T0 + 38 * H, followUpId: 'f1' },
	{ type: 'follow_up_waived', at: T0 + 40 * H, followUpId: 'f2' },
	{ type: 'stage_changed', at: T0 + 41 * H, to: 'closed' }
]);

/** Measured worse, back to solve, measured again with no clear change, then closed. */
const closedAfterRetry = history('b', [
	{ type: 'created', at: T0 },
	{ type: 'stage_changed', at: T0 + 4 * H, to: 'solve' },
	{ type: 'stage_changed', at: T0 + 6 * H, to: 'measure' },
	{ type: 'measured', at: T0 + 10 * H, verdict: 'worse' },
	{ type: 'stage_changed', at: T0 + 10 * H, to: 'solve' },
	{ type: 'stage_changed', at: T0 + 30 * H, to: 'measure' },
	{ type: 'measured', at: T0 + 50 * H, verdict: 'no_clear_change' },
	{ type: 'stage_changed', at: T0 + 50 * H, to: 'follow_up' },
	{ type: 'stage_changed', at: T0 + 51 * H, to: 'closed' }
]);

/** Still in solve, with a proactive follow-up already answered. Events arrive out of order. */
const openInSolve = history('c', [
	{ type: 'stage_changed', at: T0 + 6 * H, to: 'solve' },
	{ type: 'follow_up_done', at: T0 + 9 * H, followUpId: 'p1' },
	{ type: 'created', at: T0 },
	{ type: 'follow_up_created', at: T0 + 1 * H, followUpId: 'p1', spokeAt: null },
	{ type: 'follow_up_created', at: T0 + 1 * H, followUpId: 'p2', spokeAt: null }
]);

const cancelled = history('d', [
	{ type: 'created', at: T0 },
	{ type: 'stage_changed', at: T0 + 8 * H, to: 'cancelled' }
]);

const justCreated = history('e', [{ type: 'created', at: T0 }]);

describe('median', () => {
	it('of odd and even counts, and of nothing', () => {
		expect(median([5, 1, 3])).toEqual({ median: 3, n: 3 });
		expect(median([4, 1, 3, 2])).toEqual({ median: 2.5, n: 4 });
		expect(median([])).toEqual({ median: null, n: 0 });
	});
});

describe('replayLoop', () => {
	it('orders events by time and drops the measure when the loop goes back to solve', () => {
		expect(replayLoop(openInSolve.events).stage).toBe('solve');
		const back = replayLoop(closedAfterRetry.events.slice(0, 5));
		expect(back.stage).toBe('solve');
		expect(back.verdict).toBeNull();
	});
});

describe('loopMetrics', () => {
	const m = loopMetrics([closedImproved, closedAfterRetry, openInSolve, cancelled, justCreated]);

	it('counts open loops by stage, closed and cancelled ones', () => {
		expect(m.loops).toBe(5);
		expect(m.openByStage).toEqual({ listen: 1, solve: 1, measure: 0, follow_up: 0 });
		expect(m.closed).toBe(2);
		expect(m.cancelled).toBe(1);
	});

	it('takes the median of completed stays in each stage', () => {
		// listen: a 2, b 4, c 6, d 8 (left to cancelled) → 5; solve: a 10, b 2 and 20 → 10;
		// measure: a 24, b 4 and 20 → 20; follow-up: a 5, b 1 → 3.
		expect(m.timeInStage).toEqual({
			listen: { median: 5 * H, n: 4 },
			solve: { median: 10 * H, n: 3 },
			measure: { median: 20 * H, n: 3 },
			follow_up: { median: 3 * H, n: 2 }
		});
	});

	it('shares closed loops whose last measure improved', () => {
		expect(m.closedImproved).toEqual({ count: 1, share: 0.5 });
	});

	it('rates follow-ups and times them from when the customer spoke', () => {
		expect(m.followUps).toMatchObject({ total: 4, done: 2, waived: 1, pending: 1, rate: 0.5 });
		// f1: spoke at T0 − 4 h, answered at T0 + 38 h → 42 h; p1: proactive, created T0 + 1 h, done T0 + 9 h → 8 h.
		expect(m.followUps.timeToFollowUp).toEqual({ median: 25 * H, n: 2 });
	});

	it('has nulls, not zeros, where nothing was measured', () => {
		const empty = loopMetrics([]);
		expect(empty.closedImproved.share).toBeNull();
		expect(empty.followUps.rate).toBeNull();
		expect(empty.timeInStage.listen).toEqual({ median: null, n: 0 });
	});
});
