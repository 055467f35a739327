/**
 * The inbox's filters (read from and written to the URL, so a filtered view is a shareable link and the
 * back button works), facet tallies, keyset cursors and highlight segments. Pure: no framework imports.
 */
import { EMOTIONS, INTENTS, POLARITIES, STAGE_GROUPS } from '../analysis/types';
import type { Analysis, Span } from '../analysis/types';
import { FEEDBACK_CHANNELS, FEEDBACK_LANGUAGES } from './types';

/** Facets with counts; each is also a filter of one value. */
export const SCALAR_FACETS = [
	'journey',
	'touchpoint',
	'stage',
	'channel',
	'polarity',
	'intent',
	'language',
	'customer'
] as const;
/** Facets over array columns: an item counts once under each of its values. */
export const ARRAY_FACETS = ['emotion', 'motive', 'product', 'place'] as const;
export const FACETS = [...SCALAR_FACETS, ...ARRAY_FACETS] as const;
export type FacetKey = (typeof FACETS)[number];

export const INBOX_STATUSES = ['done', 'pending', 'failed'] as const;
export type InboxStatus = (typeof INBOX_STATUSES)[number];
export const SPAM_MODES = ['hide', 'show', 'only'] as const;
export type SpamMode = (typeof SPAM_MODES)[number];

export interface InboxFilters {
	/** Full-text search (French, English and unstemmed words all match). */
	q: string;
	journey: string | null;
	touchpoint: string | null;
	stage: string | null;
	channel: string | null;
	polarity: string | null;
	intent: string | null;
	language: string | null;
	/** `yes`: the item names a customer (id, name or contact); `no`: it does not. */
	customer: 'yes' | 'no' | null;
	emotion: string | null;
	motive: string | null;
	product: string | null;
	place: string | null;
	/** Inclusive days, `YYYY-MM-DD`, in UTC. */
	from: string | null;
	to: string | null;
	/** `done` (analysed, the default), `pending` (waiting or being analysed) or `failed`. */
	status: InboxStatus;
	spam: SpamMode;
	/** Keyset cursor of the next page (see {@link encodeCursor}). */
	after: string | null;
}

export const MAX_QUERY = 200;
const MAX_VALUE = 200;

export const emptyFilters = (): InboxFilters => ({
	q: '',
	journey: null,
	touchpoint: null,
	stage: null,
	channel: null,
	polarity: null,
	intent: null,
	language: null,
	customer: null,
	emotion: null,
	motive: null,
	product: null,
	place: null,
	from: null,
	to: null,
	status: 'done',
	spam: 'hide',
	after: null
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Allowed values of the facets with a closed list; the others take any short string. */
const CLOSED: Partial<Record<FacetKey, readonly string[]>> = {
	stage: STAGE_GROUPS,
	channel: FEEDBACK_CHANNELS,
	polarity: POLARITIES,
	intent: INTENTS,
	language: [...FEEDBACK_LANGUAGES, 'unknown'],
	customer: ['yes', 'no'],
	emotion: EMOTIONS
};

/** A URL parameter that was not understood; it is ignored and the page says so. */
export interface FilterIssue {
	param: string;
	value: string;
}

function validDay(s: string): boolean {
	if (!DAY.test(s)) return false;
	const d = new Date(`${s}T00:00:00Z`);
	return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/**
 * Reads the filters from URL parameters. Anything not understood is left out and reported, so a
 * mistyped link still opens (showing what was ignored) instead of failing.
 */
export function parseFilters(params: URLSearchParams): { filters: InboxFilters; issues: FilterIssue[] } {
	const filters = emptyFilters();
	const issues: FilterIssue[] = [];
	const get = (name: string) => {
		const v = params.get(name);
		if (v === null) return null;
		const t = v.trim();
		if (!t) return null;
		if (t.includes('\0') || t.length > (name === 'q' ? MAX_QUERY : MAX_VALUE)) {
			issues.push({ param: name, value: t.slice(0, 40) });
			return null;
		}
		return t;
	};
	filters.q = get('q') ?? '';
	for (const facet of FACETS) {
		const v = get(facet);
		if (v === null) continue;
		const closed = CLOSED[facet];
		const ok = facet === 'journey' ? UUID.test(v) : !closed || closed.includes(v);
		if (!ok) {
			issues.push({ param: facet, value: v });
			continue;
		}
		(filters as unknown as Record<string, string>)[facet] = facet === 'journey' ? v.toLowerCase() : v;
	}
	for (const name of ['from', 'to'] as const) {
		const v = get(name);
		if (v === null) continue;
		if (validDay(v)) filters[name] = v;
		else issues.push({ param: name, value: v });
	}
	if (filters.from && filters.to && filters.from > filters.to) {
		issues.push({ param: 'to', value: filters.to });
		filters.to = null;
	}
	const status = get('status');
	if (status !== null) {
		if ((INBOX_STATUSES as readonly string[]).includes(status)) filters.status = status as InboxStatus;
		else issues.push({ param: 'status', value: status });
	}
	const spam = get('spam');
	if (spam !== null) {
		if ((SPAM_MODES as readonly string[]).includes(spam)) filters.spam = spam as SpamMode;
		else issues.push({ param: 'spam', value: spam });
	}
	const after = get('after');
	if (after !== null) {
		if (decodeCursor(after)) filters.after = after;
		else issues.push({ param: 'after', value: after });
	}
	return { filters, issues };
}

/** The query string of some filters (defaults left out, so links stay short), without the cursor unless asked. */
export function filtersToQuery(filters: InboxFilters, withCursor = false): string {
	const p = new URLSearchParams();
	if (filters.q) p.set('q', filters.q);
	for (const facet of FACETS) {
		const v = filters[facet];
		if (v) p.set(facet, v);
	}
	if (filters.from) p.set('from', filters.from);
	if (filters.to) p.set('to', filters.to);
	if (filters.status !== 'done') p.set('status', filters.status);
	if (filters.spam !== 'hide') p.set('spam', filters.spam);
	if (withCursor && filters.after) p.set('after', filters.after);
	const s = p.toString();
	return s ? `?${s}` : '';
}

/** The link for the same view with one filter changed (null clears it); a new filter starts at page one. */
export function withFilter(
	filters: InboxFilters,
	key: FacetKey | 'q' | 'from' | 'to' | 'status' | 'spam',
	value: string | null
): string {
	const next: InboxFilters = { ...filters, after: null };
	if (key === 'q') next.q = value ?? '';
	else if (key === 'status') next.status = (value as InboxStatus) ?? 'done';
	else if (key === 'spam') next.spam = (value as SpamMode) ?? 'hide';
	else (next as unknown as Record<string, string | null>)[key] = value;
	// A touchpoint belongs to one journey: changing the journey drops it.
	if (key === 'journey') next.touchpoint = null;
	return filtersToQuery(next);
}

/** Facet filters that are set. */
export function activeFacets(filters: InboxFilters): FacetKey[] {
	return FACETS.filter((f) => filters[f] !== null);
}

/** Position of an item in the newest-first order: its received instant (as the database prints it) and id. */
export interface Cursor {
	receivedAt: string;
	id: string;
}

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;

function toBase64Url(s: string): string {
	const bytes = new TextEncoder().encode(s);
	let bin = '';
	for (const b of bytes) bin += String.fromCharCode(b);
	return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(s: string): string | null {
	if (!/^[A-Za-z0-9_-]+$/.test(s)) return null;
	try {
		const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/'));
		return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(bin, (c) => c.charCodeAt(0)));
	} catch {
		return null;
	}
}

export function encodeCursor(c: Cursor): string {
	return toBase64Url(`${c.receivedAt}|${c.id}`);
}

export function decodeCursor(s: string): Cursor | null {
	const raw = fromBase64Url(s);
	if (!raw) return null;
	const [receivedAt, id, extra] = raw.split('|');
	if (extra !== undefined || !receivedAt || !id || !INSTANT.test(receivedAt) || !UUID.test(id)) return null;
	if (Number.isNaN(new Date(receivedAt).getTime())) return null;
	return { receivedAt, id };
}

/** The facet columns of one item, as the facet query reads them. */
export interface FacetRow {
	journey: string | null;
	touchpoint: string | null;
	stage: string | null;
	channel: string | null;
	polarity: string | null;
	intent: string | null;
	language: string | null;
	customer: 'yes' | 'no';
	emotion: string[] | null;
	motive: string[] | null;
	product: string[] | null;
	place: string[] | null;
}

export type FacetCounts = Partial<Record<FacetKey, Array<{ value: string; count: number }>>>;

/** Counts per value of the given facets over rows, most frequent first (ties by value). */
export function tallyFacets(rows: readonly FacetRow[], facets: readonly FacetKey[]): FacetCounts {
	const out: FacetCounts = {};
	for (const facet of facets) {
		const counts = new Map<string, number>();
		for (const row of rows) {
			const v = row[facet];
			if (v === null || v === undefined) continue;
			if (Array.isArray(v)) {
				for (const x of new Set(v)) counts.set(x, (counts.get(x) ?? 0) + 1);
			} else counts.set(v, (counts.get(v) ?? 0) + 1);
		}
		out[facet] = [...counts.entries()]
			.map(([value, count]) => ({ value, count }))
			.sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
	}
	return out;
}

/** What a highlighted piece of text is about. */
export type HighlightKind = 'date' | 'place' | 'product' | 'motive' | 'sentiment';
export const HIGHLIGHT_KINDS: readonly HighlightKind[] = ['date', 'place', 'product', 'motive', 'sentiment'];

export interface Highlight {
	start: number;
	end: number;
	kind: HighlightKind;
	/** For places, products and motives: which one. */
	ref?: string;
}

/** A run of the text with the kinds of highlight covering it (none for plain text). */
export interface Segment {
	text: string;
	kinds: HighlightKind[];
	refs: string[];
}

/** The highlights an analysis explains itself with. */
export function highlightsOf(analysis: Pick<Analysis, 'polarity' | 'entities' | 'motives'>): Highlight[] {
	const out: Highlight[] = [];
	const add = (spans: readonly Span[] | undefined, kind: HighlightKind, ref?: string) => {
		for (const s of spans ?? []) out.push({ start: s.start, end: s.end, kind, ...(ref ? { ref } : {}) });
	};
	add(analysis.polarity?.spans, 'sentiment');
	for (const d of analysis.entities?.dates ?? []) add(d.spans, 'date');
	for (const p of analysis.entities?.places ?? []) add(p.spans, 'place', p.name);
	for (const p of analysis.entities?.products ?? []) add(p.spans, 'product', p.name);
	for (const m of analysis.motives ?? []) add(m.spans, 'motive', m.id);
	return out;
}

/**
 * Cuts the text into runs where the set of covering highlights is constant, so overlapping spans
 * (a product inside a motive phrase) both show. Spans outside the text are clipped or dropped.
 */
export function mergeHighlights(text: string, highlights: readonly Highlight[]): Segment[] {
	const valid = highlights
		.map((h) => ({
			...h,
			start: Math.max(0, Math.floor(h.start)),
			end: Math.min(text.length, Math.floor(h.end))
		}))
		.filter((h) => Number.isFinite(h.start) && Number.isFinite(h.end) && h.end > h.start);
	const cuts = new Set<number>([0, text.length]);
	for (const h of valid) {
		cuts.add(h.start);
		cuts.add(h.end);
	}
	const points = [...cuts].sort((a, b) => a - b);
	const segments: Segment[] = [];
	for (let i = 0; i + 1 < points.length; i++) {
		const [a, b] = [points[i], points[i + 1]];
		if (b <= a) continue;
		const covering = valid.filter((h) => h.start <= a && h.end >= b);
		const kinds = HIGHLIGHT_KINDS.filter((k) => covering.some((h) => h.kind === k));
		const refs = [...new Set(covering.map((h) => h.ref).filter((r): r is string => !!r))];
		const last = segments[segments.length - 1];
		if (last && sameKinds(last.kinds, kinds) && sameKinds(last.refs, refs)) last.text += text.slice(a, b);
		else segments.push({ text: text.slice(a, b), kinds, refs });
	}
	return segments;
}

function sameKinds(a: readonly string[], b: readonly string[]): boolean {
	return a.length === b.length && a.every((x, i) => x === b[i]);
}
