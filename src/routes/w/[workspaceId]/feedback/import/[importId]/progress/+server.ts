import { json } from '@sveltejs/kit';
import { getImport } from '$lib/server/feedback/csv-import';
import { apiError } from '$lib/server/http';
import type { RequestHandler } from './$types';

/** Polled by the progress page; the import row is the truth, so a reload or another instance sees the same. */
export const GET: RequestHandler = async ({ locals, params }) => {
	try {
		const progress = await getImport(locals.db, locals.user, params.workspaceId, params.importId);
		return json(progress, { headers: { 'cache-control': 'no-store' } });
	} catch (e) {
		return apiError(e, locals.locale);
	}
};
