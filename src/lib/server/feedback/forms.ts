/**
 * Public feedback forms (one per journey, optionally per touchpoint) and what they share with manual
 * entry: the journeys and touchpoints a piece of feedback can be attached to.
 *
 * Spam protection of the public form, in this order: a per-IP rate limit (FORM_LIMIT_PER_IP per 10 min,
 * counted in the database so every instance agrees); a honeypot field (filled → the visitor sees the
 * thank-you page, nothing is stored); a signed timestamp set when the page was rendered (missing, forged
 * or less than MIN_FILL_MS old → same silent drop). The signing secret lives in `app_meta`, so any
 * instance can check what another rendered.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { and, asc, desc, eq, isNull, sql } from 'drizzle-orm';
import { RATING_KINDS, RATING_RANGE, type RatingKind } from '../../feedback/types';
import { validateFeedbackInput } from '../../feedback/validate';
import { requireAccess, isId, type Actor } from '../access';
import { generateToken } from '../auth/token';
import { hit } from '../auth/rate-limit';
import type { Db } from '../db';
import { appMeta, feedback, feedbackForm, journey } from '../db/schema';
import { AppError, invalid, notFound } from '../errors';
import { loadJourneySnapshot } from '../journeys';
import { MAX_EMAIL, requireText } from '../validate';
import { ingestFeedback } from './ingest';

export const MAX_FORM_TITLE = 200;
/** A person needs more than this to read the form and type something. */
export const MIN_FILL_MS = 2000;
const FORM_WINDOW_SECONDS = 600;

export interface TouchpointChoice {
	id: string;
	title: string;
	stage: string;
}
export interface JourneyChoice {
	id: string;
	title: string;
	touchpoints: TouchpointChoice[];
}

async function touchpointsOf(db: Db, journeyId: string): Promise<TouchpointChoice[]> {
	const snap = await loadJourneySnapshot(db, journeyId);
	if (!snap) return [];
	// The snapshot lists touchpoints in stage order, then in their order within the stage.
	const stageTitle = new Map(snap.stages.map((s) => [s.id, s.title]));
	return snap.touchpoints.map((t) => ({ id: t.id, title: t.title, stage: stageTitle.get(t.stageId) ?? '' }));
}

const TOUCHPOINT_IDS_TTL_MS = 2000;
const touchpointIdCache = new Map<string, { at: number; ids: Promise<Set<string> | null> }>();

/**
 * Touchpoint ids of a journey of the workspace; null when the journey is not the workspace's. Kept
 * briefly: an API client posting many items reads the map once.
 */
export function journeyTouchpointIds(
	db: Db,
	workspaceId: string,
	journeyId: string
): Promise<Set<string> | null> {
	const key = `${workspaceId}:${journeyId}`;
	const hit = touchpointIdCache.get(key);
	if (hit && Date.now() - hit.at < TOUCHPOINT_IDS_TTL_MS) return hit.ids;
	const ids = readTouchpointIds(db, workspaceId, journeyId);
	touchpointIdCache.set(key, { at: Date.now(), ids });
	ids.catch(() => touchpointIdCache.delete(key));
	if (touchpointIdCache.size > 1000) touchpointIdCache.delete(touchpointIdCache.keys().next().value!);
	return ids;
}

async function readTouchpointIds(
	db: Db,
	workspaceId: string,
	journeyId: string
): Promise<Set<string> | null> {
	const rows = await db
		.select({ id: journey.id })
		.from(journey)
		.where(and(eq(journey.id, journeyId), eq(journey.workspaceId, workspaceId)));
	if (!rows[0]) return null;
	return new Set((await touchpointsOf(db, journeyId)).map((t) => t.id));
}

/** The workspace's active journeys with their touchpoints (in stage order), for pickers. */
export async function journeyChoices(db: Db, actor: Actor, workspaceId: string): Promise<JourneyChoice[]> {
	await requireAccess(db, actor, 'feedback:handle', { workspaceId });
	const rows = await db
		.select({ id: journey.id, title: journey.title })
		.from(journey)
		.where(and(eq(journey.workspaceId, workspaceId), isNull(journey.archivedAt)))
		.orderBy(asc(journey.title));
	const out: JourneyChoice[] = [];
	for (const r of rows) out.push({ ...r, touchpoints: await touchpointsOf(db, r.id) });
	return out;
}

/**
 * Checks a journey (and optional touchpoint) of the workspace given by a form; returns the touchpoint's
 * title. Field names are the page's (`journeyId`, `touchpointId`).
 */
export async function requireTarget(
	db: Db,
	workspaceId: string,
	journeyId: unknown,
	touchpointId: unknown
): Promise<{ journeyId: string; touchpointId: string | null; touchpointTitle: string | null }> {
	if (!isId(journeyId)) throw invalid('journeyId', 'collect.error.journey');
	const rows = await db
		.select({ id: journey.id })
		.from(journey)
		.where(and(eq(journey.id, journeyId), eq(journey.workspaceId, workspaceId)));
	if (!rows[0]) throw invalid('journeyId', 'collect.error.journey');
	if (typeof touchpointId !== 'string' || touchpointId === '')
		return { journeyId, touchpointId: null, touchpointTitle: null };
	const tp = (await touchpointsOf(db, journeyId)).find((t) => t.id === touchpointId);
	if (!tp) throw invalid('touchpointId', 'collect.error.touchpoint');
	return { journeyId, touchpointId: tp.id, touchpointTitle: tp.title };
}

function parseAskRating(value: unknown): RatingKind | null {
	if (value === undefined || value === null || value === '' || value === 'none') return null;
	if ((RATING_KINDS as readonly unknown[]).includes(value)) return value as RatingKind;
	throw invalid('askRating', 'collect.error.askRating');
}

export interface FormInput {
	journeyId: unknown;
	touchpointId?: unknown;
	title?: unknown;
	askRating?: unknown;
	askContact?: unknown;
}

export async function listForms(db: Db, actor: Actor, workspaceId: string) {
	await requireAccess(db, actor, 'feedback:handle', { workspaceId });
	return db
		.select({
			id: feedbackForm.id,
			journeyId: feedbackForm.journeyId,
			journeyTitle: journey.title,
			touchpointId: feedbackForm.touchpointId,
			slug: feedbackForm.slug,
			title: feedbackForm.title,
			askRating: feedbackForm.askRating,
			askContact: feedbackForm.askContact,
			enabled: feedbackForm.enabled,
			createdAt: feedbackForm.createdAt
		})
		.from(feedbackForm)
		.innerJoin(journey, eq(journey.id, feedbackForm.journeyId))
		.where(eq(feedbackForm.workspaceId, workspaceId))
		.orderBy(desc(feedbackForm.createdAt));
}

/** Creates a form; without a title it takes the touchpoint's, else the journey's. */
export async function createForm(db: Db, actor: Actor, workspaceId: string, input: FormInput) {
	await requireAccess(db, actor, 'feedback:handle', { workspaceId });
	const target = await requireTarget(db, workspaceId, input.journeyId, input.touchpointId);
	let title = requireText('title', input.title, MAX_FORM_TITLE, true);
	if (!title) {
		const [j] = await db
			.select({ title: journey.title })
			.from(journey)
			.where(eq(journey.id, target.journeyId));
		title = (target.touchpointTitle || j.title).slice(0, MAX_FORM_TITLE);
	}
	const askRating = parseAskRating(input.askRating);
	const askContact = input.askContact === true || input.askContact === 'on' || input.askContact === 'true';
	const [row] = await db
		.insert(feedbackForm)
		.values({
			workspaceId,
			journeyId: target.journeyId,
			touchpointId: target.touchpointId,
			// 32 base32 characters (160 random bits): links cannot be guessed or enumerated.
			slug: generateToken(),
			title,
			askRating,
			askContact,
			createdBy: actor!.id
		})
		.returning();
	return row;
}

async function formOf(db: Db, workspaceId: string, formId: unknown) {
	if (!isId(formId)) throw notFound();
	const [row] = await db
		.select({ id: feedbackForm.id })
		.from(feedbackForm)
		.where(and(eq(feedbackForm.id, formId), eq(feedbackForm.workspaceId, workspaceId)));
	if (!row) throw notFound();
	return row.id;
}

export async function setFormEnabled(
	db: Db,
	actor: Actor,
	workspaceId: string,
	formId: unknown,
	enabled: boolean
) {
	await requireAccess(db, actor, 'feedback:handle', { workspaceId });
	const id = await formOf(db, workspaceId, formId);
	await db.update(feedbackForm).set({ enabled }).where(eq(feedbackForm.id, id));
}

/**
 * The latest items that came in, whatever the path: lets the person setting up a form, an integration
 * or a relay see at once that it works, and whether analysis has caught up.
 */
export async function recentlyCollected(db: Db, actor: Actor, workspaceId: string, limit = 8) {
	await requireAccess(db, actor, 'feedback:handle', { workspaceId });
	return db
		.select({
			id: feedback.id,
			text: sql<string>`left(${feedback.text}, 160)`,
			source: feedback.source,
			channel: feedback.channel,
			status: feedback.status,
			journeyTitle: journey.title,
			createdAt: feedback.createdAt
		})
		.from(feedback)
		.leftJoin(journey, eq(journey.id, feedback.journeyId))
		.where(eq(feedback.workspaceId, workspaceId))
		.orderBy(desc(feedback.createdAt))
		.limit(limit);
}

/** Deleting a form ends its link; the feedback it collected stays. */
export async function deleteForm(db: Db, actor: Actor, workspaceId: string, formId: unknown) {
	await requireAccess(db, actor, 'feedback:handle', { workspaceId });
	const id = await formOf(db, workspaceId, formId);
	await db.delete(feedbackForm).where(eq(feedbackForm.id, id));
}

// ── The public side ────────────────────────────────────────────────────────────────────────────

const SLUG = /^[a-z2-7]{22,64}$/;

/** An enabled form by its public slug, or a 404. */
export async function getPublicForm(db: Db, slug: unknown) {
	if (typeof slug !== 'string' || !SLUG.test(slug)) throw notFound();
	const [row] = await db
		.select({
			id: feedbackForm.id,
			workspaceId: feedbackForm.workspaceId,
			journeyId: feedbackForm.journeyId,
			touchpointId: feedbackForm.touchpointId,
			slug: feedbackForm.slug,
			title: feedbackForm.title,
			askRating: feedbackForm.askRating,
			askContact: feedbackForm.askContact
		})
		.from(feedbackForm)
		.where(and(eq(feedbackForm.slug, slug), eq(feedbackForm.enabled, true)));
	if (!row) throw notFound();
	return row;
}

const SECRET_KEY = 'form_secret';
/** Per database (tests open several in one process); read once, then shared by every instance via the table. */
const secrets = new WeakMap<Db, Promise<string>>();

function formSecret(db: Db): Promise<string> {
	let secret = secrets.get(db);
	if (!secret) {
		secret = (async () => {
			await db
				.insert(appMeta)
				.values({ key: SECRET_KEY, value: randomBytes(32).toString('hex') })
				.onConflictDoNothing();
			const [row] = await db.select().from(appMeta).where(eq(appMeta.key, SECRET_KEY));
			return row.value;
		})();
		secrets.set(db, secret);
		secret.catch(() => secrets.delete(db));
	}
	return secret;
}

function sign(secret: string, slug: string, ms: number): string {
	return createHmac('sha256', secret).update(`${slug}.${ms}`).digest('base64url');
}

/** The hidden field a rendered form carries: when it was rendered, signed. */
export async function fillToken(db: Db, slug: string, now = Date.now()): Promise<string> {
	return `${now}.${sign(await formSecret(db), slug, now)}`;
}

/** Milliseconds since the form was rendered, or null when the token is missing or forged. */
async function elapsed(db: Db, slug: string, token: unknown, now: number): Promise<number | null> {
	if (typeof token !== 'string') return null;
	const m = /^(\d{10,16})\.([A-Za-z0-9_-]{43})$/.exec(token);
	if (!m) return null;
	const expected = Buffer.from(sign(await formSecret(db), slug, Number(m[1])));
	const given = Buffer.from(m[2]);
	if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
	return now - Number(m[1]);
}

export interface PublicSubmission {
	text: unknown;
	rating?: unknown;
	name?: unknown;
	email?: unknown;
	/** The honeypot: a field people never see. */
	website?: unknown;
	/** The signed render time (`fillToken`). */
	started?: unknown;
}

export type SubmitOutcome = { stored: true; id: string } | { stored: false; reason: 'honeypot' | 'timing' };

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * A visitor's answer to a public form. Refusals a person can fix are AppErrors naming the form field;
 * signs of a robot answer `{ stored: false }` so the robot learns nothing.
 */
export async function submitPublicForm(
	db: Db,
	slug: unknown,
	input: PublicSubmission,
	context: { ip: string; limitPerIp: number; now?: Date }
): Promise<SubmitOutcome> {
	const form = await getPublicForm(db, slug);
	const now = context.now ?? new Date();
	const limit = await hit(db, `form:ip:${context.ip}`, context.limitPerIp, FORM_WINDOW_SECONDS, now);
	if (!limit.allowed)
		throw new AppError(429, 'collect.public.tooMany', {
			minutes: Math.max(1, Math.ceil(limit.retryAfterSeconds / 60))
		});
	if (typeof input.website === 'string' && input.website.trim() !== '')
		return { stored: false, reason: 'honeypot' };
	const took = await elapsed(db, form.slug, input.started, now.getTime());
	if (took === null || took < MIN_FILL_MS) return { stored: false, reason: 'timing' };

	const text = typeof input.text === 'string' ? input.text.trim() : '';
	if (!text) throw invalid('text', 'collect.public.textRequired');
	let rating: { kind: RatingKind; value: number } | null = null;
	if (form.askRating && typeof input.rating === 'string' && input.rating !== '') {
		const value = Number(input.rating);
		const [min, max] = RATING_RANGE[form.askRating];
		if (!Number.isInteger(value) || value < min || value > max)
			throw invalid('rating', 'collect.public.ratingRange', { min, max });
		rating = { kind: form.askRating, value };
	}
	let customer: { name?: string; contact?: string } | null = null;
	if (form.askContact) {
		const name = requireText('name', input.name, 120, true);
		const email = requireText('email', input.email, MAX_EMAIL, true).toLowerCase();
		if (email && !EMAIL.test(email)) throw invalid('email', 'error.emailInvalid');
		if (name || email) customer = { ...(name && { name }), ...(email && { contact: email }) };
	}
	const v = validateFeedbackInput(
		{
			text,
			channel: 'web_form',
			journey_id: form.journeyId,
			touchpoint_id: form.touchpointId,
			rating,
			customer
		},
		{ now }
	);
	if (!v.ok) {
		const issue = v.issues[0];
		if (issue.field === 'text') throw invalid('text', 'collect.public.textTooLong');
		throw invalid(issue.field, 'error.badRequest');
	}
	const result = await ingestFeedback(db, { workspaceId: form.workspaceId, source: 'form' }, [v.value]);
	const item = result.items[0];
	if (!item.id) throw notFound();
	return { stored: true, id: item.id };
}
