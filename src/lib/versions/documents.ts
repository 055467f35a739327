/**
 * Versions as Yjs states: reading one, the update that restores one, and the state shown when one is
 * compared with the current map. Yjs cannot go back in history, so a restore is a new update on top of
 * the current state whose result has the version's content.
 */
import * as Y from 'yjs';
import { openJourney, orderKeys, type JourneyDocument, type JourneySnapshot } from '../journey';
import { diffJourneys, sameContent, type JourneyDiff } from './diff';

export function snapshotOf(state: Uint8Array): JourneySnapshot {
	const doc = new Y.Doc();
	try {
		Y.applyUpdate(doc, state);
		const jd = openJourney(doc);
		const snap = jd.snapshot();
		jd.destroy();
		return snap;
	} finally {
		doc.destroy();
	}
}

/**
 * The update that turns `current` into the content of `version`, or null when they already show the
 * same journey. Every item is rewritten (the model's `replaceAll`, ids kept), so an edit made offline
 * to an item before the restore lands on the replaced item and is lost; items added offline survive.
 */
export function restoreUpdate(current: Uint8Array, version: Uint8Array): Uint8Array | null {
	const target = new Y.Doc();
	const doc = new Y.Doc();
	try {
		Y.applyUpdate(target, version);
		Y.applyUpdate(doc, current);
		const jd = openJourney(doc);
		const wanted = openJourney(target);
		if (sameContent(jd.snapshot(), wanted.snapshot())) return null;
		const before = Y.encodeStateVector(doc);
		replaceWith(jd, wanted.snapshot());
		return Y.encodeStateAsUpdate(doc, before);
	} finally {
		target.destroy();
		doc.destroy();
	}
}

/**
 * The version's own content, unvalidated: it was a valid state of this journey (an import's checks,
 * such as a non-empty title, must not make an old version unrestorable).
 */
function replaceWith(jd: JourneyDocument, snap: JourneySnapshot): void {
	const { schemaVersion: _v, ...data } = snap;
	const touchpoints: string[] = [];
	for (const s of snap.stages) {
		const n = snap.touchpoints.filter((t) => t.stageId === s.id).length;
		touchpoints.push(...orderKeys(null, null, n));
	}
	jd.replaceAll(data, {
		personas: orderKeys(null, null, snap.personas.length),
		stages: orderKeys(null, null, snap.stages.length),
		touchpoints
	});
}

export interface Comparison {
	diff: JourneyDiff;
	/**
	 * The current map with what the version had and the current map lost put back (at its place in the
	 * version), so removed cards can be shown ghosted among the others.
	 */
	state: Uint8Array;
}

export function compareWithCurrent(version: Uint8Array, current: Uint8Array): Comparison {
	const old = snapshotOf(version);
	const doc = new Y.Doc();
	try {
		Y.applyUpdate(doc, current);
		const jd = openJourney(doc);
		const diff = diffJourneys(old, jd.snapshot());
		const removedStages = new Set(diff.stages.filter((c) => c.kind === 'removed').map((c) => c.id));
		const removedTouchpoints = new Set(diff.touchpoints.filter((c) => c.kind === 'removed').map((c) => c.id));
		old.stages.forEach((s, i) => {
			if (!removedStages.has(s.id)) return;
			const ids = jd.snapshot().stages.map((x) => x.id);
			const prev = old.stages
				.slice(0, i)
				.map((x) => ids.indexOf(x.id))
				.filter((k) => k >= 0)
				.at(-1);
			tryAdd(() => jd.addStage({ ...s }, { index: prev === undefined ? 0 : prev + 1 }));
		});
		for (const t of old.touchpoints) {
			if (!removedTouchpoints.has(t.id)) continue;
			const snap = jd.snapshot();
			if (!snap.stages.some((s) => s.id === t.stageId)) continue;
			const siblings = snap.touchpoints.filter((x) => x.stageId === t.stageId).map((x) => x.id);
			const before = old.touchpoints.filter((x) => x.stageId === t.stageId);
			const prev = before
				.slice(
					0,
					before.findIndex((x) => x.id === t.id)
				)
				.map((x) => siblings.indexOf(x.id))
				.filter((k) => k >= 0)
				.at(-1);
			const { id, stageId, ...fields } = t;
			const personas = new Set(snap.personas.map((p) => p.id));
			const personaIds = fields.personaIds?.filter((p) => personas.has(p)) ?? [];
			tryAdd(() =>
				jd.addTouchpoint(
					stageId,
					{ ...fields, id, personaIds: personaIds.length ? personaIds : null },
					{ index: prev === undefined ? 0 : prev + 1 }
				)
			);
		}
		jd.destroy();
		return { diff, state: Y.encodeStateAsUpdate(doc) };
	} finally {
		doc.destroy();
	}
}

/** A removed item that cannot be put back (e.g. over a limit) is still listed in the diff. */
function tryAdd(fn: () => unknown): void {
	try {
		fn();
	} catch {
		// listed only
	}
}
