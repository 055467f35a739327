import { getContext, setContext } from 'svelte';
import { translate, type Locale, type MessageKey, type Params } from './index';

const KEY = Symbol('i18n');

export interface I18n {
	readonly locale: Locale;
	t(key: MessageKey, params?: Params): string;
}

/** Called once by the root layout with a getter, so every component follows a language switch. */
export function provideI18n(getLocale: () => Locale): I18n {
	const i18n: I18n = {
		get locale() {
			return getLocale();
		},
		t: (key, params) => translate(getLocale(), key, params)
	};
	setContext(KEY, i18n);
	return i18n;
}

export function useI18n(): I18n {
	return getContext<I18n>(KEY);
}
