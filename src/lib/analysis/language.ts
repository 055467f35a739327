/**
 * Language detection: function words of each language (reliable on short texts) plus franc-min's
 * character trigrams (reliable on longer texts). franc alone misreads short customer messages
 * ("Super service, je recommande" → German), function words alone miss long texts with few of them.
 */
import { francAll } from 'franc-min';
import type { Decision, Language } from './types';
import type { Token } from './text';
import { FUNCTION_WORDS } from './data/stopwords';
import { entryTokens } from './lexicon';

type Known = Exclude<Language, 'unknown'>;
const LANGS: Known[] = ['fr', 'en', 'es', 'de'];
const ISO3: Record<string, Known> = { fra: 'fr', eng: 'en', spa: 'es', deu: 'de' };
const ONLY = Object.keys(ISO3);

const FUNCTION_SETS: Record<Known, Set<string>> = {
	fr: new Set(FUNCTION_WORDS.fr.split(/\s+/).flatMap((w) => entryTokens(w))),
	en: new Set(FUNCTION_WORDS.en.split(/\s+/).flatMap((w) => entryTokens(w))),
	es: new Set(FUNCTION_WORDS.es.split(/\s+/).flatMap((w) => entryTokens(w))),
	de: new Set(FUNCTION_WORDS.de.split(/\s+/).flatMap((w) => entryTokens(w)))
};

export interface LanguageEvidence {
	/** Words found only in one language's sentiment lexicon. */
	lexiconHits: Partial<Record<Known, number>>;
}

/** Detects the language; `scores` gives the evidence per language (for mixed-language handling). */
export function detectLanguage(
	text: string,
	tokens: readonly Token[],
	evidence: LanguageEvidence
): Decision<Language> & { scores: Record<Known, number> } {
	const scores: Record<Known, number> = { fr: 0, en: 0, es: 0, de: 0 };
	let words = 0;
	for (let i = 0; i < tokens.length && words < 300; i++) {
		const t = tokens[i];
		if (t.kind !== 'word') continue;
		words++;
		for (const l of LANGS) if (FUNCTION_SETS[l].has(t.norm)) scores[l] += 1;
	}
	for (const l of LANGS) scores[l] += 0.6 * (evidence.lexiconHits[l] ?? 0);
	// Trigrams only when function words leave a doubt: they cost more than the rest of the analysis.
	const fw = [...LANGS].sort((a, b) => scores[b] - scores[a]);
	// Mixed texts with plenty of function words in two languages gain nothing from trigrams either.
	const decisive = (scores[fw[0]] >= 2 && scores[fw[0]] >= 2 * scores[fw[1]]) || scores[fw[1]] >= 4;
	if (!decisive && text.length >= 25 && words >= 4) {
		const sample = text.length > 200 ? text.slice(0, 200) : text;
		const weight = Math.min(3, words / 6);
		for (const [code, s] of francAll(sample, { only: ONLY, minLength: 10 })) {
			const l = ISO3[code];
			if (l) scores[l] += weight * Math.max(0, (s - 0.75) * 4);
		}
	}
	const ranked = [...LANGS].sort((a, b) => scores[b] - scores[a]);
	const best = scores[ranked[0]];
	const second = scores[ranked[1]];
	if (words === 0 || best < 0.9)
		return { value: 'unknown', confidence: words === 0 ? 1 : 0.5, spans: [], scores };
	const confidence = Math.min(0.99, 0.5 + 0.5 * ((best - second) / (best + 1)) + Math.min(0.2, best / 50));
	return { value: ranked[0], confidence: round(confidence), spans: [], scores };
}

function round(x: number): number {
	return Math.round(x * 1000) / 1000;
}
