import { describe, expect, it } from 'vitest';
import { pgArray } from './raw';

describe('pgArray', () => {
	it('quotes strings, escapes quotes and backslashes, writes NULL', () => {
		expect(pgArray(['a', null, 'b"c', 'd\\e', 'x,y', '', 'NULL'])).toBe(
			'{"a",NULL,"b\\"c","d\\\\e","x,y","","NULL"}'
		);
		expect(pgArray([1.5, -2, null])).toBe('{1.5,-2,NULL}');
		expect(pgArray([])).toBe('{}');
	});
});
