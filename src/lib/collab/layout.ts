/**
 * Where things sit on the journey canvas, computed from the journey's order alone.
 *
 * A journey map is a grid: stages are columns (left to right in journey order), grouped under
 * pre-sale / sale / after-sale headers; touchpoint cards are stacked in their stage in order; the emotion
 * curve is a row under the columns with one point per touchpoint, in journey order. Touchpoints have no
 * free position: dragging a card only chooses a stage and an index, which `dropTarget` computes.
 * Pure: no framework, no DOM.
 */
import type { EmotionScore, JourneySnapshot, StageGroup, Touchpoint } from '$lib/journey';

export const LAYOUT = {
	columnWidth: 264,
	columnGap: 16,
	groupHeight: 34,
	headerGap: 8,
	stageHeaderHeight: 66,
	columnPadding: 12,
	cardHeight: 156,
	cardGap: 12,
	/** Columns are at least this many cards tall, so a new stage offers room to double-click. */
	minRows: 2,
	curveGap: 28,
	curveHeight: 210,
	curvePadding: 28
} as const;

export interface Box {
	x: number;
	y: number;
	width: number;
	height: number;
}

export interface ColumnBox extends Box {
	stageId: string;
	index: number;
	group: StageGroup;
}

/** A run of consecutive stages of one group, drawn as one header. */
export interface GroupBox extends Box {
	/** Stable while the run keeps its first stage. */
	key: string;
	group: StageGroup;
	stageIds: string[];
}

export interface CardBox extends Box {
	id: string;
	stageId: string;
	/** Position inside the stage. */
	index: number;
}

export interface CurvePoint {
	touchpointId: string;
	/** Relative to the curve row. */
	x: number;
	y: number;
	emotion: EmotionScore;
}

export interface CurveRow extends Box {
	/** Points in journey order; touchpoints without an emotion have none. */
	points: CurvePoint[];
	/** Vertical position of each score in the row, for the grid lines (+2 first). */
	levels: { emotion: EmotionScore; y: number }[];
}

export interface JourneyLayout {
	columns: ColumnBox[];
	groups: GroupBox[];
	cards: Map<string, CardBox>;
	curve: CurveRow | null;
	width: number;
	height: number;
}

export interface LayoutOptions {
	/** Touchpoints plotted on the curve (persona filter); all by default. */
	plot?: (tp: Touchpoint) => boolean;
}

const L = LAYOUT;
export const COLUMN_TOP = L.groupHeight + L.headerGap;
const CARDS_TOP = COLUMN_TOP + L.stageHeaderHeight + L.columnPadding;
const STEP = L.cardHeight + L.cardGap;

export function columnX(index: number): number {
	return index * (L.columnWidth + L.columnGap);
}

export function cardY(index: number): number {
	return CARDS_TOP + index * STEP;
}

/** Height of the curve row at which a score sits (row coordinates). */
export function emotionY(emotion: number): number {
	const inner = L.curveHeight - 2 * L.curvePadding;
	return L.curvePadding + ((2 - emotion) / 4) * inner;
}

export function layoutJourney(
	snapshot: Pick<JourneySnapshot, 'stages' | 'touchpoints'>,
	options: LayoutOptions = {}
): JourneyLayout {
	const { stages, touchpoints } = snapshot;
	const byStage = new Map<string, Touchpoint[]>(stages.map((s) => [s.id, []]));
	for (const tp of touchpoints) byStage.get(tp.stageId)?.push(tp);
	const rows = Math.max(L.minRows, ...[...byStage.values()].map((l) => l.length));
	const columnHeight = L.stageHeaderHeight + 2 * L.columnPadding + rows * STEP - L.cardGap;

	const columns: ColumnBox[] = stages.map((s, i) => ({
		stageId: s.id,
		index: i,
		group: s.group,
		x: columnX(i),
		y: COLUMN_TOP,
		width: L.columnWidth,
		height: columnHeight
	}));

	const groups: GroupBox[] = [];
	for (const col of columns) {
		const last = groups.at(-1);
		if (last && last.group === col.group) {
			last.stageIds.push(col.stageId);
			last.width = col.x + col.width - last.x;
		} else {
			groups.push({
				key: `${col.group}:${col.stageId}`,
				group: col.group,
				stageIds: [col.stageId],
				x: col.x,
				y: 0,
				width: col.width,
				height: L.groupHeight
			});
		}
	}

	const cards = new Map<string, CardBox>();
	for (const col of columns) {
		byStage.get(col.stageId)!.forEach((tp, index) => {
			cards.set(tp.id, {
				id: tp.id,
				stageId: col.stageId,
				index,
				x: col.x + L.columnPadding,
				y: cardY(index),
				width: L.columnWidth - 2 * L.columnPadding,
				height: L.cardHeight
			});
		});
	}

	const width = columns.length ? columns.at(-1)!.x + L.columnWidth : 0;
	let curve: CurveRow | null = null;
	if (columns.length) {
		const points: CurvePoint[] = [];
		const plot = options.plot ?? (() => true);
		for (const col of columns) {
			const list = byStage.get(col.stageId)!.filter(plot);
			const inner = col.width - 2 * L.columnPadding;
			list.forEach((tp, k) => {
				if (tp.emotion === null) return;
				points.push({
					touchpointId: tp.id,
					x: col.x + L.columnPadding + ((k + 0.5) / list.length) * inner,
					y: emotionY(tp.emotion),
					emotion: tp.emotion
				});
			});
		}
		curve = {
			x: 0,
			y: COLUMN_TOP + columnHeight + L.curveGap,
			width,
			height: L.curveHeight,
			points,
			levels: ([2, 1, 0, -1, -2] as const).map((e) => ({ emotion: e, y: emotionY(e) }))
		};
	}
	const height = curve ? curve.y + curve.height : COLUMN_TOP + columnHeight;
	return { columns, groups, cards, curve, width, height };
}

/** The column under a horizontal position: the nearest one when outside them all. */
export function columnAt(layout: JourneyLayout, x: number): ColumnBox | null {
	const { columns } = layout;
	if (!columns.length) return null;
	const i = Math.floor((x + L.columnGap / 2) / (L.columnWidth + L.columnGap));
	return columns[Math.min(columns.length - 1, Math.max(0, i))];
}

/**
 * Index at which a card whose centre is at `y` goes in `stageId`, among the cards that stay
 * (`moving` are the ones being dragged, left out of the count).
 */
export function indexAt(
	layout: JourneyLayout,
	stageId: string,
	y: number,
	moving: ReadonlySet<string> = new Set()
): number {
	let index = 0;
	for (const card of layout.cards.values()) {
		if (card.stageId !== stageId || moving.has(card.id)) continue;
		if (card.y + card.height / 2 < y) index++;
	}
	return index;
}

/** Where a dragged card whose centre is at `point` lands: a stage and an index in it. */
export function dropTarget(
	layout: JourneyLayout,
	point: { x: number; y: number },
	moving: ReadonlySet<string> = new Set()
): { stageId: string; index: number } | null {
	const col = columnAt(layout, point.x);
	if (!col) return null;
	return { stageId: col.stageId, index: indexAt(layout, col.stageId, point.y, moving) };
}

/** SVG path through the curve points (straight segments; a single point draws nothing). */
export function curvePath(points: readonly { x: number; y: number }[]): string {
	return points.map((p, i) => `${i ? 'L' : 'M'}${round(p.x)} ${round(p.y)}`).join(' ');
}

function round(n: number): number {
	return Math.round(n * 10) / 10;
}
