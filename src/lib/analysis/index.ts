/**
 * Feedback understanding for Parcours: a pure, deterministic module (no network, no model download,
 * no global mutable state) that runs in the main thread or in worker threads (see `./pool`).
 *
 * ```ts
 * const analyzer = createAnalyzer({ products, places, touchpoints, model });
 * const result = analyzer.analyze(item.text, { receivedAt: item.receivedAt, channel: item.channel });
 * ```
 *
 * Every decision carries a confidence in [0, 1] and the spans of {@link Analysis.text} (the cleaned
 * text) that triggered it.
 *
 * @module
 */
import { createAnalyzer as create, featureRate, type Analyzer } from './analyzer';
import {
	fit,
	emptyModel,
	serializeModel as serialize,
	deserializeModel as deserialize,
	type LabeledFeatures
} from './learn';
import { DEFAULT_MOTIVES } from './data/motives';
import type {
	Analysis,
	AnalysisContext,
	ItemMeta,
	LearnedModel,
	LearnedTaskName,
	Motive,
	TrainingExample
} from './types';

export type * from './types';
export { POLARITIES, INTENTS, STAGE_GROUPS, EMOTIONS } from './types';
export type { Analyzer } from './analyzer';
export { cleanText, MAX_CHARS } from './text';

/**
 * The default motive taxonomy (FR/EN labels and keywords): delay, cancellation, lost or damaged item,
 * staff attitude, staff competence, waiting time, price or fees, billing or payment, website or app bug,
 * information clarity, product quality, delivery, refund or return, comfort, loyalty programme,
 * availability, other. Used when the context has no `motives`.
 */
export const defaultMotives: readonly Motive[] = DEFAULT_MOTIVES;

/**
 * Compiles a workspace context once (catalogue, places, motives, touchpoints, learned model) and returns
 * an analyzer to call for each item. Prefer this over {@link analyze} when analysing many items.
 */
export function createAnalyzer(context: AnalysisContext = {}): Analyzer {
	return create(context);
}

/**
 * Analyses one feedback item. `context` may also carry the item's `receivedAt` and `channel`.
 * Equivalent to `createAnalyzer(context).analyze(text, context)`; compiles the context on every call.
 */
export function analyze(text: string, context: AnalysisContext & ItemMeta = {}): Analysis {
	return create(context).analyze(text, { receivedAt: context.receivedAt, channel: context.channel });
}

/** Options of {@link train}. */
export interface TrainOptions {
	/** Continue from this model (its tasks are updated with the new examples only). */
	base?: LearnedModel | null;
	/** Seed of the training order (default 1). */
	seed?: number;
}

/**
 * Learns a workspace's corrections. Each example corrects any of polarity, intent, motive (a motive id)
 * and touchpoint (a touchpoint id); each field is learned from the examples that set it. The context
 * must be the workspace's (same taxonomy and touchpoints as at analysis time); its `model` is ignored.
 * Deterministic; 1,000 examples train in well under a second.
 */
export function train(
	examples: readonly TrainingExample[],
	context: AnalysisContext = {},
	options: TrainOptions = {}
): LearnedModel {
	const analyzer = create({ ...context, model: null });
	const data: Record<LearnedTaskName, LabeledFeatures[]> = {
		polarity: [],
		intent: [],
		motive: [],
		touchpoint: []
	};
	for (const ex of examples) {
		if (!ex.polarity && !ex.intent && !ex.motive && !ex.touchpoint) continue;
		const { features } = analyzer.inspect(ex.text, { receivedAt: ex.receivedAt, channel: ex.channel });
		if (ex.polarity) data.polarity.push({ features, label: ex.polarity });
		if (ex.intent) data.intent.push({ features, label: ex.intent });
		if (ex.motive) data.motive.push({ features, label: ex.motive });
		if (ex.touchpoint) data.touchpoint.push({ features, label: ex.touchpoint });
	}
	const model: LearnedModel = options.base ? { version: 1, tasks: { ...options.base.tasks } } : emptyModel();
	for (const name of Object.keys(data) as LearnedTaskName[]) {
		if (data[name].length === 0) continue;
		model.tasks[name] = fit(data[name], {
			base: options.base?.tasks[name],
			seed: options.seed ?? 1,
			rate: featureRate
		});
	}
	return model;
}

/** Serialises a learned model to a compact string (8-bit weights, base64) for storage per workspace. */
export function serializeModel(model: LearnedModel): string {
	return serialize(model);
}

/** Reads a model written by {@link serializeModel}; throws a clear error on anything else. */
export function deserializeModel(blob: string): LearnedModel {
	return deserialize(blob);
}

/** URL of the analysis worker entry, for `createWorkerPool` in `./pool`. */
export const analysisWorkerEntry: URL = new URL('./worker.ts', import.meta.url);
export type { AnalysisJob } from './worker';
export { createWorkerPool, serveWorker, type WorkerPool, type PoolOptions } from './pool';
export { createAnalyzerCache, type AnalyzerCache } from './analyzer-cache';
