/** The analysis pipeline: rules first, then the workspace's learned corrections blended in. */
import * as chrono from 'chrono-node';
import {
	EMOTIONS,
	INTENTS,
	POLARITIES,
	STAGE_GROUPS,
	type Analysis,
	type AnalysisContext,
	type DateEntity,
	type Decision,
	type Emotion,
	type EntityMatch,
	type Intent,
	type IntentDecision,
	type ItemMeta,
	type Language,
	type LearnedModel,
	type LinearTask,
	type Motive,
	type MotiveMatch,
	type PlaceEntity,
	type Polarity,
	type Span,
	type StageGroup,
	type TouchpointMatch
} from './types';
import { MAX_CHARS, cleanText, fold, stem, tokenize, type Token } from './text';
import { Lexicon, entryTokens } from './lexicon';
import { NameIndex, type IndexedName } from './fuzzy';
import { detectLanguage } from './language';
import { NEUTRAL_BAND, scoreSentiment, emojiKey, type SentimentResult } from './sentiment';
import { predict, type Features } from './learn';
import { SENTIMENT_EN, SENTIMENT_FR, parseLexicon } from './data/sentiment';
import {
	COMPLAINT_CUES,
	OPINION_CUES,
	PRAISE_CUES,
	QUESTION_CUES,
	SUGGESTION_CUES,
	type IntentCue
} from './data/cues';
import { EMOTION_CUES } from './data/emotions';
import { NEGATORS } from './data/cues';
import { STAGE_CUES, CHANNEL_CUES } from './data/stages';
import { DEFAULT_MOTIVES } from './data/motives';
import { CITIES } from './data/places';
import { FUNCTION_WORDS } from './data/stopwords';

// ---- Immutable data compiled once per process (or worker) --------------------------------------

const SENT_EN = new Lexicon(parseLexicon(SENTIMENT_EN));
const SENT_FR = new Lexicon(parseLexicon(SENTIMENT_FR));

function multiLexicon<K extends string>(
	groups: Record<K, string>,
	stemmed = false
): Lexicon<Array<[K, number]>> {
	const entries: Array<[string, Array<[K, number]>]> = [];
	for (const key of Object.keys(groups) as K[])
		for (const [w, v] of parseLexicon(groups[key])) entries.push([w, [[key, v]]]);
	return new Lexicon(entries, { stemmed, merge: (a, b) => [...a, ...b] });
}

const EMOTION_LEX = multiLexicon(EMOTION_CUES);
const STAGE_LEX = multiLexicon(STAGE_CUES);
const CHANNEL_LEX = new Lexicon(
	Object.entries(CHANNEL_CUES).flatMap(([ch, words]) => words.map((w): [string, string[]] => [w, [ch]])),
	{ merge: (a, b) => [...a, ...b] }
);
const COMMON_WORDS: ReadonlySet<string> = new Set(
	Object.values(FUNCTION_WORDS).flatMap((s) => s.split(/\s+/).map((w) => fold(w)))
);
const AMBIGUOUS_CITIES = new Set([
	'nice',
	'tours',
	'valence',
	'vienne',
	'pau',
	'orange',
	'mobile',
	'reading',
	'lima',
	'mexico',
	'santiago',
	'richmond',
	'columbus',
	'providence',
	'buffalo',
	'phoenix',
	'portland'
]);
const CITY_INDEX = new NameIndex(
	CITIES.map((name): IndexedName => {
		const short = name.length <= 3 && name === name.toUpperCase();
		return {
			id: `city:${fold(name).replace(/[^a-z0-9]+/g, '-')}`,
			name,
			words: entryTokens(name),
			alias: false,
			needsCapital: true,
			needsUpper: short,
			notInitial: AMBIGUOUS_CITIES.has(fold(name))
		};
	}),
	false
);

interface CompiledMotives {
	motives: readonly Motive[];
	lexicon: Lexicon<string[]>;
	hasOther: boolean;
}

function compileMotives(motives: readonly Motive[]): CompiledMotives {
	const entries: Array<[string, string[]]> = [];
	for (const m of motives) for (const k of m.keywords ?? []) entries.push([k, [m.id]]);
	return {
		motives,
		lexicon: new Lexicon(entries, { merge: (a, b) => (a.includes(b[0]) ? a : [...a, ...b]) }),
		hasOther: motives.some((m) => m.id === 'other')
	};
}

const DEFAULT_COMPILED_MOTIVES = compileMotives(DEFAULT_MOTIVES);

// Cheap test for "may contain a date" before calling chrono. Words that are also common words ("may",
// "last", "il y a") only count in a date-like phrase.
const DATE_HINT = new RegExp(
	[
		String.raw`\b\d{1,2}[/.-]\d{1,2}\b`,
		String.raw`\b\d{1,2}\s?(h|:)\s?\d{0,2}`,
		String.raw`\b\d{1,2}\s?(am|pm|a\.m\.|p\.m\.)`,
		String.raw`\b\d{1,2}(st|nd|rd|th|er)?\s+(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|janv|fev|mars|avr|mai|juin|juil|aout|sept)`,
		String.raw`\b(19|20)\d\d\b`,
		String.raw`\b(today|tonight|yesterday|tomorrow|monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|march|april|june|july|august|september|october|november|december|noon|midnight|hier|demain|aujourd|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|janvier|fevrier|avril|juillet|septembre|octobre|novembre|decembre|midi|minuit|week-end)\b`,
		String.raw`\b(last|next|this|past) (week|month|year|night|morning|evening|weekend)\b|\b\d+ (days?|weeks?|months?|hours?) ago\b`,
		String.raw`\b(ce|hier|demain) (matin|soir|apres-midi)\b|\b(la semaine|le mois|l'an|l'annee) (derniere?|prochaine?)\b|\bil y a (\d+|un|une|deux|trois|quelques) (jours?|semaines?|mois|heures?|ans?)\b`
	].join('|')
);
const DATE_CHARS = 5_000;

// ---- Helpers ---------------------------------------------------------------------------------

function r3(x: number): number {
	return Math.round(x * 1000) / 1000;
}

function clamp01(x: number): number {
	return x < 0 ? 0 : x > 1 ? 1 : x;
}

function spanOf(text: string, tokens: readonly Token[], index: number, length: number): Span {
	const start = tokens[index].start;
	const end = tokens[index + Math.max(1, length) - 1].end;
	return { start, end, text: text.slice(start, end) };
}

function uniqueSpans(spans: Span[], max = 6): Span[] {
	const seen = new Set<string>();
	const out: Span[] = [];
	for (const s of spans.sort((a, b) => a.start - b.start)) {
		const key = `${s.start}:${s.end}`;
		if (seen.has(key)) continue;
		seen.add(key);
		out.push(s);
		if (out.length >= max) break;
	}
	return out;
}

function cueHits(cues: readonly IntentCue[], folded: string, text: string): { score: number; spans: Span[] } {
	let score = 0;
	const spans: Span[] = [];
	for (const cue of cues) {
		let n = 0;
		// exec on the cue's own global regex (reset before and after): matchAll would clone it every call.
		const re = cue.re;
		re.lastIndex = 0;
		let m: RegExpExecArray | null;
		while ((m = re.exec(folded))) {
			if (m[0].length === 0) re.lastIndex++;
			if (++n > 4) break;
			const lead = m[1] ?? '';
			const start = m.index + (cue.re.source.startsWith('(^') ? lead.length : 0);
			const end = m.index + m[0].length;
			if (end > start) spans.push({ start, end, text: text.slice(start, end) });
			score += cue.weight;
		}
		re.lastIndex = 0;
	}
	return { score, spans };
}

function toDate(v: Date | string | number | undefined): Date {
	if (v === undefined) return new Date(0);
	const d = v instanceof Date ? v : new Date(v);
	return Number.isNaN(d.getTime()) ? new Date(0) : d;
}

// ---- The analyzer -----------------------------------------------------------------------------

/** Rule decisions before blending, plus what learning needs. */
export interface Inspection {
	analysis: Analysis;
	features: Features;
}

/** An analyzer bound to one workspace context (compiled once, reused for every item). */
export interface Analyzer {
	readonly context: AnalysisContext;
	analyze(text: string, meta?: ItemMeta): Analysis;
	/** Rule-only analysis with the learning features of the item. */
	inspect(text: string, meta?: ItemMeta): Inspection;
}

interface CompiledTouchpoints {
	lexicon: Lexicon<Array<[number, number]>>;
	byProduct: Map<string, number[]>;
}

function compileTouchpoints(context: AnalysisContext): CompiledTouchpoints | null {
	const tps = context.touchpoints ?? [];
	if (tps.length === 0) return null;
	const productNames = new Map<string, string[]>();
	for (const p of context.products ?? []) productNames.set(p.id, [p.name, ...(p.aliases ?? [])]);
	const perTp: Array<Set<string>> = tps.map((tp) => {
		const phrases = new Set<string>();
		for (const raw of [tp.title, ...(tp.keywords ?? [])]) {
			const words = fold(raw)
				.split(/[^a-z0-9'*-]+/)
				.filter((w) => w.length > 1 && !COMMON_WORDS.has(w));
			if (words.length > 1) phrases.add(fold(raw).trim());
			for (const w of words) phrases.add(w);
		}
		return phrases;
	});
	const df = new Map<string, number>();
	for (const set of perTp) for (const p of set) df.set(p, (df.get(p) ?? 0) + 1);
	const entries: Array<[string, Array<[number, number]>]> = [];
	perTp.forEach((set, i) => {
		for (const p of set) {
			const idf = Math.log(1 + tps.length / (df.get(p) ?? 1));
			const phraseBonus = p.includes(' ') ? 1.5 : 1;
			entries.push([p, [[i, r3(idf * phraseBonus)]]]);
		}
	});
	const byProduct = new Map<string, number[]>();
	tps.forEach((tp, i) => {
		for (const pid of tp.products ?? []) byProduct.set(pid, [...(byProduct.get(pid) ?? []), i]);
	});
	return { lexicon: new Lexicon(entries, { stemmed: true, merge: (a, b) => [...a, ...b] }), byProduct };
}

/** Compiles a workspace context into a reusable analyzer. */
export function createAnalyzer(context: AnalysisContext = {}): Analyzer {
	const motives = context.motives ? compileMotives(context.motives) : DEFAULT_COMPILED_MOTIVES;
	const products = NameIndex.fromItems(context.products ?? []);
	const places = NameIndex.fromItems(context.places ?? []);
	const touchpoints = compileTouchpoints(context);
	const tpList = context.touchpoints ?? [];
	const motiveStage = new Map<string, StageGroup>();
	for (const m of motives.motives) if (m.stage) motiveStage.set(m.id, m.stage);
	const timezone = context.timezoneOffset ?? 0;

	function run(input: string, meta: ItemMeta, wantFeatures: boolean): Inspection {
		let text = cleanText(typeof input === 'string' ? input : '');
		let truncated = false;
		if (text.length > MAX_CHARS) {
			const cut = text.lastIndexOf(' ', MAX_CHARS);
			text = text.slice(0, cut > MAX_CHARS * 0.9 ? cut : MAX_CHARS);
			truncated = true;
		}
		const folded = fold(text);
		const tokens = tokenize(folded, text);
		const stems = tokens.map((t) => (t.kind === 'word' ? stem(t.norm) : t.norm));

		// Language.
		const lexHits: { fr: number; en: number } = { fr: 0, en: 0 };
		for (let i = 0, n = 0; i < tokens.length && n < 60; i++) {
			const t = tokens[i];
			if (t.kind !== 'word') continue;
			n++;
			const inEn = SENT_EN.hasWord(t.norm);
			const inFr = SENT_FR.hasWord(t.norm);
			if (inEn && !inFr) lexHits.en++;
			else if (inFr && !inEn) lexHits.fr++;
		}
		const lang = detectLanguage(text, tokens, { lexiconHits: lexHits });
		const language: Decision<Language> = { value: lang.value, confidence: lang.confidence, spans: [] };

		// Polarity.
		const frFirst = lang.value === 'fr';
		const top = Math.max(lang.scores.fr, lang.scores.en);
		const mixed = Math.min(lang.scores.fr, lang.scores.en) >= 0.4 * top && top > 0;
		const sent = scoreSentiment(
			folded,
			tokens,
			frFirst ? SENT_FR : SENT_EN,
			frFirst ? SENT_EN : SENT_FR,
			mixed || lang.value === 'unknown' ? 1 : 0.7
		);
		const polSpans = sent.contributions
			.filter((c) => c.index >= 0 && Math.sign(c.value) === Math.sign(sent.score) && Math.abs(c.value) >= 0.4)
			.sort((a, b) => Math.abs(b.value) - Math.abs(a.value))
			.slice(0, 5)
			.map((c) => spanOf(text, tokens, c.index, c.length));
		if (sent.sarcasm) polSpans.push(sent.sarcasm);

		// Motives.
		const motiveScore = new Map<string, { score: number; spans: Span[] }>();
		for (const m of motives.lexicon.scan(tokens)) {
			for (const id of m.value) {
				const cur = motiveScore.get(id) ?? { score: 0, spans: [] };
				cur.score += m.length > 1 ? 1.5 : 1;
				cur.spans.push(spanOf(text, tokens, m.index, m.length));
				motiveScore.set(id, cur);
			}
		}
		const motiveList: MotiveMatch[] = [...motiveScore.entries()]
			.map(([id, v]) => ({
				id,
				confidence: r3(clamp01((1 - Math.exp(-v.score / 1.5)) * (sent.polarity === 'neutral' ? 0.8 : 0.95))),
				spans: uniqueSpans(v.spans)
			}))
			.filter((m) => m.confidence >= 0.3)
			.sort((a, b) => b.confidence - a.confidence || a.id.localeCompare(b.id));
		if (motiveList.length === 0 && motives.hasOther && sent.polarity === 'negative')
			motiveList.push({ id: 'other', confidence: 0.3, spans: [] });

		// Intent.
		const intent = decideIntent(text, folded, tokens, sent, motiveList.length > 0);

		// Emotions.
		const emotions = decideEmotions(text, tokens, sent);

		// Entities.
		const receivedAt = toDate(meta.receivedAt);
		const dates = findDates(text, folded, lang.value, receivedAt, timezone);
		const productHits: EntityMatch[] = products.size
			? products.find(tokens, text, COMMON_WORDS).map((h) => ({
					id: h.entry.id,
					name: h.entry.name,
					match: h.distance > 0 ? 'fuzzy' : h.entry.alias ? 'alias' : 'exact',
					confidence: r3(h.distance > 0 ? Math.max(0.5, 0.8 - 0.1 * h.distance) : h.entry.alias ? 0.9 : 0.95),
					spans: [spanOf(text, tokens, h.index, h.length)]
				}))
			: [];
		const placeHits: PlaceEntity[] = [
			...(places.size ? places.find(tokens, text, COMMON_WORDS) : []).map((h) => ({
				id: h.entry.id,
				name: h.entry.name,
				match: (h.distance > 0 ? 'fuzzy' : h.entry.alias ? 'alias' : 'exact') as EntityMatch['match'],
				confidence: r3(h.distance > 0 ? 0.7 : 0.95),
				spans: [spanOf(text, tokens, h.index, h.length)],
				source: 'workspace' as const
			})),
			...CITY_INDEX.find(tokens, text).map((h) => ({
				id: h.entry.id,
				name: h.entry.name,
				match: 'exact' as const,
				confidence: h.entry.notInitial ? 0.6 : 0.85,
				spans: [spanOf(text, tokens, h.index, h.length)],
				source: 'city' as const
			}))
		];

		// Stage (without the touchpoint), then touchpoint, then stage again with the touchpoint's.
		const stageScore: Record<StageGroup, number> = { 'pre-sale': 0, sale: 0, 'after-sale': 0 };
		const stageSpans: Record<StageGroup, Span[]> = { 'pre-sale': [], sale: [], 'after-sale': [] };
		for (const m of STAGE_LEX.scan(tokens)) {
			for (const [g, w] of m.value) {
				stageScore[g] += w;
				stageSpans[g].push(spanOf(text, tokens, m.index, m.length));
			}
		}
		for (const mm of motiveList) {
			const g = motiveStage.get(mm.id);
			if (g) stageScore[g] += 0.5 * mm.confidence;
		}
		if (intent.value === 'complaint') stageScore['after-sale'] += 0.3;
		const tp = matchTouchpoints(text, tokens, stems, meta, productHits, stageScore);
		if (tp.best)
			stageScore[tpList[tpList.findIndex((t) => t.id === tp.best!.id)].stage] += 1.5 * tp.best.confidence;
		const stage = decideStage(stageScore, stageSpans);

		const analysis: Analysis = {
			text,
			truncated,
			language,
			polarity: {
				value: sent.polarity,
				score: r3(sent.score),
				confidence: r3(sent.confidence),
				spans: uniqueSpans(polSpans)
			},
			emotions,
			intent,
			entities: { dates, places: placeHits, products: productHits },
			motives: motiveList,
			stage,
			touchpoint: tp,
			learned: []
		};
		if (!wantFeatures) return { analysis, features: new Map() };
		const features = featuresOf(tokens, stems, analysis, sent);
		// The default taxonomy's hits are features even for a custom taxonomy: they know delays and refunds.
		if (motives !== DEFAULT_COMPILED_MOTIVES)
			for (const m of DEFAULT_COMPILED_MOTIVES.lexicon.scan(tokens))
				for (const id of m.value) features.set('d:mot=' + id, 1);
		return { analysis, features };
	}

	function matchTouchpoints(
		text: string,
		tokens: readonly Token[],
		stems: readonly string[],
		meta: ItemMeta,
		productHits: EntityMatch[],
		stageScore: Record<StageGroup, number>
	): Analysis['touchpoint'] {
		if (!touchpoints) return { best: null, runnerUp: null };
		const score = new Float64Array(tpList.length);
		const evidence = new Float64Array(tpList.length);
		const spans: Span[][] = tpList.map(() => []);
		const seen = new Map<string, number>();
		for (const m of touchpoints.lexicon.scan(tokens, stems)) {
			const key = stems.slice(m.index, m.index + m.length).join(' ');
			const times = (seen.get(key) ?? 0) + 1;
			seen.set(key, times);
			if (times > 2) continue;
			for (const [i, w] of m.value) {
				const v = times === 1 ? w : w * 0.3;
				score[i] += v;
				evidence[i] += v;
				spans[i].push(spanOf(text, tokens, m.index, m.length));
			}
		}
		for (const p of productHits)
			for (const i of touchpoints.byProduct.get(p.id) ?? []) {
				score[i] += 2 * p.confidence;
				evidence[i] += 2 * p.confidence;
				spans[i].push(...p.spans);
			}
		const channels = new Set<string>();
		for (const m of CHANNEL_LEX.scan(tokens)) for (const c of m.value) channels.add(c);
		const stageTotal = stageScore['pre-sale'] + stageScore.sale + stageScore['after-sale'];
		tpList.forEach((tp, i) => {
			if (evidence[i] === 0) return;
			if (tp.channel && meta.channel && tp.channel === meta.channel) score[i] += 0.5;
			if (tp.channel && channels.has(tp.channel)) score[i] += 0.5;
			if (stageTotal > 0) score[i] += 0.5 * (stageScore[tp.stage] / stageTotal);
		});
		const order = tpList
			.map((_, i) => i)
			.filter((i) => evidence[i] > 0)
			.sort((a, b) => score[b] - score[a] || a - b);
		const make = (i: number | undefined, other: number): TouchpointMatch | null => {
			if (i === undefined) return null;
			const s = score[i];
			const margin = s > 0 ? (s - other) / s : 0;
			return {
				id: tpList[i].id,
				score: r3(s),
				confidence: r3(clamp01((1 - Math.exp(-s / 1.5)) * (0.6 + 0.4 * margin))),
				spans: uniqueSpans(spans[i])
			};
		};
		const MIN_SCORE = 0.9;
		if (order.length === 0 || score[order[0]] < MIN_SCORE) return { best: null, runnerUp: null };
		const best = make(order[0], order[1] !== undefined ? score[order[1]] : 0);
		const runnerUp = order[1] !== undefined ? make(order[1], score[order[0]]) : null;
		return { best, runnerUp };
	}

	function analyze(text: string, meta: ItemMeta = {}): Analysis {
		const model = context.model;
		const { analysis, features } = run(text, meta, !!model);
		return model ? blend(analysis, features, model, motives.motives) : analysis;
	}

	function inspect(text: string, meta: ItemMeta = {}): Inspection {
		return run(text, meta, true);
	}

	return { context, analyze, inspect };
}

function decideIntent(
	text: string,
	folded: string,
	tokens: readonly Token[],
	sent: SentimentResult,
	hasMotive: boolean
): IntentDecision {
	const q = cueHits(QUESTION_CUES, folded, text);
	const c = cueHits(COMPLAINT_CUES, folded, text);
	const p = cueHits(PRAISE_CUES, folded, text);
	const s = cueHits(SUGGESTION_CUES, folded, text);
	const o = cueHits(OPINION_CUES, folded, text);
	const lastWord = [...tokens]
		.reverse()
		.find((t) => t.kind !== 'emoji' && t.kind !== 'url' && t.kind !== 'mention');
	const endsWithQuestion = lastWord?.kind === 'punct' && lastWord.norm.includes('?');
	const neg = sent.score < 0 ? -sent.score : 0;
	const pos = sent.score > 0 ? sent.score : 0;
	const scores: Record<Intent, number> = {
		question: Math.min(2.5, q.score) * 0.8 + (endsWithQuestion ? 0.5 : 0),
		complaint: Math.min(3, c.score) * 0.75 + neg * 2 + (neg > NEUTRAL_BAND && hasMotive ? 0.4 : 0),
		praise: sent.sarcasm ? 0 : Math.min(3, p.score) * 0.6 + pos * 1.8,
		suggestion: Math.min(3, s.score) * 0.9,
		opinion: 0.6 + Math.min(2, o.score) * 0.4
	};
	if (sent.polarity === 'positive') scores.complaint *= 0.5;
	if (sent.polarity === 'negative') scores.praise *= 0.4;
	// A negative question is a complaint asked as a question ("why is my flight delayed again?").
	if (scores.complaint > 1.2 && scores.question > 0) scores.complaint += 0.3;
	// A problem reported with a question ("can't log in, what do I do?") is a complaint first.
	if (c.score >= 1 && q.score > 0 && sent.polarity !== 'positive') scores.complaint += 0.6;
	const spans: Record<Intent, Span[]> = {
		question: q.spans,
		complaint: c.spans,
		praise: p.spans,
		suggestion: s.spans,
		opinion: o.spans
	};
	const ranked = [...INTENTS].sort(
		(a, b) => scores[b] - scores[a] || INTENTS.indexOf(a) - INTENTS.indexOf(b)
	);
	let z = 0;
	for (const i of INTENTS) z += Math.exp(2 * scores[i]);
	const conf = (i: Intent) => r3(Math.exp(2 * scores[i]) / z);
	const main = ranked[0];
	return {
		value: main,
		confidence: conf(main),
		spans: uniqueSpans(spans[main]),
		secondary: ranked
			.slice(1)
			.filter((i) => i !== 'opinion' && scores[i] >= 0.8)
			.map((i) => ({ value: i, confidence: conf(i), spans: uniqueSpans(spans[i]) }))
	};
}

function decideEmotions(text: string, tokens: readonly Token[], sent: SentimentResult): Decision<Emotion>[] {
	const score: Record<Emotion, number> = {
		joy: 0,
		trust: 0,
		surprise: 0,
		sadness: 0,
		anger: 0,
		fear: 0,
		disgust: 0,
		anticipation: 0
	};
	const spans: Record<Emotion, Span[]> = {
		joy: [],
		trust: [],
		surprise: [],
		sadness: [],
		anger: [],
		fear: [],
		disgust: [],
		anticipation: []
	};
	const negatedAt = new Set(sent.contributions.filter((c) => c.negated).map((c) => c.index));
	for (const m of EMOTION_LEX.scan(tokens)) {
		if (negatedAt.has(m.index)) continue;
		for (const [e, w] of m.value) {
			score[e] += w;
			spans[e].push(spanOf(text, tokens, m.index, m.length));
		}
	}
	for (const t of tokens) {
		if (t.kind !== 'emoji' && t.kind !== 'emoticon') continue;
		const k = emojiKey(t.norm);
		const add = (e: Emotion, w: number) => {
			score[e] += w;
			spans[e].push({ start: t.start, end: t.end, text: text.slice(t.start, t.end) });
		};
		if (/[😀😃😄😁😆😊🙂😍🥰😂🤣🥳🎉]|:\)|:d/u.test(k)) add('joy', 1.5);
		if (/[😠😡🤬😤]|>:\(/u.test(k)) add('anger', 2);
		if (/[😢😭😞😔💔]|:'?\(/u.test(k)) add('sadness', 1.5);
		if (/[😱😨😰]/u.test(k)) add('fear', 1.5);
		if (/[🤮🤢]/u.test(k)) add('disgust', 2);
		if (/[😮😲🤯]/u.test(k)) add('surprise', 1.5);
	}
	const caps = tokens.some((t) => t.caps);
	const bangs = tokens.some((t) => t.kind === 'punct' && t.norm.includes('!!'));
	if (sent.score < -0.5 && (caps || bangs)) score.anger += 1;
	if (sent.score > 0.5 && score.joy === 0 && score.trust === 0) score.joy += 0.8;
	if (sent.score < -0.5 && score.anger + score.sadness + score.disgust + score.fear === 0)
		score.sadness += 0.8;
	return EMOTIONS.map((e) => ({
		value: e,
		confidence: r3(1 - Math.exp(-score[e] / 1.5)),
		spans: uniqueSpans(spans[e], 4)
	}))
		.filter((d) => d.confidence >= 0.35)
		.sort((a, b) => b.confidence - a.confidence);
}

function decideStage(
	score: Record<StageGroup, number>,
	spans: Record<StageGroup, Span[]>
): Decision<StageGroup> {
	const ranked = [...STAGE_GROUPS].sort(
		(a, b) => score[b] - score[a] || (a === 'after-sale' ? -1 : b === 'after-sale' ? 1 : 0)
	);
	const total = score['pre-sale'] + score.sale + score['after-sale'];
	if (total === 0) return { value: 'after-sale', confidence: 0.34, spans: [] };
	const best = ranked[0];
	const share = score[best] / total;
	return {
		value: best,
		confidence: r3(clamp01(share * (1 - Math.exp(-total / 1.5)))),
		spans: uniqueSpans(spans[best])
	};
}

/** Windows of the text around date hints: chrono then reads a few dozen characters, not the whole item. */
function dateWindows(folded: string, limit: number): Array<[number, number]> {
	const re = new RegExp(DATE_HINT.source, 'g');
	const windows: Array<[number, number]> = [];
	let m: RegExpExecArray | null;
	while ((m = re.exec(folded)) && m.index < limit) {
		let start = Math.max(0, m.index - 40);
		let end = Math.min(folded.length, m.index + m[0].length + 60);
		// Widen to whole words.
		while (start > 0 && /\S/.test(folded[start - 1])) start--;
		while (end < folded.length && /\S/.test(folded[end])) end++;
		const last = windows[windows.length - 1];
		if (last && start <= last[1]) last[1] = Math.max(last[1], end);
		else windows.push([start, end]);
		if (m[0].length === 0) re.lastIndex++;
	}
	return windows;
}

function findDates(text: string, folded: string, lang: Language, ref: Date, timezone: number): DateEntity[] {
	const windows = dateWindows(folded, DATE_CHARS);
	if (windows.length === 0) return [];
	const reference = { instant: ref, timezone };
	const results: Array<{ index: number; r: chrono.ParsedResult }> = [];
	for (const [start, end] of windows) {
		const input = text.slice(start, end);
		if (lang !== 'en')
			for (const r of chrono.fr.parse(input, reference)) results.push({ index: start + r.index, r });
		if (lang !== 'fr')
			for (const r of chrono.casual.parse(input, reference)) results.push({ index: start + r.index, r });
	}
	results.sort((a, b) => a.index - b.index || b.r.text.length - a.r.text.length);
	const out: DateEntity[] = [];
	let lastEnd = -1;
	for (const { index, r } of results) {
		if (index < lastEnd) continue;
		if (/^\s*\d{1,4}\s*$/.test(r.text)) continue;
		// A lone short word ("Mon", "sat", "mar") is too often not a date.
		if (/^\s*\p{L}{1,3}\.?\s*$/u.test(r.text)) continue;
		const certainDay = r.start.isCertain('day') || r.start.isCertain('weekday');
		lastEnd = index + r.text.length;
		out.push({
			value: r.start.date().toISOString(),
			...(r.end ? { end: r.end.date().toISOString() } : {}),
			approximate: !certainDay,
			confidence: certainDay ? 0.9 : 0.6,
			spans: [{ start: index, end: index + r.text.length, text: r.text }]
		});
	}
	return out;
}

function bucket(score: number): string {
	return score <= -0.6 ? 'vneg' : score <= -0.2 ? 'neg' : score < 0.2 ? 'neu' : score < 0.6 ? 'pos' : 'vpos';
}

/** Learning features: stems, bigrams, emojis, and the rules' decisions. */
function featuresOf(
	tokens: readonly Token[],
	stems: readonly string[],
	a: Analysis,
	sent: SentimentResult
): Features {
	const f: Features = new Map();
	let prev: string | null = null;
	let prevSentence = -1;
	let n = 0;
	let negScope = 0;
	for (let i = 0; i < tokens.length && n < 400; i++) {
		const t = tokens[i];
		if (t.kind === 'word' || t.kind === 'number') {
			n++;
			const s = t.kind === 'number' ? '#' : stems[i];
			f.set('w:' + s, 1);
			// Words under a negation are other features ("not good" is not "good").
			if (negScope > 0 && prevSentence === t.sentence) {
				f.set('n:' + s, 1);
				negScope--;
			} else negScope = 0;
			if (NEGATORS.has(t.norm)) negScope = 3;
			if (prev !== null && prevSentence === t.sentence) f.set('b:' + prev + '_' + s, 1);
			prev = s;
			prevSentence = t.sentence;
		} else if (t.kind === 'emoji' || t.kind === 'emoticon') {
			f.set('e:' + emojiKey(t.norm), 1);
			prev = null;
		} else if (t.kind === 'punct') {
			if (t.norm.includes('?')) f.set('p:?', 1);
			if (t.norm.includes('!')) f.set('p:!', 1);
			prev = null;
		}
	}
	f.set('r:pol=' + a.polarity.value, 1);
	f.set('r:s=' + bucket(a.polarity.score), 1);
	f.set('r:score', a.polarity.score);
	f.set('r:int=' + a.intent.value, 1);
	for (const s of a.intent.secondary) f.set('r:int2=' + s.value, 1);
	for (const m of a.motives) f.set('r:mot=' + m.id, m.confidence);
	if (a.touchpoint.best) f.set('r:tp=' + a.touchpoint.best.id, a.touchpoint.best.confidence);
	if (a.touchpoint.runnerUp) f.set('r:tp2=' + a.touchpoint.runnerUp.id, a.touchpoint.runnerUp.confidence);
	f.set('r:lang=' + a.language.value, 1);
	f.set('r:stage=' + a.stage.value, a.stage.confidence);
	for (const e of a.emotions) f.set('r:emo=' + e.value, e.confidence);
	if (sent.sarcasm) f.set('r:sarcasm', 1);
	if (sent.negations > 0) f.set('r:negation', 1);
	let pos = 0;
	let neg = 0;
	for (const c of sent.contributions)
		if (c.value > 0) pos += c.value;
		else neg -= c.value;
	if (pos > 0) f.set('r:pos', Math.min(2, pos / 4));
	if (neg > 0) f.set('r:neg', Math.min(2, neg / 4));
	return f;
}

/**
 * Step multiplier of a learning feature. The default taxonomy's motive hits (`d:mot=`, set when the
 * workspace has its own taxonomy) are knowledge that 1,000 corrections cannot rebuild from words: they
 * learn 4 times faster. Airline negative reasons (DEV split, 3 folds of 1,000 corrections): accuracy
 * +0.007 to +0.026, macro-F1 +0.03 to +0.06; polarity unchanged (it has no such feature).
 */
export function featureRate(feature: string): number {
	return feature.startsWith('d:mot=') ? 4 : 1;
}

/** Share of the learned model in the final decision after `n` corrections over `classes` classes. */
export function learnedWeight(n: number, classes: number): number {
	// What counts is examples per class: 100 corrections say much about 3 polarities, little about 77 touchpoints.
	return n / (n + 5 * classes);
}

function blendDist(
	classes: readonly string[],
	rule: Map<string, number>,
	task: LinearTask,
	features: Features
): { dist: Map<string, number>; alpha: number } {
	const alpha = learnedWeight(task.examples, task.classes.length);
	const p = predict(task, features);
	const dist = new Map<string, number>();
	for (const c of classes) dist.set(c, (1 - alpha) * (rule.get(c) ?? 0));
	task.classes.forEach((c, i) => dist.set(c, (dist.get(c) ?? 0) + alpha * p[i]));
	return { dist, alpha };
}

function argmax(dist: Map<string, number>): [string, number] {
	let best: [string, number] = ['', -1];
	for (const [k, v] of dist) if (v > best[1] || (v === best[1] && k < best[0])) best = [k, v];
	return best;
}

function ruleDist(classes: readonly string[], value: string, confidence: number): Map<string, number> {
	const m = new Map<string, number>();
	const rest = classes.length > 1 ? (1 - confidence) / (classes.length - 1) : 0;
	for (const c of classes) m.set(c, c === value ? confidence : rest);
	return m;
}

function blend(a: Analysis, features: Features, model: LearnedModel, taxonomy: readonly Motive[]): Analysis {
	const out: Analysis = { ...a, learned: [] };
	const pt = model.tasks.polarity;
	if (pt) {
		const { dist, alpha } = blendDist(
			POLARITIES,
			ruleDist(POLARITIES, a.polarity.value, a.polarity.confidence),
			pt,
			features
		);
		const [value, p] = argmax(dist);
		const learnedScore = (dist.get('positive') ?? 0) - (dist.get('negative') ?? 0);
		let score = (1 - alpha) * a.polarity.score + alpha * learnedScore;
		if (value === 'neutral') score = Math.max(-NEUTRAL_BAND + 0.01, Math.min(NEUTRAL_BAND - 0.01, score));
		else if (value === 'positive') score = Math.max(score, NEUTRAL_BAND);
		else score = Math.min(score, -NEUTRAL_BAND);
		out.polarity = { ...a.polarity, value: value as Polarity, confidence: r3(p), score: r3(score) };
		out.learned.push('polarity');
	}
	const it = model.tasks.intent;
	if (it) {
		const rule = new Map<string, number>(INTENTS.map((i) => [i, 0]));
		rule.set(a.intent.value, a.intent.confidence);
		for (const s of a.intent.secondary) rule.set(s.value, s.confidence);
		const { dist } = blendDist(INTENTS, rule, it, features);
		const [value, p] = argmax(dist);
		const secondary = [...dist.entries()]
			.filter(([k, v]) => k !== value && v >= 0.2)
			.sort((x, y) => y[1] - x[1])
			.map(([k, v]) => ({ value: k as Intent, confidence: r3(v), spans: [] as Span[] }));
		out.intent = {
			value: value as Intent,
			confidence: r3(p),
			spans: value === a.intent.value ? a.intent.spans : [],
			secondary
		};
		out.learned.push('intent');
	}
	const mt = model.tasks.motive;
	if (mt) {
		const ids = taxonomy.map((m) => m.id);
		const rule = new Map<string, number>();
		const total = a.motives.reduce((s, m) => s + m.confidence, 0);
		for (const m of a.motives) rule.set(m.id, m.confidence / Math.max(1, total));
		const { dist } = blendDist(ids, rule, mt, features);
		const [value, p] = argmax(dist);
		const first = a.motives.find((m) => m.id === value);
		out.motives = [
			{ id: value, confidence: r3(p), spans: first?.spans ?? [] },
			...a.motives
				.filter((m) => m.id !== value)
				.map((m) => ({ ...m, confidence: r3(Math.min(m.confidence, dist.get(m.id) ?? 0)) }))
		].filter((m) => m.confidence >= 0.05);
		out.learned.push('motive');
	}
	const tt = model.tasks.touchpoint;
	if (tt) {
		const rule = new Map<string, number>();
		if (a.touchpoint.best) rule.set(a.touchpoint.best.id, a.touchpoint.best.confidence);
		if (a.touchpoint.runnerUp) rule.set(a.touchpoint.runnerUp.id, a.touchpoint.runnerUp.confidence * 0.5);
		const { dist } = blendDist([...rule.keys()], rule, tt, features);
		const ranked = [...dist.entries()].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1));
		const toMatch = ([id, p]: [string, number]): TouchpointMatch => {
			const old =
				a.touchpoint.best?.id === id
					? a.touchpoint.best
					: a.touchpoint.runnerUp?.id === id
						? a.touchpoint.runnerUp
						: null;
			return { id, score: old?.score ?? 0, confidence: r3(p), spans: old?.spans ?? [] };
		};
		out.touchpoint = {
			best: ranked[0] && ranked[0][1] >= 0.3 ? toMatch(ranked[0]) : null,
			runnerUp:
				ranked[0] && ranked[0][1] >= 0.3 && ranked[1] && ranked[1][1] >= 0.1 ? toMatch(ranked[1]) : null
		};
		out.learned.push('touchpoint');
	}
	return out;
}
