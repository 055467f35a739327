import { json } from '@sveltejs/kit';
import { apiError, discardBody } from '$lib/server/http';
import { restoreVersion } from '$lib/server/versions';
import type { RequestHandler } from './$types';

/**
 * Makes the version the current map for everyone connected. Answers the id of the version that keeps
 * the map as it was (restoring it undoes this), or null when the map already showed that content.
 */
export const POST: RequestHandler = async ({ locals, params, request }) => {
	try {
		const kept = await restoreVersion(locals.db, locals.user, params, params.versionId);
		return json({ kept });
	} catch (e) {
		return apiError(e, locals.locale);
	} finally {
		// An unread body would reset the client's next request on this keep-alive connection.
		await discardBody(request);
	}
};
