/**
 * Numbers, days and durations as the health report and digest write them, in the reader's language.
 * Days are UTC `YYYY-MM-DD`, so they are formatted in UTC (a reader west of Greenwich keeps the day).
 */
import type { Locale, Translator } from '../../i18n';
import type { CompareMode, HealthQuery, RangePreset } from '../types';

const tag = (locale: Locale) => (locale === 'fr' ? 'fr-FR' : 'en-GB');

/** A health score (0..100) or a count; '–' when unknown. */
export function formatInt(value: number | null, locale: Locale): string {
	if (value === null) return '–';
	return new Intl.NumberFormat(tag(locale), { maximumFractionDigits: 0 }).format(value);
}

/** A health delta in points, signed ("+4", "−3", "0"); '–' when unknown. */
export function formatDelta(value: number | null, locale: Locale): string {
	if (value === null) return '–';
	return new Intl.NumberFormat(tag(locale), { maximumFractionDigits: 0, signDisplay: 'exceptZero' })
		.format(value)
		.replace('-', '−');
}

/** A share 0..1 as a whole percentage; '–' when unknown. */
export function formatShare(value: number | null, locale: Locale): string {
	if (value === null) return '–';
	return new Intl.NumberFormat(tag(locale), { style: 'percent', maximumFractionDigits: 0 }).format(value);
}

/** A `YYYY-MM-DD` day in words ("5 Oct 2026", "5 oct. 2026"). */
export function formatDay(day: string, locale: Locale): string {
	return new Intl.DateTimeFormat(tag(locale), { dateStyle: 'medium', timeZone: 'UTC' }).format(
		new Date(`${day}T00:00:00Z`)
	);
}

/** A week's Monday, short ("5 Oct"), for chart columns. */
export function formatWeek(monday: string, locale: Locale): string {
	return new Intl.DateTimeFormat(tag(locale), { day: 'numeric', month: 'short', timeZone: 'UTC' }).format(
		new Date(`${monday}T00:00:00Z`)
	);
}

/** An instant with its time, in UTC (the report says so: its readers may be anywhere). */
export function formatInstant(iso: string, locale: Locale): string {
	return new Intl.DateTimeFormat(tag(locale), {
		dateStyle: 'long',
		timeStyle: 'short',
		timeZone: 'UTC'
	}).format(new Date(iso));
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** A median time between loop stages: minutes under an hour, hours under two days, else days. */
export function formatDuration(ms: number | null, locale: Locale, t: Translator): string {
	if (ms === null) return '–';
	const number = (n: number) =>
		new Intl.NumberFormat(tag(locale), { maximumFractionDigits: n < 10 ? 1 : 0 }).format(n);
	if (ms < HOUR) return t('healthReport.duration.minutes', { n: number(Math.round(ms / 60_000)) });
	if (ms < 2 * DAY) return t('healthReport.duration.hours', { n: number(ms / HOUR) });
	return t('healthReport.duration.days', { n: number(ms / DAY) });
}

const PRESET_KEYS = {
	'7d': 'healthReport.preset.7d',
	'28d': 'healthReport.preset.28d',
	'90d': 'healthReport.preset.90d',
	'365d': 'healthReport.preset.365d',
	custom: 'healthReport.preset.custom'
} as const satisfies Record<RangePreset, string>;

const COMPARE_KEYS = {
	previous: 'healthReport.compare.previous',
	year: 'healthReport.compare.year'
} as const satisfies Record<Exclude<CompareMode, 'none'>, string>;

/** "From 1 Oct 2026 to 28 Oct 2026 (last 28 days)". */
export function rangeInWords(query: HealthQuery, locale: Locale, t: Translator): string {
	return t('healthReport.range', {
		from: formatDay(query.range.from, locale),
		to: formatDay(query.range.to, locale),
		preset: t(PRESET_KEYS[query.preset])
	});
}

/** "Compared with the previous period, 3 Sep 2026 to 30 Sep 2026", or that there is no comparison. */
export function compareInWords(query: HealthQuery, locale: Locale, t: Translator): string {
	if (query.compareMode === 'none' || !query.compare) return t('healthReport.compare.none');
	return t(COMPARE_KEYS[query.compareMode], {
		from: formatDay(query.compare.from, locale),
		to: formatDay(query.compare.to, locale)
	});
}

/** Names of the ids a filter holds, when the report knows them. */
export interface FilterNames {
	persona?: (id: string) => string | null;
	/** Products and places as analysis stores them (catalogue ids, `city:…`). */
	facet?: (id: string) => string | null;
}

/** The active filters in words ("Persona: Frequent flyer · Channel: Website"), or that there are none. */
export function filtersInWords(query: HealthQuery, t: Translator, names: FilterNames = {}): string {
	const personaName = names.persona ?? (() => null);
	const facetName = names.facet ?? (() => null);
	const { persona, channel, product, place } = query.filters;
	const parts: string[] = [];
	if (persona) parts.push(t('healthReport.filter.persona', { value: personaName(persona) ?? persona }));
	if (channel) parts.push(t('healthReport.filter.channel', { value: t(`editor.channel.${channel}`) }));
	if (product) parts.push(t('healthReport.filter.product', { value: facetName(product) ?? product }));
	if (place) parts.push(t('healthReport.filter.place', { value: facetName(place) ?? place }));
	return parts.length
		? t('healthReport.filters', { list: parts.join(' · ') })
		: t('healthReport.filters.none');
}
