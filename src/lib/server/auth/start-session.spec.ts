import { describe, expect, it } from 'vitest';
import { safeNext } from './start-session';

describe('safeNext', () => {
	it('keeps same-site paths', () => {
		expect(safeNext('/w/abc/journeys?x=1#y')).toBe('/w/abc/journeys?x=1#y');
		expect(safeNext('/invite/abcdef')).toBe('/invite/abcdef');
	});

	it.each([
		['//evil.example'],
		['/\\evil.example'],
		['/\t/evil.example'],
		['/\n/evil.example'],
		['/ /evil.example'],
		['https://evil.example'],
		['javascript:alert(1)'],
		[''],
		[null]
	])('refuses %j', (next) => {
		expect(safeNext(next)).toBe('/');
	});
});
