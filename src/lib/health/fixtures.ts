/** Sums for the health specs: `count` items of one score. */
import type { Polarity } from '../analysis/types';
import { addSums, emptySums, itemSums, type ScoreSums } from '../feedback/stats';

/** Negative below 0, positive above, neutral at 0, unless `polarity` says otherwise. */
export function items(count: number, score: number, polarity?: Polarity): ScoreSums {
	const p: Polarity = polarity ?? (score < 0 ? 'negative' : score > 0 ? 'positive' : 'neutral');
	let s = emptySums();
	for (let i = 0; i < count; i++) s = addSums(s, itemSums(score, p));
	return s;
}

export const mix = (...parts: ScoreSums[]): ScoreSums => parts.reduce(addSums, emptySums());
