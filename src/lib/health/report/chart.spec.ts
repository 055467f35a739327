import { describe, expect, it } from 'vitest';
import { evenChunks, heatFill, polylines, runs, scoreY, slotX } from './chart';

const box = { x: 10, y: 20, width: 100, height: 40 };

describe('report charts', () => {
	it('puts +2 at the top of the box, -2 at the bottom, and clamps beyond', () => {
		expect(scoreY(2, box)).toBe(20);
		expect(scoreY(-2, box)).toBe(60);
		expect(scoreY(0, box)).toBe(40);
		expect(scoreY(5, box)).toBe(20);
	});

	it('centres values in their slots', () => {
		expect(slotX(0, 4, box)).toBe(22.5);
		expect(slotX(3, 4, box)).toBe(97.5);
	});

	it('breaks a line where a value is missing and keeps a lone value as a dot', () => {
		const lines = polylines([1, 0, null, -1, null, null, 2], box);
		expect(lines.map((l) => l.length)).toEqual([2, 1, 1]);
		expect(lines[0][0].y).toBe(scoreY(1, box));
		expect(polylines([null, null], box)).toEqual([]);
	});

	it('groups consecutive equal keys into runs (stages along the curve)', () => {
		expect(runs(['a', 'a', 'b', 'a'])).toEqual([
			{ key: 'a', from: 0, to: 1 },
			{ key: 'b', from: 2, to: 2 },
			{ key: 'a', from: 3, to: 3 }
		]);
		expect(runs([])).toEqual([]);
	});

	it('splits weeks into even chunks no longer than asked', () => {
		const weeks = Array.from({ length: 40 }, (_, i) => i);
		expect(evenChunks(weeks, 13).map((c) => c.length)).toEqual([10, 10, 10, 10]);
		expect(evenChunks(weeks.slice(0, 27), 13).map((c) => c.length)).toEqual([9, 9, 9]);
		expect(evenChunks(weeks.slice(0, 13), 13)).toHaveLength(1);
		expect(evenChunks([], 13)).toEqual([]);
		expect(evenChunks(weeks, 13).flat()).toEqual(weeks);
	});

	it('tints cells red below 0, green above, white at 0 and none without items', () => {
		expect(heatFill(null)).toBeNull();
		expect(heatFill(0)).toBe('#ffffff');
		expect(heatFill(-2)).toBe('#e6786e');
		expect(heatFill(2)).toBe('#6ebe82');
		// Lighter the closer to 0.
		const red = (hex: string) => parseInt(hex.slice(3, 5), 16);
		expect(red(heatFill(-1)!)).toBeGreaterThan(red(heatFill(-2)!));
	});
});
