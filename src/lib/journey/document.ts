/**
 * A journey stored in a Y.Doc, with typed operations and plain-object snapshots.
 *
 * Layout of the Y.Doc (top-level types):
 * - `journey`      Y.Map: schemaVersion, title, description, owner
 * - `personas`     Y.Map<id, Y.Map>: name, description, color
 * - `stages`       Y.Map<id, Y.Map>: title, description, group
 * - `touchpoints`  Y.Map<id, Y.Map>: scalar fields; pains, joys, keywords, products as Y.Array<string>
 *                  (concurrent additions to one list both survive); personaIds as a plain array or null
 * - `connections`  Y.Map<id, Y.Map>: from, to, kind, label
 * - `placement`    Y.Array used as a YKeyValue: `s:<id>` / `p:<id>` → { o: order key },
 *                  `t:<id>` → { o, s: stageId }. Positions change often (drags); a Y.Map would keep one
 *                  tombstone per overwrite when keys alternate, YKeyValue keeps the document small.
 */
import * as Y from 'yjs';
import { YKeyValue } from 'y-utility/y-keyvalue';
import { uuidv4 } from 'lib0/random';
import { JourneyError } from './errors';
import { compareOrder, orderBetween } from './order';
import { CURRENT_SCHEMA_VERSION } from './schema-version';
import {
	CHANNEL_ONLINE,
	CHANNELS,
	CONNECTION_KINDS,
	STAGE_GROUPS,
	type Channel,
	type Connection,
	type ConnectionInput,
	type ConnectionKind,
	type ConnectionPatch,
	type EmotionScore,
	type JourneyPatch,
	type JourneySnapshot,
	type Persona,
	type PersonaInput,
	type PersonaPatch,
	type Placement,
	type Stage,
	type StageGroup,
	type StageInput,
	type StagePatch,
	type Touchpoint,
	type TouchpointInput,
	type TouchpointPatch
} from './types';
import {
	LIMITS,
	connectionFields,
	idSchema,
	journeyInfoFields,
	parseInput,
	partial,
	personaFields,
	stageFields,
	touchpointFields
} from './validation';
import { z } from 'zod';

export const ROOT = {
	info: 'journey',
	personas: 'personas',
	stages: 'stages',
	touchpoints: 'touchpoints',
	connections: 'connections',
	placement: 'placement'
} as const;

export interface PlacementValue {
	/** order key */
	o: string;
	/** stage id (touchpoints only) */
	s?: string;
}

type Kind = 'p' | 's' | 't';
const LIST_FIELDS = ['pains', 'joys', 'keywords', 'products'] as const;

export interface JourneyChange {
	/** The transaction origin: this document's `origin` for local operations, the provider for remote ones. */
	origin: unknown;
	local: boolean;
}

export type JourneyListener = (snapshot: JourneySnapshot, change?: JourneyChange) => void;

export interface JourneyDocumentOptions {
	/**
	 * Transaction origin of every operation made through this object (default: the object itself).
	 * Give it to `Y.UndoManager`'s `trackedOrigins` so undo covers one's own operations only.
	 */
	origin?: unknown;
}

const docs = new WeakMap<Y.Doc, JourneyDocument>();

/** The journey view of a Y.Doc; one per doc, so observers are attached once. */
export function openJourney(doc: Y.Doc, options?: JourneyDocumentOptions): JourneyDocument {
	let jd = docs.get(doc);
	if (!jd) {
		jd = new JourneyDocument(doc, options);
		docs.set(doc, jd);
	}
	return jd;
}

export function newId(): string {
	return uuidv4();
}

export function placementArray(doc: Y.Doc): Y.Array<{ key: string; val: PlacementValue }> {
	return doc.getArray(ROOT.placement);
}

const touchpointInputSchema = z
	.strictObject({ id: idSchema.optional(), ...touchpointFields })
	.partial()
	.required({ title: true });
const stageInputSchema = z
	.strictObject({ id: idSchema.optional(), ...stageFields })
	.partial()
	.required({ title: true, group: true });
const personaInputSchema = z
	.strictObject({ id: idSchema.optional(), ...personaFields })
	.partial()
	.required({ name: true });
const connectionInputSchema = z
	.strictObject({ id: idSchema.optional(), ...connectionFields })
	.partial()
	.required({ from: true, to: true });
const indexSchema = z.strictObject({ index: z.number().int().min(0).optional() });

export class JourneyDocument {
	readonly doc: Y.Doc;
	readonly origin: unknown;
	readonly info: Y.Map<unknown>;
	readonly personas: Y.Map<Y.Map<unknown>>;
	readonly stages: Y.Map<Y.Map<unknown>>;
	readonly touchpoints: Y.Map<Y.Map<unknown>>;
	readonly connections: Y.Map<Y.Map<unknown>>;
	private readonly placement: YKeyValue<PlacementValue>;
	private cache: JourneySnapshot | null = null;
	private readonly listeners = new Set<JourneyListener>();
	private readonly onAfterTransaction: (tr: Y.Transaction) => void;

	constructor(doc: Y.Doc, options: JourneyDocumentOptions = {}) {
		this.doc = doc;
		this.origin = 'origin' in options ? options.origin : this;
		this.info = doc.getMap(ROOT.info);
		this.personas = doc.getMap(ROOT.personas);
		this.stages = doc.getMap(ROOT.stages);
		this.touchpoints = doc.getMap(ROOT.touchpoints);
		this.connections = doc.getMap(ROOT.connections);
		this.placement = new YKeyValue(placementArray(doc));
		this.onAfterTransaction = (tr) => {
			if (tr.changed.size === 0 && tr.deleteSet.clients.size === 0) return;
			this.cache = null;
			if (this.listeners.size === 0) return;
			const snapshot = this.snapshot();
			const change = { origin: tr.origin, local: tr.local };
			for (const l of this.listeners) l(snapshot, change);
		};
		doc.on('afterTransaction', this.onAfterTransaction);
	}

	destroy(): void {
		this.doc.off('afterTransaction', this.onAfterTransaction);
		this.listeners.clear();
		docs.delete(this.doc);
	}

	/**
	 * Svelte-store compatible: calls `listener` now with the current snapshot, then after every change.
	 * Returns the unsubscribe function.
	 */
	subscribe(listener: JourneyListener): () => void {
		this.listeners.add(listener);
		listener(this.snapshot());
		return () => this.listeners.delete(listener);
	}

	private transact<T>(fn: () => T): T {
		let result!: T;
		this.doc.transact(() => {
			result = fn();
		}, this.origin);
		return result;
	}

	// ---------------------------------------------------------------- reading

	get schemaVersion(): number | null {
		const v = this.info.get('schemaVersion');
		return typeof v === 'number' ? v : null;
	}

	/** The whole journey as plain objects, in display order. Cached until the next change. */
	snapshot(): JourneySnapshot {
		if (this.cache) return this.cache;
		const personas = this.ordered('p', this.personas).map(([id, m]) => readPersona(id, m));
		const personaIds = new Set(personas.map((p) => p.id));
		const stages = this.ordered('s', this.stages).map(([id, m]) => readStage(id, m));
		const stageIndex = new Map(stages.map((s, i) => [s.id, i]));
		const touchpoints: (Touchpoint & { _s: number; _o: string })[] = [];
		for (const [id, m] of this.touchpoints) {
			const place = this.placement.get(`t:${id}`);
			if (!place || stages.length === 0) continue;
			// A stage removed while someone added a touchpoint to it: show the touchpoint in the first stage.
			const stageId = place.s !== undefined && stageIndex.has(place.s) ? place.s : stages[0].id;
			const tp = readTouchpoint(id, stageId, m, personaIds);
			touchpoints.push({ ...tp, _s: stageIndex.get(stageId)!, _o: place.o });
		}
		touchpoints.sort(
			(a, b) => a._s - b._s || compareOrder({ order: a._o, id: a.id }, { order: b._o, id: b.id })
		);
		const touchpointIds = new Set(touchpoints.map((t) => t.id));
		const connections: Connection[] = [];
		for (const [id, m] of this.connections) {
			const c = readConnection(id, m);
			if (touchpointIds.has(c.from) && touchpointIds.has(c.to)) connections.push(c);
		}
		connections.sort((a, b) => (a.id < b.id ? -1 : 1));
		this.cache = {
			schemaVersion: this.schemaVersion ?? CURRENT_SCHEMA_VERSION,
			title: str(this.info.get('title')),
			description: str(this.info.get('description')),
			owner: idOrNull(this.info.get('owner')),
			personas,
			stages,
			touchpoints: touchpoints.map(({ _s, _o, ...tp }) => tp),
			connections
		};
		return this.cache;
	}

	private ordered(kind: Kind, map: Y.Map<Y.Map<unknown>>): [string, Y.Map<unknown>][] {
		const rows: { id: string; order: string; m: Y.Map<unknown> }[] = [];
		for (const [id, m] of map) {
			const place = this.placement.get(`${kind}:${id}`);
			rows.push({ id, order: place?.o ?? '~', m });
		}
		return rows.sort(compareOrder).map((r) => [r.id, r.m]);
	}

	/** Order keys of the siblings of an item, sorted, leaving out `exclude`. */
	private siblings(kind: Kind, ids: Iterable<string>, exclude?: string): { id: string; order: string }[] {
		const out: { id: string; order: string }[] = [];
		for (const id of ids) {
			if (id === exclude) continue;
			const place = this.placement.get(`${kind}:${id}`);
			if (place) out.push({ id, order: place.o });
		}
		return out.sort(compareOrder);
	}

	private orderAt(siblings: { order: string }[], placementInput: Placement | undefined): string {
		const { index } = parseInput(indexSchema, placementInput ?? {});
		const i = index === undefined ? siblings.length : index;
		if (i > siblings.length) throw new JourneyError('invalid', 'index', `must be at most ${siblings.length}`);
		const before: string | null = siblings[i - 1]?.order ?? null;
		let after: string | null = siblings[i]?.order ?? null;
		// Equal keys (concurrent inserts at one place) leave no room between them: go after both.
		if (before !== null && after !== null && before >= after)
			after = siblings.find((s) => s.order > before)?.order ?? null;
		return orderBetween(before, after);
	}

	private require(map: Y.Map<Y.Map<unknown>>, id: string, field: string, what: string): Y.Map<unknown> {
		const m = typeof id === 'string' ? map.get(id) : undefined;
		if (!m) throw new JourneyError('not_found', field, `no ${what} with id "${id}"`);
		return m;
	}

	private freshId(map: Y.Map<Y.Map<unknown>>, id: string | undefined): string {
		if (id === undefined) return newId();
		if (map.has(id)) throw new JourneyError('conflict', 'id', `"${id}" is already used`);
		return id;
	}

	private touchpointIdsOf(stageId: string): string[] {
		const out: string[] = [];
		for (const id of this.touchpoints.keys()) if (this.placement.get(`t:${id}`)?.s === stageId) out.push(id);
		return out;
	}

	/** Adds a persona or a stage: items ordered among all of their kind. */
	private addTopLevel(
		kind: 'p' | 's',
		map: Y.Map<Y.Map<unknown>>,
		limit: number,
		wantedId: string | undefined,
		at: Placement | undefined,
		fields: Record<string, unknown>
	): string {
		const what = kind === 'p' ? 'personas' : 'stages';
		if (map.size >= limit) throw new JourneyError('invalid', what, `at most ${limit}`);
		return this.transact(() => {
			const id = this.freshId(map, wantedId);
			const order = this.orderAt(this.siblings(kind, map.keys()), at);
			const m = new Y.Map<unknown>();
			initFields(m, fields);
			map.set(id, m);
			this.placement.set(`${kind}:${id}`, { o: order });
			return id;
		});
	}

	private moveTopLevel(kind: 'p' | 's', map: Y.Map<Y.Map<unknown>>, id: string, index: number): void {
		this.require(map, id, 'id', kind === 'p' ? 'persona' : 'stage');
		this.transact(() => {
			this.placement.set(`${kind}:${id}`, {
				o: this.orderAt(this.siblings(kind, map.keys(), id), { index })
			});
		});
	}

	// ---------------------------------------------------------------- journey

	updateJourney(patch: JourneyPatch): void {
		const data = parseInput(partial(journeyInfoFields), patch);
		this.transact(() => setFields(this.info, data));
	}

	// ---------------------------------------------------------------- personas

	addPersona(input: PersonaInput, at?: Placement): string {
		const data = parseInput(personaInputSchema, input);
		return this.addTopLevel('p', this.personas, LIMITS.personas, data.id, at, {
			name: data.name,
			description: data.description ?? '',
			color: data.color ?? '#6b7280'
		});
	}

	updatePersona(id: string, patch: PersonaPatch): void {
		const data = parseInput(partial(personaFields), patch);
		const m = this.require(this.personas, id, 'id', 'persona');
		this.transact(() => setFields(m, data));
	}

	movePersona(id: string, index: number): void {
		this.moveTopLevel('p', this.personas, id, index);
	}

	/** Removes a persona; touchpoints that named only this persona concern every persona again. */
	removePersona(id: string): void {
		this.require(this.personas, id, 'id', 'persona');
		this.transact(() => {
			this.personas.delete(id);
			this.placement.delete(`p:${id}`);
			for (const m of this.touchpoints.values()) {
				const ids = m.get('personaIds');
				if (Array.isArray(ids) && ids.includes(id)) {
					const rest = ids.filter((x) => x !== id);
					m.set('personaIds', rest.length ? rest : null);
				}
			}
		});
	}

	// ---------------------------------------------------------------- stages

	addStage(input: StageInput, at?: Placement): string {
		const data = parseInput(stageInputSchema, input);
		return this.addTopLevel('s', this.stages, LIMITS.stages, data.id, at, {
			title: data.title,
			description: data.description ?? '',
			group: data.group
		});
	}

	updateStage(id: string, patch: StagePatch): void {
		const data = parseInput(partial(stageFields), patch);
		const m = this.require(this.stages, id, 'id', 'stage');
		this.transact(() => setFields(m, data));
	}

	moveStage(id: string, index: number): void {
		this.moveTopLevel('s', this.stages, id, index);
	}

	/** Removes a stage with its touchpoints and their connections; returns what was removed. */
	removeStage(id: string): { touchpoints: string[]; connections: string[] } {
		this.require(this.stages, id, 'id', 'stage');
		return this.transact(() => {
			const touchpoints = this.touchpointIdsOf(id);
			const connections = touchpoints.flatMap((t) => this.removeTouchpointNow(t));
			this.stages.delete(id);
			this.placement.delete(`s:${id}`);
			return { touchpoints, connections };
		});
	}

	// ---------------------------------------------------------------- touchpoints

	addTouchpoint(stageId: string, input: TouchpointInput, at?: Placement): string {
		this.require(this.stages, stageId, 'stageId', 'stage');
		const data = parseInput(touchpointInputSchema, input);
		if (this.touchpoints.size >= LIMITS.touchpoints)
			throw new JourneyError('invalid', 'touchpoints', `at most ${LIMITS.touchpoints}`);
		this.checkPersonaIds(data.personaIds);
		return this.transact(() => {
			const id = this.freshId(this.touchpoints, data.id);
			const order = this.orderAt(this.siblings('t', this.touchpointIdsOf(stageId)), at);
			const channel = data.channel ?? 'other';
			const m = new Y.Map<unknown>();
			initFields(m, {
				title: data.title,
				channel,
				online: data.online ?? CHANNEL_ONLINE[channel],
				personaIds: data.personaIds ?? null,
				does: data.does ?? '',
				thinks: data.thinks ?? '',
				feels: data.feels ?? '',
				emotion: data.emotion ?? null,
				owner: data.owner ?? null,
				notes: data.notes ?? ''
			});
			for (const f of LIST_FIELDS) m.set(f, Y.Array.from(data[f] ?? []));
			this.touchpoints.set(id, m);
			this.placement.set(`t:${id}`, { o: order, s: stageId });
			return id;
		});
	}

	updateTouchpoint(id: string, patch: TouchpointPatch): void {
		const m = this.require(this.touchpoints, id, 'id', 'touchpoint');
		const data = parseInput(partial(touchpointFields), patch);
		this.checkPersonaIds(data.personaIds);
		this.transact(() => {
			const { pains, joys, keywords, products, ...scalars } = data;
			setFields(m, scalars);
			const lists = { pains, joys, keywords, products };
			for (const f of LIST_FIELDS) {
				const next = lists[f];
				if (next === undefined) continue;
				let arr = m.get(f);
				if (!(arr instanceof Y.Array)) m.set(f, (arr = new Y.Array<string>()));
				applyListDiff(arr as Y.Array<string>, next);
			}
		});
	}

	/**
	 * Moves a touchpoint to `index` inside `stageId` (end when omitted). Writes one placement entry,
	 * which replaces the previous one without leaving it in the document.
	 */
	moveTouchpoint(id: string, stageId: string, index?: number): void {
		this.require(this.touchpoints, id, 'id', 'touchpoint');
		this.require(this.stages, stageId, 'stageId', 'stage');
		this.transact(() => {
			const order = this.orderAt(this.siblings('t', this.touchpointIdsOf(stageId), id), { index });
			this.placement.set(`t:${id}`, { o: order, s: stageId });
		});
	}

	/** Removes a touchpoint and the connections that touch it; returns the removed connection ids. */
	removeTouchpoint(id: string): string[] {
		this.require(this.touchpoints, id, 'id', 'touchpoint');
		return this.transact(() => this.removeTouchpointNow(id));
	}

	/** Connections that start or end at a touchpoint (to confirm a removal with the user). */
	connectionsOf(touchpointId: string): string[] {
		const out: string[] = [];
		for (const [cid, c] of this.connections)
			if (c.get('from') === touchpointId || c.get('to') === touchpointId) out.push(cid);
		return out;
	}

	private removeTouchpointNow(id: string): string[] {
		const removed = this.connectionsOf(id);
		for (const cid of removed) this.connections.delete(cid);
		this.touchpoints.delete(id);
		this.placement.delete(`t:${id}`);
		return removed;
	}

	private checkPersonaIds(ids: string[] | null | undefined): void {
		if (!ids) return;
		ids.forEach((pid, i) => {
			if (!this.personas.has(pid))
				throw new JourneyError('not_found', `personaIds[${i}]`, `no persona with id "${pid}"`);
		});
	}

	// ---------------------------------------------------------------- connections

	addConnection(input: ConnectionInput): string {
		const data = parseInput(connectionInputSchema, input);
		this.require(this.touchpoints, data.from, 'from', 'touchpoint');
		this.require(this.touchpoints, data.to, 'to', 'touchpoint');
		if (data.from === data.to)
			throw new JourneyError('invalid', 'to', 'a touchpoint cannot connect to itself');
		for (const c of this.connections.values()) {
			if (c.get('from') === data.from && c.get('to') === data.to) {
				throw new JourneyError('conflict', 'to', 'these touchpoints are already connected');
			}
		}
		if (this.connections.size >= LIMITS.connections)
			throw new JourneyError('invalid', 'connections', `at most ${LIMITS.connections}`);
		return this.transact(() => {
			const id = this.freshId(this.connections, data.id);
			const m = new Y.Map<unknown>();
			initFields(m, { from: data.from, to: data.to, kind: data.kind ?? 'main', label: data.label ?? '' });
			this.connections.set(id, m);
			return id;
		});
	}

	updateConnection(id: string, patch: ConnectionPatch): void {
		const m = this.require(this.connections, id, 'id', 'connection');
		const data = parseInput(partial({ kind: connectionFields.kind, label: connectionFields.label }), patch);
		this.transact(() => setFields(m, data));
	}

	removeConnection(id: string): void {
		this.require(this.connections, id, 'id', 'connection');
		this.transact(() => this.connections.delete(id));
	}

	// ---------------------------------------------------------------- whole document

	/**
	 * Replaces the whole content with an already validated snapshot, in one transaction
	 * (used by import and templates; see `io.ts`).
	 */
	replaceAll(data: Omit<JourneySnapshot, 'schemaVersion'>, orders: ReplaceOrders): void {
		this.transact(() => {
			this.info.clear();
			this.personas.clear();
			this.stages.clear();
			this.touchpoints.clear();
			this.connections.clear();
			const arr = placementArray(this.doc);
			if (arr.length) arr.delete(0, arr.length);
			setFields(this.info, {
				schemaVersion: CURRENT_SCHEMA_VERSION,
				title: data.title,
				description: data.description,
				owner: data.owner
			});
			const entries: { key: string; val: PlacementValue }[] = [];
			data.personas.forEach((p, i) => {
				const m = new Y.Map<unknown>();
				initFields(m, { name: p.name, description: p.description, color: p.color });
				this.personas.set(p.id, m);
				entries.push({ key: `p:${p.id}`, val: { o: orders.personas[i] } });
			});
			data.stages.forEach((s, i) => {
				const m = new Y.Map<unknown>();
				initFields(m, { title: s.title, description: s.description, group: s.group });
				this.stages.set(s.id, m);
				entries.push({ key: `s:${s.id}`, val: { o: orders.stages[i] } });
			});
			data.touchpoints.forEach((t, i) => {
				const m = new Y.Map<unknown>();
				const { id, stageId, pains, joys, keywords, products, ...scalars } = t;
				initFields(m, scalars);
				const lists = { pains, joys, keywords, products };
				for (const f of LIST_FIELDS) m.set(f, Y.Array.from(lists[f]));
				this.touchpoints.set(id, m);
				entries.push({ key: `t:${id}`, val: { o: orders.touchpoints[i], s: stageId } });
			});
			for (const c of data.connections) {
				const m = new Y.Map<unknown>();
				initFields(m, { from: c.from, to: c.to, kind: c.kind, label: c.label });
				this.connections.set(c.id, m);
			}
			// One push instead of one YKeyValue.set per entry: set() scans the array, which is quadratic here.
			arr.push(entries);
		});
	}
}

export interface ReplaceOrders {
	personas: string[];
	stages: string[];
	/** Order key of each touchpoint inside its stage. */
	touchpoints: string[];
}

// -------------------------------------------------------------------- helpers

/** Sets the fields of a map that is not in the document yet (reading it would warn). */
function initFields(m: Y.Map<unknown>, data: Record<string, unknown>): void {
	for (const [k, v] of Object.entries(data)) if (v !== undefined) m.set(k, v);
}

function setFields(m: Y.Map<unknown>, data: Record<string, unknown>): void {
	for (const [k, v] of Object.entries(data)) {
		if (v === undefined) continue;
		const old = m.get(k);
		// Writing an equal value would still add an item to the document.
		if (old === v || (Array.isArray(v) && Array.isArray(old) && sameList(old, v))) continue;
		m.set(k, v);
	}
}

function sameList(a: readonly unknown[], b: readonly unknown[]): boolean {
	return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Rewrites a Y.Array to `next` touching only the changed middle, so concurrent edits elsewhere survive. */
function applyListDiff(arr: Y.Array<string>, next: string[]): void {
	const cur = arr.toArray();
	let start = 0;
	while (start < cur.length && start < next.length && cur[start] === next[start]) start++;
	let endCur = cur.length;
	let endNext = next.length;
	while (endCur > start && endNext > start && cur[endCur - 1] === next[endNext - 1]) {
		endCur--;
		endNext--;
	}
	if (endCur > start) arr.delete(start, endCur - start);
	if (endNext > start) arr.insert(start, next.slice(start, endNext));
}

function str(v: unknown): string {
	return typeof v === 'string' ? v : '';
}

function idOrNull(v: unknown): string | null {
	return typeof v === 'string' && v !== '' ? v : null;
}

function oneOf<T extends string>(v: unknown, allowed: readonly T[], fallback: T): T {
	return allowed.includes(v as T) ? (v as T) : fallback;
}

function list(v: unknown): string[] {
	if (v instanceof Y.Array) return v.toArray().filter((x): x is string => typeof x === 'string');
	return [];
}

function readPersona(id: string, m: Y.Map<unknown>): Persona {
	return {
		id,
		name: str(m.get('name')),
		description: str(m.get('description')),
		color: str(m.get('color')) || '#6b7280'
	};
}

function readStage(id: string, m: Y.Map<unknown>): Stage {
	return {
		id,
		title: str(m.get('title')),
		description: str(m.get('description')),
		group: oneOf<StageGroup>(m.get('group'), STAGE_GROUPS, 'sale')
	};
}

function readTouchpoint(id: string, stageId: string, m: Y.Map<unknown>, personaIds: Set<string>): Touchpoint {
	const channel = oneOf<Channel>(m.get('channel'), CHANNELS, 'other');
	const online = m.get('online');
	const emotion = m.get('emotion');
	const ids = m.get('personaIds');
	const known = Array.isArray(ids)
		? ids.filter((p): p is string => typeof p === 'string' && personaIds.has(p))
		: [];
	return {
		id,
		stageId,
		title: str(m.get('title')),
		channel,
		online: typeof online === 'boolean' ? online : CHANNEL_ONLINE[channel],
		personaIds: known.length ? known : null,
		does: str(m.get('does')),
		thinks: str(m.get('thinks')),
		feels: str(m.get('feels')),
		pains: list(m.get('pains')),
		joys: list(m.get('joys')),
		emotion:
			typeof emotion === 'number' && Number.isInteger(emotion) && emotion >= -2 && emotion <= 2
				? (emotion as EmotionScore)
				: null,
		owner: idOrNull(m.get('owner')),
		keywords: list(m.get('keywords')),
		products: list(m.get('products')),
		notes: str(m.get('notes'))
	};
}

function readConnection(id: string, m: Y.Map<unknown>): Connection {
	return {
		id,
		from: str(m.get('from')),
		to: str(m.get('to')),
		kind: oneOf<ConnectionKind>(m.get('kind'), CONNECTION_KINDS, 'main'),
		label: str(m.get('label'))
	};
}
