/**
 * Storing feedback from every path (API, CSV, form, manual entry, e-mail, demo). Items are committed as
 * `pending` and the processor is woken; analysis happens later, off the request.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { FeedbackInput, FeedbackSource } from '../../feedback/types';
import type { Db } from '../db';
import { pgArray, rowsOf } from '../db/raw';
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

/** Rows per INSERT statement. */
const CHUNK = 1000;

/** Inserts one chunk in one statement (a parameter per column); returns the rows actually inserted. */
async function insertChunk(
	db: Db,
	target: IngestTarget,
	inputs: FeedbackInput[]
): Promise<Array<{ id: string; external_id: string | null }>> {
	const col = <T extends string | number | null>(f: (i: FeedbackInput) => T) => pgArray(inputs.map(f));
	const result = await db.execute(sql`
		insert into feedback (workspace_id, source, import_id, created_by, journey_id, given_touchpoint_id, touchpoint_id,
			text, channel, received_at, customer_id, customer_name, customer_contact, rating_kind, rating_value,
			given_language, external_id)
		select ${target.workspaceId}::uuid, ${target.source}::feedback_source, ${target.importId ?? null}::uuid,
			${target.createdBy ?? null}::uuid, v.*
		from unnest(
			${col((i) => i.journeyId)}::uuid[], ${col((i) => i.touchpointId)}::text[], ${col((i) => i.touchpointId)}::text[],
			${col((i) => i.text)}::text[], ${col((i) => i.channel)}::feedback_channel[],
			${col((i) => i.receivedAt.toISOString())}::timestamptz[], ${col((i) => i.customer?.id ?? null)}::text[],
			${col((i) => i.customer?.name ?? null)}::text[], ${col((i) => i.customer?.contact ?? null)}::text[],
			${col((i) => i.rating?.kind ?? null)}::rating_kind[], ${col((i) => i.rating?.value ?? null)}::smallint[],
			${col((i) => i.language)}::text[], ${col((i) => i.externalId)}::text[]
		) as v
		on conflict (workspace_id, external_id) do nothing
		returning id, external_id`);
	return rowsOf<{ id: string; external_id: string | null }>(result);
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
		const inserted = (
			await insertChunk(
				db,
				target,
				indexes.map((i) => inputs[i])
			)
		).map((r) => ({
			id: r.id,
			externalId: r.external_id
		}));
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
