/** What the comment endpoints share: a JSON object body, and AppErrors answered as `{ error }`. */
import { json } from '@sveltejs/kit';
import { AppError } from '$lib/server/errors';
import { apiError, discardBody } from '$lib/server/http';

export async function readObject(request: Request): Promise<Record<string, unknown>> {
	let value: unknown;
	try {
		value = await request.json();
	} catch {
		throw new AppError(400, 'comments.error.json');
	}
	if (!value || typeof value !== 'object' || Array.isArray(value))
		throw new AppError(400, 'comments.error.json');
	return value as Record<string, unknown>;
}

/** Runs a handler of a signed-in user and answers JSON; a refusal is a 4xx naming the field. */
export async function answer(
	locals: App.Locals,
	request: Request,
	fn: () => Promise<unknown>,
	status = 200
): Promise<Response> {
	try {
		if (!locals.user) throw new AppError(401, 'error.unauthenticated');
		return json((await fn()) ?? { ok: true }, { status });
	} catch (e) {
		return apiError(e, locals.locale);
	} finally {
		// A refusal answers without reading the body; unread, it would reset the next request on the connection.
		await discardBody(request);
	}
}
