import { describe, expect, it } from 'vitest';
import type { Verdict } from '../loops/measure';
import type { LoopEvent, LoopHistory } from '../loops/metrics';
import type { LoopStage } from '../loops/rules';
import { loopFunnel } from './funnel';

const H = 3_600_000;
const T0 = Date.UTC(2026, 3, 1);
const history = (loopId: string, events: LoopEvent[]): LoopHistory => ({ loopId, events });
/** Events `hours` after T0. */
const created = (hours = 0): LoopEvent => ({ type: 'created', at: T0 + hours * H });
const to = (hours: number, stage: LoopStage): LoopEvent => ({
	type: 'stage_changed',
	at: T0 + hours * H,
	to: stage
});
const measured = (hours: number, verdict: Verdict): LoopEvent => ({
	type: 'measured',
	at: T0 + hours * H,
	verdict
});

/** All the way: listen 2 h, solve 10 h, measure 24 h, follow-up 5 h. */
const allTheWay = history('a', [
	created(),
	to(2, 'solve'),
	to(12, 'measure'),
	measured(36, 'improved'),
	to(36, 'follow_up'),
	to(41, 'closed')
]);

/** Measured worse, back to solve, measured again: times count from the first entry of each stage. */
const retried = history('b', [
	created(),
	to(4, 'solve'),
	to(6, 'measure'),
	measured(10, 'worse'),
	to(10, 'solve'),
	to(30, 'measure'),
	measured(50, 'no_clear_change'),
	to(50, 'follow_up'),
	to(51, 'closed')
]);

/** Still in solve; its events arrive out of order. */
const inSolve = history('c', [to(6, 'solve'), created()]);

/** Cancelled in solve: it still counts for listen and solve. */
const cancelled = history('d', [created(), to(3, 'solve'), to(8, 'cancelled')]);

/** Closed straight from measure (older data): follow-up not reached, closed timed from measure. */
const skipped = history('e', [
	created(),
	to(1, 'solve'),
	to(3, 'measure'),
	measured(3.5, 'improved'),
	to(4, 'closed')
]);

/** Its creation is missing from the history: listen is reached but the step to solve is not timed. */
const noCreation = history('f', [to(3, 'solve'), to(5, 'measure')]);

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
