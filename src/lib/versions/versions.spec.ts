import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { openJourney } from '../journey';
import {
	CLEAN,
	compareWithCurrent,
	diffJourneys,
	isEmptyDiff,
	parseKeepCount,
	parseTiming,
	recordEdit,
	restoreUpdate,
	sameContent,
	snapshotOf,
	versionDueAt,
	versionsToDelete
} from './index';

function journey() {
	const doc = new Y.Doc();
	const j = openJourney(doc);
	const s1 = j.addStage({ title: 'Discover', group: 'pre-sale' });
	const s2 = j.addStage({ title: 'Buy', group: 'sale' });
	const a = j.addTouchpoint(s1, { title: 'Ad', channel: 'web' });
	const b = j.addTouchpoint(s1, { title: 'Search' });
	const c = j.addTouchpoint(s2, { title: 'Checkout' });
	return { doc, j, s1, s2, a, b, c };
}

const state = (doc: Y.Doc) => Y.encodeStateAsUpdate(doc);

describe('diffJourneys', () => {
	it('lists added, removed and changed touchpoints with the changed fields; a move is a change', () => {
		const { doc, j, s2, a, b, c } = journey();
		const before = j.snapshot();
		j.updateTouchpoint(a, { title: 'Banner ad', emotion: -1 });
		j.moveTouchpoint(b, s2, 0);
		j.removeTouchpoint(c);
		const d = j.addTouchpoint(s2, { title: 'Delivery' });
		const diff = diffJourneys(before, j.snapshot());
		expect(diff.touchpoints).toEqual([
			{ id: a, title: 'Banner ad', kind: 'changed', fields: ['title', 'emotion'] },
			{ id: b, title: 'Search', kind: 'changed', fields: ['stageId'] },
			{ id: d, title: 'Delivery', kind: 'added', fields: [] },
			{ id: c, title: 'Checkout', kind: 'removed', fields: [] }
		]);
		expect(diff.stages).toEqual([]);
		doc.destroy();
	});

	it('is empty between equal states and names other changes', () => {
		const { doc, j, s1 } = journey();
		const before = j.snapshot();
		expect(isEmptyDiff(diffJourneys(before, j.snapshot()))).toBe(true);
		j.updateJourney({ title: 'New title' });
		j.updateStage(s1, { title: 'Awareness' });
		const diff = diffJourneys(before, j.snapshot());
		expect(diff.other).toEqual(['title']);
		expect(diff.stages).toEqual([{ id: s1, title: 'Awareness', kind: 'changed', fields: ['title'] }]);
		doc.destroy();
	});
});

describe('automatic version policy', () => {
	const timing = { quietMs: 300, maxIntervalMs: 3600 };
	it('is due a quiet period after the last edit, at the latest max interval after the first', () => {
		expect(versionDueAt(CLEAN, timing)).toBeNull();
		let clock = recordEdit(CLEAN, 1000);
		expect(versionDueAt(clock, timing)).toBe(1300);
		clock = recordEdit(clock, 1200);
		expect(versionDueAt(clock, timing)).toBe(1500);
		// Edits every 200 ms never leave 300 ms of quiet: the max interval decides.
		for (let t = 1400; t < 6000; t += 200) clock = recordEdit(clock, t);
		expect(versionDueAt(clock, timing)).toBe(4600);
	});

	it('reads timings from strings, keeping defaults for bad values', () => {
		expect(parseTiming('50', '200')).toEqual({ quietMs: 50, maxIntervalMs: 200 });
		expect(parseTiming('x', '-1', timing)).toEqual(timing);
		expect(parseTiming(undefined, '', timing)).toEqual(timing);
	});
});

describe('retention', () => {
	const at = (n: number) => new Date(2026, 0, 1, 0, n);
	it('keeps the newest server-made versions and every named one', () => {
		const versions = [
			{ id: 'a1', kind: 'auto' as const, createdAt: at(1) },
			{ id: 'n1', kind: 'named' as const, createdAt: at(2) },
			{ id: 'a2', kind: 'auto' as const, createdAt: at(3) },
			{ id: 'r1', kind: 'before-restore' as const, createdAt: at(4) },
			{ id: 'a3', kind: 'auto' as const, createdAt: at(5) },
			{ id: 'n2', kind: 'named' as const, createdAt: at(0) }
		];
		expect(versionsToDelete(versions, 2).sort()).toEqual(['a1', 'a2']);
		expect(versionsToDelete(versions, 10)).toEqual([]);
		expect(versionsToDelete(versions, 1).sort()).toEqual(['a1', 'a2', 'r1']);
	});

	it('accepts keep counts from 1 to 1000 only', () => {
		expect(parseKeepCount('50')).toBe(50);
		expect(parseKeepCount(' 1000 ')).toBe(1000);
		for (const bad of ['0', '1001', '2.5', '-3', 'ten', '', null]) expect(parseKeepCount(bad)).toBeNull();
	});
});

describe('restore and compare', () => {
	it('restores a version as an update on top, ids kept, for a peer holding the current state', () => {
		const { doc, j, s2, a, c } = journey();
		const version = state(doc);
		const wanted = j.snapshot();
		j.updateTouchpoint(a, { title: 'Changed' });
		j.removeTouchpoint(c);
		j.addTouchpoint(s2, { title: 'New' });
		const peer = new Y.Doc();
		Y.applyUpdate(peer, state(doc));
		const update = restoreUpdate(state(doc), version)!;
		Y.applyUpdate(doc, update);
		Y.applyUpdate(peer, update);
		expect(sameContent(j.snapshot(), wanted)).toBe(true);
		expect(sameContent(snapshotOf(state(peer)), wanted)).toBe(true);
		expect(restoreUpdate(state(doc), version)).toBeNull();
		doc.destroy();
		peer.destroy();
	});

	it('shows removed cards back in their stage for a comparison', () => {
		const { doc, j, s1, a, b } = journey();
		const version = state(doc);
		j.removeTouchpoint(a);
		j.removeStage(j.snapshot().stages[1].id);
		const cmp = compareWithCurrent(version, state(doc));
		const shown = snapshotOf(cmp.state);
		expect(shown.touchpoints.map((t) => t.title)).toEqual(['Ad', 'Search', 'Checkout']);
		expect(shown.touchpoints[0].stageId).toBe(s1);
		expect(shown.touchpoints[1].id).toBe(b);
		expect(cmp.diff.touchpoints.map((t) => [t.title, t.kind])).toEqual([
			['Ad', 'removed'],
			['Checkout', 'removed']
		]);
		expect(cmp.diff.stages.map((s) => [s.title, s.kind])).toEqual([['Buy', 'removed']]);
		doc.destroy();
	});
});
