import { describe, expect, it } from 'vitest';
import { translate, type Locale } from '$lib/i18n';
import type { I18n } from '$lib/i18n/context';
import { changeSentence, emotion } from './format';

const i18n = (locale: Locale): I18n => ({ locale, t: (key, params) => translate(locale, key, params) });

describe('what changed, in sentences', () => {
	it('says which way a score went, with signed scores and the volume', () => {
		const change = {
			kind: 'score',
			touchpointId: 't',
			title: 'Gate',
			from: 0.5,
			to: -1.25,
			volume: 1200
		} as const;
		expect(changeSentence(i18n('en'), change)).toBe(
			'Gate: the live score fell from +0.50 to -1.25 (1,200 items).'
		);
		expect(changeSentence(i18n('fr'), { ...change, from: -1.25, to: 0.5 })).toBe(
			'Gate : le score vécu est passé de -1,25 à +0,50 (1\u202f200 avis).'
		);
	});

	it('names motives, alerts with and without a touchpoint, and closed loops by their outcome', () => {
		const en = i18n('en');
		expect(changeSentence(en, { kind: 'motive', motive: 'delay', label: 'Delay', from: 2, to: 9 })).toBe(
			'“Delay” is mentioned more often: 2 → 9 items.'
		);
		expect(changeSentence(en, { kind: 'alert_opened', alertId: 'a', touchpointId: 't', title: 'Gate' })).toBe(
			'A new alert opened on Gate.'
		);
		expect(changeSentence(en, { kind: 'alert_opened', alertId: 'a', touchpointId: null, title: null })).toBe(
			'A new alert opened on this journey.'
		);
		expect(
			changeSentence(en, { kind: 'loop_closed', loopId: 'l', title: 'Faster boarding', improved: true })
		).toBe('Loop “Faster boarding” closed and improved the score.');
		expect(changeSentence(en, { kind: 'volume', touchpointId: 't', title: 'Gate', from: 30, to: 4 })).toBe(
			'Gate: less feedback, 30 → 4 items.'
		);
	});

	it('writes a missing emotion score as a dash', () => {
		expect(emotion(i18n('en'), null)).toBe('–');
		expect(emotion(i18n('en'), 0)).toBe('0.00');
	});
});
