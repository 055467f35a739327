/** Polarity and strength from lexicons, with negation, intensity, contrast, emojis and sarcasm. */
import type { Token } from './text';
import type { Lexicon } from './lexicon';
import type { Polarity, Span } from './types';
import {
	CONTRAST_AFTER,
	CONTRAST_AFTER_PHRASES,
	CONTRAST_CONCESSIVE,
	DIMINISHERS,
	INTENSIFIERS,
	NE,
	NEGATORS,
	SARCASM_RE,
	WEAK_NEGATORS
} from './data/cues';
import { EMOJI_VALENCE, FALSE_FRIENDS, HASHTAG_PARTS } from './data/sentiment';

export interface Contribution {
	value: number;
	index: number;
	length: number;
	sentence: number;
	negated: boolean;
}

export interface SentimentResult {
	polarity: Polarity;
	score: number;
	raw: number;
	confidence: number;
	contributions: Contribution[];
	sarcasm: Span | null;
	negations: number;
}

/** Score threshold between neutral and a polarity. */
export const NEUTRAL_BAND = 0.2;
const ALPHA = 8;

/** Valence of a negator that negates no lexicon word. */
const UNATTACHED_NEGATION = -0.6;
const POLITE = new Set(['thanks', 'thank', 'thx', 'tks', 'ty', 'merci', 'cheers']);
const REQUEST_RE =
	/\?|\b(please|pls|plz|could you|can you|would you|can i|could i|how (do|can) i|merci de|pouvez-vous|pourriez-vous|svp|s'il vous plait)\b/;

function isRequest(folded: string): boolean {
	return REQUEST_RE.test(folded);
}

function hashtagValence(tag: string): number {
	if (tag.length < 5) return 0;
	for (const [part, v] of HASHTAG_PARTS) {
		const at = tag.indexOf(part);
		if (at < 0) continue;
		const flipped = at > 0 && /^(not|no|pas)/.test(tag) && !part.startsWith('no');
		return flipped ? -v * 0.8 : v;
	}
	return 0;
}

const ASKING_STARTS = new Set([
	'is',
	'are',
	'can',
	'could',
	'will',
	'would',
	'should',
	'do',
	'does',
	'did',
	'any',
	'how',
	'what',
	'when',
	'where',
	'which',
	'who',
	'may',
	'has',
	'have',
	'est-ce',
	'quand',
	'comment',
	'ou',
	'quel',
	'quelle',
	'pouvez-vous',
	'peut-on',
	'puis-je',
	'y',
	'avez-vous',
	'est-il',
	'combien'
]);

/** Sentences that ask (end with "?" and open with a question word other than "why"). */
function questionSentences(tokens: readonly Token[]): Set<number> {
	const first = new Map<number, string>();
	const asks = new Set<number>();
	for (const t of tokens) {
		if (t.kind === 'word' && !first.has(t.sentence)) first.set(t.sentence, t.norm);
		if (t.kind === 'punct' && t.norm.includes('?')) asks.add(t.sentence);
	}
	for (const s of [...asks]) if (!ASKING_STARTS.has(first.get(s) ?? '')) asks.delete(s);
	return asks;
}

/** Whether the negator at `i` has a lexicon word in its scope (the next three words of the sentence). */
function negatesSomething(
	tokens: readonly Token[],
	i: number,
	primary: Lexicon<number>,
	secondary: Lexicon<number> | null
): boolean {
	for (let j = i + 1; j <= i + 3 && j < tokens.length; j++) {
		const t = tokens[j];
		if (t.sentence !== tokens[i].sentence || t.kind === 'punct') return false;
		if (t.kind !== 'word') continue;
		if (primary.at(tokens, j) || secondary?.at(tokens, j)) return true;
	}
	return false;
}

export function emojiKey(s: string): string {
	return s.replace(/[\ufe0f\u200d]|\ud83c[\udffb-\udfff]/g, '');
}

function isNegator(tokens: readonly Token[], j: number): boolean {
	const w = tokens[j].norm;
	if (NEGATORS.has(w)) return true;
	if (WEAK_NEGATORS.has(w)) {
		for (let k = Math.max(0, j - 3); k < j; k++) if (NE.has(tokens[k].norm)) return true;
	}
	return false;
}

const CONTRAST_PHRASES = CONTRAST_AFTER_PHRASES.map((p) => p.split(' '));

export function scoreSentiment(
	folded: string,
	tokens: readonly Token[],
	primary: Lexicon<number>,
	secondary: Lexicon<number> | null,
	secondaryWeight: number
): SentimentResult {
	const contributions: Contribution[] = [];
	let negations = 0;
	// Contrast positions: [token index, sentence, kind].
	const contrasts: Array<{ index: number; sentence: number; first: boolean }> = [];
	const concessive: number[] = [];
	for (let i = 0; i < tokens.length; i++) {
		const t = tokens[i];
		if (t.kind !== 'word') continue;
		const prev = tokens[i - 1];
		const first = !prev || prev.sentence !== t.sentence || prev.kind === 'punct';
		if (CONTRAST_AFTER.has(t.norm)) contrasts.push({ index: i, sentence: t.sentence, first });
		else if (CONTRAST_CONCESSIVE.has(t.norm)) concessive.push(i);
		else if (t.norm === 'even' && tokens[i + 1]?.norm === 'though') concessive.push(i);
		else if (t.norm === 'bien' && tokens[i + 1]?.norm === 'que') concessive.push(i);
		else
			for (const p of CONTRAST_PHRASES)
				if (t.norm === p[0] && tokens[i + 1]?.norm === p[1])
					contrasts.push({ index: i + 1, sentence: t.sentence, first });
	}

	for (let i = 0; i < tokens.length;) {
		const t = tokens[i];
		if (t.kind === 'emoji' || t.kind === 'emoticon') {
			const v = EMOJI_VALENCE[t.kind === 'emoji' ? emojiKey(t.norm) : t.norm];
			if (v !== undefined)
				contributions.push({ value: v, index: i, length: 1, sentence: t.sentence, negated: false });
			i++;
			continue;
		}
		if (t.kind !== 'word') {
			i++;
			continue;
		}
		let m = primary.at(tokens, i);
		let weight = 1;
		if (!m && secondary && !FALSE_FRIENDS.has(t.norm)) {
			m = secondary.at(tokens, i);
			weight = secondaryWeight;
		}
		if (!m) {
			const h = folded.charCodeAt(t.start - 1) === 35 /* # */ ? hashtagValence(t.norm) : 0;
			if (h !== 0)
				contributions.push({ value: h, index: i, length: 1, sentence: t.sentence, negated: false });
			else if (isNegator(tokens, i) && !negatesSomething(tokens, i, primary, secondary))
				// "won't tell us", "didn't get": in feedback, a negated plain verb is usually a problem.
				contributions.push({
					value: UNATTACHED_NEGATION,
					index: i,
					length: 1,
					sentence: t.sentence,
					negated: false
				});
			i++;
			continue;
		}
		let v = m.value * weight;
		// Thanks closing a request ("can you check my booking? Thanks") is politeness, not praise.
		if (v > 0 && POLITE.has(t.norm) && isRequest(folded)) v *= 0.25;
		// Modifiers in the three words before, within the sentence.
		let negated = false;
		let scale = 1;
		for (let j = i - 1; j >= Math.max(0, i - 3); j--) {
			const p = tokens[j];
			if (p.sentence !== t.sentence || p.kind === 'punct') break;
			if (CONTRAST_AFTER.has(p.norm)) break;
			const two = j > 0 ? tokens[j - 1].norm + ' ' + p.norm : '';
			if (two && DIMINISHERS[two] !== undefined) {
				const f = DIMINISHERS[two];
				if (f < 0) negated = true;
				scale *= Math.abs(f) + (f < 0 ? 0.6 : 0);
				j--;
				continue;
			}
			if (isNegator(tokens, j)) {
				negated = !negated;
				continue;
			}
			if (j === i - 1 || j === i - 2) {
				const inc = INTENSIFIERS[p.norm];
				if (inc !== undefined) scale *= 1 + inc;
				const dim = DIMINISHERS[p.norm];
				if (dim !== undefined) {
					if (dim < 0) negated = !negated;
					scale *= Math.abs(dim) + (dim < 0 ? 0.6 : 0);
				}
			}
		}
		// "pas du tout", "not at all" after the word strengthen a negation.
		const after = tokens[i + m.length];
		if (
			after &&
			(after.norm === 'du' || after.norm === 'at') &&
			(tokens[i + m.length + 1]?.norm === 'tout' || tokens[i + m.length + 1]?.norm === 'all')
		)
			scale *= 1.2;
		if (t.caps) scale *= 1.4;
		if (t.elongated) scale *= 1.2;
		if (negated) {
			negations++;
			v *= v > 0 ? -0.75 : -0.55;
		}
		v *= scale;
		contributions.push({ value: v, index: i, length: m.length, sentence: t.sentence, negated });
		i += m.length;
	}

	// Contrast: the clause after "but" counts more, the one before less.
	for (const c of contrasts) {
		for (const k of contributions) {
			if (k.sentence === c.sentence) k.value *= k.index > c.index ? 1.5 : 0.5;
			else if (c.first && k.sentence === c.sentence - 1) k.value *= 0.5;
		}
	}
	for (const ci of concessive) {
		const s = tokens[ci].sentence;
		let end = tokens.length;
		for (let j = ci + 1; j < tokens.length; j++)
			if (tokens[j].sentence !== s || tokens[j].norm === ',') {
				end = j;
				break;
			}
		for (const k of contributions) if (k.index > ci && k.index < end) k.value *= 0.5;
	}

	// Problems asked about ("is my flight delayed?", "will it be cancelled?") are information requests.
	const asking = questionSentences(tokens);
	for (const k of contributions) if (k.value < 0 && k.value > -3 && asking.has(k.sentence)) k.value *= 0.5;

	// "… and they never came. Awesome!": a short, purely positive sentence after a negative one.
	const bySentence = new Map<number, Contribution[]>();
	for (const k of contributions) {
		const list = bySentence.get(k.sentence);
		if (list) list.push(k);
		else bySentence.set(k.sentence, [k]);
	}
	const wordsIn = new Map<number, number>();
	for (const t of tokens) if (t.kind === 'word') wordsIn.set(t.sentence, (wordsIn.get(t.sentence) ?? 0) + 1);
	let before = 0;
	const sentences = [...bySentence.keys()].sort((a, b) => a - b);
	for (const sn of sentences) {
		const ks = bySentence.get(sn)!;
		const sum = ks.reduce((x, k) => x + k.value, 0);
		const words = wordsIn.get(sn) ?? 0;
		if (before <= -1.5 && words <= 3 && ks.every((k) => k.value > 0)) for (const k of ks) k.value *= -0.6;
		else before += sum;
	}

	let sarcasm: Span | null = null;
	const sm = SARCASM_RE.exec(folded);
	if (sm) {
		sarcasm = { start: sm.index, end: sm.index + sm[0].length, text: sm[0] };
		for (const k of contributions) if (k.value > 0) k.value *= -0.6;
		contributions.push({ value: -1.5, index: -1, length: 0, sentence: -1, negated: false });
	}

	let raw = 0;
	for (const k of contributions) raw += k.value;
	// Exclamation marks push further in the direction already taken; "?!" and "??" lean negative.
	let excl = 0;
	for (const t of tokens)
		if (t.kind === 'punct' && t.norm.includes('!')) excl += Math.min(3, (t.norm.match(/!/g) ?? []).length);
	if (raw !== 0) raw *= 1 + 0.08 * Math.min(4, excl);
	if (/\?[!?]|![?]/.test(folded)) raw -= 0.4;

	const score = raw / Math.sqrt(raw * raw + ALPHA);
	const abs = Math.abs(score);
	const polarity: Polarity = abs < NEUTRAL_BAND ? 'neutral' : score > 0 ? 'positive' : 'negative';
	const evidence = contributions.length;
	const confidence =
		polarity === 'neutral'
			? evidence === 0
				? 0.7
				: 0.5 + 0.3 * (1 - abs / NEUTRAL_BAND)
			: Math.min(
					0.97,
					0.55 + 0.45 * Math.min(1, (abs - NEUTRAL_BAND) / 0.5) * Math.min(1, 0.5 + evidence / 4)
				);
	return { polarity, score, raw, confidence, contributions, sarcasm, negations };
}
