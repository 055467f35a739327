/** How the loop pages write durations, shares and p-values. */
import { formatDate } from '$lib/i18n';
import type { I18n } from '$lib/i18n/context';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** A duration in minutes under an hour, hours under two days, days above; '—' when unknown. */
export function duration(i18n: I18n, ms: number | null): string {
	if (ms === null) return '—';
	if (ms < HOUR) return i18n.t('loops.minutes', { n: Math.round(ms / 60_000) });
	return ms < 2 * DAY
		? i18n.t('loops.hours', { n: Math.round((ms / HOUR) * 10) / 10 })
		: i18n.t('loops.days', { n: Math.round((ms / DAY) * 10) / 10 });
}

export function share(value: number | null): string {
	return value === null ? '—' : `${Math.round(value * 100)} %`;
}

/** A p-value the way people read it, with its relation: "< 0.001" rather than "= 1.2e-7". */
export function pValue(i18n: I18n, p: number): string {
	const number = (n: number) => n.toLocaleString(i18n.locale, { maximumFractionDigits: 3 });
	return p < 0.001 ? `< ${number(0.001)}` : `= ${number(p)}`;
}

/** A test's level after the Bonferroni split (0.05, 0.025, 0.017…). */
export function level(i18n: I18n, value: number): string {
	return value.toLocaleString(i18n.locale, { maximumSignificantDigits: 2 });
}

/** A refusal's or requirement's parameters as message parameters: the end of a window as a date. */
export function ruleParams(i18n: I18n, params: object): Record<string, string | number> {
	const out: Record<string, string | number> = {};
	for (const [k, v] of Object.entries(params)) {
		if (k === 'until') out[k] = typeof v === 'number' ? formatDate(i18n.locale, v) : '—';
		else if (typeof v === 'number' || typeof v === 'string') out[k] = v;
	}
	return out;
}
