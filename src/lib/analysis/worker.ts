/**
 * Worker entry for analysis: `createWorkerPool<AnalysisJob, Analysis[]>({ entry: analysisWorkerEntry })`.
 * A job carries its context (or only its id, once the worker has seen it); analyzers are cached per
 * context id inside the worker (`./analyzer-cache`). A changed context needs a new id.
 */
import { serveWorker } from './pool';
import { createAnalyzerCache } from './analyzer-cache';
import type { Analysis, AnalysisContext, ItemMeta } from './types';

export interface AnalysisJob {
	/** Identifies the context (e.g. workspace id + version); send `context` again when it changes. */
	contextId: string;
	context?: AnalysisContext;
	items: Array<{ text: string } & ItemMeta>;
}

const analyzers = createAnalyzerCache();

serveWorker<AnalysisJob, Analysis[]>((job) => {
	const analyzer = analyzers.get(job.contextId, job.context);
	return job.items.map((it) => analyzer.analyze(it.text, { receivedAt: it.receivedAt, channel: it.channel }));
});
