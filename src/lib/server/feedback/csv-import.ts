/**
 * CSV imports: the upload is checked and answered at once with the import's id; the rows are then parsed,
 * validated and stored in the background, a few hundred at a time (`CSV_LIMITS.chunkRows`), yielding to
 * other requests between steps.
 * Progress lives in `feedback_import`, so any page load (or another instance) can show it; analysis is the
 * processor's job (worker threads), as for every other source.
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { and, desc, eq, sql } from 'drizzle-orm';
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
	type CsvReason,
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
import { feedbackImport, journey } from '../db/schema';
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
	/** Last sign of life of the task running the import (ISO instant). */
	heartbeatAt?: string;
}

/** A running import whose task has not written for this long died with its process. */
const STALE_MS = 120_000;
const MAX_FILENAME = 200;

/** Imports running in this process, shared by the SvelteKit bundle and the server entry. */
const KEY = Symbol.for('parcours.csvImports');
function running(): Map<string, Promise<void>> {
	const holder = globalThis as { [KEY]?: Map<string, Promise<void>> };
	return (holder[KEY] ??= new Map());
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
 * background, in steps of `CSV_LIMITS.chunkRows` rows that yield to other requests; follow them with `getImport` or await
 * `waitForImport(id)`. Needs 'feedback:handle'. Items are stored `pending`; the processor analyses them.
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
	const now = new Date();
	const [row] = await db
		.insert(feedbackImport)
		.values({
			workspaceId,
			createdBy: actor!.id,
			filename,
			status: 'running',
			settings: { ...stored, heartbeatAt: now.toISOString() }
		})
		.returning({ id: feedbackImport.id });
	const task = runImport(db, row.id, workspaceId, actor!.id, text, stored).finally(() =>
		running().delete(row.id)
	);
	running().set(row.id, task);
	return row.id;
}

/**
 * Resolves when an import started in this process has finished (at once if it is not running here), with
 * its final progress. For benchmarks and tests; pages poll `getImport`.
 */
export async function waitForImport(db: Db, importId: string): Promise<ImportProgress | null> {
	await running().get(importId);
	const [row] = await db.select().from(feedbackImport).where(eq(feedbackImport.id, importId));
	return row ? toProgress(row, 0) : null;
}

async function runImport(
	db: Db,
	importId: string,
	workspaceId: string,
	userId: string,
	text: string,
	stored: StoredSettings
): Promise<void> {
	const { delimiter, hasHeader } = stored;
	const rowSettings: CsvRowSettings = {
		mapping: stored.mapping,
		channel: stored.channel,
		journeyId: stored.journeyId,
		ratingKind: stored.ratingKind,
		hash: (s) => createHash('sha256').update(s).digest('hex')
	};
	const heartbeat = () =>
		sql`jsonb_set(${feedbackImport.settings}, '{heartbeatAt}', to_jsonb(${new Date().toISOString()}::text))`;
	const rejects: CsvReject[] = [];
	let rejected = 0;
	const reject = (line: number, raw: string, reasons: CsvReason[]) => {
		rejected++;
		if (rejects.length < CSV_LIMITS.reportRows) rejects.push(rejectOf(line, raw, reasons));
	};
	try {
		// Counting first gives the progress bar its end; parsing is cheap next to storing.
		let total = 0;
		let skipHeader = hasHeader;
		for (const _ of parseCsv(text, delimiter)) {
			if (skipHeader) {
				skipHeader = false;
				continue;
			}
			if (++total % 5000 === 0) await pause();
		}
		await db
			.update(feedbackImport)
			.set({ total, settings: heartbeat() })
			.where(eq(feedbackImport.id, importId));

		const now = new Date();
		let processed = 0;
		let inserted = 0;
		let duplicates = 0;
		let step = 0;
		let batch: Array<{ line: number; raw: string; input: FeedbackInput }> = [];
		// With a processor in this process, each chunk is analysed on its worker threads while the
		// previous one is stored and the next one parsed here, and its rows are written once, done.
		// Without one (PROCESS_FEEDBACK=false) rows are stored pending for the processors elsewhere.
		const analyser = activeProcessor();
		const inFlight: Promise<void>[] = [];
		let progressAt = 0;
		const store = async (
			rows: typeof batch,
			rowsRead: number,
			previous: Promise<void> | undefined,
			analysing: Promise<Array<AnalysedFields | null>> | undefined
		) => {
			await previous;
			if (rows.length) {
				const result = await ingestFeedback(
					db,
					{ workspaceId, source: 'csv', createdBy: userId, importId },
					rows.map((b) => b.input),
					await analysing
				);
				result.items.forEach((item, i) => {
					if (item.id === null) reject(rows[i].line, rows[i].raw, [{ code: 'notInJourney' }]);
				});
				inserted += result.created;
				duplicates += result.duplicates;
			}
			processed += rowsRead;
			// Progress a few times a second is enough for the bar and the heartbeat; the last is written with the end.
			if (Date.now() - progressAt < PROGRESS_EVERY_MS) return;
			progressAt = Date.now();
			await db
				.update(feedbackImport)
				.set({ processed, inserted, duplicates, rejected, settings: heartbeat() })
				.where(eq(feedbackImport.id, importId));
		};
		const flush = async () => {
			const rows = batch;
			const analysing =
				analyser && rows.length
					? analyser.analyseNew(
							rows.map(({ input }) => ({
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
			const storing = store(rows, step, inFlight.at(-1), analysing);
			// A failure surfaces when the chain is awaited below, not as an unhandled rejection meanwhile.
			storing.catch(() => {});
			inFlight.push(storing);
			step = 0;
			batch = [];
			// Two chunks in flight keep the threads busy without holding the whole file's rows.
			if (inFlight.length > 2) await inFlight.shift();
			await pause();
		};
		skipHeader = hasHeader;
		for (const record of parseCsv(text, delimiter)) {
			if (skipHeader) {
				skipHeader = false;
				continue;
			}
			step++;
			if (record.error) reject(record.line, record.raw, [{ code: record.error }]);
			else {
				const row = csvRowToInput(record.fields, rowSettings, now);
				if (row.ok) batch.push({ line: record.line, raw: record.raw, input: row.value });
				else reject(record.line, record.raw, row.reasons);
			}
			if (step >= CSV_LIMITS.chunkRows) await flush();
		}
		await flush();
		await Promise.all(inFlight);
		await db
			.update(feedbackImport)
			.set({
				status: 'done',
				total: processed,
				processed,
				inserted,
				duplicates,
				rejected,
				rejects,
				finishedAt: new Date()
			})
			.where(eq(feedbackImport.id, importId));
	} catch (e) {
		console.error(`[csv-import] import ${importId} failed`, e);
		await db
			.update(feedbackImport)
			.set({ status: 'failed', error: 'csvImport.error.internal', rejects, rejected, finishedAt: new Date() })
			.where(eq(feedbackImport.id, importId))
			.catch(() => {});
	}
}

type ImportRow = typeof feedbackImport.$inferSelect;

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

/** An import left `running` by a process that died is marked failed, so the page does not wait for ever. */
async function settleStale(db: Db, row: ImportRow): Promise<ImportRow> {
	if (row.status !== 'running' || running().has(row.id)) return row;
	const beat =
		Date.parse((row.settings as Partial<StoredSettings>)?.heartbeatAt ?? '') || row.createdAt.getTime();
	if (Date.now() - beat < STALE_MS) return row;
	const [updated] = await db
		.update(feedbackImport)
		.set({ status: 'failed', error: 'csvImport.progress.interrupted', finishedAt: new Date() })
		.where(and(eq(feedbackImport.id, row.id), eq(feedbackImport.status, 'running')))
		.returning();
	return updated ?? row;
}

async function loadImport(db: Db, workspaceId: string, importId: string): Promise<ImportRow> {
	if (!isId(importId)) throw notFound();
	const [row] = await db
		.select()
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
		.select()
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
