/**
 * "What changed since last week": the last 7 days against the 7 before, in a short list an executive
 * reads top to bottom. Thresholds keep out what chance alone moves: a score change needs 5 items on both
 * sides, a volume change needs 10 on one side, a motive change 5 items.
 *
 * Order: alerts opened, score drops (largest first), motives on the rise, volume changes, score rises,
 * motives falling, loops closed — bad news first, then good news; at most `CHANGE_RULES.max` entries.
 */
import type { ScoreSums } from '../feedback/stats';
import type { Change } from './types';

export const CHANGE_RULES = {
	/** Items each week needs before a change of mean score is listed. */
	scoreMinItems: 5,
	/** Smallest change of mean (−2..+2 scale) listed. */
	scoreMinDelta: 0.3,
	/** Items the busier week needs before a change of volume is listed. */
	volumeMinItems: 10,
	/** Volume ratio (either way) listed. */
	volumeRatio: 2,
	/** Smallest change of negative items of a motive listed, in items and relative to last week. */
	motiveMinDelta: 5,
	motiveMinRatio: 0.5,
	max: 12
} as const;

export interface WeeklyChangesArgs {
	/** Items of each touchpoint: last 7 days (`current`) and the 7 before (`previous`). */
	touchpoints: ReadonlyArray<{
		touchpointId: string;
		title: string;
		current: ScoreSums;
		previous: ScoreSums;
	}>;
	/** Negative items carrying each motive, the same two weeks. */
	motives: ReadonlyArray<{ motive: string; label: string; current: number; previous: number }>;
	/** Alerts opened in the last 7 days. */
	alerts: ReadonlyArray<{ alertId: string; touchpointId: string | null; title: string | null }>;
	/** Loops closed in the last 7 days. */
	loops: ReadonlyArray<{ loopId: string; title: string; improved: boolean }>;
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

type ScoreChange = Extract<Change, { kind: 'score' }>;
type VolumeChange = Extract<Change, { kind: 'volume' }>;
type MotiveChange = Extract<Change, { kind: 'motive' }>;

export function weeklyChanges(args: WeeklyChangesArgs): Change[] {
	const scores: ScoreChange[] = [];
	const volumes: VolumeChange[] = [];
	for (const tp of args.touchpoints) {
		const { current: now, previous: before } = tp;
		if (now.n >= CHANGE_RULES.scoreMinItems && before.n >= CHANGE_RULES.scoreMinItems) {
			const from = before.sum / before.n;
			const to = now.sum / now.n;
			if (Math.abs(to - from) >= CHANGE_RULES.scoreMinDelta)
				scores.push({
					kind: 'score',
					touchpointId: tp.touchpointId,
					title: tp.title,
					from: round3(from),
					to: round3(to),
					volume: now.n
				});
		}
		const [a, b] = [before.n, now.n];
		if (
			Math.max(a, b) >= CHANGE_RULES.volumeMinItems &&
			(b >= CHANGE_RULES.volumeRatio * a || a >= CHANGE_RULES.volumeRatio * b)
		)
			volumes.push({ kind: 'volume', touchpointId: tp.touchpointId, title: tp.title, from: a, to: b });
	}

	const motives: MotiveChange[] = args.motives
		.filter((m) => {
			const delta = Math.abs(m.current - m.previous);
			return delta >= CHANGE_RULES.motiveMinDelta && delta >= CHANGE_RULES.motiveMinRatio * m.previous;
		})
		.map((m) => ({ kind: 'motive', motive: m.motive, label: m.label, from: m.previous, to: m.current }));

	const change = (c: { from: number; to: number }) => c.to - c.from;
	// Volume changes rank by how many times larger or smaller (a week from 0 ranks first).
	const factor = (c: VolumeChange) => Math.abs(Math.log((c.to + 1) / (c.from + 1)));
	const byChange = <T extends { from: number; to: number }>(list: T[], sign: 1 | -1) =>
		list.filter((c) => Math.sign(change(c)) === sign).sort((x, y) => sign * (change(y) - change(x)));

	return [
		...args.alerts.map((a): Change => ({
			kind: 'alert_opened',
			alertId: a.alertId,
			touchpointId: a.touchpointId,
			title: a.title
		})),
		...byChange(scores, -1),
		...byChange(motives, 1),
		...[...volumes].sort((x, y) => factor(y) - factor(x)),
		...byChange(scores, 1),
		...byChange(motives, -1),
		...args.loops.map((l): Change => ({
			kind: 'loop_closed',
			loopId: l.loopId,
			title: l.title,
			improved: l.improved
		}))
	].slice(0, CHANGE_RULES.max);
}
