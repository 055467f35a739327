/**
 * Keeps `touchpoint_daily` equal to a recomputation from `feedback`: every change of an item that counts
 * (done, not spam, in a journey) subtracts its old contribution and adds its new one, in the caller's
 * transaction.
 */
import { and, eq, sql } from 'drizzle-orm';
import type { Polarity } from '../../analysis/types';
import { addSums, emptySums, itemSums, type ScoreSums } from '../../feedback/stats';
import type { FeedbackChannel } from '../../feedback/types';
import type { Db } from '../db';
import { pgArray } from '../db/raw';
import { feedback } from '../db/schema';

/** The fields of an item that decide where and how it counts. */
export interface CountedItem {
	workspaceId: string;
	journeyId: string | null;
	touchpointId: string | null;
	receivedAt: Date;
	channel: FeedbackChannel;
	status: string;
	spam: boolean;
	polarity: string | null;
	score: number | null;
}

export function counts(item: CountedItem): boolean {
	return item.status === 'done' && !item.spam && !!item.journeyId && !!item.polarity && item.score !== null;
}

/** Aggregates are per UTC day. */
export function dayOf(d: Date): string {
	return d.toISOString().slice(0, 10);
}

/** Adds (`sign` 1) or removes (-1) items' contributions; items that do not count are ignored. */
export async function adjustAggregates(
	tx: Db,
	changes: Array<{ item: CountedItem; sign: 1 | -1 }>
): Promise<void> {
	const byKey = new Map<string, { item: CountedItem; sums: ScoreSums }>();
	for (const { item, sign } of changes) {
		if (!counts(item)) continue;
		const key = [item.journeyId, item.touchpointId ?? '', dayOf(item.receivedAt), item.channel].join('|');
		const entry = byKey.get(key) ?? { item, sums: emptySums() };
		entry.sums = addSums(entry.sums, itemSums(item.score!, item.polarity as Polarity, sign));
		byKey.set(key, entry);
	}
	const rows = [...byKey.values()]
		.filter((e) => e.sums.n !== 0 || e.sums.sum !== 0)
		.map(({ item, sums }) => ({
			journeyId: item.journeyId!,
			touchpointId: item.touchpointId ?? '',
			day: dayOf(item.receivedAt),
			channel: item.channel,
			workspaceId: item.workspaceId,
			n: sums.n,
			scoreSum: sums.sum,
			scoreSq: sums.sumSq,
			negative: sums.negative,
			neutral: sums.neutral,
			positive: sums.positive
		}));
	// Sorted keys: concurrent transactions lock rows in the same order and cannot deadlock.
	rows.sort((a, b) =>
		`${a.journeyId}|${a.touchpointId}|${a.day}|${a.channel}`.localeCompare(
			`${b.journeyId}|${b.touchpointId}|${b.day}|${b.channel}`
		)
	);
	if (rows.length === 0) return;
	// One parameter per column (array literals): a statement per batch, whatever its number of keys.
	const col = (f: (r: (typeof rows)[number]) => string | number) => pgArray(rows.map(f));
	await tx.execute(sql`
		insert into touchpoint_daily as d (journey_id, touchpoint_id, day, channel, workspace_id, n, score_sum, score_sq,
			negative, neutral, positive)
		select * from unnest(${col((r) => r.journeyId)}::uuid[], ${col((r) => r.touchpointId)}::text[],
			${col((r) => r.day)}::date[], ${col((r) => r.channel)}::feedback_channel[], ${col((r) => r.workspaceId)}::uuid[],
			${col((r) => r.n)}::int[], ${col((r) => r.scoreSum)}::float8[], ${col((r) => r.scoreSq)}::float8[],
			${col((r) => r.negative)}::int[], ${col((r) => r.neutral)}::int[], ${col((r) => r.positive)}::int[])
		on conflict (journey_id, touchpoint_id, day, channel) do update set
			n = d.n + excluded.n, score_sum = d.score_sum + excluded.score_sum, score_sq = d.score_sq + excluded.score_sq,
			negative = d.negative + excluded.negative, neutral = d.neutral + excluded.neutral,
			positive = d.positive + excluded.positive`);
	await adjustJourneyDays(tx, rows);
}

/** The same changes summed per journey and day into `journey_daily` (rows come sorted: same lock order). */
async function adjustJourneyDays(
	tx: Db,
	rows: ReadonlyArray<{ journeyId: string; day: string; workspaceId: string } & DaySums>
): Promise<void> {
	const byDay = new Map<string, { journeyId: string; day: string; workspaceId: string } & DaySums>();
	for (const r of rows) {
		const key = `${r.journeyId}|${r.day}`;
		const e = byDay.get(key);
		if (!e) {
			byDay.set(key, { ...r });
			continue;
		}
		for (const f of DAY_SUM_FIELDS) e[f] += r[f];
	}
	const days = [...byDay.values()].sort((a, b) =>
		`${a.journeyId}|${a.day}`.localeCompare(`${b.journeyId}|${b.day}`)
	);
	const col = (f: (r: (typeof days)[number]) => string | number) => pgArray(days.map(f));
	await tx.execute(sql`
		insert into journey_daily as d (journey_id, day, workspace_id, n, score_sum, score_sq, negative, neutral, positive)
		select * from unnest(${col((r) => r.journeyId)}::uuid[], ${col((r) => r.day)}::date[],
			${col((r) => r.workspaceId)}::uuid[], ${col((r) => r.n)}::int[], ${col((r) => r.scoreSum)}::float8[],
			${col((r) => r.scoreSq)}::float8[], ${col((r) => r.negative)}::int[], ${col((r) => r.neutral)}::int[],
			${col((r) => r.positive)}::int[])
		on conflict (journey_id, day) do update set
			n = d.n + excluded.n, score_sum = d.score_sum + excluded.score_sum, score_sq = d.score_sq + excluded.score_sq,
			negative = d.negative + excluded.negative, neutral = d.neutral + excluded.neutral,
			positive = d.positive + excluded.positive`);
}

const DAY_SUM_FIELDS = ['n', 'scoreSum', 'scoreSq', 'negative', 'neutral', 'positive'] as const;
type DaySums = Record<(typeof DAY_SUM_FIELDS)[number], number>;

/** Replaces an item's contribution: call with the row before and after a change, in one transaction. */
export function replaceInAggregates(tx: Db, before: CountedItem, after: CountedItem): Promise<void> {
	return adjustAggregates(tx, [
		{ item: before, sign: -1 },
		{ item: after, sign: 1 }
	]);
}

/** The sums recomputed from the items of a journey, keyed like `touchpoint_daily` (for checks and repair). */
export async function recomputeAggregates(db: Db, journeyId: string) {
	return db
		.select({
			touchpointId: sql<string>`coalesce(${feedback.touchpointId}, '')`,
			day: sql<string>`to_char(${feedback.receivedAt} at time zone 'UTC', 'YYYY-MM-DD')`,
			channel: feedback.channel,
			n: sql<number>`count(*)::int`,
			// Summed as float8: a float4 sum drifts by ~0.001 past a few hundred items in one day.
			scoreSum: sql<number>`sum(${feedback.score}::float8)`,
			negative: sql<number>`count(*) filter (where ${feedback.polarity} = 'negative')::int`,
			neutral: sql<number>`count(*) filter (where ${feedback.polarity} = 'neutral')::int`,
			positive: sql<number>`count(*) filter (where ${feedback.polarity} = 'positive')::int`
		})
		.from(feedback)
		.where(
			and(
				eq(feedback.journeyId, journeyId),
				eq(feedback.status, 'done'),
				eq(feedback.spam, false),
				sql`${feedback.polarity} is not null and ${feedback.score} is not null`
			)
		)
		.groupBy(sql`1`, sql`2`, feedback.channel);
}

/**
 * Rebuilds a workspace's daily sums (per touchpoint, then per journey) from its items in one statement (repair after a bulk load, and the
 * health benchmark's seeding); callers hold off writers of that workspace meanwhile. A journey duplicated
 * with its scores has sums but no items of its own: a rebuild leaves it empty, as if duplicated without.
 */
export async function rebuildAggregates(db: Db, workspaceId: string): Promise<void> {
	await db.transaction(async (tx) => {
		await tx.execute(sql`delete from touchpoint_daily where workspace_id = ${workspaceId}::uuid`);
		await tx.execute(sql`
			insert into touchpoint_daily (journey_id, touchpoint_id, day, channel, workspace_id, n, score_sum, score_sq,
				negative, neutral, positive)
			select f.journey_id, coalesce(f.touchpoint_id, ''), (f.received_at at time zone 'UTC')::date, f.channel,
				f.workspace_id, count(*)::int, sum(f.score::float8), sum(f.score::float8 * f.score::float8),
				count(*) filter (where f.polarity = 'negative')::int, count(*) filter (where f.polarity = 'neutral')::int,
				count(*) filter (where f.polarity = 'positive')::int
			from feedback f
			where f.workspace_id = ${workspaceId}::uuid and f.status = 'done' and not f.spam and f.journey_id is not null
				and f.polarity is not null and f.score is not null
			group by 1, 2, 3, 4, 5`);
		await tx.execute(sql`delete from journey_daily where workspace_id = ${workspaceId}::uuid`);
		await tx.execute(sql`
			insert into journey_daily (journey_id, day, workspace_id, n, score_sum, score_sq, negative, neutral, positive)
			select journey_id, day, workspace_id, sum(n), sum(score_sum), sum(score_sq), sum(negative), sum(neutral),
				sum(positive)
			from touchpoint_daily where workspace_id = ${workspaceId}::uuid
			group by 1, 2, 3`);
	});
}
