import { apiError, discardBody } from '$lib/server/http';
import { deleteVersion } from '$lib/server/versions';
import type { RequestHandler } from './$types';

/** Deletes a named version (automatic ones go by retention). */
export const DELETE: RequestHandler = async ({ locals, params, request }) => {
	try {
		await deleteVersion(locals.db, locals.user, params, params.versionId);
		return new Response(null, { status: 204 });
	} catch (e) {
		return apiError(e, locals.locale);
	} finally {
		// An unread body would reset the client's next request on this keep-alive connection.
		await discardBody(request);
	}
};
