/**
 * Compiled analyzers kept per context id (a few, least recently used first out): a job names its
 * context and carries it until the runner has seen it. A changed context needs a new id.
 */
import { createAnalyzer, type Analyzer } from './analyzer';
import type { AnalysisContext } from './types';

export interface AnalyzerCache {
	/** The analyzer of `contextId`, compiled from `context` the first time; throws when neither is known. */
	get(contextId: string, context?: AnalysisContext): Analyzer;
}

export function createAnalyzerCache(max = 16): AnalyzerCache {
	const analyzers = new Map<string, Analyzer>();
	return {
		get(contextId, context) {
			let analyzer = analyzers.get(contextId);
			if (!analyzer && context) analyzer = createAnalyzer(context);
			if (!analyzer) throw new Error(`unknown analysis context ${contextId}: send it with the job`);
			analyzers.delete(contextId);
			analyzers.set(contextId, analyzer);
			if (analyzers.size > max) analyzers.delete(analyzers.keys().next().value!);
			return analyzer;
		}
	};
}
