import { sql } from 'drizzle-orm';
import {
	bigserial,
	customType,
	index,
	integer,
	pgEnum,
	pgTable,
	primaryKey,
	text,
	timestamp,
	uniqueIndex,
	uuid
} from 'drizzle-orm/pg-core';

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
