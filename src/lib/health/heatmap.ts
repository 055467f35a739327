/**
 * Week by week: a sparkline of a journey and the touchpoint × week heatmap. Every week of the range has
 * its point, an empty one with volume 0 and no score, so columns line up and gaps show as gaps.
 */
import { scoreFromSums, type ScoreSums } from '../feedback/stats';
import type { Heatmap, WeekPoint } from './types';

/** One point per week of `weeks` (Mondays, in order); sums of other weeks are left out. */
export function weeklySeries(weeks: readonly string[], byWeek: ReadonlyMap<string, ScoreSums>): WeekPoint[] {
	return weeks.map((week) => {
		const sums = byWeek.get(week);
		if (!sums) return { week, volume: 0, score: null };
		const { volume, score } = scoreFromSums('', sums);
		return { week, volume, score };
	});
}

export interface HeatmapInputRow {
	touchpointId: string;
	title: string;
	/** Sums by Monday of the week. */
	byWeek: ReadonlyMap<string, ScoreSums>;
}

/** Rows keep the order given (the map's order). */
export function heatmapOf(weeks: readonly string[], rows: readonly HeatmapInputRow[]): Heatmap {
	return {
		weeks: [...weeks],
		rows: rows.map((r) => ({
			touchpointId: r.touchpointId,
			title: r.title,
			cells: weeklySeries(weeks, r.byWeek)
		}))
	};
}
