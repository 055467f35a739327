/**
 * The distributions and tests that measure and the detector rest on, written here because no
 * dependency may be added: log-gamma, the regularized incomplete gamma and beta functions, and from
 * them the normal, Student t, Poisson and binomial tails, Fisher's exact test, the two-proportion z-test
 * and Welch's t-test. Pure; accurate to about 1e-10 on the ranges used (see statistics.spec.ts).
 */

const EPSILON = 1e-15;
const TINY = 1e-300;
const MAX_ITERATIONS = 500;

// Lanczos coefficients of Numerical Recipes (3rd ed., gammln): about 1e-15 relative error for x > 0.
const LANCZOS_G = 5.2421875;
const LANCZOS = [
	57.15623566586292, -59.59796035547549, 14.136097974741746, -0.4919138160976202, 0.00003399464998481189,
	0.00004652362892704858, -0.00009837447530487956, 0.0001580887032249125, -0.00021026444172410488,
	0.00021743961811521265, -0.0001643181065367639, 0.00008441822398385275, -0.000026190838401581408,
	0.0000036899182659531625
];

/** ln Γ(x) for x > 0. */
export function logGamma(x: number): number {
	if (!(x > 0)) throw new RangeError(`logGamma needs x > 0, got ${x}`);
	const t = x + LANCZOS_G;
	let series = 0.9999999999999971;
	for (let j = 0; j < LANCZOS.length; j++) series += LANCZOS[j] / (x + j + 1);
	return (x + 0.5) * Math.log(t) - t + Math.log((2.5066282746310007 * series) / x);
}

/** ln(n!) */
export function logFactorial(n: number): number {
	return logGamma(n + 1);
}

function gammaSeries(a: number, x: number): number {
	let term = 1 / a;
	let sum = term;
	for (let n = 1; n < MAX_ITERATIONS; n++) {
		term *= x / (a + n);
		sum += term;
		if (Math.abs(term) < Math.abs(sum) * EPSILON) break;
	}
	return sum * Math.exp(-x + a * Math.log(x) - logGamma(a));
}

/** Lentz's continued fraction for Q(a, x), good when x > a + 1. */
function gammaContinuedFraction(a: number, x: number): number {
	let b = x + 1 - a;
	let c = 1 / TINY;
	let d = 1 / b;
	let h = d;
	for (let i = 1; i < MAX_ITERATIONS; i++) {
		const an = -i * (i - a);
		b += 2;
		d = an * d + b;
		if (Math.abs(d) < TINY) d = TINY;
		c = b + an / c;
		if (Math.abs(c) < TINY) c = TINY;
		d = 1 / d;
		const delta = d * c;
		h *= delta;
		if (Math.abs(delta - 1) < EPSILON) break;
	}
	return Math.exp(-x + a * Math.log(x) - logGamma(a)) * h;
}

/** Regularized lower incomplete gamma P(a, x) = γ(a, x) / Γ(a). */
export function regularizedGammaP(a: number, x: number): number {
	if (!(a > 0)) throw new RangeError(`regularizedGammaP needs a > 0, got ${a}`);
	if (x <= 0) return 0;
	return x < a + 1 ? gammaSeries(a, x) : 1 - gammaContinuedFraction(a, x);
}

/** Regularized upper incomplete gamma Q(a, x) = 1 − P(a, x), computed directly so small tails keep their precision. */
export function regularizedGammaQ(a: number, x: number): number {
	if (!(a > 0)) throw new RangeError(`regularizedGammaQ needs a > 0, got ${a}`);
	if (x <= 0) return 1;
	return x < a + 1 ? 1 - gammaSeries(a, x) : gammaContinuedFraction(a, x);
}

function betaContinuedFraction(x: number, a: number, b: number): number {
	const qab = a + b;
	const qap = a + 1;
	const qam = a - 1;
	let c = 1;
	let d = 1 - (qab * x) / qap;
	if (Math.abs(d) < TINY) d = TINY;
	d = 1 / d;
	let h = d;
	for (let m = 1; m < MAX_ITERATIONS; m++) {
		const m2 = 2 * m;
		let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
		d = 1 + aa * d;
		if (Math.abs(d) < TINY) d = TINY;
		c = 1 + aa / c;
		if (Math.abs(c) < TINY) c = TINY;
		d = 1 / d;
		h *= d * c;
		aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
		d = 1 + aa * d;
		if (Math.abs(d) < TINY) d = TINY;
		c = 1 + aa / c;
		if (Math.abs(c) < TINY) c = TINY;
		d = 1 / d;
		const delta = d * c;
		h *= delta;
		if (Math.abs(delta - 1) < EPSILON) break;
	}
	return h;
}

/** Regularized incomplete beta I_x(a, b), for a, b > 0 and x in [0, 1]. */
export function regularizedBeta(x: number, a: number, b: number): number {
	if (!(a > 0 && b > 0)) throw new RangeError(`regularizedBeta needs a, b > 0, got ${a}, ${b}`);
	if (x <= 0) return 0;
	if (x >= 1) return 1;
	const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log1p(-x));
	// The continued fraction converges fast only on one side of the mean; use the symmetry on the other.
	return x < (a + 1) / (a + b + 2)
		? (front * betaContinuedFraction(x, a, b)) / a
		: 1 - (front * betaContinuedFraction(1 - x, b, a)) / b;
}

/** Standard normal CDF Φ(z), via erf(x) = P(½, x²); the lower tail stays precise far out. */
export function normalCdf(z: number): number {
	if (Number.isNaN(z)) return NaN;
	const tail = 0.5 * regularizedGammaQ(0.5, (z * z) / 2);
	return z < 0 ? tail : 1 - tail;
}

/** Student's t CDF with `df` degrees of freedom (df > 0, not necessarily whole, as Welch's test needs). */
export function studentTCdf(t: number, df: number): number {
	if (!(df > 0)) throw new RangeError(`studentTCdf needs df > 0, got ${df}`);
	if (Number.isNaN(t)) return NaN;
	if (!Number.isFinite(t)) return t > 0 ? 1 : 0;
	const tail = 0.5 * regularizedBeta(df / (df + t * t), df / 2, 0.5);
	return t > 0 ? 1 - tail : tail;
}

/** P(X ≥ k) for X ~ Poisson(mean). */
export function poissonUpperTail(k: number, mean: number): number {
	if (k <= 0) return 1;
	if (mean <= 0) return 0;
	return regularizedGammaP(Math.ceil(k), mean);
}

/** P(X ≥ k) for X ~ Binomial(n, p). */
export function binomialUpperTail(k: number, n: number, p: number): number {
	if (k <= 0) return 1;
	if (k > n) return 0;
	if (p <= 0) return 0;
	if (p >= 1) return 1;
	return regularizedBeta(p, Math.ceil(k), n - Math.ceil(k) + 1);
}

export interface TestResult {
	/** The test statistic (z or t); 0 for Fisher's exact test, which has none. */
	statistic: number;
	/** Two-sided p-value. */
	pValue: number;
	/** Degrees of freedom of a t statistic. */
	df?: number;
}

/**
 * Fisher's exact test on the 2×2 table [[a, b], [c, d]] (e.g. negatives and others before, then after),
 * two-sided: the sum of the probabilities of every table with the same margins that is no more likely
 * than the one observed.
 */
export function fisherExact(a: number, b: number, c: number, d: number): TestResult {
	const row1 = a + b;
	const col1 = a + c;
	const n = a + b + c + d;
	const logDenominator = logFactorial(n) - logFactorial(row1) - logFactorial(n - row1);
	const logP = (x: number) =>
		logFactorial(col1) -
		logFactorial(x) -
		logFactorial(col1 - x) +
		logFactorial(n - col1) -
		logFactorial(row1 - x) -
		logFactorial(n - col1 - row1 + x) -
		logDenominator;
	const observed = logP(a);
	let pValue = 0;
	for (let x = Math.max(0, row1 + col1 - n); x <= Math.min(row1, col1); x++) {
		const lp = logP(x);
		// A relative tolerance keeps tables exactly as likely as the observed one despite rounding.
		if (lp <= observed + 1e-7) pValue += Math.exp(lp);
	}
	return { statistic: 0, pValue: Math.min(1, pValue) };
}

/** Two-proportion z-test with the pooled proportion, two-sided; z > 0 when the second share is higher. */
export function twoProportionZ(x1: number, n1: number, x2: number, n2: number): TestResult {
	const pooled = (x1 + x2) / (n1 + n2);
	const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
	if (!(se > 0)) return { statistic: 0, pValue: 1 };
	const z = (x2 / n2 - x1 / n1) / se;
	return { statistic: z, pValue: Math.min(1, 2 * normalCdf(-Math.abs(z))) };
}

export interface SumsSummary {
	n: number;
	/** null without values. */
	mean: number | null;
	/** Sample (n − 1) standard deviation; null below two values. */
	sd: number | null;
}

/** Size, mean and standard deviation of values known only by their count, sum and sum of squares. */
export function summaryFromSums(n: number, sum: number, sumSq: number): SumsSummary {
	if (n <= 0) return { n: 0, mean: null, sd: null };
	// Rounding can make the variance of near-constant values slightly negative.
	const sd = n >= 2 ? Math.sqrt(Math.max(0, (sumSq - (sum * sum) / n) / (n - 1))) : null;
	return { n, mean: sum / n, sd };
}

/** A sample as its size, mean and (n − 1) standard deviation. */
export interface SampleSummary {
	n: number;
	mean: number;
	sd: number;
}

/**
 * Welch's unequal-variance t-test, two-sided, with Welch–Satterthwaite degrees of freedom; t > 0 when the
 * second mean is higher. Needs n ≥ 2 on each side.
 */
export function welchT(first: SampleSummary, second: SampleSummary): TestResult {
	const v1 = (first.sd * first.sd) / first.n;
	const v2 = (second.sd * second.sd) / second.n;
	const se2 = v1 + v2;
	const diff = second.mean - first.mean;
	if (!(se2 > 0)) {
		// Two constant samples: equal means say nothing changed, different ones are certainly different.
		return diff === 0
			? { statistic: 0, pValue: 1, df: first.n + second.n - 2 }
			: { statistic: Math.sign(diff) * Infinity, pValue: 0, df: first.n + second.n - 2 };
	}
	const t = diff / Math.sqrt(se2);
	const df = (se2 * se2) / ((v1 * v1) / (first.n - 1) + (v2 * v2) / (second.n - 1));
	return { statistic: t, df, pValue: Math.min(1, 2 * studentTCdf(-Math.abs(t), df)) };
}
