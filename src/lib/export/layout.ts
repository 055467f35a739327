/**
 * Where everything of an exported map goes, in points (1/72 inch): the map drawn at its natural size
 * (stage columns, cards, emotion curve), and the pages it is shown on — one page fitted to the paper,
 * several pages of whole stage columns, or one image as large as the map.
 */
import type { JourneySnapshot } from '../journey/types';

export const PAPERS = {
	a4: { width: 841.89, height: 595.28 },
	a3: { width: 1190.55, height: 841.89 }
} as const;
export type Paper = keyof typeof PAPERS;
export const PAPER_NAMES = Object.keys(PAPERS) as Paper[];

/** `fit`: the whole map on one page; `split`: stage columns over as many pages as legibility needs. */
export const PAGE_LAYOUTS = ['fit', 'split'] as const;
export type PageLayout = (typeof PAGE_LAYOUTS)[number];

export const MAP = {
	columnWidth: 190,
	columnGap: 10,
	groupHeight: 20,
	stageHeight: 38,
	cardsTop: 8,
	cardInset: 8,
	cardHeight: 80,
	/** Extra card height for the live score line. */
	liveHeight: 13,
	cardGap: 8,
	curveGap: 12,
	curveHeight: 110
} as const;

export const PAGE = {
	margin: 24,
	header: 46,
	/** Left of the map: the emotion curve's scale. */
	gutter: 26,
	legendGap: 8,
	/** Largest enlargement of a small map on a fitted page. */
	maxScale: 1.25,
	/** Split pages never shrink the map more than this: a taller map is cut into bands of card rows. */
	legibleScale: 0.6,
	/** An image is at least this wide, so the legend keeps to a few lines. */
	minImageWidth: 842
} as const;

export interface CardBox {
	touchpointId: string;
	stageIndex: number;
	x: number;
	y: number;
	width: number;
	height: number;
	/** Where the emotion curve puts this touchpoint. */
	curveX: number;
}

export interface MapGeometry {
	width: number;
	height: number;
	/** Left edge of each stage column, in journey order. */
	columns: number[];
	cards: Map<string, CardBox>;
	cardHeight: number;
	/** Top of the card area and of the curve lane. */
	cardsY: number;
	curveY: number;
}

/** The map at scale 1, its top-left corner at 0,0. */
export function mapGeometry(snapshot: JourneySnapshot, withLive: boolean): MapGeometry {
	const pitch = MAP.columnWidth + MAP.columnGap;
	const columns = snapshot.stages.map((_, i) => i * pitch);
	const cardHeight = MAP.cardHeight + (withLive ? MAP.liveHeight : 0);
	const cardsY = MAP.groupHeight + MAP.stageHeight + MAP.cardsTop;
	const stageIndex = new Map(snapshot.stages.map((s, i) => [s.id, i]));
	const perStage = snapshot.stages.map((s) => snapshot.touchpoints.filter((t) => t.stageId === s.id));
	const cards = new Map<string, CardBox>();
	perStage.forEach((list, i) => {
		list.forEach((t, row) => {
			cards.set(t.id, {
				touchpointId: t.id,
				stageIndex: stageIndex.get(t.stageId)!,
				x: columns[i] + MAP.cardInset,
				y: cardsY + row * (cardHeight + MAP.cardGap),
				width: MAP.columnWidth - 2 * MAP.cardInset,
				height: cardHeight,
				curveX: columns[i] + (MAP.columnWidth * (row + 0.5)) / list.length
			});
		});
	});
	const rows = Math.max(1, ...perStage.map((l) => l.length));
	const curveY = cardsY + rows * (cardHeight + MAP.cardGap) - MAP.cardGap + MAP.curveGap;
	return {
		width: Math.max(MAP.columnWidth, columns.length * pitch - MAP.columnGap),
		height: curveY + MAP.curveHeight,
		columns,
		cards,
		cardHeight,
		cardsY,
		curveY
	};
}

/** One page: its size, the stage columns it shows, and how the map is placed in its map area. */
export interface PageLayoutBox {
	width: number;
	height: number;
	/** Stage indexes shown: [first, end). */
	stages: [number, number];
	/** The map's x (at scale 1) shown at the left of the map area. */
	mapX: number;
	/** Width of the map shown, at scale 1. */
	mapWidth: number;
	scale: number;
	/** The map area's top-left corner on the page. */
	areaX: number;
	areaY: number;
	/**
	 * Horizontal slices of the map shown one under the other: map y from `mapY`, `height` tall (scale
	 * 1). One slice shows the whole height; a band of card rows comes under the stage headers.
	 */
	windows: { mapY: number; height: number }[];
	/** Where the legend starts. */
	legendY: number;
}

/** The map area's size on a page of `width` × `height` whose legend is `legendHeight` tall. */
export function mapArea(width: number, height: number, legendHeight: number) {
	return {
		x: PAGE.margin + PAGE.gutter,
		y: PAGE.margin + PAGE.header,
		width: width - 2 * PAGE.margin - PAGE.gutter,
		height: height - 2 * PAGE.margin - PAGE.header - PAGE.legendGap - legendHeight
	};
}

function stageSpan(map: MapGeometry, first: number, end: number): { mapX: number; mapWidth: number } {
	if (!map.columns.length) return { mapX: 0, mapWidth: map.width };
	const mapX = map.columns[first];
	return { mapX, mapWidth: map.columns[end - 1] + MAP.columnWidth - mapX };
}

/**
 * The pages of a map on `paper` (landscape). `legendHeight(width)` says how tall the legend is on a
 * page of that width. Split pages take as many whole stage columns as fit at a legible scale, and at
 * least one; every stage is on exactly one page, or on one page per band of card rows when the map
 * is too tall even at that scale.
 */
export function paginate(
	map: MapGeometry,
	paper: Paper,
	layout: PageLayout,
	legendHeight: (width: number) => number
): PageLayoutBox[] {
	const { width, height } = PAPERS[paper];
	const legend = legendHeight(width - 2 * PAGE.margin);
	const area = mapArea(width, height, legend);
	const whole = [{ mapY: 0, height: map.height }];
	const page = (first: number, end: number, scale: number, windows = whole): PageLayoutBox => ({
		width,
		height,
		stages: [first, end],
		...stageSpan(map, first, end),
		scale,
		areaX: area.x,
		areaY: area.y,
		windows,
		legendY: height - PAGE.margin - legend
	});
	const stages = map.columns.length;
	const fitScale = Math.min(PAGE.maxScale, area.width / map.width, area.height / map.height);
	if (layout === 'fit' || stages <= 1) return [page(0, stages, fitScale)];

	// Split: the height decides the scale, down to a legible one; the width how many columns fit.
	const scale = Math.max(PAGE.legibleScale, Math.min(1, area.height / map.height));
	if (map.width * scale <= area.width && map.height * scale <= area.height) {
		return [page(0, stages, fitScale)];
	}
	const bands = map.height * scale <= area.height ? [whole] : rowBands(map, area.height / scale);
	const pitch = MAP.columnWidth + MAP.columnGap;
	const perPage = Math.max(1, Math.floor((area.width / scale + MAP.columnGap) / pitch));
	const pages: PageLayoutBox[] = [];
	for (let first = 0; first < stages; first += perPage) {
		for (const windows of bands) pages.push(page(first, Math.min(stages, first + perPage), scale, windows));
	}
	return pages;
}

/**
 * A map too tall for its page, cut between card rows: each band shows the stage headers, then as many
 * rows as fit in `room` (map units); the emotion curve comes under the last rows, or alone after them.
 */
function rowBands(map: MapGeometry, room: number): { mapY: number; height: number }[][] {
	const rowPitch = map.cardHeight + MAP.cardGap;
	const rows = Math.round((map.curveY - MAP.curveGap - map.cardsY + MAP.cardGap) / rowPitch);
	const headers = { mapY: 0, height: map.cardsY };
	const perBand = Math.max(1, Math.floor((room - map.cardsY + MAP.cardGap) / rowPitch));
	const curve = MAP.curveGap + MAP.curveHeight;
	const bands: { mapY: number; height: number }[][] = [];
	for (let r = 0; r < rows; r += perBand) {
		const end = Math.min(rows, r + perBand);
		const top = map.cardsY + r * rowPitch;
		let height = (end - r) * rowPitch - MAP.cardGap;
		if (end === rows && map.cardsY + height + curve <= room) height += curve;
		bands.push([headers, { mapY: top, height }]);
	}
	const last = bands[bands.length - 1][1];
	if (last.mapY + last.height < map.height)
		bands.push([headers, { mapY: map.curveY, height: MAP.curveHeight }]);
	return bands;
}

/** One page as large as the whole map at scale 1, for an image. */
export function imagePage(map: MapGeometry, legendHeight: (width: number) => number): PageLayoutBox {
	const width = Math.max(PAGE.minImageWidth, map.width + 2 * PAGE.margin + PAGE.gutter);
	const legend = legendHeight(width - 2 * PAGE.margin);
	const height = map.height + 2 * PAGE.margin + PAGE.header + PAGE.legendGap + legend;
	const area = mapArea(width, height, legend);
	return {
		width,
		height,
		stages: [0, map.columns.length],
		...stageSpan(map, 0, map.columns.length),
		scale: 1,
		areaX: area.x,
		areaY: area.y,
		windows: [{ mapY: 0, height: map.height }],
		legendY: height - PAGE.margin - legend
	};
}
