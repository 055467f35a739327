import type { MessageKey, Params } from '../i18n';

/**
 * A failure the user can act on. Services throw these; routes turn them into `fail()`/`error()` with
 * the translated message. Anything else is a bug and becomes a 500.
 */
export class AppError extends Error {
	constructor(
		readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429,
		readonly code: MessageKey,
		readonly params: Params = {},
		/** The form field or JSON path the message is about. */
		readonly field?: string
	) {
		super(code);
		this.name = 'AppError';
	}
}

export const notFound = () => new AppError(404, 'error.notFound');
export const forbidden = () => new AppError(403, 'error.forbidden');
export const unauthenticated = () => new AppError(401, 'error.unauthenticated');
export const invalid = (field: string, code: MessageKey, params: Params = {}) =>
	new AppError(400, code, params, field);

export function isAppError(e: unknown): e is AppError {
	return e instanceof AppError;
}
