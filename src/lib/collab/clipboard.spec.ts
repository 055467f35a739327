import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { openJourney, ROOT } from '$lib/journey';
import { copyTouchpoints, parseClipboard, pasteTouchpoints } from './clipboard';

function setup() {
	const origin = { local: true };
	const doc = new Y.Doc();
	const j = openJourney(doc, { origin });
	const claire = j.addPersona({ name: 'Claire', description: '', color: '#112233' });
	const a = j.addStage({ title: 'A', group: 'pre-sale' });
	const b = j.addStage({ title: 'B', group: 'sale' });
	const t1 = j.addTouchpoint(a, {
		title: 'One',
		channel: 'web',
		pains: ['slow'],
		personaIds: [claire],
		emotion: -1
	});
	const t2 = j.addTouchpoint(a, { title: 'Two', channel: 'phone' });
	const t3 = j.addTouchpoint(b, { title: 'Three' });
	j.addConnection({ from: t1, to: t2, kind: 'alternative', label: 'calls' });
	j.addConnection({ from: t2, to: t3 });
	return { doc, j, origin, claire, stages: { a, b }, tps: { t1, t2, t3 } };
}

describe('copy and paste of touchpoints', () => {
	it('copies the selection with the connections inside it only', () => {
		const { j, tps } = setup();
		const clip = copyTouchpoints(j.snapshot(), [tps.t2, tps.t1]);
		expect(clip.touchpoints.map((t) => t.fields.title)).toEqual(['One', 'Two']);
		expect(clip.connections).toEqual([{ from: tps.t1, to: tps.t2, kind: 'alternative', label: 'calls' }]);
		expect(parseClipboard(JSON.stringify(clip))).toEqual(clip);
		expect(parseClipboard('hello')).toBeNull();
		expect(parseClipboard('{"format":"other"}')).toBeNull();
	});

	it('pastes copies right after their originals, reconnected, as one undo step', () => {
		const { doc, j, origin, tps, stages } = setup();
		const undo = new Y.UndoManager(
			[ROOT.info, ROOT.personas, ROOT.stages, ROOT.touchpoints, ROOT.connections]
				.map((n) => doc.getMap(n))
				.concat([doc.getArray(ROOT.placement) as never]),
			{ trackedOrigins: new Set([origin]) }
		);
		const clip = copyTouchpoints(j.snapshot(), [tps.t1, tps.t2]);
		const ids = pasteTouchpoints(j, clip);
		expect(ids).toHaveLength(2);
		const snap = j.snapshot();
		expect(snap.touchpoints.filter((t) => t.stageId === stages.a).map((t) => t.title)).toEqual([
			'One',
			'One',
			'Two',
			'Two'
		]);
		const copy = snap.touchpoints.find((t) => t.id === ids[0])!;
		expect(copy).toMatchObject({ channel: 'web', pains: ['slow'], emotion: -1 });
		expect(snap.connections.filter((c) => c.from === ids[0])).toMatchObject([
			{ to: ids[1], kind: 'alternative', label: 'calls' }
		]);
		undo.undo();
		expect(j.snapshot().touchpoints).toHaveLength(3);
		expect(j.snapshot().connections).toHaveLength(2);
	});

	it('pastes into a target stage after a card, and into another journey without its personas', () => {
		const { j, tps, stages } = setup();
		const clip = copyTouchpoints(j.snapshot(), [tps.t1, tps.t2]);
		pasteTouchpoints(j, clip, { stageId: stages.b, afterId: tps.t3 });
		expect(
			j
				.snapshot()
				.touchpoints.filter((t) => t.stageId === stages.b)
				.map((t) => t.title)
		).toEqual(['Three', 'One', 'Two']);

		const other = openJourney(new Y.Doc());
		other.addStage({ title: 'Only', group: 'sale' });
		const ids = pasteTouchpoints(other, JSON.parse(JSON.stringify(clip)));
		const snap = other.snapshot();
		expect(snap.touchpoints.map((t) => t.title)).toEqual(['One', 'Two']);
		expect(snap.touchpoints[0].personaIds).toBeNull();
		expect(snap.connections).toHaveLength(1);
		expect(ids).toHaveLength(2);
		// Nothing to paste into a journey without stages.
		expect(pasteTouchpoints(openJourney(new Y.Doc()), clip)).toEqual([]);
	});

	it('skips a card the model refuses and keeps the others', () => {
		const { j, tps } = setup();
		const clip = copyTouchpoints(j.snapshot(), [tps.t1, tps.t2]);
		clip.touchpoints[0].fields.emotion = 7 as never;
		const ids = pasteTouchpoints(j, clip);
		expect(ids).toHaveLength(1);
		expect(j.snapshot().touchpoints).toHaveLength(4);
	});
});
