/**
 * Measures src/lib/analysis on public labeled data (see tests/eval/LABELS.md for the label mappings).
 * Reads ../shared/data/eval (or EVAL_DATA_DIR); never copies it. Usage:
 *   npm run eval:analysis            # figures on the held-out test parts
 *   npm run eval:analysis -- --dev   # zero-shot errors on the training parts only, for rule work
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import vader from 'vader-sentiment';
import Sentiment from 'sentiment';
import {
	createAnalyzer,
	defaultMotives,
	train as trainModel,
	serializeModel,
	deserializeModel,
	type AnalysisContext,
	type LearnedModel,
	type Analysis,
	type Intent,
	type Polarity,
	type TrainingExample
} from '../../src/lib/analysis/index';
import { shuffled } from '../../src/lib/analysis/learn';

const blobSizes: number[] = [];
/** Trains, then goes through the stored form: figures are those of the blob a workspace keeps. */
function train(...args: Parameters<typeof trainModel>): LearnedModel {
	const blob = serializeModel(trainModel(...args));
	blobSizes.push(blob.length);
	return deserializeModel(blob);
}

const DATA_DIR = resolve(
	process.env.EVAL_DATA_DIR ?? resolve(import.meta.dirname, '../../../shared/data/eval')
);
const DEV = process.argv.includes('--dev');
const SEED = 20_240_601;
const TEST_SHARE = 0.3;
const CURVE = [100, 300, 1000];
/** In --dev, learning is measured on the training part only: train on its first N rows, test on the
 * rows after the largest N (never the test part). */
const DEV_HOLDOUT = Math.max(...CURVE);

if (!existsSync(resolve(DATA_DIR, 'SOURCES.md'))) {
	console.error(
		`eval:analysis: labeled data not found in ${DATA_DIR}.\n` +
			'It lives beside the repository in ../shared/data/eval (see its SOURCES.md); set EVAL_DATA_DIR to its folder.'
	);
	process.exit(2);
}

// ---- CSV --------------------------------------------------------------------------------------

function readCsv(name: string): Record<string, string>[] {
	const path = resolve(DATA_DIR, name);
	if (!existsSync(path)) {
		console.error(`eval:analysis: missing ${path}`);
		process.exit(2);
	}
	const src = readFileSync(path, 'utf8').replace(/^\ufeff/, '');
	const rows: string[][] = [];
	let row: string[] = [];
	let field = '';
	let quoted = false;
	for (let i = 0; i < src.length; i++) {
		const ch = src[i];
		if (quoted) {
			if (ch === '"') {
				if (src[i + 1] === '"') {
					field += '"';
					i++;
				} else quoted = false;
			} else field += ch;
		} else if (ch === '"') quoted = true;
		else if (ch === ',') {
			row.push(field);
			field = '';
		} else if (ch === '\n' || ch === '\r') {
			if (ch === '\r' && src[i + 1] === '\n') i++;
			row.push(field);
			rows.push(row);
			row = [];
			field = '';
		} else field += ch;
	}
	if (field || row.length) {
		row.push(field);
		rows.push(row);
	}
	const [header, ...body] = rows;
	return body
		.filter((r) => r.length === header.length)
		.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
}

/** The source replaced "late" by "Late Flight" and "cancel" by "Cancelled Flight" inside words: undo it. */
function fixAirline(text: string): string {
	return text.replace(/Cancelled Flight/g, 'cancel').replace(/Late Flight/g, 'late');
}

interface Row<L> {
	text: string;
	label: L;
}

/** Reproducible split: seeded shuffle, the last 30 % is the test part. */
function split<L>(rows: Row<L>[]): { pool: Row<L>[]; test: Row<L>[] } {
	const s = shuffled(rows, SEED);
	const cut = Math.round(s.length * (1 - TEST_SHARE));
	return { pool: s.slice(0, cut), test: s.slice(cut) };
}

// ---- Metrics ----------------------------------------------------------------------------------

interface Scores {
	n: number;
	accuracy: number;
	macroF1: number;
	perClass: Record<string, number>;
}

function score(gold: string[], pred: string[], classes?: string[]): Scores {
	const cls = classes ?? [...new Set(gold)].sort();
	let correct = 0;
	for (let i = 0; i < gold.length; i++) if (gold[i] === pred[i]) correct++;
	const perClass: Record<string, number> = {};
	for (const c of cls) {
		let tp = 0;
		let fp = 0;
		let fn = 0;
		for (let i = 0; i < gold.length; i++) {
			if (pred[i] === c && gold[i] === c) tp++;
			else if (pred[i] === c) fp++;
			else if (gold[i] === c) fn++;
		}
		perClass[c] = tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
	}
	const macroF1 = cls.reduce((s, c) => s + perClass[c], 0) / cls.length;
	return { n: gold.length, accuracy: correct / gold.length, macroF1, perClass };
}

const lines: string[] = [];
function out(s = '') {
	lines.push(s);
	console.log(s);
}
const f2 = (x: number) => x.toFixed(3);
function row(dataset: string, task: string, system: string, s: Scores, extra = '') {
	const per = Object.entries(s.perClass)
		.map(([c, v]) => `${c} ${f2(v)}`)
		.join(', ');
	out(
		`| ${dataset} | ${task} | ${system} | ${s.n} | ${f2(s.accuracy)} | ${f2(s.macroF1)} | ${per}${extra} |`
	);
}

function predictAll(context: AnalysisContext, texts: string[]): Analysis[] {
	const a = createAnalyzer(context);
	return texts.map((t) => a.analyze(t));
}

const devDump: string[] = [];
function dumpErrors(name: string, rows: Row<string>[], pred: string[]) {
	devDump.push(`## ${name}`);
	rows.forEach((r, i) => {
		if (r.label !== pred[i]) devDump.push(`${r.label}\t${pred[i]}\t${r.text.replace(/\s+/g, ' ')}`);
	});
}

/** Zero-shot on the test part (or the pool in --dev), then the learning curve. */
function polarityDataset(name: string, rows: Row<Polarity>[], baselines: boolean) {
	const { pool, test } = split(rows);
	const target = DEV ? pool : test;
	const gold = target.map((r) => r.label);
	const texts = target.map((r) => r.text);
	const zero = predictAll({}, texts).map((a) => a.polarity.value);
	row(name, 'polarity', 'Parcours zero-shot', score(gold, zero));
	if (DEV) {
		dumpErrors(`${name} polarity`, target, zero);
		const held = pool.slice(DEV_HOLDOUT);
		if (held.length < 100) return;
		for (const n of CURVE) {
			const model = train(pool.slice(0, n).map((r) => ({ text: r.text, polarity: r.label })));
			const pred = predictAll(
				{ model },
				held.map((r) => r.text)
			).map((a) => a.polarity.value);
			row(
				name,
				'polarity',
				`DEV after ${n} corrections`,
				score(
					held.map((r) => r.label),
					pred
				)
			);
		}
		return;
	}
	if (baselines) {
		const afinn = new Sentiment();
		const af = texts.map((t) => {
			const s = afinn.analyze(t).score;
			return s > 0 ? 'positive' : s < 0 ? 'negative' : 'neutral';
		});
		row(name, 'polarity', 'AFINN (sentiment)', score(gold, af));
		const va = texts.map((t) => {
			const c = vader.SentimentIntensityAnalyzer.polarity_scores(t).compound;
			return c >= 0.05 ? 'positive' : c <= -0.05 ? 'negative' : 'neutral';
		});
		row(name, 'polarity', 'VADER (vader-sentiment)', score(gold, va));
	}
	for (const n of CURVE) {
		if (n > pool.length) continue;
		const examples: TrainingExample[] = pool.slice(0, n).map((r) => ({ text: r.text, polarity: r.label }));
		const t0 = performance.now();
		const model = train(examples);
		const ms = performance.now() - t0;
		const pred = predictAll({ model }, texts).map((a) => a.polarity.value);
		row(
			name,
			'polarity',
			`after ${n} corrections`,
			score(gold, pred),
			n === 1000 ? ` (training ${(ms / 1000).toFixed(2)} s)` : ''
		);
	}
}

/** Binary intent detection (complaint, suggestion): F1 of the positive class. */
function intentDataset(name: string, intent: Intent, rows: Row<'1' | '0'>[]) {
	const { pool, test } = split(rows);
	const target = DEV ? pool : test;
	const gold = target.map((r) => (r.label === '1' ? intent : 'other'));
	const texts = target.map((r) => r.text);
	const show = (system: string, pred: Analysis[]) => {
		const p = pred.map((a) => (a.intent.value === intent ? intent : 'other'));
		const s = score(gold, p, [intent, 'other']);
		row(name, `${intent} (main intent)`, system, s, ` — ${intent} F1 ${f2(s.perClass[intent])}`);
		return p;
	};
	const zero = show('Parcours zero-shot', predictAll({}, texts));
	if (DEV)
		return dumpErrors(
			`${name} ${intent}`,
			target.map((r, i) => ({ text: r.text, label: gold[i] })),
			zero
		);
	const rules = createAnalyzer({});
	for (const n of CURVE) {
		if (n > pool.length) continue;
		// A staff member marks the item as `intent`, or, when it is not, keeps the rules' intent unless that
		// was `intent` (then "opinion"): the data says only whether the item is a complaint/suggestion.
		const examples: TrainingExample[] = pool.slice(0, n).map((r) => {
			const ruled = rules.analyze(r.text).intent.value;
			return { text: r.text, intent: r.label === '1' ? intent : ruled === intent ? 'opinion' : ruled };
		});
		show(`after ${n} corrections`, predictAll({ model: train(examples) }, texts));
	}
}

const REASON_OF_MOTIVE: Record<string, string> = {
	delay: 'Late Flight',
	cancellation: 'Cancelled Flight',
	'lost-or-damaged': 'Luggage',
	'staff-attitude': 'Customer Service Issue',
	'staff-competence': 'Customer Service Issue',
	'waiting-time': 'Customer Service Issue',
	'information-clarity': 'Customer Service Issue',
	'refund-or-return': 'Customer Service Issue',
	other: 'Customer Service Issue',
	comfort: 'Bad Flight',
	'product-quality': 'Bad Flight',
	'price-or-fees': 'Flight Booking Problems',
	'billing-or-payment': 'Flight Booking Problems',
	'website-or-app-bug': 'Flight Booking Problems',
	availability: 'Flight Booking Problems',
	'loyalty-programme': 'Customer Service Issue',
	delivery: 'Customer Service Issue'
};

function reasonDataset(rows: Record<string, string>[]) {
	const reasons = rows
		.filter((r) => r.negativereason && r.negativereason !== "Can't Tell")
		.map((r) => ({ text: fixAirline(r.text), label: r.negativereason }));
	const { pool, test } = split(reasons);
	const target = DEV ? pool : test;
	const texts = target.map((r) => r.text);
	// Zero-shot: default taxonomy, first motive mapped to a reason; lost and damaged luggage merged.
	const merged = (l: string) => (l === 'Lost Luggage' || l === 'Damaged Luggage' ? 'Luggage' : l);
	const zero = predictAll({}, texts).map(
		(a) => REASON_OF_MOTIVE[a.motives[0]?.id ?? 'other'] ?? 'Customer Service Issue'
	);
	const goldMerged = target.map((r) => merged(r.label));
	row(
		'airline tweets (EN)',
		'negative reason → motive (8 groups)',
		'Parcours zero-shot',
		score(goldMerged, zero)
	);
	// After corrections: the workspace's own taxonomy is the dataset's 9 reasons (no keywords).
	const taxonomy = [...new Set(reasons.map((r) => r.label))].sort().map((id) => ({ id, label: id }));
	if (DEV) {
		dumpErrors(
			'airline reason',
			target.map((r, i) => ({ text: r.text, label: goldMerged[i] })),
			zero
		);
		const held = pool.slice(DEV_HOLDOUT);
		for (const n of CURVE) {
			const model = train(
				pool.slice(0, n).map((r) => ({ text: r.text, motive: r.label })),
				{ motives: taxonomy }
			);
			const pred = predictAll(
				{ motives: taxonomy, model },
				held.map((r) => r.text)
			).map((a) => a.motives[0]?.id ?? '');
			row(
				'airline tweets (EN)',
				'negative reason (9 reasons)',
				`DEV after ${n} corrections`,
				score(
					held.map((r) => r.label),
					pred
				)
			);
		}
		return;
	}
	const gold = target.map((r) => r.label);
	for (const n of CURVE) {
		const model = train(
			pool.slice(0, n).map((r) => ({ text: r.text, motive: r.label })),
			{ motives: taxonomy }
		);
		const pred = predictAll({ motives: taxonomy, model }, texts).map((a) => a.motives[0]?.id ?? '');
		row('airline tweets (EN)', 'negative reason (9 reasons)', `after ${n} corrections`, score(gold, pred));
	}
}

function bankingDataset() {
	const rows = readCsv('banking77_train_en.csv').map((r) => ({ text: r.text, label: r.category }));
	const categories = [...new Set(rows.map((r) => r.label))].sort();
	// Zero-shot: one touchpoint per category, titled from the category's name only.
	const touchpoints = categories.map((c) => ({
		id: c,
		title: c.replace(/_/g, ' '),
		stage: 'after-sale' as const
	}));
	const { pool, test } = split(rows);
	const target = DEV ? pool : test;
	const texts = target.map((r) => r.text);
	const gold = target.map((r) => r.label);
	const zero = predictAll({ touchpoints }, texts).map((a) => a.touchpoint.best?.id ?? 'none');
	const s = score(gold, zero, categories);
	row(
		'banking77 (EN)',
		'touchpoint (77)',
		'Parcours zero-shot',
		{ ...s, perClass: {} },
		`none matched ${zero.filter((z) => z === 'none').length}`
	);
	if (DEV) return;
	for (const n of CURVE) {
		const model = train(
			pool.slice(0, n).map((r) => ({ text: r.text, touchpoint: r.label })),
			{ touchpoints }
		);
		const pred = predictAll({ touchpoints, model }, texts).map((a) => a.touchpoint.best?.id ?? 'none');
		row('banking77 (EN)', 'touchpoint (77)', `after ${n} corrections`, {
			...score(gold, pred, categories),
			perClass: {}
		});
	}
}

function emotionDataset(name: string, file: string) {
	const rows = readCsv(file).map((r) => ({ text: r.text, label: r.emotions }));
	const { pool, test } = split(rows);
	const target = DEV ? pool : test;
	const preds = predictAll(
		{},
		target.map((r) => r.text)
	);
	const emotions = ['anger', 'anticipation', 'disgust', 'fear', 'joy', 'sadness', 'surprise', 'trust'];
	const perClass: Record<string, number> = {};
	let tpAll = 0;
	let fpAll = 0;
	let fnAll = 0;
	for (const e of emotions) {
		let tp = 0;
		let fp = 0;
		let fn = 0;
		target.forEach((r, i) => {
			const g = r.label.split('|').includes(e);
			const p = preds[i].emotions.some((d) => d.value === e);
			if (g && p) tp++;
			else if (p) fp++;
			else if (g) fn++;
		});
		perClass[e] = tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
		tpAll += tp;
		fpAll += fp;
		fnAll += fn;
	}
	const macro = emotions.reduce((s, e) => s + perClass[e], 0) / emotions.length;
	const micro = tpAll === 0 ? 0 : (2 * tpAll) / (2 * tpAll + fpAll + fnAll);
	const exact = target.filter((r, i) => {
		const g = new Set(r.label.split('|'));
		const p = new Set(preds[i].emotions.map((d) => d.value as string));
		return g.size === p.size && [...g].every((x) => p.has(x));
	}).length;
	out(
		`| ${name} | emotions (multi-label) | Parcours zero-shot | ${target.length} | exact set ${f2(exact / target.length)} | ${f2(macro)} (micro ${f2(micro)}) | ${emotions.map((e) => `${e} ${f2(perClass[e])}`).join(', ')} |`
	);
}

function languageCheck(sets: Array<[string, string[], string]>) {
	for (const [name, texts, lang] of sets) {
		const a = createAnalyzer({});
		const pred = texts.map((t) => a.analyze(t).language.value);
		const ok = pred.filter((p) => p === lang).length;
		const unknown = pred.filter((p) => p === 'unknown').length;
		out(
			`| ${name} | language = ${lang} | Parcours | ${texts.length} | ${f2(ok / texts.length)} | | unknown ${unknown}, other ${texts.length - ok - unknown} |`
		);
	}
}

// ---- Run --------------------------------------------------------------------------------------

const started = performance.now();
out(`Parcours analysis evaluation — data ${DATA_DIR}${DEV ? ' — DEV (training parts only)' : ''}`);
out(
	`Split: seeded shuffle (seed ${SEED}), ${TEST_SHARE * 100} % test; corrections are the first N of the rest.`
);
out('');
out('| dataset | task | system | n | accuracy | macro-F1 | per-class F1 |');
out('| --- | --- | --- | --- | --- | --- | --- |');

const airline = readCsv('airline_tweets_en.csv');
/** `EVAL_ONLY=airline` runs only the datasets whose name contains it (quicker tuning runs). */
const only = (name: string) => !process.env.EVAL_ONLY || name.includes(process.env.EVAL_ONLY);
if (only('airline tweets (EN)'))
	polarityDataset(
		'airline tweets (EN)',
		airline.map((r) => ({ text: fixAirline(r.text), label: r.airline_sentiment as Polarity })),
		true
	);
if (only('airline')) reasonDataset(airline);
if (only('French tweets'))
	polarityDataset(
		'French tweets',
		readCsv('tweets_fr.csv').map((r) => ({ text: r.text, label: r.polarity as Polarity })),
		true
	);
if (only('French reviews'))
	polarityDataset(
		'French reviews',
		readCsv('reviews_fr.csv').map((r) => {
			const n = Number(r.rating);
			return { text: r.text, label: (n >= 4 ? 'positive' : n === 3 ? 'neutral' : 'negative') as Polarity };
		}),
		false
	);
if (only('complaints (EN)'))
	intentDataset(
		'complaints (EN)',
		'complaint',
		readCsv('complaints_en.csv').map((r) => ({ text: r.text, label: r.complaint as '1' | '0' }))
	);
if (only('hotel suggestions (EN)'))
	intentDataset(
		'hotel suggestions (EN)',
		'suggestion',
		readCsv('suggestions_en.csv').map((r) => ({ text: r.sentence, label: r.suggestion as '1' | '0' }))
	);
if (only('banking')) bankingDataset();
if (only('XED emotions (EN)')) emotionDataset('XED emotions (EN)', 'emotions_en.csv');
if (only('XED emotions (FR)')) emotionDataset('XED emotions (FR)', 'emotions_fr.csv');
if (!DEV && !process.env.EVAL_ONLY)
	languageCheck([
		[
			'airline tweets (EN)',
			split(airline.map((r) => ({ text: fixAirline(r.text), label: '' }))).test.map((r) => r.text),
			'en'
		],
		[
			'French tweets',
			split(readCsv('tweets_fr.csv').map((r) => ({ text: r.text, label: '' }))).test.map((r) => r.text),
			'fr'
		],
		[
			'French reviews',
			split(readCsv('reviews_fr.csv').map((r) => ({ text: r.text, label: '' }))).test.map((r) => r.text),
			'fr'
		]
	]);
out('');
if (blobSizes.length)
	out(
		`Learned models go through serializeModel/deserializeModel; largest blob ${Math.round(Math.max(...blobSizes) / 1024)} KB.`
	);
out(
	`Default motives: ${defaultMotives.length}. Ran in ${((performance.now() - started) / 1000).toFixed(1)} s.`
);
if (DEV) {
	writeFileSync('/tmp/parcours-eval-dev.tsv', devDump.join('\n'));
	console.log('dev errors written to /tmp/parcours-eval-dev.tsv');
}
