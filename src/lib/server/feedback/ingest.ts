/**
 * Storing feedback from every path (API, CSV, form, manual entry, e-mail, demo). Items are committed as
 * `pending` and the processor is woken; analysis happens later, off the request. Bulk imports may hand
 * in items analysed before storing: those are written once, done.
 */
import { randomUUID } from 'node:crypto';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { FeedbackInput, FeedbackSource } from '../../feedback/types';
import type { Db } from '../db';
import { jsonArray, pgArray, rowsOf } from '../db/raw';
import { feedback, journey } from '../db/schema';
import { emit } from '../events';
import { adjustAggregates, type CountedItem } from './aggregates';
import type { AnalysedFields } from './processor';

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

/** A row to insert: its chosen id, the input, and where it is placed (the input's, or the analysis'). */
interface ItemRow {
	id: string;
	input: FeedbackInput;
	journeyId: string | null;
	touchpointId: string | null;
}

/**
 * The columns every stored item has, for one `insert … select … from unnest(…) as v(…)`: the column
 * names, the selected values, the arrays (a parameter per column) and their names in `v`.
 */
function itemColumns(target: IngestTarget, rows: ItemRow[]) {
	const col = <T extends string | number | null>(f: (r: ItemRow) => T) => pgArray(rows.map(f));
	return {
		names: sql`id, workspace_id, source, import_id, created_by, journey_id, given_touchpoint_id, touchpoint_id,
			text, channel, received_at, customer_id, customer_name, customer_contact, rating_kind, rating_value,
			given_language, external_id`,
		values: sql`v.id, ${target.workspaceId}::uuid, ${target.source}::feedback_source, ${target.importId ?? null}::uuid,
			${target.createdBy ?? null}::uuid, v.journey_id, v.given_touchpoint_id, v.touchpoint_id, v.text, v.channel,
			v.received_at, v.customer_id, v.customer_name, v.customer_contact, v.rating_kind, v.rating_value,
			v.given_language, v.external_id`,
		arrays: sql`${col((r) => r.id)}::uuid[], ${col((r) => r.journeyId)}::uuid[],
			${col((r) => r.input.touchpointId)}::text[], ${col((r) => r.touchpointId)}::text[],
			${col((r) => r.input.text)}::text[], ${col((r) => r.input.channel)}::feedback_channel[],
			${col((r) => r.input.receivedAt.toISOString())}::timestamptz[], ${col((r) => r.input.customer?.id ?? null)}::text[],
			${col((r) => r.input.customer?.name ?? null)}::text[], ${col((r) => r.input.customer?.contact ?? null)}::text[],
			${col((r) => r.input.rating?.kind ?? null)}::rating_kind[], ${col((r) => r.input.rating?.value ?? null)}::smallint[],
			${col((r) => r.input.language)}::text[], ${col((r) => r.input.externalId)}::text[]`,
		aliases: sql`id, journey_id, given_touchpoint_id, touchpoint_id, text, channel, received_at, customer_id,
			customer_name, customer_contact, rating_kind, rating_value, given_language, external_id`
	};
}

/**
 * Inserts one chunk of pending items in one statement; returns the ids actually inserted. Ids are
 * chosen here so that the rows a conflict skipped are known without matching them back.
 */
async function insertChunk(
	db: Db,
	target: IngestTarget,
	rows: Array<{ id: string; input: FeedbackInput }>
): Promise<Set<string>> {
	const c = itemColumns(
		target,
		rows.map((r) => ({ ...r, journeyId: r.input.journeyId, touchpointId: r.input.touchpointId }))
	);
	const result = await db.execute(sql`
		insert into feedback (${c.names})
		select ${c.values} from unnest(${c.arrays}) as v(${c.aliases})
		on conflict (workspace_id, external_id) do nothing
		returning id`);
	return new Set(rowsOf<{ id: string }>(result).map((r) => r.id));
}

/**
 * Inserts one chunk of items analysed before storing (bulk imports): each row is written once, done,
 * with its search vector, and counted in the touchpoint aggregates in the same transaction.
 */
async function insertAnalysedChunk(
	db: Db,
	target: IngestTarget,
	rows: Array<{ id: string; input: FeedbackInput; fields: AnalysedFields }>
): Promise<{ inserted: Set<string>; journeyIds: Set<string> }> {
	const col = <T extends string | number | null>(f: (r: (typeof rows)[number]) => T) => pgArray(rows.map(f));
	const c = itemColumns(
		target,
		rows.map((r) => ({ ...r, journeyId: r.fields.journeyId, touchpointId: r.fields.touchpointId }))
	);
	return db.transaction(async (tx) => {
		// As for the processor's stores: a crash before the disk has it loses rows the import reports as
		// not done (its progress is written after), never a row reported stored.
		await tx.execute(sql`set local synchronous_commit = off`);
		const result = await tx.execute(sql`
			insert into feedback (${c.names}, status, analysed_at, analysed_count, analysis, language, search, polarity,
				score, intent, stage, emotions, motives, products, places)
			select ${c.values}, 'done', now(), 1, j.analyses -> (v.ord::int - 1), v.language, to_tsvector(v.cfg, v.text),
				v.polarity, v.score, v.intent, v.stage, v.emotions::text[], v.motives::text[], v.products::text[], v.places::text[]
			from unnest(${c.arrays},
				${col((r) => r.fields.language)}::text[], ${col((r) => r.fields.config)}::regconfig[], ${col((r) => r.fields.polarity)}::text[],
				${col((r) => r.fields.score)}::real[], ${col((r) => r.fields.intent)}::text[], ${col((r) => r.fields.stage)}::text[],
				${col((r) => r.fields.emotions)}::text[], ${col((r) => r.fields.motives)}::text[],
				${col((r) => r.fields.products)}::text[], ${col((r) => r.fields.places)}::text[]
			) with ordinality as v(${c.aliases}, language, cfg, polarity, score, intent, stage, emotions, motives, products,
				places, ord)
			cross join (select ${jsonArray(rows.map((r) => r.fields.analysis))}::jsonb as analyses) j
			on conflict (workspace_id, external_id) do nothing
			returning id`);
		const inserted = new Set(rowsOf<{ id: string }>(result).map((r) => r.id));
		const counted: Array<{ item: CountedItem; sign: 1 }> = [];
		const journeyIds = new Set<string>();
		for (const r of rows) {
			if (!inserted.has(r.id)) continue;
			if (r.fields.journeyId) journeyIds.add(r.fields.journeyId);
			counted.push({
				sign: 1,
				item: {
					workspaceId: target.workspaceId,
					journeyId: r.fields.journeyId,
					touchpointId: r.fields.touchpointId,
					receivedAt: r.input.receivedAt,
					channel: r.input.channel,
					status: 'done',
					spam: false,
					polarity: r.fields.polarity,
					score: r.fields.score
				}
			});
		}
		await adjustAggregates(tx as unknown as Db, counted);
		return { inserted, journeyIds };
	});
}

/**
 * Stores validated items. Items whose journey is not one of the workspace's are refused (field
 * `journey_id`); items whose external id is already stored are reported as duplicates with the stored id.
 * Within one call, a repeated external id counts once.
 */
export async function ingestFeedback(
	db: Db,
	target: IngestTarget,
	inputs: FeedbackInput[],
	/** Per input, its analysis when it was analysed before storing (see `FeedbackProcessor.analyseNew`). */
	analysed?: ReadonlyArray<AnalysedFields | null>
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

	const changedJourneys = new Set<string>();
	const analysedIds: string[] = [];
	let queued = 0;
	for (let start = 0; start < accepted.length; start += CHUNK) {
		const indexes = accepted.slice(start, start + CHUNK);
		const rows = indexes.map((i) => ({
			i,
			id: randomUUID(),
			input: inputs[i],
			fields: analysed?.[i] ?? null
		}));
		const pending = rows.filter((r) => !r.fields);
		const done = rows.filter((r): r is (typeof rows)[number] & { fields: AnalysedFields } => !!r.fields);
		const inserted = new Set<string>();
		if (pending.length) {
			const ids = await insertChunk(db, target, pending);
			queued += ids.size;
			for (const id of ids) inserted.add(id);
		}
		if (done.length) {
			const stored = await insertAnalysedChunk(db, target, done);
			for (const id of stored.inserted) {
				inserted.add(id);
				analysedIds.push(id);
			}
			for (const j of stored.journeyIds) changedJourneys.add(j);
		}
		const missing: number[] = [];
		for (const r of rows) {
			if (inserted.has(r.id)) {
				result.items[r.i] = { id: r.id, duplicate: false };
				result.created++;
			} else missing.push(r.i);
		}
		if (missing.length) {
			// Only an external id already stored makes the database skip a row.
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
	if (queued > 0) emit('feedback:queued', { workspaceId: target.workspaceId });
	if (analysedIds.length > 0) {
		emit('feedback:changed', {
			workspaceId: target.workspaceId,
			journeyIds: [...changedJourneys],
			itemIds: analysedIds
		});
	}
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
