/**
 * The date range, comparison period and filters of a health page, and their URL form. A link someone
 * pastes may be old, hand-edited or cut: nothing here throws; what cannot be used falls back to the
 * default and is named in `errors` so the page can say what it ignored. Days are UTC `YYYY-MM-DD`;
 * `today` is passed in so the rules do not depend on the clock.
 */
import { isDay } from '../feedback/live';
import { CHANNELS, type Channel } from '../journey/types';
import {
	COMPARE_MODES,
	RANGE_PRESETS,
	type CompareMode,
	type DateRange,
	type HealthFilters,
	type HealthQuery,
	type RangePreset
} from './types';

export const DEFAULT_PRESET = '90d' satisfies RangePreset;
export const DEFAULT_COMPARE = 'previous' satisfies CompareMode;
/** Longest custom range: three years, one of them leap. */
export const MAX_RANGE_DAYS = 1096;
/** Longest persona id, product or place accepted from a URL. */
export const MAX_FILTER_LENGTH = 200;

export type FixedPreset = Exclude<RangePreset, 'custom'>;

const PRESET_DAYS: Record<FixedPreset, number> = { '7d': 7, '28d': 28, '90d': 90, '365d': 365 };

const DAY_MS = 86_400_000;

const toTime = (day: string) => Date.parse(`${day}T00:00:00Z`);
const fromTime = (time: number) => new Date(time).toISOString().slice(0, 10);

/** The day `days` after (or before, when negative) `day`. */
export function addDays(day: string, days: number): string {
	return fromTime(toTime(day) + days * DAY_MS);
}

/** Days in an inclusive range (1 when from = to). */
export function daysIn(range: DateRange): number {
	return Math.round((toTime(range.to) - toTime(range.from)) / DAY_MS) + 1;
}

/** The Monday of the ISO week of a day. */
export function weekOf(day: string): string {
	const weekday = new Date(toTime(day)).getUTCDay();
	return addDays(day, -((weekday + 6) % 7));
}

/** Mondays of every week that has at least one day in the range, in order. */
export function weeksOf(range: DateRange): string[] {
	const weeks: string[] = [];
	for (let week = weekOf(range.from); week <= range.to; week = addDays(week, 7)) weeks.push(week);
	return weeks;
}

/** The last `n` days up to today, today included. */
export function presetRange(preset: FixedPreset, today: string): DateRange {
	return { from: addDays(today, 1 - PRESET_DAYS[preset]), to: today };
}

/** The same day one year earlier; 29 February becomes 28 February. */
function yearBefore(day: string): string {
	const year = String(Number(day.slice(0, 4)) - 1).padStart(4, '0');
	const monthDay = day.slice(5) === '02-29' ? '02-28' : day.slice(5);
	return `${year}-${monthDay}`;
}

/** The period a range is compared with; null for `none`. */
export function compareRange(range: DateRange, mode: CompareMode): DateRange | null {
	if (mode === 'none') return null;
	if (mode === 'year') return { from: yearBefore(range.from), to: yearBefore(range.to) };
	const to = addDays(range.from, -1);
	return { from: addDays(to, 1 - daysIn(range)), to };
}

export interface HealthQueryError {
	/** The URL parameter ignored. */
	field: 'range' | 'from' | 'to' | 'compare' | 'persona' | 'channel' | 'product' | 'place';
	/**
	 * invalid: not a known value (or a text with a control character); invalid_date: not a calendar day; before_from: `to` before `from`;
	 * too_long: range or text over its limit; future: ends after tomorrow; missing: custom range
	 * without both ends; ignored: a day given with a fixed preset.
	 */
	code: 'invalid' | 'invalid_date' | 'before_from' | 'too_long' | 'future' | 'missing' | 'ignored';
}

export interface ParsedHealthQuery {
	query: HealthQuery;
	errors: HealthQueryError[];
}

const isPreset = (v: string): v is RangePreset => (RANGE_PRESETS as readonly string[]).includes(v);
const isCompare = (v: string): v is CompareMode => (COMPARE_MODES as readonly string[]).includes(v);
const isChannel = (v: string): v is Channel => (CHANNELS as readonly string[]).includes(v);

/** A present, non-blank parameter, trimmed; null otherwise. */
function param(params: URLSearchParams, name: string): string | null {
	const value = params.get(name)?.trim();
	return value ? value : null;
}

/**
 * The first year a range may start in. `isDay` takes any four-digit year, but PostgreSQL has no year 0
 * and a comparison period reaches back up to three years: an earlier year is a typo, refused here rather
 * than failing the query.
 */
export const FIRST_YEAR = 1900;

const isHealthDay = (v: string) => isDay(v) && Number(v.slice(0, 4)) >= FIRST_YEAR;

function customRange(
	from: string | null,
	to: string | null,
	today: string,
	maxDays: number,
	errors: HealthQueryError[]
): DateRange | null {
	const before = errors.length;
	if (from === null) errors.push({ field: 'from', code: 'missing' });
	else if (!isHealthDay(from)) errors.push({ field: 'from', code: 'invalid_date' });
	if (to === null) errors.push({ field: 'to', code: 'missing' });
	else if (!isHealthDay(to)) errors.push({ field: 'to', code: 'invalid_date' });
	if (errors.length > before) return null;
	const range = { from: from!, to: to! };
	if (range.from > range.to) errors.push({ field: 'to', code: 'before_from' });
	// A day ahead of UTC is still "today" for someone east of Greenwich.
	else if (range.to > addDays(today, 1)) errors.push({ field: 'to', code: 'future' });
	else if (daysIn(range) > maxDays) errors.push({ field: 'range', code: 'too_long' });
	return errors.length > before ? null : range;
}

function textFilter(
	params: URLSearchParams,
	field: 'persona' | 'product' | 'place',
	errors: HealthQueryError[]
): string | null {
	const value = param(params, field);
	if (value !== null && value.length > MAX_FILTER_LENGTH) {
		errors.push({ field, code: 'too_long' });
		return null;
	}
	// No persona, product or place holds one, and the database refuses a NUL in text (a 500, found by fuzzing).
	// eslint-disable-next-line no-control-regex -- control characters are exactly what is refused here
	if (value !== null && /[\u0000-\u001f\u007f]/.test(value)) {
		errors.push({ field, code: 'invalid' });
		return null;
	}
	return value;
}

/** Reads a health page's URL parameters: `range`, `from`, `to`, `compare`, `persona`, `channel`, `product`, `place`. */
export function parseHealthQuery(
	params: URLSearchParams,
	today: string,
	options: { maxDays?: number } = {}
): ParsedHealthQuery {
	const errors: HealthQueryError[] = [];
	const maxDays = options.maxDays ?? MAX_RANGE_DAYS;

	const rangeParam = param(params, 'range');
	const from = param(params, 'from');
	const to = param(params, 'to');
	let preset: RangePreset = DEFAULT_PRESET;
	if (rangeParam !== null && !isPreset(rangeParam)) errors.push({ field: 'range', code: 'invalid' });
	else if (rangeParam !== null) preset = rangeParam;
	else if (from !== null || to !== null) preset = 'custom';

	let range: DateRange | null = null;
	if (preset === 'custom') {
		range = customRange(from, to, today, maxDays, errors);
		if (range === null) preset = DEFAULT_PRESET;
	} else {
		if (from !== null) errors.push({ field: 'from', code: 'ignored' });
		if (to !== null) errors.push({ field: 'to', code: 'ignored' });
	}
	range ??= presetRange(preset as FixedPreset, today);

	const compareParam = param(params, 'compare');
	let compareMode: CompareMode = DEFAULT_COMPARE;
	if (compareParam !== null && !isCompare(compareParam)) errors.push({ field: 'compare', code: 'invalid' });
	else if (compareParam !== null) compareMode = compareParam;

	const channelParam = param(params, 'channel');
	let channel: Channel | null = null;
	if (channelParam !== null && !isChannel(channelParam)) errors.push({ field: 'channel', code: 'invalid' });
	else channel = channelParam;

	const filters: HealthFilters = {
		persona: textFilter(params, 'persona', errors),
		channel,
		product: textFilter(params, 'product', errors),
		place: textFilter(params, 'place', errors)
	};
	return {
		query: { preset, range, compareMode, compare: compareRange(range, compareMode), filters },
		errors
	};
}

/** The URL parameters of a query, defaults left out, without the leading `?`; empty for the default page. */
export function healthQueryString(query: HealthQuery): string {
	const params = new URLSearchParams();
	if (query.preset === 'custom') {
		params.set('from', query.range.from);
		params.set('to', query.range.to);
	} else if (query.preset !== DEFAULT_PRESET) params.set('range', query.preset);
	if (query.compareMode !== DEFAULT_COMPARE) params.set('compare', query.compareMode);
	for (const key of ['persona', 'channel', 'product', 'place'] as const) {
		const value = query.filters[key];
		if (value !== null) params.set(key, value);
	}
	return params.toString();
}
