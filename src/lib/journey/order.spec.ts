import { describe, expect, it } from 'vitest';
import { compareOrder, isOrderKey, orderBetween, orderKeys } from './order';

describe('order keys', () => {
	it('sort strictly between their neighbours', () => {
		const keys = [orderBetween(null, null)];
		// Insert at random places 2,000 times; every new key must land where it was asked to.
		let seed = 7;
		const rand = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
		for (let i = 0; i < 2000; i++) {
			const at = Math.floor(rand() * (keys.length + 1));
			const k = orderBetween(keys[at - 1] ?? null, keys[at] ?? null);
			expect(isOrderKey(k)).toBe(true);
			if (at > 0) expect(k > keys[at - 1]).toBe(true);
			if (at < keys.length) expect(k < keys[at]).toBe(true);
			keys.splice(at, 0, k);
		}
		expect([...keys].sort()).toEqual(keys);
	});

	it('stay short when a column is filled by appending or prepending', () => {
		let last: string | null = null;
		let first: string | null = null;
		for (let i = 0; i < 500; i++) last = orderBetween(last, null);
		for (let i = 0; i < 500; i++) first = orderBetween(null, first);
		expect(last!.length).toBeLessThanOrEqual(20);
		expect(first!.length).toBeLessThanOrEqual(20);
	});

	it('spread many keys evenly between two others', () => {
		const keys = orderKeys('A', 'B', 1000);
		expect(keys).toHaveLength(1000);
		expect(new Set(keys).size).toBe(1000);
		expect([...keys].sort()).toEqual(keys);
		expect(keys[0] > 'A' && keys[999] < 'B').toBe(true);
		expect(Math.max(...keys.map((k) => k.length))).toBeLessThanOrEqual(8);
	});

	it('refuse a reversed interval and break ties by id', () => {
		expect(() => orderBetween('b', 'a')).toThrow(/not before/);
		const items = [
			{ order: 'V', id: 'b' },
			{ order: 'V', id: 'a' },
			{ order: 'A', id: 'z' }
		];
		expect(items.sort(compareOrder).map((i) => i.id)).toEqual(['z', 'a', 'b']);
	});
});
