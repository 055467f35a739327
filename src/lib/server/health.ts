/**
 * Journey health read from the database (issue 8): the portfolio of a workspace's journeys and one
 * journey's health. Scores come from the pre-aggregated `touchpoint_daily` sums, kept equal to the items
 * by the transactions that store and correct them; a product or place filter needs the items themselves
 * (aggregates are not kept per product or place), so those read `feedback` directly through its
 * (journey, touchpoint, received) and (workspace, received) indexes. Rules live in `$lib/health`.
 */
import { and, asc, eq, gte, inArray, isNull, lte, notInArray, or, sql, type SQL } from 'drizzle-orm';
import { defaultMotives } from '../analysis';
import { emptySums, addSums, type ScoreSums } from '../feedback/stats';
import { excerpt, motiveLabel } from '../feedback/live';
import type { JourneySnapshot } from '../journey/types';
import {
	addDays,
	healthOf,
	heatmapOf,
	journeyBreakdown,
	ladderOf,
	loopFunnel,
	npsBucket,
	satisfied,
	touchpointMatches,
	weeklyChanges,
	weeklySeries,
	weeksOf
} from '../health';
import type {
	Change,
	FacetChoices,
	DateRange,
	HealthFilters,
	HealthQuery,
	JourneyHealthView,
	LadderInput,
	MotiveHighlight,
	PortfolioRow,
	PortfolioView,
	Quote
} from '../health/types';
import type { RatingKind } from '../feedback/types';
import { requireAccess, type Actor } from './access';
import type { Db } from './db';
import { notFound } from './errors';
import { rowsOf, pgArray } from './db/raw';
import { alert, feedback, journey, loop } from './db/schema';
import { loadJourneySnapshot } from './journeys';
import { loopHistories } from './loops/read';
import { loadTaxonomy } from './taxonomy';
import { cityName } from './feedback/inbox';

/** Where the sums are read from and which items count. */
interface Scope {
	workspaceId?: string;
	journeyId?: string;
	/** Only these touchpoints of the journey (a persona or channel filter); null for all. */
	touchpointIds?: readonly string[] | null;
	/** Across journeys: only these `<journey id>:<touchpoint id>` pairs (maps may share touchpoint ids). */
	touchpointKeys?: readonly string[] | null;
	product?: string | null;
	place?: string | null;
	/** Read the items even without a product or place filter: the recomputation tests compare against. */
	fromItems?: boolean;
}

interface SumsRow extends ScoreSums {
	journeyId: string;
	touchpointId: string;
	/** Monday of the week, or '' when not grouped by week. */
	week: string;
}

function sumsOf(r: SumsRow): ScoreSums {
	return {
		n: Number(r.n),
		sum: Number(r.sum),
		sumSq: Number(r.sumSq),
		negative: Number(r.negative),
		neutral: Number(r.neutral),
		positive: Number(r.positive)
	};
}

/** The persona or channel filter on rows aliased `f` (items) or `d` (daily sums). */
function touchpointConditions(alias: 'f' | 'd', scope: Scope): SQL[] {
	const a = sql.raw(alias);
	const c: SQL[] = [];
	if (scope.touchpointIds) c.push(sql`${a}.touchpoint_id = any(${pgArray(scope.touchpointIds)}::text[])`);
	if (scope.touchpointKeys) {
		c.push(
			sql`(${a}.journey_id::text || ':' || ${a}.touchpoint_id) = any(${pgArray(scope.touchpointKeys)}::text[])`
		);
	}
	return c;
}

/** The conditions under which an item counts, as `touchpoint_daily` counts it (`counts` of aggregates). */
function itemConditions(scope: Scope, range: DateRange): SQL[] {
	const c: SQL[] = [
		sql`f.status = 'done'`,
		sql`not f.spam`,
		sql`f.journey_id is not null`,
		sql`f.polarity is not null`,
		sql`f.score is not null`,
		sql`f.received_at >= ${`${range.from}T00:00:00Z`}::timestamptz`,
		sql`f.received_at < ${`${addDays(range.to, 1)}T00:00:00Z`}::timestamptz`
	];
	if (scope.workspaceId) c.push(sql`f.workspace_id = ${scope.workspaceId}::uuid`);
	if (scope.journeyId) c.push(sql`f.journey_id = ${scope.journeyId}::uuid`);
	c.push(...touchpointConditions('f', scope));
	if (scope.product) c.push(sql`f.products @> array[${scope.product}]::text[]`);
	if (scope.place) c.push(sql`f.places @> array[${scope.place}]::text[]`);
	return c;
}

/** The sums of a daily table's rows, named as `ScoreSums`. */
const DAILY_SUMS =
	sql.raw(`sum(d.n)::int as n, sum(d.score_sum)::float8 as sum, sum(d.score_sq)::float8 as "sumSq",
	sum(d.negative)::int as negative, sum(d.neutral)::int as neutral, sum(d.positive)::int as positive`);

/** Sums per journey and touchpoint (and week when asked) over a range. */
async function readSums(db: Db, scope: Scope, range: DateRange, byWeek: boolean): Promise<SumsRow[]> {
	const week = byWeek ? sql`to_char(date_trunc('week', d.day::timestamp), 'YYYY-MM-DD')` : sql`''`;
	if (scope.product || scope.place || scope.fromItems) {
		const result = await db.execute(sql`
			select d.journey_id as "journeyId", d.touchpoint_id as "touchpointId", ${week} as week,
				count(*)::int as n, coalesce(sum(d.score::float8), 0)::float8 as sum,
				coalesce(sum(d.score::float8 * d.score::float8), 0)::float8 as "sumSq",
				count(*) filter (where d.polarity = 'negative')::int as negative,
				count(*) filter (where d.polarity = 'neutral')::int as neutral,
				count(*) filter (where d.polarity = 'positive')::int as positive
			from (select f.journey_id, coalesce(f.touchpoint_id, '') as touchpoint_id,
					(f.received_at at time zone 'UTC')::date as day, f.score, f.polarity
				from feedback f where ${sql.join(itemConditions(scope, range), sql` and `)}) d
			group by 1, 2, 3`);
		return rowsOf<SumsRow>(result);
	}
	const c: SQL[] = [sql`d.day >= ${range.from}::date`, sql`d.day <= ${range.to}::date`];
	if (scope.workspaceId && !scope.touchpointKeys) {
		// A whole workspace without a touchpoint filter: the per-journey days are enough.
		const result = await db.execute(sql`
			select d.journey_id as "journeyId", '' as "touchpointId", ${week} as week, ${DAILY_SUMS}
			from journey_daily d where ${sql.join([...c, sql`d.workspace_id = ${scope.workspaceId}::uuid`], sql` and `)}
			group by 1, 2, 3`);
		return rowsOf<SumsRow>(result).filter((r) => Number(r.n) > 0);
	}
	if (scope.workspaceId) c.push(sql`d.workspace_id = ${scope.workspaceId}::uuid`);
	if (scope.journeyId) c.push(sql`d.journey_id = ${scope.journeyId}::uuid`);
	c.push(...touchpointConditions('d', scope));
	const result = await db.execute(sql`
		select d.journey_id as "journeyId", d.touchpoint_id as "touchpointId", ${week} as week, ${DAILY_SUMS}
		from touchpoint_daily d where ${sql.join(c, sql` and `)}
		group by 1, 2, 3`);
	return rowsOf<SumsRow>(result).filter((r) => Number(r.n) > 0);
}

function groupSums(rows: readonly SumsRow[], key: (r: SumsRow) => string): Map<string, ScoreSums> {
	const out = new Map<string, ScoreSums>();
	for (const r of rows) out.set(key(r), addSums(out.get(key(r)) ?? emptySums(), sumsOf(r)));
	return out;
}

/** Touchpoints of a map that pass the persona and channel filters; null when neither is set. */
function filteredTouchpoints(snapshot: JourneySnapshot | null, filters: HealthFilters): string[] | null {
	if (!filters.persona && !filters.channel) return null;
	if (!snapshot) return [];
	return snapshot.touchpoints.filter((tp) => touchpointMatches(tp, filters)).map((tp) => tp.id);
}

// ── Portfolio ──────────────────────────────────────────────────────────────────────────────────────

/** Every active journey of the workspace with its health, worst first (persona filters apply per journey: ignored here). */
export async function portfolio(
	db: Db,
	actor: Actor,
	workspaceId: string,
	query: HealthQuery,
	_locale: string,
	options: HealthReadOptions = {}
): Promise<PortfolioView> {
	await requireAccess(db, actor, 'journey:read', { workspaceId });
	const journeys = await db
		.select({ id: journey.id, title: journey.title })
		.from(journey)
		.where(and(eq(journey.workspaceId, workspaceId), isNull(journey.archivedAt)))
		.orderBy(asc(journey.title));
	const filters = { ...query.filters, persona: null };
	const taxonomy = await loadTaxonomy(db, workspaceId);
	// A channel filter is about the touchpoints of each map: read the maps only then.
	let touchpointKeys: string[] | null = null;
	if (filters.channel) {
		const snapshots = await Promise.all(journeys.map((j) => loadJourneySnapshot(db, j.id)));
		touchpointKeys = journeys.flatMap((j, k) =>
			(filteredTouchpoints(snapshots[k], filters) ?? []).map((id) => `${j.id}:${id}`)
		);
	}
	const scope: Scope = {
		workspaceId,
		touchpointKeys,
		product: filters.product,
		place: filters.place,
		fromItems: options.source === 'items'
	};
	const [current, previous, alerts, loops] = await Promise.all([
		readSums(db, scope, query.range, true),
		query.compare ? readSums(db, scope, query.compare, false) : Promise.resolve([]),
		db
			.select({ journeyId: alert.journeyId, n: sql<number>`count(*)::int` })
			.from(alert)
			.where(and(eq(alert.workspaceId, workspaceId), isNull(alert.resolvedAt)))
			.groupBy(alert.journeyId),
		db
			.select({ journeyId: loop.journeyId, n: sql<number>`count(*)::int` })
			.from(loop)
			.where(and(eq(loop.workspaceId, workspaceId), notInArray(loop.stage, ['closed', 'cancelled'])))
			.groupBy(loop.journeyId)
	]);
	const weeks = weeksOf(query.range);
	const byJourney = groupSums(current, (r) => r.journeyId);
	const before = groupSums(previous, (r) => r.journeyId);
	const alertsOf = new Map(alerts.map((a) => [a.journeyId ?? '', Number(a.n)]));
	const loopsOf = new Map(loops.map((l) => [l.journeyId, Number(l.n)]));
	const rows: PortfolioRow[] = journeys.map((j) => {
		const sums = byJourney.get(j.id) ?? emptySums();
		const openAlerts = alertsOf.get(j.id) ?? 0;
		const byWeek = groupSums(
			current.filter((r) => r.journeyId === j.id),
			(r) => r.week
		);
		return {
			journeyId: j.id,
			title: j.title,
			health: healthOf({ sums, previous: before.get(j.id) ?? emptySums(), openAlerts }),
			weekly: weeklySeries(weeks, byWeek),
			volume: sums.n,
			openAlerts,
			openLoops: loopsOf.get(j.id) ?? 0
		};
	});
	rows.sort((a, b) => {
		const sa = a.health.score;
		const sb = b.health.score;
		if (sa === null || sb === null) return sa === sb ? a.title.localeCompare(b.title) : sa === null ? 1 : -1;
		return sa - sb || a.title.localeCompare(b.title);
	});
	// Personas belong to each map: the portfolio has none to filter by.
	return {
		query: { ...query, filters },
		journeys: rows,
		facets: facetChoices(taxonomy, {
			products: taxonomy.products.map((p) => p.id),
			places: taxonomy.places.map((p) => p.id)
		}),
		at: new Date().toISOString()
	};
}

// ── One journey ────────────────────────────────────────────────────────────────────────────────────

export interface HealthReadOptions {
	/** 'items' recomputes every sum from the items instead of the daily sums (tests compare the two). */
	source?: 'aggregates' | 'items';
}

export interface JourneyHealthOptions extends HealthReadOptions {
	/** "Now" for what changed since last week (tests). */
	now?: Date;
	/** Pains and joys listed. */
	topMotives?: number;
	quotesPerMotive?: number;
}

export async function journeyHealth(
	db: Db,
	actor: Actor,
	workspaceId: string,
	journeyId: string,
	query: HealthQuery,
	locale: string,
	options: JourneyHealthOptions = {}
): Promise<JourneyHealthView> {
	const access = await requireAccess(db, actor, 'journey:read', { journeyId });
	if (access.workspaceId !== workspaceId) throw notFound();
	const now = options.now ?? new Date();
	const today = now.toISOString().slice(0, 10);
	const [row] = await db.select({ title: journey.title }).from(journey).where(eq(journey.id, journeyId));
	const [snapshot, taxonomy] = await Promise.all([
		loadJourneySnapshot(db, journeyId),
		loadTaxonomy(db, workspaceId)
	]);
	const filters = query.filters;
	const touchpointIds = filteredTouchpoints(snapshot, filters);
	const scope: Scope = {
		journeyId,
		touchpointIds,
		product: filters.product,
		place: filters.place,
		fromItems: options.source === 'items'
	};
	const lastWeek: DateRange = { from: addDays(today, -6), to: today };
	const weekBefore: DateRange = { from: addDays(today, -13), to: addDays(today, -7) };
	const weekAgo = new Date(Date.parse(`${lastWeek.from}T00:00:00Z`));

	// Independent reads at once: on PostgreSQL they run side by side on the pool's connections.
	const [figures, recentMotives, facetIds, current, previous, recent, prior, alerts, histories, closedLoops] =
		await Promise.all([
			itemFigures(db, scope, query.range, options),
			motiveCounts(db, scope, lastWeek, weekBefore),
			// The filter's choices are those of the whole journey, so another product or place can be picked.
			filters.product || filters.place || touchpointIds ? facetValues(db, journeyId, query.range) : null,
			readSums(db, scope, query.range, true),
			query.compare ? readSums(db, scope, query.compare, false) : Promise.resolve([]),
			readSums(db, scope, lastWeek, false),
			readSums(db, scope, weekBefore, false),
			db
				.select({
					id: alert.id,
					touchpointId: alert.touchpointId,
					openedAt: alert.openedAt,
					resolvedAt: alert.resolvedAt
				})
				.from(alert)
				.where(
					and(
						eq(alert.journeyId, journeyId),
						or(isNull(alert.resolvedAt), and(gte(alert.openedAt, weekAgo), lte(alert.openedAt, now)))
					)
				),
			loopHistories(db, workspaceId, journeyId),
			db
				.select({
					id: loop.id,
					title: loop.title,
					verdict: sql<string | null>`${loop.measurement}->>'verdict'`
				})
				.from(loop)
				.where(
					and(
						eq(loop.journeyId, journeyId),
						eq(loop.stage, 'closed'),
						gte(loop.closedAt, weekAgo),
						lte(loop.closedAt, now)
					)
				)
		]);
	const labelOf = motiveLabeller(taxonomy.motives ?? defaultMotives, locale);
	const motives = await motiveHighlights(db, figures, labelOf);
	const ladder = ladderInput(figures);
	const facets = facetChoices(taxonomy, facetIds ?? figures);

	const openAlerts = new Map<string, number>();
	for (const a of alerts) {
		if (a.resolvedAt) continue;
		openAlerts.set(a.touchpointId ?? '', (openAlerts.get(a.touchpointId ?? '') ?? 0) + 1);
	}
	const tpKey = (r: SumsRow) => r.touchpointId;
	const { health, curve, breakdown } = journeyBreakdown({
		snapshot: snapshot ?? { personas: [], stages: [], touchpoints: [] },
		current: groupSums(current, tpKey),
		previous: groupSums(previous, tpKey),
		openAlerts,
		filters
	});
	const titles = new Map((snapshot?.touchpoints ?? []).map((tp) => [tp.id, tp.title]));
	const weeks = weeksOf(query.range);
	const heatRows = (snapshot?.touchpoints ?? [])
		.filter((tp) => !touchpointIds || touchpointIds.includes(tp.id))
		.map((tp) => ({
			touchpointId: tp.id,
			title: tp.title,
			byWeek: groupSums(
				current.filter((r) => r.touchpointId === tp.id),
				(r) => r.week
			)
		}));
	const recentByTp = groupSums(recent, tpKey);
	const priorByTp = groupSums(prior, tpKey);
	const changes: Change[] = weeklyChanges({
		touchpoints: [...titles].map(([id, title]) => ({
			touchpointId: id,
			title,
			current: recentByTp.get(id) ?? emptySums(),
			previous: priorByTp.get(id) ?? emptySums()
		})),
		motives: recentMotives.map((m) => ({
			motive: m.motive,
			label: labelOf(m.motive),
			current: m.current,
			previous: m.previous
		})),
		alerts: alerts
			.filter((a) => a.openedAt >= weekAgo && a.openedAt <= now)
			.map((a) => ({
				alertId: a.id,
				touchpointId: a.touchpointId,
				title: a.touchpointId ? (titles.get(a.touchpointId) ?? null) : null
			})),
		loops: closedLoops.map((l) => ({ loopId: l.id, title: l.title, improved: l.verdict === 'improved' }))
	});
	const unmatched = touchpointIds ? 0 : (groupSums(current, tpKey).get('')?.n ?? 0);
	return {
		query,
		journey: {
			id: journeyId,
			title: row?.title ?? snapshot?.title ?? '',
			personas: (snapshot?.personas ?? []).map((p) => ({ id: p.id, name: p.name, color: p.color })),
			stages: (snapshot?.stages ?? []).map((s) => ({ id: s.id, title: s.title, group: s.group }))
		},
		health,
		curve,
		heatmap: heatmapOf(weeks, heatRows),
		pains: motives.pains,
		joys: motives.joys,
		breakdown,
		funnel: loopFunnel(histories),
		ladder: ladderOf(ladder),
		changes,
		unmatched,
		facets,
		at: now.toISOString()
	};
}

type MotiveDef = { id: string; label: string | { fr: string; en: string } };

function motiveLabeller(defs: readonly MotiveDef[], locale: string): (id: string) => string {
	const labels = new Map(defs.map((m) => [m.id, m.label]));
	return (id) => {
		const label = labels.get(id);
		return label ? motiveLabel(label, locale) : id;
	};
}

/** Items of the range read once: ratings, customers, top motives with quote ids, products and places seen. */
interface ItemFigures {
	total: number;
	ratings: Array<{ kind: RatingKind | null; value: number | null; n: number }>;
	customers: { customers: number; returning: number };
	top: Array<{ motive: string; polarity: 'negative' | 'positive'; n: number }>;
	quotes: Array<{ id: string; motive: string; polarity: string }>;
	products: string[];
	places: string[];
}

const parsed = <T>(v: unknown): T => (typeof v === 'string' ? JSON.parse(v) : v) as T;

/**
 * Everything a journey page needs from the items themselves, in one statement: the matching items are
 * read once into a materialized set (the heap is the slow part, most of all on the embedded database)
 * and every figure is computed from that set.
 */
async function itemFigures(
	db: Db,
	scope: Scope,
	range: DateRange,
	options: JourneyHealthOptions
): Promise<ItemFigures> {
	const top = options.topMotives ?? 5;
	const perMotive = options.quotesPerMotive ?? 2;
	const [row] = rowsOf<Record<string, unknown>>(
		await db.execute(sql`
			with i as materialized (
				select f.id, f.received_at, f.polarity, f.motives, f.products, f.places, f.rating_kind, f.rating_value,
					coalesce(f.customer_id, f.customer_contact) as customer, (f.received_at at time zone 'UTC')::date as day
				from feedback f where ${sql.join(itemConditions(scope, range), sql` and `)}
			),
			m as (
				select u.motive, i.polarity, count(*)::int as n
				from i cross join lateral unnest(i.motives) as u(motive)
				where i.polarity in ('negative', 'positive') group by 1, 2
			),
			top as (
				select motive, polarity, n from (
					select m.*, row_number() over (partition by polarity order by n desc, motive) as r from m
				) t where r <= ${top}
			),
			q as (
				select id, motive, polarity from (
					select i.id, u.motive, i.polarity,
						row_number() over (partition by u.motive, i.polarity order by i.received_at desc, i.id) as r
					from i cross join lateral unnest(i.motives) as u(motive)
					join top on top.motive = u.motive and top.polarity = i.polarity
				) x where r <= ${perMotive}
			)
			select (select count(*) from i)::int as total,
				(select coalesce(json_agg(json_build_object('kind', kind, 'value', value, 'n', n)), '[]'::json)
					from (select rating_kind as kind, rating_value as value, count(*)::int as n from i group by 1, 2) r) as ratings,
				(select json_build_object('customers', count(*), 'returning', count(*) filter (where days >= 2))
					from (select customer, count(distinct day) as days from i where customer is not null group by 1) c) as customers,
				(select coalesce(json_agg(json_build_object('motive', motive, 'polarity', polarity, 'n', n)
					order by n desc, motive), '[]'::json) from top) as top,
				(select coalesce(json_agg(json_build_object('id', id, 'motive', motive, 'polarity', polarity)), '[]'::json)
					from q) as quotes,
				(select coalesce(json_agg(distinct p), '[]'::json) from i cross join lateral unnest(i.products) as p) as products,
				(select coalesce(json_agg(distinct p), '[]'::json) from i cross join lateral unnest(i.places) as p) as places`)
	);
	return {
		total: Number(row?.total ?? 0),
		ratings: parsed(row?.ratings ?? '[]'),
		customers: parsed(row?.customers ?? '{"customers":0,"returning":0}'),
		top: parsed(row?.top ?? '[]'),
		quotes: parsed(row?.quotes ?? '[]'),
		products: parsed<string[]>(row?.products ?? '[]').sort(),
		places: parsed<string[]>(row?.places ?? '[]').sort()
	};
}

/** Top pains (motives of negative items) and joys (of positive items), each with its latest quotes. */
async function motiveHighlights(
	db: Db,
	figures: ItemFigures,
	labelOf: (motive: string) => string
): Promise<{ pains: MotiveHighlight[]; joys: MotiveHighlight[] }> {
	const ids = figures.quotes.map((q) => q.id);
	const texts = new Map<string, Quote>();
	if (ids.length > 0) {
		const rows = await db
			.select({
				id: feedback.id,
				text: feedback.text,
				receivedAt: feedback.receivedAt,
				touchpointId: feedback.touchpointId
			})
			.from(feedback)
			.where(inArray(feedback.id, ids));
		for (const r of rows) {
			texts.set(r.id, {
				itemId: r.id,
				text: excerpt(r.text, 240),
				receivedAt: r.receivedAt.toISOString(),
				touchpointId: r.touchpointId
			});
		}
	}
	const highlight = (c: ItemFigures['top'][number]): MotiveHighlight => ({
		motive: c.motive,
		label: labelOf(c.motive),
		count: Number(c.n),
		share: figures.total > 0 ? Math.round((Number(c.n) / figures.total) * 1000) / 1000 : 0,
		quotes: figures.quotes
			.filter((q) => q.motive === c.motive && q.polarity === c.polarity)
			.map((q) => texts.get(q.id))
			.filter((q): q is Quote => !!q)
			.sort((a, b) => b.receivedAt.localeCompare(a.receivedAt) || a.itemId.localeCompare(b.itemId))
	});
	return {
		pains: figures.top.filter((t) => t.polarity === 'negative').map(highlight),
		joys: figures.top.filter((t) => t.polarity === 'positive').map(highlight)
	};
}

/** Negative items per motive in the last 7 days and the 7 before. */
async function motiveCounts(db: Db, scope: Scope, lastWeek: DateRange, weekBefore: DateRange) {
	const span: DateRange = { from: weekBefore.from, to: lastWeek.to };
	const rows = rowsOf<{ motive: string; current: number; previous: number }>(
		await db.execute(sql`
			select m as motive,
				count(*) filter (where f.received_at >= ${`${lastWeek.from}T00:00:00Z`}::timestamptz)::int as current,
				count(*) filter (where f.received_at < ${`${lastWeek.from}T00:00:00Z`}::timestamptz)::int as previous
			from feedback f, unnest(f.motives) m
			where ${sql.join(itemConditions(scope, span), sql` and `)} and f.polarity = 'negative'
			group by 1`)
	);
	return rows.map((r) => ({ motive: r.motive, current: Number(r.current), previous: Number(r.previous) }));
}

/** What the engagement ladder rests on, counted with the ladder's own thresholds. */
function ladderInput(figures: ItemFigures): LadderInput {
	const input: LadderInput = {
		items: 0,
		customers: Number(figures.customers.customers),
		returning: Number(figures.customers.returning),
		csat: { n: 0, satisfied: 0 },
		stars: { n: 0, satisfied: 0 },
		nps: { n: 0, promoters: 0, passives: 0, detractors: 0 }
	};
	for (const r of figures.ratings) {
		const n = Number(r.n);
		input.items += n;
		if (r.kind === null || r.value === null) continue;
		const value = Number(r.value);
		if (r.kind === 'nps') {
			input.nps.n += n;
			input.nps[npsBucket(value)] += n;
		} else {
			input[r.kind].n += n;
			if (satisfied(r.kind, value)) input[r.kind].satisfied += n;
		}
	}
	return input;
}

/** Filter choices with their names: catalogue names for products and places, city names for cities. */
function facetChoices(
	taxonomy: Awaited<ReturnType<typeof loadTaxonomy>>,
	ids: { products: string[]; places: string[] }
): FacetChoices {
	const names = new Map<string, string>();
	for (const p of taxonomy.products) names.set(p.id, p.name);
	for (const p of taxonomy.places) names.set(p.id, p.name);
	const labels: Record<string, string> = {};
	for (const id of [...ids.products, ...ids.places]) {
		labels[id] = names.get(id) ?? (id.startsWith('city:') ? cityName(id) : id);
	}
	return { products: ids.products, places: ids.places, labels };
}

/** Products and places named on the journey's items of the range, for the filter choices. */
async function facetValues(db: Db, journeyId: string, range: DateRange) {
	const where = sql.join(itemConditions({ journeyId }, range), sql` and `);
	const [products, places] = await Promise.all(
		(['products', 'places'] as const).map(async (column) =>
			rowsOf<{ v: string }>(
				await db.execute(sql`
					select distinct v from feedback f, unnest(f.${sql.raw(column)}) v where ${where} order by v limit 200`)
			).map((r) => r.v)
		)
	);
	return { products, places };
}
