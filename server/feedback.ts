/**
 * Starts the feedback processor of this process: a pool of analysis worker threads fed from the
 * database queue. One per process, on `globalThis` like the runtime, so the dev server's module reloads
 * do not start a second one. CSV imports left running by a process that died are taken up here too.
 */
import { createWorkerPool, type AnalysisJob } from '../src/lib/analysis';
import type { StoredAnalysis } from '../src/lib/feedback/stored-analysis';
import { configureImports, resumeImports, stopImports } from '../src/lib/server/feedback/csv-import';
import {
	FeedbackProcessor,
	inlineAnalyse,
	releaseAbandonedClaims
} from '../src/lib/server/feedback/processor';
import { startPeriodic, stopPeriodic } from '../src/lib/server/periodic';
import type { Runtime } from '../src/lib/server/runtime';

interface Processing {
	processor: FeedbackProcessor;
	stop(): Promise<void>;
}

const KEY = Symbol.for('parcours.feedback-processing');
type Holder = { [KEY]?: Promise<Processing> };

async function create(runtime: Runtime): Promise<Processing> {
	const { database, config } = runtime;
	// The embedded database has one owner, this process: claims left in it were abandoned by a crash.
	if (database.engine === 'pglite') await releaseAbandonedClaims(database.db);
	const pool =
		config.analysisWorkers > 0
			? createWorkerPool<AnalysisJob, StoredAnalysis[]>({
					entry: new URL('../src/lib/server/feedback/analysis-worker.ts', import.meta.url),
					size: config.analysisWorkers
				})
			: null;
	const processor = new FeedbackProcessor(database.db, {
		analyse: pool ? (job) => pool.run(job) : inlineAnalyse(),
		jobSize: 25,
		claimTimeoutMs: config.feedbackClaimSeconds * 1000,
		// PGlite has no autovacuum: without it dead rows slow the queue and the inbox as they pile up.
		vacuumAfter: database.engine === 'pglite' ? 20_000 : 0
	});
	processor.start();
	// After the processor, so a resumed import's rows are analysed before they are stored.
	await resumeAbandonedImports(runtime);
	return {
		processor,
		async stop() {
			await processor.stop();
			await pool?.close();
		}
	};
}

/**
 * On the embedded database every running import was abandoned by a crash (it has one owner, this
 * process); on PostgreSQL only those whose heartbeat is old, the others being another instance's.
 */
async function resumeAbandonedImports(runtime: Runtime): Promise<void> {
	const { database, config } = runtime;
	const staleMs = config.importStaleSeconds * 1000;
	configureImports({ staleMs });
	await resumeImports(database.db, database.engine === 'pglite' ? { staleMs: 0 } : {});
	// An instance restarted within seconds finds its own import's heartbeat still fresh, and one that
	// never comes back leaves it to the others: look again, not only at start.
	const every = Math.min(30_000, staleMs / 2);
	if (database.engine === 'postgres')
		startPeriodic('import-resume', every, every, () => resumeImports(database.db));
}

export async function startFeedbackProcessing(runtime: Runtime): Promise<Processing | null> {
	if (!runtime.config.processFeedback) {
		await resumeAbandonedImports(runtime);
		return null;
	}
	const holder = globalThis as Holder;
	holder[KEY] ??= create(runtime);
	return holder[KEY];
}

export async function stopFeedbackProcessing(): Promise<void> {
	// Imports store the chunks under way and keep their file and cursor for the next start.
	await stopPeriodic('import-resume');
	await stopImports();
	const holder = globalThis as Holder;
	const p = holder[KEY];
	delete holder[KEY];
	if (p) await (await p).stop();
}
