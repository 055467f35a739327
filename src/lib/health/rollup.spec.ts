import { describe, expect, it } from 'vitest';
import { addSums, emptySums, scoreFromSums, type ScoreSums } from '../feedback/stats';
import { items } from './fixtures';
import type { Channel, EmotionScore, JourneySnapshot, Touchpoint } from '../journey/types';
import { journeyBreakdown, touchpointMatches, type JourneyBreakdownArgs } from './rollup';
import { healthOf } from './score';

function touchpoint(
	id: string,
	stageId: string,
	channel: Channel,
	online: boolean,
	personaIds: string[] | null,
	emotion: EmotionScore | null = null
): Touchpoint {
	return {
		id,
		stageId,
		title: `T ${id}`,
		channel,
		online,
		personaIds,
		does: '',
		thinks: '',
		feels: '',
		pains: [],
		joys: [],
		emotion,
		owner: null,
		keywords: [],
		products: [],
		notes: ''
	};
}

const snapshot: Pick<JourneySnapshot, 'stages' | 'touchpoints' | 'personas'> = {
	personas: [
		{ id: 'anna', name: 'Anna', description: '', color: '#ff0000' },
		{ id: 'bob', name: 'Bob', description: '', color: '#00ff00' }
	],
	stages: [
		{ id: 's1', title: 'Discover', description: '', group: 'pre-sale' },
		{ id: 's2', title: 'Buy', description: '', group: 'sale' },
		{ id: 's3', title: 'Compare', description: '', group: 'pre-sale' }
	],
	touchpoints: [
		touchpoint('ad', 's1', 'social', true, null, 1),
		touchpoint('shop', 's2', 'store', false, ['anna'], -1),
		touchpoint('site', 's2', 'web', true, ['bob']),
		touchpoint('compare', 's3', 'web', true, ['anna', 'bob'], 0)
	]
};

const current = new Map<string, ScoreSums>([
	['ad', items(10, 1)],
	['shop', items(20, -1.5)],
	['site', items(5, 0.5)],
	['compare', items(8, 0)],
	['', items(7, -2)],
	['gone', items(3, 2)]
]);
const previous = new Map<string, ScoreSums>([
	['ad', items(10, 0)],
	['shop', items(4, 1)]
]);
const openAlerts = new Map([
	['shop', 1],
	['', 1]
]);

const args = (filters: JourneyBreakdownArgs['filters']): JourneyBreakdownArgs => ({
	snapshot,
	current,
	previous,
	openAlerts,
	filters
});

const sum = (...keys: string[]) =>
	keys.map((k) => current.get(k) ?? emptySums()).reduce(addSums, emptySums());
const before = (...keys: string[]) =>
	keys.map((k) => previous.get(k) ?? emptySums()).reduce(addSums, emptySums());

describe('journeyBreakdown', () => {
	const all = journeyBreakdown(args({ persona: null, channel: null }));

	it('adds sums for the journey, unmatched items and alerts included without filters', () => {
		expect(all.health).toEqual(
			healthOf({
				sums: sum('ad', 'shop', 'site', 'compare', '', 'gone'),
				previous: before('ad', 'shop'),
				openAlerts: 2
			})
		);
		expect(all.health.volume).toBe(53);
	});

	it('adds sums (not healths) per stage, group, channel and persona', () => {
		const byKey = (rows: typeof all.breakdown.stages) => Object.fromEntries(rows.map((r) => [r.key, r]));
		const stages = byKey(all.breakdown.stages);
		expect(all.breakdown.stages.map((r) => [r.key, r.label])).toEqual([
			['s1', 'Discover'],
			['s2', 'Buy'],
			['s3', 'Compare']
		]);
		expect(stages.s2.health).toEqual(
			healthOf({ sums: sum('shop', 'site'), previous: before('shop', 'site'), openAlerts: 1 })
		);

		expect(all.breakdown.groups.map((r) => [r.key, r.label, r.health.volume])).toEqual([
			['pre-sale', 'pre-sale', 18],
			['sale', 'sale', 25],
			['after-sale', 'after-sale', 0]
		]);
		expect(all.breakdown.groups[2].health.band).toBe('none');

		const channels = byKey(all.breakdown.channels);
		expect(all.breakdown.channels.map((r) => r.key)).toEqual(['online', 'offline']);
		expect(channels.online.health).toEqual(
			healthOf({ sums: sum('ad', 'site', 'compare'), previous: before('ad'), openAlerts: 0 })
		);
		expect(channels.offline.health.openAlerts).toBe(1);

		// Anna: everyone's ad, her shop, the shared comparison.
		const personas = byKey(all.breakdown.personas);
		expect(personas.anna.label).toBe('Anna');
		expect(personas.anna.health).toEqual(
			healthOf({ sums: sum('ad', 'shop', 'compare'), previous: before('ad', 'shop'), openAlerts: 1 })
		);
		expect(personas.bob.health.volume).toBe(23);
	});

	it('draws the curve in map order, authored against live', () => {
		expect(all.curve.map((p) => [p.touchpointId, p.authored, p.live, p.volume])).toEqual([
			['ad', 1, 1, 10],
			['shop', -1, -1.5, 20],
			['site', null, 0.5, 5],
			['compare', 0, 0, 8]
		]);
		expect(all.curve[1].interval).toEqual(scoreFromSums('shop', current.get('shop')!).interval);
		expect(all.curve[1].health.openAlerts).toBe(1);
		expect(all.curve[1]).toMatchObject({ channel: 'store', online: false, stageId: 's2', title: 'T shop' });
	});

	it('counts only matching touchpoints anywhere once a persona or channel is chosen', () => {
		const bob = journeyBreakdown(args({ persona: 'bob', channel: null }));
		expect(bob.curve.map((p) => p.touchpointId)).toEqual(['ad', 'site', 'compare']);
		expect(bob.health).toEqual(
			healthOf({ sums: sum('ad', 'site', 'compare'), previous: before('ad'), openAlerts: 0 })
		);
		expect(bob.breakdown.personas.find((r) => r.key === 'anna')!.health.volume).toBe(18);
		expect(bob.breakdown.channels[1].health.volume).toBe(0);

		const web = journeyBreakdown(args({ persona: null, channel: 'web' }));
		expect(web.health.volume).toBe(13);
		expect(web.breakdown.stages.map((r) => r.health.volume)).toEqual([0, 5, 8]);
	});

	it('is empty but complete for a journey without items', () => {
		const none = journeyBreakdown({
			snapshot,
			current: new Map(),
			previous: new Map(),
			openAlerts: new Map(),
			filters: { persona: null, channel: null }
		});
		expect(none.health.score).toBeNull();
		expect(none.breakdown.groups).toHaveLength(3);
		expect(none.curve.every((p) => p.live === null && p.health.band === 'none')).toBe(true);
	});
});

describe('touchpointMatches', () => {
	it('lets a touchpoint without personas concern every persona', () => {
		const tp = { channel: 'web' as const, personaIds: null };
		expect(touchpointMatches(tp, { persona: 'x', channel: null })).toBe(true);
		expect(touchpointMatches(tp, { persona: 'x', channel: 'store' })).toBe(false);
		expect(touchpointMatches({ channel: 'web', personaIds: ['y'] }, { persona: 'x', channel: null })).toBe(
			false
		);
	});
});
