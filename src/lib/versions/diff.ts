/**
 * What changed between two states of a journey: stages and touchpoints added, removed or changed, with
 * the fields that changed. A touchpoint moved to another stage counts as changed (field `stageId`).
 */
import type { JourneySnapshot, Stage, Touchpoint } from '../journey';

export type ChangeKind = 'added' | 'removed' | 'changed';

export interface ItemChange {
	id: string;
	/** The title in the newer state (the older one for a removed item). */
	title: string;
	kind: ChangeKind;
	/** Changed fields (`changed` only), in the model's field order. */
	fields: string[];
}

export interface JourneyDiff {
	stages: ItemChange[];
	touchpoints: ItemChange[];
	/** Journey title, description, owner; personas and connections, named when any differs. */
	other: string[];
}

const TOUCHPOINT_FIELDS: (keyof Touchpoint)[] = [
	'stageId',
	'title',
	'channel',
	'online',
	'personaIds',
	'does',
	'thinks',
	'feels',
	'pains',
	'joys',
	'emotion',
	'owner',
	'keywords',
	'products',
	'notes'
];
const STAGE_FIELDS: (keyof Stage)[] = ['title', 'description', 'group'];

function same(a: unknown, b: unknown): boolean {
	return a === b || JSON.stringify(a) === JSON.stringify(b);
}

function diffItems<T extends { id: string; title: string }>(
	from: T[],
	to: T[],
	fields: (keyof T)[]
): ItemChange[] {
	const before = new Map(from.map((x) => [x.id, x]));
	const after = new Set(to.map((x) => x.id));
	const out: ItemChange[] = [];
	for (const x of to) {
		const old = before.get(x.id);
		if (!old) {
			out.push({ id: x.id, title: x.title, kind: 'added', fields: [] });
			continue;
		}
		const changed = fields.filter((f) => !same(old[f], x[f])).map(String);
		if (changed.length) out.push({ id: x.id, title: x.title, kind: 'changed', fields: changed });
	}
	for (const x of from) {
		if (!after.has(x.id)) out.push({ id: x.id, title: x.title, kind: 'removed', fields: [] });
	}
	return out;
}

/** Changes that lead from `from` (e.g. a version) to `to` (e.g. the current map). */
export function diffJourneys(from: JourneySnapshot, to: JourneySnapshot): JourneyDiff {
	const other: string[] = [];
	for (const f of ['title', 'description', 'owner'] as const) if (!same(from[f], to[f])) other.push(f);
	if (!same(from.personas, to.personas)) other.push('personas');
	if (!same(from.connections, to.connections)) other.push('connections');
	return {
		stages: diffItems(from.stages, to.stages, STAGE_FIELDS),
		touchpoints: diffItems(from.touchpoints, to.touchpoints, TOUCHPOINT_FIELDS),
		other
	};
}

export function isEmptyDiff(d: JourneyDiff): boolean {
	return d.stages.length === 0 && d.touchpoints.length === 0 && d.other.length === 0;
}

/**
 * True when two states show the same journey, order included (a reorder inside a stage is not listed
 * by the diff but is a change worth a version).
 */
export function sameContent(a: JourneySnapshot, b: JourneySnapshot): boolean {
	return JSON.stringify(a) === JSON.stringify(b);
}

export function countChanges(changes: ItemChange[]): Record<ChangeKind, number> {
	const n = { added: 0, removed: 0, changed: 0 };
	for (const c of changes) n[c.kind]++;
	return n;
}
