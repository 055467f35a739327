import { json } from '@sveltejs/kit';
import { AppError } from '$lib/server/errors';
import { apiError, discardBody } from '$lib/server/http';
import { allow, createNamedVersion, listVersions } from '$lib/server/versions';
import type { RequestHandler } from './$types';

/** The journey's versions, newest first. */
export const GET: RequestHandler = async ({ locals, params }) => {
	try {
		return json({ versions: await listVersions(locals.db, locals.user, params) });
	} catch (e) {
		return apiError(e, locals.locale);
	}
};

/** Names the current state: `{ "name": "After workshop 12 March" }`. */
export const POST: RequestHandler = async ({ locals, params, request }) => {
	try {
		// Before the body: a refused request is answered without reading (or choking on) what it sent.
		await allow(locals.db, locals.user, 'version:create', params);
		let body: unknown;
		try {
			body = await request.json();
		} catch {
			throw new AppError(400, 'error.badRequest');
		}
		const name = (body as { name?: unknown } | null)?.name;
		return json({ version: await createNamedVersion(locals.db, locals.user, params, name) }, { status: 201 });
	} catch (e) {
		return apiError(e, locals.locale);
	} finally {
		// An unread body would reset the client's next request on this keep-alive connection.
		await discardBody(request);
	}
};
