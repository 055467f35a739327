/** Boundary checks shared by forms and the API. Each failure names its field. */
import { isRole, type Role } from '../access/roles';
import { invalid } from './errors';

export const MAX_NAME = 120;
export const MAX_EMAIL = 254;

/** A trimmed, non-empty string of at most `max` characters (or '' when optional). */
export function requireText(field: string, value: unknown, max = MAX_NAME, optional = false): string {
	const s = typeof value === 'string' ? noNul(field, value).trim() : '';
	if (!s) {
		if (optional) return '';
		throw invalid(field, 'error.required');
	}
	if (s.length > max) throw invalid(field, 'error.tooLong', { max });
	return s;
}

// Deliberately plain: one @, something before, a dot in the domain, no spaces.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function requireEmail(field: string, value: unknown): string {
	const s = typeof value === 'string' ? noNul(field, value).trim().toLowerCase() : '';
	if (!s) throw invalid(field, 'error.required');
	if (s.length > MAX_EMAIL || !EMAIL.test(s)) throw invalid(field, 'error.emailInvalid');
	return s;
}

export function requireRole(field: string, value: unknown): Role {
	if (!isRole(value)) throw invalid(field, 'error.invalidRole');
	return value;
}

/** A form value as a string; files and missing values become ''. */
export function formString(form: FormData, name: string): string {
	const v = form.get(name);
	if (typeof v !== 'string') return '';
	noNul(name, v);
	return v;
}

/** PostgreSQL text cannot hold NUL: refuse it at the boundary rather than fail in the database. */
export function noNul(field: string, value: string): string {
	if (value.includes('\0')) throw invalid(field, 'error.invalidCharacters');
	return value;
}
