import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { openJourney } from '$lib/journey';
import {
	COLUMN_TOP,
	LAYOUT,
	cardY,
	columnX,
	curvePath,
	dropTarget,
	emotionY,
	indexAt,
	layoutJourney
} from './layout';

function journey() {
	const j = openJourney(new Y.Doc());
	const discover = j.addStage({ title: 'Discover', group: 'pre-sale' });
	const compare = j.addStage({ title: 'Compare', group: 'pre-sale' });
	const buy = j.addStage({ title: 'Buy', group: 'sale' });
	const help = j.addStage({ title: 'Help', group: 'after-sale' });
	const ad = j.addTouchpoint(discover, { title: 'Ad', emotion: 1 });
	const site = j.addTouchpoint(discover, { title: 'Site', emotion: -1 });
	const review = j.addTouchpoint(compare, { title: 'Reviews' });
	const pay = j.addTouchpoint(buy, { title: 'Pay', emotion: -2 });
	const cart = j.addTouchpoint(buy, { title: 'Cart', emotion: 2 }, { index: 0 });
	return { j, stages: { discover, compare, buy, help }, tps: { ad, site, review, pay, cart } };
}

describe('journey layout', () => {
	it('puts stages in columns and cards in stage order', () => {
		const { j, stages, tps } = journey();
		const l = layoutJourney(j.snapshot());
		expect(l.columns.map((c) => c.stageId)).toEqual([
			stages.discover,
			stages.compare,
			stages.buy,
			stages.help
		]);
		expect(l.columns.map((c) => c.x)).toEqual([0, 1, 2, 3].map(columnX));
		expect(l.cards.get(tps.cart)).toMatchObject({ stageId: stages.buy, index: 0, y: cardY(0) });
		expect(l.cards.get(tps.pay)).toMatchObject({ stageId: stages.buy, index: 1, y: cardY(1) });
		expect(l.cards.get(tps.pay)!.x).toBe(columnX(2) + LAYOUT.columnPadding);
		// Every column is as tall as the tallest, so the curve row lies under all of them.
		expect(new Set(l.columns.map((c) => c.height)).size).toBe(1);
		expect(l.curve!.y).toBeGreaterThan(COLUMN_TOP + l.columns[0].height);
		expect(l.height).toBe(l.curve!.y + l.curve!.height);
	});

	it('groups consecutive stages of one group under one header', () => {
		const { j, stages } = journey();
		let l = layoutJourney(j.snapshot());
		expect(l.groups.map((g) => [g.group, g.stageIds.length])).toEqual([
			['pre-sale', 2],
			['sale', 1],
			['after-sale', 1]
		]);
		expect(l.groups[0].width).toBe(columnX(1) + LAYOUT.columnWidth);
		// A pre-sale stage placed after the sale stage starts a header of its own.
		j.moveStage(stages.compare, 2);
		l = layoutJourney(j.snapshot());
		expect(l.groups.map((g) => g.group)).toEqual(['pre-sale', 'sale', 'pre-sale', 'after-sale']);
	});

	it('plots the emotion curve in journey order, skipping unscored and filtered touchpoints', () => {
		const { j, tps } = journey();
		const l = layoutJourney(j.snapshot());
		const pts = l.curve!.points;
		expect(pts.map((p) => p.touchpointId)).toEqual([tps.ad, tps.site, tps.cart, tps.pay]);
		expect(pts.map((p) => p.emotion)).toEqual([1, -1, 2, -2]);
		// x grows along the journey; y is higher on screen (smaller) for better scores.
		for (let i = 1; i < pts.length; i++) expect(pts[i].x).toBeGreaterThan(pts[i - 1].x);
		expect(emotionY(2)).toBeLessThan(emotionY(0));
		expect(emotionY(0)).toBeLessThan(emotionY(-2));
		expect(pts[2].y).toBe(emotionY(2));
		expect(l.curve!.levels.map((v) => v.emotion)).toEqual([2, 1, 0, -1, -2]);
		const filtered = layoutJourney(j.snapshot(), { plot: (t) => t.id !== tps.site });
		expect(filtered.curve!.points.map((p) => p.touchpointId)).toEqual([tps.ad, tps.cart, tps.pay]);
		expect(
			curvePath([
				{ x: 1, y: 2 },
				{ x: 3.14159, y: 4 }
			])
		).toBe('M1 2 L3.1 4');
	});

	it('finds where a dropped card lands: nearest column, index among the cards that stay', () => {
		const { j, stages, tps } = journey();
		const l = layoutJourney(j.snapshot());
		const centre = (stage: number, y: number) => ({ x: columnX(stage) + LAYOUT.columnWidth / 2, y });
		// Above the first card of "Buy": index 0; between its two cards: 1; below: 2.
		expect(dropTarget(l, centre(2, cardY(0) - 10))).toEqual({ stageId: stages.buy, index: 0 });
		expect(dropTarget(l, centre(2, cardY(1)))).toEqual({ stageId: stages.buy, index: 1 });
		expect(dropTarget(l, centre(2, cardY(5)))).toEqual({ stageId: stages.buy, index: 2 });
		// The dragged card itself is not counted.
		expect(indexAt(l, stages.buy, cardY(5), new Set([tps.cart]))).toBe(1);
		// Left of everything: first column; far right: last column; in a gap: the nearer column.
		expect(dropTarget(l, { x: -500, y: 0 })!.stageId).toBe(stages.discover);
		expect(dropTarget(l, { x: 99999, y: 0 })!.stageId).toBe(stages.help);
		expect(dropTarget(l, { x: columnX(1) - 2, y: 0 })!.stageId).toBe(stages.compare);
		expect(dropTarget(l, { x: columnX(1) - LAYOUT.columnGap + 2, y: 0 })!.stageId).toBe(stages.discover);
	});

	it('lays out an empty journey and a 500-touchpoint journey quickly', () => {
		const empty = layoutJourney({ stages: [], touchpoints: [] });
		expect(empty).toMatchObject({ columns: [], curve: null, width: 0 });
		expect(dropTarget(empty, { x: 0, y: 0 })).toBeNull();

		const j = openJourney(new Y.Doc());
		const ids = Array.from({ length: 10 }, (_, i) => j.addStage({ title: `S${i}`, group: 'sale' }));
		j.doc.transact(() => {
			for (let i = 0; i < 500; i++)
				j.addTouchpoint(ids[i % 10], { title: `T${i}`, emotion: ((i % 5) - 2) as 0 });
		});
		const snap = j.snapshot();
		const t0 = performance.now();
		const l = layoutJourney(snap);
		const ms = performance.now() - t0;
		expect(l.cards.size).toBe(500);
		expect(l.curve!.points).toHaveLength(500);
		expect(ms).toBeLessThan(50);
	});
});
