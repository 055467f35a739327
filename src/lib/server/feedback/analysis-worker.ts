/**
 * Worker entry of the feedback processor: analyses a job's items and returns them ready to store
 * (`StoredAnalysis`), with analyzers cached per context id.
 */
import { createAnalyzerCache, serveWorker, type AnalysisJob } from '../../analysis';
import { analyseForStorage, type StoredAnalysis } from '../../feedback/stored-analysis';

const analyzers = createAnalyzerCache();

serveWorker<AnalysisJob, StoredAnalysis[]>((job) => analyseForStorage(analyzers, job));
