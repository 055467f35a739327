import { describe, expect, it } from 'vitest';
import type { Polarity } from '../analysis/types';
import {
	afterWindow,
	baselineWindow,
	compareSnapshots,
	measure,
	normaliseRating,
	snapshot,
	snapshotFromSums,
	sumObservations,
	validateMeasureSettings,
	type Observation
} from './measure';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 1);

/** `count` items at one-hour steps from `start`, all with the same polarity and score. */
function items(
	start: number,
	count: number,
	polarity: Polarity,
	score: number,
	stars?: number
): Observation[] {
	return Array.from({ length: count }, (_, i) => ({
		at: start + i * 3_600_000,
		score,
		polarity,
		rating: stars === undefined ? null : { kind: 'stars' as const, value: stars }
	}));
}

const before = baselineWindow(T0 + 10 * DAY, 10);
const after = afterWindow(T0 + 20 * DAY, 10);

describe('windows and snapshots', () => {
	it('windows are [from, to) in days', () => {
		expect(before).toEqual({ from: T0, to: T0 + 10 * DAY });
		expect(after).toEqual({ from: T0 + 20 * DAY, to: T0 + 30 * DAY });
	});

	it('normalises ratings of every scale to [0, 1] and rejects values off the scale', () => {
		expect(normaliseRating({ kind: 'nps', value: 10 })).toBe(1);
		expect(normaliseRating({ kind: 'nps', value: 0 })).toBe(0);
		expect(normaliseRating({ kind: 'csat', value: 1 })).toBe(0);
		expect(normaliseRating({ kind: 'stars', value: 4 })).toBe(0.75);
		expect(normaliseRating({ kind: 'stars', value: 6 })).toBeNull();
		expect(normaliseRating({ kind: 'nps', value: Number.NaN })).toBeNull();
	});

	it('counts only items inside the window, with sample sizes and spreads', () => {
		const obs = [
			{ at: T0 - 1, score: -1, polarity: 'negative' as const, rating: null },
			{ at: T0, score: -0.5, polarity: 'negative' as const, rating: { kind: 'stars' as const, value: 1 } },
			{ at: T0 + 1, score: 0.5, polarity: 'positive' as const, rating: { kind: 'stars' as const, value: 5 } },
			{ at: T0 + 2, score: 3, polarity: 'positive' as const, rating: null }, // clamped to 1
			{ at: T0 + 10 * DAY, score: -1, polarity: 'negative' as const, rating: null } // `to` is excluded
		];
		const s = snapshot(obs, before);
		expect(s.volume).toBe(3);
		expect(s.negative).toBe(1);
		expect(s.negativeShare).toBeCloseTo(1 / 3);
		expect(s.score.n).toBe(3);
		expect(s.score.mean).toBeCloseTo(1 / 3);
		expect(s.score.sd).toBeCloseTo(
			Math.sqrt(((-0.5 - 1 / 3) ** 2 + (0.5 - 1 / 3) ** 2 + (1 - 1 / 3) ** 2) / 2)
		);
		expect(s.rating).toEqual({ n: 2, mean: 0.5, sd: Math.SQRT1_2 });
		expect(snapshotFromSums(sumObservations(obs, before), before)).toEqual(s);
	});

	it('an empty window has no means', () => {
		const s = snapshot([], before);
		expect(s).toMatchObject({ volume: 0, negativeShare: null, score: { n: 0, mean: null, sd: null } });
	});
});

describe('verdict', () => {
	const mixed = (start: number, negatives: number, others: number, negScore = -0.6, otherScore = 0.4) => [
		...items(start, negatives, 'negative', negScore),
		...items(start + negatives * 3_600_000, others, 'positive', otherScore)
	];

	it('says not enough data below the minimum sample in either window', () => {
		const m = measure([...mixed(before.from, 20, 20), ...mixed(after.from, 0, 9)], {
			baseline: before,
			after
		});
		expect(m.verdict).toBe('not_enough_data');
		expect(m.after.volume).toBe(9);
		expect(m.comparisons).toEqual([]);
	});

	it('improved: fewer negatives and a higher score, tested at alpha split over the tests', () => {
		const m = measure([...mixed(before.from, 20, 20), ...mixed(after.from, 4, 36)], {
			baseline: before,
			after
		});
		expect(m.verdict).toBe('improved');
		expect(m.comparisons.map((c) => [c.metric, c.test, c.direction, c.significant])).toEqual([
			['negative_share', 'two_proportion_z', 'better', true],
			['score', 'welch_t', 'better', true]
		]);
		expect(m.comparisons[0].level).toBe(0.025);
		expect(m.comparisons[0].baseline).toBe(0.5);
		expect(m.comparisons[0].after).toBe(0.1);
	});

	it('worse the other way round', () => {
		const m = measure([...mixed(before.from, 4, 36), ...mixed(after.from, 20, 20)], {
			baseline: before,
			after
		});
		expect(m.verdict).toBe('worse');
	});

	it('no clear change when the windows look alike', () => {
		const m = measure([...mixed(before.from, 10, 30), ...mixed(after.from, 11, 29)], {
			baseline: before,
			after
		});
		expect(m.verdict).toBe('no_clear_change');
		expect(m.comparisons.every((c) => !c.significant)).toBe(true);
	});

	it("uses Fisher's exact test when counts are small", () => {
		const m = measure([...mixed(before.from, 6, 6), ...mixed(after.from, 0, 12)], {
			baseline: before,
			after
		});
		expect(m.comparisons[0].test).toBe('fisher_exact');
		expect(m.comparisons[0].pValue).toBeCloseTo(0.01372998, 7); // SciPy fisher_exact([[6,6],[0,12]])
		expect(m.verdict).toBe('improved');
	});

	it('contradictory significant tests give no clear change', () => {
		// Fewer negatives, but everyone is much less happy.
		const m = measure([...mixed(before.from, 25, 25, -0.2, 0.6), ...mixed(after.from, 5, 45, -0.9, -0.1)], {
			baseline: before,
			after
		});
		expect(m.comparisons.map((c) => [c.direction, c.significant])).toEqual([
			['better', true],
			['worse', true]
		]);
		expect(m.verdict).toBe('no_clear_change');
	});

	it('tests ratings too when both windows have enough of them', () => {
		const obs = [
			...items(before.from, 15, 'neutral', 0, 2),
			...items(before.from + 20 * 3_600_000, 15, 'neutral', 0.1, 3),
			...items(after.from, 15, 'neutral', 0, 4),
			...items(after.from + 20 * 3_600_000, 15, 'neutral', 0.1, 5)
		];
		const m = measure(obs, { baseline: before, after });
		const rating = m.comparisons.find((c) => c.metric === 'rating')!;
		expect(rating).toMatchObject({
			test: 'welch_t',
			baseline: 0.375,
			after: 0.875,
			direction: 'better',
			significant: true
		});
		expect(rating.level).toBeCloseTo(0.05 / 3);
		expect(m.verdict).toBe('improved');
	});

	it('a stored (JSON) baseline compares like a fresh one', () => {
		const obs = [...mixed(before.from, 20, 20), ...mixed(after.from, 4, 36)];
		const stored = JSON.parse(JSON.stringify(snapshot(obs, before)));
		expect(compareSnapshots(stored, snapshot(obs, after))).toEqual(measure(obs, { baseline: before, after }));
	});

	it('settings are validated', () => {
		expect(validateMeasureSettings({}).issues).toEqual([]);
		expect(validateMeasureSettings({ alpha: 0, minSample: 1 }).issues.map((i) => i.field)).toEqual([
			'alpha',
			'minSample'
		]);
	});
});
