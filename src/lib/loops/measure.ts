/**
 * A loop's effect: the touchpoint's metrics over a window before (the baseline, recorded when the loop
 * enters Solve) and a window after its actions are done, and a plain verdict from statistical tests.
 *
 * Metrics of a window: volume, mean item score (the analysis strength in [-1, 1]; the map's live score
 * is twice it), share of negative items, and the mean rating normalised to [0, 1] — each with its sample
 * size. A snapshot holds only sums-derived summaries, so a stored baseline can be compared later even
 * if the items behind it were corrected since.
 *
 * The verdict (see `compareSnapshots`):
 * - below `minSample` items in either window: `not_enough_data`;
 * - negative share: Fisher's exact test when an expected cell of the 2×2 table is below 5, otherwise the
 *   pooled two-proportion z-test; mean score, and mean rating when both windows have `minSample`
 *   ratings: Welch's t-test. All two-sided.
 * - the family of tests run shares `alpha` (default 0.05) by Bonferroni: each at alpha / tests;
 * - `improved` when at least one test is significant in the better direction and none in the worse,
 *   `worse` the other way round, `no_clear_change` otherwise (including contradictory tests).
 */
import type { Polarity } from '../analysis/types';
import { RATING_RANGE, type Rating } from '../feedback/types';
import {
	fisherExact,
	summaryFromSums,
	type SumsSummary,
	twoProportionZ,
	welchT,
	type TestResult
} from './statistics';

const DAY_MS = 86_400_000;

/** One analysed item as measure reads it; `at` in epoch milliseconds. */
export interface Observation {
	at: number;
	/** Analysis strength in [-1, 1]. */
	score: number;
	polarity: Polarity;
	rating: Rating | null;
}

/** [from, to) in epoch milliseconds. */
export interface TimeWindow {
	from: number;
	to: number;
}

/** Additive sums of a window, as the database can aggregate them. */
export interface MetricSums {
	volume: number;
	scoreSum: number;
	scoreSumSq: number;
	negative: number;
	ratings: number;
	/** Sums of normalised ratings (see `normaliseRating`). */
	ratingSum: number;
	ratingSumSq: number;
}

/** A metric's sample size, mean and standard deviation (see `summaryFromSums`). */
export type MetricSummary = SumsSummary;

/** A window's metrics, JSON-safe: what a loop stores as its baseline and its after measure. */
export interface MetricSnapshot {
	window: TimeWindow;
	volume: number;
	score: MetricSummary;
	negative: number;
	/** negative / volume; null without items. */
	negativeShare: number | null;
	/** Normalised ratings in [0, 1]. */
	rating: MetricSummary;
}

export const VERDICTS = ['improved', 'no_clear_change', 'worse', 'not_enough_data'] as const;
export type Verdict = (typeof VERDICTS)[number];

export type MeasuredMetric = 'negative_share' | 'score' | 'rating';
export type TestName = 'fisher_exact' | 'two_proportion_z' | 'welch_t';

export interface MetricComparison {
	metric: MeasuredMetric;
	test: TestName;
	baseline: number;
	after: number;
	/** after − baseline. */
	difference: number;
	/** z or t; 0 for Fisher's exact test. */
	statistic: number;
	df?: number;
	pValue: number;
	/** The per-test level after the Bonferroni split. */
	level: number;
	significant: boolean;
	/** Which way the after window moved, whether significant or not. */
	direction: 'better' | 'worse' | 'same';
}

export interface Measurement {
	verdict: Verdict;
	/** Family-wise level of the verdict. */
	alpha: number;
	minSample: number;
	baseline: MetricSnapshot;
	after: MetricSnapshot;
	comparisons: MetricComparison[];
}

export interface MeasureSettings {
	/** Family-wise significance level, in (0, 0.5]. */
	alpha: number;
	/** Items needed in each window for any verdict, and ratings for the rating test; at least 2. */
	minSample: number;
}

export const DEFAULT_MEASURE_SETTINGS: MeasureSettings = Object.freeze({ alpha: 0.05, minSample: 10 });

/** A rating on [0, 1] whatever its scale (NPS 0–10, CSAT and stars 1–5); null when out of range. */
export function normaliseRating(rating: Rating): number | null {
	const range = RATING_RANGE[rating.kind];
	if (!range || !Number.isFinite(rating.value)) return null;
	const [low, high] = range;
	if (rating.value < low || rating.value > high) return null;
	return (rating.value - low) / (high - low);
}

/** The baseline window: `days` before `at` (when the loop entered Solve). */
export function baselineWindow(at: number, days: number): TimeWindow {
	return { from: at - days * DAY_MS, to: at };
}

/** The after window: `days` from `start` (when the last action was done). */
export function afterWindow(start: number, days: number): TimeWindow {
	return { from: start, to: start + days * DAY_MS };
}

export const emptyMetricSums = (): MetricSums => ({
	volume: 0,
	scoreSum: 0,
	scoreSumSq: 0,
	negative: 0,
	ratings: 0,
	ratingSum: 0,
	ratingSumSq: 0
});

/** Sums of the observations inside the window; scores are clamped to [-1, 1]. */
export function sumObservations(observations: Iterable<Observation>, window: TimeWindow): MetricSums {
	const s = emptyMetricSums();
	for (const o of observations) {
		if (!(o.at >= window.from && o.at < window.to)) continue;
		const score = Number.isFinite(o.score) ? Math.max(-1, Math.min(1, o.score)) : 0;
		s.volume++;
		s.scoreSum += score;
		s.scoreSumSq += score * score;
		if (o.polarity === 'negative') s.negative++;
		const rating = o.rating ? normaliseRating(o.rating) : null;
		if (rating !== null) {
			s.ratings++;
			s.ratingSum += rating;
			s.ratingSumSq += rating * rating;
		}
	}
	return s;
}

export function snapshotFromSums(sums: MetricSums, window: TimeWindow): MetricSnapshot {
	return {
		window: { from: window.from, to: window.to },
		volume: sums.volume,
		score: summaryFromSums(sums.volume, sums.scoreSum, sums.scoreSumSq),
		negative: sums.negative,
		negativeShare: sums.volume > 0 ? sums.negative / sums.volume : null,
		rating: summaryFromSums(sums.ratings, sums.ratingSum, sums.ratingSumSq)
	};
}

export function snapshot(observations: Iterable<Observation>, window: TimeWindow): MetricSnapshot {
	return snapshotFromSums(sumObservations(observations, window), window);
}

export type MeasureSettingsIssue = { field: keyof MeasureSettings; code: 'out_of_range' };

export function validateMeasureSettings(raw: Partial<MeasureSettings>): {
	settings: MeasureSettings;
	issues: MeasureSettingsIssue[];
} {
	const settings = { ...DEFAULT_MEASURE_SETTINGS, ...raw };
	const issues: MeasureSettingsIssue[] = [];
	if (!(settings.alpha > 0 && settings.alpha <= 0.5)) issues.push({ field: 'alpha', code: 'out_of_range' });
	if (!(Number.isInteger(settings.minSample) && settings.minSample >= 2 && settings.minSample <= 100_000))
		issues.push({ field: 'minSample', code: 'out_of_range' });
	return { settings, issues };
}

function direction(difference: number, higherIsBetter: boolean): MetricComparison['direction'] {
	if (difference === 0) return 'same';
	return difference > 0 === higherIsBetter ? 'better' : 'worse';
}

function negativeShareTest(
	before: MetricSnapshot,
	after: MetricSnapshot
): { test: TestName; result: TestResult } {
	const a = before.negative;
	const b = before.volume - before.negative;
	const c = after.negative;
	const d = after.volume - after.negative;
	const n = a + b + c + d;
	const smallestExpected = Math.min(
		((a + b) * (a + c)) / n,
		((a + b) * (b + d)) / n,
		((c + d) * (a + c)) / n,
		((c + d) * (b + d)) / n
	);
	return smallestExpected < 5
		? { test: 'fisher_exact', result: fisherExact(a, b, c, d) }
		: { test: 'two_proportion_z', result: twoProportionZ(a, before.volume, c, after.volume) };
}

function asSample(m: MetricSummary) {
	return { n: m.n, mean: m.mean ?? 0, sd: m.sd ?? 0 };
}

/** Compares the after window with the baseline; see the module comment for the tests and the verdict. */
export function compareSnapshots(
	baseline: MetricSnapshot,
	after: MetricSnapshot,
	options: Partial<MeasureSettings> = {}
): Measurement {
	const { alpha, minSample } = { ...DEFAULT_MEASURE_SETTINGS, ...options };
	const base = { alpha, minSample, baseline, after };
	if (baseline.volume < minSample || after.volume < minSample) {
		return { ...base, verdict: 'not_enough_data', comparisons: [] };
	}
	const runs: Array<Omit<MetricComparison, 'level' | 'significant'>> = [];
	const add = (
		metric: MeasuredMetric,
		test: TestName,
		before: number,
		later: number,
		higherIsBetter: boolean,
		result: TestResult
	) =>
		runs.push({
			metric,
			test,
			baseline: before,
			after: later,
			difference: later - before,
			statistic: result.statistic,
			...(result.df === undefined ? {} : { df: result.df }),
			pValue: result.pValue,
			direction: direction(later - before, higherIsBetter)
		});

	const share = negativeShareTest(baseline, after);
	add('negative_share', share.test, baseline.negativeShare!, after.negativeShare!, false, share.result);
	add(
		'score',
		'welch_t',
		baseline.score.mean!,
		after.score.mean!,
		true,
		welchT(asSample(baseline.score), asSample(after.score))
	);
	if (baseline.rating.n >= minSample && after.rating.n >= minSample) {
		add(
			'rating',
			'welch_t',
			baseline.rating.mean!,
			after.rating.mean!,
			true,
			welchT(asSample(baseline.rating), asSample(after.rating))
		);
	}

	const level = alpha / runs.length;
	const comparisons = runs.map((r) => ({ ...r, level, significant: r.pValue < level }));
	const better = comparisons.some((c) => c.significant && c.direction === 'better');
	const worse = comparisons.some((c) => c.significant && c.direction === 'worse');
	const verdict: Verdict = better && !worse ? 'improved' : worse && !better ? 'worse' : 'no_clear_change';
	return { ...base, verdict, comparisons };
}

/** Baseline and after snapshots from raw observations, compared. */
export function measure(
	observations: readonly Observation[],
	windows: { baseline: TimeWindow; after: TimeWindow },
	options: Partial<MeasureSettings> = {}
): Measurement {
	return compareSnapshots(
		snapshot(observations, windows.baseline),
		snapshot(observations, windows.after),
		options
	);
}
