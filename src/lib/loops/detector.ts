/**
 * Crisis and buzz alerts over the stream of analysed items, per touchpoint and per motive (a scope).
 * Deterministic: time is always passed in (epoch milliseconds), the state is plain JSON so the server
 * can keep it in the database, and the same items and clock give the same alerts.
 *
 * Two signals, each over a rolling window (default the last 2 hours) against the scope's own baseline
 * (the 14 days before the window):
 * - **negative rise**: more negative items than the baseline rate predicts. The test is the exact
 *   conditional test for two Poisson rates: given k negatives in the window and c in the baseline, under
 *   "same rate" k follows Binomial(k + c, w / (w + s)) where w and s are the two time spans; the alert
 *   fires when P(X ≥ k) < `alpha`, k ≥ `minNegatives` and k ≥ `riseFactor` × the expected count.
 *   `alpha` defaults to 1e-6 because the window slides: a scope is tested every step, hundreds of times
 *   a day, and steady noise must not page anyone (see the seeded streams in detector.spec.ts). A
 *   baseline shorter than `priorDays` is completed at `priorNegativesPerDay`, so a young scope can
 *   alert on a burst without one complaint becoming a crisis; a scope that starts busy looks like a
 *   burst from nothing until it has that much history (seed the detector from stored items to avoid it).
 * - **score drop**: the window's mean item score (analysis strength in [-1, 1]) is at least `scoreDrop`
 *   below the baseline's, with `minScoreVolume` items on each side, and a one-sided Student t-test of
 *   the difference of means with the baseline's standard deviation (the spread under "nothing changed")
 *   and n_baseline − 1 degrees of freedom gives p < `alpha`.
 *
 * One alert stays open per scope while the burst lasts (later firings update it); it resolves itself
 * once both signals have been calm — not even abnormal at `calmAlpha` (0.05) — for `quietMinutes`.
 */
import type { Polarity } from '../analysis/types';
import { binomialUpperTail, studentTCdf, summaryFromSums } from './statistics';

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

export interface DetectorSettings {
	/** Length of the rolling window. */
	windowMinutes: number;
	/** Length of the baseline before the window. */
	baselineDays: number;
	/** Granularity of the kept counts; the window moves by this step. */
	bucketMinutes: number;
	/** Negatives needed in the window before a rise can fire. */
	minNegatives: number;
	/** The window must hold at least this many times the expected negatives. */
	riseFactor: number;
	/** Level of both tests. */
	alpha: number;
	/** Level under which a signal is still "abnormal" and keeps an open alert from resolving. */
	calmAlpha: number;
	priorNegativesPerDay: number;
	priorDays: number;
	/** Least drop of the mean score (on [-1, 1]) that counts. */
	scoreDrop: number;
	/** Items needed in the window and in the baseline to compare scores. */
	minScoreVolume: number;
	/** How long both signals must stay calm before an alert resolves. */
	quietMinutes: number;
	/** Item ids kept per alert. */
	maxItems: number;
}

export const DEFAULT_DETECTOR_SETTINGS: Readonly<DetectorSettings> = Object.freeze({
	windowMinutes: 120,
	baselineDays: 14,
	bucketMinutes: 5,
	minNegatives: 5,
	riseFactor: 3,
	alpha: 1e-6,
	calmAlpha: 0.05,
	priorNegativesPerDay: 1,
	priorDays: 1,
	scoreDrop: 0.4,
	minScoreVolume: 8,
	quietMinutes: 60,
	maxItems: 200
});

/** Accepted range of each setting; `integer` ones must be whole. */
export const DETECTOR_SETTING_RANGES: Readonly<
	Record<keyof DetectorSettings, { min: number; max: number; integer?: boolean }>
> = {
	windowMinutes: { min: 10, max: 7 * 24 * 60, integer: true },
	baselineDays: { min: 1, max: 90, integer: true },
	bucketMinutes: { min: 1, max: 60, integer: true },
	minNegatives: { min: 2, max: 10_000, integer: true },
	riseFactor: { min: 1, max: 100 },
	alpha: { min: 1e-9, max: 0.05 },
	calmAlpha: { min: 1e-6, max: 0.5 },
	priorNegativesPerDay: { min: 0, max: 10_000 },
	priorDays: { min: 0, max: 90 },
	scoreDrop: { min: 0.05, max: 2 },
	minScoreVolume: { min: 2, max: 10_000, integer: true },
	quietMinutes: { min: 0, max: 7 * 24 * 60, integer: true },
	maxItems: { min: 1, max: 10_000, integer: true }
};

export interface DetectorSettingsIssue {
	field: string;
	code: 'not_a_number' | 'out_of_range' | 'not_an_integer' | 'window_shorter_than_bucket' | 'unknown';
	min?: number;
	max?: number;
}

/**
 * A workspace's stored thresholds over the defaults. Unknown fields and bad values are reported (and
 * replaced by the default) so a form can point at each.
 */
export function validateDetectorSettings(raw: unknown): {
	settings: DetectorSettings;
	issues: DetectorSettingsIssue[];
} {
	const settings: DetectorSettings = { ...DEFAULT_DETECTOR_SETTINGS };
	const issues: DetectorSettingsIssue[] = [];
	const input = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
	for (const [field, value] of Object.entries(input)) {
		if (!(field in DETECTOR_SETTING_RANGES)) {
			issues.push({ field, code: 'unknown' });
			continue;
		}
		const key = field as keyof DetectorSettings;
		const { min, max, integer } = DETECTOR_SETTING_RANGES[key];
		if (typeof value !== 'number' || !Number.isFinite(value)) issues.push({ field, code: 'not_a_number' });
		else if (value < min || value > max) issues.push({ field, code: 'out_of_range', min, max });
		else if (integer && !Number.isInteger(value)) issues.push({ field, code: 'not_an_integer' });
		else settings[key] = value;
	}
	if (settings.windowMinutes < 2 * settings.bucketMinutes) {
		issues.push({
			field: 'windowMinutes',
			code: 'window_shorter_than_bucket',
			min: 2 * settings.bucketMinutes
		});
		settings.windowMinutes = DEFAULT_DETECTOR_SETTINGS.windowMinutes;
		settings.bucketMinutes = DEFAULT_DETECTOR_SETTINGS.bucketMinutes;
	}
	return { settings, issues };
}

/** One analysed item as the detector reads it. */
export interface DetectorItem {
	id: string;
	/** When it reached Parcours (epoch ms). */
	at: number;
	journeyId: string | null;
	touchpointId: string | null;
	motive: string | null;
	polarity: Polarity;
	/** Analysis strength in [-1, 1]. */
	score: number;
}

export type AlertScope =
	{ kind: 'touchpoint'; journeyId: string; touchpointId: string } | { kind: 'motive'; motive: string };

/** The scope's stable key: one open alert per key. */
export function scopeKey(scope: AlertScope): string {
	return scope.kind === 'touchpoint'
		? `touchpoint:${scope.journeyId}:${scope.touchpointId}`
		: `motive:${scope.motive}`;
}

export function scopesOf(item: DetectorItem): AlertScope[] {
	const scopes: AlertScope[] = [];
	if (item.journeyId && item.touchpointId)
		scopes.push({ kind: 'touchpoint', journeyId: item.journeyId, touchpointId: item.touchpointId });
	if (item.motive) scopes.push({ kind: 'motive', motive: item.motive });
	return scopes;
}

/** Counts of one time step of one scope; additive, as the database can aggregate them. */
export interface Bucket {
	start: number;
	volume: number;
	negative: number;
	scoreSum: number;
	scoreSumSq: number;
}

export interface SignalCheck {
	/** Past every threshold: opens or extends an alert. */
	firing: boolean;
	/** Not even mildly abnormal: counts toward resolving. */
	calm: boolean;
	pValue: number | null;
}

/** What one evaluation of a scope saw. */
export interface WindowEvaluation {
	at: number;
	window: { from: number; volume: number; negative: number; scoreMean: number | null };
	baseline: { from: number; volume: number; negative: number; scoreMean: number | null };
	/** Negatives the baseline rate (with its prior) predicts in the window. */
	expectedNegatives: number;
	rise: SignalCheck;
	drop: SignalCheck & { drop: number | null };
}

export type AlertKind = 'negative_rise' | 'score_drop';

export interface Alert {
	/** Stable: the scope key and when it opened. */
	id: string;
	key: string;
	scope: AlertScope;
	kinds: AlertKind[];
	openedAt: number;
	lastFiringAt: number;
	/** Since when both signals are calm; null while not. */
	quietSince: number | null;
	resolvedAt: number | null;
	/** The items behind it: negative or negatively scored items of the window, from the first firing on. */
	itemIds: string[];
	/** The evaluation when the burst was at its highest so far. */
	peak: WindowEvaluation;
	/** Negatives in the window when subscribers last heard of this alert (opened or updated). */
	reportedNegatives: number;
	latest: WindowEvaluation;
}

export type DetectorEvent =
	| { type: 'alert_opened'; alert: Alert }
	/** The burst grew by half since last reported, or a second signal fired. */
	| { type: 'alert_updated'; alert: Alert }
	| { type: 'alert_resolved'; alert: Alert };

function sums(buckets: Bucket[]) {
	let volume = 0;
	let negative = 0;
	let scoreSum = 0;
	let scoreSumSq = 0;
	for (const b of buckets) {
		volume += b.volume;
		negative += b.negative;
		scoreSum += b.scoreSum;
		scoreSumSq += b.scoreSumSq;
	}
	const { mean, sd } = summaryFromSums(volume, scoreSum, scoreSumSq);
	return { volume, negative, mean, sd: sd ?? 0 };
}

const floorTo = (t: number, step: number) => Math.floor(t / step) * step;

/**
 * Evaluates one scope at `now` from its buckets (any order; older ones are ignored). `historyStart` is
 * when data began: the baseline never reaches before it.
 */
export function evaluateBuckets(
	buckets: Iterable<Bucket>,
	now: number,
	historyStart: number,
	settings: DetectorSettings
): WindowEvaluation {
	const step = settings.bucketMinutes * MINUTE;
	// The window is the last windowMinutes of whole steps, the current one included.
	const windowFrom = floorTo(now, step) + step - settings.windowMinutes * MINUTE;
	const baselineFrom = Math.max(windowFrom - settings.baselineDays * DAY, floorTo(historyStart, step));
	const inWindow: Bucket[] = [];
	const inBaseline: Bucket[] = [];
	for (const b of buckets) {
		if (b.start >= windowFrom) inWindow.push(b);
		else if (b.start >= baselineFrom) inBaseline.push(b);
	}
	const w = sums(inWindow);
	const base = sums(inBaseline);
	const windowSpan = Math.max(step, now - Math.max(windowFrom, floorTo(historyStart, step)));
	// A history shorter than priorDays is completed at the prior rate; a longer one speaks for itself,
	// so a busy scope is never judged against a quiet prior once it has a day of history.
	const realSpan = Math.max(0, windowFrom - baselineFrom);
	const priorSpan = Math.max(0, settings.priorDays * DAY - realSpan);
	const baselineSpan = realSpan + priorSpan;
	const baselineNegatives = base.negative + (settings.priorNegativesPerDay * priorSpan) / DAY;

	let expectedNegatives: number;
	let riseP: number | null = null;
	if (baselineSpan > 0) {
		expectedNegatives = (baselineNegatives / baselineSpan) * windowSpan;
		riseP =
			w.negative > 0
				? binomialUpperTail(
						w.negative,
						w.negative + baselineNegatives,
						windowSpan / (windowSpan + baselineSpan)
					)
				: 1;
	} else {
		// No history and no prior: nothing to compare with.
		expectedNegatives = 0;
	}
	const riseFiring =
		riseP !== null &&
		w.negative >= settings.minNegatives &&
		w.negative >= settings.riseFactor * expectedNegatives &&
		riseP < settings.alpha;
	const riseCalm = riseP === null || riseP >= settings.calmAlpha || w.negative < settings.minNegatives;

	let drop: number | null = null;
	let dropP: number | null = null;
	if (w.volume >= settings.minScoreVolume && base.volume >= settings.minScoreVolume) {
		drop = base.mean! - w.mean!;
		// Under "nothing changed" the window's items come from the baseline's distribution, so its spread
		// is the baseline's: a few alike items in a small window must not look certain.
		const se = base.sd * Math.sqrt(1 / w.volume + 1 / base.volume);
		// One-sided: only a fall matters.
		dropP = se > 0 ? 1 - studentTCdf(drop / se, base.volume - 1) : drop > 0 ? 0 : 1;
	}
	const dropFiring = drop !== null && drop >= settings.scoreDrop && dropP! < settings.alpha;
	const dropCalm = drop === null || drop < settings.scoreDrop / 2 || dropP! >= settings.calmAlpha;

	return {
		at: now,
		window: { from: windowFrom, volume: w.volume, negative: w.negative, scoreMean: w.mean },
		baseline: { from: baselineFrom, volume: base.volume, negative: base.negative, scoreMean: base.mean },
		expectedNegatives,
		rise: { firing: riseFiring, calm: riseCalm, pValue: riseP },
		drop: { firing: dropFiring, calm: dropCalm, pValue: dropP, drop }
	};
}

/**
 * The next state of a scope's alert after an evaluation, and the event to publish if any. `windowItems`
 * are the ids behind a firing (see `Alert.itemIds`).
 */
export function nextAlert(
	open: Alert | null,
	scope: AlertScope,
	evaluation: WindowEvaluation,
	windowItems: readonly string[],
	settings: DetectorSettings
): { alert: Alert | null; event: DetectorEvent | null } {
	const now = evaluation.at;
	const kinds: AlertKind[] = [];
	if (evaluation.rise.firing) kinds.push('negative_rise');
	if (evaluation.drop.firing) kinds.push('score_drop');
	const firing = kinds.length > 0;
	const calm = evaluation.rise.calm && evaluation.drop.calm;

	if (!open) {
		if (!firing) return { alert: null, event: null };
		const key = scopeKey(scope);
		const alert: Alert = {
			id: `${key}@${now}`,
			key,
			scope,
			kinds,
			openedAt: now,
			lastFiringAt: now,
			quietSince: null,
			resolvedAt: null,
			itemIds: windowItems.slice(-settings.maxItems),
			peak: evaluation,
			reportedNegatives: evaluation.window.negative,
			latest: evaluation
		};
		return { alert, event: { type: 'alert_opened', alert } };
	}

	const merged = [...new Set([...open.itemIds, ...windowItems])].slice(0, settings.maxItems);
	if (firing) {
		const newKinds = kinds.filter((k) => !open.kinds.includes(k));
		const grew = evaluation.window.negative > open.peak.window.negative;
		// Every new complaint of a burst would be one more notification; growth by half is news.
		const news =
			newKinds.length > 0 ||
			evaluation.window.negative >= Math.max(open.reportedNegatives + 1, open.reportedNegatives * 1.5);
		const alert: Alert = {
			...open,
			kinds: [...open.kinds, ...newKinds],
			lastFiringAt: now,
			quietSince: null,
			itemIds: merged,
			peak: grew ? evaluation : open.peak,
			reportedNegatives: news ? evaluation.window.negative : open.reportedNegatives,
			latest: evaluation
		};
		return { alert, event: news ? { type: 'alert_updated', alert } : null };
	}
	const quietSince = calm ? (open.quietSince ?? now) : null;
	if (quietSince !== null && now - quietSince >= settings.quietMinutes * MINUTE) {
		const alert: Alert = { ...open, quietSince, resolvedAt: now, latest: evaluation };
		return { alert: null, event: { type: 'alert_resolved', alert } };
	}
	return { alert: { ...open, quietSince, latest: evaluation }, event: null };
}

/**
 * Merges the buckets before `before` into one per hour, in place. The baseline is only ever summed, so
 * two weeks need no 5-minute resolution: this keeps the stored state ~12 times smaller (it is written
 * often) at the price of moving the baseline's far edge by less than an hour. A merged bucket keeps the
 * start of its earliest part, so it never starts before the scope's history.
 */
function compactBaseline(buckets: Bucket[], before: number): void {
	let out = 0;
	let i = 0;
	for (; i < buckets.length && buckets[i].start < before; i++) {
		const b = buckets[i];
		const last = out > 0 ? buckets[out - 1] : null;
		if (last && floorTo(last.start, HOUR) === floorTo(b.start, HOUR)) {
			last.volume += b.volume;
			last.negative += b.negative;
			last.scoreSum += b.scoreSum;
			last.scoreSumSq += b.scoreSumSq;
		} else buckets[out++] = b;
	}
	if (out < i) buckets.splice(out, i - out);
}

/** Index of the first bucket starting at or after `start` (buckets sorted by start). */
function firstAtOrAfter(buckets: readonly Bucket[], start: number): number {
	let lo = 0;
	let hi = buckets.length;
	while (lo < hi) {
		const mid = (lo + hi) >> 1;
		if (buckets[mid].start < start) lo = mid + 1;
		else hi = mid;
	}
	return lo;
}

interface RecentItem {
	id: string;
	at: number;
	/** Counts as evidence of a burst: negative, or scored below zero. */
	evidence: boolean;
}

interface ScopeState {
	scope: AlertScope;
	buckets: Bucket[];
	recent: RecentItem[];
	alert: Alert | null;
}

/** The detector's whole memory, JSON-safe. */
export interface DetectorState {
	historyStart: number | null;
	scopes: Record<string, ScopeState>;
}

export const emptyDetectorState = (): DetectorState => ({ historyStart: null, scopes: {} });

/**
 * Keeps per-scope counts of the live stream and the open alerts. Feed it with `observe`, then call
 * `evaluate(now)` (after a batch, and on a timer so bursts that end get resolved).
 */
export class AlertDetector {
	readonly settings: DetectorSettings;
	private readonly state: DetectorState;
	private readonly dirty = new Set<string>();

	constructor(settings: Partial<DetectorSettings> = {}, state: DetectorState = emptyDetectorState()) {
		this.settings = { ...DEFAULT_DETECTOR_SETTINGS, ...settings };
		this.state = structuredClone(state);
	}

	observe(item: DetectorItem): void {
		const step = this.settings.bucketMinutes * MINUTE;
		const start = floorTo(item.at, step);
		const score = Number.isFinite(item.score) ? Math.max(-1, Math.min(1, item.score)) : 0;
		if (this.state.historyStart === null || item.at < this.state.historyStart)
			this.state.historyStart = item.at;
		for (const scope of scopesOf(item)) {
			const key = scopeKey(scope);
			const s = (this.state.scopes[key] ??= { scope, buckets: [], recent: [], alert: null });
			// Items mostly arrive in order: the last bucket is nearly always the one. Imports bring old
			// dates in any order, so the others are found by bisection (buckets are kept in time order,
			// which also makes forgetting old ones a cut at the front).
			const last = s.buckets.at(-1);
			let bucket = last?.start === start ? last : undefined;
			if (!bucket) {
				const at = firstAtOrAfter(s.buckets, start);
				bucket = s.buckets[at]?.start === start ? s.buckets[at] : undefined;
				if (!bucket) {
					bucket = { start, volume: 0, negative: 0, scoreSum: 0, scoreSumSq: 0 };
					s.buckets.splice(at, 0, bucket);
				}
			}
			bucket.volume++;
			if (item.polarity === 'negative') bucket.negative++;
			bucket.scoreSum += score;
			bucket.scoreSumSq += score * score;
			// Only evidence is remembered by id, and at most `maxItems` of it: the state is stored after
			// every batch, and a busy scope would otherwise carry every id of its window.
			if (item.polarity === 'negative' || score < 0) {
				s.recent.push({ id: item.id, at: item.at, evidence: true });
				if (s.recent.length > this.settings.maxItems)
					s.recent.splice(0, s.recent.length - this.settings.maxItems);
			}
			this.dirty.add(key);
		}
	}

	/** Evaluates scopes with new items or an open alert at `now`; forgets what fell out of the baseline. */
	evaluate(now: number): DetectorEvent[] {
		const events: DetectorEvent[] = [];
		const { settings } = this;
		const step = settings.bucketMinutes * MINUTE;
		const windowFrom = floorTo(now, step) + step - settings.windowMinutes * MINUTE;
		const horizon = windowFrom - settings.baselineDays * DAY;
		for (const [key, s] of Object.entries(this.state.scopes)) {
			const old = s.buckets.findIndex((b) => b.start >= horizon);
			if (old !== 0) s.buckets.splice(0, old === -1 ? s.buckets.length : old);
			compactBaseline(s.buckets, floorTo(windowFrom, HOUR) - HOUR);
			if (s.recent.length && s.recent[0].at < windowFrom)
				s.recent = s.recent.filter((r) => r.at >= windowFrom);
			if (this.dirty.has(key) || s.alert) {
				const evaluation = evaluateBuckets(s.buckets, now, this.state.historyStart ?? now, settings);
				const windowItems = s.recent.filter((r) => r.evidence).map((r) => r.id);
				const next = nextAlert(s.alert, s.scope, evaluation, windowItems, settings);
				s.alert = next.alert;
				if (next.event) events.push(next.event);
			}
			if (!s.buckets.length && !s.alert) delete this.state.scopes[key];
		}
		this.dirty.clear();
		return events;
	}

	/** Ids of the evidence items remembered in the current windows (to recognise an item seen twice). */
	recentIds(): Set<string> {
		const ids = new Set<string>();
		for (const s of Object.values(this.state.scopes)) for (const r of s.recent) ids.add(r.id);
		return ids;
	}

	openAlerts(): Alert[] {
		return Object.values(this.state.scopes)
			.map((s) => s.alert)
			.filter((a): a is Alert => a !== null);
	}

	/** A copy of the state to store; `new AlertDetector(settings, state)` resumes from it. */
	toJSON(): DetectorState {
		return structuredClone(this.state);
	}
}
