/**
 * The health score of a scope (touchpoint, stage, stage group, journey), 0..100, from what customers said
 * in a date range. In plain words:
 *
 * - Without items there is no score (band `none`).
 * - The mean emotion score (−2..+2) and the share of negative items are first pulled toward a neutral
 *   prior, as if `PRIOR_ITEMS` more items with score 0 and a 20 % negative share had been heard. With few
 *   items the prior weighs a lot; with hundreds it hardly counts. So one furious message does not turn a
 *   touchpoint red (it stays at 50, "watch"), but a steady stream of them does.
 * - Emotion gives up to 60 points: 0 at a mean of −2, 30 at 0, 60 at +2.
 * - Negative share gives up to 40 points, lost linearly until 60 % of items are negative (then all lost).
 * - Trend adds or takes up to 10 points when the comparison period also has items: 10 per point of mean
 *   gained or lost (both means pulled toward the prior), capped at ±10.
 * - Each alert open now takes 10 points, at most 20.
 * - The sum is rounded and kept within 0..100. Bands: good from 70, watch from 50, at risk below.
 *
 * The lead's first draft used 5 prior items; one item at −2 then scores 43 (at risk), against the stated
 * aim. 12 is the smallest prior that keeps a single item, however negative, at 50 or above.
 */
import { evidenceLevel, scoreFromSums, type ScoreSums } from '../feedback/stats';
import type { Health, HealthBand, HealthInput, HealthParts } from './types';

/** Pseudo-items of the neutral prior every mean and share is shrunk toward. */
export const PRIOR_ITEMS = 12;
export const PRIOR_MEAN = 0;
export const PRIOR_NEGATIVE_SHARE = 0.2;

export const HEALTH_WEIGHTS = {
	/** Points of emotion at a mean of +2 (0 at −2, linear between). */
	emotion: 60,
	/** Points of a scope without negative items. */
	negative: 40,
	/** Points a full point of mean gained (or lost) against the comparison period is worth, at most. */
	trend: 10,
	/** Points one open alert takes. */
	alert: 10,
	/** Most points open alerts take together. */
	alertsMax: 20
} as const;

/** Negative share at which the whole negative part is lost. */
export const NEGATIVE_SHARE_ALL_LOST = 0.6;
/** Change of mean (−2..+2 scale) that earns the whole trend part. */
export const TREND_FULL_AT = 1;

export const BAND_THRESHOLDS = { good: 70, watch: 50 } as const;

/** Every number of the formula, for the page's "how is this computed?" (the page writes the sentences). */
export const HEALTH_FORMULA = {
	prior: { items: PRIOR_ITEMS, mean: PRIOR_MEAN, negativeShare: PRIOR_NEGATIVE_SHARE },
	weights: HEALTH_WEIGHTS,
	scoreScale: { min: -2, max: 2 },
	negativeShareAllLost: NEGATIVE_SHARE_ALL_LOST,
	trendFullAt: TREND_FULL_AT,
	bands: BAND_THRESHOLDS,
	/** Confidence of the plausible range, from the mean's t-interval. */
	confidence: 0.95,
	/** Minimum items for a plausible range. */
	rangeMinItems: 2
} as const;

export function bandOf(score: number | null): HealthBand {
	if (score === null) return 'none';
	if (score >= BAND_THRESHOLDS.good) return 'good';
	if (score >= BAND_THRESHOLDS.watch) return 'watch';
	return 'at_risk';
}

const clamp = (x: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, x));
const round3 = (x: number) => Math.round(x * 1000) / 1000;
const round1 = (x: number) => Math.round(x * 10) / 10;
const toScore = (points: number) => clamp(Math.round(points), 0, 100);

function shrunkMean(sum: number, n: number): number {
	return clamp((sum + PRIOR_ITEMS * PRIOR_MEAN) / (n + PRIOR_ITEMS), -2, 2);
}

function shrunkNegativeShare(negative: number, n: number): number {
	return (negative + PRIOR_ITEMS * PRIOR_NEGATIVE_SHARE) / (n + PRIOR_ITEMS);
}

const emotionPart = (mean: number) => (HEALTH_WEIGHTS.emotion * (mean + 2)) / 4;

const negativePart = (share: number) =>
	HEALTH_WEIGHTS.negative * (1 - clamp(share / NEGATIVE_SHARE_ALL_LOST, 0, 1));

/** Emotion and negative parts: what a period is worth on its own, without trend or alerts. */
function baseParts(s: ScoreSums): { emotion: number; negative: number } {
	return {
		emotion: emotionPart(shrunkMean(s.sum, s.n)),
		negative: negativePart(shrunkNegativeShare(s.negative, s.n))
	};
}

export function healthOf(input: HealthInput): Health {
	const { sums, previous } = input;
	const openAlerts = Math.max(0, input.openAlerts);
	const n = Math.max(0, Math.round(sums.n));
	if (n === 0) {
		return {
			score: null,
			range: null,
			band: 'none',
			evidence: 'none',
			volume: 0,
			liveScore: null,
			negativeShare: null,
			trend: null,
			delta: null,
			openAlerts,
			parts: null
		};
	}
	const before = Math.max(0, Math.round(previous.n));
	const compared = before > 0;
	const now = baseParts({ ...sums, n });
	const trend = compared
		? HEALTH_WEIGHTS.trend *
			clamp((shrunkMean(sums.sum, n) - shrunkMean(previous.sum, before)) / TREND_FULL_AT, -1, 1)
		: 0;
	const alerts = -Math.min(HEALTH_WEIGHTS.alertsMax, HEALTH_WEIGHTS.alert * openAlerts);
	const score = toScore(now.emotion + now.negative + trend + alerts);

	// The mean's interval, moved through the same shrinkage; the other parts stay as they are.
	const interval = scoreFromSums('', { ...sums, n }).interval;
	const at = (mean: number) => toScore(emotionPart(shrunkMean(mean * n, n)) + now.negative + trend + alerts);
	// The interval's ends are rounded to 3 decimals: keep the score inside whatever the rounding did.
	const range: [number, number] | null = interval
		? [Math.min(score, at(interval[0])), Math.max(score, at(interval[1]))]
		: null;

	const parts: HealthParts = {
		emotion: round1(now.emotion),
		negative: round1(now.negative),
		trend: round1(trend),
		alerts
	};
	let delta: number | null = null;
	if (compared) {
		const then = baseParts({ ...previous, n: before });
		delta = toScore(now.emotion + now.negative) - toScore(then.emotion + then.negative);
	}
	return {
		score,
		range,
		band: bandOf(score),
		evidence: evidenceLevel(n),
		volume: n,
		liveScore: round3(sums.sum / n),
		negativeShare: round3(sums.negative / n),
		trend: compared ? round3(sums.sum / n - previous.sum / before) : null,
		delta,
		openAlerts,
		parts
	};
}
