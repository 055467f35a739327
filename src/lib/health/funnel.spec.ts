import { describe, expect, it } from 'vitest';
import type { LoopEvent, LoopHistory } from '../loops/metrics';
import { loopFunnel } from './funnel';

const H = 3_600_000;
const T0 = Date.UTC(2026, 3, 1);
const history = (loopId: string, events: LoopEvent[]): LoopHistory => ({ loopId, events });

/** All the way: listen 2 h, solve 10 h, measure 24 h, follow-up 5 h. */
const allTheWay = history('a', [
	{ type: 'created', at: T0 },
	{ type: 'stage_changed', at: T0 + 2 * H, to: 'solve' },
	{ type: 'stage_changed', at: T0 + 12 * H, to: 'measure' },
	{ type: 'measured', at: T0 + 36 * H, verdict: 'improved' },
	{ type: 'stage_changed', at: T0 + 36 * H, to: 'follow_up' },
	{ type: 'stage_changed', at: T0 + 41 * H, to: 'closed' }
]);

/** Measured worse, back to solve, measured again: times count from the first entry of each stage. */
const retried = history('b', [
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

/** Still in solve; its events arrive out of order. */
const inSolve = history('c', [
	{ type: 'stage_changed', at: T0 + 6 * H, to: 'solve' },
	{ type: 'created', at: T0 }
]);

/** Cancelled in solve: it still counts for listen and solve. */
const cancelled = history('d', [
	{ type: 'created', at: T0 },
	{ type: 'stage_changed', at: T0 + 3 * H, to: 'solve' },
	{ type: 'stage_changed', at: T0 + 8 * H, to: 'cancelled' }
]);

/** Closed straight from measure (older data): follow-up not reached, closed timed from measure. */
const skipped = history('e', [
	{ type: 'created', at: T0 },
	{ type: 'stage_changed', at: T0 + 1 * H, to: 'solve' },
	{ type: 'stage_changed', at: T0 + 3 * H, to: 'measure' },
	{ type: 'measured', at: T0 + 3.5 * H, verdict: 'improved' },
	{ type: 'stage_changed', at: T0 + 4 * H, to: 'closed' }
]);

/** Its creation is missing from the history: listen is reached but the step to solve is not timed. */
const noCreation = history('f', [
	{ type: 'stage_changed', at: T0 + 3 * H, to: 'solve' },
	{ type: 'stage_changed', at: T0 + 5 * H, to: 'measure' }
]);

describe('loopFunnel', () => {
	const funnel = loopFunnel([allTheWay, retried, inSolve, cancelled, skipped, noCreation]);
	const step = (stage: string) => funnel.steps.find((s) => s.stage === stage)!;

	it('counts loops that entered each stage, cancelled ones included', () => {
		expect(funnel.steps.map((s) => [s.stage, s.reached])).toEqual([
			['listen', 6],
			['solve', 6],
			['measure', 4],
			['follow_up', 2],
			['closed', 3]
		]);
	});

	it('gives the median time from one stage reached to the next', () => {
		expect(step('listen')).toMatchObject({ medianMs: null, timed: 0 });
		// 2, 4, 6, 3 and 1 hours; the loop without its creation is not timed.
		expect(step('solve')).toMatchObject({ medianMs: 3 * H, timed: 5 });
		// 10, 2 (first entry, not after the retry), 2, 2.
		expect(step('measure')).toMatchObject({ medianMs: 2 * H, timed: 4 });
		expect(step('follow_up')).toMatchObject({ medianMs: 34 * H, timed: 2 });
		// 5, 1, and 1 from measure for the loop that skipped follow-up.
		expect(step('closed')).toMatchObject({ medianMs: 1 * H, timed: 3 });
	});

	it('counts measured loops and those whose last measure improved', () => {
		expect(funnel).toMatchObject({ measured: 3, improved: 2 });
		expect(funnel.improvedShare).toBeCloseTo(2 / 3, 10);
	});

	it('is empty without loops', () => {
		const empty = loopFunnel([]);
		expect(empty.steps.every((s) => s.reached === 0 && s.medianMs === null)).toBe(true);
		expect(empty).toMatchObject({ measured: 0, improved: 0, improvedShare: null });
	});
});
