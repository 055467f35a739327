/**
 * A workspace's catalogue (products and services), places and motive taxonomy: as the analysis reads
 * them (`loadTaxonomy`, no access check) and as editors manage them on the settings page.
 *
 * Motives: a workspace without `motive` rows uses `defaultMotives` of `$lib/analysis`. The first edit
 * copies the defaults into the table (so the edit applies to a full list, and later changes to the
 * built-in defaults do not silently alter a taxonomy the team has tuned); "reset" deletes the rows.
 */
import { and, asc, eq, sql } from 'drizzle-orm';
// The data module, not the analysis index: the server bundle needs the list, not the worker pool.
import { DEFAULT_MOTIVES as defaultMotives } from '../analysis/data/motives';
import type { CatalogueItem, Motive, Place } from '../analysis/types';
import type { MessageKey, Params } from '../i18n';
import { requireAccess, isId, type Actor } from './access';
import type { Db } from './db';
import { catalogueItem, motive, place, workspace } from './db/schema';
import { AppError, invalid, notFound } from './errors';
import { emit } from './events';
import { noNul, requireText } from './validate';

export interface Taxonomy {
	products: CatalogueItem[];
	places: Place[];
	/** Null: the workspace uses the default motives of `$lib/analysis`. */
	motives: Motive[] | null;
}

/** Reads the taxonomy without an access check: for the processor, which acts for the workspace. */
export async function loadTaxonomy(db: Db, workspaceId: string): Promise<Taxonomy> {
	const [products, places, motives] = await Promise.all([
		db.select().from(catalogueItem).where(eq(catalogueItem.workspaceId, workspaceId)),
		db.select().from(place).where(eq(place.workspaceId, workspaceId)),
		db.select().from(motive).where(eq(motive.workspaceId, workspaceId)).orderBy(asc(motive.position))
	]);
	return {
		products: products.map((p) => ({
			id: p.id,
			name: p.name,
			aliases: p.aliases,
			kind: p.kind === 'service' ? 'service' : 'product'
		})),
		places: places.map((p) => ({ id: p.id, name: p.name, aliases: p.aliases, kind: p.kind })),
		motives: motives.length
			? motives.map((m) => ({
					id: m.key,
					label: { fr: m.labelFr, en: m.labelEn },
					keywords: m.keywords,
					...(m.stage === 'pre-sale' || m.stage === 'sale' || m.stage === 'after-sale'
						? { stage: m.stage }
						: {})
				}))
			: null
	};
}

// ── Managing the taxonomy ───────────────────────────────────────────────────────────────────────

export const PRODUCT_KINDS = ['product', 'service'] as const;
export const PLACE_KINDS = ['store', 'city', 'airport', 'agency', 'other'] as const;
export const MOTIVE_STAGES = ['pre-sale', 'sale', 'after-sale'] as const;
export type ProductKind = (typeof PRODUCT_KINDS)[number];
export type PlaceKind = (typeof PLACE_KINDS)[number];
export type MotiveStage = (typeof MOTIVE_STAGES)[number];

/** Bounds that keep the analysis context small enough to compile per workspace in a few milliseconds. */
export const TAXONOMY_LIMITS = {
	name: 120,
	alias: 80,
	aliases: 20,
	label: 80,
	keyword: 80,
	keywords: 80,
	/** Products or places per workspace. */
	entries: 1000,
	motives: 100
} as const;

export interface TaxonomyEntry {
	id: string;
	name: string;
	kind: string;
	aliases: string[];
}

export interface MotiveEntry {
	key: string;
	labelFr: string;
	labelEn: string;
	keywords: string[];
	stage: MotiveStage | null;
}

export interface TaxonomySettings {
	products: TaxonomyEntry[];
	places: TaxonomyEntry[];
	motives: MotiveEntry[];
	/** True while the workspace uses the built-in motives (nothing edited yet, or reset). */
	defaultMotives: boolean;
}

const fail = (field: string, code: MessageKey, params: Params = {}) => invalid(field, code, params);

/** Case-, accent- and spacing-insensitive form, the way the analysis compares names. */
export function foldName(s: string): string {
	return s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();
}

/**
 * A comma-separated list (or an array of strings) as distinct trimmed values. Items are compared
 * folded; the first spelling wins.
 */
function parseList(
	field: string,
	value: unknown,
	max: number,
	maxLength: number,
	codes: { tooMany: MessageKey; tooLong: MessageKey }
): string[] {
	const raw =
		typeof value === 'string'
			? noNul(field, value).split(/[,\n;]/)
			: Array.isArray(value)
				? value.map((v) => (typeof v === 'string' ? noNul(field, v) : ''))
				: [];
	const out: string[] = [];
	const seen = new Set<string>();
	for (const part of raw) {
		const item = part.replace(/\s+/g, ' ').trim();
		if (!item) continue;
		if (item.length > maxLength)
			throw fail(field, codes.tooLong, { max: maxLength, item: item.slice(0, 40) });
		const key = foldName(item);
		if (seen.has(key)) continue;
		seen.add(key);
		out.push(item);
	}
	if (out.length > max) throw fail(field, codes.tooMany, { max, count: out.length });
	return out;
}

function requireChoice<T extends string>(
	field: string,
	value: unknown,
	choices: readonly T[],
	fallback?: T
): T {
	if ((value === undefined || value === '') && fallback) return fallback;
	if (typeof value === 'string' && (choices as readonly string[]).includes(value)) return value as T;
	throw fail(field, 'taxonomy.error.choice', { choices: choices.join(', ') });
}

/** Serialises taxonomy edits of one workspace (duplicate checks read, then write). */
async function lockWorkspace(tx: Db, workspaceId: string) {
	const rows = await tx
		.select({ id: workspace.id })
		.from(workspace)
		.where(eq(workspace.id, workspaceId))
		.for('update');
	if (!rows[0]) throw notFound();
}

function changed(workspaceId: string) {
	emit('taxonomy:changed', { workspaceId });
}

/** What the settings page shows; any member may read it. */
export async function getTaxonomySettings(
	db: Db,
	actor: Actor,
	workspaceId: string
): Promise<TaxonomySettings> {
	await requireAccess(db, actor, 'workspace:read', { workspaceId });
	const [products, places, motives] = await Promise.all([
		db
			.select()
			.from(catalogueItem)
			.where(eq(catalogueItem.workspaceId, workspaceId))
			.orderBy(asc(catalogueItem.name), asc(catalogueItem.createdAt)),
		db
			.select()
			.from(place)
			.where(eq(place.workspaceId, workspaceId))
			.orderBy(asc(place.name), asc(place.createdAt)),
		db.select().from(motive).where(eq(motive.workspaceId, workspaceId)).orderBy(asc(motive.position))
	]);
	const entry = (r: { id: string; name: string; kind: string; aliases: string[] }): TaxonomyEntry => ({
		id: r.id,
		name: r.name,
		kind: r.kind,
		aliases: r.aliases
	});
	return {
		products: products.map(entry),
		places: places.map(entry),
		motives: motives.length ? motives.map(motiveEntry) : defaultMotiveEntries(),
		defaultMotives: motives.length === 0
	};
}

function motiveEntry(m: typeof motive.$inferSelect): MotiveEntry {
	const stage = (MOTIVE_STAGES as readonly string[]).includes(m.stage ?? '')
		? (m.stage as MotiveStage)
		: null;
	return { key: m.key, labelFr: m.labelFr, labelEn: m.labelEn, keywords: m.keywords, stage };
}

export function defaultMotiveEntries(): MotiveEntry[] {
	return defaultMotives.map((m) => ({
		key: m.id,
		labelFr: typeof m.label === 'string' ? m.label : m.label.fr,
		labelEn: typeof m.label === 'string' ? m.label : m.label.en,
		keywords: [...(m.keywords ?? [])],
		stage: m.stage ?? null
	}));
}

// ── Products and places ─────────────────────────────────────────────────────────────────────────

type EntryTable = typeof catalogueItem | typeof place;

export interface EntryInput {
	/** Absent or '' to add a new entry. */
	id?: unknown;
	name?: unknown;
	kind?: unknown;
	aliases?: unknown;
}

async function saveEntry(
	db: Db,
	actor: Actor,
	workspaceId: string,
	table: EntryTable,
	kinds: readonly string[],
	fallbackKind: string,
	input: EntryInput
): Promise<TaxonomyEntry> {
	await requireAccess(db, actor, 'taxonomy:edit', { workspaceId });
	const id = input.id === undefined || input.id === '' ? null : input.id;
	if (id !== null && !isId(id)) throw notFound();
	const name = requireText('name', input.name, TAXONOMY_LIMITS.name);
	const kind = requireChoice('kind', input.kind, kinds, fallbackKind);
	const aliases = parseList('aliases', input.aliases, TAXONOMY_LIMITS.aliases, TAXONOMY_LIMITS.alias, {
		tooMany: 'taxonomy.error.tooManyAliases',
		tooLong: 'taxonomy.error.aliasTooLong'
	}).filter((a) => foldName(a) !== foldName(name));

	const saved = await db.transaction(async (tx) => {
		const t = tx as unknown as Db;
		await lockWorkspace(t, workspaceId);
		const others = await t
			.select({ id: table.id, name: table.name, aliases: table.aliases })
			.from(table)
			.where(eq(table.workspaceId, workspaceId));
		if (id !== null && !others.some((o) => o.id === id)) throw notFound();
		if (id === null && others.length >= TAXONOMY_LIMITS.entries)
			throw fail('name', 'taxonomy.error.tooManyEntries', { max: TAXONOMY_LIMITS.entries });
		// A name or alias that already means another entry would make the analysis pick one at random.
		const taken = new Map<string, string>();
		for (const o of others) {
			if (o.id === id) continue;
			for (const n of [o.name, ...o.aliases]) taken.set(foldName(n), o.name);
		}
		const nameOwner = taken.get(foldName(name));
		if (nameOwner) throw fail('name', 'taxonomy.error.duplicate', { name, other: nameOwner });
		for (const a of aliases) {
			const owner = taken.get(foldName(a));
			if (owner) throw fail('aliases', 'taxonomy.error.duplicate', { name: a, other: owner });
		}
		if (id === null) {
			const [row] = await t.insert(table).values({ workspaceId, name, kind, aliases }).returning();
			return row;
		}
		const [row] = await t
			.update(table)
			.set({ name, kind, aliases })
			.where(and(eq(table.id, id), eq(table.workspaceId, workspaceId)))
			.returning();
		return row;
	});
	changed(workspaceId);
	return { id: saved.id, name: saved.name, kind: saved.kind, aliases: saved.aliases };
}

async function deleteEntry(db: Db, actor: Actor, workspaceId: string, table: EntryTable, id: unknown) {
	await requireAccess(db, actor, 'taxonomy:edit', { workspaceId });
	if (!isId(id)) throw notFound();
	const gone = await db
		.delete(table)
		.where(and(eq(table.id, id), eq(table.workspaceId, workspaceId)))
		.returning({ id: table.id });
	if (!gone[0]) throw notFound();
	changed(workspaceId);
}

/** Adds (no `id`) or updates a product or service of the catalogue. */
export function saveCatalogueItem(db: Db, actor: Actor, workspaceId: string, input: EntryInput) {
	return saveEntry(db, actor, workspaceId, catalogueItem, PRODUCT_KINDS, 'product', input);
}

export function deleteCatalogueItem(db: Db, actor: Actor, workspaceId: string, id: unknown) {
	return deleteEntry(db, actor, workspaceId, catalogueItem, id);
}

/** Adds (no `id`) or updates a place (store, city, airport, agency, other). */
export function savePlace(db: Db, actor: Actor, workspaceId: string, input: EntryInput) {
	return saveEntry(db, actor, workspaceId, place, PLACE_KINDS, 'store', input);
}

export function deletePlace(db: Db, actor: Actor, workspaceId: string, id: unknown) {
	return deleteEntry(db, actor, workspaceId, place, id);
}

// ── Motives ─────────────────────────────────────────────────────────────────────────────────────

export interface MotiveInput {
	/** Absent or '' to add a new motive (its key is made from the English label). */
	key?: unknown;
	labelFr?: unknown;
	labelEn?: unknown;
	keywords?: unknown;
	stage?: unknown;
}

/** The motive the analysis reports when no other matches. */
const OTHER_MOTIVE = 'other';

function slug(s: string): string {
	return (
		foldName(s)
			.replace(/[^a-z0-9]+/g, '-')
			.replace(/^-+|-+$/g, '')
			.slice(0, 40) || 'motive'
	);
}

/** Copies the default motives into the table when the workspace has none yet (inside `tx`). */
async function ensureMotiveRows(tx: Db, workspaceId: string) {
	const [{ n }] = await tx
		.select({ n: sql<number>`count(*)::int` })
		.from(motive)
		.where(eq(motive.workspaceId, workspaceId));
	if (n > 0) return;
	await tx.insert(motive).values(
		defaultMotiveEntries().map((m, position) => ({
			workspaceId,
			key: m.key,
			labelFr: m.labelFr,
			labelEn: m.labelEn,
			keywords: m.keywords,
			stage: m.stage,
			position
		}))
	);
}

/**
 * Adds (no `key`) or updates a motive. The first edit of a workspace still on the defaults copies them
 * first, so the team's list is the defaults plus this change.
 */
export async function saveMotive(
	db: Db,
	actor: Actor,
	workspaceId: string,
	input: MotiveInput
): Promise<MotiveEntry> {
	await requireAccess(db, actor, 'taxonomy:edit', { workspaceId });
	const key = input.key === undefined || input.key === '' ? null : input.key;
	if (key !== null && (typeof key !== 'string' || key.length > 60)) throw notFound();
	const labelEn = requireText('labelEn', input.labelEn, TAXONOMY_LIMITS.label);
	const labelFr = requireText('labelFr', input.labelFr, TAXONOMY_LIMITS.label);
	const keywords = parseList('keywords', input.keywords, TAXONOMY_LIMITS.keywords, TAXONOMY_LIMITS.keyword, {
		tooMany: 'taxonomy.error.tooManyKeywords',
		tooLong: 'taxonomy.error.keywordTooLong'
	});
	// `other` is the analysis's fallback when nothing matches: it needs no keywords.
	if (keywords.length === 0 && key !== OTHER_MOTIVE) throw fail('keywords', 'taxonomy.error.noKeywords');
	const stage =
		input.stage === undefined || input.stage === ''
			? null
			: requireChoice('stage', input.stage, MOTIVE_STAGES);

	const saved = await db.transaction(async (tx) => {
		const t = tx as unknown as Db;
		await lockWorkspace(t, workspaceId);
		await ensureMotiveRows(t, workspaceId);
		const rows = await t.select().from(motive).where(eq(motive.workspaceId, workspaceId));
		if (key !== null && !rows.some((r) => r.key === key)) throw notFound();
		if (key === null && rows.length >= TAXONOMY_LIMITS.motives)
			throw fail('labelEn', 'taxonomy.error.tooManyMotives', { max: TAXONOMY_LIMITS.motives });
		for (const r of rows) {
			if (r.key === key) continue;
			if (foldName(r.labelEn) === foldName(labelEn))
				throw fail('labelEn', 'taxonomy.error.duplicate', { name: labelEn, other: r.labelEn });
			if (foldName(r.labelFr) === foldName(labelFr))
				throw fail('labelFr', 'taxonomy.error.duplicate', { name: labelFr, other: r.labelFr });
		}
		if (key === null) {
			const keys = new Set(rows.map((r) => r.key));
			const base = slug(labelEn);
			let newKey = base;
			for (let i = 2; keys.has(newKey); i++) newKey = `${base}-${i}`;
			const position = rows.reduce((max, r) => Math.max(max, r.position), -1) + 1;
			const [row] = await t
				.insert(motive)
				.values({ workspaceId, key: newKey, labelFr, labelEn, keywords, stage, position })
				.returning();
			return row;
		}
		const [row] = await t
			.update(motive)
			.set({ labelFr, labelEn, keywords, stage })
			.where(and(eq(motive.workspaceId, workspaceId), eq(motive.key, key)))
			.returning();
		return row;
	});
	changed(workspaceId);
	return motiveEntry(saved);
}

/** Removes a motive (copying the defaults first if needed); items analysed before keep its key. */
export async function deleteMotive(db: Db, actor: Actor, workspaceId: string, key: unknown) {
	await requireAccess(db, actor, 'taxonomy:edit', { workspaceId });
	if (typeof key !== 'string' || !key || key.length > 60) throw notFound();
	await db.transaction(async (tx) => {
		const t = tx as unknown as Db;
		await lockWorkspace(t, workspaceId);
		await ensureMotiveRows(t, workspaceId);
		const rows = await t.select({ key: motive.key }).from(motive).where(eq(motive.workspaceId, workspaceId));
		if (!rows.some((r) => r.key === key)) throw notFound();
		// An empty table means "defaults": the last motive cannot go, or the defaults would come back.
		if (rows.length === 1) throw new AppError(409, 'taxonomy.error.lastMotive');
		await t.delete(motive).where(and(eq(motive.workspaceId, workspaceId), eq(motive.key, key)));
	});
	changed(workspaceId);
}

/** Back to the built-in motives: the workspace's own list is deleted. */
export async function resetMotives(db: Db, actor: Actor, workspaceId: string) {
	await requireAccess(db, actor, 'taxonomy:edit', { workspaceId });
	await db.delete(motive).where(eq(motive.workspaceId, workspaceId));
	changed(workspaceId);
}
