import { describe, expect, it } from 'vitest';
import { ImageTooLargeError, pngScale } from './png';

describe('PNG scale', () => {
	it('draws at twice the size while the canvas stays within what browsers allow', () => {
		expect(pngScale(1064, 624)).toBe(2);
		// 60 stages: narrower than 2× but still sharper than the screen.
		const wide = pngScale(12_000, 700);
		expect(wide).toBeLessThan(2);
		expect(12_000 * wide).toBeLessThanOrEqual(16_000);
		expect(() => pngScale(40_000, 900)).toThrow(ImageTooLargeError);
		expect(() => pngScale(9_000, 9_000)).not.toThrow();
		expect(Math.round(9_000 * pngScale(9_000, 9_000)) ** 2).toBeLessThanOrEqual(120_000_000);
	});
});
