/**
 * An analysis as the feedback table stores it: the full result as JSON text, plus the few values the
 * processor needs to place the item. Made where the analysis runs (a worker thread), so the main thread
 * receives one string and a handful of fields instead of a deep object to copy and serialise again.
 */
import type { AnalyzerCache } from '../analysis/analyzer-cache';
import type { Analysis } from '../analysis/types';
import type { AnalysisJob } from '../analysis/worker';

export interface StoredAnalysis {
	/** `JSON.stringify` of the `Analysis`. */
	json: string;
	language: string | null;
	polarity: Analysis['polarity']['value'];
	/** Strength in [-1, 1]. */
	strength: number;
	intent: Analysis['intent']['value'];
	stage: Analysis['stage']['value'];
	emotions: string[];
	motives: string[];
	products: string[];
	places: string[];
	touchpoint: { id: string; confidence: number } | null;
}

export function toStored(a: Analysis): StoredAnalysis {
	const best = a.touchpoint.best;
	return {
		json: JSON.stringify(a),
		language: a.language.value === 'unknown' ? null : a.language.value,
		polarity: a.polarity.value,
		strength: a.polarity.score,
		intent: a.intent.value,
		stage: a.stage.value,
		emotions: a.emotions.map((e) => e.value),
		motives: a.motives.map((m) => m.id),
		products: a.entities.products.map((p) => p.id),
		places: a.entities.places.map((p) => p.id),
		touchpoint: best ? { id: best.id, confidence: best.confidence } : null
	};
}

/** Runs a job with a cache of analyzers (in a worker thread or inline). */
export function analyseForStorage(analyzers: AnalyzerCache, job: AnalysisJob): StoredAnalysis[] {
	const analyzer = analyzers.get(job.contextId, job.context);
	return job.items.map((it) =>
		toStored(analyzer.analyze(it.text, { receivedAt: it.receivedAt, channel: it.channel }))
	);
}
