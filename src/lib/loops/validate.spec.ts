import { describe, expect, it } from 'vitest';
import {
	validateActionInput,
	validateFollowUpRecord,
	validateLoopInput,
	validateNote,
	validateReason
} from './validate';

describe('validateLoopInput', () => {
	it('creates with trimmed text, defaults and unique touchpoints', () => {
		expect(
			validateLoopInput(
				{ title: '  Late trains ', touchpointIds: ['tp1', 'tp1', 'tp2'], ownerId: 'u1' },
				'create'
			)
		).toEqual({
			ok: true,
			value: {
				title: 'Late trains',
				problem: '',
				rationalNeed: '',
				emotionalNeed: '',
				touchpointIds: ['tp1', 'tp2'],
				motive: null,
				ownerId: 'u1'
			}
		});
	});

	it('names every bad field at once', () => {
		expect(
			validateLoopInput(
				{ title: ' ', problem: 'x'.repeat(5001), touchpointIds: ['ok', 3, ''], rationalNeed: 12 },
				'create'
			)
		).toEqual({
			ok: false,
			issues: [
				{ field: 'title', code: 'required' },
				{ field: 'problem', code: 'too_long', limit: 5000 },
				{ field: 'rationalNeed', code: 'not_a_string' },
				{ field: 'touchpointIds[1]', code: 'required' },
				{ field: 'touchpointIds[2]', code: 'required' }
			]
		});
		expect(validateLoopInput('nonsense', 'create')).toMatchObject({
			ok: false,
			issues: [{ field: 'title' }]
		});
		expect(validateLoopInput({ title: 'x', touchpointIds: 'tp1' }, 'create')).toMatchObject({
			ok: false,
			issues: [{ field: 'touchpointIds', code: 'not_a_string' }]
		});
	});

	it('patches only what was sent', () => {
		expect(validateLoopInput({ emotionalNeed: ' Feel safe ' }, 'patch')).toEqual({
			ok: true,
			value: { emotionalNeed: 'Feel safe' }
		});
		expect(validateLoopInput({ title: '' }, 'patch')).toMatchObject({
			ok: false,
			issues: [{ code: 'required' }]
		});
		expect(validateLoopInput({ ownerId: null }, 'patch')).toEqual({ ok: true, value: { ownerId: null } });
	});
});

describe('validateActionInput', () => {
	it('defaults the status to todo and checks the due day', () => {
		expect(validateActionInput({ title: 'Announce delays', dueDate: '2026-02-28' }, 'create')).toEqual({
			ok: true,
			value: { title: 'Announce delays', ownerId: null, dueDate: '2026-02-28', status: 'todo' }
		});
		expect(validateActionInput({ title: 'x', dueDate: '2026-02-30', status: 'finished' }, 'create')).toEqual({
			ok: false,
			issues: [
				{ field: 'dueDate', code: 'invalid_day' },
				{ field: 'status', code: 'invalid_choice' }
			]
		});
		expect(validateActionInput({ status: 'done' }, 'patch')).toEqual({ ok: true, value: { status: 'done' } });
		expect(validateActionInput({ dueDate: '' }, 'patch')).toEqual({ ok: true, value: { dueDate: null } });
	});

	it('refuses real days no database stores or no plan means (year 0000, 9999)', () => {
		for (const dueDate of ['0000-01-01', '1999-12-31', '3000-01-01', '9999-12-31'])
			expect(validateActionInput({ dueDate }, 'patch')).toEqual({
				ok: false,
				issues: [{ field: 'dueDate', code: 'day_out_of_range', limit: 2999 }]
			});
		expect(validateActionInput({ dueDate: '2000-01-01' }, 'patch').ok).toBe(true);
		expect(validateActionInput({ dueDate: '2999-12-31' }, 'patch').ok).toBe(true);
	});
});

describe('notes, follow-ups and reasons', () => {
	it('a note is required text within its limit', () => {
		expect(validateNote({ note: ' Called the station ' })).toEqual({ ok: true, value: 'Called the station' });
		expect(validateNote({ note: '' })).toEqual({ ok: false, issues: [{ field: 'note', code: 'required' }] });
	});

	it('a follow-up record needs a known method and outcome', () => {
		expect(validateFollowUpRecord({ method: 'phone', outcome: 'satisfied' })).toEqual({
			ok: true,
			value: { method: 'phone', outcome: 'satisfied', note: '' }
		});
		expect(validateFollowUpRecord({ method: 'pigeon' })).toEqual({
			ok: false,
			issues: [
				{ field: 'method', code: 'invalid_choice' },
				{ field: 'outcome', code: 'required' }
			]
		});
	});

	it('a reason has at least three characters', () => {
		expect(validateReason({ reason: ' no ' })).toEqual({
			ok: false,
			issues: [{ field: 'reason', code: 'too_short', limit: 3 }]
		});
		expect(validateReason({ reason: 'Customer unreachable' })).toEqual({
			ok: true,
			value: 'Customer unreachable'
		});
		expect(validateReason({})).toEqual({ ok: false, issues: [{ field: 'reason', code: 'required' }] });
	});
});
