import { sql } from 'drizzle-orm';
import {
	type AnyPgColumn,
	bigserial,
	boolean,
	customType,
	date,
	doublePrecision,
	index,
	integer,
	jsonb,
	pgEnum,
	pgTable,
	primaryKey,
	real,
	smallint,
	text,
	timestamp,
	uniqueIndex,
	uuid
} from 'drizzle-orm/pg-core';
import { FEEDBACK_CHANNELS, FEEDBACK_SOURCES, FEEDBACK_STATUSES, RATING_KINDS } from '../../feedback/types';

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

export const role = pgEnum('role', ['owner', 'editor', 'viewer']);

export const user = pgTable(
	'user',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		/** Stored lower-cased; unique. */
		email: text('email').notNull(),
		name: text('name').notNull(),
		passwordHash: text('password_hash').notNull(),
		locale: text('locale'),
		createdAt: createdAt()
	},
	(t) => [uniqueIndex('user_email_idx').on(t.email)]
);

export const session = pgTable(
	'session',
	{
		/** SHA-256 of the token, hex. The token itself is never stored. */
		id: text('id').primaryKey(),
		userId: uuid('user_id')
			.notNull()
			.references(() => user.id, { onDelete: 'cascade' }),
		expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
		createdAt: createdAt()
	},
	(t) => [index('session_user_idx').on(t.userId)]
);

export const workspace = pgTable('workspace', {
	id: uuid('id').primaryKey().defaultRandom(),
	name: text('name').notNull(),
	/** How many automatic journey versions are kept per journey; named versions are always kept. */
	autoVersionsKept: integer('auto_versions_kept').notNull().default(50),
	createdAt: createdAt()
});

export const membership = pgTable(
	'membership',
	{
		workspaceId: uuid('workspace_id')
			.notNull()
			.references(() => workspace.id, { onDelete: 'cascade' }),
		userId: uuid('user_id')
			.notNull()
			.references(() => user.id, { onDelete: 'cascade' }),
		role: role('role').notNull(),
		createdAt: createdAt()
	},
	(t) => [primaryKey({ columns: [t.workspaceId, t.userId] }), index('membership_user_idx').on(t.userId)]
);

export const invite = pgTable(
	'invite',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		workspaceId: uuid('workspace_id')
			.notNull()
			.references(() => workspace.id, { onDelete: 'cascade' }),
		tokenHash: text('token_hash').notNull(),
		role: role('role').notNull(),
		createdBy: uuid('created_by').references(() => user.id, { onDelete: 'set null' }),
		expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
		usedAt: timestamp('used_at', { withTimezone: true }),
		usedBy: uuid('used_by').references(() => user.id, { onDelete: 'set null' }),
		revokedAt: timestamp('revoked_at', { withTimezone: true }),
		createdAt: createdAt()
	},
	(t) => [uniqueIndex('invite_token_idx').on(t.tokenHash), index('invite_workspace_idx').on(t.workspaceId)]
);

export const apiKey = pgTable(
	'api_key',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		workspaceId: uuid('workspace_id')
			.notNull()
			.references(() => workspace.id, { onDelete: 'cascade' }),
		name: text('name').notNull(),
		/** First characters of the key, shown so people can tell keys apart. */
		prefix: text('prefix').notNull(),
		keyHash: text('key_hash').notNull(),
		createdBy: uuid('created_by').references(() => user.id, { onDelete: 'set null' }),
		createdAt: createdAt(),
		lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
		revokedAt: timestamp('revoked_at', { withTimezone: true })
	},
	(t) => [uniqueIndex('api_key_hash_idx').on(t.keyHash), index('api_key_workspace_idx').on(t.workspaceId)]
);

export const journey = pgTable(
	'journey',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		workspaceId: uuid('workspace_id')
			.notNull()
			.references(() => workspace.id, { onDelete: 'cascade' }),
		title: text('title').notNull(),
		description: text('description').notNull().default(''),
		createdBy: uuid('created_by').references(() => user.id, { onDelete: 'set null' }),
		archivedAt: timestamp('archived_at', { withTimezone: true }),
		createdAt: createdAt(),
		updatedAt: timestamp('updated_at', { withTimezone: true })
			.notNull()
			.default(sql`now()`)
	},
	(t) => [index('journey_workspace_idx').on(t.workspaceId)]
);

/** Fixed-window counters shared by every instance (sign-in throttling). */
export const rateLimit = pgTable('rate_limit', {
	key: text('key').primaryKey(),
	count: integer('count').notNull(),
	windowStartedAt: timestamp('window_started_at', { withTimezone: true }).notNull()
});

/** Small facts about this installation (e.g. whether the demo was seeded). */
export const appMeta = pgTable('app_meta', {
	key: text('key').primaryKey(),
	value: text('value').notNull()
});

export type User = typeof user.$inferSelect;
export type Session = typeof session.$inferSelect;
export type Workspace = typeof workspace.$inferSelect;
export type Membership = typeof membership.$inferSelect;
export type Invite = typeof invite.$inferSelect;
export type ApiKey = typeof apiKey.$inferSelect;
export type Journey = typeof journey.$inferSelect;
export type Role = (typeof role.enumValues)[number];

/** Binary column (PostgreSQL `bytea`), read and written as a Uint8Array. */
const bytea = customType<{ data: Uint8Array; driverData: Uint8Array | Buffer }>({
	dataType: () => 'bytea',
	toDriver: (value) =>
		Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength),
	fromDriver: (value) => new Uint8Array(value.buffer, value.byteOffset, value.byteLength)
});

/** Yjs updates of a journey document, appended as they arrive; merged into `journey_snapshot` now and then. */
export const journeyUpdate = pgTable(
	'journey_update',
	{
		id: bigserial('id', { mode: 'number' }).primaryKey(),
		journeyId: uuid('journey_id')
			.notNull()
			.references(() => journey.id, { onDelete: 'cascade' }),
		data: bytea('data').notNull(),
		createdAt: createdAt()
	},
	(t) => [index('journey_update_journey_idx').on(t.journeyId, t.id)]
);

/** The merged state of a journey document up to its last compaction. */
export const journeySnapshot = pgTable('journey_snapshot', {
	journeyId: uuid('journey_id')
		.primaryKey()
		.references(() => journey.id, { onDelete: 'cascade' }),
	data: bytea('data').notNull(),
	updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
});

export type JourneyUpdate = typeof journeyUpdate.$inferSelect;
export type JourneySnapshotRow = typeof journeySnapshot.$inferSelect;

// ── Feedback ────────────────────────────────────────────────────────────────────────────────────

export const feedbackChannel = pgEnum('feedback_channel', FEEDBACK_CHANNELS);
export const feedbackSource = pgEnum('feedback_source', FEEDBACK_SOURCES);
export const feedbackStatus = pgEnum('feedback_status', FEEDBACK_STATUSES);
export const ratingKind = pgEnum('rating_kind', RATING_KINDS);

/** PostgreSQL `tsvector`, written with `to_tsvector(<language configuration>, text)` by the processor. */
const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

/**
 * One thing a customer said. The table is also the analysis queue: rows are committed `pending`, claimed
 * by one processor at a time (a claim token and time; `processing` is no longer written), and become
 * `done` when their analysis and the touchpoint aggregates are written in the same transaction. The
 * table is stored with fillfactor 80 (migration 0003) so claims update rows in place.
 */
export const feedback = pgTable(
	'feedback',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		workspaceId: uuid('workspace_id')
			.notNull()
			.references(() => workspace.id, { onDelete: 'cascade' }),
		journeyId: uuid('journey_id').references(() => journey.id, { onDelete: 'set null' }),
		/** Touchpoint given by the source (a per-touchpoint form, the API); analysis keeps it. */
		givenTouchpointId: text('given_touchpoint_id'),
		/** The touchpoint the item counts for: corrected, else given, else matched by analysis. */
		touchpointId: text('touchpoint_id'),
		text: text('text').notNull(),
		channel: feedbackChannel('channel').notNull(),
		source: feedbackSource('source').notNull(),
		receivedAt: timestamp('received_at', { withTimezone: true }).notNull(),
		customerId: text('customer_id'),
		customerName: text('customer_name'),
		customerContact: text('customer_contact'),
		ratingKind: ratingKind('rating_kind'),
		ratingValue: smallint('rating_value'),
		/** Language given by the source, if any. */
		givenLanguage: text('given_language'),
		externalId: text('external_id'),
		importId: uuid('import_id'),
		createdBy: uuid('created_by').references(() => user.id, { onDelete: 'set null' }),
		status: feedbackStatus('status').notNull().default('pending'),
		claimToken: uuid('claim_token'),
		claimedAt: timestamp('claimed_at', { withTimezone: true }),
		attempts: smallint('attempts').notNull().default(0),
		/** Times an analysis of this item was stored (1 for every done item: checked by tests). */
		analysedCount: smallint('analysed_count').notNull().default(0),
		error: text('error'),
		spam: boolean('spam').notNull().default(false),
		/** The full analysis with spans and confidences (`Analysis` of `$lib/analysis`). */
		analysis: jsonb('analysis'),
		// Effective values, after corrections, for filters and aggregates.
		language: text('language'),
		polarity: text('polarity'),
		/** Emotion score on the -2..+2 scale. */
		score: real('score'),
		intent: text('intent'),
		stage: text('stage'),
		emotions: text('emotions').array(),
		motives: text('motives').array(),
		products: text('products').array(),
		places: text('places').array(),
		/** Fields staff corrected. */
		corrected: text('corrected').array(),
		search: tsvector('search'),
		analysedAt: timestamp('analysed_at', { withTimezone: true }),
		createdAt: createdAt()
	},
	(t) => [
		uniqueIndex('feedback_external_idx').on(t.workspaceId, t.externalId),
		index('feedback_queue_idx')
			.on(t.status, t.createdAt)
			.where(sql`status in ('pending', 'processing')`),
		index('feedback_workspace_received_idx').on(t.workspaceId, t.receivedAt),
		index('feedback_touchpoint_idx').on(t.journeyId, t.touchpointId, t.receivedAt),
		index('feedback_search_idx').using('gin', t.search),
		// Health and inbox filters by product or place (`products @> array[…]`) over a period.
		index('feedback_products_idx').using('gin', t.products),
		index('feedback_places_idx').using('gin', t.places),
		index('feedback_import_idx').on(t.importId)
	]
);

/** Additive sums of emotion scores (`ScoreSums` of `$lib/feedback/stats`), as stored per day. */
const scoreSumColumns = () => ({
	n: integer('n').notNull().default(0),
	scoreSum: doublePrecision('score_sum').notNull().default(0),
	scoreSq: doublePrecision('score_sq').notNull().default(0),
	negative: integer('negative').notNull().default(0),
	neutral: integer('neutral').notNull().default(0),
	positive: integer('positive').notNull().default(0)
});

/**
 * Per touchpoint, day and channel: additive sums of the items counted (done, not spam). Updated in the
 * transaction that stores or corrects an item, so they always equal a recomputation from `feedback`.
 * `touchpoint_id` is '' for items of the journey no touchpoint was matched to.
 */
export const touchpointDaily = pgTable(
	'touchpoint_daily',
	{
		journeyId: uuid('journey_id')
			.notNull()
			.references(() => journey.id, { onDelete: 'cascade' }),
		touchpointId: text('touchpoint_id').notNull(),
		day: date('day', { mode: 'string' }).notNull(),
		channel: feedbackChannel('channel').notNull(),
		workspaceId: uuid('workspace_id')
			.notNull()
			.references(() => workspace.id, { onDelete: 'cascade' }),
		...scoreSumColumns()
	},
	(t) => [
		primaryKey({ columns: [t.journeyId, t.touchpointId, t.day, t.channel] }),
		// The health portfolio reads a workspace's days across all its journeys.
		index('touchpoint_daily_workspace_day_idx').on(t.workspaceId, t.day)
	]
);

/**
 * Per journey and day: the same sums as `touchpoint_daily` over all its touchpoints and channels, kept in
 * the same transactions. The health portfolio reads a workspace's year from here (a few thousand rows)
 * instead of its touchpoints' days by channel (hundreds of thousands at a million items).
 */
export const journeyDaily = pgTable(
	'journey_daily',
	{
		journeyId: uuid('journey_id')
			.notNull()
			.references(() => journey.id, { onDelete: 'cascade' }),
		day: date('day', { mode: 'string' }).notNull(),
		workspaceId: uuid('workspace_id')
			.notNull()
			.references(() => workspace.id, { onDelete: 'cascade' }),
		...scoreSumColumns()
	},
	(t) => [
		primaryKey({ columns: [t.journeyId, t.day] }),
		index('journey_daily_workspace_day_idx').on(t.workspaceId, t.day)
	]
);

/** Who corrected what, for the record and as the workspace's training examples. */
export const feedbackCorrection = pgTable(
	'feedback_correction',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		feedbackId: uuid('feedback_id')
			.notNull()
			.references(() => feedback.id, { onDelete: 'cascade' }),
		workspaceId: uuid('workspace_id')
			.notNull()
			.references(() => workspace.id, { onDelete: 'cascade' }),
		userId: uuid('user_id').references(() => user.id, { onDelete: 'set null' }),
		field: text('field').notNull(),
		fromValue: text('from_value'),
		toValue: text('to_value'),
		createdAt: createdAt()
	},
	(t) => [index('feedback_correction_workspace_idx').on(t.workspaceId, t.createdAt)]
);

/** A workspace's learned corrections (`serializeModel` of `$lib/analysis`). */
export const workspaceModel = pgTable('workspace_model', {
	workspaceId: uuid('workspace_id')
		.primaryKey()
		.references(() => workspace.id, { onDelete: 'cascade' }),
	model: text('model').notNull(),
	examples: integer('examples').notNull(),
	trainedAt: timestamp('trained_at', { withTimezone: true }).notNull().defaultNow()
});

/** Products and services of a workspace, with the other names customers use for them. */
export const catalogueItem = pgTable(
	'catalogue_item',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		workspaceId: uuid('workspace_id')
			.notNull()
			.references(() => workspace.id, { onDelete: 'cascade' }),
		kind: text('kind').notNull().default('product'),
		name: text('name').notNull(),
		aliases: text('aliases')
			.array()
			.notNull()
			.default(sql`'{}'::text[]`),
		createdAt: createdAt()
	},
	(t) => [index('catalogue_item_workspace_idx').on(t.workspaceId)]
);

/** Stores, cities, airports… of a workspace. */
export const place = pgTable(
	'place',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		workspaceId: uuid('workspace_id')
			.notNull()
			.references(() => workspace.id, { onDelete: 'cascade' }),
		kind: text('kind').notNull().default('store'),
		name: text('name').notNull(),
		aliases: text('aliases')
			.array()
			.notNull()
			.default(sql`'{}'::text[]`),
		createdAt: createdAt()
	},
	(t) => [index('place_workspace_idx').on(t.workspaceId)]
);

/**
 * A workspace's motive taxonomy. A workspace without rows uses the defaults of `$lib/analysis`;
 * the first edit copies them here. `key` is the motive id the analysis reports.
 */
export const motive = pgTable(
	'motive',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		workspaceId: uuid('workspace_id')
			.notNull()
			.references(() => workspace.id, { onDelete: 'cascade' }),
		key: text('key').notNull(),
		labelFr: text('label_fr').notNull(),
		labelEn: text('label_en').notNull(),
		keywords: text('keywords')
			.array()
			.notNull()
			.default(sql`'{}'::text[]`),
		stage: text('stage'),
		position: integer('position').notNull().default(0)
	},
	(t) => [uniqueIndex('motive_workspace_key_idx').on(t.workspaceId, t.key)]
);

/** A public feedback form of a journey (optionally of one touchpoint), reachable without sign-in. */
export const feedbackForm = pgTable(
	'feedback_form',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		workspaceId: uuid('workspace_id')
			.notNull()
			.references(() => workspace.id, { onDelete: 'cascade' }),
		journeyId: uuid('journey_id')
			.notNull()
			.references(() => journey.id, { onDelete: 'cascade' }),
		touchpointId: text('touchpoint_id'),
		/** Unguessable public slug of the link. */
		slug: text('slug').notNull(),
		title: text('title').notNull(),
		askRating: ratingKind('ask_rating'),
		askContact: boolean('ask_contact').notNull().default(true),
		enabled: boolean('enabled').notNull().default(true),
		createdBy: uuid('created_by').references(() => user.id, { onDelete: 'set null' }),
		createdAt: createdAt()
	},
	(t) => [
		uniqueIndex('feedback_form_slug_idx').on(t.slug),
		index('feedback_form_journey_idx').on(t.journeyId)
	]
);

/** A CSV import: its settings, progress and rejected rows. */
export const feedbackImport = pgTable(
	'feedback_import',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		workspaceId: uuid('workspace_id')
			.notNull()
			.references(() => workspace.id, { onDelete: 'cascade' }),
		createdBy: uuid('created_by').references(() => user.id, { onDelete: 'set null' }),
		filename: text('filename').notNull(),
		/** running | done | failed */
		status: text('status').notNull().default('running'),
		total: integer('total').notNull().default(0),
		processed: integer('processed').notNull().default(0),
		inserted: integer('inserted').notNull().default(0),
		duplicates: integer('duplicates').notNull().default(0),
		rejected: integer('rejected').notNull().default(0),
		/** Rejected rows: `{ row, reason }[]` (row numbers as in the file, header = 1). */
		rejects: jsonb('rejects')
			.notNull()
			.default(sql`'[]'::jsonb`),
		settings: jsonb('settings')
			.notNull()
			.default(sql`'{}'::jsonb`),
		error: text('error'),
		/**
		 * The uploaded file as received, stored before any row is analysed so a restart resumes the
		 * import from `processed`; cleared when the import ends.
		 */
		file: bytea('file'),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
		createdAt: createdAt(),
		finishedAt: timestamp('finished_at', { withTimezone: true })
	},
	(t) => [index('feedback_import_workspace_idx').on(t.workspaceId, t.createdAt)]
);

export type Feedback = typeof feedback.$inferSelect;
export type TouchpointDaily = typeof touchpointDaily.$inferSelect;
export type FeedbackForm = typeof feedbackForm.$inferSelect;
export type FeedbackImport = typeof feedbackImport.$inferSelect;

// ── Maps that live after the workshop: comments, notifications, versions, templates ─────────────

/**
 * A comment on a journey. A thread is a root comment (`parentId` null) and its replies; resolving is a
 * property of the root. `touchpointId` null means the thread is about the journey as a whole.
 */
export const comment = pgTable(
	'comment',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		workspaceId: uuid('workspace_id')
			.notNull()
			.references(() => workspace.id, { onDelete: 'cascade' }),
		journeyId: uuid('journey_id')
			.notNull()
			.references(() => journey.id, { onDelete: 'cascade' }),
		/** The touchpoint's id inside the journey document; null for a journey-level thread. */
		touchpointId: text('touchpoint_id'),
		/** When the thread's touchpoint was deleted and the thread kept: the title it had. */
		detachedFrom: text('detached_from'),
		parentId: uuid('parent_id').references((): AnyPgColumn => comment.id, { onDelete: 'cascade' }),
		authorId: uuid('author_id').references(() => user.id, { onDelete: 'set null' }),
		body: text('body').notNull(),
		/** Members mentioned in the body, resolved when it was written. */
		mentions: uuid('mentions')
			.array()
			.notNull()
			.default(sql`'{}'::uuid[]`),
		editedAt: timestamp('edited_at', { withTimezone: true }),
		resolvedAt: timestamp('resolved_at', { withTimezone: true }),
		resolvedBy: uuid('resolved_by').references(() => user.id, { onDelete: 'set null' }),
		createdAt: createdAt()
	},
	(t) => [
		index('comment_journey_idx').on(t.journeyId, t.touchpointId, t.createdAt),
		index('comment_parent_idx').on(t.parentId)
	]
);

/**
 * Something a user should see in the app: a mention, an assignment, an alert. `kind` names the event;
 * `data` holds what the bell needs to render it without joins; `link` is where a click goes.
 */
export const notification = pgTable(
	'notification',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		userId: uuid('user_id')
			.notNull()
			.references(() => user.id, { onDelete: 'cascade' }),
		workspaceId: uuid('workspace_id')
			.notNull()
			.references(() => workspace.id, { onDelete: 'cascade' }),
		kind: text('kind').notNull(),
		actorId: uuid('actor_id').references(() => user.id, { onDelete: 'set null' }),
		data: jsonb('data').notNull().default({}),
		link: text('link').notNull(),
		readAt: timestamp('read_at', { withTimezone: true }),
		createdAt: createdAt()
	},
	(t) => [index('notification_user_idx').on(t.userId, t.createdAt)]
);

export const journeyVersionKind = pgEnum('journey_version_kind', ['auto', 'named', 'before-restore']);

/** A saved state of a journey document: automatic while editing, named by a person, or kept before a restore. */
export const journeyVersion = pgTable(
	'journey_version',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		journeyId: uuid('journey_id')
			.notNull()
			.references(() => journey.id, { onDelete: 'cascade' }),
		kind: journeyVersionKind('kind').notNull(),
		name: text('name'),
		/** The whole Yjs document state (`Y.encodeStateAsUpdate`). */
		data: bytea('data').notNull(),
		/** Counts shown in the history list without decoding the document. */
		stageCount: integer('stage_count').notNull().default(0),
		touchpointCount: integer('touchpoint_count').notNull().default(0),
		createdBy: uuid('created_by').references(() => user.id, { onDelete: 'set null' }),
		createdAt: createdAt()
	},
	(t) => [index('journey_version_journey_idx').on(t.journeyId, t.createdAt)]
);

/** A journey saved as a starting point for the workspace's new journeys. */
export const journeyTemplate = pgTable(
	'journey_template',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		workspaceId: uuid('workspace_id')
			.notNull()
			.references(() => workspace.id, { onDelete: 'cascade' }),
		name: text('name').notNull(),
		description: text('description').notNull().default(''),
		/** The journey file (`parcours.journey` format) the template starts from. */
		file: jsonb('file').notNull(),
		sourceJourneyId: uuid('source_journey_id').references(() => journey.id, { onDelete: 'set null' }),
		createdBy: uuid('created_by').references(() => user.id, { onDelete: 'set null' }),
		createdAt: createdAt()
	},
	(t) => [index('journey_template_workspace_idx').on(t.workspaceId, t.createdAt)]
);

export type Comment = typeof comment.$inferSelect;
export type Notification = typeof notification.$inferSelect;
export type JourneyVersion = typeof journeyVersion.$inferSelect;
export type JourneyTemplate = typeof journeyTemplate.$inferSelect;

// ── Loops: listen → solve → measure → follow up; alerts and webhooks (issue 7) ──────────────────
// Rules live in `$lib/loops`; these tables store what they decide.

export const loopStage = pgEnum('loop_stage', [
	'listen',
	'solve',
	'measure',
	'follow_up',
	'closed',
	'cancelled'
]);
export const actionStatus = pgEnum('action_status', ['todo', 'doing', 'blocked', 'done', 'cancelled']);
export const followUpStatus = pgEnum('follow_up_status', ['todo', 'done', 'waived']);

/**
 * A problem of one journey being worked on. `baseline` and `measurement` are the JSON of
 * `MetricSnapshot` and `Measurement` (`$lib/loops/measure`); windows are in days.
 */
export const loop = pgTable(
	'loop',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		workspaceId: uuid('workspace_id')
			.notNull()
			.references(() => workspace.id, { onDelete: 'cascade' }),
		journeyId: uuid('journey_id')
			.notNull()
			.references(() => journey.id, { onDelete: 'cascade' }),
		title: text('title').notNull(),
		problem: text('problem').notNull().default(''),
		/** Touchpoint ids inside the journey document. */
		touchpointIds: text('touchpoint_ids')
			.array()
			.notNull()
			.default(sql`'{}'::text[]`),
		/** A motive code of the workspace taxonomy, or null. */
		motive: text('motive'),
		ownerId: uuid('owner_id').references(() => user.id, { onDelete: 'set null' }),
		stage: loopStage('stage').notNull().default('listen'),
		stageChangedAt: timestamp('stage_changed_at', { withTimezone: true }).notNull().defaultNow(),
		rationalNeed: text('rational_need').notNull().default(''),
		emotionalNeed: text('emotional_need').notNull().default(''),
		/** Days before entering solve that the baseline covers. */
		baselineDays: integer('baseline_days').notNull().default(28),
		/** Days after the actions settled that the measure covers. */
		afterDays: integer('after_days').notNull().default(14),
		baseline: jsonb('baseline'),
		/** When the actions became settled (all done or cancelled, one done); null while not. */
		settledAt: timestamp('settled_at', { withTimezone: true }),
		afterWindowEnd: timestamp('after_window_end', { withTimezone: true }),
		measurement: jsonb('measurement'),
		/** The alert the loop was opened from, if any. */
		alertId: uuid('alert_id'),
		cancelReason: text('cancel_reason'),
		createdBy: uuid('created_by').references(() => user.id, { onDelete: 'set null' }),
		createdAt: createdAt(),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
		closedAt: timestamp('closed_at', { withTimezone: true })
	},
	(t) => [
		index('loop_workspace_idx').on(t.workspaceId, t.stage, t.updatedAt),
		index('loop_journey_idx').on(t.journeyId, t.stage)
	]
);

/** Evidence: a feedback item linked to a loop, with the touchpoint's live metrics when it was linked. */
export const loopItem = pgTable(
	'loop_item',
	{
		loopId: uuid('loop_id')
			.notNull()
			.references(() => loop.id, { onDelete: 'cascade' }),
		feedbackId: uuid('feedback_id')
			.notNull()
			.references(() => feedback.id, { onDelete: 'cascade' }),
		/** `MetricSnapshot` of the loop's touchpoints over the days before the link. */
		metrics: jsonb('metrics'),
		addedBy: uuid('added_by').references(() => user.id, { onDelete: 'set null' }),
		addedAt: createdAt()
	},
	(t) => [primaryKey({ columns: [t.loopId, t.feedbackId] }), index('loop_item_feedback_idx').on(t.feedbackId)]
);

/** Something to do in a loop's solve stage. Notes are `loop_event` rows of type `action_note`. */
export const loopAction = pgTable(
	'loop_action',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		loopId: uuid('loop_id')
			.notNull()
			.references(() => loop.id, { onDelete: 'cascade' }),
		workspaceId: uuid('workspace_id')
			.notNull()
			.references(() => workspace.id, { onDelete: 'cascade' }),
		title: text('title').notNull(),
		ownerId: uuid('owner_id').references(() => user.id, { onDelete: 'set null' }),
		dueDate: date('due_date', { mode: 'string' }),
		status: actionStatus('status').notNull().default('todo'),
		position: integer('position').notNull().default(0),
		/** Set when a "due soon" notification went out, so it goes out once. */
		dueNotifiedAt: timestamp('due_notified_at', { withTimezone: true }),
		doneAt: timestamp('done_at', { withTimezone: true }),
		createdBy: uuid('created_by').references(() => user.id, { onDelete: 'set null' }),
		createdAt: createdAt(),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		index('loop_action_loop_idx').on(t.loopId, t.position),
		index('loop_action_owner_idx').on(t.ownerId, t.status, t.dueDate)
	]
);

/**
 * Answering one customer: for a linked feedback item with a customer, or proactive (no item: a customer
 * affected by an alert before they wrote). The customer fields are copied so the task stands alone.
 */
export const followUp = pgTable(
	'follow_up',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		loopId: uuid('loop_id')
			.notNull()
			.references(() => loop.id, { onDelete: 'cascade' }),
		workspaceId: uuid('workspace_id')
			.notNull()
			.references(() => workspace.id, { onDelete: 'cascade' }),
		feedbackId: uuid('feedback_id').references(() => feedback.id, { onDelete: 'set null' }),
		customerId: text('customer_id'),
		customerName: text('customer_name'),
		customerContact: text('customer_contact'),
		/** When the customer wrote (the item's received time); null when proactive. */
		spokeAt: timestamp('spoke_at', { withTimezone: true }),
		assigneeId: uuid('assignee_id').references(() => user.id, { onDelete: 'set null' }),
		dueDate: date('due_date', { mode: 'string' }),
		status: followUpStatus('status').notNull().default('todo'),
		/** The message sent, as rendered from a template and edited. */
		message: text('message'),
		/** `CONTACT_METHODS` of `$lib/loops/rules`. */
		method: text('method'),
		/** `FOLLOW_UP_OUTCOMES`. */
		outcome: text('outcome'),
		note: text('note'),
		waiveReason: text('waive_reason'),
		doneAt: timestamp('done_at', { withTimezone: true }),
		doneBy: uuid('done_by').references(() => user.id, { onDelete: 'set null' }),
		dueNotifiedAt: timestamp('due_notified_at', { withTimezone: true }),
		createdAt: createdAt()
	},
	(t) => [
		index('follow_up_loop_idx').on(t.loopId),
		index('follow_up_assignee_idx').on(t.assigneeId, t.status),
		uniqueIndex('follow_up_item_idx').on(t.loopId, t.feedbackId)
	]
);

/** The loop's timeline: who did what, when. `type` and `data` follow `LoopEvent` of `$lib/loops/metrics` plus UI-only kinds. */
export const loopEvent = pgTable(
	'loop_event',
	{
		id: bigserial('id', { mode: 'number' }).primaryKey(),
		loopId: uuid('loop_id')
			.notNull()
			.references(() => loop.id, { onDelete: 'cascade' }),
		actorId: uuid('actor_id').references(() => user.id, { onDelete: 'set null' }),
		type: text('type').notNull(),
		actionId: uuid('action_id'),
		followUpId: uuid('follow_up_id'),
		data: jsonb('data').notNull().default({}),
		createdAt: createdAt()
	},
	(t) => [index('loop_event_loop_idx').on(t.loopId, t.id)]
);

/** A workspace's follow-up message templates (the defaults of `$lib/loops/follow-up` are used when none). */
export const messageTemplate = pgTable(
	'message_template',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		workspaceId: uuid('workspace_id')
			.notNull()
			.references(() => workspace.id, { onDelete: 'cascade' }),
		name: text('name').notNull(),
		language: text('language').notNull(),
		subject: text('subject').notNull().default(''),
		body: text('body').notNull(),
		createdBy: uuid('created_by').references(() => user.id, { onDelete: 'set null' }),
		createdAt: createdAt()
	},
	(t) => [index('message_template_workspace_idx').on(t.workspaceId)]
);

/**
 * A crisis or buzz alert (`Alert` of `$lib/loops/detector`): one row per burst, updated while it lasts,
 * resolved when it ends. `detectorId` is the detector's stable id (scope key and opening time).
 */
export const alert = pgTable(
	'alert',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		workspaceId: uuid('workspace_id')
			.notNull()
			.references(() => workspace.id, { onDelete: 'cascade' }),
		detectorId: text('detector_id').notNull(),
		scopeKey: text('scope_key').notNull(),
		journeyId: uuid('journey_id').references(() => journey.id, { onDelete: 'cascade' }),
		touchpointId: text('touchpoint_id'),
		motive: text('motive'),
		/** `AlertKind[]`: negative_rise, score_drop. */
		kinds: text('kinds').array().notNull(),
		/** The items behind it. */
		itemIds: uuid('item_ids')
			.array()
			.notNull()
			.default(sql`'{}'::uuid[]`),
		peak: jsonb('peak').notNull(),
		latest: jsonb('latest').notNull(),
		openedAt: timestamp('opened_at', { withTimezone: true }).notNull(),
		lastFiringAt: timestamp('last_firing_at', { withTimezone: true }).notNull(),
		resolvedAt: timestamp('resolved_at', { withTimezone: true }),
		/** The loop opened from it. */
		loopId: uuid('loop_id').references(() => loop.id, { onDelete: 'set null' }),
		createdAt: createdAt(),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		uniqueIndex('alert_detector_idx').on(t.workspaceId, t.detectorId),
		index('alert_open_idx').on(t.workspaceId, t.resolvedAt, t.openedAt),
		index('alert_touchpoint_idx').on(t.journeyId, t.touchpointId)
	]
);

/** Per workspace: the detector's thresholds (overrides of `DEFAULT_DETECTOR_SETTINGS`) and its stored state. */
export const alertDetector = pgTable('alert_detector', {
	workspaceId: uuid('workspace_id')
		.primaryKey()
		.references(() => workspace.id, { onDelete: 'cascade' }),
	settings: jsonb('settings').notNull().default({}),
	/** `DetectorState` (`toJSON()`); null until seeded from the last two weeks. */
	state: jsonb('state'),
	updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
});

/**
 * An outgoing webhook of a workspace. The secret signs deliveries (HMAC), so unlike API keys it must be
 * kept readable; it is shown once at creation and can be rotated.
 */
export const webhook = pgTable(
	'webhook',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		workspaceId: uuid('workspace_id')
			.notNull()
			.references(() => workspace.id, { onDelete: 'cascade' }),
		url: text('url').notNull(),
		secret: text('secret').notNull(),
		/** `WebhookEventType[]`; empty means every event. */
		events: text('events')
			.array()
			.notNull()
			.default(sql`'{}'::text[]`),
		active: boolean('active').notNull().default(true),
		createdBy: uuid('created_by').references(() => user.id, { onDelete: 'set null' }),
		createdAt: createdAt()
	},
	(t) => [index('webhook_workspace_idx').on(t.workspaceId)]
);

/** One event to deliver to one webhook; also the retry queue (`status` pending, `next_attempt_at`). */
export const webhookDelivery = pgTable(
	'webhook_delivery',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		webhookId: uuid('webhook_id')
			.notNull()
			.references(() => webhook.id, { onDelete: 'cascade' }),
		eventId: text('event_id').notNull(),
		eventType: text('event_type').notNull(),
		/** The exact body signed and sent (`webhookBody`). */
		body: text('body').notNull(),
		/** pending | delivered | failed */
		status: text('status').notNull().default('pending'),
		attempts: integer('attempts').notNull().default(0),
		nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
		lastStatus: integer('last_status'),
		lastError: text('last_error'),
		claimToken: uuid('claim_token'),
		claimedAt: timestamp('claimed_at', { withTimezone: true }),
		createdAt: createdAt(),
		deliveredAt: timestamp('delivered_at', { withTimezone: true })
	},
	(t) => [
		index('webhook_delivery_queue_idx')
			.on(t.nextAttemptAt)
			.where(sql`status = 'pending'`),
		index('webhook_delivery_webhook_idx').on(t.webhookId, t.createdAt),
		uniqueIndex('webhook_delivery_event_idx').on(t.webhookId, t.eventId)
	]
);

/** When a user last looked at a touchpoint's feedback, for "new since your last visit". */
export const touchpointVisit = pgTable(
	'touchpoint_visit',
	{
		userId: uuid('user_id')
			.notNull()
			.references(() => user.id, { onDelete: 'cascade' }),
		journeyId: uuid('journey_id')
			.notNull()
			.references(() => journey.id, { onDelete: 'cascade' }),
		touchpointId: text('touchpoint_id').notNull(),
		visitedAt: timestamp('visited_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [primaryKey({ columns: [t.userId, t.journeyId, t.touchpointId] })]
);

export type Loop = typeof loop.$inferSelect;
export type LoopItem = typeof loopItem.$inferSelect;
export type LoopAction = typeof loopAction.$inferSelect;
export type FollowUp = typeof followUp.$inferSelect;
export type LoopEventRow = typeof loopEvent.$inferSelect;
export type MessageTemplateRow = typeof messageTemplate.$inferSelect;
export type AlertRow = typeof alert.$inferSelect;
export type Webhook = typeof webhook.$inferSelect;
export type WebhookDelivery = typeof webhookDelivery.$inferSelect;
