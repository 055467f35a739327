import { error } from '@sveltejs/kit';
import { translate } from '$lib/i18n';
import { attachment } from '$lib/server/download';
import { isAppError } from '$lib/server/errors';
import { exportJourneyPdf } from '$lib/server/export-pdf';
import type { RequestHandler } from './$types';

/** Downloads the journey's saved map as a vector PDF: `?paper=a4|a3&layout=fit|split`. */
export const GET: RequestHandler = async ({ locals, params, url }) => {
	try {
		const pdf = await exportJourneyPdf(
			locals.db,
			locals.user,
			params.workspaceId,
			params.journeyId,
			url.searchParams,
			locals.locale
		);
		return new Response(pdf.bytes, {
			headers: {
				'content-type': 'application/pdf',
				'content-length': String(pdf.bytes.byteLength),
				'content-disposition': attachment(pdf.fileName),
				'cache-control': 'private, no-store'
			}
		});
	} catch (e) {
		if (isAppError(e)) error(e.status, { message: translate(locals.locale, e.code, e.params), code: e.code });
		throw e;
	}
};
