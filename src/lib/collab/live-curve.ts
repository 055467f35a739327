/**
 * The live line of the emotion curve: where each touchpoint sits on the curve row (the same x as its
 * authored point, so the two lines compare touchpoint by touchpoint) and the live point, whiskers and
 * sample size drawn there. Pure: no framework, no DOM.
 */
import type { JourneySnapshot, Touchpoint } from '$lib/journey';
import type { TouchpointScore } from '$lib/feedback/types';
import { LAYOUT, emotionY, type JourneyLayout } from './layout';

/** A touchpoint's place on the curve row, whether it has an authored emotion or not. */
export interface CurveSlot {
	touchpointId: string;
	/** Relative to the curve row, like `CurvePoint.x`. */
	x: number;
}

export interface LivePoint {
	touchpointId: string;
	x: number;
	y: number;
	score: number;
	volume: number;
	/** The confidence interval as row heights (`low` is the lower score, so the larger y); null below 2 items. */
	whisker: { top: number; bottom: number } | null;
}

/**
 * Slots of the plotted touchpoints, column by column in journey order: the same spacing as
 * `layoutJourney` gives the authored points, which skips only the touchpoints that are not plotted.
 */
export function curveSlots(
	snapshot: Pick<JourneySnapshot, 'touchpoints'>,
	layout: Pick<JourneyLayout, 'columns'>,
	plot: (tp: Touchpoint) => boolean = () => true
): CurveSlot[] {
	const byStage = new Map<string, Touchpoint[]>();
	for (const tp of snapshot.touchpoints) {
		if (!plot(tp)) continue;
		const list = byStage.get(tp.stageId);
		if (list) list.push(tp);
		else byStage.set(tp.stageId, [tp]);
	}
	const slots: CurveSlot[] = [];
	for (const col of layout.columns) {
		const list = byStage.get(col.stageId) ?? [];
		const inner = col.width - 2 * LAYOUT.columnPadding;
		list.forEach((tp, k) => {
			slots.push({
				touchpointId: tp.id,
				x: col.x + LAYOUT.columnPadding + ((k + 0.5) / list.length) * inner
			});
		});
	}
	return slots;
}

/** Live points of the slots whose touchpoint has feedback, in journey order. */
export function livePoints(
	slots: readonly CurveSlot[],
	scoreOf: (touchpointId: string) => TouchpointScore | null | undefined
): LivePoint[] {
	const out: LivePoint[] = [];
	for (const slot of slots) {
		const s = scoreOf(slot.touchpointId);
		if (!s || s.volume <= 0 || s.score === null) continue;
		out.push({
			touchpointId: slot.touchpointId,
			x: slot.x,
			y: emotionY(s.score),
			score: s.score,
			volume: s.volume,
			whisker:
				s.volume >= 2 && s.interval ? { top: emotionY(s.interval[1]), bottom: emotionY(s.interval[0]) } : null
		});
	}
	return out;
}
