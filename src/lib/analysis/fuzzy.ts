/** Catalogue and place matching tolerant of case, accents and small typos. */
import { editDistance, type Token } from './text';
import { entryTokens } from './lexicon';

export interface IndexedName {
	id: string;
	name: string;
	/** Folded words of this name or alias. */
	words: string[];
	alias: boolean;
	/** Match only when written with a capital (city names that are also common words). */
	needsCapital?: boolean;
	/** Match only when written exactly in capitals (LA, SF, DC). */
	needsUpper?: boolean;
	/** A common word too ("Nice", "Tours"): a sentence-initial capital is not enough. */
	notInitial?: boolean;
}

export interface FuzzyHit {
	entry: IndexedName;
	index: number;
	length: number;
	distance: number;
}

/** Typos allowed in a word of this length. */
export function allowedTypos(len: number): number {
	return len >= 9 ? 2 : len >= 5 ? 1 : 0;
}

function deletes(w: string): string[] {
	const out: string[] = [];
	for (let i = 0; i < w.length; i++) out.push(w.slice(0, i) + w.slice(i + 1));
	return out;
}

/**
 * Index of names with their aliases. Exact lookups by first word; typo lookups through a deletion
 * neighbourhood of first words (SymSpell-style), so matching costs a few map lookups per text word.
 */
export class NameIndex {
	private readonly byFirst = new Map<string, IndexedName[]>();
	private readonly byDelete = new Map<string, IndexedName[]>();
	private readonly memo = new Map<string, IndexedName[]>();
	/** Lengths of text words that can be a typo of some first word. */
	private readonly firstLengths = new Set<number>();
	readonly size: number;

	constructor(
		entries: IndexedName[],
		private readonly fuzzy = true
	) {
		for (const e of entries) {
			if (e.words.length === 0) continue;
			const first = e.words[0];
			push(this.byFirst, first, e);
			for (let d = -2; d <= 2; d++) this.firstLengths.add(first.length + d);
			if (fuzzy && allowedTypos(first.length) > 0) {
				const d1 = deletes(first);
				for (const d of d1) push(this.byDelete, d, e);
				push(this.byDelete, first, e);
				if (allowedTypos(first.length) > 1)
					for (const d of d1) for (const dd of deletes(d)) push(this.byDelete, dd, e);
			}
		}
		for (const list of this.byFirst.values()) list.sort((a, b) => b.words.length - a.words.length);
		this.size = entries.length;
	}

	static fromItems(
		items: ReadonlyArray<{ id: string; name: string; aliases?: string[] }>,
		fuzzy = true
	): NameIndex {
		const entries: IndexedName[] = [];
		for (const it of items) {
			entries.push({ id: it.id, name: it.name, words: entryTokens(it.name), alias: false });
			for (const a of it.aliases ?? [])
				entries.push({ id: it.id, name: it.name, words: entryTokens(a), alias: true });
		}
		return new NameIndex(entries, fuzzy);
	}

	/** Finds names in the tokens; `raw` is the analysed text (for capital checks). */
	find(tokens: readonly Token[], raw: string, skipWords?: ReadonlySet<string>): FuzzyHit[] {
		const hits: FuzzyHit[] = [];
		for (let i = 0; i < tokens.length;) {
			const t = tokens[i];
			if (t.kind !== 'word' && t.kind !== 'number') {
				i++;
				continue;
			}
			const best = this.bestAt(tokens, i, raw, skipWords);
			if (best) {
				hits.push(best);
				i += best.length;
			} else i++;
		}
		return hits;
	}

	private bestAt(
		tokens: readonly Token[],
		i: number,
		raw: string,
		skipWords?: ReadonlySet<string>
	): FuzzyHit | undefined {
		const w = tokens[i].norm;
		let best: FuzzyHit | undefined;
		const exact = this.byFirst.get(w);
		if (exact) for (const e of exact) best = better(best, this.tryMatch(e, tokens, i, raw));
		if (!this.fuzzy || allowedTypos(w.length) === 0 || skipWords?.has(w) || !this.firstLengths.has(w.length))
			return best;
		for (const e of this.candidates(w)) best = better(best, this.tryMatch(e, tokens, i, raw));
		return best;
	}

	/** Names whose first word may be a typo of `w` (memoised: the same words come back all the time). */
	private candidates(w: string): readonly IndexedName[] {
		const known = this.memo.get(w);
		if (known) return known;
		const found: IndexedName[] = [];
		for (let k = -1; k < w.length; k++) {
			const list = this.byDelete.get(k < 0 ? w : w.slice(0, k) + w.slice(k + 1));
			if (list) for (const e of list) if (!found.includes(e)) found.push(e);
		}
		if (this.memo.size >= 50_000) this.memo.clear();
		this.memo.set(w, found);
		return found;
	}

	private tryMatch(e: IndexedName, tokens: readonly Token[], i: number, raw: string): FuzzyHit | undefined {
		if (i + e.words.length > tokens.length) return undefined;
		let distance = 0;
		for (let k = 0; k < e.words.length; k++) {
			const t = tokens[i + k];
			if (t.kind !== 'word' && t.kind !== 'number') return undefined;
			const want = e.words[k];
			if (t.norm === want) continue;
			// In a name of several words, a 4-letter word may carry one typo too ("carte gld").
			const allowed = this.fuzzy
				? Math.max(allowedTypos(want.length), e.words.length > 1 && want.length >= 4 ? 1 : 0)
				: 0;
			if (allowed === 0) return undefined;
			const d = editDistance(t.norm, want, allowed);
			if (d > allowed) return undefined;
			distance += d;
		}
		const first = tokens[i];
		if (e.needsUpper) {
			const s = raw.slice(first.start, first.end);
			if (s !== s.toUpperCase()) return undefined;
		}
		if (e.needsCapital) {
			const c = raw[first.start];
			if (c === c.toLowerCase()) return undefined;
		}
		if (e.notInitial) {
			// Sentence-initial capitals say nothing ("Nice flight!").
			const prev = tokens[i - 1];
			if (!prev || prev.sentence !== first.sentence || prev.kind === 'punct') return undefined;
		}
		return { entry: e, index: i, length: e.words.length, distance };
	}
}

function better(a: FuzzyHit | undefined, b: FuzzyHit | undefined): FuzzyHit | undefined {
	if (!b) return a;
	if (!a || b.length > a.length || (b.length === a.length && b.distance < a.distance)) return b;
	return a;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V) {
	const list = map.get(key);
	if (list) list.push(value);
	else map.set(key, [value]);
}
