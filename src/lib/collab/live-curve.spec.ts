import { describe, expect, it } from 'vitest';
import { openJourney } from '$lib/journey';
import * as Y from 'yjs';
import { scoreFromSums } from '$lib/feedback/stats';
import { emotionY, layoutJourney } from './layout';
import { curveSlots, livePoints } from './live-curve';

function journey() {
	const j = openJourney(new Y.Doc());
	const s1 = j.addStage({ title: 'Search', group: 'pre-sale' });
	const s2 = j.addStage({ title: 'Buy', group: 'sale' });
	const a = j.addTouchpoint(s1, { title: 'A', emotion: 1 });
	const b = j.addTouchpoint(s1, { title: 'B', emotion: null });
	const c = j.addTouchpoint(s1, { title: 'C', emotion: -1 });
	const d = j.addTouchpoint(s2, { title: 'D', emotion: 2 });
	return { snap: j.snapshot(), ids: { a, b, c, d } };
}

describe('live curve', () => {
	it('puts each touchpoint at the x of its authored point, with or without an authored emotion', () => {
		const { snap, ids } = journey();
		const layout = layoutJourney(snap);
		const slots = curveSlots(snap, layout);
		expect(slots.map((s) => s.touchpointId)).toEqual([ids.a, ids.b, ids.c, ids.d]);
		for (const p of layout.curve!.points)
			expect(slots.find((s) => s.touchpointId === p.touchpointId)!.x).toBeCloseTo(p.x);
	});

	it('follows the persona filter like the authored line', () => {
		const { snap, ids } = journey();
		const plot = (tp: { id: string }) => tp.id !== ids.b;
		const layout = layoutJourney(snap, { plot });
		const slots = curveSlots(snap, layout, plot);
		expect(slots.map((s) => s.touchpointId)).toEqual([ids.a, ids.c, ids.d]);
		for (const p of layout.curve!.points)
			expect(slots.find((s) => s.touchpointId === p.touchpointId)!.x).toBeCloseTo(p.x);
	});

	it('draws a point where there is feedback, whiskers from two items on', () => {
		const { snap, ids } = journey();
		const slots = curveSlots(snap, layoutJourney(snap));
		const scores = {
			[ids.a]: scoreFromSums(ids.a, { n: 1, sum: -1, sumSq: 1, negative: 1, neutral: 0, positive: 0 }),
			[ids.c]: scoreFromSums(ids.c, { n: 4, sum: 2, sumSq: 4, negative: 0, neutral: 2, positive: 2 })
		};
		const points = livePoints(slots, (id) => scores[id]);
		expect(points.map((p) => p.touchpointId)).toEqual([ids.a, ids.c]);
		expect(points[0]).toMatchObject({ y: emotionY(-1), volume: 1, whisker: null });
		const [low, high] = scores[ids.c].interval!;
		expect(points[1].whisker).toEqual({ top: emotionY(high), bottom: emotionY(low) });
		expect(points[1].whisker!.top).toBeLessThan(points[1].whisker!.bottom);
	});
});
