/**
 * What the journey map needs to show live scores: the filters of the live channel and their query
 * string, a defensive reading of what the channel sends, which touchpoints changed between two
 * messages, and how a score is written. Pure: shared by the browser store and its tests.
 */
import { scoreFiltersToParams } from './filters';
import { FEEDBACK_CHANNELS, type FeedbackChannel, type JourneyScores, type TouchpointScore } from './types';

/** Filters of the map's live scores; null means "any". Persona is not here: it filters touchpoints, not items. */
export interface LiveFilters {
	/** First day counted, YYYY-MM-DD. */
	from: string | null;
	/** Last day counted (included), YYYY-MM-DD. */
	to: string | null;
	channel: FeedbackChannel | null;
	/** A catalogue item id of the workspace (a UUID). */
	product: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const NO_FILTERS: LiveFilters = Object.freeze({ from: null, to: null, channel: null, product: null });

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A real calendar day written YYYY-MM-DD (what `<input type="date">` gives). */
export function isDay(value: unknown): value is string {
	if (typeof value !== 'string' || !DAY.test(value)) return false;
	const d = new Date(`${value}T00:00:00Z`);
	return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

/**
 * Years a due date may fall in. `isDay` accepts any four-digit year, but PostgreSQL has no year 0 and a
 * plan for the year 9999 is a typo: a date outside is refused with its field instead of failing the query.
 */
export const DUE_YEARS = { min: 2000, max: 2999 } as const;

/** The same bounds as the `min` and `max` of a due date's `<input type="date">`. */
export const DUE_DAY_RANGE = { min: `${DUE_YEARS.min}-01-01`, max: `${DUE_YEARS.max}-12-31` } as const;

/** A day (see `isDay`) in the years a due date may fall in. */
export function isDueDay(value: unknown): value is string {
	if (!isDay(value)) return false;
	const year = Number(value.slice(0, 4));
	return year >= DUE_YEARS.min && year <= DUE_YEARS.max;
}

function isChannel(value: unknown): value is FeedbackChannel {
	return typeof value === 'string' && (FEEDBACK_CHANNELS as readonly string[]).includes(value);
}

/**
 * Cleans filters as a user or a URL gives them: unknown channels and malformed days are dropped, and a
 * reversed range is put in order (someone who picks "to" before "from" means the days between).
 */
export function normalizeFilters(raw: Partial<Record<keyof LiveFilters, unknown>>): LiveFilters {
	let from = isDay(raw.from) ? raw.from : null;
	let to = isDay(raw.to) ? raw.to : null;
	if (from && to && from > to) [from, to] = [to, from];
	const product =
		typeof raw.product === 'string' && UUID.test(raw.product) ? raw.product.toLowerCase() : null;
	return { from, to, channel: isChannel(raw.channel) ? raw.channel : null, product };
}

/** The query string of the live and feedback endpoints ('' without filters), in a stable order. */
export function filterQuery(filters: LiveFilters): string {
	const f = normalizeFilters(filters);
	const s = scoreFiltersToParams({
		from: f.from ?? undefined,
		to: f.to ?? undefined,
		channel: f.channel ?? undefined,
		product: f.product ?? undefined
	}).toString();
	return s ? `?${s}` : '';
}

export function filtersFromQuery(params: URLSearchParams): LiveFilters {
	return normalizeFilters({
		from: params.get('from'),
		to: params.get('to'),
		channel: params.get('channel'),
		product: params.get('product')
	});
}

export function sameFilters(a: LiveFilters, b: LiveFilters): boolean {
	return filterQuery(a) === filterQuery(b);
}

export function hasFilters(f: LiveFilters): boolean {
	return filterQuery(f) !== '';
}

const finite = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

function readScore(id: string, raw: unknown): TouchpointScore | null {
	if (!raw || typeof raw !== 'object') return null;
	const r = raw as Record<string, unknown>;
	const volume = finite(r.volume) && r.volume >= 0 ? Math.round(r.volume) : null;
	if (volume === null) return null;
	const score = finite(r.score) ? Math.max(-2, Math.min(2, r.score)) : null;
	const iv = r.interval;
	const interval =
		Array.isArray(iv) && iv.length === 2 && finite(iv[0]) && finite(iv[1])
			? ([Math.min(iv[0], iv[1]), Math.max(iv[0], iv[1])] as [number, number])
			: null;
	const s = (r.shares ?? {}) as Record<string, unknown>;
	const share = (x: unknown) => (finite(x) ? x : 0);
	const evidence = r.evidence === 'few' || r.evidence === 'solid' ? r.evidence : 'none';
	return {
		touchpointId: id,
		volume,
		score: volume > 0 ? score : null,
		interval: volume >= 2 ? interval : null,
		shares: { negative: share(s.negative), neutral: share(s.neutral), positive: share(s.positive) },
		evidence: volume > 0 ? evidence : 'none'
	};
}

/**
 * Reads one `scores` message of the live channel; null when it is not a `JourneyScores` of
 * `journeyId`. Touchpoint entries that make no sense are left out rather than failing the whole message.
 */
export function parseJourneyScores(text: string, journeyId: string): JourneyScores | null {
	let raw: unknown;
	try {
		raw = JSON.parse(text);
	} catch {
		return null;
	}
	if (!raw || typeof raw !== 'object') return null;
	const r = raw as Record<string, unknown>;
	if (r.journeyId !== journeyId || !r.touchpoints || typeof r.touchpoints !== 'object') return null;
	const touchpoints: Record<string, TouchpointScore> = {};
	for (const [id, value] of Object.entries(r.touchpoints as Record<string, unknown>)) {
		const score = readScore(id, value);
		if (score) touchpoints[id] = score;
	}
	return {
		journeyId,
		at: typeof r.at === 'string' ? r.at : new Date(0).toISOString(),
		touchpoints,
		unmatched: finite(r.unmatched) && r.unmatched > 0 ? Math.round(r.unmatched) : 0
	};
}

/** True when a card would show the same thing for both. */
export function sameScore(
	a: TouchpointScore | null | undefined,
	b: TouchpointScore | null | undefined
): boolean {
	if (!a || !b) return !a === !b;
	return (
		a.volume === b.volume &&
		a.score === b.score &&
		a.evidence === b.evidence &&
		a.interval?.[0] === b.interval?.[0] &&
		a.interval?.[1] === b.interval?.[1] &&
		a.shares.negative === b.shares.negative &&
		a.shares.neutral === b.shares.neutral &&
		a.shares.positive === b.shares.positive
	);
}

/** Touchpoints whose figures differ between two messages (appeared, changed or gone). */
export function changedTouchpoints(
	before: Readonly<Record<string, TouchpointScore>>,
	after: Readonly<Record<string, TouchpointScore>>
): string[] {
	const out: string[] = [];
	for (const [id, s] of Object.entries(after)) if (!sameScore(before[id], s)) out.push(id);
	for (const id of Object.keys(before)) if (!(id in after)) out.push(id);
	return out;
}

// Building a number format costs far more than using one, and a large map formats hundreds of scores.
const formats = new Map<string, Intl.NumberFormat>();

/** A live score as cards and the curve show it: one decimal, signed, in the reader's language. */
export function formatScore(score: number | null, locale: string): string {
	if (score === null) return '–';
	const tag = locale === 'fr' ? 'fr-FR' : 'en-GB';
	let format = formats.get(tag);
	if (!format) {
		format = new Intl.NumberFormat(tag, {
			minimumFractionDigits: 1,
			maximumFractionDigits: 1,
			signDisplay: 'exceptZero'
		});
		formats.set(tag, format);
	}
	return format.format(score);
}

/** The first `max` characters of a feedback text on one line, cut at a word when one is near. */
export function excerpt(text: string, max = 160): string {
	const flat = text.replace(/\s+/g, ' ').trim();
	if (flat.length <= max) return flat;
	const cut = flat.slice(0, max);
	const space = cut.lastIndexOf(' ');
	return `${(space > max * 0.6 ? cut.slice(0, space) : cut).replace(/[\s,.;:!?-]+$/, '')}…`;
}

/** One recent item of a touchpoint, as its side panel lists it. */
export interface LatestItem {
	id: string;
	text: string;
	polarity: 'negative' | 'neutral' | 'positive' | null;
	score: number | null;
	receivedAt: string;
	channel: FeedbackChannel | null;
	language: string | null;
}

export interface MotiveCount {
	id: string;
	label: { fr: string; en: string } | string;
	count: number;
}

/** What `GET …/touchpoints/[touchpointId]/feedback` answers. */
export interface TouchpointFeedback {
	latest: LatestItem[];
	topMotives: MotiveCount[];
}

const str = (x: unknown): x is string => typeof x === 'string';

/** Reads the touchpoint feedback answer, leaving out entries it cannot show; null when it is not one. */
export function parseTouchpointFeedback(raw: unknown): TouchpointFeedback | null {
	if (!raw || typeof raw !== 'object') return null;
	const r = raw as Record<string, unknown>;
	if (!Array.isArray(r.latest) || !Array.isArray(r.topMotives)) return null;
	const latest: LatestItem[] = [];
	for (const x of r.latest as Record<string, unknown>[]) {
		if (!x || !str(x.id) || !str(x.text)) continue;
		const at = str(x.receivedAt) ? x.receivedAt : null;
		if (!at || Number.isNaN(Date.parse(at))) continue;
		latest.push({
			id: x.id,
			text: x.text,
			polarity:
				x.polarity === 'negative' || x.polarity === 'neutral' || x.polarity === 'positive'
					? x.polarity
					: null,
			score: finite(x.score) ? x.score : null,
			receivedAt: at,
			channel: isChannel(x.channel) ? x.channel : null,
			language: str(x.language) ? x.language : null
		});
	}
	const topMotives: MotiveCount[] = [];
	for (const m of r.topMotives as Record<string, unknown>[]) {
		if (!m || !str(m.id) || !finite(m.count)) continue;
		const l = m.label as Record<string, unknown> | string | undefined;
		const label =
			str(l) && l ? l : l && typeof l === 'object' && str(l.fr) && str(l.en) ? { fr: l.fr, en: l.en } : m.id;
		topMotives.push({ id: m.id, label, count: m.count });
	}
	return { latest, topMotives };
}

/** A motive's label in the reader's language. */
export function motiveLabel(label: MotiveCount['label'], locale: string): string {
	return typeof label === 'string' ? label : locale === 'fr' ? label.fr : label.en;
}

/** What customers said about a whole journey: the mean over its items and where the live score is lowest. */
export interface JourneyLiveSummary {
	volume: number;
	/** Mean score over all items of the touchpoints given (each item counts once); null without items. */
	mean: number | null;
	/** Touchpoints with a negative live score, lowest first. */
	worst: { touchpointId: string; score: number; volume: number }[];
}

export function journeyLiveSummary(
	scores: Readonly<Record<string, TouchpointScore>>,
	touchpointIds: Iterable<string>,
	limit = 3
): JourneyLiveSummary {
	let volume = 0;
	let sum = 0;
	const scored: JourneyLiveSummary['worst'] = [];
	for (const id of touchpointIds) {
		const s = scores[id];
		if (!s || s.volume <= 0 || s.score === null) continue;
		volume += s.volume;
		sum += s.score * s.volume;
		scored.push({ touchpointId: id, score: s.score, volume: s.volume });
	}
	const worst = scored
		.filter((s) => s.score < 0)
		.sort((a, b) => a.score - b.score || b.volume - a.volume)
		.slice(0, limit);
	return { volume, mean: volume ? Math.round((sum / volume) * 1000) / 1000 : null, worst };
}
