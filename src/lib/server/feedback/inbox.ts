/**
 * Reading the inbox: the filtered list (newest first, keyset pages), counts per facet, one item with its
 * explanation, and the names the filters show. Every function checks access first.
 */
import { and, asc, desc, eq, isNull, sql, type SQL } from 'drizzle-orm';
import { defaultMotives, type Analysis, type Motive } from '../../analysis';
import {
	FACETS,
	activeFacets,
	decodeCursor,
	encodeCursor,
	highlightsOf,
	mergeHighlights,
	type FacetCounts,
	type FacetKey,
	type InboxFilters,
	type Segment
} from '../../feedback/inbox';
import type { Locale } from '../../i18n';
import { isId, requireAccess, type Actor } from '../access';
import type { Db } from '../db';
import { catalogueItem, feedback, feedbackCorrection, journey, place, user } from '../db/schema';
import { notFound } from '../errors';
import { loadTaxonomy } from '../taxonomy';
import { journeyTouchpoints } from './context';
import { rowsOf } from '../db/raw';

export const PAGE_SIZE = 50;
/**
 * Facet counts are exact over at most this many matching items (the newest); beyond, they describe the
 * newest ones and the page says so. This bounds the work per request whatever the inbox holds.
 */
export const FACET_WINDOW = 10_000;
/** Characters of an item's text shown in the list. */
const LIST_TEXT = 400;

const hasCustomer = sql`(${feedback.customerId} is not null or ${feedback.customerName} is not null or ${feedback.customerContact} is not null)`;

function textArray(values: string[]): SQL {
	return sql`${`{${values.map((x) => `"${x.replace(/["\\]/g, '\\$&')}"`).join(',')}}`}::text[]`;
}

/** The SQL conditions of the filters, without the facet `except` (for that facet's own counts). */
export function filterConditions(workspaceId: string, f: InboxFilters, except?: FacetKey): SQL[] {
	const c: SQL[] = [sql`${feedback.workspaceId} = ${workspaceId}`];
	if (f.status === 'done') c.push(sql`${feedback.status} = 'done'`);
	else if (f.status === 'pending') c.push(sql`${feedback.status} in ('pending', 'processing')`);
	else c.push(sql`${feedback.status} = 'failed'`);
	if (f.spam === 'hide') c.push(sql`${feedback.spam} = false`);
	else if (f.spam === 'only') c.push(sql`${feedback.spam} = true`);
	if (f.q) {
		if (f.status === 'done') {
			// Vectors are written per detected language (french, english or simple): a query in either
			// configuration, or unstemmed, finds its words whatever the item's language.
			c.push(
				sql`${feedback.search} @@ (websearch_to_tsquery('french', ${f.q}) || websearch_to_tsquery('english', ${f.q}) || websearch_to_tsquery('simple', ${f.q}))`
			);
		} else {
			// Items not analysed yet have no vector; they are few, so a plain substring search will do.
			c.push(sql`${feedback.text} ilike ${`%${f.q.replace(/[\\%_]/g, '\\$&')}%`}`);
		}
	}
	const eqs: Array<[FacetKey, SQL]> = [
		['journey', sql`${feedback.journeyId}`],
		['touchpoint', sql`${feedback.touchpointId}`],
		['stage', sql`${feedback.stage}`],
		['channel', sql`${feedback.channel}::text`],
		['polarity', sql`${feedback.polarity}`],
		['intent', sql`${feedback.intent}`],
		['language', sql`coalesce(${feedback.language}, 'unknown')`]
	];
	for (const [key, column] of eqs) {
		const v = f[key];
		if (v !== null && key !== except) c.push(sql`${column} = ${v}`);
	}
	if (f.customer && except !== 'customer')
		c.push(f.customer === 'yes' ? hasCustomer : sql`not ${hasCustomer}`);
	const arrays: Array<[FacetKey, SQL]> = [
		['emotion', sql`${feedback.emotions}`],
		['motive', sql`${feedback.motives}`],
		['product', sql`${feedback.products}`],
		['place', sql`${feedback.places}`]
	];
	for (const [key, column] of arrays) {
		const v = f[key];
		if (v !== null && key !== except) c.push(sql`${column} @> ${textArray([v])}`);
	}
	if (f.from) c.push(sql`${feedback.receivedAt} >= ${`${f.from}T00:00:00Z`}::timestamptz`);
	if (f.to) c.push(sql`${feedback.receivedAt} < ${`${f.to}T00:00:00Z`}::timestamptz + interval '1 day'`);
	return c;
}

export interface InboxItem {
	id: string;
	receivedAt: Date;
	channel: string;
	source: string;
	status: string;
	spam: boolean;
	journeyId: string | null;
	touchpointId: string | null;
	polarity: string | null;
	score: number | null;
	intent: string | null;
	stage: string | null;
	language: string | null;
	emotions: string[];
	motives: string[];
	products: string[];
	places: string[];
	corrected: string[];
	customer: string | null;
	rating: { kind: string; value: number } | null;
	error: string | null;
	/** The (cleaned) text cut for the list, with its highlights. */
	segments: Segment[];
	truncated: boolean;
}

/** Cuts segments after `max` characters. */
function cutSegments(segments: Segment[], max: number): { segments: Segment[]; truncated: boolean } {
	const out: Segment[] = [];
	let left = max;
	for (const s of segments) {
		if (left <= 0) return { segments: out, truncated: true };
		if (s.text.length <= left) {
			out.push(s);
			left -= s.text.length;
		} else {
			out.push({ ...s, text: s.text.slice(0, left) });
			return { segments: out, truncated: true };
		}
	}
	return { segments: out, truncated: false };
}

function segmentsOf(text: string, analysis: Analysis | null): Segment[] {
	if (!analysis || typeof analysis.text !== 'string') return [{ text, kinds: [], refs: [] }];
	return mergeHighlights(analysis.text, highlightsOf(analysis));
}

/** One page of the filtered inbox, newest first; `next` is the cursor of the following page. */
export async function listFeedback(
	db: Db,
	actor: Actor,
	workspaceId: string,
	filters: InboxFilters,
	limit = PAGE_SIZE
): Promise<{ items: InboxItem[]; next: string | null }> {
	await requireAccess(db, actor, 'feedback:read', { workspaceId });
	const conds = filterConditions(workspaceId, filters);
	const cursor = filters.after ? decodeCursor(filters.after) : null;
	if (cursor) {
		conds.push(
			sql`(${feedback.receivedAt}, ${feedback.id}) < (${cursor.receivedAt}::timestamptz, ${cursor.id}::uuid)`
		);
	}
	const rows = await db
		.select({
			id: feedback.id,
			key: sql<string>`to_char(${feedback.receivedAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`,
			receivedAt: feedback.receivedAt,
			text: sql<string>`left(${feedback.text}, ${LIST_TEXT * 4})`,
			channel: feedback.channel,
			source: feedback.source,
			status: feedback.status,
			spam: feedback.spam,
			journeyId: feedback.journeyId,
			touchpointId: feedback.touchpointId,
			polarity: feedback.polarity,
			score: feedback.score,
			intent: feedback.intent,
			stage: feedback.stage,
			language: feedback.language,
			emotions: feedback.emotions,
			motives: feedback.motives,
			products: feedback.products,
			places: feedback.places,
			corrected: feedback.corrected,
			customerName: feedback.customerName,
			customerContact: feedback.customerContact,
			customerId: feedback.customerId,
			ratingKind: feedback.ratingKind,
			ratingValue: feedback.ratingValue,
			error: feedback.error,
			analysis: feedback.analysis
		})
		.from(feedback)
		.where(and(...conds))
		.orderBy(desc(feedback.receivedAt), desc(feedback.id))
		.limit(limit + 1);
	const page = rows.slice(0, limit);
	const last = page[page.length - 1];
	return {
		items: page.map((r) => {
			const cut = cutSegments(segmentsOf(r.text, r.analysis as Analysis | null), LIST_TEXT);
			return {
				id: r.id,
				receivedAt: r.receivedAt,
				channel: r.channel,
				source: r.source,
				status: r.status,
				spam: r.spam,
				journeyId: r.journeyId,
				touchpointId: r.touchpointId,
				polarity: r.polarity,
				score: r.score,
				intent: r.intent,
				stage: r.stage,
				language: r.language,
				emotions: r.emotions ?? [],
				motives: r.motives ?? [],
				products: r.products ?? [],
				places: r.places ?? [],
				corrected: r.corrected ?? [],
				customer: r.customerName ?? r.customerContact ?? r.customerId,
				rating: r.ratingKind && r.ratingValue !== null ? { kind: r.ratingKind, value: r.ratingValue } : null,
				error: r.error,
				segments: cut.segments,
				truncated: cut.truncated
			};
		}),
		next: rows.length > limit && last ? encodeCursor({ receivedAt: last.key, id: last.id }) : null
	};
}

export interface FacetResult {
	counts: FacetCounts;
	/** Items matching every filter, up to {@link FACET_WINDOW}. */
	total: number;
	/** True when more than {@link FACET_WINDOW} items match: counts describe the newest ones. */
	approximate: boolean;
}

/** Each facet's value expression over the window's columns (see {@link facetCounts}). */
const FACET_SQL: Record<FacetKey, { array: boolean; column: string }> = {
	journey: { array: false, column: 'journey' },
	touchpoint: { array: false, column: 'touchpoint' },
	stage: { array: false, column: 'stage' },
	channel: { array: false, column: 'channel' },
	polarity: { array: false, column: 'polarity' },
	intent: { array: false, column: 'intent' },
	language: { array: false, column: 'language' },
	customer: { array: false, column: 'customer' },
	emotion: { array: true, column: 'emotion' },
	motive: { array: true, column: 'motive' },
	product: { array: true, column: 'product' },
	place: { array: true, column: 'place' }
};

/**
 * Counts per value of `facets` over the newest {@link FACET_WINDOW} items matching `conds`, in one
 * statement: the window is read once and only the counts leave the database.
 */
async function facetCounts(
	db: Db,
	conds: SQL[],
	facets: readonly FacetKey[]
): Promise<{ counts: FacetCounts; matched: number }> {
	const parts: SQL[] = [sql`select '' as k, null::text as v, count(*)::int as n from w`];
	for (const facet of facets) {
		const { array, column } = FACET_SQL[facet];
		const col = sql.raw(`v.${column}`);
		parts.push(
			array
				? sql`select ${facet}::text, x::text, count(*)::int from v cross join lateral unnest(${col}) x group by 2`
				: sql`select ${facet}::text, ${col}::text, count(*)::int from v where ${col} is not null group by 2`
		);
	}
	const rows = rowsOf<{ k: string; v: string | null; n: number }>(
		await db.execute(sql`
			with w as (
				select ${feedback.journeyId} as journey, ${feedback.touchpointId} as touchpoint, ${feedback.stage} as stage,
					${feedback.channel}::text as channel, ${feedback.polarity} as polarity, ${feedback.intent} as intent,
					coalesce(${feedback.language}, 'unknown') as language,
					case when ${hasCustomer} then 'yes' else 'no' end as customer,
					${feedback.emotions} as emotion, ${feedback.motives} as motive, ${feedback.products} as product,
					${feedback.places} as place
				from ${feedback}
				where ${and(...conds)}
				order by ${feedback.receivedAt} desc
				limit ${FACET_WINDOW + 1}
			), v as (select * from w limit ${FACET_WINDOW})
			${sql.join(parts, sql` union all `)}`)
	);
	const counts: FacetCounts = {};
	for (const f of facets) counts[f] = [];
	let matched = 0;
	for (const r of rows) {
		if (r.k === '') matched = Number(r.n);
		else if (r.v !== null) counts[r.k as FacetKey]!.push({ value: r.v, count: Number(r.n) });
	}
	for (const f of facets) {
		counts[f]!.sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
	}
	return { counts, matched };
}

/**
 * Counts per value of every facet, each computed with the other filters applied (a facet's own filter
 * would leave it one value). One query for the facets without a filter, one more per facet with one.
 */
export async function feedbackFacets(
	db: Db,
	actor: Actor,
	workspaceId: string,
	filters: InboxFilters
): Promise<FacetResult> {
	await requireAccess(db, actor, 'feedback:read', { workspaceId });
	const active = activeFacets(filters);
	const all = await facetCounts(
		db,
		filterConditions(workspaceId, filters),
		FACETS.filter((f) => !active.includes(f))
	);
	const counts = all.counts;
	// Sequential: PGlite runs one query at a time anyway, and PostgreSQL keeps connections for others.
	for (const facet of active) {
		const own = await facetCounts(db, filterConditions(workspaceId, filters, facet), [facet]);
		counts[facet] = own.counts[facet];
	}
	return {
		counts,
		total: Math.min(all.matched, FACET_WINDOW),
		approximate: all.matched > FACET_WINDOW
	};
}

export interface TouchpointOption {
	id: string;
	title: string;
	stage: string;
}

export interface InboxNames {
	journeys: Array<{ id: string; title: string; touchpoints: TouchpointOption[] }>;
	motives: Array<{ id: string; label: string }>;
	products: Record<string, string>;
	places: Record<string, string>;
}

const namesCache = new Map<string, { at: number; value: Promise<InboxNames> }>();
const NAMES_TTL = 5000;

function motiveLabel(m: Motive, locale: Locale): string {
	return typeof m.label === 'string' ? m.label : (m.label[locale] ?? m.label.en);
}

/** Display name of a place id the analysis reports: a workspace place, or a known city (`city:lyon`). */
export function cityName(id: string): string {
	return id
		.slice(5)
		.split('-')
		.map((w) => w.charAt(0).toUpperCase() + w.slice(1))
		.join('-');
}

async function buildNames(db: Db, workspaceId: string, locale: Locale): Promise<InboxNames> {
	const [journeys, taxonomy, products, places] = await Promise.all([
		db
			.select({ id: journey.id, title: journey.title })
			.from(journey)
			.where(and(eq(journey.workspaceId, workspaceId), isNull(journey.archivedAt)))
			.orderBy(asc(journey.title)),
		loadTaxonomy(db, workspaceId),
		db
			.select({ id: catalogueItem.id, name: catalogueItem.name })
			.from(catalogueItem)
			.where(eq(catalogueItem.workspaceId, workspaceId)),
		db.select({ id: place.id, name: place.name }).from(place).where(eq(place.workspaceId, workspaceId))
	]);
	const out: InboxNames = {
		journeys: [],
		motives: (taxonomy.motives ?? defaultMotives).map((m) => ({ id: m.id, label: motiveLabel(m, locale) })),
		products: Object.fromEntries(products.map((p) => [p.id, p.name])),
		places: Object.fromEntries(places.map((p) => [p.id, p.name]))
	};
	for (const j of journeys) {
		const tps = await journeyTouchpoints(db, j.id, () => undefined);
		out.journeys.push({
			id: j.id,
			title: j.title,
			touchpoints: tps.map((t) => ({ id: t.id, title: t.title, stage: t.stage }))
		});
	}
	return out;
}

/**
 * Names behind the ids the inbox shows (journeys and their touchpoints, motives, products, places), cached
 * a few seconds: a list page and its facets ask for them on every load.
 */
export async function inboxNames(
	db: Db,
	actor: Actor,
	workspaceId: string,
	locale: Locale
): Promise<InboxNames> {
	await requireAccess(db, actor, 'feedback:read', { workspaceId });
	const key = `${workspaceId}:${locale}`;
	const hit = namesCache.get(key);
	if (hit && Date.now() - hit.at < NAMES_TTL) return hit.value;
	const value = buildNames(db, workspaceId, locale);
	namesCache.set(key, { at: Date.now(), value });
	value.catch(() => namesCache.delete(key));
	if (namesCache.size > 200) namesCache.delete(namesCache.keys().next().value!);
	return value;
}

/** Forgets cached names of a workspace (after a change the user expects to see at once). */
export function forgetInboxNames(workspaceId: string): void {
	for (const k of namesCache.keys()) if (k.startsWith(`${workspaceId}:`)) namesCache.delete(k);
}

export function placeName(names: InboxNames, id: string): string {
	return names.places[id] ?? (id.startsWith('city:') ? cityName(id) : id);
}

export interface FeedbackDetail {
	item: typeof feedback.$inferSelect;
	analysis: Analysis | null;
	segments: Segment[];
	corrections: Array<{
		field: string;
		fromValue: string | null;
		toValue: string | null;
		at: Date;
		by: string | null;
	}>;
}

/** One item with its explanation and the corrections made to it. */
export async function getFeedbackItem(
	db: Db,
	actor: Actor,
	workspaceId: string,
	itemId: string
): Promise<FeedbackDetail> {
	await requireAccess(db, actor, 'feedback:read', { workspaceId });
	if (!isId(itemId)) throw notFound();
	const rows = await db
		.select()
		.from(feedback)
		.where(and(eq(feedback.id, itemId), eq(feedback.workspaceId, workspaceId)));
	const item = rows[0];
	if (!item) throw notFound();
	const corrections = await db
		.select({
			field: feedbackCorrection.field,
			fromValue: feedbackCorrection.fromValue,
			toValue: feedbackCorrection.toValue,
			at: feedbackCorrection.createdAt,
			by: user.name
		})
		.from(feedbackCorrection)
		.leftJoin(user, eq(user.id, feedbackCorrection.userId))
		.where(eq(feedbackCorrection.feedbackId, itemId))
		.orderBy(desc(feedbackCorrection.createdAt))
		.limit(50);
	const analysis = (item.analysis as Analysis | null) ?? null;
	return { item, analysis, segments: segmentsOf(item.text, analysis), corrections };
}
