import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { openJourney } from './document';

/** Bytes a new client downloads to load the document. */
const size = (doc: Y.Doc) => Y.encodeStateAsUpdate(doc).byteLength;

/** Two replicas that see each other's updates at once, with one stage of five touchpoints. */
function twoEditors() {
	const a = new Y.Doc();
	const b = new Y.Doc();
	a.on('update', (u: Uint8Array, o: unknown) => o !== 'remote' && Y.applyUpdate(b, u, 'remote'));
	b.on('update', (u: Uint8Array, o: unknown) => o !== 'remote' && Y.applyUpdate(a, u, 'remote'));
	const ja = openJourney(a);
	const jb = openJourney(b);
	const s = ja.addStage({ title: 'S', group: 'sale' });
	const ids = Array.from({ length: 5 }, (_, i) => ja.addTouchpoint(s, { title: `t${i}` }));
	return { a, ja, jb, s, ids };
}

describe('document size under frequent moves', () => {
	it('stays small after 10,000 moves of alternating touchpoints across stages', () => {
		const doc = new Y.Doc();
		const j = openJourney(doc);
		const stages = ['A', 'B', 'C'].map((title) => j.addStage({ title, group: 'sale' }));
		const touchpoints = Array.from({ length: 20 }, (_, i) =>
			j.addTouchpoint(stages[i % 3], { title: `t${i}` })
		);
		const before = size(doc);
		let seed = 1;
		const rand = (n: number) => (seed = (seed * 48271) % 2147483647) % n;
		for (let i = 0; i < 10_000; i++) {
			const stageId = stages[rand(3)];
			const id = touchpoints[i % touchpoints.length];
			// The index counts the other touchpoints of the target stage.
			const others = j.snapshot().touchpoints.filter((t) => t.stageId === stageId && t.id !== id).length;
			j.moveTouchpoint(id, stageId, rand(others + 1));
		}
		const after = size(doc);
		console.info(`journey doc: ${before} bytes before, ${after} bytes after 10,000 moves`);
		// What a plain Y.Map of positions would weigh after the same number of alternating writes.
		const naive = new Y.Doc();
		const positions = naive.getMap<{ o: string; s: string }>('positions');
		for (let i = 0; i < 10_000; i++)
			positions.set(touchpoints[i % touchpoints.length], { o: String(i), s: stages[i % 3] });
		console.info(`same writes to a Y.Map: ${size(naive)} bytes`);
		expect(after).toBeLessThan(before + 2_000);
		expect(size(naive)).toBeGreaterThan(after * 5);
		// A new replica loaded from that state sees the same journey.
		const copy = new Y.Doc();
		Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
		expect(openJourney(copy).snapshot()).toEqual(j.snapshot());
	});

	it('stays small when two people drag the same touchpoints in turn', () => {
		const { a, ja, jb, s, ids } = twoEditors();
		const before = size(a);
		// 500 drags of 20 position updates each, by one person then the other: 10,000 moves.
		for (let drag = 0; drag < 500; drag++) {
			const who = drag % 2 ? ja : jb;
			for (let step = 0; step < 20; step++) who.moveTouchpoint(ids[(drag + step) % 5], s, step % 4);
		}
		expect(ja.snapshot()).toEqual(jb.snapshot());
		const after = size(a);
		console.info(`two editors: ${before} bytes before, ${after} bytes after 10,000 moves in 500 drags`);
		// What remains of a move is its id; a change of hands costs a few bytes, a move within a drag nothing.
		expect(after - before).toBeLessThan(500 * 12);
	});

	it('costs a bounded number of bytes per move in the worst case (every move by another replica)', () => {
		const { a, ja, jb, s, ids } = twoEditors();
		const before = size(a);
		for (let i = 0; i < 2_000; i++) (i % 2 ? ja : jb).moveTouchpoint(ids[i % 5], s, i % 3);
		expect(ja.snapshot()).toEqual(jb.snapshot());
		const perMove = (size(a) - before) / 2_000;
		console.info(`worst case: ${perMove.toFixed(1)} bytes per move`);
		expect(perMove).toBeLessThan(12);
	});
});
