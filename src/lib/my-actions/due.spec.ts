import { describe, expect, it } from 'vitest';
import { byDueDate, dayOf, dueSoonHorizon, isOverdue } from './due';

const NOW = new Date('2026-11-20T23:30:00Z');

describe('due dates', () => {
	it('is overdue only before today (UTC) and while not finished', () => {
		expect(dayOf(NOW)).toBe('2026-11-20');
		expect(isOverdue('2026-11-19', false, NOW)).toBe(true);
		expect(isOverdue('2026-11-20', false, NOW)).toBe(false);
		expect(isOverdue('2026-11-19', true, NOW)).toBe(false);
		expect(isOverdue(null, false, NOW)).toBe(false);
	});

	it('counts a day as due soon from 24 hours before its start', () => {
		expect(dueSoonHorizon(NOW)).toBe('2026-11-21');
		expect(dueSoonHorizon(new Date('2026-11-20T00:00:00Z'))).toBe('2026-11-21');
		expect(dueSoonHorizon(new Date('2026-12-31T12:00:00Z'))).toBe('2027-01-01');
	});

	it('orders soonest first, undated last, ties by journey then loop', () => {
		const row = (dueDate: string | null, journeyTitle = 'J', loopTitle = 'L') => ({
			dueDate,
			journeyTitle,
			loopTitle
		});
		const sorted = [
			row(null),
			row('2026-11-21', 'B'),
			row('2026-11-19'),
			row('2026-11-21', 'A', 'Z'),
			row('2026-11-21', 'A', 'M')
		].sort(byDueDate);
		expect(sorted.map((r) => `${r.dueDate} ${r.journeyTitle}${r.loopTitle}`)).toEqual([
			'2026-11-19 JL',
			'2026-11-21 AM',
			'2026-11-21 AZ',
			'2026-11-21 BL',
			'null JL'
		]);
	});
});
