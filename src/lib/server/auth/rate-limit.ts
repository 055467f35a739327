/** Fixed-window counters in the database, so every instance sees the same count. */
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../db';
import { rateLimit } from '../db/schema';

export interface RateLimitResult {
	allowed: boolean;
	/** Seconds until the window resets (only meaningful when refused). */
	retryAfterSeconds: number;
	remaining: number;
}

/**
 * Counts one hit against `key` and says whether it is within `limit` hits per `windowSeconds`.
 * The upsert is one statement, so concurrent hits are counted exactly.
 */
export async function hit(
	db: Db,
	key: string,
	limit: number,
	windowSeconds: number,
	now = new Date()
): Promise<RateLimitResult> {
	const windowStart = new Date(now.getTime() - windowSeconds * 1000);
	const rows = await db
		.insert(rateLimit)
		.values({ key, count: 1, windowStartedAt: now })
		.onConflictDoUpdate({
			target: rateLimit.key,
			set: {
				count: sql`case when ${rateLimit.windowStartedAt} <= ${windowStart.toISOString()}::timestamptz then 1 else ${rateLimit.count} + 1 end`,
				windowStartedAt: sql`case when ${rateLimit.windowStartedAt} <= ${windowStart.toISOString()}::timestamptz then ${now.toISOString()}::timestamptz else ${rateLimit.windowStartedAt} end`
			}
		})
		.returning();
	const row = rows[0];
	const resetAt = row.windowStartedAt.getTime() + windowSeconds * 1000;
	return {
		allowed: row.count <= limit,
		retryAfterSeconds: Math.max(1, Math.ceil((resetAt - now.getTime()) / 1000)),
		remaining: Math.max(0, limit - row.count)
	};
}

/** Forgets a key, e.g. the per-e-mail counter after a successful sign-in. */
export async function reset(db: Db, key: string): Promise<void> {
	await db.delete(rateLimit).where(eq(rateLimit.key, key));
}
