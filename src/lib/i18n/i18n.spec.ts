import { describe, expect, it } from 'vitest';
import { en } from './en';
import { fr } from './fr';
import { negotiateLocale, translate } from './index';

describe('i18n', () => {
	it('has the same keys in both catalogues, none empty', () => {
		expect(Object.keys(fr).sort()).toEqual(Object.keys(en).sort());
		for (const [key, value] of Object.entries(fr)) expect(value.length, key).toBeGreaterThan(0);
	});

	it('keeps the same placeholders in each translation', () => {
		const names = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
		for (const key of Object.keys(en) as (keyof typeof en)[]) {
			expect(names(fr[key]), key).toEqual(names(en[key]));
		}
	});

	it('fills parameters', () => {
		expect(translate('fr', 'error.tooManyAttempts', { minutes: 3 })).toBe(
			'Trop de tentatives de connexion. Réessayez dans 3 min.'
		);
	});

	it('negotiates from Accept-Language, by quality', () => {
		expect(negotiateLocale('fr-FR,fr;q=0.9,en;q=0.8')).toBe('fr');
		expect(negotiateLocale('de-DE,en;q=0.5,fr;q=0.7')).toBe('fr');
		expect(negotiateLocale('de-DE')).toBe('en');
		expect(negotiateLocale(null)).toBe('en');
	});
});
