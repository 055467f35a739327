import { describe, expect, it } from 'vitest';
import { emptySums, type ScoreSums } from '../feedback/stats';
import { weeklyChanges, type WeeklyChangesArgs } from './changes';
import { items } from './fixtures';

const tp = (id: string, current: ScoreSums, previous: ScoreSums) => ({
	touchpointId: id,
	title: `T ${id}`,
	current,
	previous
});
const none: WeeklyChangesArgs = { touchpoints: [], motives: [], alerts: [], loops: [] };

describe('weeklyChanges', () => {
	it('lists a score change from 5 items each week and 0.3 points', () => {
		const changes = weeklyChanges({
			...none,
			touchpoints: [
				tp('drop', items(5, -0.5), items(5, 0)),
				tp('small', items(50, -0.2), items(50, 0)),
				tp('few', items(4, -2), items(50, 1)),
				tp('rise', items(6, 1), items(6, 0.5))
			]
		});
		expect(changes).toEqual([
			{ kind: 'score', touchpointId: 'drop', title: 'T drop', from: 0, to: -0.5, volume: 5 },
			{ kind: 'volume', touchpointId: 'few', title: 'T few', from: 50, to: 4 },
			{ kind: 'score', touchpointId: 'rise', title: 'T rise', from: 0.5, to: 1, volume: 6 }
		]);
	});

	it('lists a volume change from 10 items when it doubles or halves', () => {
		const changes = weeklyChanges({
			...none,
			touchpoints: [
				tp('double', items(20, 0), items(10, 0)),
				tp('almost', items(19, 0), items(10, 0)),
				tp('quiet', items(8, 0), items(4, 0)),
				tp('halved', items(5, 0), items(10, 0)),
				tp('new', items(12, 0), emptySums())
			]
		});
		expect(changes.map((c) => c.kind === 'volume' && [c.touchpointId, c.from, c.to])).toEqual([
			['new', 0, 12],
			['double', 10, 20],
			['halved', 10, 5]
		]);
	});

	it('lists motives whose negative items moved by 5 and by half', () => {
		const changes = weeklyChanges({
			...none,
			motives: [
				{ motive: 'wait', label: 'Waiting', current: 15, previous: 10 },
				{ motive: 'price', label: 'Price', current: 14, previous: 10 },
				{ motive: 'staff', label: 'Staff', current: 4, previous: 10 },
				{ motive: 'new', label: 'New', current: 5, previous: 0 },
				{ motive: 'big', label: 'Big', current: 120, previous: 100 }
			]
		});
		expect(changes).toEqual([
			{ kind: 'motive', motive: 'wait', label: 'Waiting', from: 10, to: 15 },
			{ kind: 'motive', motive: 'new', label: 'New', from: 0, to: 5 },
			{ kind: 'motive', motive: 'staff', label: 'Staff', from: 10, to: 4 }
		]);
	});

	it('puts bad news first and keeps 12 entries at most', () => {
		const changes = weeklyChanges({
			touchpoints: [
				tp('up', items(10, 1), items(10, 0)),
				tp('down', items(10, -1), items(10, 0)),
				tp('crash', items(10, -2), items(10, 0)),
				tp('busy', items(30, 0), items(10, 0))
			],
			motives: [
				{ motive: 'wait', label: 'Waiting', current: 10, previous: 0 },
				{ motive: 'price', label: 'Price', current: 0, previous: 10 }
			],
			alerts: [{ alertId: 'a1', touchpointId: 'down', title: 'T down' }],
			loops: [{ loopId: 'l1', title: 'Shorter queues', improved: true }]
		});
		expect(changes.map((c) => ('touchpointId' in c ? `${c.kind}:${c.touchpointId}` : c.kind))).toEqual([
			'alert_opened:down',
			'score:crash',
			'score:down',
			'motive',
			'volume:busy',
			'score:up',
			'motive',
			'loop_closed'
		]);
		expect(changes[7]).toEqual({
			kind: 'loop_closed',
			loopId: 'l1',
			title: 'Shorter queues',
			improved: true
		});

		const many = weeklyChanges({
			...none,
			alerts: Array.from({ length: 20 }, (_, i) => ({ alertId: `a${i}`, touchpointId: null, title: null }))
		});
		expect(many).toHaveLength(12);
		expect(many[0]).toEqual({ kind: 'alert_opened', alertId: 'a0', touchpointId: null, title: null });
	});

	it('is empty on a quiet week', () => {
		expect(weeklyChanges({ ...none, touchpoints: [tp('same', items(20, 0.5), items(20, 0.5))] })).toEqual([]);
	});
});
