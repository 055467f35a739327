import { describe, expect, it } from 'vitest';
import {
	binomialUpperTail,
	fisherExact,
	logGamma,
	normalCdf,
	poissonUpperTail,
	regularizedBeta,
	regularizedGammaP,
	regularizedGammaQ,
	studentTCdf,
	summaryFromSums,
	twoProportionZ,
	welchT
} from './statistics';

// Reference values from SciPy 1.17 (scipy.special / scipy.stats).
const close = (actual: number, expected: number, relative = 1e-9) =>
	expect(Math.abs(actual - expected)).toBeLessThanOrEqual(Math.abs(expected) * relative + 1e-15);

describe('special functions', () => {
	it('logGamma matches known values, including below ½ and far out', () => {
		close(logGamma(0.5), 0.5723649429247);
		close(logGamma(10), 12.801827480081469);
		close(logGamma(0.1), 2.252712651734206);
		close(logGamma(171.5), 709.1431630309283);
		close(logGamma(1), 0);
		expect(() => logGamma(0)).toThrow(RangeError);
	});

	it('regularized gamma P and Q', () => {
		close(regularizedGammaP(3.5, 2), 0.22022259152428406);
		close(regularizedGammaQ(0.5, 30), 9.485737571073857e-15, 1e-7);
		expect(regularizedGammaP(2, 0)).toBe(0);
		close(regularizedGammaP(4, 9) + regularizedGammaQ(4, 9), 1);
	});

	it('regularized incomplete beta', () => {
		close(regularizedBeta(0.4, 2, 3), 0.5248);
		close(regularizedBeta(0.9, 0.5, 7.5), 0.9999999932897103);
		close(regularizedBeta(0.45, 50, 60), 0.4642352914306031);
		close(regularizedBeta(0.5, 4, 4), 0.5);
		close(regularizedBeta(0.3, 1, 1), 0.3);
		expect(regularizedBeta(0, 2, 2)).toBe(0);
		expect(regularizedBeta(1, 2, 2)).toBe(1);
	});
});

describe('distributions', () => {
	it('normal CDF, with precise far tails', () => {
		close(normalCdf(1.959963984540054), 0.975);
		close(normalCdf(-1), 0.15865525393145707);
		close(normalCdf(0.3), 0.6179114221889526);
		close(normalCdf(-6), 9.865876450376946e-10, 1e-7);
		close(normalCdf(-10), 7.61985302416047e-24, 1e-6);
		expect(normalCdf(0)).toBe(0.5);
	});

	it('Student t CDF, whole and fractional degrees of freedom', () => {
		close(studentTCdf(2.228138851986274, 10), 0.975);
		close(studentTCdf(-2.015048372669157, 5), 0.050000000042352645);
		close(studentTCdf(1.5, 3.7), 0.8932009153989933);
		close(studentTCdf(-40, 2), 0.0003122073360923703, 1e-8);
		close(studentTCdf(0.1, 200), 0.5397777537478394);
		close(studentTCdf(1, 1), 0.75); // Cauchy
		expect(studentTCdf(0, 4)).toBe(0.5);
	});

	it('Poisson and binomial upper tails P(X ≥ k)', () => {
		close(poissonUpperTail(3, 2), 0.32332358381693654);
		close(poissonUpperTail(15, 3.2), 1.4669457655308355e-6, 1e-8);
		close(poissonUpperTail(100, 60), 1.4815276326460494e-6, 1e-8);
		close(poissonUpperTail(1, 0.7), 1 - Math.exp(-0.7));
		expect(poissonUpperTail(0, 5)).toBe(1);
		expect(poissonUpperTail(1, 0)).toBe(0);
		close(binomialUpperTail(5, 20, 0.1), 0.04317449528446339);
		close(binomialUpperTail(30, 100, 0.2), 0.011248978720991648);
		// Busy scopes: a baseline of millions of items.
		close(binomialUpperTail(10_200, 2_000_000, 0.005), 0.023016380459993293, 1e-7);
		close(poissonUpperTail(5100, 5000), 0.08003099915657268, 1e-9);
		expect(binomialUpperTail(21, 20, 0.5)).toBe(0);
		expect(binomialUpperTail(0, 20, 0.5)).toBe(1);
	});
});

describe('summaryFromSums', () => {
	it('gives mean and sample deviation from count, sum and sum of squares', () => {
		// 1, 2, 3, 4
		expect(summaryFromSums(4, 10, 30)).toEqual({ n: 4, mean: 2.5, sd: Math.sqrt(5 / 3) });
		expect(summaryFromSums(1, 0.5, 0.25)).toEqual({ n: 1, mean: 0.5, sd: null });
		expect(summaryFromSums(0, 0, 0)).toEqual({ n: 0, mean: null, sd: null });
		// Constant values whose rounded sums would give a negative variance.
		expect(summaryFromSums(3, 0.3, 0.030000000000000002 - 1e-18).sd).toBeGreaterThanOrEqual(0);
	});
});

describe('tests', () => {
	it("Fisher's exact test, two-sided", () => {
		close(fisherExact(3, 1, 1, 3).pValue, 0.48571428571428565);
		close(fisherExact(8, 2, 1, 5).pValue, 0.034965034965034975);
		close(fisherExact(0, 10, 10, 0).pValue, 1.082508822446903e-5, 1e-8);
		close(fisherExact(12, 38, 3, 47).pValue, 0.02260438688192351);
	});

	it('two-proportion z-test', () => {
		const r = twoProportionZ(24, 100, 6, 100);
		close(r.statistic, -3.5645311547160277);
		close(r.pValue, 0.0003645071562425882, 1e-8);
		expect(twoProportionZ(0, 10, 0, 10)).toEqual({ statistic: 0, pValue: 1 });
	});

	it("Welch's t-test from summaries", () => {
		const a = welchT({ n: 10, mean: 5, sd: 1 }, { n: 10, mean: 6, sd: 1 });
		close(a.statistic, 2.23606797749979);
		close(a.pValue, 0.03824961451611385);
		const b = welchT({ n: 30, mean: -0.2, sd: 0.5 }, { n: 12, mean: 0.1, sd: 0.8 });
		close(b.statistic, 1.2080808993852439);
		close(b.pValue, 0.24625847055887468);
		expect(welchT({ n: 5, mean: 1, sd: 0 }, { n: 5, mean: 1, sd: 0 }).pValue).toBe(1);
		expect(welchT({ n: 5, mean: 1, sd: 0 }, { n: 5, mean: 0, sd: 0 }).pValue).toBe(0);
	});
});
