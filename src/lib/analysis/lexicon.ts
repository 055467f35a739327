/** Matching of word lists (single words, `prefix*` entries, phrases) against tokens. */
import { fold, stem, tokenize, type Token } from './text';

export interface LexiconMatch<T> {
	value: T;
	/** Index of the first token and number of tokens matched. */
	index: number;
	length: number;
}

/** Splits an entry into folded word tokens (same tokenizer as the text, so "j'aime" → "j'", "aime"). */
export function entryTokens(entry: string, stemmed = false): string[] {
	const f = fold(entry.trim());
	return tokenize(f, f)
		.filter((t) => t.kind === 'word' || t.kind === 'number')
		.map((t) => (stemmed ? stem(t.norm) : t.norm));
}

/** The first two letters of a word as one number (a map key that needs no new string). */
function headOf(w: string): number {
	return w.length >= 2 ? w.charCodeAt(0) * 65536 + w.charCodeAt(1) : w.length === 1 ? w.charCodeAt(0) : -1;
}

/**
 * An immutable word list. Lookups use the folded form of tokens, or their stems when built with
 * `stemmed` (then entries are stemmed too). Longest match wins.
 */
export class Lexicon<T> {
	private readonly words = new Map<string, T>();
	private readonly prefixes = new Map<string, T>();
	private readonly phrases = new Map<string, T>();
	/** Phrases whose last word is a prefix: key is the phrase without its last word. */
	private readonly phrasePrefixes = new Map<string, Array<[string, T]>>();
	/** First words of phrases: a phrase is looked for only where one starts. */
	private readonly phraseStarts = new Set<string>();
	/** Every strict beginning of a phrase (in words): a key is extended only while it is one of them. */
	private readonly phraseHeads = new Set<string>();
	/** Prefix entries by their first two letters, longest first: most words start with none of them. */
	private readonly prefixesByHead = new Map<number, Array<[string, T]>>();
	private maxPhrase = 1;
	readonly stemmed: boolean;

	constructor(
		entries: Iterable<[string, T]>,
		options: { stemmed?: boolean; merge?: (a: T, b: T) => T } = {}
	) {
		this.stemmed = options.stemmed ?? false;
		const put = (map: Map<string, T>, key: string, value: T) => {
			const old = map.get(key);
			map.set(key, old !== undefined && options.merge ? options.merge(old, value) : value);
		};
		for (const [raw, value] of entries) {
			const isPrefix = raw.trim().endsWith('*');
			const toks = entryTokens(isPrefix ? raw.trim().slice(0, -1) : raw, this.stemmed && !isPrefix);
			if (toks.length === 0) continue;
			if (toks.length === 1) {
				if (isPrefix) put(this.prefixes, toks[0], value);
				else put(this.words, toks[0], value);
				continue;
			}
			this.maxPhrase = Math.max(this.maxPhrase, toks.length);
			this.phraseStarts.add(toks[0]);
			for (let j = 1; j < toks.length; j++) this.phraseHeads.add(toks.slice(0, j).join(' '));
			if (isPrefix) {
				const key = toks.slice(0, -1).join(' ');
				const list = this.phrasePrefixes.get(key) ?? [];
				list.push([toks[toks.length - 1], value]);
				this.phrasePrefixes.set(key, list);
			} else put(this.phrases, toks.join(' '), value);
		}
		for (const [p, value] of this.prefixes) {
			const head = headOf(p);
			const list = this.prefixesByHead.get(head) ?? [];
			list.push([p, value]);
			this.prefixesByHead.set(head, list);
		}
		for (const list of this.prefixesByHead.values())
			list.sort((a, b) => b[0].length - a[0].length || (a[0] < b[0] ? -1 : 1));
	}

	/** True when the word is an entry of its own (no prefix, no phrase). */
	hasWord(w: string): boolean {
		return this.words.has(w);
	}

	/** Looks up one word (folded). */
	word(w: string, stemmedForm?: string): T | undefined {
		const exact = this.words.get(this.stemmed ? (stemmedForm ?? stem(w)) : w);
		if (exact !== undefined) return exact;
		if (this.stemmed && stemmedForm === undefined) {
			const plain = this.words.get(w);
			if (plain !== undefined) return plain;
		}
		if (this.prefixesByHead.size === 0) return undefined;
		const list = this.prefixesByHead.get(headOf(w));
		if (list === undefined) return undefined;
		for (const [p, v] of list) if (p.length <= w.length && w.startsWith(p)) return v;
		return undefined;
	}

	/** Longest match starting at token `i` (words and numbers only; a phrase does not cross other tokens). */
	at(tokens: readonly Token[], i: number, stems?: readonly string[]): LexiconMatch<T> | undefined {
		const t = tokens[i];
		if (t.kind !== 'word' && t.kind !== 'number') return undefined;
		const first = this.maxPhrase > 1 ? this.key(tokens, i, stems) : '';
		if (this.maxPhrase > 1 && this.phraseStarts.has(first)) {
			let key = first;
			const keys: string[] = [key];
			for (let j = i + 1; j < tokens.length && j - i < this.maxPhrase && this.phraseHeads.has(key); j++) {
				const tj = tokens[j];
				if (tj.kind !== 'word' && tj.kind !== 'number') break;
				key += ' ' + this.key(tokens, j, stems);
				keys.push(key);
			}
			for (let n = keys.length; n >= 2; n--) {
				const v = this.phrases.get(keys[n - 1]);
				if (v !== undefined) return { value: v, index: i, length: n };
				const list = this.phrasePrefixes.get(keys[n - 2]);
				if (list) {
					const last = tokens[i + n - 1].norm;
					for (const [p, val] of list) if (last.startsWith(p)) return { value: val, index: i, length: n };
				}
			}
		}
		const v = this.word(t.norm, stems?.[i]);
		return v === undefined ? undefined : { value: v, index: i, length: 1 };
	}

	/** All non-overlapping matches, left to right, longest first. */
	scan(tokens: readonly Token[], stems?: readonly string[]): LexiconMatch<T>[] {
		const out: LexiconMatch<T>[] = [];
		for (let i = 0; i < tokens.length;) {
			const m = this.at(tokens, i, stems);
			if (m) {
				out.push(m);
				i += m.length;
			} else i++;
		}
		return out;
	}

	private key(tokens: readonly Token[], i: number, stems?: readonly string[]): string {
		return this.stemmed ? (stems?.[i] ?? stem(tokens[i].norm)) : tokens[i].norm;
	}
}
