/** What the health pages write beyond the report's formats: emotion scores and the week's changes. */
import type { I18n } from '$lib/i18n/context';
import type { Change, HealthQuery } from '$lib/health/types';
import { filtersInWords, formatInt, type FilterNames } from '$lib/health/report/format';

/** An emotion score on the −2..+2 scale with its sign and two decimals; '—' without one. */
export function emotion(i18n: I18n, value: number | null): string {
	if (value === null) return i18n.t('health.noValue');
	return value.toLocaleString(i18n.locale === 'fr' ? 'fr-FR' : 'en-GB', {
		minimumFractionDigits: 2,
		maximumFractionDigits: 2,
		signDisplay: 'exceptZero'
	});
}

/** One change of the last week as a sentence. */
export function changeSentence(i18n: I18n, change: Change): string {
	const n = (value: number) => formatInt(value, i18n.locale);
	switch (change.kind) {
		case 'score':
			return i18n.t(change.to >= change.from ? 'health.change.scoreUp' : 'health.change.scoreDown', {
				title: change.title,
				from: emotion(i18n, change.from),
				to: emotion(i18n, change.to),
				volume: n(change.volume)
			});
		case 'volume':
			return i18n.t(change.to >= change.from ? 'health.change.volumeUp' : 'health.change.volumeDown', {
				title: change.title,
				from: n(change.from),
				to: n(change.to)
			});
		case 'motive':
			return i18n.t(change.to >= change.from ? 'health.change.motiveUp' : 'health.change.motiveDown', {
				label: change.label,
				from: n(change.from),
				to: n(change.to)
			});
		case 'alert_opened':
			return change.title
				? i18n.t('health.change.alert', { title: change.title })
				: i18n.t('health.change.alertJourney');
		case 'loop_closed':
			return i18n.t(change.improved ? 'health.change.loopImproved' : 'health.change.loopClosed', {
				title: change.title
			});
	}
}

/** The active filters in words, ids named; null when none is set (the page then says nothing). */
export function activeFilters(i18n: I18n, query: HealthQuery, names: FilterNames): string | null {
	return Object.values(query.filters).some((v) => v !== null) ? filtersInWords(query, i18n.t, names) : null;
}
