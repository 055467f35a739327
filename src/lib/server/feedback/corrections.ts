/**
 * Staff corrections of analysed items: one field at a time, a touchpoint for a selection, spam and back.
 * Each change is recorded in `feedback_correction`, updates the item's effective fields, moves the
 * touchpoint aggregates in the same transaction, and tells open screens (`feedback:changed`). Corrections
 * of learnable fields schedule a retraining of the workspace model.
 */
import { and, eq, inArray } from 'drizzle-orm';
import {
	defaultMotives,
	INTENTS,
	POLARITIES,
	STAGE_GROUPS,
	type Analysis,
	type Polarity
} from '../../analysis';
import { correctedStrength, emotionScore } from '../../feedback/stats';
import { CORRECTABLE_FIELDS, type CorrectableField } from '../../feedback/types';
import { isId, requireAccess, type Actor } from '../access';
import type { Db } from '../db';
import { feedback, feedbackCorrection, journey, type Feedback } from '../db/schema';
import { AppError, invalid, notFound } from '../errors';
import { emit } from '../events';
import { loadTaxonomy } from '../taxonomy';
import { adjustAggregates, replaceInAggregates, type CountedItem } from './aggregates';
import { journeyTouchpoints } from './context';
import { scheduleRetrain } from './learning';

/** Items one bulk action may change. */
export const MAX_SELECTION = 500;

export function isCorrectableField(v: unknown): v is CorrectableField {
	return typeof v === 'string' && (CORRECTABLE_FIELDS as readonly string[]).includes(v);
}

const LEARNED = new Set<string>(['polarity', 'intent', 'motive', 'touchpoint']);

function counted(row: Feedback): CountedItem {
	return {
		workspaceId: row.workspaceId,
		journeyId: row.journeyId,
		touchpointId: row.touchpointId,
		receivedAt: row.receivedAt,
		channel: row.channel,
		status: row.status,
		spam: row.spam,
		polarity: row.polarity,
		score: row.score
	};
}

function withCorrected(row: Feedback, field: string): string[] {
	const set = new Set(row.corrected ?? []);
	set.add(field);
	return [...set].sort();
}

/** The ids of a selection, checked: every one must look like an id, at most {@link MAX_SELECTION}. */
export function requireSelection(field: string, ids: unknown): string[] {
	const list = Array.isArray(ids) ? ids : [];
	const unique = [...new Set(list.filter((x): x is string => typeof x === 'string'))];
	if (unique.length === 0) throw invalid(field, 'inbox.error.noSelection');
	if (unique.length > MAX_SELECTION)
		throw invalid(field, 'inbox.error.selectionTooLarge', { max: MAX_SELECTION });
	if (!unique.every(isId)) throw invalid(field, 'inbox.error.unknownItems');
	return unique;
}

async function checkValue(
	db: Db,
	workspaceId: string,
	row: Feedback,
	field: CorrectableField,
	value: string
) {
	const allowed = (list: readonly string[]) => {
		if (!list.includes(value)) throw invalid('value', 'inbox.error.badValue', { field });
	};
	if (field === 'polarity') allowed(POLARITIES);
	else if (field === 'intent') allowed(INTENTS);
	else if (field === 'stage') allowed(STAGE_GROUPS);
	else if (field === 'motive') {
		const taxonomy = await loadTaxonomy(db, workspaceId);
		allowed((taxonomy.motives ?? defaultMotives).map((m) => m.id));
	} else if (field === 'touchpoint') {
		if (!row.journeyId) throw invalid('value', 'inbox.error.noJourney');
		const tps = await journeyTouchpoints(db, row.journeyId, () => undefined);
		allowed(tps.map((t) => t.id));
	}
}

/** The row after setting one field; the analysis' own strength is the base of a corrected score. */
function corrected(row: Feedback, field: CorrectableField, value: string): Partial<Feedback> {
	const analysis = row.analysis as Analysis | null;
	switch (field) {
		case 'polarity': {
			const strength = analysis?.polarity?.score ?? (row.score ?? 0) / 2;
			return { polarity: value, score: emotionScore(correctedStrength(value as Polarity, strength)) };
		}
		case 'intent':
			return { intent: value };
		case 'stage':
			return { stage: value };
		case 'motive':
			// The corrected motive replaces what the analysis found: it said why, and it was wrong.
			return { motives: [value] };
		case 'touchpoint':
			return { touchpointId: value };
	}
}

function currentValue(row: Feedback, field: CorrectableField): string | null {
	switch (field) {
		case 'polarity':
			return row.polarity;
		case 'intent':
			return row.intent;
		case 'stage':
			return row.stage;
		case 'motive':
			return row.motives?.[0] ?? null;
		case 'touchpoint':
			return row.touchpointId;
	}
}

async function lockItem(tx: Db, workspaceId: string, itemId: string): Promise<Feedback> {
	const rows = await tx
		.select()
		.from(feedback)
		.where(and(eq(feedback.id, itemId), eq(feedback.workspaceId, workspaceId)))
		.for('update');
	if (!rows[0]) throw notFound();
	return rows[0];
}

/** One aggregate update for a whole selection: its rows are locked once, in key order. */
function moveAll(tx: Db, rows: Array<{ before: Feedback; after: Feedback }>): Promise<void> {
	return adjustAggregates(
		tx,
		rows.flatMap(({ before, after }) => [
			{ item: counted(before), sign: -1 as const },
			{ item: counted(after), sign: 1 as const }
		])
	);
}

function changed(workspaceId: string, rows: Array<{ before: Feedback; after: Feedback }>) {
	if (rows.length === 0) return;
	const journeyIds = new Set<string>();
	for (const { before, after } of rows) {
		if (before.journeyId) journeyIds.add(before.journeyId);
		if (after.journeyId) journeyIds.add(after.journeyId);
	}
	emit('feedback:changed', {
		workspaceId,
		journeyIds: [...journeyIds],
		itemIds: rows.map((r) => r.after.id)
	});
}

/** Sets one field of an analysed item to the value staff chose. */
export async function correctFeedback(
	db: Db,
	actor: Actor,
	workspaceId: string,
	itemId: string,
	field: unknown,
	value: unknown
): Promise<Feedback> {
	await requireAccess(db, actor, 'feedback:handle', { workspaceId });
	if (!isId(itemId)) throw notFound();
	if (!isCorrectableField(field)) throw invalid('field', 'inbox.error.badField');
	if (typeof value !== 'string' || !value) throw invalid('value', 'inbox.error.badValue', { field });
	const peek = await db
		.select()
		.from(feedback)
		.where(and(eq(feedback.id, itemId), eq(feedback.workspaceId, workspaceId)));
	if (!peek[0]) throw notFound();
	await checkValue(db, workspaceId, peek[0], field, value);

	const result = await db.transaction(async (t) => {
		const tx = t as unknown as Db;
		const before = await lockItem(tx, workspaceId, itemId);
		if (before.status !== 'done') throw new AppError(409, 'inbox.error.notAnalysed');
		// The journey is read again under the lock: a touchpoint must belong to the item's journey now.
		if (field === 'touchpoint' && before.journeyId !== peek[0].journeyId) {
			throw new AppError(409, 'inbox.error.changedMeanwhile');
		}
		const from = currentValue(before, field);
		const patch = { ...corrected(before, field, value), corrected: withCorrected(before, field) };
		const [after] = await tx.update(feedback).set(patch).where(eq(feedback.id, itemId)).returning();
		await tx.insert(feedbackCorrection).values({
			feedbackId: itemId,
			workspaceId,
			userId: actor!.id,
			field,
			fromValue: from,
			toValue: value
		});
		await replaceInAggregates(tx, counted(before), counted(after));
		return { before, after };
	});
	changed(workspaceId, [result]);
	if (LEARNED.has(field)) scheduleRetrain(db, workspaceId);
	return result.after;
}

/**
 * Assigns analysed items to one touchpoint of a journey (items of another journey, or of none, move to
 * it). Items not analysed yet are left out and counted in `skipped`.
 */
export async function assignTouchpoint(
	db: Db,
	actor: Actor,
	workspaceId: string,
	itemIds: unknown,
	journeyId: unknown,
	touchpointId: unknown
): Promise<{ updated: number; skipped: number }> {
	await requireAccess(db, actor, 'feedback:handle', { workspaceId });
	const ids = requireSelection('ids', itemIds);
	if (!isId(journeyId)) throw invalid('touchpoint', 'inbox.error.badTouchpoint');
	const owner = await db
		.select({ id: journey.id })
		.from(journey)
		.where(and(eq(journey.id, journeyId), eq(journey.workspaceId, workspaceId)));
	if (!owner[0]) throw invalid('touchpoint', 'inbox.error.badTouchpoint');
	const tps = await journeyTouchpoints(db, journeyId, () => undefined);
	if (typeof touchpointId !== 'string' || !tps.some((t) => t.id === touchpointId)) {
		throw invalid('touchpoint', 'inbox.error.badTouchpoint');
	}
	const changes = await db.transaction(async (t) => {
		const tx = t as unknown as Db;
		const rows = await lockSelection(tx, workspaceId, ids);
		const out: Array<{ before: Feedback; after: Feedback }> = [];
		for (const before of rows) {
			if (before.status !== 'done') continue;
			if (before.journeyId === journeyId && before.touchpointId === touchpointId) continue;
			const [after] = await tx
				.update(feedback)
				.set({ journeyId, touchpointId, corrected: withCorrected(before, 'touchpoint') })
				.where(eq(feedback.id, before.id))
				.returning();
			out.push({ before, after });
		}
		if (out.length) {
			await tx.insert(feedbackCorrection).values(
				out.map(({ before }) => ({
					feedbackId: before.id,
					workspaceId,
					userId: actor!.id,
					field: 'touchpoint',
					fromValue: before.touchpointId,
					toValue: touchpointId
				}))
			);
			await moveAll(tx, out);
		}
		return { out, skipped: rows.filter((r) => r.status !== 'done').length };
	});
	changed(workspaceId, changes.out);
	if (changes.out.length) scheduleRetrain(db, workspaceId);
	return { updated: changes.out.length, skipped: changes.skipped };
}

/** Locks the selected items in id order (so two bulk actions cannot deadlock); all must be the workspace's. */
async function lockSelection(tx: Db, workspaceId: string, ids: string[]): Promise<Feedback[]> {
	const rows = await tx
		.select()
		.from(feedback)
		.where(and(eq(feedback.workspaceId, workspaceId), inArray(feedback.id, ids)))
		.orderBy(feedback.id)
		.for('update');
	if (rows.length !== ids.length) throw invalid('ids', 'inbox.error.unknownItems');
	return rows;
}

/** Marks items as spam or irrelevant (they leave the scores), or back. */
export async function setSpam(
	db: Db,
	actor: Actor,
	workspaceId: string,
	itemIds: unknown,
	spam: boolean
): Promise<{ updated: number }> {
	await requireAccess(db, actor, 'feedback:handle', { workspaceId });
	const ids = requireSelection('ids', itemIds);
	const out = await db.transaction(async (t) => {
		const tx = t as unknown as Db;
		const rows = await lockSelection(tx, workspaceId, ids);
		const changes: Array<{ before: Feedback; after: Feedback }> = [];
		for (const before of rows) {
			if (before.spam === spam) continue;
			const [after] = await tx
				.update(feedback)
				.set({ spam, corrected: withCorrected(before, 'spam') })
				.where(eq(feedback.id, before.id))
				.returning();
			changes.push({ before, after });
		}
		if (changes.length) {
			await tx.insert(feedbackCorrection).values(
				changes.map(({ before }) => ({
					feedbackId: before.id,
					workspaceId,
					userId: actor!.id,
					field: 'spam',
					fromValue: String(before.spam),
					toValue: String(spam)
				}))
			);
			await moveAll(tx, changes);
		}
		return changes;
	});
	changed(workspaceId, out);
	return { updated: out.length };
}
