/**
 * Crisis and buzz alerts: the detector of `$lib/loops/detector` fed with the live stream of analysed
 * items, one per workspace, its state kept in `alert_detector` and its alerts in `alert`. Each opened or
 * grown alert notifies the touchpoint's owner (else the journey's) and the workspace owners, tells open
 * canvases (`alert:changed`) and is queued for the workspace's webhooks.
 */
import { and, asc, desc, eq, gte, inArray, isNotNull, isNull, sql } from 'drizzle-orm';
import {
	AlertDetector,
	DEFAULT_DETECTOR_SETTINGS,
	validateDetectorSettings,
	type Alert,
	type DetectorEvent,
	type DetectorItem,
	type DetectorSettings,
	type DetectorSettingsIssue,
	type DetectorState,
	type WindowEvaluation
} from '../loops';
import { DEFAULT_MOTIVES } from '../analysis/data/motives';
import type { Polarity } from '../analysis/types';
import { motiveLabel } from '../feedback/live';
import { translate, type Locale } from '../i18n';
import { roleAllows, type Role } from '../access/roles';
import { isId, requireAccess, type Actor } from './access';
import type { Db } from './db';
import { alert, alertDetector, feedback, journey, membership, motive, type AlertRow } from './db/schema';
import { AppError, forbidden, invalid, notFound } from './errors';
import { emit, on } from './events';
import { loadJourneySnapshot } from './journeys';
import { createLoop } from './loops';
import { notify, type NewNotification } from './notifications';
import { enqueueWebhookEvent, pokeWorkers } from './webhooks';

const DAY = 86_400_000;
const MINUTE = 60_000;

// ── Settings ─────────────────────────────────────────────────────────────────────────────────────

async function storedSettings(db: Db, workspaceId: string) {
	const [row] = await db.select().from(alertDetector).where(eq(alertDetector.workspaceId, workspaceId));
	const overrides = (row?.settings ?? {}) as Record<string, unknown>;
	return { row: row ?? null, overrides, settings: validateDetectorSettings(overrides).settings };
}

/** The workspace's thresholds: what it overrides and what is in force (defaults for the rest). */
export async function getDetectorSettings(db: Db, actor: Actor, workspaceId: string) {
	await requireAccess(db, actor, 'workspace:read', { workspaceId });
	const { overrides, settings } = await storedSettings(db, workspaceId);
	return { overrides, settings, defaults: DEFAULT_DETECTOR_SETTINGS };
}

/**
 * Saves thresholds from a form: an empty field means the default. Nothing is stored while any field is
 * refused; every issue is returned with its field. A new step length makes the stored counts
 * meaningless: the detector is seeded again, and its open alerts are resolved.
 */
export async function saveDetectorSettings(
	db: Db,
	actor: Actor,
	workspaceId: string,
	form: Record<string, string>
): Promise<{ issues: DetectorSettingsIssue[]; settings: DetectorSettings }> {
	await requireAccess(db, actor, 'workspace:manage', { workspaceId });
	const overrides: Record<string, unknown> = {};
	for (const [field, raw] of Object.entries(form)) {
		const text = raw.trim().replace(',', '.');
		if (text === '') continue;
		overrides[field] = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(text) ? Number(text) : text;
	}
	const { settings, issues } = validateDetectorSettings(overrides);
	if (issues.length) return { issues, settings };
	const before = await storedSettings(db, workspaceId);
	const reseed = before.settings.bucketMinutes !== settings.bucketMinutes;
	await db
		.insert(alertDetector)
		.values({ workspaceId, settings: overrides, state: null })
		.onConflictDoUpdate({
			target: alertDetector.workspaceId,
			set: {
				settings: overrides,
				updatedAt: new Date(),
				...(reseed ? { state: sql`null` } : {})
			}
		});
	if (reseed) {
		const resolved = await db
			.update(alert)
			.set({ resolvedAt: new Date(), updatedAt: new Date() })
			.where(and(eq(alert.workspaceId, workspaceId), isNull(alert.resolvedAt)))
			.returning({ journeyId: alert.journeyId });
		if (resolved.length) alertsChanged(workspaceId, resolved);
	}
	return { issues: [], settings };
}

function alertsChanged(workspaceId: string, rows: Array<{ journeyId: string | null }>) {
	const journeyIds = [...new Set(rows.map((r) => r.journeyId).filter((j): j is string => !!j))];
	emit('alert:changed', { workspaceId, journeyIds });
}

// ── Detection ────────────────────────────────────────────────────────────────────────────────────

interface ItemRow {
	id: string;
	receivedAt: Date;
	journeyId: string | null;
	touchpointId: string | null;
	motives: string[] | null;
	polarity: string | null;
	score: number | null;
}

const itemColumns = {
	id: feedback.id,
	receivedAt: feedback.receivedAt,
	journeyId: feedback.journeyId,
	touchpointId: feedback.touchpointId,
	motives: feedback.motives,
	polarity: feedback.polarity,
	score: feedback.score
};

/** The stored item as the detector reads it: strength in [-1, 1] is half the -2..+2 score. */
function detectorItem(r: ItemRow): DetectorItem {
	return {
		id: r.id,
		at: r.receivedAt.getTime(),
		journeyId: r.journeyId,
		touchpointId: r.touchpointId,
		motive: r.motives?.[0] ?? null,
		polarity: (r.polarity ?? 'neutral') as Polarity,
		score: (r.score ?? 0) / 2
	};
}

const counted = (workspaceId: string) =>
	and(eq(feedback.workspaceId, workspaceId), eq(feedback.status, 'done'), eq(feedback.spam, false));

export interface AlertServiceOptions {
	/** How often open alerts are evaluated again so ended bursts resolve; 0 turns the timer off. */
	evaluateMs?: number;
	/**
	 * Longest time a detector's state waits in memory before it is stored again (it is stored at once
	 * when an alert opens, changes or resolves, and on stop). Storing it after every batch cost more
	 * than the analysis itself during large imports.
	 */
	persistMs?: number;
	/**
	 * Least time between two runs of one workspace's detector; items analysed meanwhile wait for the
	 * next run together. On the embedded database a run holds the only connection, so running after
	 * every small batch delayed the live scores that users watch; an alert a second later costs nothing.
	 */
	batchMs?: number;
	now?: () => number;
	log?: (message: string, error?: unknown) => void;
}

/**
 * Runs the detectors of every workspace in this process. Work on one workspace is serialised here and,
 * across processes sharing a PostgreSQL database, by a row lock on its `alert_detector` row.
 */
export class AlertService {
	private readonly chains = new Map<string, Promise<void>>();
	private readonly written = new Map<string, number>();
	private readonly lastRun = new Map<string, number>();
	/**
	 * Detectors kept between runs. `version` is the `updated_at` of the stored row this memory matches:
	 * another process that stored its state, or new settings, make it stale, and it is read again.
	 */
	private readonly detectors = new Map<
		string,
		{ detector: AlertDetector; version: number; storedAt: number }
	>();
	/** Per workspace, the run not started yet and the items it will read. */
	private readonly waiting = new Map<string, { ids: Set<string>; done: Promise<void> }>();
	private off: (() => void) | null = null;
	private timer: ReturnType<typeof setInterval> | null = null;
	private readonly now: () => number;

	constructor(
		private readonly db: Db,
		private readonly options: AlertServiceOptions = {}
	) {
		this.now = options.now ?? Date.now;
	}

	start(): void {
		if (this.off) return;
		// The instance that analysed the items observes them; the others hear of them through the stored state.
		this.off = on('feedback:changed', (e) => void this.itemsChanged(e.workspaceId, e.itemIds), {
			localOnly: true
		});
		const every = this.options.evaluateMs ?? 60_000;
		if (every > 0)
			this.timer = setInterval(
				() => void this.evaluateOpen().catch((e) => this.options.log?.('alert evaluation failed', e)),
				every
			);
	}

	async stop(): Promise<void> {
		this.off?.();
		this.off = null;
		if (this.timer) clearInterval(this.timer);
		this.timer = null;
		await this.settled();
		for (const [workspaceId, kept] of this.detectors) {
			await this.db
				.update(alertDetector)
				.set({ state: kept.detector.toJSON() })
				.where(
					and(eq(alertDetector.workspaceId, workspaceId), eq(alertDetector.updatedAt, new Date(kept.version)))
				)
				.catch((e) => this.options.log?.('alert detector state not stored', e));
		}
		this.detectors.clear();
	}

	/** Resolves once the work queued so far is done. */
	async settled(): Promise<void> {
		while (this.chains.size) await Promise.all([...this.chains.values()]);
	}

	/** Observes newly analysed items of a workspace, then evaluates its detector. */
	itemsChanged(workspaceId: string, itemIds: readonly string[]): Promise<void> {
		return this.queue(workspaceId, itemIds);
	}

	/** Evaluates every workspace with an open alert (the timer), so bursts that ended resolve. */
	async evaluateOpen(): Promise<void> {
		const rows = await this.db
			.selectDistinct({ workspaceId: alert.workspaceId })
			.from(alert)
			.where(isNull(alert.resolvedAt));
		await Promise.all(rows.map((r) => this.queue(r.workspaceId, [])));
	}

	/**
	 * One evaluation at a time per workspace. Batches announced while one runs wait together for the
	 * next, so a large import costs a few evaluations instead of one per batch of 25 items.
	 */
	private queue(workspaceId: string, itemIds: readonly string[]): Promise<void> {
		const waiting = this.waiting.get(workspaceId);
		if (waiting) {
			for (const id of itemIds) waiting.ids.add(id);
			return waiting.done;
		}
		const ids = new Set(itemIds);
		const previous = this.chains.get(workspaceId) ?? Promise.resolve();
		const done = previous
			.then(async () => {
				const wait = (this.lastRun.get(workspaceId) ?? 0) + (this.options.batchMs ?? 1000) - Date.now();
				if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
				this.waiting.delete(workspaceId);
				this.lastRun.set(workspaceId, Date.now());
				return this.run(workspaceId, [...ids]);
			})
			.catch((e) => this.options.log?.('alert detection failed', e));
		this.waiting.set(workspaceId, { ids, done });
		this.chains.set(workspaceId, done);
		void done.then(() => {
			if (this.chains.get(workspaceId) === done) this.chains.delete(workspaceId);
		});
		return done;
	}

	private async run(workspaceId: string, itemIds: readonly string[]): Promise<void> {
		const now = this.now();
		const changed = await this.db
			.transaction(async (txn) => {
				const tx = txn as unknown as Db;
				await tx.insert(alertDetector).values({ workspaceId }).onConflictDoNothing();
				// The state itself is read only when the memory of this process is stale: it can be megabytes.
				const [row] = await tx
					.select({ settings: alertDetector.settings, updatedAt: alertDetector.updatedAt })
					.from(alertDetector)
					.where(eq(alertDetector.workspaceId, workspaceId))
					.for('update');
				const { settings } = validateDetectorSettings(row.settings);
				let kept = this.detectors.get(workspaceId);
				let fresh = false;
				if (!kept || kept.version !== row.updatedAt.getTime()) {
					const [stored] = await tx
						.select({ state: alertDetector.state })
						.from(alertDetector)
						.where(eq(alertDetector.workspaceId, workspaceId));
					const state = stored.state as DetectorState | null;
					const detector = new AlertDetector(settings, state ?? undefined);
					if (!state) {
						// Every busy scope would look like a burst from nothing without its last two weeks.
						const since = new Date(now - settings.baselineDays * DAY - settings.windowMinutes * MINUTE);
						const rows = await tx
							.select(itemColumns)
							.from(feedback)
							.where(and(counted(workspaceId), gte(feedback.receivedAt, since)))
							.orderBy(asc(feedback.receivedAt));
						for (const r of rows) detector.observe(detectorItem(r));
						fresh = true;
					}
					kept = { detector, version: row.updatedAt.getTime(), storedAt: fresh ? 0 : now };
					this.detectors.set(workspaceId, kept);
				}
				const { detector } = kept;
				const ids = fresh ? [] : itemIds.filter(isId);
				if (!fresh && !ids.length && !detector.openAlerts().length) return null;
				if (ids.length) {
					const seen = detector.recentIds();
					const rows = await tx
						.select({ ...itemColumns, corrected: feedback.corrected })
						.from(feedback)
						.where(and(counted(workspaceId), inArray(feedback.id, ids)))
						.orderBy(asc(feedback.receivedAt));
					// A correction re-announces an item already counted: the counts are additive and keep it.
					for (const r of rows)
						if (!r.corrected?.length && !seen.has(r.id)) detector.observe(detectorItem(r));
				}
				const events = detector.evaluate(now);
				const open = detector.openAlerts();
				if (fresh || events.length || now - kept.storedAt >= (this.options.persistMs ?? 30_000)) {
					// A version this process has not used yet, so other processes see the change.
					const version = Math.max(now, kept.version + 1);
					await tx
						.update(alertDetector)
						.set({ state: detector.toJSON(), updatedAt: new Date(version) })
						.where(eq(alertDetector.workspaceId, workspaceId));
					kept.version = version;
					kept.storedAt = now;
				}
				return applyEvents(tx, workspaceId, events, open, now, this.written);
			})
			.catch((e) => {
				// The memory may hold observations of a transaction that did not commit: read again next time.
				this.detectors.delete(workspaceId);
				throw e;
			});
		// After the commit: a rolled-back alert must not have told anyone.
		for (const n of changed?.notifications ?? []) await notify(this.db, n);
		if (changed?.journeyIds.size || changed?.any) {
			// Queued in the transaction: the workers may have looked before it committed.
			pokeWorkers();
			emit('alert:changed', { workspaceId, journeyIds: [...changed.journeyIds] });
		}
	}
}

const uuids = (ids: readonly string[]) => ids.filter(isId);

function rowValues(a: Alert) {
	return {
		kinds: a.kinds,
		itemIds: uuids(a.itemIds),
		peak: a.peak,
		latest: a.latest,
		lastFiringAt: new Date(a.lastFiringAt)
	};
}

/**
 * Stores the detector's decisions; webhooks are queued in the same transaction, notifications are
 * returned for the caller to send once it committed.
 */
async function applyEvents(
	tx: Db,
	workspaceId: string,
	events: DetectorEvent[],
	open: Alert[],
	now: number,
	/** Per alert, the count of items last written: an open alert is rewritten only when it grew. */
	written: Map<string, number>
): Promise<{ journeyIds: Set<string>; any: boolean; notifications: NewNotification[] }> {
	const journeyIds = new Set<string>();
	const notifications: NewNotification[] = [];
	let any = false;
	const eventIds = new Set(events.map((e) => e.alert.id));
	for (const e of events) {
		const a = e.alert;
		const scope = a.scope;
		const journeyId = scope.kind === 'touchpoint' ? scope.journeyId : null;
		if (e.type === 'alert_opened') {
			// The journey may have been deleted since its items arrived.
			if (
				journeyId &&
				!(await tx.select({ id: journey.id }).from(journey).where(eq(journey.id, journeyId))).length
			)
				continue;
			await tx
				.insert(alert)
				.values({
					workspaceId,
					detectorId: a.id,
					scopeKey: a.key,
					journeyId,
					touchpointId: scope.kind === 'touchpoint' ? scope.touchpointId : null,
					motive: scope.kind === 'motive' ? scope.motive : null,
					openedAt: new Date(a.openedAt),
					...rowValues(a)
				})
				.onConflictDoUpdate({
					target: [alert.workspaceId, alert.detectorId],
					set: { ...rowValues(a), updatedAt: new Date(now) }
				});
		} else if (e.type === 'alert_updated') {
			await tx
				.update(alert)
				.set({ ...rowValues(a), updatedAt: new Date(now) })
				.where(and(eq(alert.workspaceId, workspaceId), eq(alert.detectorId, a.id)));
		} else {
			await tx
				.update(alert)
				.set({ latest: a.latest, resolvedAt: new Date(a.resolvedAt ?? now), updatedAt: new Date(now) })
				.where(and(eq(alert.workspaceId, workspaceId), eq(alert.detectorId, a.id)));
		}
		const [stored] = await tx
			.select()
			.from(alert)
			.where(and(eq(alert.workspaceId, workspaceId), eq(alert.detectorId, a.id)));
		if (!stored) continue;
		any = true;
		if (journeyId) journeyIds.add(journeyId);
		const facts = await alertFacts(tx, stored);
		if (e.type !== 'alert_resolved') notifications.push(await alertNotification(tx, stored, facts));
		await enqueueWebhookEvent(
			tx,
			workspaceId,
			e.type === 'alert_opened'
				? 'alert.opened'
				: e.type === 'alert_updated'
					? 'alert.updated'
					: 'alert.resolved',
			webhookData(stored, facts),
			now
		);
	}
	// An open alert that did not make news still gathers the items behind it.
	for (const a of open) {
		if (eventIds.has(a.id) || written.get(a.id) === a.itemIds.length) continue;
		written.set(a.id, a.itemIds.length);
		const updated = await tx
			.update(alert)
			.set({ ...rowValues(a), updatedAt: new Date(now) })
			.where(
				and(
					eq(alert.workspaceId, workspaceId),
					eq(alert.detectorId, a.id),
					isNull(alert.resolvedAt),
					sql`cardinality(${alert.itemIds}) <> ${uuids(a.itemIds).length}`
				)
			)
			.returning({ journeyId: alert.journeyId });
		for (const u of updated) {
			any = true;
			if (u.journeyId) journeyIds.add(u.journeyId);
		}
	}
	return { journeyIds, any, notifications };
}

interface AlertFacts {
	journeyTitle: string | null;
	touchpointTitle: string | null;
	touchpointOwner: string | null;
	journeyOwner: string | null;
	motiveLabel: string | null;
}

async function alertFacts(db: Db, row: AlertRow, locale: Locale = 'en'): Promise<AlertFacts> {
	const facts: AlertFacts = {
		journeyTitle: null,
		touchpointTitle: null,
		touchpointOwner: null,
		journeyOwner: null,
		motiveLabel: null
	};
	if (row.journeyId) {
		const [j] = await db.select({ title: journey.title }).from(journey).where(eq(journey.id, row.journeyId));
		facts.journeyTitle = j?.title ?? null;
		const map = await loadJourneySnapshot(db, row.journeyId);
		const tp = map?.touchpoints.find((t) => t.id === row.touchpointId);
		facts.touchpointTitle = tp?.title ?? null;
		facts.touchpointOwner = tp?.owner ?? null;
		facts.journeyOwner = map?.owner ?? null;
	}
	if (row.motive)
		facts.motiveLabel = (await motiveLabels(db, row.workspaceId, [row.motive], locale)).get(row.motive)!;
	return facts;
}

/** Motive names in the reader's language: the workspace's own, else the default taxonomy's, else the key. */
async function motiveLabels(db: Db, workspaceId: string, keys: string[], locale: Locale) {
	const labels = new Map<string, string>();
	if (!keys.length) return labels;
	const own = await db
		.select({ key: motive.key, fr: motive.labelFr, en: motive.labelEn })
		.from(motive)
		.where(and(eq(motive.workspaceId, workspaceId), inArray(motive.key, keys)));
	for (const key of keys) {
		const m = own.find((o) => o.key === key);
		const d = DEFAULT_MOTIVES.find((x) => x.id === key);
		labels.set(key, m ? (locale === 'fr' ? m.fr : m.en) : d ? motiveLabel(d.label, locale) : key);
	}
	return labels;
}

/** What the alert page and the webhook show of the numbers. */
function numbers(row: AlertRow) {
	const latest = row.latest as WindowEvaluation;
	const peak = row.peak as WindowEvaluation;
	return {
		negatives: peak.window.negative,
		expected: Math.round(peak.expectedNegatives * 10) / 10,
		scoreDrop: peak.drop.drop === null ? null : Math.round(peak.drop.drop * 200) / 100,
		windowVolume: peak.window.volume,
		windowMinutes: Math.round((peak.at - peak.window.from) / MINUTE),
		latestNegatives: latest.window.negative,
		baselineScore: peak.baseline.scoreMean === null ? null : Math.round(peak.baseline.scoreMean * 200) / 100,
		windowScore: peak.window.scoreMean === null ? null : Math.round(peak.window.scoreMean * 200) / 100
	};
}

async function alertNotification(db: Db, row: AlertRow, facts: AlertFacts): Promise<NewNotification> {
	const staff = await db
		.select({ userId: membership.userId, role: membership.role })
		.from(membership)
		.where(eq(membership.workspaceId, row.workspaceId));
	const withRole = (roles: Role[]) => staff.filter((m) => roles.includes(m.role)).map((m) => m.userId);
	const userIds = row.journeyId
		? [facts.touchpointOwner ?? facts.journeyOwner, ...withRole(['owner'])].filter((u): u is string => !!u)
		: withRole(['owner', 'editor']);
	const n = numbers(row);
	return {
		workspaceId: row.workspaceId,
		kind: 'alert',
		actorId: null,
		userIds,
		data: {
			journeyTitle: facts.journeyTitle,
			touchpointTitle: facts.touchpointTitle,
			motive: facts.motiveLabel,
			negatives: n.negatives,
			expected: n.expected,
			kinds: row.kinds
		},
		link: `/w/${row.workspaceId}/alerts/${row.id}`
	};
}

function webhookData(row: AlertRow, facts: AlertFacts): Record<string, unknown> {
	return {
		alert: {
			id: row.id,
			scope: row.journeyId ? 'touchpoint' : 'motive',
			journeyId: row.journeyId,
			journeyTitle: facts.journeyTitle,
			touchpointId: row.touchpointId,
			touchpointTitle: facts.touchpointTitle,
			motive: row.motive,
			kinds: row.kinds,
			openedAt: row.openedAt.toISOString(),
			lastFiringAt: row.lastFiringAt.toISOString(),
			resolvedAt: row.resolvedAt?.toISOString() ?? null,
			itemIds: row.itemIds,
			link: `/w/${row.workspaceId}/alerts/${row.id}`,
			...numbers(row)
		}
	};
}

// ── Pages ────────────────────────────────────────────────────────────────────────────────────────

export interface AlertSummary {
	id: string;
	journeyId: string | null;
	journeyTitle: string | null;
	touchpointId: string | null;
	touchpointTitle: string | null;
	motive: string | null;
	kinds: string[];
	itemCount: number;
	openedAt: Date;
	lastFiringAt: Date;
	resolvedAt: Date | null;
	loopId: string | null;
	negatives: number;
	expected: number;
	scoreDrop: number | null;
	windowMinutes: number;
}

/** How long resolved alerts stay listed. */
export const RESOLVED_LISTED_DAYS = 30;

async function summaries(db: Db, rows: AlertRow[], locale: Locale): Promise<AlertSummary[]> {
	const maps = new Map<string, Promise<Awaited<ReturnType<typeof loadJourneySnapshot>>>>();
	const out: AlertSummary[] = [];
	const titles = new Map(
		(rows.some((r) => r.journeyId)
			? await db
					.select({ id: journey.id, title: journey.title })
					.from(journey)
					.where(
						inArray(journey.id, [...new Set(rows.map((r) => r.journeyId).filter((j): j is string => !!j))])
					)
			: []
		).map((j) => [j.id, j.title])
	);
	const motiveKeys = [...new Set(rows.map((r) => r.motive).filter((m): m is string => !!m))];
	const labels = rows[0] ? await motiveLabels(db, rows[0].workspaceId, motiveKeys, locale) : new Map();
	for (const r of rows) {
		let touchpointTitle: string | null = null;
		if (r.journeyId) {
			if (!maps.has(r.journeyId)) maps.set(r.journeyId, loadJourneySnapshot(db, r.journeyId));
			const map = await maps.get(r.journeyId)!;
			touchpointTitle = map?.touchpoints.find((t) => t.id === r.touchpointId)?.title ?? null;
		}
		const n = numbers(r);
		out.push({
			id: r.id,
			journeyId: r.journeyId,
			journeyTitle: r.journeyId ? (titles.get(r.journeyId) ?? null) : null,
			touchpointId: r.touchpointId,
			touchpointTitle,
			motive: r.motive ? (labels.get(r.motive) ?? r.motive) : null,
			kinds: r.kinds,
			itemCount: r.itemIds.length,
			openedAt: r.openedAt,
			lastFiringAt: r.lastFiringAt,
			resolvedAt: r.resolvedAt,
			loopId: r.loopId,
			negatives: n.negatives,
			expected: n.expected,
			scoreDrop: n.scoreDrop,
			windowMinutes: n.windowMinutes
		});
	}
	return out;
}

/** Open alerts first (newest first), then those resolved in the last 30 days; optionally one journey's. */
export async function listAlerts(
	db: Db,
	actor: Actor,
	workspaceId: string,
	options: { journeyId?: string | null; locale?: Locale; now?: number } = {}
): Promise<AlertSummary[]> {
	await requireAccess(db, actor, 'feedback:read', { workspaceId });
	const journeyFilter =
		options.journeyId && isId(options.journeyId) ? eq(alert.journeyId, options.journeyId) : undefined;
	if (options.journeyId && !journeyFilter) return [];
	const openRows = await db
		.select()
		.from(alert)
		.where(and(eq(alert.workspaceId, workspaceId), isNull(alert.resolvedAt), journeyFilter))
		.orderBy(desc(alert.openedAt))
		.limit(200);
	const since = new Date((options.now ?? Date.now()) - RESOLVED_LISTED_DAYS * DAY);
	const resolvedRows = await db
		.select()
		.from(alert)
		.where(
			and(
				eq(alert.workspaceId, workspaceId),
				isNotNull(alert.resolvedAt),
				gte(alert.resolvedAt, since),
				journeyFilter
			)
		)
		.orderBy(desc(alert.resolvedAt))
		.limit(100);
	return summaries(db, [...openRows, ...resolvedRows], options.locale ?? 'en');
}

export interface AlertItem {
	id: string;
	excerpt: string;
	polarity: string | null;
	score: number | null;
	channel: string;
	receivedAt: Date;
	customerName: string | null;
}

/** The workspace's alert, or 404 (another workspace's too). */
async function alertOf(db: Db, workspaceId: string, alertId: string): Promise<AlertRow> {
	if (!isId(alertId)) throw notFound();
	const [row] = await db
		.select()
		.from(alert)
		.where(and(eq(alert.id, alertId), eq(alert.workspaceId, workspaceId)));
	if (!row) throw notFound();
	return row;
}

/** One alert with the items behind it (newest first) and whether the reader may open a loop from it. */
export async function getAlert(
	db: Db,
	actor: Actor,
	workspaceId: string,
	alertId: string,
	locale: Locale = 'en'
) {
	const access = await requireAccess(db, actor, 'feedback:read', { workspaceId });
	const row = await alertOf(db, workspaceId, alertId);
	const [summary] = await summaries(db, [row], locale);
	const items: AlertItem[] = row.itemIds.length
		? (
				await db
					.select({
						id: feedback.id,
						text: feedback.text,
						polarity: feedback.polarity,
						score: feedback.score,
						channel: feedback.channel,
						receivedAt: feedback.receivedAt,
						customerName: feedback.customerName
					})
					.from(feedback)
					.where(and(eq(feedback.workspaceId, workspaceId), inArray(feedback.id, row.itemIds)))
					.orderBy(desc(feedback.receivedAt))
			).map(({ text, ...rest }) => ({
				...rest,
				excerpt: text.length > 240 ? `${text.slice(0, 239)}…` : text
			}))
		: [];
	return {
		alert: { ...summary, motiveKey: row.motive, itemIds: row.itemIds, ...numbers(row) },
		items,
		canOpenLoop: roleAllows(access.role, 'loop:edit')
	};
}

/**
 * Opens a loop from an alert, with the items behind it as evidence, or returns the loop already opened
 * from it. A motive alert spans journeys: the caller names the journey, and only its items are linked.
 */
export async function openLoopFromAlert(
	db: Db,
	actor: Actor,
	workspaceId: string,
	alertId: string,
	input: { journeyId?: string | null; locale?: Locale } = {}
): Promise<{ id: string }> {
	const { role } = await requireAccess(db, actor, 'feedback:read', { workspaceId });
	const row = await alertOf(db, workspaceId, alertId);
	if (row.loopId) return { id: row.loopId };
	if (!roleAllows(role, 'loop:edit')) throw forbidden();
	const journeyId = row.journeyId ?? input.journeyId ?? '';
	if (!isId(journeyId)) throw invalid('journeyId', 'alerts.error.journey');
	const [j] = await db
		.select({ id: journey.id })
		.from(journey)
		.where(and(eq(journey.id, journeyId), eq(journey.workspaceId, workspaceId)));
	if (!j) throw invalid('journeyId', 'alerts.error.journey');
	// Items deleted since, or (for a motive) of other journeys, are not evidence for this loop.
	const items = row.itemIds.length
		? await db
				.select({ id: feedback.id })
				.from(feedback)
				.where(
					and(
						eq(feedback.workspaceId, workspaceId),
						eq(feedback.journeyId, journeyId),
						inArray(feedback.id, row.itemIds)
					)
				)
		: [];
	const [summary] = await summaries(db, [row], input.locale ?? 'en');
	const scope = summary.touchpointTitle ?? summary.motive ?? summary.journeyTitle ?? '';
	const title = translate(input.locale ?? 'en', 'alerts.loopTitle', { scope }).slice(0, 200);
	try {
		return await createLoop(db, actor, workspaceId, {
			journeyId,
			title,
			touchpointIds: row.touchpointId ? [row.touchpointId] : [],
			motive: row.motive,
			itemIds: items.map((i) => i.id).slice(0, 500),
			alertId: row.id
		});
	} catch (e) {
		// Another click opened it meanwhile: that loop is the one to show.
		if (!(e instanceof AppError && e.code === 'loops.error.alertHasLoop')) throw e;
		const again = await alertOf(db, workspaceId, alertId);
		if (!again.loopId) throw e;
		return { id: again.loopId };
	}
}
