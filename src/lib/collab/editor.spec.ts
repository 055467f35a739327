import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { openJourney, ROOT } from '$lib/journey';
import { EditorState } from './editor.svelte';
import type { JourneySession } from './session.svelte';

/**
 * The editor's commands over a real journey document and undo manager; only the network parts of the
 * session (socket, IndexedDB, awareness) are left out, they are covered by the Playwright tests.
 */
function setup(readOnly = false) {
	const doc = new Y.Doc();
	const origin = { session: true };
	const journey = openJourney(doc, { origin });
	const undoManager = new Y.UndoManager(
		[
			doc.getMap(ROOT.stages),
			doc.getMap(ROOT.touchpoints),
			doc.getMap(ROOT.connections),
			doc.getArray(ROOT.placement)
		],
		{ trackedOrigins: new Set([origin]) }
	);
	const selections: string[][] = [];
	const session = {
		doc,
		origin,
		journey,
		readOnly,
		get snapshot() {
			return journey.snapshot();
		},
		presence: { setSelection: (ids: string[]) => selections.push(ids) },
		batch<T>(fn: (j: typeof journey) => T): T {
			let out!: T;
			doc.transact(() => (out = fn(journey)), origin);
			return out;
		},
		stopCapturing: () => undoManager.stopCapturing(),
		group<T>(fn: (j: typeof journey) => T): T {
			undoManager.stopCapturing();
			const out = fn(journey);
			undoManager.stopCapturing();
			return out;
		},
		undo: () => undoManager.undo(),
		redo: () => undoManager.redo()
	} as unknown as JourneySession;
	const editor = new EditorState(session, { newTouchpoint: 'New touchpoint', newStage: 'New stage' });
	// What the test sets up is not the user's to undo.
	const ready = () => undoManager.clear();
	return { doc, journey, editor, selections, ready };
}

const titles = (j: ReturnType<typeof openJourney>, stageId: string) =>
	j
		.snapshot()
		.touchpoints.filter((t) => t.stageId === stageId)
		.map((t) => t.title);

describe('editor commands', () => {
	it('moves a block of cards to a place counted among the cards that stay', () => {
		const { journey: j, editor, ready } = setup();
		const s = j.addStage({ title: 'S', group: 'sale' });
		const other = j.addStage({ title: 'O', group: 'sale' });
		const [a, b] = ['A', 'B', 'C', 'D'].map((t) => j.addTouchpoint(s, { title: t }));
		ready();
		editor.moveTouchpoints([b, a], s, 2); // after C and D
		expect(titles(j, s)).toEqual(['C', 'D', 'A', 'B']);
		editor.moveTouchpoints([a, b], s, 1); // between C and D
		expect(titles(j, s)).toEqual(['C', 'A', 'B', 'D']);
		editor.moveTouchpoints([a, b], other, 0);
		expect(titles(j, s)).toEqual(['C', 'D']);
		expect(titles(j, other)).toEqual(['A', 'B']);
		editor.undo();
		expect(titles(j, s)).toEqual(['C', 'A', 'B', 'D']);
	});

	it('adds a touchpoint after the selected one and selects it; nudges it with the keyboard', () => {
		const { journey: j, editor, selections } = setup();
		const s1 = j.addStage({ title: 'S1', group: 'pre-sale' });
		const s2 = j.addStage({ title: 'S2', group: 'sale' });
		const a = j.addTouchpoint(s1, { title: 'A' });
		j.addTouchpoint(s1, { title: 'B' });
		editor.select({ touchpoints: [a] });
		const id = editor.addTouchpoint()!;
		expect(titles(j, s1)).toEqual(['A', 'New touchpoint', 'B']);
		expect(editor.selection.touchpoints).toEqual([id]);
		expect(selections.at(-1)).toEqual([id]);
		editor.nudge('down');
		expect(titles(j, s1)).toEqual(['A', 'B', 'New touchpoint']);
		editor.nudge('right');
		expect(titles(j, s2)).toEqual(['New touchpoint']);
		editor.nudge('right'); // no stage after the last one
		expect(titles(j, s2)).toEqual(['New touchpoint']);
	});

	it('asks the new card’s panel to focus its title once: the request ends when honoured or on another selection', () => {
		const { journey: j, editor } = setup();
		const s1 = j.addStage({ title: 'S1', group: 'pre-sale' });
		const id = editor.addTouchpoint(s1)!;
		const n = editor.focusFor(id, 'title');
		expect(n).toBeGreaterThan(0);
		// The panel's field took the focus: later redraws must not take it back from elsewhere.
		editor.focusDone();
		expect(editor.focusFor(id, 'title')).toBe(0);
		editor.requestFocus('title');
		expect(editor.focusFor(id, 'title')).toBeGreaterThan(n);
		editor.select({});
		expect(editor.focusFor(id, 'title')).toBe(0);
	});

	it('asks before deleting, listing the connections that go, and deletes in one undo step', () => {
		const { journey: j, editor, ready } = setup();
		const s = j.addStage({ title: 'S', group: 'sale' });
		const a = j.addTouchpoint(s, { title: 'A' });
		const b = j.addTouchpoint(s, { title: 'B' });
		const c = j.addTouchpoint(s, { title: 'C' });
		j.addConnection({ from: a, to: b });
		j.addConnection({ from: b, to: c, kind: 'alternative' });
		ready();
		editor.select({ touchpoints: [b] });
		editor.requestDelete();
		expect(j.snapshot().touchpoints).toHaveLength(3);
		expect(editor.pendingDelete!.touchpoints).toEqual([{ id: b, title: 'B' }]);
		expect(editor.pendingDelete!.connections).toHaveLength(2);
		expect(editor.pendingDelete!.connections).toEqual(
			expect.arrayContaining([
				expect.objectContaining({ from: 'A', to: 'B', kind: 'main' }),
				expect.objectContaining({ from: 'B', to: 'C', kind: 'alternative' })
			])
		);
		editor.confirmDelete();
		expect(titles(j, s)).toEqual(['A', 'C']);
		expect(j.snapshot().connections).toHaveLength(0);
		expect(editor.selection.touchpoints).toEqual([]);
		editor.undo();
		expect(titles(j, s)).toEqual(['A', 'B', 'C']);
		expect(j.snapshot().connections).toHaveLength(2);
	});

	it('duplicates the selection and selects the copies; a viewer changes nothing', () => {
		const { journey: j, editor } = setup();
		const s = j.addStage({ title: 'S', group: 'sale' });
		const a = j.addTouchpoint(s, { title: 'A', joys: ['fast'] });
		editor.select({ touchpoints: [a] });
		const ids = editor.duplicate();
		expect(titles(j, s)).toEqual(['A', 'A']);
		expect(editor.selection.touchpoints).toEqual(ids);

		const viewer = setup(true);
		const vs = viewer.journey.addStage({ title: 'S', group: 'sale' });
		const before = viewer.journey.snapshot();
		expect(viewer.editor.addTouchpoint(vs)).toBeNull();
		expect(viewer.editor.addStage()).toBeNull();
		viewer.editor.requestDelete();
		expect(viewer.editor.pendingDelete).toBeNull();
		expect(viewer.journey.snapshot()).toBe(before);
	});
});
