/**
 * A workspace learns from its staff's corrections: its model is retrained from every corrected item a few
 * seconds after the last correction (a burst of clicks trains once) and stored in `workspace_model`, which
 * the processor reads for the items that come next.
 */
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import {
	deserializeModel,
	serializeModel,
	train,
	type Intent,
	type Polarity,
	type TrainingExample
} from '../../analysis';
import type { Db } from '../db';
import { feedback, feedbackCorrection, workspaceModel } from '../db/schema';
import { emit } from '../events';
import { analysisChannel, createContextCache } from './context';

/** Quiet time after the last correction before retraining. */
export const RETRAIN_DELAY_MS = 3000;
/** A steady stream of corrections still retrains at least this often. */
export const RETRAIN_MAX_WAIT_MS = 30_000;
/**
 * Training runs in the calling thread; the newest corrected items only, so a retraining stays around a
 * second (1,000 examples train in well under one).
 */
export const MAX_EXAMPLES = 2000;

const LEARNED_FIELDS = ['polarity', 'intent', 'motive', 'touchpoint'] as const;

/** Training examples from the workspace's corrected items, with their current (corrected) values. */
export async function trainingExamples(db: Db, workspaceId: string): Promise<TrainingExample[]> {
	const corrected = db
		.select({ id: feedbackCorrection.feedbackId })
		.from(feedbackCorrection)
		.where(
			and(
				eq(feedbackCorrection.workspaceId, workspaceId),
				inArray(feedbackCorrection.field, [...LEARNED_FIELDS])
			)
		);
	const rows = await db
		.select({
			text: feedback.text,
			receivedAt: feedback.receivedAt,
			channel: feedback.channel,
			corrected: feedback.corrected,
			polarity: feedback.polarity,
			intent: feedback.intent,
			motives: feedback.motives,
			touchpointId: feedback.touchpointId
		})
		.from(feedback)
		.where(
			and(
				eq(feedback.workspaceId, workspaceId),
				inArray(feedback.id, corrected),
				eq(feedback.status, 'done'),
				// Spam says nothing about how customers speak of the journey.
				eq(feedback.spam, false)
			)
		)
		.orderBy(desc(feedback.receivedAt))
		.limit(MAX_EXAMPLES);
	return rows.map((r) => {
		const fields = new Set(r.corrected ?? []);
		const ex: TrainingExample = {
			text: r.text,
			receivedAt: r.receivedAt,
			channel: analysisChannel(r.channel)
		};
		if (fields.has('polarity') && r.polarity) ex.polarity = r.polarity as Polarity;
		if (fields.has('intent') && r.intent) ex.intent = r.intent as Intent;
		if (fields.has('motive') && r.motives?.[0]) ex.motive = r.motives[0];
		if (fields.has('touchpoint') && r.touchpointId) ex.touchpoint = r.touchpointId;
		return ex;
	});
}

/**
 * Drops a field from every example when all its corrections give the same value: one class teaches
 * nothing to tell apart, and blended in it would push every later item towards that value.
 */
export function withoutSingleClassFields(examples: TrainingExample[]): TrainingExample[] {
	const out = examples.map((e) => ({ ...e }));
	for (const field of LEARNED_FIELDS) {
		const values = new Set(out.map((e) => e[field]).filter((v) => v !== undefined));
		if (values.size < 2) for (const e of out) delete e[field];
	}
	return out.filter((e) => LEARNED_FIELDS.some((f) => e[f] !== undefined));
}

/**
 * Retrains the workspace model from all its corrections now and stores it (or removes it when no
 * correction is left). Returns the number of examples it learned from.
 */
export async function retrainWorkspace(db: Db, workspaceId: string): Promise<{ examples: number }> {
	const examples = withoutSingleClassFields(await trainingExamples(db, workspaceId));
	if (examples.length === 0) {
		await db.delete(workspaceModel).where(eq(workspaceModel.workspaceId, workspaceId));
		emit('feedback:context-changed', { workspaceId });
		return { examples: 0 };
	}
	// The workspace-wide context: its taxonomy and every active journey's touchpoints, as analysis sees them.
	const contexts = createContextCache(db, { ttlMs: 0 });
	let context;
	try {
		context = (await contexts.get(workspaceId, null)).context;
	} finally {
		contexts.close();
	}
	const model = serializeModel(train(examples, { ...context, model: null }));
	// Never store what the processor could not read back (it would silently analyse without the model).
	deserializeModel(model);
	await db
		.insert(workspaceModel)
		.values({ workspaceId, model, examples: examples.length, trainedAt: new Date() })
		.onConflictDoUpdate({
			target: workspaceModel.workspaceId,
			set: { model, examples: examples.length, trainedAt: sql`now()` }
		});
	emit('feedback:context-changed', { workspaceId });
	return { examples: examples.length };
}

interface Pending {
	timer: ReturnType<typeof setTimeout>;
	first: number;
	db: Db;
}

const KEY = Symbol.for('parcours.retrain');
function pending(): Map<string, Pending> {
	const holder = globalThis as { [KEY]?: Map<string, Pending> };
	return (holder[KEY] ??= new Map());
}

/** Retrains the workspace after {@link RETRAIN_DELAY_MS} without a new correction (at most {@link RETRAIN_MAX_WAIT_MS} late). */
export function scheduleRetrain(db: Db, workspaceId: string, delayMs = RETRAIN_DELAY_MS): void {
	const map = pending();
	const current = map.get(workspaceId);
	const now = Date.now();
	const first = current?.first ?? now;
	if (current) clearTimeout(current.timer);
	const wait = Math.max(0, Math.min(delayMs, first + RETRAIN_MAX_WAIT_MS - now));
	const timer = setTimeout(() => {
		map.delete(workspaceId);
		retrainWorkspace(db, workspaceId).catch((e) =>
			console.error(`[feedback] retraining workspace ${workspaceId} failed`, e)
		);
	}, wait);
	timer.unref?.();
	map.set(workspaceId, { timer, first, db });
}

/** Drops scheduled retrainings (tests; shutdown). */
export function cancelScheduledRetrains(): void {
	for (const p of pending().values()) clearTimeout(p.timer);
	pending().clear();
}

/** True when a retraining of the workspace is waiting. */
export function retrainScheduled(workspaceId: string): boolean {
	return pending().has(workspaceId);
}
