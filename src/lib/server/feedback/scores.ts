/**
 * The live metrics of a journey's touchpoints, from the daily sums (or, filtered by product, from the
 * items themselves), and what a touchpoint's side panel shows: latest feedback and top motives.
 */
import { and, desc, eq, gte, lt, sql, type SQL } from 'drizzle-orm';
import { defaultMotives, type Label } from '../../analysis';
import type { ScoreFilters } from '../../feedback/filters';
import { scoreFromSums } from '../../feedback/stats';
import type { JourneyScores, TouchpointScore } from '../../feedback/types';
import { requireAccess, type Actor } from '../access';
import type { Db } from '../db';
import { feedback, touchpointDaily } from '../db/schema';
import { notFound } from '../errors';
import { loadTaxonomy } from '../taxonomy';
import { rowsOf } from '../db/raw';

function nextDay(day: string): string {
	const d = new Date(`${day}T00:00:00Z`);
	d.setUTCDate(d.getUTCDate() + 1);
	return d.toISOString().slice(0, 10);
}

/** Items counted in live scores, with the filters applied. */
function itemConditions(journeyId: string, f: ScoreFilters): SQL[] {
	const c: SQL[] = [
		eq(feedback.journeyId, journeyId),
		eq(feedback.status, 'done'),
		eq(feedback.spam, false),
		sql`${feedback.score} is not null`
	];
	if (f.from) c.push(gte(feedback.receivedAt, new Date(`${f.from}T00:00:00Z`)));
	if (f.to) c.push(lt(feedback.receivedAt, new Date(`${nextDay(f.to)}T00:00:00Z`)));
	if (f.channel) c.push(eq(feedback.channel, f.channel));
	if (f.product) c.push(sql`${feedback.products} @> array[${f.product}]::text[]`);
	return c;
}

interface SumRow {
	touchpointId: string;
	n: number;
	sum: number;
	sumSq: number;
	negative: number;
	neutral: number;
	positive: number;
}

/** Every touchpoint's live score in a journey (no access check: callers check). */
export async function journeyScores(
	db: Db,
	journeyId: string,
	filters: ScoreFilters = {}
): Promise<JourneyScores> {
	let rows: SumRow[];
	if (filters.product) {
		rows = await db
			.select({
				touchpointId: sql<string>`coalesce(${feedback.touchpointId}, '')`,
				n: sql<number>`count(*)::int`,
				sum: sql<number>`coalesce(sum(${feedback.score}), 0)::float8`,
				sumSq: sql<number>`coalesce(sum(${feedback.score} * ${feedback.score}), 0)::float8`,
				negative: sql<number>`count(*) filter (where ${feedback.polarity} = 'negative')::int`,
				neutral: sql<number>`count(*) filter (where ${feedback.polarity} = 'neutral')::int`,
				positive: sql<number>`count(*) filter (where ${feedback.polarity} = 'positive')::int`
			})
			.from(feedback)
			.where(and(...itemConditions(journeyId, filters)))
			.groupBy(sql`1`);
	} else {
		const c: SQL[] = [eq(touchpointDaily.journeyId, journeyId)];
		if (filters.from) c.push(gte(touchpointDaily.day, filters.from));
		if (filters.to) c.push(sql`${touchpointDaily.day} <= ${filters.to}`);
		if (filters.channel) c.push(eq(touchpointDaily.channel, filters.channel));
		rows = await db
			.select({
				touchpointId: touchpointDaily.touchpointId,
				n: sql<number>`sum(${touchpointDaily.n})::int`,
				sum: sql<number>`sum(${touchpointDaily.scoreSum})::float8`,
				sumSq: sql<number>`sum(${touchpointDaily.scoreSq})::float8`,
				negative: sql<number>`sum(${touchpointDaily.negative})::int`,
				neutral: sql<number>`sum(${touchpointDaily.neutral})::int`,
				positive: sql<number>`sum(${touchpointDaily.positive})::int`
			})
			.from(touchpointDaily)
			.where(and(...c))
			.groupBy(touchpointDaily.touchpointId);
	}
	const touchpoints: Record<string, TouchpointScore> = {};
	let unmatched = 0;
	for (const r of rows) {
		const n = Number(r.n);
		if (r.touchpointId === '') {
			unmatched = n;
			continue;
		}
		if (n <= 0) continue;
		touchpoints[r.touchpointId] = scoreFromSums(r.touchpointId, {
			n,
			sum: Number(r.sum),
			sumSq: Number(r.sumSq),
			negative: Number(r.negative),
			neutral: Number(r.neutral),
			positive: Number(r.positive)
		});
	}
	return { journeyId, at: new Date().toISOString(), touchpoints, unmatched };
}

export interface TouchpointFeedback {
	latest: Array<{
		id: string;
		text: string;
		polarity: string | null;
		score: number | null;
		receivedAt: string;
		channel: string;
		language: string | null;
	}>;
	topMotives: Array<{ id: string; label: Label | string; count: number }>;
}

const EXCERPT = 280;

/** A touchpoint's latest items and most frequent motives (no access check: callers check). */
export async function touchpointFeedback(
	db: Db,
	workspaceId: string,
	journeyId: string,
	touchpointId: string,
	filters: ScoreFilters = {},
	limit = 8
): Promise<TouchpointFeedback> {
	const where = and(...itemConditions(journeyId, filters), eq(feedback.touchpointId, touchpointId));
	const [latest, motiveRows, taxonomy] = await Promise.all([
		db
			.select({
				id: feedback.id,
				text: sql<string>`left(${feedback.text}, ${EXCERPT + 1})`,
				polarity: feedback.polarity,
				score: feedback.score,
				receivedAt: feedback.receivedAt,
				channel: feedback.channel,
				language: feedback.language
			})
			.from(feedback)
			.where(where)
			.orderBy(desc(feedback.receivedAt))
			.limit(limit),
		db.execute(
			sql`select m as id, count(*)::int as count from ${feedback}, unnest(${feedback.motives}) as m
				where ${where} group by m order by count(*) desc, m limit 5`
		),
		loadTaxonomy(db, workspaceId)
	]);
	const labels = new Map((taxonomy.motives ?? defaultMotives).map((m) => [m.id, m.label]));
	return {
		latest: latest.map((r) => ({
			...r,
			text: r.text.length > EXCERPT ? `${r.text.slice(0, EXCERPT)}…` : r.text,
			receivedAt: r.receivedAt.toISOString()
		})),
		topMotives: rowsOf<{ id: string; count: number }>(motiveRows).map((r) => ({
			id: r.id,
			label: labels.get(r.id) ?? r.id,
			count: Number(r.count)
		}))
	};
}

/** Checks that the user may read the journey's feedback and that it is in `workspaceId`. */
export async function requireJourneyFeedback(db: Db, actor: Actor, workspaceId: string, journeyId: string) {
	const access = await requireAccess(db, actor, 'feedback:read', { journeyId });
	if (access.workspaceId !== workspaceId) throw notFound();
	return access;
}
