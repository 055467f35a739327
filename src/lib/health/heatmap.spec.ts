import { describe, expect, it } from 'vitest';
import { emptySums } from '../feedback/stats';
import { items, mix } from './fixtures';
import { heatmapOf, weeklySeries } from './heatmap';

const WEEKS = ['2026-11-02', '2026-11-09', '2026-11-16'];

describe('weeklySeries', () => {
	it('has a point for every week, empty ones with volume 0 and no score', () => {
		const byWeek = new Map([
			['2026-11-02', mix(items(3, 1), items(1, -2))],
			['2026-11-16', emptySums()],
			['2026-10-26', items(9, 2)]
		]);
		expect(weeklySeries(WEEKS, byWeek)).toEqual([
			{ week: '2026-11-02', volume: 4, score: 0.25 },
			{ week: '2026-11-09', volume: 0, score: null },
			{ week: '2026-11-16', volume: 0, score: null }
		]);
	});
});

describe('heatmapOf', () => {
	it('gives each touchpoint a row of cells, one per week, in the order given', () => {
		const heatmap = heatmapOf(WEEKS, [
			{ touchpointId: 'b', title: 'Shop', byWeek: new Map([['2026-11-09', items(2, -1)]]) },
			{ touchpointId: 'a', title: 'Site', byWeek: new Map() }
		]);
		expect(heatmap.weeks).toEqual(WEEKS);
		expect(heatmap.rows.map((r) => r.touchpointId)).toEqual(['b', 'a']);
		expect(heatmap.rows[0].cells.map((c) => [c.volume, c.score])).toEqual([
			[0, null],
			[2, -1],
			[0, null]
		]);
		expect(heatmap.rows[1].cells.every((c) => c.volume === 0)).toBe(true);
	});
});
