/**
 * Outgoing webhooks of a workspace (alerts and loop events): the envelope, its signature and when to
 * try again. Pure and synchronous (HMAC from @oslojs/crypto, so browser, server and tests agree);
 * the server owns delivery and storage.
 *
 * Signature: header `Parcours-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`.
 * The timestamp is signed with the body so an old request cannot be replayed past the tolerance;
 * several `v1=` may appear while a secret is being rotated, and one match is enough.
 */
import { hmac } from '@oslojs/crypto/hmac';
import { SHA256 } from '@oslojs/crypto/sha2';
import { constantTimeEqual } from '@oslojs/crypto/subtle';
import { decodeHex, encodeBase64urlNoPadding, encodeHexLowerCase } from '@oslojs/encoding';

export const SIGNATURE_HEADER = 'Parcours-Signature';
export const EVENT_ID_HEADER = 'Parcours-Event-Id';
export const EVENT_TYPE_HEADER = 'Parcours-Event';

/** Receivers should refuse signatures older or newer than this. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

export const WEBHOOK_EVENT_TYPES = [
	'alert.opened',
	'alert.updated',
	'alert.resolved',
	'loop.created',
	'loop.stage_changed',
	'loop.closed',
	'loop.action_assigned',
	'loop.follow_up_done'
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export interface WebhookEvent<T = unknown> {
	/** Unique and stable across retries, so receivers can drop duplicates. */
	id: string;
	type: WebhookEventType;
	/** Epoch ms when the event happened. */
	createdAt: number;
	workspaceId: string;
	data: T;
}

/** The request body: the event with an ISO date, serialised once so the signature covers exactly it. */
export function webhookBody(event: WebhookEvent): string {
	return JSON.stringify({
		id: event.id,
		type: event.type,
		createdAt: new Date(event.createdAt).toISOString(),
		workspaceId: event.workspaceId,
		data: event.data
	});
}

const encoder = new TextEncoder();
const keyBytes = (secret: string | Uint8Array) =>
	typeof secret === 'string' ? encoder.encode(secret) : secret;

function sign(secret: string | Uint8Array, timestamp: number, body: string): Uint8Array {
	return hmac(SHA256, keyBytes(secret), encoder.encode(`${timestamp}.${body}`));
}

/** The signature header for `body` sent at `now` (epoch ms). */
export function signatureHeader(secret: string | Uint8Array, body: string, now: number): string {
	const t = Math.floor(now / 1000);
	return `t=${t},v1=${encodeHexLowerCase(sign(secret, t, body))}`;
}

/** Headers of one delivery (add `Content-Type: application/json`). */
export function webhookHeaders(secret: string | Uint8Array, event: WebhookEvent, body: string, now: number) {
	return {
		[SIGNATURE_HEADER]: signatureHeader(secret, body, now),
		[EVENT_ID_HEADER]: event.id,
		[EVENT_TYPE_HEADER]: event.type
	};
}

export type VerifyResult =
	| { ok: true; timestamp: number }
	| { ok: false; code: 'malformed_header' | 'timestamp_out_of_tolerance' | 'signature_mismatch' };

/**
 * Checks a received signature header against the body, at `now` (epoch ms). Comparison is constant-time;
 * `toleranceSeconds` bounds the clock difference either way.
 */
export function verifySignature(
	secret: string | Uint8Array,
	body: string,
	header: string | null | undefined,
	now: number,
	toleranceSeconds = DEFAULT_TOLERANCE_SECONDS
): VerifyResult {
	let timestamp: number | null = null;
	const signatures: Uint8Array[] = [];
	for (const part of (header ?? '').split(',')) {
		const eq = part.indexOf('=');
		const key = part.slice(0, eq).trim();
		const value = part.slice(eq + 1).trim();
		if (key === 't' && /^\d{1,12}$/.test(value)) timestamp = Number(value);
		if (key === 'v1' && /^[0-9a-f]{64}$/i.test(value)) signatures.push(decodeHex(value.toLowerCase()));
	}
	if (timestamp === null || signatures.length === 0) return { ok: false, code: 'malformed_header' };
	if (Math.abs(now / 1000 - timestamp) > toleranceSeconds)
		return { ok: false, code: 'timestamp_out_of_tolerance' };
	const expected = sign(secret, timestamp, body);
	// Check every candidate so the time taken does not tell which one matched.
	let match = false;
	for (const s of signatures) match = constantTimeEqual(s, expected) || match;
	return match ? { ok: true, timestamp } : { ok: false, code: 'signature_mismatch' };
}

/** A new secret: `whsec_` and 32 random bytes, base64url. */
export function generateWebhookSecret(
	random: (bytes: Uint8Array<ArrayBuffer>) => Uint8Array = (b) => crypto.getRandomValues(b)
): string {
	return `whsec_${encodeBase64urlNoPadding(random(new Uint8Array(32)))}`;
}

export interface RetrySettings {
	/** Attempts in all, the first included. */
	maxAttempts: number;
	/** Delay before the second attempt, before jitter. */
	baseDelayMs: number;
	factor: number;
	maxDelayMs: number;
	/** Share of each delay that is random, in [0, 1]: spreads retries of many deliveries apart. */
	jitter: number;
	/** Per-attempt timeout the server should apply. */
	timeoutMs: number;
}

export const DEFAULT_RETRY: Readonly<RetrySettings> = Object.freeze({
	maxAttempts: 8,
	baseDelayMs: 30_000,
	factor: 2,
	maxDelayMs: 6 * 3_600_000,
	jitter: 0.5,
	timeoutMs: 10_000
});

/**
 * Delay after failed attempt number `attempt` (1-based): base × factor^(attempt−1), capped, of which
 * the `jitter` share is scaled by `random()` in [0, 1) ("equal jitter": never below (1 − jitter) of
 * the nominal delay, so the backoff still grows).
 */
export function retryDelay(
	attempt: number,
	settings: RetrySettings = DEFAULT_RETRY,
	random: () => number = Math.random
): number {
	const nominal = Math.min(
		settings.maxDelayMs,
		settings.baseDelayMs * settings.factor ** Math.max(0, attempt - 1)
	);
	return Math.round(nominal * (1 - settings.jitter) + nominal * settings.jitter * random());
}

/** What one attempt gave: an HTTP status, or null when no response came (network error, timeout). */
export interface AttemptOutcome {
	status: number | null;
	/** The response's Retry-After header, if any. */
	retryAfter?: string | null;
}

export type DeliveryDecision =
	| { type: 'delivered' }
	| { type: 'retry'; at: number; attempt: number }
	| { type: 'give_up'; reason: 'max_attempts' | 'rejected' };

/** Network failures, timeouts, 408, 425, 429 and 5xx may pass later; other answers will not. */
export function isRetriable(status: number | null): boolean {
	return status === null || status === 408 || status === 425 || status === 429 || status >= 500;
}

function retryAfterMs(value: string | null | undefined, now: number): number | null {
	if (!value) return null;
	const trimmed = value.trim();
	if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
	const at = Date.parse(trimmed);
	return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/**
 * After attempt number `attempt` (1-based) ended at `now` with `outcome`: delivered, try again at a time,
 * or give up. A Retry-After the receiver asks for is honoured when longer than the backoff, up to the
 * maximum delay.
 */
export function nextDelivery(
	attempt: number,
	outcome: AttemptOutcome,
	now: number,
	settings: RetrySettings = DEFAULT_RETRY,
	random: () => number = Math.random
): DeliveryDecision {
	if (outcome.status !== null && outcome.status >= 200 && outcome.status < 300) return { type: 'delivered' };
	if (!isRetriable(outcome.status)) return { type: 'give_up', reason: 'rejected' };
	if (attempt >= settings.maxAttempts) return { type: 'give_up', reason: 'max_attempts' };
	const asked = retryAfterMs(outcome.retryAfter, now);
	const delay = Math.max(retryDelay(attempt, settings, random), Math.min(asked ?? 0, settings.maxDelayMs));
	return { type: 'retry', at: now + delay, attempt: attempt + 1 };
}

/** The nominal times of every retry after a first attempt at `start` (jitter-free), e.g. to show in settings. */
export function retrySchedule(start: number, settings: RetrySettings = DEFAULT_RETRY): number[] {
	const times: number[] = [];
	let at = start;
	for (let attempt = 1; attempt < settings.maxAttempts; attempt++) {
		at += retryDelay(attempt, { ...settings, jitter: 0 });
		times.push(at);
	}
	return times;
}

export type WebhookUrlIssue = 'invalid_url' | 'unsupported_protocol' | 'credentials_in_url' | 'too_long';

/**
 * Checks an endpoint a workspace owner types: an absolute http(s) URL without user:password (a secret
 * there would be shown in the settings page and the logs). Plain http is allowed for self-hosted
 * receivers on private networks; whether the host may be reached is the server's decision.
 */
export function checkWebhookUrl(
	raw: string
): { ok: true; url: string } | { ok: false; issue: WebhookUrlIssue } {
	const text = raw.trim();
	if (text.length > 2000) return { ok: false, issue: 'too_long' };
	let url: URL;
	try {
		url = new URL(text);
	} catch {
		return { ok: false, issue: 'invalid_url' };
	}
	if (url.protocol !== 'https:' && url.protocol !== 'http:')
		return { ok: false, issue: 'unsupported_protocol' };
	if (url.username || url.password) return { ok: false, issue: 'credentials_in_url' };
	return { ok: true, url: url.href };
}
