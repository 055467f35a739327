/**
 * CSV imports: the upload is checked, stored raw in its `feedback_import` row and answered at once with the
 * import's id; the rows are then parsed, validated and stored in the background, a few hundred at a time
 * (`CSV_LIMITS.chunkRows`), yielding to other requests between steps.
 * Progress lives in `feedback_import`, so any page load (or another instance) can show it. `processed` is
 * the cursor: the file's data rows whose items are committed, in file order; an import whose process died
 * is resumed from it (`resumeImports`), and its file is cleared when it ends. Analysis runs on the
 * processor's worker threads, as for every other source.
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { and, desc, eq, getTableColumns, isNotNull, lt, sql } from 'drizzle-orm';
import {
	CSV_FIELDS,
	CSV_LIMITS,
	columnNames,
	csvRowToInput,
	decodeCsv,
	detectDelimiter,
	guessMapping,
	guessRatingKind,
	isDelimiter,
	parseCsv,
	rejectOf,
	sniffNotText,
	writeRejectReport,
	type CsvDelimiter,
	type CsvMapping,
	type CsvReject,
	type CsvRowSettings
} from '../../feedback/csv';
import {
	RATING_KINDS,
	type FeedbackChannel,
	type FeedbackInput,
	type RatingKind
} from '../../feedback/types';
import { parseChannel } from '../../feedback/validate';
import { translate, type Locale, type MessageKey } from '../../i18n';
import { isId, requireAccess, type Actor } from '../access';
import type { Db } from '../db';
import { feedback, feedbackImport, journey } from '../db/schema';
import { AppError, invalid, notFound } from '../errors';
import { ingestFeedback } from './ingest';
import { activeProcessor, type AnalysedFields } from './processor';

/** What the person importing chose; everything is optional (guessed or defaulted). */
export interface CsvImportSettings {
	filename?: string;
	/** Journey of every row (its touchpoints are what the analysis matches). */
	journeyId?: string | null;
	/** Channel of rows without a channel column or value; default `other`. */
	channel?: string | null;
	/** Column index per field; guessed from the header when absent. */
	mapping?: CsvMapping | null;
	/** Scale of the rating column when no `rating_kind` column says; guessed from its header when absent. */
	ratingKind?: string | null;
	/** Default true. */
	hasHeader?: boolean;
	/** Detected from the header line when absent. */
	delimiter?: string | null;
}

export type ImportStatus = 'running' | 'done' | 'failed';

export interface ImportProgress {
	id: string;
	filename: string;
	status: ImportStatus;
	/** Data rows in the file; 0 until the file has been counted. */
	total: number;
	processed: number;
	inserted: number;
	duplicates: number;
	rejected: number;
	/** Inserted items whose analysis is stored. */
	analysed: number;
	/** Message key of why a failed import stopped. */
	error: MessageKey | null;
	journeyId: string | null;
	createdAt: Date;
	finishedAt: Date | null;
}

interface StoredSettings {
	journeyId: string | null;
	channel: FeedbackChannel;
	mapping: CsvMapping;
	ratingKind: RatingKind | null;
	hasHeader: boolean;
	delimiter: CsvDelimiter;
	encoding: string;
}

/**
 * A running import whose `updated_at` (its heartbeat, written with the progress) is older than this was
 * abandoned: its process died, or stopped it on shutdown (which sets it to the epoch). The server sets
 * its own (`IMPORT_STALE_SECONDS`) with `configureImports`.
 */
const STALE_MS = 120_000;
const MAX_FILENAME = 200;

interface RunningImport {
	task: Promise<void>;
	/** Set by `stopImports`: the task stores the chunks under way and leaves the rest to a resume. */
	stop: boolean;
}

interface ImportRegistry {
	running: Map<string, RunningImport>;
	/** After `stopImports()` on shutdown: this process takes no import up any more. */
	closed: boolean;
	/** Heartbeat age after which a running import is abandoned (`STALE_MS` when unset). */
	staleMs?: number;
}

/** Imports running in this process, shared by the SvelteKit bundle and the server entry. */
const KEY = Symbol.for('parcours.csvImports.v2');
function registry(): ImportRegistry {
	const holder = globalThis as { [KEY]?: ImportRegistry };
	return (holder[KEY] ??= { running: new Map(), closed: false });
}

/** How often a running import writes its progress. */
const PROGRESS_EVERY_MS = 250;

const pause = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Megabytes, for messages that say "{max} MB" / "{max} Mo". */
function humanSize(bytes: number): number {
	return Math.round(bytes / (1024 * 1024));
}

function cleanFilename(name: string | undefined): string {
	const base = (name ?? '')
		.replace(/^.*[/\\]/, '')
		// eslint-disable-next-line no-control-regex
		.replace(/[\u0000-\u001f\u007f]/g, '')
		.trim();
	return (base || 'import.csv').slice(0, MAX_FILENAME);
}

interface Prepared {
	text: string;
	stored: StoredSettings;
	filename: string;
}

/** Checks the file and the choices before anything is stored; every refusal names the field to fix. */
async function prepare(
	db: Db,
	workspaceId: string,
	bytes: Uint8Array,
	settings: CsvImportSettings
): Promise<Prepared> {
	if (bytes.length === 0) throw invalid('file', 'csvImport.error.empty');
	if (bytes.length > CSV_LIMITS.fileBytes)
		throw new AppError(413, 'csvImport.error.tooLarge', { max: humanSize(CSV_LIMITS.fileBytes) }, 'file');
	const notText = sniffNotText(bytes);
	if (notText)
		throw invalid('file', notText === 'binary' ? 'csvImport.error.binary' : 'csvImport.error.xlsx');

	let channel: FeedbackChannel = 'other';
	if (settings.channel) {
		const c = parseChannel(settings.channel);
		if (!c) throw invalid('channel', 'csvImport.error.channel');
		channel = c;
	}
	let journeyId: string | null = null;
	if (settings.journeyId) {
		if (!isId(settings.journeyId)) throw invalid('journeyId', 'csvImport.error.journey');
		const rows = await db
			.select({ id: journey.id })
			.from(journey)
			.where(and(eq(journey.id, settings.journeyId), eq(journey.workspaceId, workspaceId)));
		if (!rows.length) throw invalid('journeyId', 'csvImport.error.journey');
		journeyId = rows[0].id;
	}
	let ratingKind: RatingKind | null = null;
	if (settings.ratingKind) {
		if (!(RATING_KINDS as readonly string[]).includes(settings.ratingKind))
			throw invalid('ratingKind', 'csvImport.error.ratingKind');
		ratingKind = settings.ratingKind as RatingKind;
	}
	if (settings.delimiter && !isDelimiter(settings.delimiter)) throw invalid('delimiter', 'error.badRequest');

	const { text, encoding } = decodeCsv(bytes);
	const delimiter = (settings.delimiter as CsvDelimiter | null) || detectDelimiter(text);
	const hasHeader = settings.hasHeader ?? true;
	const head: string[][] = [];
	for (const r of parseCsv(text, delimiter)) {
		head.push(r.fields);
		if (head.length > CSV_LIMITS.previewRows) break;
	}
	const width = Math.max(0, ...head.map((r) => r.length));
	const header = columnNames(hasHeader ? (head[0] ?? []) : [], width);
	const sample = hasHeader ? head.slice(1) : head;
	if (sample.length === 0) throw invalid('file', 'csvImport.error.noRows');

	let mapping: CsvMapping;
	if (settings.mapping) {
		mapping = {};
		const used = new Set<number>();
		for (const field of CSV_FIELDS) {
			const c = settings.mapping[field];
			if (c === undefined || c === null) continue;
			if (!Number.isInteger(c) || c < 0 || c >= header.length)
				throw invalid(`map_${field}`, 'csvImport.error.column');
			if (used.has(c)) throw invalid(`map_${field}`, 'csvImport.error.sameColumn');
			used.add(c);
			mapping[field] = c;
		}
	} else {
		mapping = hasHeader ? guessMapping(header, sample) : { text: 0 };
	}
	if (mapping.text === undefined) throw invalid('map_text', 'csvImport.error.noText');
	if (mapping.rating !== undefined && mapping.rating_kind === undefined && !ratingKind) {
		ratingKind = guessRatingKind(header[mapping.rating]);
		if (!ratingKind) throw invalid('ratingKind', 'csvImport.error.ratingKind');
	}
	return {
		text,
		filename: cleanFilename(settings.filename),
		stored: { journeyId, channel, mapping, ratingKind, hasHeader, delimiter, encoding }
	};
}

/**
 * Starts importing a CSV file into a workspace and returns the import's id as soon as the file is checked
 * (encoding, delimiter, columns; a refusal is an `AppError` naming the field). The rows are stored in the
 * background, in steps of `CSV_LIMITS.chunkRows` rows that yield to other requests; follow them with
 * `getImport` or await `waitForImport(id)`. Needs 'feedback:handle'. The file is committed first; then each
 * chunk of rows is analysed by this process's processor and stored done, or without one stored `pending`
 * for the queue.
 *
 * ```ts
 * const id = await importCsv(db, user, workspaceId, bytes, { journeyId, channel: 'survey' });
 * const done = await waitForImport(db, id); // { status: 'done', inserted, duplicates, rejected, … }
 * ```
 */
export async function importCsv(
	db: Db,
	actor: Actor,
	workspaceId: string,
	bytes: Uint8Array,
	settings: CsvImportSettings = {}
): Promise<string> {
	await requireAccess(db, actor, 'feedback:handle', { workspaceId });
	const { text, stored, filename } = await prepare(db, workspaceId, bytes, settings);
	// The file is committed with the import before any row is parsed into items: a restart resumes from it.
	const [row] = await db
		.insert(feedbackImport)
		.values({
			workspaceId,
			createdBy: actor!.id,
			filename,
			status: 'running',
			settings: stored,
			file: fileIn(bytes)
		})
		.returning({ id: feedbackImport.id, createdAt: feedbackImport.createdAt });
	launch(db, {
		importId: row.id,
		workspaceId,
		userId: actor!.id,
		text,
		stored,
		startedAt: row.createdAt,
		from: null
	});
	return row.id;
}

/**
 * The file travels as base64 text: the embedded database takes a binary parameter of a few megabytes
 * twenty times slower (an 8.7 MB file: 10.9 s against 0.6 s) and returns it slower too (6.6 MB: 0.9 s
 * against 0.05 s).
 */
function fileIn(bytes: Uint8Array) {
	return sql`decode(${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64')}, 'base64')`;
}
const fileOut = sql<string>`encode(${feedbackImport.file}, 'base64')`;

/** Everything of an import but its file, which can weigh 50 MB and is read only to run the import. */
const { file: _file, ...listedColumns } = getTableColumns(feedbackImport);
const importColumns = { ...listedColumns, hasFile: sql<boolean>`${feedbackImport.file} is not null` };

/**
 * Resolves when an import started in this process has finished or stopped (at once if it is not running
 * here), with its progress. For benchmarks and tests; pages poll `getImport`.
 */
export async function waitForImport(db: Db, importId: string): Promise<ImportProgress | null> {
	await registry().running.get(importId)?.task;
	const [row] = await db.select(importColumns).from(feedbackImport).where(eq(feedbackImport.id, importId));
	return row ? toProgress(row, 0) : null;
}

/**
 * Stops the imports running in this process (all of them, on shutdown; or those named): each stores the
 * chunks under way, writes its cursor and leaves its status `running` with its file, for `resumeImports` here
 * or on another instance. Without ids, this process takes no import up until `resumeImports` is called.
 */
/** How old a running import's heartbeat must be for this process to take it up. */
export function configureImports(options: { staleMs: number }): void {
	registry().staleMs = options.staleMs;
}

const staleMsSetting = () => registry().staleMs ?? STALE_MS;

export async function stopImports(importIds?: string[]): Promise<void> {
	const state = registry();
	if (!importIds) state.closed = true;
	const tasks: Promise<void>[] = [];
	for (const [id, entry] of state.running) {
		if (importIds && !importIds.includes(id)) continue;
		entry.stop = true;
		tasks.push(entry.task);
	}
	await Promise.allSettled(tasks);
}

/** `updated_at` older than `staleMs` (the database's clock, shared by every instance). */
const staleSince = (staleMs: number) =>
	lt(feedbackImport.updatedAt, sql`now() - make_interval(secs => ${staleMs / 1000}::double precision)`);

/**
 * Takes up the imports left `running` with their file whose heartbeat is older than `staleMs`, and runs
 * them from their cursor in this process; returns their ids. Called when the server starts (with 0 on the
 * embedded database, which has one owner). On PostgreSQL several instances may call it: the claim is one
 * `UPDATE … WHERE updated_at < … RETURNING`, so one instance takes each import.
 */
export async function resumeImports(db: Db, options: { staleMs?: number } = {}): Promise<string[]> {
	const staleMs = options.staleMs ?? staleMsSetting();
	registry().closed = false;
	const rows = await db
		.select({ id: feedbackImport.id })
		.from(feedbackImport)
		.where(and(eq(feedbackImport.status, 'running'), isNotNull(feedbackImport.file), staleSince(staleMs)));
	const resumed: string[] = [];
	for (const { id } of rows) if (await resume(db, id, staleMs)) resumed.push(id);
	return resumed;
}

/**
 * Takes an abandoned import for this process: marks its heartbeat in the one statement that checks it is
 * still running, has its file and no fresh heartbeat, so of instances claiming it at once one gets it
 * (with what a run needs, the file as base64); the others get null.
 */
export async function claimImport(db: Db, importId: string, staleMs: number) {
	const [row] = await db
		.update(feedbackImport)
		.set({ updatedAt: sql`now()` })
		.where(
			and(
				eq(feedbackImport.id, importId),
				eq(feedbackImport.status, 'running'),
				isNotNull(feedbackImport.file),
				staleSince(staleMs)
			)
		)
		.returning({
			workspaceId: feedbackImport.workspaceId,
			createdBy: feedbackImport.createdBy,
			settings: feedbackImport.settings,
			file: fileOut,
			processed: feedbackImport.processed,
			rejected: feedbackImport.rejected,
			reported: sql<number>`jsonb_array_length(${feedbackImport.rejects})`,
			createdAt: feedbackImport.createdAt
		});
	return row ?? null;
}

async function resume(db: Db, importId: string, staleMs: number): Promise<boolean> {
	const state = registry();
	if (state.closed || state.running.has(importId)) return false;
	const row = await claimImport(db, importId, staleMs);
	if (!row?.file || state.running.has(importId)) return false;
	const inserted = await countInserted(db, importId);
	launch(db, {
		importId,
		workspaceId: row.workspaceId,
		userId: row.createdBy,
		text: decodeCsv(Buffer.from(row.file, 'base64')).text,
		stored: row.settings as StoredSettings,
		startedAt: row.createdAt,
		from: {
			processed: row.processed,
			rejected: row.rejected,
			reported: Number(row.reported),
			inserted,
			duplicates: Math.max(0, row.processed - row.rejected - inserted)
		}
	});
	return true;
}

/** Items stored by the import: after a resume, those its earlier run committed are among them. */
async function countInserted(db: Db, importId: string): Promise<number> {
	const [row] = await db
		.select({ n: sql<number>`count(*)::int` })
		.from(feedback)
		.where(eq(feedback.importId, importId));
	return Number(row?.n ?? 0);
}

interface ImportJob {
	importId: string;
	workspaceId: string;
	userId: string | null;
	/** The file's text (decoded from the stored bytes on a resume). */
	text: string;
	stored: StoredSettings;
	/**
	 * The import's creation: the date of rows that have none and the limit of future dates, the same after a
	 * resume so that a row's item does not change.
	 */
	startedAt: Date;
	/** Where a resumed import stands: data rows of the file whose items are committed, and their counts. */
	from: {
		processed: number;
		rejected: number;
		/** Rejected rows already in the report. */
		reported: number;
		inserted: number;
		duplicates: number;
	} | null;
}

function launch(db: Db, job: ImportJob): void {
	const state = registry();
	const entry: RunningImport = { stop: false, task: Promise.resolve() };
	state.running.set(job.importId, entry);
	entry.task = runImport(db, job, entry).finally(() => state.running.delete(job.importId));
}

/** Rows of one step: those to store, and those rejected while parsing or storing them. */
interface Chunk {
	rows: Array<{ line: number; raw: string; input: FeedbackInput }>;
	rejects: CsvReject[];
	/** Data rows of the file the chunk covers. */
	read: number;
}

async function runImport(db: Db, job: ImportJob, control: RunningImport): Promise<void> {
	const { importId, workspaceId, stored } = job;
	const { delimiter, hasHeader } = stored;
	const rowSettings: CsvRowSettings = {
		mapping: stored.mapping,
		channel: stored.channel,
		journeyId: stored.journeyId,
		ratingKind: stored.ratingKind,
		hash: (s) => createHash('sha256').update(s).digest('hex')
	};
	// The cursor and the counts always describe the same committed rows: they move together, in file
	// order, once a chunk is stored, so a resume neither skips a row nor reports one twice.
	let processed = job.from?.processed ?? 0;
	let rejected = job.from?.rejected ?? 0;
	let reported = job.from?.reported ?? 0;
	let inserted = job.from?.inserted ?? 0;
	let duplicates = job.from?.duplicates ?? 0;
	/** Rejected rows of stored chunks, not written yet (appended to the report with the cursor). */
	let unreported: CsvReject[] = [];
	const progress = () => {
		const report = unreported;
		unreported = [];
		reported += report.length;
		return {
			processed,
			inserted,
			duplicates,
			rejected,
			updatedAt: sql`now()`,
			rejects: report.length ? sql`${feedbackImport.rejects} || ${JSON.stringify(report)}::jsonb` : undefined
		};
	};
	try {
		// Counting first gives the progress bar its end; parsing is cheap next to storing.
		let total = 0;
		let skipHeader = hasHeader;
		for (const _ of parseCsv(job.text, delimiter)) {
			if (skipHeader) {
				skipHeader = false;
				continue;
			}
			if (++total % 5000 === 0) await pause();
		}
		await db
			.update(feedbackImport)
			.set({ total, updatedAt: sql`now()` })
			.where(eq(feedbackImport.id, importId));

		const now = job.startedAt;
		const newChunk = (): Chunk => ({ rows: [], rejects: [], read: 0 });
		let chunk = newChunk();
		// With a processor in this process, each chunk is analysed on its worker threads while the
		// previous one is stored and the next one parsed here, and its rows are written once, done.
		// Without one (PROCESS_FEEDBACK=false) rows are stored pending for the processors elsewhere.
		const analyser = activeProcessor();
		const inFlight: Promise<void>[] = [];
		let progressAt = 0;
		const store = async (
			c: Chunk,
			previous: Promise<void> | undefined,
			analysing: Promise<Array<AnalysedFields | null>> | undefined
		) => {
			await previous;
			if (c.rows.length) {
				const result = await ingestFeedback(
					db,
					{ workspaceId, source: 'csv', createdBy: job.userId, importId },
					c.rows.map((b) => b.input),
					await analysing
				);
				result.items.forEach((item, i) => {
					if (item.id === null)
						c.rejects.push(rejectOf(c.rows[i].line, c.rows[i].raw, [{ code: 'notInJourney' }]));
				});
				inserted += result.created;
				duplicates += result.duplicates;
			}
			processed += c.read;
			rejected += c.rejects.length;
			for (const r of c.rejects) {
				if (reported + unreported.length >= CSV_LIMITS.reportRows) break;
				unreported.push(r);
			}
			// Progress a few times a second is enough for the bar and the heartbeat; the last is written with the end.
			if (Date.now() - progressAt < PROGRESS_EVERY_MS) return;
			progressAt = Date.now();
			await db.update(feedbackImport).set(progress()).where(eq(feedbackImport.id, importId));
		};
		const flush = async () => {
			const c = chunk;
			chunk = newChunk();
			const analysing =
				analyser && c.rows.length
					? analyser.analyseNew(
							c.rows.map(({ input }) => ({
								workspace_id: workspaceId,
								journey_id: input.journeyId,
								given_touchpoint_id: input.touchpointId,
								touchpoint_id: input.touchpointId,
								text: input.text,
								channel: input.channel,
								received_at: input.receivedAt,
								given_language: input.language
							}))
						)
					: undefined;
			// Each chunk is stored after the previous one: the cursor only ever covers committed rows.
			const storing = store(c, inFlight.at(-1), analysing);
			// A failure surfaces when the chain is awaited below, not as an unhandled rejection meanwhile.
			storing.catch(() => {});
			inFlight.push(storing);
			// Two chunks in flight keep the threads busy without holding the whole file's rows.
			if (inFlight.length > 2) await inFlight.shift();
			await pause();
		};
		// Rows before the cursor are committed already (a resumed import): read past them.
		let skip = processed;
		skipHeader = hasHeader;
		for (const record of parseCsv(job.text, delimiter)) {
			if (skipHeader) {
				skipHeader = false;
				continue;
			}
			if (skip > 0) {
				if (--skip % 5000 === 0) await pause();
				continue;
			}
			if (control.stop) break;
			chunk.read++;
			if (record.error) chunk.rejects.push(rejectOf(record.line, record.raw, [{ code: record.error }]));
			else {
				const row = csvRowToInput(record.fields, rowSettings, now);
				if (row.ok) chunk.rows.push({ line: record.line, raw: record.raw, input: row.value });
				else chunk.rejects.push(rejectOf(record.line, record.raw, row.reasons));
			}
			if (chunk.read >= CSV_LIMITS.chunkRows) await flush();
		}
		if (!control.stop) await flush();
		await Promise.all(inFlight);
		if (control.stop) {
			// Committed chunks are in the cursor; the epoch as heartbeat lets the next start (or another
			// instance) take the import up at once.
			await db
				.update(feedbackImport)
				.set({ ...progress(), updatedAt: new Date(0) })
				.where(eq(feedbackImport.id, importId));
			return;
		}
		// Counted from the items, not the run: rows a crashed run committed past its last written cursor are
		// stored again as duplicates of themselves by the resumed run.
		inserted = await countInserted(db, importId);
		duplicates = Math.max(0, processed - rejected - inserted);
		await db
			.update(feedbackImport)
			.set({
				...progress(),
				status: 'done',
				total: processed,
				file: null,
				finishedAt: new Date()
			})
			.where(eq(feedbackImport.id, importId));
	} catch (e) {
		console.error(`[csv-import] import ${importId} failed`, e);
		await db
			.update(feedbackImport)
			.set({
				...progress(),
				status: 'failed',
				error: 'csvImport.error.internal',
				file: null,
				finishedAt: new Date()
			})
			.where(eq(feedbackImport.id, importId))
			.catch(() => {});
	}
}

type ImportRow = Omit<typeof feedbackImport.$inferSelect, 'file'> & { hasFile: boolean };

function toProgress(row: ImportRow, analysed: number): ImportProgress {
	const settings = (row.settings ?? {}) as Partial<StoredSettings>;
	return {
		id: row.id,
		filename: row.filename,
		status: (['running', 'done', 'failed'] as const).find((s) => s === row.status) ?? 'failed',
		total: row.total,
		processed: row.processed,
		inserted: row.inserted,
		duplicates: row.duplicates,
		rejected: row.rejected,
		analysed,
		error: (row.error as MessageKey | null) ?? null,
		journeyId: settings.journeyId ?? null,
		createdAt: row.createdAt,
		finishedAt: row.finishedAt
	};
}

/**
 * An import left `running` by a process that died is taken up here from its stored file; one without a
 * file (started before files were kept) is marked failed, so the page does not wait for ever.
 */
async function settleStale(db: Db, row: ImportRow): Promise<ImportRow> {
	if (row.status !== 'running' || registry().running.has(row.id)) return row;
	const staleMs = staleMsSetting();
	if (Date.now() - row.updatedAt.getTime() < staleMs) return row;
	if (row.hasFile) {
		await resume(db, row.id, staleMs);
		return row;
	}
	const [updated] = await db
		.update(feedbackImport)
		.set({ status: 'failed', error: 'csvImport.progress.interrupted', finishedAt: new Date() })
		.where(and(eq(feedbackImport.id, row.id), eq(feedbackImport.status, 'running')))
		.returning(importColumns);
	return updated ?? row;
}

async function loadImport(db: Db, workspaceId: string, importId: string): Promise<ImportRow> {
	if (!isId(importId)) throw notFound();
	const [row] = await db
		.select(importColumns)
		.from(feedbackImport)
		.where(and(eq(feedbackImport.id, importId), eq(feedbackImport.workspaceId, workspaceId)));
	if (!row) throw notFound();
	return settleStale(db, row);
}

/** Progress of one import of the workspace (404 for an id of another workspace). */
export async function getImport(
	db: Db,
	actor: Actor,
	workspaceId: string,
	importId: string
): Promise<ImportProgress> {
	await requireAccess(db, actor, 'feedback:handle', { workspaceId });
	const row = await loadImport(db, workspaceId, importId);
	let analysed = 0;
	if (row.inserted > 0) {
		const result = await db.execute(
			sql`select count(*)::int as n from feedback where import_id = ${row.id} and status = 'done'`
		);
		const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as Array<{
			n: number;
		}>;
		analysed = Number(rows[0]?.n ?? 0);
	}
	return toProgress(row, analysed);
}

/** The workspace's latest imports, newest first. */
export async function listImports(
	db: Db,
	actor: Actor,
	workspaceId: string,
	limit = 10
): Promise<ImportProgress[]> {
	await requireAccess(db, actor, 'feedback:handle', { workspaceId });
	const rows = await db
		.select(importColumns)
		.from(feedbackImport)
		.where(eq(feedbackImport.workspaceId, workspaceId))
		.orderBy(desc(feedbackImport.createdAt))
		.limit(limit);
	return Promise.all(rows.map(async (r) => toProgress(await settleStale(db, r), 0)));
}

/** The rejected rows as a CSV in the reader's language: row number, reason, original line. */
export async function importReport(
	db: Db,
	actor: Actor,
	workspaceId: string,
	importId: string,
	locale: Locale
): Promise<{ filename: string; body: string }> {
	await requireAccess(db, actor, 'feedback:handle', { workspaceId });
	const row = await loadImport(db, workspaceId, importId);
	const rejects = (Array.isArray(row.rejects) ? row.rejects : []) as CsvReject[];
	const t = (key: MessageKey, params?: Record<string, string | number>) => translate(locale, key, params);
	const body = writeRejectReport(
		rejects,
		{
			line: t('csvImport.report.line'),
			reason: t('csvImport.report.reason'),
			original: t('csvImport.report.original'),
			more: t('csvImport.report.more', { count: row.rejected - rejects.length })
		},
		(reason) => t(`csvImport.reject.${reason.code}` as MessageKey, reason.params),
		locale === 'fr' ? ';' : ',',
		row.rejected - rejects.length
	);
	const base = row.filename.replace(/\.(csv|txt|tsv)$/i, '');
	return { filename: `${t('csvImport.report.filename')}-${base}.csv`, body };
}

// ── Reading the upload ──────────────────────────────────────────────────────────────────────────

/** Reads a Node request stream up to `limit` bytes; more is a 413. */
async function readNodeStream(stream: Readable, limit: number): Promise<Uint8Array> {
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of stream) {
		size += (chunk as Buffer).length;
		if (size > limit) {
			stream.destroy();
			throw new AppError(413, 'csvImport.error.tooLarge', { max: humanSize(limit) }, 'file');
		}
		chunks.push(chunk as Buffer);
	}
	const all = Buffer.concat(chunks);
	return new Uint8Array(all.buffer, all.byteOffset, all.byteLength);
}

/**
 * The upload form (multipart: `file`, `journeyId`, `channel`, `ratingKind`, `hasHeader`, `delimiter`, and
 * `map_<field>` column indexes when `mapped` is set). The app's body limit (BODY_SIZE_LIMIT, 512 KB by
 * default) is right for every other form but not for a spreadsheet: when the declared length is above it,
 * the Node request adapter-node hands us as `platform.req` has not been touched (SvelteKit errors its own
 * body stream without reading), so we read it ourselves up to the import's own limit.
 */
export async function readImportForm(
	request: Request,
	platform: unknown
): Promise<{ bytes: Uint8Array; settings: CsvImportSettings }> {
	const limit = CSV_LIMITS.fileBytes + 64 * 1024;
	const type = request.headers.get('content-type') ?? '';
	if (!/^multipart\/form-data/i.test(type)) throw invalid('file', 'csvImport.error.file');
	const length = Number(request.headers.get('content-length'));
	if (Number.isFinite(length) && length > limit)
		throw new AppError(413, 'csvImport.error.tooLarge', { max: humanSize(CSV_LIMITS.fileBytes) }, 'file');
	const req = (platform as { req?: unknown } | undefined)?.req;
	let form: FormData;
	try {
		if (req instanceof Readable && Number.isFinite(length) && length > 0 && !req.readableDidRead) {
			const body = await readNodeStream(req, limit);
			form = await new Response(body as unknown as BodyInit, {
				headers: { 'content-type': type }
			}).formData();
		} else {
			form = await request.formData();
		}
	} catch (e) {
		if (e instanceof AppError) throw e;
		if ((e as { status?: number })?.status === 413)
			throw new AppError(413, 'csvImport.error.tooLarge', { max: humanSize(CSV_LIMITS.fileBytes) }, 'file');
		throw invalid('file', 'csvImport.error.upload');
	}
	const file = form.get('file');
	if (!(file instanceof Blob)) throw invalid('file', 'csvImport.error.file');
	const text = (name: string) => {
		const v = form.get(name);
		return typeof v === 'string' ? v.trim() : '';
	};
	let mapping: CsvMapping | null = null;
	if (text('mapped')) {
		mapping = {};
		for (const field of CSV_FIELDS) {
			const v = text(`map_${field}`);
			if (v === '') continue;
			const c = Number(v);
			if (!Number.isInteger(c)) throw invalid(`map_${field}`, 'csvImport.error.column');
			mapping[field] = c;
		}
	}
	return {
		bytes: new Uint8Array(await file.arrayBuffer()),
		settings: {
			filename: (file as File).name || undefined,
			journeyId: text('journeyId') || null,
			channel: text('channel') || null,
			ratingKind: text('ratingKind') || null,
			hasHeader: form.has('hasHeaderSet') ? form.get('hasHeader') !== null : true,
			delimiter: form.get('delimiter') ? String(form.get('delimiter')) : null,
			mapping
		}
	};
}
