import { describe, expect, it } from 'vitest';
import {
	decodeCursor,
	encodeCursor,
	filtersToQuery,
	mergeHighlights,
	parseFilters,
	tallyFacets,
	withFilter,
	type FacetRow
} from './inbox';

const J = '0b6c2d1e-8a3f-4c55-9f1e-2d3c4b5a6f70';

describe('inbox filters in the URL', () => {
	it('reads every filter and writes the same link back', () => {
		const query =
			`?q=retard+valise&journey=${J}&touchpoint=tp-1&stage=after-sale&channel=email&polarity=negative` +
			'&intent=complaint&language=fr&customer=yes&emotion=anger&motive=delay&product=p1&place=Lyon' +
			'&from=2026-01-01&to=2026-02-01&status=failed&spam=show';
		const { filters, issues } = parseFilters(new URLSearchParams(query));
		expect(issues).toEqual([]);
		expect(filters).toMatchObject({
			q: 'retard valise',
			journey: J,
			touchpoint: 'tp-1',
			stage: 'after-sale',
			polarity: 'negative',
			customer: 'yes',
			from: '2026-01-01',
			status: 'failed',
			spam: 'show'
		});
		expect(parseFilters(new URLSearchParams(filtersToQuery(filters))).filters).toEqual(filters);
	});

	it('ignores and reports what it does not understand, keeping the rest', () => {
		const { filters, issues } = parseFilters(
			new URLSearchParams(
				'polarity=angry&journey=nope&from=2026-02-30&channel=email&status=x&spam=maybe&after=zzz&q=' +
					'a'.repeat(201)
			)
		);
		expect(filters.channel).toBe('email');
		expect(filters.polarity).toBeNull();
		expect(filters.from).toBeNull();
		expect(filters.status).toBe('done');
		expect(issues.map((i) => i.param).sort()).toEqual(
			['after', 'from', 'journey', 'polarity', 'q', 'spam', 'status'].sort()
		);
	});

	it('drops a date range that ends before it starts, and NUL bytes', () => {
		const { filters, issues } = parseFilters(
			new URLSearchParams('from=2026-03-01&to=2026-02-01&motive=a%00b')
		);
		expect(filters.to).toBeNull();
		expect(filters.motive).toBeNull();
		expect(issues.map((i) => i.param)).toEqual(['motive', 'to']);
	});

	it('changing a filter starts from the first page; changing the journey drops the touchpoint', () => {
		const { filters } = parseFilters(new URLSearchParams(`journey=${J}&touchpoint=t&channel=email`));
		filters.after = encodeCursor({ receivedAt: '2026-01-01T10:00:00.123456Z', id: J });
		expect(withFilter(filters, 'polarity', 'positive')).toBe(
			`?journey=${J}&touchpoint=t&channel=email&polarity=positive`
		);
		expect(withFilter(filters, 'journey', null)).toBe('?channel=email');
	});
});

describe('keyset cursor', () => {
	it('round-trips and refuses anything else', () => {
		const c = { receivedAt: '2026-01-01T10:00:00.123456Z', id: J };
		expect(decodeCursor(encodeCursor(c))).toEqual(c);
		expect(decodeCursor('not-a-cursor')).toBeNull();
		expect(decodeCursor(encodeCursor({ receivedAt: 'yesterday', id: J }))).toBeNull();
		expect(decodeCursor(encodeCursor({ receivedAt: c.receivedAt, id: "1' or 1=1" }))).toBeNull();
	});
});

describe('facet tallies', () => {
	const row = (over: Partial<FacetRow>): FacetRow => ({
		journey: null,
		touchpoint: null,
		stage: null,
		channel: 'email',
		polarity: 'negative',
		intent: null,
		language: 'fr',
		customer: 'no',
		emotion: null,
		motive: null,
		product: null,
		place: null,
		...over
	});
	it('counts scalar and array values, most frequent first', () => {
		const counts = tallyFacets(
			[
				row({ motive: ['delay', 'price'] }),
				row({ motive: ['delay', 'delay'], polarity: 'positive' }),
				row({ channel: 'chat' })
			],
			['channel', 'polarity', 'motive']
		);
		expect(counts.channel).toEqual([
			{ value: 'email', count: 2 },
			{ value: 'chat', count: 1 }
		]);
		expect(counts.motive).toEqual([
			{ value: 'delay', count: 2 },
			{ value: 'price', count: 1 }
		]);
		expect(counts.polarity?.[0]).toEqual({ value: 'negative', count: 2 });
	});
});

describe('highlight segments', () => {
	it('cuts overlapping spans into runs and keeps every character once', () => {
		const text = 'My TV arrived late in Lyon';
		const segments = mergeHighlights(text, [
			{ start: 3, end: 5, kind: 'product', ref: 'TV' },
			{ start: 3, end: 18, kind: 'motive', ref: 'delay' },
			{ start: 14, end: 18, kind: 'sentiment' },
			{ start: 22, end: 26, kind: 'place', ref: 'Lyon' },
			{ start: 40, end: 50, kind: 'date' }
		]);
		expect(segments.map((s) => s.text).join('')).toBe(text);
		expect(segments).toEqual([
			{ text: 'My ', kinds: [], refs: [] },
			{ text: 'TV', kinds: ['product', 'motive'], refs: ['TV', 'delay'] },
			{ text: ' arrived ', kinds: ['motive'], refs: ['delay'] },
			{ text: 'late', kinds: ['motive', 'sentiment'], refs: ['delay'] },
			{ text: ' in ', kinds: [], refs: [] },
			{ text: 'Lyon', kinds: ['place'], refs: ['Lyon'] }
		]);
	});
});
