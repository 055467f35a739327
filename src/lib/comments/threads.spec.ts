import { describe, expect, it } from 'vitest';
import { assembleThreads, openThreadCounts, placeThread, threadsOn, type CommentView } from './threads';

let n = 0;
function c(over: Partial<CommentView>): CommentView {
	n++;
	return {
		id: `c${String(n).padStart(3, '0')}`,
		journeyId: 'j',
		touchpointId: null,
		detachedFrom: null,
		parentId: null,
		authorId: 'u',
		authorName: 'U',
		body: 'b',
		mentions: [],
		createdAt: `2026-01-01T00:00:${String(n).padStart(2, '0')}.000Z`,
		editedAt: null,
		resolvedAt: null,
		resolvedBy: null,
		...over
	};
}

describe('threads', () => {
	it('groups replies under their root, oldest reply first, open and recently active threads first', () => {
		const a = c({ touchpointId: 't1' });
		const b = c({ touchpointId: 't2' });
		const done = c({ resolvedAt: '2026-01-02T00:00:00.000Z' });
		const r1 = c({ parentId: a.id });
		const r2 = c({ parentId: a.id });
		const orphan = c({ parentId: 'gone' });
		const threads = assembleThreads([r2, done, b, orphan, a, r1]);
		expect(threads.map((t) => t.root.id)).toEqual([a.id, b.id, done.id]);
		expect(threads[0].replies.map((r) => r.id)).toEqual([r1.id, r2.id]);
		expect(threads[0].lastAt).toBe(r2.createdAt);
		expect(threads[2].resolved).toBe(true);
	});

	it('counts open threads per touchpoint', () => {
		const t1a = c({ touchpointId: 't1' });
		const t1b = c({ touchpointId: 't1' });
		const t1done = c({ touchpointId: 't1', resolvedAt: '2026-01-02T00:00:00.000Z' });
		const gone = c({ touchpointId: 'deleted' });
		const journey = c({});
		const threads = assembleThreads([t1a, t1b, t1done, gone, journey, c({ parentId: t1a.id })]);
		const counts = openThreadCounts(threads);
		expect(counts.byTouchpoint.get('t1')).toBe(2);
		expect(counts.byTouchpoint.get('deleted')).toBe(1);
		expect(counts.total).toBe(4);
	});

	it('shows a thread whose touchpoint is gone on the journey, as detached', () => {
		const [kept] = assembleThreads([c({ touchpointId: 't9', detachedFrom: 'Check-in' })]);
		expect(placeThread(kept, new Set())).toEqual({ on: 'journey', detachedFrom: 'Check-in', detached: true });
		expect(placeThread(kept, new Set(['t9']))).toEqual({ on: 'touchpoint', touchpointId: 't9' });
		const [plain] = assembleThreads([c({})]);
		expect(placeThread(plain, new Set())).toEqual({ on: 'journey', detachedFrom: null, detached: false });
	});

	it('lists the threads that deleting touchpoints would affect', () => {
		const threads = assembleThreads([c({ touchpointId: 't1' }), c({ touchpointId: 't2' }), c({})]);
		expect(threadsOn(threads, ['t1']).map((t) => t.root.touchpointId)).toEqual(['t1']);
	});
});
