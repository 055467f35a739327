/**
 * Worker entry for analysis: `createWorkerPool<AnalysisJob, Analysis[]>({ entry: analysisWorkerEntry })`.
 * A job carries its context (or only its id, once the worker has seen it); analyzers are cached per
 * context id inside the worker (a few, least recently used first out). A changed context needs a new id.
 */
import { serveWorker } from './pool';
import { createAnalyzer, type Analyzer } from './analyzer';
import type { Analysis, AnalysisContext, ItemMeta } from './types';

export interface AnalysisJob {
	/** Identifies the context (e.g. workspace id + version); send `context` again when it changes. */
	contextId: string;
	context?: AnalysisContext;
	items: Array<{ text: string } & ItemMeta>;
}

const MAX_CONTEXTS = 16;
const analyzers = new Map<string, Analyzer>();

serveWorker<AnalysisJob, Analysis[]>((job) => {
	// A context id names one context for good: a known id reuses its compiled analyzer.
	let analyzer = analyzers.get(job.contextId);
	if (!analyzer && job.context) analyzer = createAnalyzer(job.context);
	if (!analyzer) throw new Error(`unknown analysis context ${job.contextId}: send it with the job`);
	analyzers.delete(job.contextId);
	analyzers.set(job.contextId, analyzer);
	if (analyzers.size > MAX_CONTEXTS) analyzers.delete(analyzers.keys().next().value!);
	return job.items.map((it) => analyzer.analyze(it.text, { receivedAt: it.receivedAt, channel: it.channel }));
});
