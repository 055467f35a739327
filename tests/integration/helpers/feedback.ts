/** Feedback fixtures shared by the database tests: valid items, a journey with a real map, aggregate checks. */
import { expect } from 'vitest';
import { eq } from 'drizzle-orm';
import * as Y from 'yjs';
import { createJourneyFromTemplate, openJourney, type Touchpoint } from '../../../src/lib/journey';
import { validateFeedbackInput } from '../../../src/lib/feedback/validate';
import type { FeedbackInput } from '../../../src/lib/feedback/types';
import type { Database } from '../../../src/lib/server/db';
import { journeyDaily, touchpointDaily } from '../../../src/lib/server/db/schema';
import { createCollabStore } from '../../../src/lib/server/collab-store';
import { recomputeAggregates } from '../../../src/lib/server/feedback/aggregates';
import { makeJourney } from './factories';

/** A valid item (e-mail, 1 November 2026 unless given). */
export function item(raw: Record<string, unknown>): FeedbackInput {
	const v = validateFeedbackInput({ channel: 'email', received_at: '2026-11-01T10:00:00Z', ...raw });
	if (!v.ok) throw new Error(JSON.stringify(v.issues));
	return v.value;
}

/** A journey whose stored map is the airline template. */
export async function airlineJourney(database: Database, workspaceId: string, title = 'Airline') {
	const j = await makeJourney(database.db, workspaceId, title);
	const doc = new Y.Doc();
	createJourneyFromTemplate(doc, 'airline', 'en', { title, owner: null });
	await createCollabStore(database.db).saveInitialState(j.id, Y.encodeStateAsUpdate(doc));
	const touchpoints: Touchpoint[] = openJourney(doc).snapshot().touchpoints;
	return { journey: j, touchpoints };
}

/** The stored daily sums of a journey equal a recomputation from its items. */
export async function expectAggregatesMatch(database: Database, journeyId: string) {
	const stored = await database.db
		.select()
		.from(touchpointDaily)
		.where(eq(touchpointDaily.journeyId, journeyId));
	const fresh = await recomputeAggregates(database.db, journeyId);
	const key = (r: { touchpointId: string; day: string; channel: string }) =>
		`${r.touchpointId}|${r.day}|${r.channel}`;
	const storedByKey = new Map(stored.filter((r) => r.n !== 0).map((r) => [key(r), r]));
	expect(storedByKey.size).toBe(fresh.length);
	for (const f of fresh) {
		const s = storedByKey.get(key(f));
		expect(s, key(f)).toBeDefined();
		expect(s!.n).toBe(f.n);
		expect(s!.scoreSum).toBeCloseTo(f.scoreSum, 3);
		expect([s!.negative, s!.neutral, s!.positive]).toEqual([f.negative, f.neutral, f.positive]);
	}
	// The per-journey days add up the same items.
	const days = await database.db.select().from(journeyDaily).where(eq(journeyDaily.journeyId, journeyId));
	const freshDays = new Map<string, { n: number; scoreSum: number; negative: number; positive: number }>();
	for (const f of fresh) {
		const d = freshDays.get(f.day) ?? { n: 0, scoreSum: 0, negative: 0, positive: 0 };
		freshDays.set(f.day, {
			n: d.n + f.n,
			scoreSum: d.scoreSum + f.scoreSum,
			negative: d.negative + f.negative,
			positive: d.positive + f.positive
		});
	}
	const storedDays = days.filter((d) => d.n !== 0);
	expect(storedDays.length).toBe(freshDays.size);
	for (const d of storedDays) {
		const f = freshDays.get(d.day);
		expect(f, d.day).toBeDefined();
		expect([d.n, d.negative, d.positive]).toEqual([f!.n, f!.negative, f!.positive]);
		expect(d.scoreSum).toBeCloseTo(f!.scoreSum, 3);
	}
}
