/**
 * The engagement ladder of a journey: usage (items heard) → satisfaction (satisfied share of CSAT and
 * star ratings) → loyalty (share of customers heard on two days or more) → recommendation (NPS). Each
 * rung carries the answers it rests on and the half width of its 95 % interval, so a rung resting on
 * a handful of answers says so.
 */
import { evidenceLevel } from '../feedback/stats';
import type { RatingKind } from '../feedback/types';
import type { Ladder, LadderInput, LadderStep } from './types';

const Z95 = 1.96;

export type NpsBucket = 'promoters' | 'passives' | 'detractors';

/** Promoters answer 9–10, passives 7–8, detractors 0–6 (named as the counts of `LadderInput.nps`). */
export function npsBucket(value: number): NpsBucket {
	if (value >= 9) return 'promoters';
	if (value >= 7) return 'passives';
	return 'detractors';
}

/** A satisfied answer: 4 or 5 on the 1–5 CSAT and star scales (the kind keeps NPS answers out). */
export function satisfied(kind: Exclude<RatingKind, 'nps'>, value: number): boolean {
	return value >= 4;
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;
const round1 = (x: number) => Math.round(x * 10) / 10;

/** Half width of the Wilson score interval: unlike the normal one it is not 0 at a share of 0 or 1. */
export function wilsonMargin(successes: number, n: number): number | null {
	if (n <= 0) return null;
	const p = successes / n;
	const z2 = Z95 * Z95;
	return (Z95 / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
}

function shareStep(rung: LadderStep['rung'], successes: number, n: number): LadderStep {
	const margin = wilsonMargin(successes, n);
	return {
		rung,
		value: n > 0 ? round3(successes / n) : null,
		n,
		evidence: evidenceLevel(n),
		margin: margin === null ? null : round3(margin)
	};
}

export function ladderOf(input: LadderInput): Ladder {
	const { promoters, passives, detractors } = input.nps;
	const n = input.nps.n;
	let score: number | null = null;
	let margin: number | null = null;
	if (n > 0) {
		const p = promoters / n;
		const d = detractors / n;
		score = round1(100 * (p - d));
		// Promoters and detractors come from the same answers: Var(p − d) = (p + d − (p − d)²) / n.
		margin = round1(100 * Z95 * Math.sqrt(Math.max(0, p + d - (p - d) ** 2) / n));
	}
	return {
		steps: [
			{
				rung: 'usage',
				value: input.items,
				n: input.items,
				evidence: evidenceLevel(input.items),
				margin: null
			},
			shareStep('satisfaction', input.csat.satisfied + input.stars.satisfied, input.csat.n + input.stars.n),
			shareStep('loyalty', input.returning, input.customers),
			{ rung: 'recommendation', value: score, n, evidence: evidenceLevel(n), margin }
		],
		nps: { promoters, passives, detractors, n, score }
	};
}
