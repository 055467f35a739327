/**
 * Running statistics of emotion scores: sums that can be added and subtracted (so stored aggregates
 * follow corrections), and what the map shows from them.
 */
import type { EvidenceLevel, TouchpointScore } from './types';
import type { Polarity } from '../analysis/types';

/** Below this many items a touchpoint's live score rests on "few" voices; from it on, "solid". */
export const SOLID_EVIDENCE = 10;

/** Additive sums over items; `n` items with emotion scores summing to `sum`. */
export interface ScoreSums {
	n: number;
	sum: number;
	sumSq: number;
	negative: number;
	neutral: number;
	positive: number;
}

export const emptySums = (): ScoreSums => ({ n: 0, sum: 0, sumSq: 0, negative: 0, neutral: 0, positive: 0 });

/** The analysis strength in [-1, 1] on the map's -2..+2 emotion scale. */
export function emotionScore(strength: number): number {
	const s = Math.max(-1, Math.min(1, Number.isFinite(strength) ? strength : 0));
	return Math.round(s * 2 * 1000) / 1000;
}

/**
 * The strength to keep when staff correct the polarity: unchanged when its sign already agrees,
 * otherwise a moderate value of the corrected polarity.
 */
export function correctedStrength(polarity: Polarity, strength: number): number {
	if (polarity === 'negative') return strength < 0 ? strength : -0.5;
	if (polarity === 'positive') return strength > 0 ? strength : 0.5;
	return Math.abs(strength) <= 0.25 ? strength : 0;
}

/** One item's contribution; `sign` -1 removes it. */
export function itemSums(score: number, polarity: Polarity, sign: 1 | -1 = 1): ScoreSums {
	return {
		n: sign,
		sum: sign * score,
		sumSq: sign * score * score,
		negative: polarity === 'negative' ? sign : 0,
		neutral: polarity === 'neutral' ? sign : 0,
		positive: polarity === 'positive' ? sign : 0
	};
}

export function addSums(a: ScoreSums, b: ScoreSums): ScoreSums {
	return {
		n: a.n + b.n,
		sum: a.sum + b.sum,
		sumSq: a.sumSq + b.sumSq,
		negative: a.negative + b.negative,
		neutral: a.neutral + b.neutral,
		positive: a.positive + b.positive
	};
}

export function evidenceLevel(volume: number): EvidenceLevel {
	if (volume <= 0) return 'none';
	return volume < SOLID_EVIDENCE ? 'few' : 'solid';
}

/** Two-sided 97.5 % quantiles of Student's t for 1..30 degrees of freedom; 1.96 beyond. */
const T975 = [
	12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131,
	2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042
];

const round = (x: number) => Math.round(x * 1000) / 1000;
const clampScore = (x: number) => Math.max(-2, Math.min(2, x));

/** What the map shows of a touchpoint from its sums. */
export function scoreFromSums(touchpointId: string, s: ScoreSums): TouchpointScore {
	const n = Math.max(0, Math.round(s.n));
	if (n === 0) {
		return {
			touchpointId,
			volume: 0,
			score: null,
			interval: null,
			shares: { negative: 0, neutral: 0, positive: 0 },
			evidence: 'none'
		};
	}
	const mean = s.sum / n;
	let interval: [number, number] | null = null;
	if (n >= 2) {
		// Sums of floats drift slightly below zero for identical scores.
		const variance = Math.max(0, (s.sumSq - n * mean * mean) / (n - 1));
		const t = n - 1 <= T975.length ? T975[n - 2] : 1.96;
		const half = t * Math.sqrt(variance / n);
		interval = [round(clampScore(mean - half)), round(clampScore(mean + half))];
	}
	return {
		touchpointId,
		volume: n,
		score: round(clampScore(mean)),
		interval,
		shares: {
			negative: round(s.negative / n),
			neutral: round(s.neutral / n),
			positive: round(s.positive / n)
		},
		evidence: evidenceLevel(n)
	};
}

/** The colour band of a live score, for the card: same thresholds as the authored emotion faces. */
export function scoreBand(
	score: number | null
): 'none' | 'very-negative' | 'negative' | 'neutral' | 'positive' | 'very-positive' {
	if (score === null) return 'none';
	if (score <= -1.25) return 'very-negative';
	if (score <= -0.4) return 'negative';
	if (score < 0.4) return 'neutral';
	if (score < 1.25) return 'positive';
	return 'very-positive';
}
