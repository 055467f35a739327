import { describe, expect, it } from 'vitest';
import { PERMISSIONS, ROLES, roleAllows, type Action } from './roles';

describe('roleAllows', () => {
	it('lets viewers read but never write or manage', () => {
		expect(roleAllows('viewer', 'journey:read')).toBe(true);
		expect(roleAllows('viewer', 'journey:edit')).toBe(false);
		expect(roleAllows('viewer', 'feedback:handle')).toBe(false);
		expect(roleAllows('viewer', 'member:manage')).toBe(false);
	});

	it('lets editors edit but not manage the workspace', () => {
		expect(roleAllows('editor', 'journey:edit')).toBe(true);
		expect(roleAllows('editor', 'apikey:manage')).toBe(false);
		expect(roleAllows('editor', 'invite:manage')).toBe(false);
	});

	it('lets owners do everything', () => {
		for (const action of Object.keys(PERMISSIONS) as Action[]) {
			expect(roleAllows('owner', action)).toBe(true);
		}
	});

	it('is monotonic: a higher role may do whatever a lower one may', () => {
		for (const action of Object.keys(PERMISSIONS) as Action[]) {
			const allowed = ROLES.map((r) => roleAllows(r, action)); // owner, editor, viewer
			expect(allowed[0] >= allowed[1] && allowed[1] >= allowed[2]).toBe(true);
		}
	});
});
