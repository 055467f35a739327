/**
 * Analyses pending feedback. The `feedback` table is the queue: a processor claims a batch of pending
 * items with `FOR UPDATE SKIP LOCKED` (several processes can share it on PostgreSQL), analyses it (in worker
 * threads in the app, inline in tests), and stores each result, the effective fields, the search
 * vector and the touchpoint aggregates in one transaction guarded by its claim token — so an item's
 * analysis is stored once, and an item whose processor died is claimed again after `claimTimeoutMs`.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { createAnalyzerCache, type AnalysisJob } from '../../analysis';
import { analyseForStorage, type StoredAnalysis } from '../../feedback/stored-analysis';
import { emotionScore } from '../../feedback/stats';
import type { FeedbackChannel } from '../../feedback/types';
import type { Db } from '../db';
import { jsonArray, pgArray, rowsOf } from '../db/raw';
import { emit, on } from '../events';
import { adjustAggregates, type CountedItem } from './aggregates';
import { analysisChannel, createContextCache, type ContextCache, type JourneyContext } from './context';

/** Runs one analysis job: in worker threads (`./analysis-worker`) or inline. */
export type AnalyseFn = (job: AnalysisJob) => Promise<StoredAnalysis[]>;

export interface ProcessorOptions {
	analyse?: AnalyseFn;
	/** Items claimed per round. Default 200. */
	batchSize?: number;
	/** Items per analysis job (jobs of one batch run in parallel on the pool). Default 50. */
	jobSize?: number;
	/** A claim older than this is considered abandoned (its processor died). Default 60 s. */
	claimTimeoutMs?: number;
	/** Attempts before an item is marked failed. Default 3. */
	maxAttempts?: number;
	/** Poll interval, for items queued by other instances. Default 2 s; 0 disables polling. */
	pollMs?: number;
	/**
	 * Vacuum and analyse the table once the queue is empty and this many items were stored since the
	 * last time. For the embedded database, which has no autovacuum; 0 (default) never.
	 */
	vacuumAfter?: number;
	contexts?: ContextCache;
	log?: (message: string, error?: unknown) => void;
}

interface Claimed {
	id: string;
	workspace_id: string;
	journey_id: string | null;
	given_touchpoint_id: string | null;
	touchpoint_id: string | null;
	text: string;
	channel: FeedbackChannel;
	received_at: Date | string;
	given_language: string | null;
	attempts: number;
	spam: boolean;
	created_at: Date | string;
}

/** What analysis needs of an item, stored or not yet. */
export type AnalysisInput = Pick<
	Claimed,
	| 'workspace_id'
	| 'journey_id'
	| 'given_touchpoint_id'
	| 'touchpoint_id'
	| 'text'
	| 'channel'
	| 'received_at'
	| 'given_language'
>;

/** The columns an analysis sets on an item, ready for an `unnest` of array literals. */
export interface AnalysedFields {
	journeyId: string | null;
	touchpointId: string | null;
	polarity: string;
	score: number;
	/** The stored analysis as JSON text. */
	analysis: string;
	language: string | null;
	/** The text search configuration of the item's language. */
	config: string;
	intent: string;
	stage: string | null;
	/** Array literals (`{a,b}`), one per item, carried inside the batch's text[] columns. */
	emotions: string;
	motives: string;
	products: string;
	places: string;
}

/** Where an analysis places the item and what it stores of it. */
export function analysedFields(it: AnalysisInput, a: StoredAnalysis, ctx: JourneyContext): AnalysedFields {
	const best = a.touchpoint;
	let journeyId = it.journey_id;
	let touchpointId = it.given_touchpoint_id ?? it.touchpoint_id;
	if (!touchpointId && best) {
		const owner = ctx.journeyOf.get(best.id);
		// A learned model knows touchpoints of every journey: only the item's own journey's count.
		if (journeyId ? owner === journeyId : owner && best.confidence >= MIN_JOURNEY_CONFIDENCE) {
			touchpointId = best.id;
			journeyId ??= owner ?? null;
		}
	}
	const language = it.given_language ?? a.language;
	return {
		journeyId,
		touchpointId,
		polarity: a.polarity,
		score: emotionScore(a.strength),
		analysis: a.json,
		language,
		config: TS_CONFIG[language ?? ''] ?? 'simple',
		intent: a.intent,
		stage: a.stage,
		emotions: pgArray(a.emotions),
		motives: pgArray(a.motives),
		products: pgArray(a.products),
		places: pgArray(a.places)
	};
}

const ACTIVE = Symbol.for('parcours.feedback-processor');

/**
 * The processor started in this process, if any: bulk imports hand their rows to its analysis before
 * storing them (see `analyseNew`). On `globalThis` because the SvelteKit bundle and the server entry
 * each load this module.
 */
export function activeProcessor(): FeedbackProcessor | null {
	return (globalThis as { [ACTIVE]?: FeedbackProcessor })[ACTIVE] ?? null;
}

interface Analysed {
	items: Claimed[];
	results: Map<string, { analysis: StoredAnalysis; ctx: JourneyContext }>;
}

/** A claimed batch whose analysis is under way. */
interface Batch {
	token: string;
	claimed: number;
	done: Promise<Analysed | null>;
}

/** How far behind the newest claimed item the next claim starts (items committed a little late). */
const CURSOR_MARGIN_MS = 1000;
/** How often a claim scans the whole queue (released, failed-over and abandoned items). */
const HEAD_SCAN_MS = 10_000;

const TS_CONFIG: Record<string, string> = { fr: 'french', en: 'english', es: 'spanish', de: 'german' };

/** Below this touchpoint confidence an item without a journey is not placed in one. */
const MIN_JOURNEY_CONFIDENCE = 0.35;

/** Analyses in the calling thread, caching analyzers per context id (tests, small installs). */
export function inlineAnalyse(): AnalyseFn {
	const analyzers = createAnalyzerCache();
	return async (job) => analyseForStorage(analyzers, job);
}

function toDate(v: Date | string): Date {
	return v instanceof Date ? v : new Date(v);
}

export class FeedbackProcessor {
	private readonly analyse: AnalyseFn;
	private readonly contexts: ContextCache;
	private readonly ownsContexts: boolean;
	private readonly opts: Required<Omit<ProcessorOptions, 'analyse' | 'contexts'>>;
	private running: Promise<void> | null = null;
	private again = false;
	private stopped = false;
	private timer: ReturnType<typeof setInterval> | null = null;
	private offQueued: (() => void) | null = null;
	/** Items whose analysis this processor stored (for tests and monitoring). */
	analysed = 0;

	constructor(
		private readonly db: Db,
		options: ProcessorOptions = {}
	) {
		this.analyse = options.analyse ?? inlineAnalyse();
		this.ownsContexts = !options.contexts;
		this.contexts = options.contexts ?? createContextCache(db);
		this.opts = {
			batchSize: options.batchSize ?? 200,
			jobSize: options.jobSize ?? 50,
			claimTimeoutMs: options.claimTimeoutMs ?? 60_000,
			maxAttempts: options.maxAttempts ?? 3,
			pollMs: options.pollMs ?? 2000,
			vacuumAfter: options.vacuumAfter ?? 0,
			log: options.log ?? ((m, e) => console.error(`[feedback] ${m}`, e ?? ''))
		};
	}

	/** Processes what is pending now, then whenever items are queued (and on each poll). */
	start(): void {
		(globalThis as { [ACTIVE]?: FeedbackProcessor })[ACTIVE] = this;
		this.offQueued = on('feedback:queued', () => this.wake());
		if (this.opts.pollMs > 0) {
			this.timer = setInterval(() => this.wake(), this.opts.pollMs);
			this.timer.unref?.();
		}
		this.wake();
	}

	/** Runs until the queue is empty; concurrent calls share one run (and trigger one more round). */
	wake(): Promise<void> {
		if (this.stopped) return Promise.resolve();
		if (this.running) {
			this.again = true;
			return this.running;
		}
		this.running = (async () => {
			try {
				do {
					this.again = false;
					let next: Batch | null = await this.prepare();
					while (next.claimed > 0) {
						const current: Batch = next;
						next = this.stopped ? null : await this.prepare();
						await this.finish(current);
						if (!next) break;
						// Items the current batch released (failed analyses) or queued meanwhile.
						if (next.claimed === 0 && !this.stopped) next = await this.prepare();
					}
					// A batch claimed while stopping is stored before the loop ends.
					if (next && next.claimed > 0) await this.finish(next);
				} while (this.again && !this.stopped);
				if (!this.stopped) await this.maybeVacuum();
			} catch (e) {
				this.opts.log('processing round failed; retrying on the next wake', e);
			} finally {
				this.running = null;
			}
		})();
		return this.running;
	}

	/** Stops after the current round; items claimed but not stored are claimed again later. */
	async stop(): Promise<void> {
		this.stopped = true;
		const holder = globalThis as { [ACTIVE]?: FeedbackProcessor };
		if (holder[ACTIVE] === this) delete holder[ACTIVE];
		this.offQueued?.();
		if (this.timer) clearInterval(this.timer);
		await this.running;
		if (this.ownsContexts) this.contexts.close();
	}

	/** Claims one batch, analyses and stores it; returns the number of items claimed. */
	async round(): Promise<number> {
		const batch = await this.prepare();
		await this.finish(batch);
		return batch.claimed;
	}

	/**
	 * Claims a batch and starts its analysis; `finish` stores it. The run loop prepares the next batch
	 * while it stores the current one, so the analysis threads and the database work at the same time.
	 */
	private async prepare(): Promise<Batch> {
		const token = randomUUID();
		const claimed = await this.claim(token);
		if (claimed.length === 0) return { token, claimed: 0, done: Promise.resolve(null) };
		return { token, claimed: claimed.length, done: this.analyseBatch(token, claimed) };
	}

	private async finish(batch: Batch): Promise<void> {
		const ready = await batch.done;
		if (ready) await this.store(batch.token, ready.items, ready.results);
	}

	private async analyseBatch(token: string, claimed: Claimed[]): Promise<Analysed> {
		const exhausted = claimed.filter((c) => c.attempts > this.opts.maxAttempts);
		if (exhausted.length) await this.fail(token, exhausted, 'analysis failed repeatedly');
		const items = claimed.filter((c) => c.attempts <= this.opts.maxAttempts);

		const { results, failed } = await this.analyseGroups(items);
		// Failed items go back to pending (their attempts counted) unless they ran out of attempts.
		if (failed.length) {
			this.opts.log(`analysis failed for ${failed.length} item(s)`, failed[0].error);
			await this.release(
				token,
				failed.map((f) => f.item),
				String((failed[0].error as Error)?.message ?? failed[0].error)
			);
		}
		return { items: items.filter((it) => results.has(it.id)), results };
	}

	/**
	 * Analyses items before they exist in the database, for bulk imports: each row is then written once,
	 * already analysed, instead of inserted, claimed and updated. Returns, per item, the fields to store,
	 * or null where analysis failed (such items are stored pending and the processor tries again).
	 */
	async analyseNew(items: AnalysisInput[]): Promise<Array<AnalysedFields | null>> {
		const keyed = items.map((it, i) => ({ ...it, id: String(i) }));
		const { results } = await this.analyseGroups(keyed);
		return keyed.map((it) => {
			const r = results.get(it.id);
			return r ? analysedFields(it, r.analysis, r.ctx) : null;
		});
	}

	/** Analyses items grouped by (workspace, journey) context, in jobs spread over the pool. */
	private async analyseGroups<T extends AnalysisInput & { id: string }>(
		items: T[]
	): Promise<{
		results: Map<string, { analysis: StoredAnalysis; ctx: JourneyContext }>;
		failed: Array<{ item: T; error: unknown }>;
	}> {
		// One context per (workspace, journey); items without a journey use all the workspace's journeys.
		const groups = new Map<string, T[]>();
		for (const it of items) {
			const key = `${it.workspace_id}|${it.journey_id ?? ''}`;
			const group = groups.get(key);
			if (group) group.push(it);
			else groups.set(key, [it]);
		}
		const jobs: Promise<void>[] = [];
		const results = new Map<string, { analysis: StoredAnalysis; ctx: JourneyContext }>();
		const failed: Array<{ item: T; error: unknown }> = [];
		for (const group of groups.values()) {
			const { workspace_id, journey_id } = group[0];
			let ctx: JourneyContext;
			try {
				ctx = await this.contexts.get(workspace_id, journey_id);
			} catch (error) {
				for (const item of group) failed.push({ item, error });
				continue;
			}
			for (let i = 0; i < group.length; i += this.opts.jobSize) {
				const part = group.slice(i, i + this.opts.jobSize);
				jobs.push(
					this.analyse({
						contextId: ctx.id,
						context: ctx.context,
						items: part.map((it) => ({
							text: it.text,
							receivedAt: toDate(it.received_at),
							channel: analysisChannel(it.channel)
						}))
					}).then(
						(analyses) => part.forEach((item, k) => results.set(item.id, { analysis: analyses[k], ctx })),
						(error) => part.forEach((item) => failed.push({ item, error }))
					)
				);
			}
		}
		await Promise.all(jobs);
		return { results, failed };
	}

	/**
	 * Claims the oldest unclaimed pending items (or ones whose claim timed out). Only the claim columns
	 * change, none of them indexed: on pages with free space (fillfactor 80) PostgreSQL updates the row
	 * in place (HOT), which keeps claiming cheap.
	 */
	private async claim(token: string): Promise<Claimed[]> {
		// Stored rows leave dead entries at the head of the queue index until a vacuum: scanning from
		// where the last claim ended (less a margin for items committed late) skips them. A scan from the
		// head, every few seconds and whenever the cursor finds nothing, takes back released, failed-over
		// and abandoned items.
		const fromHead = !this.cursor || Date.now() - this.lastHeadScan > HEAD_SCAN_MS;
		let rows = await this.claimFrom(token, fromHead ? null : this.cursor);
		if (fromHead) this.lastHeadScan = Date.now();
		else if (rows.length === 0) {
			rows = await this.claimFrom(token, null);
			this.lastHeadScan = Date.now();
		}
		if (rows.length) {
			const newest = Math.max(...rows.map((r) => toDate(r.created_at).getTime()));
			this.cursor = new Date(Math.max(this.cursor?.getTime() ?? 0, newest - CURSOR_MARGIN_MS));
		}
		return rows;
	}

	private cursor: Date | null = null;
	private lastHeadScan = 0;

	private async claimFrom(token: string, from: Date | null): Promise<Claimed[]> {
		const timeout = `${Math.ceil(this.opts.claimTimeoutMs / 1000)} seconds`;
		return this.db.transaction(async (tx) => {
			// Without fresh statistics (the embedded database never analyses on its own) the planner reads
			// every pending row and sorts them: O(backlog) per claim. Walking the queue index in order
			// stops after one batch.
			await tx.execute(sql`set local enable_bitmapscan = off`);
			await tx.execute(sql`set local enable_sort = off`);
			await tx.execute(sql`set local synchronous_commit = off`);
			const rows = await tx.execute(sql`
			update feedback set claim_token = ${token}, claimed_at = now(), attempts = attempts + 1
			where id in (
				select id from feedback
				where status = 'pending' and (claim_token is null or claimed_at < now() - ${timeout}::interval)
					${from ? sql`and created_at >= ${from.toISOString()}::timestamptz` : sql``}
				order by created_at
				limit ${this.opts.batchSize}
				for update skip locked
			)
			returning id, workspace_id, journey_id, given_touchpoint_id, touchpoint_id, text, channel, received_at,
				given_language, attempts, spam, created_at`);
			return rowsOf<Claimed>(rows);
		});
	}

	private storedSinceVacuum = 0;

	/** See `vacuumAfter`. */
	private async maybeVacuum(): Promise<void> {
		if (!this.opts.vacuumAfter || this.storedSinceVacuum < this.opts.vacuumAfter) return;
		this.storedSinceVacuum = 0;
		try {
			await this.db.execute(sql`vacuum (analyze) feedback`);
			await this.db.execute(sql`vacuum (analyze) touchpoint_daily`);
			await this.db.execute(sql`vacuum (analyze) journey_daily`);
		} catch (e) {
			this.opts.log('vacuum failed', e);
		}
	}

	private async release(token: string, items: Claimed[], error: string): Promise<void> {
		const ids = items.map((i) => i.id);
		await this.db.execute(sql`
			update feedback set status = case when attempts >= ${this.opts.maxAttempts} then 'failed'::feedback_status else 'pending'::feedback_status end,
				claim_token = null, claimed_at = null, error = ${error.slice(0, 500)}
			where claim_token = ${token} and id in (${sql.join(
				ids.map((id) => sql`${id}::uuid`),
				sql`, `
			)})`);
	}

	private async fail(token: string, items: Claimed[], error: string): Promise<void> {
		const ids = items.map((i) => i.id);
		await this.db.execute(sql`
			update feedback set status = 'failed', claim_token = null, error = ${error}
			where claim_token = ${token} and id in (${sql.join(
				ids.map((id) => sql`${id}::uuid`),
				sql`, `
			)})`);
	}

	private async store(
		token: string,
		items: Claimed[],
		results: Map<string, { analysis: StoredAnalysis; ctx: JourneyContext }>
	): Promise<void> {
		if (items.length === 0) return;
		const values = items.map((it) => {
			const { analysis, ctx } = results.get(it.id)!;
			return { item: it, ...analysedFields(it, analysis, ctx) };
		});
		const col = (f: (v: (typeof values)[number]) => string | number | null) => pgArray(values.map(f));
		const changed = await this.db.transaction(async (tx) => {
			// Losing this commit in a crash only leaves the items pending, to be analysed again after the
			// restart: no need to wait for the disk (the items themselves were committed durably).
			await tx.execute(sql`set local synchronous_commit = off`);
			const updated = rowsOf<{ id: string }>(
				await tx.execute(sql`
					update feedback f set status = 'done', claim_token = null, error = null, analysed_at = now(),
						analysed_count = f.analysed_count + 1,
						journey_id = v.journey_id, touchpoint_id = v.touchpoint_id, analysis = j.analyses -> (v.ord::int - 1), language = v.language,
						search = to_tsvector(v.cfg, f.text), polarity = v.polarity, score = v.score, intent = v.intent,
						stage = v.stage, emotions = v.emotions::text[], motives = v.motives::text[], products = v.products::text[], places = v.places::text[]
					from unnest(${col((v) => v.item.id)}::uuid[], ${col((v) => v.journeyId)}::uuid[],
						${col((v) => v.touchpointId)}::text[], ${col((v) => v.language)}::text[],
						${col((v) => v.config)}::regconfig[], ${col((v) => v.polarity)}::text[], ${col((v) => v.score)}::real[],
						${col((v) => v.intent)}::text[], ${col((v) => v.stage)}::text[], ${col((v) => v.emotions)}::text[],
						${col((v) => v.motives)}::text[], ${col((v) => v.products)}::text[], ${col((v) => v.places)}::text[])
						with ordinality as v(id, journey_id, touchpoint_id, language, cfg, polarity, score, intent, stage, emotions, motives, products, places, ord),
						(select ${jsonArray(values.map((v) => v.analysis))}::jsonb as analyses) j
					where f.id = v.id and f.claim_token = ${token} and f.status = 'pending'
					returning f.id`)
			);
			const stored = new Set(updated.map((r) => r.id));
			const counted: Array<{ item: CountedItem; sign: 1 }> = [];
			for (const v of values) {
				if (!stored.has(v.item.id)) continue;
				counted.push({
					sign: 1,
					item: {
						workspaceId: v.item.workspace_id,
						journeyId: v.journeyId,
						touchpointId: v.touchpointId,
						receivedAt: toDate(v.item.received_at),
						channel: v.item.channel,
						status: 'done',
						spam: v.item.spam,
						polarity: v.polarity,
						score: v.score
					}
				});
			}
			await adjustAggregates(tx as unknown as Db, counted);
			return values.filter((v) => stored.has(v.item.id));
		});
		this.analysed += changed.length;
		this.storedSinceVacuum += changed.length;
		const byWorkspace = new Map<string, { journeyIds: Set<string>; itemIds: string[] }>();
		for (const v of changed) {
			const w = byWorkspace.get(v.item.workspace_id) ?? { journeyIds: new Set(), itemIds: [] };
			if (v.journeyId) w.journeyIds.add(v.journeyId);
			w.itemIds.push(v.item.id);
			byWorkspace.set(v.item.workspace_id, w);
		}
		for (const [workspaceId, w] of byWorkspace) {
			emit('feedback:changed', { workspaceId, journeyIds: [...w.journeyIds], itemIds: w.itemIds });
		}
	}
}

/** Analyses everything pending, inline, and returns how many items were stored (tests, scripts). */
export async function processPending(db: Db, options: ProcessorOptions = {}): Promise<number> {
	const processor = new FeedbackProcessor(db, { pollMs: 0, ...options });
	try {
		while ((await processor.round()) > 0);
		return processor.analysed;
	} finally {
		await processor.stop();
	}
}

/**
 * On an embedded database this process is the only one: claims left by a previous run of it were
 * abandoned by a crash and can be taken back at once, without waiting for the claim timeout.
 */
export async function releaseAbandonedClaims(db: Db): Promise<void> {
	await db.execute(
		sql`update feedback set claim_token = null, claimed_at = null where status in ('pending', 'processing') and claim_token is not null`
	);
	// Rows claimed by versions that marked claims with the status.
	await db.execute(sql`update feedback set status = 'pending' where status = 'processing'`);
}
