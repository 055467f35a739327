import { json } from '@sveltejs/kit';
import { getFeedbackItem, requireApiClient } from '$lib/server/feedback/api';
import { apiError } from '$lib/server/http';
import type { RequestHandler } from './$types';

/** One item with its analysis status and results, so an integration can poll after posting. */
export const GET: RequestHandler = async ({ locals, request, params }) => {
	try {
		const principal = await requireApiClient(locals.db, locals.config, request);
		return json(await getFeedbackItem(locals.db, principal, params.id));
	} catch (e) {
		return apiError(e);
	}
};
