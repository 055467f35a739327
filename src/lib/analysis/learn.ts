/**
 * Learning from corrections: one multinomial logistic regression per correctable field, over sparse
 * features (word stems, bigrams, emojis and the rules' own decisions). Trained with AdaGrad SGD in a
 * fixed, seeded order, so the same corrections always give the same model.
 */
import type { LearnedModel, LearnedTaskName, LinearTask } from './types';

/** Sparse features of one item: name → value. */
export type Features = Map<string, number>;

export interface LabeledFeatures {
	features: Features;
	label: string;
}

export interface FitOptions {
	epochs?: number;
	learningRate?: number;
	l2?: number;
	/** Seed of the example order. */
	seed?: number;
	/** Start from these weights (incremental update). */
	base?: LinearTask;
	/**
	 * Step multiplier of a feature (1 when absent): prior knowledge the data is too small to weigh on its
	 * own, such as the default taxonomy's motive hits, learns faster than a word.
	 */
	rate?: (feature: string) => number;
}

const BIAS = '';
/**
 * Features kept per task in a serialised model: KEPT_WEIGHTS / classes, but never fewer than
 * MIN_FEATURES nor more than MAX_WEIGHTS / classes. A 3-class task (polarity) keeps 8,000 features:
 * cutting it to 4,000 cost about 0.008 of macro-F1 on the airline tweets (DEV split) after 1,000
 * corrections, for half the blob (about 80 KB instead of 160 KB).
 */
export const MIN_FEATURES = 4000;
export const KEPT_WEIGHTS = 24_000;
export const MAX_WEIGHTS = 120_000;

/** How many features a task with `classes` classes keeps when serialised. */
export function keptFeatures(classes: number): number {
	const k = Math.max(1, classes);
	return Math.min(Math.floor(MAX_WEIGHTS / k), Math.max(MIN_FEATURES, Math.floor(KEPT_WEIGHTS / k)));
}

function mulberry32(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** Deterministic Fisher–Yates shuffle. */
export function shuffled<T>(items: readonly T[], seed: number): T[] {
	const out = items.slice();
	const rnd = mulberry32(seed);
	for (let i = out.length - 1; i > 0; i--) {
		const j = Math.floor(rnd() * (i + 1));
		[out[i], out[j]] = [out[j], out[i]];
	}
	return out;
}

/** Probabilities of each class of a task for these features. */
export function predict(task: LinearTask, features: Features): Float64Array {
	const k = task.classes.length;
	const z = new Float64Array(k);
	const bias = task.weights.get(BIAS);
	if (bias) for (let c = 0; c < k; c++) z[c] = bias[c];
	for (const [f, x] of features) {
		const w = task.weights.get(f);
		if (!w) continue;
		for (let c = 0; c < k; c++) z[c] += w[c] * x;
	}
	let max = -Infinity;
	for (let c = 0; c < k; c++) if (z[c] > max) max = z[c];
	let sum = 0;
	for (let c = 0; c < k; c++) {
		z[c] = Math.exp(z[c] - max);
		sum += z[c];
	}
	for (let c = 0; c < k; c++) z[c] /= sum;
	return z;
}

/** Trains (or continues training) one task on labeled features. */
export function fit(data: readonly LabeledFeatures[], options: FitOptions = {}): LinearTask {
	const base = options.base;
	const classes = base ? base.classes.slice() : [];
	for (const d of data) if (!classes.includes(d.label)) classes.push(d.label);
	if (!base) classes.sort();
	const k = classes.length;
	const weights = new Map<string, Float32Array>();
	if (base)
		for (const [f, w] of base.weights) {
			const nw = new Float32Array(k);
			nw.set(w);
			weights.set(f, nw);
		}
	const g2 = new Map<string, Float32Array>();
	const counts = new Array<number>(k).fill(0);
	for (const d of data) counts[classes.indexOf(d.label)]++;
	// Rare classes weigh more (square root of the inverse frequency), so macro-F1 does not collapse.
	const classWeight = counts.map((n) => (n > 0 ? Math.min(3, Math.sqrt(data.length / (k * n))) : 1));
	const epochs = options.epochs ?? (data.length < 300 ? 15 : data.length < 3000 ? 8 : 5);
	// Few examples per class need larger steps: 0.5 at ~10 per class, 0.05 from 100 per class on.
	const lr = options.learningRate ?? Math.min(0.5, Math.max(0.05, (5 * k) / Math.max(1, data.length)));
	const l2 = options.l2 ?? 1e-4;
	const labels = data.map((d) => classes.indexOf(d.label));
	const task: LinearTask = { classes, examples: (base?.examples ?? 0) + data.length, weights };
	const order = data.map((_, i) => i);
	// Features resolved once to their weight and AdaGrad rows: the epochs then touch no map.
	const rowsOf = data.map((d) => {
		const rows: Array<[Float32Array, Float32Array, number, number]> = [];
		for (const [f, x] of [[BIAS, 1] as [string, number], ...d.features]) {
			let w = weights.get(f);
			if (!w) {
				w = new Float32Array(k);
				weights.set(f, w);
			}
			let g = g2.get(f);
			if (!g) {
				g = new Float32Array(k).fill(1e-2);
				g2.set(f, g);
			}
			rows.push([w, g, x, lr * (options.rate?.(f) ?? 1)]);
		}
		return rows;
	});
	const p = new Float64Array(k);
	for (let e = 0; e < epochs; e++) {
		const seq = shuffled(order, (options.seed ?? 1) * 7919 + e);
		for (const i of seq) {
			const rows = rowsOf[i];
			p.fill(0);
			for (const [w, , x] of rows) for (let c = 0; c < k; c++) p[c] += w[c] * x;
			let max = -Infinity;
			for (let c = 0; c < k; c++) if (p[c] > max) max = p[c];
			let sum = 0;
			for (let c = 0; c < k; c++) sum += p[c] = Math.exp(p[c] - max);
			for (let c = 0; c < k; c++) p[c] /= sum;
			const y = labels[i];
			const cw = classWeight[y];
			for (const [w, g, x, step] of rows) {
				for (let c = 0; c < k; c++) {
					const grad = cw * (p[c] - (c === y ? 1 : 0)) * x + l2 * w[c];
					g[c] += grad * grad;
					w[c] -= (step * grad) / Math.sqrt(g[c]);
				}
			}
		}
	}
	return task;
}

/** An empty model: no field learned. */
export function emptyModel(): LearnedModel {
	return { version: 1, tasks: {} };
}

interface SerialTask {
	c: string[];
	/** Row encoding: dense or sparse. */
	e: 'd' | 's';
	n: number;
	s: number;
	f: string;
	w: string;
}

function toBase64(bytes: Uint8Array): string {
	let s = '';
	for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
	return btoa(s);
}

function fromBase64(b64: string): Uint8Array {
	const s = atob(b64);
	const out = new Uint8Array(s.length);
	for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
	return out;
}

/**
 * Serialises a model to a compact string: weights quantised to 8 bits, rows dense or sparse, the
 * strongest features only ({@link keptFeatures}: 8,000 for 3 classes, 4,000 for 9, at most 120,000 weights):
 * a few hundred kilobytes at most.
 */
export function serializeModel(model: LearnedModel): string {
	const tasks: Record<string, SerialTask> = {};
	for (const [name, task] of Object.entries(model.tasks) as Array<[LearnedTaskName, LinearTask]>) {
		const k = task.classes.length;
		let max = 0;
		for (const w of task.weights.values()) for (const x of w) max = Math.max(max, Math.abs(x));
		const scale = max > 0 ? max / 127 : 1;
		const feats: string[] = [];
		const bytes: number[] = [];
		// Keep the strongest features only: the blob stays small whatever the number of corrections.
		const strength = (w: Float32Array) => w.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
		const kept = [...task.weights.entries()]
			.sort((a, b) => strength(b[1]) - strength(a[1]) || (a[0] < b[0] ? -1 : 1))
			.slice(0, keptFeatures(k));
		const bias = task.weights.get(BIAS);
		if (bias && !kept.some(([f]) => f === BIAS)) kept.push([BIAS, bias]);
		// Rows are dense (one i8 per class) or sparse ([entries: u16][class: u16, i8]…, dropping weights
		// within one quantisation step of zero), whichever is smaller for the task.
		const quantised = kept.map(
			([f, w]) => [f, Array.from(w, (x) => Math.round(x / scale))] as [string, number[]]
		);
		const nonZero = quantised.reduce((n, [, q]) => n + q.filter((x) => Math.abs(x) > 1).length, 0);
		const sparse = 2 * quantised.length + 3 * nonZero < k * quantised.length;
		for (const [f, q] of quantised) {
			if (f !== BIAS && q.every((x) => Math.abs(x) <= 1)) continue;
			feats.push(f);
			if (!sparse) {
				for (const x of q) bytes.push(x & 0xff);
				continue;
			}
			const entries = q.map((x, c) => [c, x]).filter(([, x]) => Math.abs(x) > 1 || (f === BIAS && x !== 0));
			bytes.push(entries.length & 0xff, entries.length >> 8);
			for (const [c, x] of entries) bytes.push(c & 0xff, c >> 8, x & 0xff);
		}
		tasks[name] = {
			c: task.classes,
			n: task.examples,
			s: scale,
			e: sparse ? 's' : 'd',
			f: feats.join('\u0001'),
			w: toBase64(Uint8Array.from(bytes))
		};
	}
	return JSON.stringify({ v: 1, t: tasks });
}

/** Reads a model written by {@link serializeModel}; throws on anything else. */
export function deserializeModel(blob: string): LearnedModel {
	const data = JSON.parse(blob) as { v?: number; t?: Record<string, SerialTask> };
	if (data.v !== 1 || typeof data.t !== 'object' || data.t === null)
		throw new Error('not a Parcours analysis model (version 1)');
	const model = emptyModel();
	for (const [name, st] of Object.entries(data.t)) {
		if (!['polarity', 'intent', 'motive', 'touchpoint'].includes(name)) continue;
		const k = st.c.length;
		const bytes = fromBase64(st.w);
		// The bias's name is '': a task holding only its bias writes f = '' with its weights in w.
		const feats = st.f.length || bytes.length ? st.f.split('\u0001') : [];
		const weights = new Map<string, Float32Array>();
		let at = 0;
		for (const f of feats) {
			const w = new Float32Array(k);
			if (st.e === 'd') {
				if (at + k > bytes.length) throw new Error(`corrupt model task ${name}`);
				for (let c = 0; c < k; c++) w[c] = ((bytes[at + c] << 24) >> 24) * st.s;
				at += k;
			} else {
				if (at + 2 > bytes.length) throw new Error(`corrupt model task ${name}`);
				const n = bytes[at] | (bytes[at + 1] << 8);
				at += 2;
				for (let e = 0; e < n; e++) {
					const c = bytes[at] | (bytes[at + 1] << 8);
					if (c >= k || at + 3 > bytes.length) throw new Error(`corrupt model task ${name}`);
					w[c] = ((bytes[at + 2] << 24) >> 24) * st.s;
					at += 3;
				}
			}
			weights.set(f, w);
		}
		if (at !== bytes.length) throw new Error(`corrupt model task ${name}`);
		model.tasks[name as LearnedTaskName] = { classes: st.c, examples: st.n, weights };
	}
	return model;
}
