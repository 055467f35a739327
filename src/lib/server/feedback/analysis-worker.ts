/**
 * Worker entry of the feedback processor: analyses a job's items and returns them ready to store
 * (`StoredAnalysis`). Analyzers are cached per context id, as in `$lib/analysis/worker`.
 */
import { createAnalyzer, serveWorker, type AnalysisJob, type Analyzer } from '../../analysis';
import { toStored, type StoredAnalysis } from '../../feedback/stored-analysis';

const MAX_CONTEXTS = 16;
const analyzers = new Map<string, Analyzer>();

serveWorker<AnalysisJob, StoredAnalysis[]>((job) => {
	let analyzer = analyzers.get(job.contextId);
	if (!analyzer && job.context) analyzer = createAnalyzer(job.context);
	if (!analyzer) throw new Error(`unknown analysis context ${job.contextId}: send it with the job`);
	analyzers.delete(job.contextId);
	analyzers.set(job.contextId, analyzer);
	if (analyzers.size > MAX_CONTEXTS) analyzers.delete(analyzers.keys().next().value!);
	return job.items.map((it) =>
		toStored(analyzer.analyze(it.text, { receivedAt: it.receivedAt, channel: it.channel }))
	);
});
