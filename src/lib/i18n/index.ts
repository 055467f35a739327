/**
 * Compile-time checked UI strings: a key missing from a catalogue, or a misspelled key, fails `npm run check`.
 */
import { en, type MessageKey } from './en';
import { fr } from './fr';

export const LOCALES = ['en', 'fr'] as const;
export type Locale = (typeof LOCALES)[number];
export type { MessageKey };

const catalogues: Record<Locale, Record<MessageKey, string>> = { en, fr };

export function isLocale(value: unknown): value is Locale {
	return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

export type Params = Record<string, string | number>;

export function translate(locale: Locale, key: MessageKey, params?: Params): string {
	const text = catalogues[locale][key] ?? en[key];
	if (!params) return text;
	return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
}

export type Translator = (key: MessageKey, params?: Params) => string;

export function translator(locale: Locale): Translator {
	return (key, params) => translate(locale, key, params);
}

/** Picks the best supported locale from an Accept-Language header; English when nothing matches. */
export function negotiateLocale(acceptLanguage: string | null | undefined): Locale {
	if (!acceptLanguage) return 'en';
	const ranked = acceptLanguage
		.split(',')
		.map((part) => {
			const [tag, ...rest] = part.trim().split(';');
			const q = rest.find((r) => r.trim().startsWith('q='));
			return { tag: tag.trim().toLowerCase(), q: q ? Number(q.trim().slice(2)) || 0 : 1 };
		})
		.filter((x) => x.tag)
		.sort((a, b) => b.q - a.q);
	for (const { tag } of ranked) {
		const base = tag.split('-')[0];
		if (isLocale(base)) return base;
	}
	return 'en';
}

export function formatDate(locale: Locale, date: Date | string | number): string {
	return new Intl.DateTimeFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', {
		dateStyle: 'medium',
		timeStyle: 'short'
	}).format(new Date(date));
}
