/**
 * The loops funnel of a journey: how many loops reached each stage of listen → solve → measure →
 * follow up → closed, the median time from one stage reached to the next, and how many measured loops
 * improved the score. Built on the loops' own replay so both read an event history the same way.
 */
import { median, replayLoop, type LoopHistory } from '../loops/metrics';
import type { LoopStage } from '../loops/rules';
import { FUNNEL_STAGES, type FunnelStage, type LoopFunnel } from './types';

const isFunnelStage = (stage: LoopStage): stage is FunnelStage =>
	(FUNNEL_STAGES as readonly LoopStage[]).includes(stage);

/**
 * When a loop first entered each stage, in milliseconds from the start of its replay. A loop whose
 * history lacks its creation still starts in listen, at a time unknown (absent here).
 */
function firstEntries(history: LoopHistory): {
	entered: Map<FunnelStage, number>;
	replay: ReturnType<typeof replayLoop>;
} {
	const replay = replayLoop(history.events);
	const entered = new Map<FunnelStage, number>();
	let offset = 0;
	const enter = (stage: LoopStage) => {
		if (isFunnelStage(stage) && !entered.has(stage)) entered.set(stage, offset);
	};
	// Stays are consecutive: each ends when the next begins, and the current stage follows the last.
	for (const stay of replay.stays) {
		enter(stay.stage);
		offset += stay.duration;
	}
	enter(replay.stage);
	return { entered, replay };
}

export function loopFunnel(histories: readonly LoopHistory[]): LoopFunnel {
	const reached = new Map<FunnelStage, number>(FUNNEL_STAGES.map((s) => [s, 0]));
	const gaps = new Map<FunnelStage, number[]>(FUNNEL_STAGES.map((s) => [s, []]));
	let measured = 0;
	let improved = 0;

	for (const history of histories) {
		const { entered, replay } = firstEntries(history);
		// Every loop starts in listen; a stage counts only when entered (a skipped one does not).
		reached.set('listen', reached.get('listen')! + 1);
		for (const stage of FUNNEL_STAGES.slice(1))
			if (entered.has(stage)) reached.set(stage, reached.get(stage)! + 1);

		let previous: number | undefined = entered.get('listen');
		for (const stage of FUNNEL_STAGES.slice(1)) {
			const at = entered.get(stage);
			if (at === undefined) continue;
			if (previous !== undefined) gaps.get(stage)!.push(Math.max(0, at - previous));
			previous = at;
		}

		if (history.events.some((e) => e.type === 'measured')) {
			measured++;
			if (replay.verdict === 'improved') improved++;
		}
	}

	return {
		steps: FUNNEL_STAGES.map((stage) => {
			const m = median(gaps.get(stage)!);
			return { stage, reached: reached.get(stage)!, medianMs: m.median, timed: m.n };
		}),
		improved,
		measured,
		improvedShare: measured ? improved / measured : null
	};
}
