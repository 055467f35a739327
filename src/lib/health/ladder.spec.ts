import { describe, expect, it } from 'vitest';
import { ladderOf, npsBucket, satisfied, wilsonMargin } from './ladder';
import type { LadderInput } from './types';

const input = (over: Partial<LadderInput> = {}): LadderInput => ({
	items: 120,
	customers: 40,
	returning: 10,
	csat: { n: 10, satisfied: 8 },
	stars: { n: 10, satisfied: 4 },
	nps: { n: 20, promoters: 10, passives: 5, detractors: 5 },
	...over
});

describe('npsBucket and satisfied', () => {
	it('cuts NPS answers at 7 and 9', () => {
		expect([0, 6, 7, 8, 9, 10].map(npsBucket)).toEqual([
			'detractors',
			'detractors',
			'passives',
			'passives',
			'promoters',
			'promoters'
		]);
	});

	it('counts 4 and 5 as satisfied on both 1–5 scales', () => {
		expect([1, 2, 3, 4, 5].map((v) => satisfied('csat', v))).toEqual([false, false, false, true, true]);
		expect(satisfied('stars', 3)).toBe(false);
		expect(satisfied('stars', 4)).toBe(true);
	});
});

describe('ladderOf', () => {
	it('climbs usage → satisfaction → loyalty → recommendation', () => {
		const ladder = ladderOf(input());
		expect(ladder.steps.map((s) => [s.rung, s.value, s.n, s.evidence])).toEqual([
			['usage', 120, 120, 'solid'],
			['satisfaction', 0.6, 20, 'solid'],
			['loyalty', 0.25, 40, 'solid'],
			['recommendation', 25, 20, 'solid']
		]);
		expect(ladder.nps).toEqual({ promoters: 10, passives: 5, detractors: 5, n: 20, score: 25 });
	});

	it('gives Wilson margins for shares and the margin of a difference of proportions for NPS', () => {
		const [usage, satisfaction, , recommendation] = ladderOf(input()).steps;
		expect(usage.margin).toBeNull();
		// z / (1 + z²/n) · √(p(1−p)/n + z²/4n²) with p = 0.6, n = 20.
		expect(satisfaction.margin).toBe(0.197);
		// 196 · √((0.5 + 0.25 − 0.25²) / 20).
		expect(recommendation.margin).toBe(36.3);
		expect(wilsonMargin(0, 10)).toBeGreaterThan(0);
		expect(wilsonMargin(5, 10)!).toBeGreaterThan(wilsonMargin(50, 100)!);
	});

	it('spans −100..100 for NPS', () => {
		const all = ladderOf(input({ nps: { n: 7, promoters: 7, passives: 0, detractors: 0 } }));
		expect(all.nps.score).toBe(100);
		expect(all.steps[3].margin).toBe(0);
		expect(all.steps[3].evidence).toBe('few');
		const none = ladderOf(input({ nps: { n: 4, promoters: 0, passives: 1, detractors: 3 } }));
		expect(none.nps.score).toBe(-75);
	});

	it('leaves rungs without answers empty', () => {
		const ladder = ladderOf({
			items: 0,
			customers: 0,
			returning: 0,
			csat: { n: 0, satisfied: 0 },
			stars: { n: 0, satisfied: 0 },
			nps: { n: 0, promoters: 0, passives: 0, detractors: 0 }
		});
		for (const step of ladder.steps.slice(1)) {
			expect(step).toMatchObject({ value: null, n: 0, evidence: 'none', margin: null });
		}
		expect(ladder.steps[0]).toMatchObject({ value: 0, evidence: 'none' });
		expect(ladder.nps.score).toBeNull();
	});
});
