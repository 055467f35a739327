import { describe, expect, it } from 'vitest';
import { emptySums, type ScoreSums } from '../feedback/stats';
import { items, mix } from './fixtures';
import { bandOf, HEALTH_FORMULA, healthOf, PRIOR_ITEMS } from './score';

const health = (sums: ScoreSums, previous = emptySums(), openAlerts = 0) =>
	healthOf({ sums, previous, openAlerts });

describe('healthOf', () => {
	it('has no score without items, even with alerts or a comparison period', () => {
		const h = health(emptySums(), items(10, 1), 2);
		expect(h).toMatchObject({
			score: null,
			band: 'none',
			parts: null,
			evidence: 'none',
			range: null,
			delta: null,
			trend: null,
			volume: 0,
			openAlerts: 2
		});
	});

	it('adds the emotion and negative parts of shrunk mean and share', () => {
		// 100 items at −1, 40 of them negative: m' = −100/112, q' = (40 + 2.4)/112.
		const h = health(mix(items(40, -1, 'negative'), items(60, -1, 'neutral')));
		const m = -100 / 112;
		const q = 42.4 / 112;
		const emotion = (60 * (m + 2)) / 4;
		const negative = 40 * (1 - q / 0.6);
		expect(h.parts!.emotion).toBeCloseTo(emotion, 1);
		expect(h.parts!.negative).toBeCloseTo(negative, 1);
		expect(h.score).toBe(Math.round(emotion + negative));
		expect(h.score).toBe(31);
		expect(h.liveScore).toBe(-1);
		expect(h.negativeShare).toBe(0.4);
		expect(h.evidence).toBe('solid');
	});

	it('loses the whole negative part from a 60 % negative share on', () => {
		const h = health(mix(items(700, 0, 'negative'), items(300, 0, 'neutral')));
		expect(h.parts!.negative).toBe(0);
		// Only the emotion part of a mean of 0 is left.
		expect(h.score).toBe(30);
	});

	it('does not let one furious item make a touchpoint at risk, but a stream of them does', () => {
		const one = health(items(1, -2));
		// m' = −2/13, q' = 3.4/13: 27.69 + 22.56.
		expect(one.score).toBe(50);
		expect(one.band).toBe('watch');
		expect(one.evidence).toBe('few');
		expect(one.range).toBeNull();
		const many = health(items(100, -2));
		expect(many.score).toBe(3);
		expect(many.band).toBe('at_risk');
		expect(many.liveScore).toBe(one.liveScore);
	});

	it('shrinks toward the prior less as volume grows (1 vs 100 items of the same score)', () => {
		for (const score of [-1.5, 1.5]) {
			const one = health(items(1, score)).score!;
			const hundred = health(items(100, score)).score!;
			const prior = Math.round(30 + 40 * (1 - 0.2 / 0.6));
			expect(Math.abs(one - prior)).toBeLessThan(Math.abs(hundred - prior));
			expect(Math.sign(one - prior)).toBe(Math.sign(hundred - prior));
		}
	});

	it('lowers the score with every negative item added', () => {
		let previous = Infinity;
		for (let bad = 0; bad <= 30; bad += 3) {
			const score = health(mix(items(30, 1), items(bad, -1.5))).score!;
			expect(score).toBeLessThanOrEqual(previous);
			previous = score;
		}
		expect(health(mix(items(30, 1), items(30, -1.5))).score).toBeLessThan(health(items(30, 1)).score!);
	});

	it('keeps the score within 0..100', () => {
		expect(health(items(5000, 2)).score).toBeLessThanOrEqual(100);
		expect(health(items(5000, -2), items(5000, 2), 5).score).toBe(0);
		expect(health(items(5000, 2), items(5000, -2)).score).toBe(100);
	});

	it('takes 10 points per open alert, at most 20', () => {
		const base = health(items(50, 1)).score!;
		expect(health(items(50, 1), emptySums(), 1).score).toBe(base - 10);
		expect(health(items(50, 1), emptySums(), 2).score).toBe(base - 20);
		expect(health(items(50, 1), emptySums(), 7).score).toBe(base - 20);
		expect(health(items(50, 1), emptySums(), 7).parts!.alerts).toBe(-20);
		expect(health(items(50, 1), emptySums(), 7).openAlerts).toBe(7);
	});

	it('adds a trend part of up to ±10 only when both periods have items', () => {
		const now = items(200, 0.5);
		const alone = health(now);
		expect(alone.parts!.trend).toBe(0);
		expect(alone.trend).toBeNull();
		expect(alone.delta).toBeNull();

		// Shrunk means: 100/212 now, −50/212 before: Δ ≈ 0.708 → +7.1 points.
		const better = health(now, items(200, -0.25));
		expect(better.parts!.trend).toBeCloseTo(10 * (150 / 212), 1);
		expect(better.trend).toBe(0.75);
		expect(better.score).toBe(Math.round(alone.score! + 10 * (150 / 212)));

		const capped = health(items(200, 2), items(200, -2));
		expect(capped.parts!.trend).toBe(10);
		const worse = health(items(200, -2), items(200, 2));
		expect(worse.parts!.trend).toBe(-10);
		expect(worse.trend).toBe(-4);
	});

	it('gives delta as health now minus health before, without trend and alerts', () => {
		const now = items(100, 1);
		const before = items(100, -1);
		const h = health(now, before, 2);
		const alone = health(now).score!;
		const then = health(before).score!;
		expect(h.delta).toBe(alone - then);
		expect(h.delta).toBeGreaterThan(0);
	});

	it('gives a plausible range that contains the score and narrows with volume', () => {
		const spread = (n: number) => mix(items(n, 1.5), items(n, -1), items(n, 0.5));
		for (const n of [1, 3, 10, 100]) {
			const h = health(spread(n), items(n, 0), 1);
			const [lo, hi] = h.range!;
			expect(lo).toBeLessThanOrEqual(h.score!);
			expect(hi).toBeGreaterThanOrEqual(h.score!);
		}
		const width = (h: ReturnType<typeof health>) => h.range![1] - h.range![0];
		expect(width(health(spread(2)))).toBeGreaterThan(width(health(spread(100))));
		expect(health(items(2, 1)).range).toEqual([health(items(2, 1)).score, health(items(2, 1)).score]);
	});

	it('reports raw mean and negative share rounded to 3 decimals', () => {
		const h = health(mix(items(1, -1.2345), items(2, 0.3)));
		expect(h.liveScore).toBe(Math.round(((-1.2345 + 0.6) / 3) * 1000) / 1000);
		expect(h.negativeShare).toBe(0.333);
		expect(h.volume).toBe(3);
	});

	it('describes its numbers for the page', () => {
		expect(HEALTH_FORMULA.prior.items).toBe(PRIOR_ITEMS);
		expect(HEALTH_FORMULA.weights.emotion + HEALTH_FORMULA.weights.negative).toBe(100);
		expect(HEALTH_FORMULA.bands).toEqual({ good: 70, watch: 50 });
	});
});

describe('bandOf', () => {
	it('cuts at 70 and 50', () => {
		expect(bandOf(null)).toBe('none');
		expect(bandOf(100)).toBe('good');
		expect(bandOf(70)).toBe('good');
		expect(bandOf(69)).toBe('watch');
		expect(bandOf(50)).toBe('watch');
		expect(bandOf(49)).toBe('at_risk');
		expect(bandOf(0)).toBe('at_risk');
	});
});
