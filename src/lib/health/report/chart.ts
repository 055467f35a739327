/**
 * Geometry of the report's small vector charts (emotion curve, sparklines, heatmap), in points inside a
 * box, so the PDF writer only strokes what it is given.
 */
import type { HealthBand } from '../types';

export interface Box {
	x: number;
	y: number;
	width: number;
	height: number;
}

export interface Point {
	x: number;
	y: number;
}

/** y of an emotion score (-2..+2) in a box: +2 at the top, -2 at the bottom. */
export function scoreY(score: number, box: Box): number {
	const clamped = Math.max(-2, Math.min(2, score));
	return box.y + ((2 - clamped) / 4) * box.height;
}

/** x of the i-th of n evenly spread values, centred in their slots. */
export function slotX(i: number, n: number, box: Box): number {
	return box.x + ((i + 0.5) * box.width) / Math.max(1, n);
}

/**
 * The polylines through `values` (one point per slot), broken where a value is missing: a gap in the
 * data is a gap in the line, not a straight line across it. A lone value is a one-point line (a dot).
 */
export function polylines(values: Array<number | null>, box: Box): Point[][] {
	const lines: Point[][] = [];
	let current: Point[] = [];
	values.forEach((v, i) => {
		if (v === null) {
			if (current.length) lines.push(current);
			current = [];
			return;
		}
		current.push({ x: slotX(i, values.length, box), y: scoreY(v, box) });
	});
	if (current.length) lines.push(current);
	return lines;
}

/** Consecutive runs of equal keys, as [key, first index, last index]: stages along the curve. */
export function runs<K>(keys: K[]): Array<{ key: K; from: number; to: number }> {
	const out: Array<{ key: K; from: number; to: number }> = [];
	keys.forEach((key, i) => {
		const last = out[out.length - 1];
		if (last && last.key === key) last.to = i;
		else out.push({ key, from: i, to: i });
	});
	return out;
}

/** Splits `items` into chunks of at most `size`, as even as possible (13 + 13 + 12 rather than 13 + 13 + 13 + 1). */
export function evenChunks<T>(items: T[], size: number): T[][] {
	if (!items.length) return [];
	const count = Math.ceil(items.length / size);
	const base = Math.floor(items.length / count);
	let extra = items.length % count;
	const out: T[][] = [];
	let at = 0;
	for (let c = 0; c < count; c++) {
		const length = base + (extra-- > 0 ? 1 : 0);
		out.push(items.slice(at, at + length));
		at += length;
	}
	return out;
}

/**
 * The fill of a heatmap cell for a mean emotion score: light tints from red (-2) through white (0) to
 * green (+2), light enough for black text, and none without items. Printed in black and white the
 * written value carries the meaning.
 */
export function heatFill(score: number | null): string | null {
	if (score === null) return null;
	const s = Math.max(-1, Math.min(1, score / 2));
	const mix = (from: [number, number, number], share: number) =>
		from.map((c) => Math.round(255 + (c - 255) * share));
	const [r, g, b] = s < 0 ? mix([230, 120, 110], -s) : mix([110, 190, 130], s);
	return `#${[r, g, b].map((c) => c.toString(16).padStart(2, '0')).join('')}`;
}

/** The band's colour, for the headline and table marks (the band's name is always written beside it). */
export const BAND_COLOURS: Record<HealthBand, string> = {
	good: '#2e7d4f',
	watch: '#b7791f',
	at_risk: '#c0392b',
	none: '#8a8f98'
};
