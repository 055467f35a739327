/** The few things every route does: require a user, read a form safely, turn AppErrors into answers. */
import { error, fail, json, redirect, type ActionFailure } from '@sveltejs/kit';
import { translate } from '../i18n';
import type { SessionUser } from './auth/session';
import { AppError, isAppError } from './errors';

export interface FailureData {
	field?: string;
	message: string;
	/** Values to put back in the form, so the user does not retype them. */
	values?: Record<string, string>;
}

/** For loads: the signed-in user, or a redirect to sign-in that comes back here. */
export function requireUser(locals: App.Locals, url: URL): SessionUser {
	if (!locals.user) redirect(303, `/signin?next=${encodeURIComponent(url.pathname + url.search)}`);
	return locals.user;
}

export async function readForm(request: Request): Promise<FormData> {
	try {
		return await request.formData();
	} catch {
		throw new AppError(400, 'error.badRequest');
	}
}

/** Runs a form action of a signed-in user; an AppError becomes `fail(status, { field, message })`. */
export function act<T>(
	locals: App.Locals,
	fn: () => Promise<T>,
	values?: Record<string, string>
): Promise<T | ActionFailure<FailureData>> {
	return actPublic(
		locals,
		async () => {
			if (!locals.user) throw new AppError(401, 'error.unauthenticated');
			return fn();
		},
		values
	);
}

/** Runs a form action a signed-out visitor may send too (sign-in, sign-up), in the user's language. */
export async function actPublic<T>(
	locals: App.Locals,
	fn: () => Promise<T>,
	values?: Record<string, string>
): Promise<T | ActionFailure<FailureData>> {
	try {
		return await fn();
	} catch (e) {
		if (isAppError(e)) return failure(locals, e, values);
		throw e;
	}
}

function failure(locals: App.Locals, e: AppError, values?: Record<string, string>) {
	return fail(e.status, { field: e.field, message: translate(locals.locale, e.code, e.params), values });
}

/** Runs a load; an AppError becomes the error page with its status (401 goes to sign-in). */
export async function guard<T>(locals: App.Locals, url: URL, fn: () => Promise<T>): Promise<T> {
	try {
		return await fn();
	} catch (e) {
		if (isAppError(e)) {
			if (e.status === 401) redirect(303, `/signin?next=${encodeURIComponent(url.pathname)}`);
			error(e.status, { message: translate(locals.locale, e.code, e.params), code: e.code });
		}
		throw e;
	}
}

/** For JSON endpoints: `{ error: { code, message, field } }` with the status. */
export function apiError(e: unknown, locale: App.Locals['locale'] = 'en'): Response {
	if (isAppError(e)) {
		const headers: Record<string, string> = {};
		if (e.status === 429 && typeof e.params.seconds === 'number')
			headers['Retry-After'] = String(e.params.seconds);
		return json(
			{ error: { code: e.code, message: translate(locale, e.code, e.params), field: e.field } },
			{ status: e.status, headers }
		);
	}
	throw e;
}

/**
 * Reads and drops what is left of a refused upload. adapter-node pauses a request whose body nobody reads,
 * which leaves a keep-alive connection stuck and the client's next request reset (ECONNRESET); bodies above
 * the app's limit were never started and Node drains them itself.
 */
export async function discardBody(request: Request): Promise<void> {
	if (request.bodyUsed || !request.body) return;
	await request.arrayBuffer().catch(() => {});
}
