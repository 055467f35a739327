/**
 * Random request bodies for the HTTP fuzz test: JSON trees of any shape, wrong types, deep nesting,
 * huge numbers, NUL bytes and lone surrogates, under random content types, as forms, multipart or raw
 * bytes. Known form fields get random values too, so validation deeper than "field missing" is reached.
 */
import type { Rng } from './fuzz-random';

export interface FuzzBody {
	label: string;
	body?: BodyInit;
	contentType?: string;
}

const STRINGS = [
	'',
	' ',
	'\u0000',
	'a\u0000b',
	'\ud800',
	'\udfff\ud800',
	'é',
	'🙂',
	'null',
	'true',
	'-1',
	'1e309',
	'NaN',
	'0x10',
	'[]',
	'{}',
	'<script>alert(1)</script>',
	"' or 1=1 --",
	'../../etc/passwd',
	'%00',
	'%E0',
	'2026-02-30',
	'9999-12-31T23:59:59Z',
	'pk_' + 'a'.repeat(32),
	'00000000-0000-0000-0000-000000000000'
];

const NUMBERS = [0, -0, 1, -1, 0.5, 2 ** 31, 2 ** 53 + 2, -(2 ** 63), 1e308, -1e308, 5e-324];

const KEYS = ['__proto__', 'constructor', 'prototype', 'items', 'text', 'channel', 'id', 'name', 'x', ''];

export function randomString(rng: Rng, extra: readonly string[] = []): string {
	switch (rng.int(0, 4)) {
		case 0:
			return rng.pick([...STRINGS, ...extra]);
		case 1:
			return String.fromCharCode(...Array.from({ length: rng.int(0, 64) }, () => rng.int(0, 0xffff)));
		case 2:
			return rng.pick(STRINGS).repeat(rng.int(1, 2000));
		case 3:
			return crypto.randomUUID();
		default:
			return 'x'.repeat(rng.pick([1, 200, 201, 20_000, 20_001, 100_000]));
	}
}

/** A random JSON value; `budget` bounds its size. */
export function randomJson(
	rng: Rng,
	depth = 0,
	budget = { left: 200 },
	extra: readonly string[] = []
): unknown {
	budget.left--;
	const leaf = depth > 6 || budget.left <= 0;
	switch (rng.int(0, leaf ? 3 : 5)) {
		case 0:
			return rng.pick([null, true, false]);
		case 1:
			return rng.pick(NUMBERS);
		case 2:
		case 3:
			return randomString(rng, extra);
		case 4:
			return Array.from({ length: rng.int(0, 8) }, () => randomJson(rng, depth + 1, budget, extra));
		default:
			return Object.fromEntries(
				Array.from({ length: rng.int(0, 8) }, () => [
					rng.chance(0.5) ? rng.pick([...KEYS, ...extra]) : randomString(rng),
					randomJson(rng, depth + 1, budget, extra)
				])
			);
	}
}

/** Nested arrays or objects thousands deep: a recursive reader would run out of stack. */
function deepNesting(rng: Rng): string {
	const depth = rng.int(1_000, 50_000);
	return rng.chance(0.5)
		? '['.repeat(depth) + ']'.repeat(depth)
		: '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
}

function randomContentType(rng: Rng): string | undefined {
	return rng.pick([
		undefined,
		'application/json',
		'application/json; charset=utf-16',
		'application/x-www-form-urlencoded',
		'multipart/form-data',
		'multipart/form-data; boundary=nope',
		'text/plain',
		'text/csv',
		'message/rfc822',
		'application/octet-stream',
		'application/json; charset=utf-9000',
		'*/*',
		'garbage'
	]);
}

/**
 * One random body for a route. `fields` are the form fields the route reads; `values` are strings worth
 * trying in them (real ids of the test's workspace and journey, so some requests get past "not found").
 */
export function randomBody(rng: Rng, fields: readonly string[], values: readonly string[]): FuzzBody {
	const fieldValue = () => (rng.chance(0.3) ? rng.pick(values) : randomString(rng, values));
	switch (rng.int(0, 7)) {
		case 0:
			return {
				label: 'JSON tree',
				body: JSON.stringify(randomJson(rng, 0, { left: 200 }, fields)),
				contentType: 'application/json'
			};
		case 1:
			return {
				label: 'JSON under a random content type',
				body: JSON.stringify(randomJson(rng)),
				contentType: randomContentType(rng)
			};
		case 2:
			return {
				label: 'deep nesting',
				body: deepNesting(rng),
				contentType: rng.pick(['application/json', undefined])
			};
		case 3: {
			const form = new URLSearchParams();
			for (const f of fields) if (rng.chance(0.8)) form.append(f, fieldValue());
			for (let i = rng.int(0, 3); i > 0; i--) form.append(randomString(rng), fieldValue());
			return {
				label: 'form with random values',
				body: form.toString(),
				contentType: 'application/x-www-form-urlencoded'
			};
		}
		case 4: {
			const form = new FormData();
			for (const f of fields) {
				const what = rng.int(0, 3);
				if (what < 2) form.append(f, fieldValue());
				else if (what === 2)
					form.append(f, new Blob([rng.bytes(rng.int(0, 4096))]), randomString(rng).slice(0, 50) || 'f');
			}
			for (let i = rng.int(0, 3); i > 0; i--) form.append(randomString(rng).slice(0, 100), fieldValue());
			return { label: 'random multipart', body: form };
		}
		case 5:
			return {
				label: 'random bytes',
				body: rng.bytes(rng.int(0, 8192)),
				contentType: randomContentType(rng)
			};
		case 6:
			return {
				label: 'JSON with a huge number',
				body: `{"items":[{"text":"x","channel":"email","rating":{"kind":"nps","value":${'9'.repeat(rng.int(20, 400))}}}],"value":-${'1'.repeat(rng.int(20, 400))}e99999}`,
				contentType: 'application/json'
			};
		default:
			return {
				label: 'truncated JSON',
				body: JSON.stringify(randomJson(rng)).slice(0, -rng.int(1, 5)),
				contentType: 'application/json'
			};
	}
}

/**
 * A random query string: the GET endpoints read their input there. Values stay short: a redirect to the
 * sign-in page carries the whole URL, encoded again, in `next`, and fetch refuses headers over 16 KB.
 */
export function randomQuery(rng: Rng, values: readonly string[]): string {
	const names = [
		'from',
		'to',
		'channel',
		'product',
		'place',
		'persona',
		'paper',
		'layout',
		'limit',
		'cursor',
		'compare',
		'period',
		'q',
		'journey_id',
		'x'
	];
	const q = new URLSearchParams();
	for (let i = rng.int(0, 5); i > 0; i--)
		q.append(rng.pick(names), rng.chance(0.3) ? rng.pick(values) : randomString(rng).slice(0, 300));
	const s = q.toString();
	return s ? `?${s}` : '';
}
