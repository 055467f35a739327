import { describe, expect, it } from 'vitest';
import {
	addDays,
	compareRange,
	daysIn,
	healthQueryString,
	parseHealthQuery,
	presetRange,
	weekOf,
	weeksOf
} from './query';
import type { HealthQuery } from './types';

const TODAY = '2026-11-22';
const parse = (query: string, today = TODAY, maxDays?: number) =>
	parseHealthQuery(new URLSearchParams(query), today, maxDays === undefined ? {} : { maxDays });

describe('days and weeks', () => {
	it('counts inclusive days and moves across months and leap days', () => {
		expect(daysIn({ from: '2026-01-01', to: '2026-01-01' })).toBe(1);
		expect(daysIn({ from: '2024-02-01', to: '2024-03-01' })).toBe(30);
		expect(daysIn({ from: '2023-02-01', to: '2023-03-01' })).toBe(29);
		expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
		expect(addDays('2025-02-28', 1)).toBe('2025-03-01');
		expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
	});

	it('names a week by its Monday', () => {
		expect(weekOf('2026-11-22')).toBe('2026-11-16'); // a Sunday
		expect(weekOf('2026-11-16')).toBe('2026-11-16'); // a Monday
		expect(weekOf('2027-01-01')).toBe('2026-12-28'); // ISO week across the new year
		expect(weekOf('2024-03-01')).toBe('2024-02-26');
	});

	it('lists the Mondays of every week touching the range', () => {
		expect(weeksOf({ from: '2026-11-01', to: '2026-11-16' })).toEqual([
			'2026-10-26',
			'2026-11-02',
			'2026-11-09',
			'2026-11-16'
		]);
		expect(weeksOf({ from: '2026-11-17', to: '2026-11-18' })).toEqual(['2026-11-16']);
		expect(weeksOf(presetRange('365d', TODAY))).toHaveLength(53);
	});
});

describe('presetRange and compareRange', () => {
	it('ends presets at today, included', () => {
		expect(presetRange('7d', TODAY)).toEqual({ from: '2026-11-16', to: TODAY });
		expect(daysIn(presetRange('28d', TODAY))).toBe(28);
		expect(daysIn(presetRange('90d', TODAY))).toBe(90);
		expect(presetRange('365d', '2024-12-31')).toEqual({ from: '2024-01-02', to: '2024-12-31' });
	});

	it('compares with the same number of days just before', () => {
		expect(compareRange({ from: '2026-11-16', to: '2026-11-22' }, 'previous')).toEqual({
			from: '2026-11-09',
			to: '2026-11-15'
		});
		const leap = compareRange({ from: '2024-03-01', to: '2024-03-31' }, 'previous')!;
		expect(leap).toEqual({ from: '2024-01-30', to: '2024-02-29' });
		expect(daysIn(leap)).toBe(31);
	});

	it('compares with the same days a year earlier, 29 February becoming 28 February', () => {
		expect(compareRange({ from: '2024-02-29', to: '2024-03-10' }, 'year')).toEqual({
			from: '2023-02-28',
			to: '2023-03-10'
		});
		expect(compareRange({ from: '2025-01-01', to: '2025-12-31' }, 'year')).toEqual({
			from: '2024-01-01',
			to: '2024-12-31'
		});
		expect(compareRange({ from: '2025-01-01', to: '2025-12-31' }, 'none')).toBeNull();
	});
});

describe('parseHealthQuery', () => {
	it('defaults to the last 90 days against the 90 before, without filters', () => {
		const { query, errors } = parse('');
		expect(errors).toEqual([]);
		expect(query).toEqual({
			preset: '90d',
			range: { from: '2026-08-25', to: TODAY },
			compareMode: 'previous',
			compare: { from: '2026-05-27', to: '2026-08-24' },
			filters: { persona: null, channel: null, product: null, place: null }
		});
	});

	it('reads presets, custom ranges, compare and filters', () => {
		const { query, errors } = parse(
			'from=2024-02-01&to=2024-02-29&compare=year&persona=p1&channel=store&product=%20Card%20&place=Lyon'
		);
		expect(errors).toEqual([]);
		expect(query.preset).toBe('custom');
		expect(query.range).toEqual({ from: '2024-02-01', to: '2024-02-29' });
		expect(query.compare).toEqual({ from: '2023-02-01', to: '2023-02-28' });
		expect(query.filters).toEqual({ persona: 'p1', channel: 'store', product: 'Card', place: 'Lyon' });
		expect(parse('range=7d&compare=none').query).toMatchObject({
			preset: '7d',
			range: { from: '2026-11-16', to: TODAY },
			compare: null
		});
	});

	it('falls back to defaults and names what it ignored, without throwing', () => {
		const { query, errors } = parse(
			`range=forever&compare=decade&channel=pigeon&place=${'x'.repeat(201)}&product=%20%20`
		);
		expect(query.preset).toBe('90d');
		expect(query.compareMode).toBe('previous');
		expect(query.filters).toEqual({ persona: null, channel: null, product: null, place: null });
		expect(errors).toEqual([
			{ field: 'range', code: 'invalid' },
			{ field: 'compare', code: 'invalid' },
			{ field: 'channel', code: 'invalid' },
			{ field: 'place', code: 'too_long' }
		]);
		expect(parse(`place=${'x'.repeat(200)}`).errors).toEqual([]);
	});

	it('ignores a filter holding a control character (the database refuses a NUL in text)', () => {
		const { query, errors } = parse('place=%00&product=Lyon%0Aairport&persona=ok');
		expect(query.filters).toMatchObject({ place: null, product: null, persona: 'ok' });
		expect(errors).toEqual([
			{ field: 'product', code: 'invalid' },
			{ field: 'place', code: 'invalid' }
		]);
	});

	it('refuses custom ranges that are not real, reversed, too long or in the future', () => {
		const cases: Array<[string, { field: string; code: string }]> = [
			['from=2025-02-29&to=2025-03-10', { field: 'from', code: 'invalid_date' }],
			['from=2025-01-01&to=2025-13-01', { field: 'to', code: 'invalid_date' }],
			['from=yesterday&to=2025-03-10', { field: 'from', code: 'invalid_date' }],
			['from=0001-01-01&to=2025-01-20', { field: 'from', code: 'invalid_date' }],
			['from=1899-12-31&to=1900-01-20', { field: 'from', code: 'invalid_date' }],
			['from=2025-03-10&to=2025-03-01', { field: 'to', code: 'before_from' }],
			['from=2023-01-01&to=2026-01-01', { field: 'range', code: 'too_long' }],
			['from=2026-11-01&to=2026-11-24', { field: 'to', code: 'future' }],
			['range=custom&from=2026-11-01', { field: 'to', code: 'missing' }]
		];
		for (const [q, error] of cases) {
			const { query, errors } = parse(q);
			expect(errors, q).toEqual([error]);
			expect(query.preset, q).toBe('90d');
			expect(query.range, q).toEqual(presetRange('90d', TODAY));
		}
	});

	it('accepts a leap day, tomorrow, and exactly the longest range', () => {
		expect(parse('from=2024-02-29&to=2024-02-29').errors).toEqual([]);
		expect(parse('from=2026-11-01&to=2026-11-23').errors).toEqual([]);
		expect(parse('from=2023-11-23&to=2026-11-22').query.preset).toBe('custom'); // 1096 days
		expect(parse('from=2026-11-01&to=2026-11-22', TODAY, 7).errors).toEqual([
			{ field: 'range', code: 'too_long' }
		]);
	});

	it('lets a fixed preset win over days and says so', () => {
		const { query, errors } = parse('range=28d&from=2026-01-01');
		expect(query.preset).toBe('28d');
		expect(errors).toEqual([{ field: 'from', code: 'ignored' }]);
	});
});

describe('healthQueryString', () => {
	it('omits defaults', () => {
		expect(healthQueryString(parse('').query)).toBe('');
		expect(healthQueryString(parse('range=90d&compare=previous').query)).toBe('');
	});

	it('round-trips through the URL', () => {
		const queries = [
			'range=7d',
			'range=365d&compare=none',
			'from=2024-02-29&to=2024-03-31&compare=year',
			'range=28d&persona=p%C3%A9&channel=web&product=Carte+%26+co&place=Saint-%C3%89tienne'
		];
		for (const q of queries) {
			const first: HealthQuery = parse(q).query;
			const again = parse(healthQueryString(first));
			expect(again.errors, q).toEqual([]);
			expect(again.query, q).toEqual(first);
			expect(healthQueryString(again.query)).toBe(healthQueryString(first));
		}
		expect(parse('range=28d&product=Carte+%26+co').query.filters.product).toBe('Carte & co');
	});
});
