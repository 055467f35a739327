import { describe, expect, it } from 'vitest';
import {
	NO_FILTERS,
	changedTouchpoints,
	excerpt,
	filterQuery,
	filtersFromQuery,
	formatScore,
	isDay,
	journeyLiveSummary,
	motiveLabel,
	normalizeFilters,
	parseJourneyScores,
	parseTouchpointFeedback
} from './live';
import { parseScoreFilters } from './filters';
import { scoreFromSums, itemSums, addSums, emptySums } from './stats';
import type { TouchpointScore } from './types';

const score = (id: string, ...scores: number[]): TouchpointScore =>
	scoreFromSums(
		id,
		scores.reduce(
			(s, x) => addSums(s, itemSums(x, x < 0 ? 'negative' : x > 0 ? 'positive' : 'neutral')),
			emptySums()
		)
	);

describe('live filters', () => {
	it('writes only the filters set, in a stable order, and reads them back', () => {
		expect(filterQuery(NO_FILTERS)).toBe('');
		const product = '0b6e1c1e-8f0a-4c55-9a55-3c1d2f1e0a11';
		const f = { from: '2026-11-01', to: '2026-11-20', channel: 'email' as const, product };
		const q = filterQuery(f);
		expect(q).toBe(`?from=2026-11-01&to=2026-11-20&channel=email&product=${product}`);
		// What the server accepts (the endpoints answer 400 to anything else).
		expect(parseScoreFilters(new URLSearchParams(q))).toEqual({ ok: true, value: f });
		expect(filtersFromQuery(new URLSearchParams(q.slice(1)))).toEqual(f);
		expect(filterQuery({ ...NO_FILTERS, channel: 'web_form' })).toBe('?channel=web_form');
	});

	it('drops days that are not calendar days and channels that do not exist, and orders a reversed range', () => {
		expect(isDay('2026-02-29')).toBe(false);
		expect(isDay('2028-02-29')).toBe(true);
		expect(isDay('2026-1-02')).toBe(false);
		expect(normalizeFilters({ from: '2026-13-01', to: 'yesterday', channel: 'fax', product: 'p1' })).toEqual(
			NO_FILTERS
		);
		expect(normalizeFilters({ from: '2026-11-20', to: '2026-11-01' })).toMatchObject({
			from: '2026-11-01',
			to: '2026-11-20'
		});
	});
});

describe('parseJourneyScores', () => {
	const good = {
		journeyId: 'j1',
		at: '2026-11-22T10:00:00.000Z',
		touchpoints: { a: score('a', -2, -1, -1), b: score('b', 2) },
		unmatched: 3
	};

	it('reads a message of the journey', () => {
		expect(parseJourneyScores(JSON.stringify(good), 'j1')).toEqual(good);
	});

	it('refuses another journey’s message and what is not JSON', () => {
		expect(parseJourneyScores(JSON.stringify(good), 'j2')).toBeNull();
		expect(parseJourneyScores('{', 'j1')).toBeNull();
		expect(parseJourneyScores('null', 'j1')).toBeNull();
	});

	it('leaves out entries without a volume and clamps what is out of range', () => {
		const msg = parseJourneyScores(
			JSON.stringify({
				journeyId: 'j1',
				touchpoints: { a: { score: 1 }, b: { volume: 1, score: 9, evidence: 'few' }, c: 'x' },
				unmatched: -1
			}),
			'j1'
		)!;
		expect(Object.keys(msg.touchpoints)).toEqual(['b']);
		expect(msg.touchpoints.b).toMatchObject({ score: 2, volume: 1, interval: null, evidence: 'few' });
		expect(msg.unmatched).toBe(0);
	});
});

describe('changedTouchpoints', () => {
	it('lists only touchpoints whose figures moved, appeared or went', () => {
		const before = { a: score('a', 1, 2), b: score('b', -1), c: score('c', 0) };
		const after = { a: score('a', 1, 2), b: score('b', -1, -2), d: score('d', 1) };
		expect(changedTouchpoints(before, after).sort()).toEqual(['b', 'c', 'd']);
		expect(changedTouchpoints(after, { ...after })).toEqual([]);
	});
});

describe('formatting', () => {
	it('shows one decimal with a sign, in the reader’s language', () => {
		expect(formatScore(-0.84, 'en')).toBe('-0.8');
		expect(formatScore(-0.84, 'fr')).toBe('-0,8');
		expect(formatScore(1.25, 'en')).toBe('+1.3');
		expect(formatScore(0, 'en')).toBe('0.0');
		expect(formatScore(null, 'en')).toBe('–');
	});

	it('cuts long texts at a word', () => {
		expect(excerpt('short\n text')).toBe('short text');
		const long = 'The flight was delayed by three hours and nobody told us anything at the gate, again';
		const cut = excerpt(long, 40);
		expect(cut.length).toBeLessThanOrEqual(41);
		expect(cut).toBe('The flight was delayed by three hours…');
	});
});

describe('parseTouchpointFeedback', () => {
	it('keeps the items and motives it can show', () => {
		const parsed = parseTouchpointFeedback({
			latest: [
				{
					id: 'i1',
					text: 'Lost my bag',
					polarity: 'negative',
					score: -1.5,
					receivedAt: '2026-11-20T08:00:00Z',
					channel: 'email',
					language: 'en'
				},
				{ id: 'i2', text: 'no date' },
				{ id: 'i3', text: 'odd', receivedAt: '2026-11-20T08:00:00Z', polarity: 'angry', channel: 'fax' }
			],
			topMotives: [
				{ id: 'baggage', label: { fr: 'Bagages', en: 'Baggage' }, count: 4 },
				{ id: 'custom', label: 'Custom motive', count: 1 },
				{ id: 'bad', count: 'x' }
			]
		})!;
		expect(parsed.latest.map((i) => i.id)).toEqual(['i1', 'i3']);
		expect(parsed.latest[1]).toMatchObject({ polarity: null, channel: null, score: null });
		expect(parsed.topMotives.map((m) => motiveLabel(m.label, 'fr'))).toEqual(['Bagages', 'Custom motive']);
		expect(parseTouchpointFeedback({ latest: [] })).toBeNull();
	});
});

describe('journeyLiveSummary', () => {
	it('weighs each item once and lists the lowest negative touchpoints of the journey', () => {
		const scores = {
			a: score('a', -2, -2, -1),
			b: score('b', 2),
			c: score('c', -1),
			gone: score('gone', -2, -2)
		};
		const s = journeyLiveSummary(scores, ['a', 'b', 'c', 'empty']);
		expect(s.volume).toBe(5);
		expect(s.mean).toBeCloseTo((-5 + 2 - 1) / 5, 3);
		expect(s.worst.map((w) => w.touchpointId)).toEqual(['a', 'c']);
		expect(journeyLiveSummary({}, ['a'])).toEqual({ volume: 0, mean: null, worst: [] });
	});
});
