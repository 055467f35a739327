/**
 * CSV files as spreadsheets export them, turned into feedback items: decoding (UTF-8 with or without BOM,
 * UTF-16 with BOM, Windows-1252), delimiter detection, a tolerant record parser, column guesses from French
 * and English headers, row → item mapping with a stable external id, and the rejected-rows report.
 *
 * Pure and synchronous: the import page runs it in the browser on the first bytes of a file for the
 * preview, the server runs it on the whole file in chunks. We use our own parser rather than `csv-parse`
 * because we need, per record, its line number and original text for the report, recovery after a broken
 * quote at the next line (csv-parse stops or swallows the rest of the file), and a generator the server
 * can pause between chunks without stream plumbing.
 */
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeHexLowerCase } from '@oslojs/encoding';
import {
	FEEDBACK_CHANNELS,
	FEEDBACK_LANGUAGES,
	FEEDBACK_LIMITS,
	RATING_KINDS,
	RATING_RANGE,
	type FeedbackChannel,
	type FeedbackInput,
	type RatingKind
} from './types';
import { parseInstant, validateFeedbackInput, type FieldIssue } from './validate';

export const CSV_LIMITS = {
	/** Largest file accepted. */
	fileBytes: 50 * 1024 * 1024,
	/** Bytes the page reads for the preview. */
	previewBytes: 256 * 1024,
	previewRows: 8,
	/**
	 * Rows stored per step; the server yields to other requests between steps. On the embedded database
	 * every INSERT runs on the main thread: under load, steps of 1,000 rows held the event loop up to
	 * ~650 ms, steps of 250 about 250 ms, for about the same total time (100,000 rows in 15–20 s).
	 */
	chunkRows: 250,
	/** Characters of an original line kept in the report. */
	reportLineChars: 1000,
	/** Rejected rows listed in the report (all are counted). */
	reportRows: 10_000
} as const;

// ── Decoding ─────────────────────────────────────────────────────────────────────────────────────

export type CsvEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

export interface Decoded {
	text: string;
	encoding: CsvEncoding;
}

/** What a file that is not text looks like, so the page can say what to do instead. */
export type NotText = 'xlsx' | 'xls' | 'binary';

/** Recognises spreadsheets and other binary files by their first bytes. */
export function sniffNotText(bytes: Uint8Array): NotText | null {
	if (bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04)
		return 'xlsx';
	if (bytes.length >= 4 && bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0)
		return 'xls';
	if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) return null;
	if (utf16WithoutBom(bytes)) return null;
	const n = Math.min(bytes.length, 4096);
	let controls = 0;
	for (let i = 0; i < n; i++) {
		const b = bytes[i];
		if (b < 9) controls++;
	}
	return n > 0 && controls / n > 0.01 ? 'binary' : null;
}

/** UTF-16 text saved without a BOM: every other byte of ASCII text is zero. */
function utf16WithoutBom(bytes: Uint8Array): CsvEncoding | null {
	const n = Math.min(bytes.length, 4096) & ~1;
	if (n < 4) return null;
	let evenZero = 0;
	let oddZero = 0;
	for (let i = 0; i < n; i += 2) {
		if (bytes[i] === 0) evenZero++;
		if (bytes[i + 1] === 0) oddZero++;
	}
	const pairs = n / 2;
	if (oddZero > pairs * 0.4 && evenZero < pairs * 0.05) return 'utf-16le';
	if (evenZero > pairs * 0.4 && oddZero < pairs * 0.05) return 'utf-16be';
	return null;
}

/**
 * Decodes a file's bytes: a BOM decides (UTF-8, UTF-16 LE/BE); otherwise strict UTF-8, and Windows-1252
 * (what French Excel writes as "CSV (séparateur: point-virgule)", a superset of Latin-1) when the bytes are
 * not valid UTF-8. `partial` is for the first bytes of a larger file: a character cut at the end is dropped
 * rather than taken as proof that the file is not UTF-8.
 */
export function decodeCsv(bytes: Uint8Array, options: { partial?: boolean } = {}): Decoded {
	const stream = !!options.partial;
	const decode = (encoding: CsvEncoding, from: number, fatal = false) =>
		new TextDecoder(encoding, { fatal, ignoreBOM: true }).decode(bytes.subarray(from), { stream });
	if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)
		return { text: decode('utf-8', 3), encoding: 'utf-8' };
	if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: decode('utf-16le', 2), encoding: 'utf-16le' };
	if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: decode('utf-16be', 2), encoding: 'utf-16be' };
	const utf16 = utf16WithoutBom(bytes);
	if (utf16) return { text: decode(utf16, 0), encoding: utf16 };
	try {
		return { text: decode('utf-8', 0, true), encoding: 'utf-8' };
	} catch {
		return { text: decodeWindows1252(bytes), encoding: 'windows-1252' };
	}
}

/** 0x80–0x9F of Windows-1252 (€, ‚, ƒ, „, …, –, —, œ, Œ, ’…); the other bytes are their own code point. */
const CP1252_HIGH =
	'\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
	'\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

/**
 * Node's `TextDecoder('windows-1252')` decodes as ISO-8859-1 (0x80 stays U+0080 instead of €), so the
 * table is ours; it is exact and cheap, and the browser gets the same answer.
 */
function decodeWindows1252(bytes: Uint8Array): string {
	const parts: string[] = [];
	const step = 16384;
	for (let start = 0; start < bytes.length; start += step) {
		const end = Math.min(bytes.length, start + step);
		const codes = new Array<number>(end - start);
		for (let i = start; i < end; i++) {
			const b = bytes[i];
			codes[i - start] = b >= 0x80 && b < 0xa0 ? CP1252_HIGH.charCodeAt(b - 0x80) : b;
		}
		parts.push(String.fromCharCode(...codes));
	}
	return parts.join('');
}

// ── Delimiters and records ───────────────────────────────────────────────────────────────────────

export const CSV_DELIMITERS = [';', ',', '\t', '|'] as const;
export type CsvDelimiter = (typeof CSV_DELIMITERS)[number];

export function isDelimiter(value: unknown): value is CsvDelimiter {
	return typeof value === 'string' && (CSV_DELIMITERS as readonly string[]).includes(value);
}

const QUOTE = 34;
const LF = 10;
const CR = 13;

/**
 * The delimiter is the candidate seen most often in the header line, outside quotes (ties go to `;`, the
 * French default, then `,`). A single-column file gets a delimiter that does not occur at all near the
 * start, so commas in its text do not split it.
 */
export function detectDelimiter(text: string): CsvDelimiter {
	const counts = new Map<string, number>(CSV_DELIMITERS.map((d) => [d, 0]));
	let quoted = false;
	let seen = false;
	const end = Math.min(text.length, 64 * 1024);
	for (let i = 0; i < end; i++) {
		const c = text[i];
		if (c === '"') quoted = !quoted;
		else if (!quoted && (c === '\n' || c === '\r')) {
			if (seen) break;
		} else if (!quoted && counts.has(c)) counts.set(c, counts.get(c)! + 1);
		if (c !== '\n' && c !== '\r') seen = true;
	}
	let best: CsvDelimiter = ';';
	let max = 0;
	for (const d of CSV_DELIMITERS) {
		if (counts.get(d)! > max) {
			best = d;
			max = counts.get(d)!;
		}
	}
	if (max > 0) return best;
	const head = text.slice(0, end);
	return (['\t', '|', ';', ','] as const).find((d) => !head.includes(d)) ?? ',';
}

export type CsvParseError = 'unterminatedQuote' | 'strayQuote' | 'restUnreadable';

export interface CsvRecord {
	/** Line of the file (1-based) where the record starts: what a text editor or spreadsheet shows. */
	line: number;
	fields: string[];
	/** The record as written in the file, without its line break. */
	raw: string;
	/** Set when the record could not be read; `fields` is then empty. */
	error?: CsvParseError;
}

function lineEnd(text: string, from: number): number {
	for (let i = from; i < text.length; i++) {
		const c = text.charCodeAt(i);
		if (c === LF || c === CR) return i;
	}
	return text.length;
}

function afterBreak(text: string, i: number): number {
	if (i >= text.length) return i;
	return text.charCodeAt(i) === CR && text.charCodeAt(i + 1) === LF ? i + 2 : i + 1;
}

function countBreaks(text: string, from: number, to: number): number {
	let n = 0;
	for (let i = from; i < to; i++) {
		const c = text.charCodeAt(i);
		if (c === LF || (c === CR && text.charCodeAt(i + 1) !== LF)) n++;
	}
	return n;
}

/**
 * Reads records one at a time (RFC 4180, CRLF or LF). Quoted fields may hold delimiters, line breaks and
 * doubled quotes; a quote inside an unquoted field is kept as text. A quoted field that is never closed,
 * or whose closing quote is followed by text, makes that record unreadable: it is reported with the error
 * and reading resumes at the next line, so one bad row does not take the rest of the file with it.
 * Blank lines (and lines of delimiters only) are skipped. Linear in the file size: each quote is scanned
 * at most once or twice, and a budget stops pathological files with a `restUnreadable` record.
 */
export function* parseCsv(text: string, delimiter: CsvDelimiter, start = 0): Generator<CsvRecord> {
	const n = text.length;
	const d = delimiter.charCodeAt(0);
	let pos = start;
	let line = 1 + countBreaks(text, 0, start);
	let budget = 4 * n + 1_000_000;
	while (pos < n) {
		const recordStart = pos;
		const fields: string[] = [];
		let i = pos;
		let error: CsvParseError | undefined;
		for (;;) {
			if (i < n && text.charCodeAt(i) === QUOTE) {
				let value = '';
				let seg = i + 1;
				let j = i + 1;
				for (;;) {
					const q = text.indexOf('"', j);
					if (q === -1) {
						budget -= n - i;
						error = 'unterminatedQuote';
						break;
					}
					budget -= q - j;
					const next = q + 1 < n ? text.charCodeAt(q + 1) : -1;
					if (next === QUOTE) {
						value += text.slice(seg, q + 1);
						j = seg = q + 2;
						continue;
					}
					if (next === -1 || next === d || next === LF || next === CR) {
						value += text.slice(seg, q);
						i = q + 1;
						break;
					}
					// A stray quote on a later line means this field's own quote was never closed.
					error = /[\r\n]/.test(text.slice(i, q)) ? 'unterminatedQuote' : 'strayQuote';
					break;
				}
				if (error) break;
				fields.push(value);
			} else {
				let j = i;
				while (j < n) {
					const c = text.charCodeAt(j);
					if (c === d || c === LF || c === CR) break;
					j++;
				}
				fields.push(text.slice(i, j));
				i = j;
			}
			if (i >= n) break;
			if (text.charCodeAt(i) === d) {
				i++;
				continue;
			}
			break; // a line break ends the record
		}
		if (error) {
			const end = lineEnd(text, recordStart);
			const out: CsvRecord = { line, fields: [], raw: text.slice(recordStart, end), error };
			if (budget < 0) {
				yield { ...out, error: 'restUnreadable' };
				return;
			}
			yield out;
			pos = afterBreak(text, end);
			line += 1;
			continue;
		}
		const end = i;
		pos = afterBreak(text, i);
		const breaks = countBreaks(text, recordStart, end);
		const recordLine = line;
		line += breaks + 1;
		if (fields.every((f) => f.trim() === '')) continue;
		yield { line: recordLine, fields, raw: text.slice(recordStart, end) };
	}
}

// ── Columns ──────────────────────────────────────────────────────────────────────────────────────

/** Fields a column can be mapped to (the API's names). */
export const CSV_FIELDS = [
	'text',
	'channel',
	'received_at',
	'customer_id',
	'customer_name',
	'customer_contact',
	'rating',
	'rating_kind',
	'language',
	'external_id',
	'touchpoint_id'
] as const;
export type CsvField = (typeof CSV_FIELDS)[number];

/** Column index (0-based) of each mapped field. */
export type CsvMapping = Partial<Record<CsvField, number>>;

/** Lower case, no accents, words separated by one space: `Date de réception` → `date de reception`. */
export function foldHeader(s: string): string {
	return s
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, ' ')
		.trim();
}

/** Header names people use, in French and English, folded; the first ones are the surest. */
const SYNONYMS: Record<CsvField, string[]> = {
	text: [
		'text',
		'texte',
		'feedback',
		'verbatim',
		'comment',
		'comments',
		'commentaire',
		'commentaires',
		'message',
		'avis',
		'review',
		'remarque',
		'remarques',
		'content',
		'contenu',
		'body',
		'corps',
		'retour',
		'reponse',
		'answer',
		'description',
		'observation',
		'observations'
	],
	channel: ['channel', 'canal', 'source', 'media', 'support', 'origine', 'origin'],
	received_at: [
		'received at',
		'received',
		'date',
		'date de reception',
		'recu le',
		'date heure',
		'datetime',
		'timestamp',
		'horodatage',
		'created at',
		'created',
		'date de creation',
		'submitted at',
		'time',
		'heure'
	],
	customer_id: [
		'customer id',
		'client id',
		'id client',
		'numero client',
		'n client',
		'no client',
		'num client',
		'customer number',
		'user id',
		'account id',
		'identifiant client',
		'code client'
	],
	customer_name: [
		'customer name',
		'nom du client',
		'nom client',
		'name',
		'nom',
		'full name',
		'nom complet',
		'client',
		'customer',
		'auteur',
		'author'
	],
	customer_contact: [
		'customer contact',
		'contact',
		'email',
		'e mail',
		'mail',
		'courriel',
		'adresse e mail',
		'adresse mail',
		'email address',
		'phone',
		'telephone',
		'tel',
		'handle',
		'pseudo',
		'username'
	],
	rating: [
		'rating',
		'note',
		'score',
		'nps',
		'csat',
		'stars',
		'etoiles',
		'satisfaction',
		'notation',
		'note nps',
		'nps score'
	],
	rating_kind: ['rating kind', 'rating type', 'type de note', 'type note', 'echelle', 'scale'],
	language: ['language', 'langue', 'lang', 'locale'],
	external_id: [
		'external id',
		'id',
		'identifiant',
		'ref',
		'reference',
		'ticket',
		'ticket id',
		'response id',
		'id reponse',
		'numero',
		'uuid'
	],
	touchpoint_id: ['touchpoint id', 'touchpoint', 'point de contact', 'id point de contact']
};

/**
 * Guesses which column holds which field: exact header names first, then headers that contain a known
 * name as a word ("Commentaire du client"); each column serves one field. Without a recognised text
 * column, the column with the longest values in the sample is taken as the text.
 */
export function guessMapping(header: string[], sample: string[][] = []): CsvMapping {
	const folded = header.map(foldHeader);
	const candidates: Array<{ field: CsvField; column: number; score: number }> = [];
	for (const field of CSV_FIELDS) {
		SYNONYMS[field].forEach((name, rank) => {
			folded.forEach((h, column) => {
				if (!h) return;
				if (h === name || h.replace(/ /g, '') === name.replace(/ /g, ''))
					candidates.push({ field, column, score: 1000 - rank });
				else if (name.length > 2 && ` ${h} `.includes(` ${name} `))
					candidates.push({ field, column, score: 500 - rank - h.length });
			});
		});
	}
	candidates.sort((a, b) => b.score - a.score);
	const mapping: CsvMapping = {};
	const used = new Set<number>();
	for (const c of candidates) {
		if (mapping[c.field] !== undefined || used.has(c.column)) continue;
		mapping[c.field] = c.column;
		used.add(c.column);
	}
	if (mapping.text === undefined && header.length) {
		let best = -1;
		let bestLength = -1;
		for (let c = 0; c < header.length; c++) {
			if (used.has(c)) continue;
			const length = sample.reduce((sum, row) => sum + (row[c]?.length ?? 0), 0);
			if (length > bestLength) {
				best = c;
				bestLength = length;
			}
		}
		if (best >= 0) mapping.text = best;
	}
	return mapping;
}

/** The rating scale a header suggests (`NPS`, `CSAT`, `Étoiles`), null when it does not say. */
export function guessRatingKind(header: string | undefined): RatingKind | null {
	const h = foldHeader(header ?? '');
	if (/\bnps\b|recommand/.test(h)) return 'nps';
	if (/\bcsat\b|satisfaction/.test(h)) return 'csat';
	if (/etoile|star/.test(h)) return 'stars';
	return null;
}

export interface CsvPreview {
	encoding: CsvEncoding;
	delimiter: CsvDelimiter;
	header: string[];
	rows: string[][];
	mapping: CsvMapping;
	ratingKind: RatingKind | null;
}

/**
 * What the page shows before importing: the first rows, the guessed encoding, delimiter and columns.
 * `partial` when `bytes` are only the start of the file (the last, possibly cut, record is left out).
 */
export function previewCsv(
	bytes: Uint8Array,
	options: { partial?: boolean; delimiter?: CsvDelimiter; hasHeader?: boolean } = {}
): CsvPreview {
	const { text, encoding } = decodeCsv(bytes, options);
	const delimiter = options.delimiter ?? detectDelimiter(text);
	const records: CsvRecord[] = [];
	const want = CSV_LIMITS.previewRows + 2;
	for (const r of parseCsv(text, delimiter)) {
		records.push(r);
		if (records.length >= want) break;
	}
	if (options.partial && records.length < want) records.pop();
	const hasHeader = options.hasHeader ?? true;
	const first = records.find((r) => !r.error);
	const width = Math.max(0, ...records.map((r) => r.fields.length));
	const header = columnNames(hasHeader ? (first?.fields ?? []) : [], width);
	const rows = (hasHeader ? records.filter((r) => r !== first) : records)
		.filter((r) => !r.error)
		.slice(0, CSV_LIMITS.previewRows)
		.map((r) => r.fields);
	const mapping = hasHeader ? guessMapping(header, rows) : guessMapping([], rows);
	if (!hasHeader && mapping.text === undefined && width) mapping.text = 0;
	const ratingKind = mapping.rating !== undefined ? guessRatingKind(header[mapping.rating]) : null;
	return { encoding, delimiter, header, rows, mapping, ratingKind };
}

/** Header cells, trimmed, with `Column N` for blank or missing ones. */
export function columnNames(header: string[], width = header.length): string[] {
	const names: string[] = [];
	for (let i = 0; i < Math.max(width, header.length); i++) {
		const h = (header[i] ?? '').trim();
		names.push(h || `#${i + 1}`);
	}
	return names;
}

// ── Rows → items ─────────────────────────────────────────────────────────────────────────────────

export interface CsvRowSettings {
	mapping: CsvMapping;
	/** Channel of rows without one. */
	channel: FeedbackChannel;
	journeyId: string | null;
	/** Scale of the rating column when no `rating_kind` column says. */
	ratingKind: RatingKind | null;
	/** Hex SHA-256 for row fingerprints; `sha256Hex` when absent. */
	hash?: (s: string) => string;
}

export type CsvRejectCode =
	| CsvParseError
	| 'textMissing'
	| 'textTooLong'
	| 'textInvalid'
	| 'badChannel'
	| 'badDate'
	| 'futureDate'
	| 'badRating'
	| 'ratingKindMissing'
	| 'badLanguage'
	| 'fieldTooLong'
	| 'fieldInvalid'
	| 'touchpointNeedsJourney'
	| 'notInJourney';

export interface CsvReason {
	code: CsvRejectCode;
	params?: Record<string, string | number>;
}

export interface CsvReject {
	line: number;
	reasons: CsvReason[];
	/** The original line, cut to `CSV_LIMITS.reportLineChars`. */
	raw: string;
}

export type CsvRowResult = { ok: true; value: FeedbackInput } | { ok: false; reasons: CsvReason[] };

function cell(fields: string[], mapping: CsvMapping, field: CsvField): string {
	const c = mapping[field];
	return c === undefined ? '' : (fields[c] ?? '').trim();
}

/** `4`, `4,0`, `4/5`, `★★★★☆` → 4; anything else is passed on for the validator to refuse. */
export function parseRatingValue(value: string): number | string {
	const v = value.trim();
	if (/^★+☆*$/.test(v)) return [...v].filter((c) => c === '★').length;
	const m = /^(\d+(?:[.,]\d+)?)\s*(?:\/\s*\d+)?$/.exec(v);
	if (!m) return v;
	const n = Number(m[1].replace(',', '.'));
	return Number.isInteger(n) ? n : v;
}

function parseRatingKind(value: string): RatingKind | null {
	const v = foldHeader(value);
	if ((RATING_KINDS as readonly string[]).includes(v)) return v as RatingKind;
	if (/etoile|star/.test(v)) return 'stars';
	if (/satisfaction/.test(v)) return 'csat';
	return null;
}

/** Dates a spreadsheet writes without a zone (`2025-12-31 14:30`) are read as UTC, like day-first ones. */
function normaliseDate(value: string): string {
	const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)$/.exec(value);
	if (!m) return value;
	return `${m[1]}T${m[2].length === 4 ? '0' + m[2] : m[2]}Z`;
}

const encoder = new TextEncoder();
/** Hex SHA-256 of a string's UTF-8 bytes, in plain JS (the server passes Node's faster one). */
export function sha256Hex(s: string): string {
	return encodeHexLowerCase(sha256(encoder.encode(s)));
}

/** The stable identity of a row without an id column: its text, date and customer, normalised. */
export function rowFingerprint(
	text: string,
	date: string,
	customer: string[],
	hash: (s: string) => string = sha256Hex
): string {
	const norm = (s: string) => s.normalize('NFC').replace(/\s+/g, ' ').trim();
	const instant = date ? parseInstant(normaliseDate(date)) : null;
	const parts = [
		norm(text),
		instant ? instant.toISOString() : norm(date),
		...customer.map((c) => norm(c).toLowerCase())
	];
	return 'csv:' + hash(parts.join('\u001f'));
}

function reasonFor(issue: FieldIssue, raw: Record<string, unknown>, row: { text: string }): CsvReason {
	const value = (v: unknown) => String(v ?? '').slice(0, 60);
	switch (issue.field) {
		case 'text':
			if (row.text.trim() === '') return { code: 'textMissing' };
			if (row.text.length > FEEDBACK_LIMITS.text)
				return { code: 'textTooLong', params: { length: row.text.length, max: FEEDBACK_LIMITS.text } };
			return { code: 'textInvalid' };
		case 'channel':
			return {
				code: 'badChannel',
				params: { value: value(raw.channel), allowed: FEEDBACK_CHANNELS.join(', ') }
			};
		case 'received_at':
			return /future/.test(issue.message)
				? { code: 'futureDate', params: { value: value(raw.received_at) } }
				: { code: 'badDate', params: { value: value(raw.received_at) } };
		case 'rating':
		case 'rating.kind':
		case 'rating.value': {
			const r = raw.rating as { kind?: RatingKind; value?: unknown } | undefined;
			const kind = r?.kind && RATING_RANGE[r.kind] ? r.kind : 'nps';
			const [min, max] = RATING_RANGE[kind];
			return { code: 'badRating', params: { value: value(r?.value), kind, min, max } };
		}
		case 'language':
			return {
				code: 'badLanguage',
				params: { value: value(raw.language), allowed: FEEDBACK_LANGUAGES.join(', ') }
			};
		case 'touchpoint_id':
			if (/journey/.test(issue.message)) return { code: 'touchpointNeedsJourney' };
			break;
	}
	const field = issue.field.replace('customer.', 'customer_');
	const max = /at most (\d+)/.exec(issue.message)?.[1];
	return max
		? { code: 'fieldTooLong', params: { field, max: Number(max) } }
		: { code: 'fieldInvalid', params: { field } };
}

/**
 * Maps one record to a validated item: cells of the mapped columns, the file's channel, journey and rating
 * scale for what the row does not say, the import time for rows without a date. The external id is the id
 * column's value, else a fingerprint of the row, so importing the same file again adds nothing.
 */
export function csvRowToInput(fields: string[], settings: CsvRowSettings, now: Date): CsvRowResult {
	const m = settings.mapping;
	const text = m.text === undefined ? '' : (fields[m.text] ?? '');
	const date = cell(fields, m, 'received_at');
	const customer = {
		id: cell(fields, m, 'customer_id'),
		name: cell(fields, m, 'customer_name'),
		contact: cell(fields, m, 'customer_contact')
	};
	const raw: Record<string, unknown> = { text };
	const channel = cell(fields, m, 'channel');
	if (channel) raw.channel = channel;
	if (date) raw.received_at = normaliseDate(date);
	if (customer.id || customer.name || customer.contact) raw.customer = customer;
	const reasons: CsvReason[] = [];
	const ratingCell = cell(fields, m, 'rating');
	if (ratingCell) {
		const kindCell = cell(fields, m, 'rating_kind');
		const kind = (kindCell && parseRatingKind(kindCell)) || settings.ratingKind;
		if (!kind) reasons.push({ code: 'ratingKindMissing', params: { value: ratingCell.slice(0, 60) } });
		else raw.rating = { kind, value: parseRatingValue(ratingCell) };
	}
	const language = cell(fields, m, 'language');
	if (language) raw.language = language;
	const touchpoint = cell(fields, m, 'touchpoint_id');
	if (touchpoint) raw.touchpoint_id = touchpoint;
	const externalId = cell(fields, m, 'external_id');
	raw.external_id =
		externalId || rowFingerprint(text, date, [customer.id, customer.name, customer.contact], settings.hash);

	const result = validateFeedbackInput(raw, {
		defaultChannel: settings.channel,
		defaultJourneyId: settings.journeyId,
		now
	});
	if (!result.ok) {
		const seen = new Set<string>();
		for (const issue of result.issues) {
			const reason = reasonFor(issue, raw, { text });
			const key = reason.code + JSON.stringify(reason.params ?? {});
			if (!seen.has(key)) reasons.push(reason);
			seen.add(key);
		}
	}
	if (reasons.length || !result.ok) return { ok: false, reasons };
	return { ok: true, value: result.value };
}

/** A rejected row as stored for the report: the original line cut to a readable length. */
export function rejectOf(line: number, raw: string, reasons: CsvReason[]): CsvReject {
	const max = CSV_LIMITS.reportLineChars;
	return { line, reasons, raw: raw.length > max ? raw.slice(0, max) + '…' : raw };
}

// ── Writing ──────────────────────────────────────────────────────────────────────────────────────

/** One CSV cell: quoted when needed; a leading `= + - @` is defused so a spreadsheet shows it as text. */
export function csvCell(value: string | number, delimiter: string): string {
	let s = String(value);
	if (/^[=+\-@\t\r]/.test(s)) s = "'" + s;
	return /["\r\n]/.test(s) || s.includes(delimiter) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * The rejected-rows report: a UTF-8 CSV with a BOM (so Excel shows accents) and CRLF line breaks; `;` for
 * French readers, whose spreadsheets expect it. `describe` translates a reason.
 */
export function writeRejectReport(
	rejects: CsvReject[],
	labels: { line: string; reason: string; original: string; more?: string },
	describe: (reason: CsvReason) => string,
	delimiter: ',' | ';',
	notListed = 0
): string {
	const rows = [[labels.line, labels.reason, labels.original]];
	for (const r of rejects) rows.push([String(r.line), r.reasons.map(describe).join(' | '), r.raw]);
	if (notListed > 0 && labels.more) rows.push(['', labels.more, '']);
	return (
		'\uFEFF' + rows.map((row) => row.map((c) => csvCell(c, delimiter)).join(delimiter)).join('\r\n') + '\r\n'
	);
}
