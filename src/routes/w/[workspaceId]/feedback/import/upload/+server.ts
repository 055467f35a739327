import { json } from '@sveltejs/kit';
import { requireAccess } from '$lib/server/access';
import { importCsv, readImportForm } from '$lib/server/feedback/csv-import';
import { discardBody } from '$lib/server/http';
import { apiError } from '$lib/server/http';
import type { RequestHandler } from './$types';

/** The import page's upload (sent with upload progress): answers 202 with the import id, or the field to fix. */
export const POST: RequestHandler = async ({ locals, params, request, platform }) => {
	try {
		const workspaceId = params.workspaceId;
		await requireAccess(locals.db, locals.user, 'feedback:handle', { workspaceId });
		const { bytes, settings } = await readImportForm(request, platform);
		const id = await importCsv(locals.db, locals.user, workspaceId, bytes, settings);
		return json({ id, url: `/w/${workspaceId}/feedback/import/${id}` }, { status: 202 });
	} catch (e) {
		await discardBody(request);
		return apiError(e, locals.locale);
	}
};
