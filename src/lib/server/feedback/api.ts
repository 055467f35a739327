/**
 * The machine side of feedback collection: the JSON API (`POST /api/v1/feedback`, `GET …/{id}`) and
 * what it shares with the inbound e-mail webhook (key auth + rate limit, bounded body reading).
 * Routes stay thin: they call these and turn AppErrors into `{ error }` answers.
 */
import { and, eq } from 'drizzle-orm';
import { API_BODY_LIMIT_BYTES } from '../../feedback/openapi';
import { FEEDBACK_LIMITS, type FeedbackInput, type FeedbackSource } from '../../feedback/types';
import { validateFeedbackInput, type FieldIssue } from '../../feedback/validate';
import { isId } from '../access';
import { requireApiKey } from '../api-auth';
import type { ApiPrincipal } from '../api-keys';
import { hit } from '../auth/rate-limit';
import type { Config } from '../config';
import type { Db } from '../db';
import { feedback } from '../db/schema';
import { AppError, notFound } from '../errors';
import { journeyTouchpointIds } from './forms';
import { ingestFeedback } from './ingest';

/** Authenticates the key, then counts the request against its per-minute budget (429 past it). */
export async function requireApiClient(db: Db, config: Config, request: Request): Promise<ApiPrincipal> {
	const principal = await requireApiKey(db, request);
	const limit = await hit(db, `api:${principal.keyId}`, config.apiRateLimitPerMin, 60);
	if (!limit.allowed)
		throw new AppError(429, 'collect.api.rateLimited', { seconds: limit.retryAfterSeconds });
	return principal;
}

/**
 * Reads a request body as bytes, refusing more than `limit` bytes with 413 (whether the sender announced
 * the size or not). Adapter-node's own BODY_SIZE_LIMIT, when lower, also ends up here as a 413.
 */
export async function readBody(request: Request, limit = API_BODY_LIMIT_BYTES): Promise<Uint8Array> {
	const tooLarge = () =>
		new AppError(413, 'collect.api.tooLarge', { max: Math.round(limit / 1024 / 1024) }, 'body');
	const announced = Number(request.headers.get('content-length'));
	if (Number.isFinite(announced) && announced > limit) throw tooLarge();
	if (!request.body) return new Uint8Array();
	const chunks: Uint8Array[] = [];
	let size = 0;
	const reader = request.body.getReader();
	try {
		for (;;) {
			const { done, value } = await reader.read();
			if (done) break;
			size += value.byteLength;
			// Past the limit, keep reading (and dropping) so the client receives the 413 rather than a
			// reset connection; a sender that goes on for twice the limit is cut off.
			if (size > 2 * limit) {
				await reader.cancel().catch(() => {});
				break;
			}
			if (size <= limit) chunks.push(value);
		}
	} catch (e) {
		if ((e as { status?: number }).status === 413) throw tooLarge();
		throw new AppError(400, 'collect.api.unreadableBody', {}, 'body');
	}
	if (size > limit) throw tooLarge();
	const out = new Uint8Array(size);
	let at = 0;
	for (const c of chunks) {
		out.set(c, at);
		at += c.byteLength;
	}
	return out;
}

/**
 * Reads and discards what is left of a body before an early answer (401, 415, 429…). Answering with
 * part of the request unread makes Node close the connection under a client still sending, which the
 * client sees as ECONNRESET instead of our message. A sender going on past `cap` bytes is cut off.
 */
export async function drain(request: Request, cap = 2 * API_BODY_LIMIT_BYTES): Promise<void> {
	if (!request.body || request.bodyUsed) return;
	const reader = request.body.getReader();
	let size = 0;
	try {
		for (;;) {
			const { done, value } = await reader.read();
			if (done) return;
			size += value.byteLength;
			if (size > cap) return void (await reader.cancel().catch(() => {}));
		}
	} catch {
		// The body was already refused (e.g. over BODY_SIZE_LIMIT): nothing left to read.
	}
}

/** The media type of the request, lower-cased, without parameters ('' when absent). */
export function mediaType(request: Request): string {
	return (request.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
}

/** A JSON body: 415 for another content type, 400 for malformed JSON or bytes that are not UTF-8. */
export async function readJson(request: Request): Promise<unknown> {
	const type = mediaType(request);
	if (type !== 'application/json' && !type.endsWith('+json'))
		throw new AppError(415, 'collect.api.contentType', { expected: 'application/json' }, 'Content-Type');
	const bytes = await readBody(request);
	let text: string;
	try {
		text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
	} catch {
		throw new AppError(400, 'collect.api.notUtf8', {}, 'body');
	}
	if (!text.trim()) throw new AppError(400, 'collect.api.emptyBody', {}, 'body');
	try {
		return JSON.parse(text);
	} catch (e) {
		throw new AppError(400, 'collect.api.malformedJson', { detail: (e as Error).message }, 'body');
	}
}

export type ItemResult =
	| { index: number; id: string; duplicate: boolean }
	| { index: number; id: null; error: { field: string; message: string }; issues: FieldIssue[] };

export interface SubmitResult {
	/** True when the body was one object (not `{ items }`): the answer is that item's result alone. */
	single: boolean;
	results: ItemResult[];
	created: number;
	duplicates: number;
	rejected: number;
}

/** `items[3].rating.value` or `rating.value` for a single item. */
function path(single: boolean, index: number, field: string): string {
	const base = single ? '' : `items[${index}]`;
	if (!field) return base || 'body';
	return base ? `${base}.${field}` : field;
}

function rejected(single: boolean, index: number, issues: FieldIssue[]): ItemResult {
	const named = issues.map((i) => ({ field: path(single, index, i.field), message: i.message }));
	return {
		index,
		id: null,
		error: { field: named[0].field, message: `${named[0].field} ${named[0].message}` },
		issues: named
	};
}

/**
 * Validates and stores one item or a batch `{ items: [...] }` (at most FEEDBACK_LIMITS.batch). Good items
 * are stored even when others are refused; each refusal names the field with the item's index.
 * A touchpoint id must be one of its journey's touchpoints.
 */
export async function submitFeedback(
	db: Db,
	principal: ApiPrincipal,
	body: unknown,
	options: { source?: FeedbackSource; now?: Date } = {}
): Promise<SubmitResult> {
	if (typeof body !== 'object' || body === null || Array.isArray(body))
		throw new AppError(400, 'collect.api.notObject', {}, 'body');
	const single = !('items' in body);
	let raws: unknown[];
	if (single) raws = [body];
	else {
		const items = (body as { items: unknown }).items;
		if (!Array.isArray(items)) throw new AppError(400, 'collect.api.itemsNotArray', {}, 'items');
		if (items.length === 0) throw new AppError(400, 'collect.api.itemsEmpty', {}, 'items');
		if (items.length > FEEDBACK_LIMITS.batch)
			throw new AppError(413, 'collect.api.itemsTooMany', { max: FEEDBACK_LIMITS.batch }, 'items');
		raws = items;
	}

	const results: ItemResult[] = new Array(raws.length);
	const valid: Array<{ index: number; input: FeedbackInput }> = [];
	raws.forEach((raw, index) => {
		// A missing date means "now": integrations often post as things happen.
		const v = validateFeedbackInput(raw, { now: options.now ?? new Date() });
		if (v.ok) valid.push({ index, input: v.value });
		else results[index] = rejected(single, index, v.issues);
	});

	// Touchpoints given with a journey must exist in that journey's map.
	const byJourney = new Map<string, Set<string> | null>();
	for (const { input } of valid)
		if (input.touchpointId && input.journeyId) byJourney.set(input.journeyId, null);
	for (const journeyId of byJourney.keys())
		byJourney.set(journeyId, await journeyTouchpointIds(db, principal.workspaceId, journeyId));
	const stored = valid.filter(({ index, input }) => {
		if (!input.touchpointId || !input.journeyId) return true;
		const ids = byJourney.get(input.journeyId);
		// An unknown journey is reported by the ingestion below.
		if (ids === null || ids === undefined || ids.has(input.touchpointId)) return true;
		results[index] = rejected(single, index, [
			{ field: 'touchpoint_id', message: 'is not a touchpoint of this journey' }
		]);
		return false;
	});

	const ingest = await ingestFeedback(
		db,
		{ workspaceId: principal.workspaceId, source: options.source ?? 'api' },
		stored.map((s) => s.input)
	);
	stored.forEach(({ index }, k) => {
		const r = ingest.items[k];
		results[index] =
			r.id !== null ? { index, id: r.id, duplicate: r.duplicate } : rejected(single, index, [r.error]);
	});
	const count = (pred: (r: ItemResult) => boolean) => results.filter(pred).length;
	return {
		single,
		results,
		created: count((r) => r.id !== null && !r.duplicate),
		duplicates: count((r) => r.id !== null && r.duplicate),
		rejected: count((r) => r.id === null)
	};
}

/**
 * The status of a batch answer: 201 when something new was stored and nothing refused, 200 when every
 * item was already stored, 207 when some items were refused and others accepted, 400 when all were refused.
 */
export function batchStatus(r: SubmitResult): 200 | 201 | 207 | 400 {
	if (r.rejected === r.results.length) return 400;
	if (r.rejected > 0) return 207;
	return r.created > 0 ? 201 : 200;
}

/** One item of the key's workspace, as an integration polls it: queue status, then the analysis. */
export async function getFeedbackItem(db: Db, principal: ApiPrincipal, id: string) {
	if (!isId(id)) throw notFound();
	const rows = await db
		.select()
		.from(feedback)
		.where(and(eq(feedback.id, id), eq(feedback.workspaceId, principal.workspaceId)));
	const f = rows[0];
	if (!f) throw notFound();
	const done = f.status === 'done';
	return {
		id: f.id,
		status: f.status,
		text: f.text,
		channel: f.channel,
		source: f.source,
		received_at: f.receivedAt.toISOString(),
		created_at: f.createdAt.toISOString(),
		customer:
			f.customerId || f.customerName || f.customerContact
				? { id: f.customerId, name: f.customerName, contact: f.customerContact }
				: null,
		rating: f.ratingKind ? { kind: f.ratingKind, value: f.ratingValue } : null,
		journey_id: f.journeyId,
		touchpoint_id: f.touchpointId,
		external_id: f.externalId,
		spam: f.spam,
		error: f.status === 'failed' ? f.error : null,
		analysed_at: f.analysedAt?.toISOString() ?? null,
		result: done
			? {
					language: f.language,
					polarity: f.polarity,
					score: f.score,
					intent: f.intent,
					stage: f.stage,
					emotions: f.emotions ?? [],
					motives: f.motives ?? [],
					products: f.products ?? [],
					places: f.places ?? [],
					corrected: f.corrected ?? []
				}
			: null,
		analysis: done ? f.analysis : null
	};
}
