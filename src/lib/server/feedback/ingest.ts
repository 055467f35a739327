/**
 * Storing feedback from every path (API, CSV, form, manual entry, e-mail, demo). Items are committed as
 * `pending` and the processor is woken; analysis happens later, off the request.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { FeedbackInput, FeedbackSource } from '../../feedback/types';
import type { Db } from '../db';
import { feedback, journey } from '../db/schema';
import { emit } from '../events';

export interface IngestTarget {
	workspaceId: string;
	source: FeedbackSource;
	createdBy?: string | null;
	importId?: string | null;
}

export interface IngestResult {
	/** Per input, in order: the stored item's id and whether it was new or already stored (same external id). */
	items: Array<{ id: string; duplicate: boolean } | { id: null; error: { field: string; message: string } }>;
	created: number;
	duplicates: number;
}

/** Rows per INSERT: PostgreSQL allows 65,535 parameters per statement. */
const CHUNK = 500;

function toRow(target: IngestTarget, input: FeedbackInput): typeof feedback.$inferInsert {
	return {
		workspaceId: target.workspaceId,
		journeyId: input.journeyId,
		givenTouchpointId: input.touchpointId,
		touchpointId: input.touchpointId,
		text: input.text,
		channel: input.channel,
		source: target.source,
		receivedAt: input.receivedAt,
		customerId: input.customer?.id ?? null,
		customerName: input.customer?.name ?? null,
		customerContact: input.customer?.contact ?? null,
		ratingKind: input.rating?.kind ?? null,
		ratingValue: input.rating?.value ?? null,
		givenLanguage: input.language,
		externalId: input.externalId,
		importId: target.importId ?? null,
		createdBy: target.createdBy ?? null
	};
}

/**
 * Stores validated items. Items whose journey is not one of the workspace's are refused (field
 * `journey_id`); items whose external id is already stored are reported as duplicates with the stored id.
 * Within one call, a repeated external id counts once.
 */
export async function ingestFeedback(
	db: Db,
	target: IngestTarget,
	inputs: FeedbackInput[]
): Promise<IngestResult> {
	const result: IngestResult = { items: new Array(inputs.length), created: 0, duplicates: 0 };
	if (inputs.length === 0) return result;

	const journeyIds = [...new Set(inputs.map((i) => i.journeyId).filter((j): j is string => !!j))];
	const known = new Set<string>();
	if (journeyIds.length) {
		const rows = await db
			.select({ id: journey.id })
			.from(journey)
			.where(and(eq(journey.workspaceId, target.workspaceId), inArray(journey.id, journeyIds)));
		for (const r of rows) known.add(r.id);
	}

	const accepted: number[] = [];
	const firstByExternal = new Map<string, number>();
	const repeats: Array<[number, number]> = [];
	inputs.forEach((input, i) => {
		if (input.journeyId && !known.has(input.journeyId)) {
			result.items[i] = {
				id: null,
				error: { field: 'journey_id', message: 'is not a journey of this workspace' }
			};
			return;
		}
		if (input.externalId) {
			const first = firstByExternal.get(input.externalId);
			if (first !== undefined) {
				repeats.push([i, first]);
				return;
			}
			firstByExternal.set(input.externalId, i);
		}
		accepted.push(i);
	});

	for (let start = 0; start < accepted.length; start += CHUNK) {
		const indexes = accepted.slice(start, start + CHUNK);
		const inserted = await db
			.insert(feedback)
			.values(indexes.map((i) => toRow(target, inputs[i])))
			.onConflictDoNothing({ target: [feedback.workspaceId, feedback.externalId] })
			.returning({ id: feedback.id, externalId: feedback.externalId });
		// RETURNING gives inserted rows only; match them back by external id, else by order.
		const byExternal = new Map(inserted.filter((r) => r.externalId).map((r) => [r.externalId!, r.id]));
		const withoutExternal = inserted.filter((r) => !r.externalId);
		let k = 0;
		const missing: number[] = [];
		for (const i of indexes) {
			const ext = inputs[i].externalId;
			if (ext) {
				const id = byExternal.get(ext);
				if (id) {
					result.items[i] = { id, duplicate: false };
					result.created++;
				} else missing.push(i);
			} else {
				result.items[i] = { id: withoutExternal[k++].id, duplicate: false };
				result.created++;
			}
		}
		if (missing.length) {
			const existing = await db
				.select({ id: feedback.id, externalId: feedback.externalId })
				.from(feedback)
				.where(
					and(
						eq(feedback.workspaceId, target.workspaceId),
						inArray(
							feedback.externalId,
							missing.map((i) => inputs[i].externalId!)
						)
					)
				);
			const ids = new Map(existing.map((r) => [r.externalId!, r.id]));
			for (const i of missing) {
				result.items[i] = { id: ids.get(inputs[i].externalId!)!, duplicate: true };
				result.duplicates++;
			}
		}
	}
	for (const [i, first] of repeats) {
		const f = result.items[first];
		result.items[i] = f.id ? { id: f.id, duplicate: true } : f;
		if (f.id) result.duplicates++;
	}
	if (result.created > 0) emit('feedback:queued', { workspaceId: target.workspaceId });
	return result;
}

/** Items waiting for analysis (all workspaces), for progress and monitoring. */
export async function pendingCount(db: Db, workspaceId?: string): Promise<number> {
	const rows = await db
		.select({ n: sql<number>`count(*)::int` })
		.from(feedback)
		.where(
			workspaceId
				? and(eq(feedback.workspaceId, workspaceId), inArray(feedback.status, ['pending', 'processing']))
				: inArray(feedback.status, ['pending', 'processing'])
		);
	return rows[0]?.n ?? 0;
}
