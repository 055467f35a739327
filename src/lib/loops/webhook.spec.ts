import { describe, expect, it } from 'vitest';
import {
	DEFAULT_RETRY,
	EVENT_ID_HEADER,
	SIGNATURE_HEADER,
	checkWebhookUrl,
	generateWebhookSecret,
	isRetriable,
	nextDelivery,
	retryDelay,
	retrySchedule,
	signatureHeader,
	verifySignature,
	webhookBody,
	webhookHeaders,
	type WebhookEvent
} from './webhook';

const NOW = Date.UTC(2026, 0, 1); // 1767225600 s
const BODY = '{"id":"evt_1"}';

describe('signature', () => {
	it('signs "t.body" with HMAC-SHA256 (Python hmac gives the same)', () => {
		expect(signatureHeader('whsec_test', BODY, NOW + 999)).toBe(
			't=1767225600,v1=45b40331de0325606dc5400202ade162460fbe48daf9401adfdcd0d7b4f35470'
		);
	});

	it('verifies a fresh signature, within the tolerance either way', () => {
		const header = signatureHeader('whsec_test', BODY, NOW);
		expect(verifySignature('whsec_test', BODY, header, NOW)).toEqual({ ok: true, timestamp: 1767225600 });
		expect(verifySignature('whsec_test', BODY, header, NOW + 300_000).ok).toBe(true);
		expect(verifySignature('whsec_test', BODY, header, NOW - 300_000).ok).toBe(true);
		expect(verifySignature('whsec_test', BODY, header, NOW + 301_000)).toEqual({
			ok: false,
			code: 'timestamp_out_of_tolerance'
		});
		expect(verifySignature('whsec_test', BODY, header, NOW + 3_600_000, 7200).ok).toBe(true);
	});

	it('refuses a changed body, another secret, a replayed signature with a new time', () => {
		const header = signatureHeader('whsec_test', BODY, NOW);
		expect(verifySignature('whsec_test', '{"id":"evt_2"}', header, NOW)).toEqual({
			ok: false,
			code: 'signature_mismatch'
		});
		expect(verifySignature('other', BODY, header, NOW).ok).toBe(false);
		const moved = header.replace('t=1767225600', `t=${1767225600 + 60}`);
		expect(verifySignature('whsec_test', BODY, moved, NOW + 60_000)).toEqual({
			ok: false,
			code: 'signature_mismatch'
		});
	});

	it('accepts any one of several signatures (secret rotation) and rejects malformed headers', () => {
		const old = signatureHeader('old-secret', BODY, NOW).split(',')[1];
		const header = `${signatureHeader('whsec_test', BODY, NOW)},${old}`;
		expect(verifySignature('old-secret', BODY, header, NOW).ok).toBe(true);
		expect(verifySignature('whsec_test', BODY, header, NOW).ok).toBe(true);
		for (const bad of [null, '', 't=1767225600', 'v1=abc', 't=soon,v1=' + 'a'.repeat(64), 'garbage']) {
			expect(verifySignature('whsec_test', BODY, bad, NOW), String(bad)).toEqual({
				ok: false,
				code: 'malformed_header'
			});
		}
		// Upper-case hex is the same signature.
		expect(
			verifySignature(
				'whsec_test',
				BODY,
				signatureHeader('whsec_test', BODY, NOW).toUpperCase().replace('T=', 't=').replace('V1=', 'v1='),
				NOW
			).ok
		).toBe(true);
	});

	it('builds the body and headers of a delivery', () => {
		const event: WebhookEvent = {
			id: 'evt_9',
			type: 'alert.opened',
			createdAt: NOW,
			workspaceId: 'ws1',
			data: { touchpointId: 'tp1' }
		};
		const body = webhookBody(event);
		expect(JSON.parse(body)).toEqual({
			id: 'evt_9',
			type: 'alert.opened',
			createdAt: '2026-01-01T00:00:00.000Z',
			workspaceId: 'ws1',
			data: { touchpointId: 'tp1' }
		});
		const headers = webhookHeaders('s3cret', event, body, NOW);
		expect(headers[EVENT_ID_HEADER]).toBe('evt_9');
		expect(verifySignature('s3cret', body, headers[SIGNATURE_HEADER], NOW).ok).toBe(true);
	});

	it('generates secrets from the random source', () => {
		expect(generateWebhookSecret((b) => b.fill(0))).toBe(`whsec_${'A'.repeat(43)}`);
		expect(generateWebhookSecret()).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
		expect(generateWebhookSecret()).not.toBe(generateWebhookSecret());
	});
});

describe('retries', () => {
	it('backs off exponentially with equal jitter, capped', () => {
		expect(retryDelay(1, DEFAULT_RETRY, () => 0)).toBe(15_000);
		expect(retryDelay(1, DEFAULT_RETRY, () => 0.999999)).toBe(30_000);
		expect(retryDelay(3, DEFAULT_RETRY, () => 0.5)).toBe(90_000);
		expect(retryDelay(30, DEFAULT_RETRY, () => 1)).toBe(DEFAULT_RETRY.maxDelayMs);
		expect(retrySchedule(NOW).map((t) => (t - NOW) / 1000)).toEqual([30, 90, 210, 450, 930, 1890, 3810]);
	});

	it('retries what may pass later, up to the maximum, and gives up on the rest', () => {
		const half = () => 0.5;
		expect(nextDelivery(1, { status: 204 }, NOW)).toEqual({ type: 'delivered' });
		expect(nextDelivery(1, { status: null }, NOW, DEFAULT_RETRY, half)).toEqual({
			type: 'retry',
			at: NOW + 22_500,
			attempt: 2
		});
		expect(nextDelivery(2, { status: 503 }, NOW, DEFAULT_RETRY, half)).toMatchObject({
			type: 'retry',
			attempt: 3
		});
		expect(nextDelivery(1, { status: 400 }, NOW)).toEqual({ type: 'give_up', reason: 'rejected' });
		expect(nextDelivery(1, { status: 410 }, NOW)).toEqual({ type: 'give_up', reason: 'rejected' });
		expect(nextDelivery(8, { status: 500 }, NOW)).toEqual({ type: 'give_up', reason: 'max_attempts' });
		expect([408, 425, 429, 500, 599, null].every(isRetriable)).toBe(true);
		expect([301, 400, 401, 404, 422].some(isRetriable)).toBe(false);
	});

	it('honours Retry-After when longer than the backoff, within the cap', () => {
		const zero = () => 0;
		expect(nextDelivery(1, { status: 429, retryAfter: '120' }, NOW, DEFAULT_RETRY, zero)).toMatchObject({
			at: NOW + 120_000
		});
		expect(
			nextDelivery(
				1,
				{ status: 503, retryAfter: new Date(NOW + 600_000).toUTCString() },
				NOW,
				DEFAULT_RETRY,
				zero
			)
		).toMatchObject({ at: NOW + 600_000 });
		expect(nextDelivery(1, { status: 429, retryAfter: '1' }, NOW, DEFAULT_RETRY, zero)).toMatchObject({
			at: NOW + 15_000
		});
		expect(nextDelivery(1, { status: 429, retryAfter: '999999' }, NOW, DEFAULT_RETRY, zero)).toMatchObject({
			at: NOW + DEFAULT_RETRY.maxDelayMs
		});
		expect(nextDelivery(1, { status: 429, retryAfter: 'soon' }, NOW, DEFAULT_RETRY, zero)).toMatchObject({
			at: NOW + 15_000
		});
	});
});

describe('endpoint URL', () => {
	it('takes absolute http(s) URLs without credentials', () => {
		expect(checkWebhookUrl(' https://hooks.example.com/parcours ')).toEqual({
			ok: true,
			url: 'https://hooks.example.com/parcours'
		});
		expect(checkWebhookUrl('http://10.0.0.5:8080/in').ok).toBe(true);
		expect(checkWebhookUrl('hooks.example.com')).toEqual({ ok: false, issue: 'invalid_url' });
		expect(checkWebhookUrl('ftp://example.com')).toEqual({ ok: false, issue: 'unsupported_protocol' });
		expect(checkWebhookUrl('https://user:pw@example.com')).toEqual({
			ok: false,
			issue: 'credentials_in_url'
		});
		expect(checkWebhookUrl(`https://example.com/${'a'.repeat(2000)}`)).toEqual({
			ok: false,
			issue: 'too_long'
		});
	});
});
