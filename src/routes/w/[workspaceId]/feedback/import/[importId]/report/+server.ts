import { importReport } from '$lib/server/feedback/csv-import';
import { attachment } from '$lib/server/download';
import { apiError } from '$lib/server/http';
import type { RequestHandler } from './$types';

/** The rejected rows as a CSV download, in the reader's language. */
export const GET: RequestHandler = async ({ locals, params }) => {
	try {
		const { filename, body } = await importReport(
			locals.db,
			locals.user,
			params.workspaceId,
			params.importId,
			locals.locale
		);
		return new Response(body, {
			headers: {
				'content-type': 'text/csv; charset=utf-8',
				'content-disposition': attachment(filename),
				'cache-control': 'no-store'
			}
		});
	} catch (e) {
		return apiError(e, locals.locale);
	}
};
