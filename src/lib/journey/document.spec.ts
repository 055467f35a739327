import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { JourneyDocument, openJourney } from './document';
import { JourneyError } from './errors';
import type { JourneySnapshot } from './types';

function fresh() {
	const doc = new Y.Doc();
	return { doc, j: openJourney(doc) };
}

/** Two replicas that exchange every update, as two browsers through the server would. */
function pair() {
	const a = new Y.Doc();
	const b = new Y.Doc();
	let paused = false;
	const queue: [Y.Doc, Uint8Array][] = [];
	a.on('update', (u: Uint8Array, origin: unknown) => origin !== 'remote' && queue.push([b, u]));
	b.on('update', (u: Uint8Array, origin: unknown) => origin !== 'remote' && queue.push([a, u]));
	const flush = () => {
		while (!paused && queue.length) {
			const [target, u] = queue.shift()!;
			Y.applyUpdate(target, u, 'remote');
		}
	};
	return {
		a: openJourney(a),
		b: openJourney(b),
		offline: () => (paused = true),
		online: () => {
			paused = false;
			flush();
		},
		flush
	};
}

function thrown(fn: () => unknown): JourneyError {
	try {
		fn();
	} catch (e) {
		if (e instanceof JourneyError) return e;
		throw e;
	}
	throw new Error('expected a JourneyError');
}

describe('journey operations', () => {
	it('build a journey and render it in order', () => {
		const { j } = fresh();
		j.updateJourney({ title: 'Trip', description: 'd', owner: 'user-1' });
		const p1 = j.addPersona({ name: 'Claire', description: '', color: '#112233' });
		const buy = j.addStage({ title: 'Buy', group: 'sale' });
		const discover = j.addStage({ title: 'Discover', group: 'pre-sale' }, { index: 0 });
		const t1 = j.addTouchpoint(buy, { title: 'Pay', channel: 'web' });
		const t0 = j.addTouchpoint(buy, { title: 'Cart', channel: 'web' }, { index: 0 });
		const t2 = j.addTouchpoint(discover, {
			title: 'Ad',
			channel: 'store',
			personaIds: [p1],
			emotion: -2,
			pains: ['loud']
		});
		const c = j.addConnection({ from: t2, to: t0, kind: 'alternative', label: 'x' });

		const s = j.snapshot();
		expect(s.title).toBe('Trip');
		expect(s.owner).toBe('user-1');
		expect(s.stages.map((x) => x.title)).toEqual(['Discover', 'Buy']);
		expect(s.touchpoints.map((x) => x.id)).toEqual([t2, t0, t1]);
		const ad = s.touchpoints[0];
		expect(ad).toMatchObject({
			channel: 'store',
			online: false,
			personaIds: [p1],
			emotion: -2,
			pains: ['loud'],
			joys: []
		});
		expect(s.touchpoints[1]).toMatchObject({ online: true, personaIds: null, emotion: null, owner: null });
		expect(s.connections).toEqual([{ id: c, from: t2, to: t0, kind: 'alternative', label: 'x' }]);
	});

	it('move touchpoints inside and across stages, and stages and personas', () => {
		const { j } = fresh();
		const s1 = j.addStage({ title: 'A', group: 'pre-sale' });
		const s2 = j.addStage({ title: 'B', group: 'sale' });
		const [a, b, c] = ['a', 'b', 'c'].map((title) => j.addTouchpoint(s1, { title }));
		j.moveTouchpoint(c, s1, 0);
		expect(j.snapshot().touchpoints.map((t) => t.title)).toEqual(['c', 'a', 'b']);
		j.moveTouchpoint(a, s2);
		expect(j.snapshot().touchpoints.map((t) => [t.title, t.stageId])).toEqual([
			['c', s1],
			['b', s1],
			['a', s2]
		]);
		j.moveTouchpoint(b, s1, 0);
		expect(j.snapshot().touchpoints.map((t) => t.id)).toEqual([b, c, a]);
		j.moveStage(s2, 0);
		expect(j.snapshot().stages.map((s) => s.id)).toEqual([s2, s1]);
		expect(j.snapshot().touchpoints.map((t) => t.id)).toEqual([a, b, c]);
		const p = ['x', 'y', 'z'].map((name) => j.addPersona({ name, description: '', color: '#000000' }));
		j.movePersona(p[2], 0);
		expect(j.snapshot().personas.map((x) => x.name)).toEqual(['z', 'x', 'y']);
	});

	it('update fields and lists', () => {
		const { j } = fresh();
		const s = j.addStage({ title: 'A', group: 'after-sale' });
		const t = j.addTouchpoint(s, { title: 'Call', channel: 'phone', pains: ['wait', 'transfer'] });
		const patch = {
			pains: ['wait', 'rude', 'transfer'],
			joys: ['fixed'],
			emotion: 1,
			owner: 'u-2',
			notes: 'n',
			does: 'd',
			thinks: 'th',
			feels: 'f',
			keywords: ['k'],
			products: ['p'],
			online: true
		} as const;
		j.updateTouchpoint(t, {
			...patch,
			pains: [...patch.pains],
			joys: [...patch.joys],
			keywords: ['k'],
			products: ['p']
		});
		expect(j.snapshot().touchpoints[0]).toMatchObject(patch);
		j.updateStage(s, { title: 'Help', group: 'sale', description: 'x' });
		expect(j.snapshot().stages[0]).toMatchObject({ title: 'Help', group: 'sale', description: 'x' });
	});

	it('reject bad input with an error that names the field, and change nothing', () => {
		const { doc, j } = fresh();
		const s = j.addStage({ title: 'A', group: 'sale' });
		const t = j.addTouchpoint(s, { title: 'T' });
		const before = Y.encodeStateAsUpdate(doc);
		expect(thrown(() => j.updateTouchpoint(t, { emotion: 3 as never })).field).toBe('emotion');
		expect(thrown(() => j.updateTouchpoint(t, { emotion: 0.5 as never })).field).toBe('emotion');
		expect(thrown(() => j.updateTouchpoint(t, { channel: 'fax' as never })).field).toBe('channel');
		expect(thrown(() => j.updateTouchpoint(t, { pains: ['ok', ''] })).field).toBe('pains[1]');
		expect(thrown(() => j.updateTouchpoint(t, { personaIds: ['nobody'] })).field).toBe('personaIds[0]');
		expect(thrown(() => j.updateTouchpoint(t, { colour: 'red' } as never)).field).toBe('colour');
		expect(thrown(() => j.addTouchpoint(s, { title: '   ' })).field).toBe('title');
		expect(thrown(() => j.addTouchpoint('missing', { title: 'x' }))).toMatchObject({
			code: 'not_found',
			field: 'stageId'
		});
		expect(thrown(() => j.addStage({ title: 'B', group: 'during' as never })).field).toBe('group');
		expect(thrown(() => j.addStage({ title: 'B', group: 'sale', id: s }))).toMatchObject({
			code: 'conflict',
			field: 'id'
		});
		expect(thrown(() => j.addPersona({ name: 'P', description: '', color: 'red' })).field).toBe('color');
		expect(thrown(() => j.addConnection({ from: t, to: t })).field).toBe('to');
		expect(thrown(() => j.addConnection({ from: t, to: 'nope' }))).toMatchObject({
			code: 'not_found',
			field: 'to'
		});
		expect(thrown(() => j.moveTouchpoint(t, s, 5)).field).toBe('index');
		expect(thrown(() => j.moveStage(s, -1)).field).toBe('index');
		expect(thrown(() => j.updateJourney({ title: 'x'.repeat(201) })).field).toBe('title');
		expect(Y.encodeStateAsUpdate(doc)).toEqual(before);
	});

	it('refuse a second connection between the same touchpoints', () => {
		const { j } = fresh();
		const s = j.addStage({ title: 'A', group: 'sale' });
		const [a, b] = ['a', 'b'].map((title) => j.addTouchpoint(s, { title }));
		j.addConnection({ from: a, to: b });
		expect(thrown(() => j.addConnection({ from: a, to: b })).code).toBe('conflict');
		// The way back is another path, not a duplicate.
		expect(j.addConnection({ from: b, to: a })).toBeTypeOf('string');
	});

	it('remove touchpoints with their connections, stages with their touchpoints, personas from touchpoints', () => {
		const { j } = fresh();
		const p1 = j.addPersona({ name: 'A', description: '', color: '#000000' });
		const p2 = j.addPersona({ name: 'B', description: '', color: '#000000' });
		const s1 = j.addStage({ title: 'S1', group: 'sale' });
		const s2 = j.addStage({ title: 'S2', group: 'sale' });
		const a = j.addTouchpoint(s1, { title: 'a', personaIds: [p1] });
		const b = j.addTouchpoint(s1, { title: 'b', personaIds: [p1, p2] });
		const c = j.addTouchpoint(s2, { title: 'c' });
		const ab = j.addConnection({ from: a, to: b });
		const bc = j.addConnection({ from: b, to: c });
		expect(j.connectionsOf(b).sort()).toEqual([ab, bc].sort());
		expect(j.removeTouchpoint(a)).toEqual([ab]);
		expect(j.snapshot().connections.map((x) => x.id)).toEqual([bc]);
		j.removePersona(p1);
		expect(j.snapshot().touchpoints.find((t) => t.id === b)!.personaIds).toEqual([p2]);
		j.removePersona(p2);
		expect(j.snapshot().touchpoints.find((t) => t.id === b)!.personaIds).toBeNull();
		expect(j.removeStage(s1)).toEqual({ touchpoints: [b], connections: [bc] });
		expect(j.snapshot().touchpoints.map((t) => t.id)).toEqual([c]);
		expect(j.snapshot().connections).toEqual([]);
	});

	it('notify subscribers with a new snapshot on every change, local or remote', () => {
		const { a, b, flush } = pair();
		const seen: { snapshot: JourneySnapshot; local?: boolean }[] = [];
		const stop = b.subscribe((snapshot, change) => seen.push({ snapshot, local: change?.local }));
		expect(seen).toHaveLength(1);
		const s = a.addStage({ title: 'Remote', group: 'sale' });
		flush();
		expect(seen.at(-1)!.snapshot.stages.map((x) => x.id)).toEqual([s]);
		expect(seen.at(-1)!.local).toBe(false);
		b.updateStage(s, { title: 'Local' });
		expect(seen.at(-1)!.snapshot.stages[0].title).toBe('Local');
		expect(seen.at(-1)!.local).toBe(true);
		// Snapshots are immutable values: the first one did not change.
		expect(seen[0].snapshot.stages).toEqual([]);
		stop();
		const n = seen.length;
		b.updateStage(s, { title: 'Again' });
		expect(seen).toHaveLength(n);
	});

	it('use its own transaction origin, for an undo manager that tracks only local operations', () => {
		const doc = new Y.Doc();
		const j = new JourneyDocument(doc);
		const undo = new Y.UndoManager(
			[doc.getMap('stages'), doc.getMap('touchpoints'), doc.getArray('placement')],
			{
				trackedOrigins: new Set([j])
			}
		);
		const s = j.addStage({ title: 'A', group: 'sale' });
		undo.stopCapturing();
		j.updateStage(s, { title: 'B' });
		undo.undo();
		expect(j.snapshot().stages[0].title).toBe('A');
		undo.undo();
		expect(j.snapshot().stages).toEqual([]);
	});
});

describe('concurrent editing', () => {
	it('converges after concurrent edits, keeping additions of both sides to one list', () => {
		const { a, b, offline, online } = pair();
		const s = a.addStage({ title: 'S', group: 'sale' });
		const t = a.addTouchpoint(s, { title: 'T', pains: ['one'] });
		online();
		offline();
		a.updateTouchpoint(t, { pains: ['one', 'from a'], title: 'A title' });
		b.updateTouchpoint(t, { pains: ['from b', 'one'], emotion: -1 });
		const ta = a.addTouchpoint(s, { title: 'new a' }, { index: 0 });
		const tb = b.addTouchpoint(s, { title: 'new b' }, { index: 0 });
		online();
		expect(a.snapshot()).toEqual(b.snapshot());
		const tp = a.snapshot().touchpoints.find((x) => x.id === t)!;
		expect(tp.pains).toEqual(['from b', 'one', 'from a']);
		expect(tp).toMatchObject({ title: 'A title', emotion: -1 });
		expect(
			a
				.snapshot()
				.touchpoints.map((x) => x.id)
				.slice(0, 2)
				.sort()
		).toEqual([ta, tb].sort());
	});

	it('converges when the same touchpoint is moved on both sides', () => {
		const { a, b, offline, online } = pair();
		const s1 = a.addStage({ title: 'S1', group: 'sale' });
		const s2 = a.addStage({ title: 'S2', group: 'sale' });
		const t = a.addTouchpoint(s1, { title: 'T' });
		online();
		offline();
		a.moveTouchpoint(t, s2);
		b.moveTouchpoint(t, s1, 0);
		online();
		expect(a.snapshot()).toEqual(b.snapshot());
		expect(a.snapshot().touchpoints).toHaveLength(1);
	});

	it('keeps a touchpoint added to a stage that someone else removed', () => {
		const { a, b, offline, online } = pair();
		const s1 = a.addStage({ title: 'S1', group: 'sale' });
		const s2 = a.addStage({ title: 'S2', group: 'sale' });
		online();
		offline();
		a.removeStage(s2);
		const t = b.addTouchpoint(s2, { title: 'orphan' });
		online();
		expect(a.snapshot()).toEqual(b.snapshot());
		expect(a.snapshot().touchpoints.map((x) => [x.id, x.stageId])).toEqual([[t, s1]]);
	});

	it('hides a connection whose touchpoint was removed concurrently', () => {
		const { a, b, offline, online } = pair();
		const s = a.addStage({ title: 'S', group: 'sale' });
		const [x, y] = ['x', 'y'].map((title) => a.addTouchpoint(s, { title }));
		online();
		offline();
		a.removeTouchpoint(y);
		b.addConnection({ from: x, to: y });
		online();
		expect(a.snapshot()).toEqual(b.snapshot());
		expect(a.snapshot().connections).toEqual([]);
	});
});
