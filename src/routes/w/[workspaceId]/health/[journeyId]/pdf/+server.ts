import { guard } from '$lib/server/http';
import { exportJourneyHealthPdf, pdfDownload } from '$lib/server/health-pdf';
import type { RequestHandler } from './$types';

/** One journey's health page as a PDF, from the page's query string (range, compare, filters). */
export const GET: RequestHandler = async ({ locals, params, url }) =>
	pdfDownload(
		await guard(locals, url, () =>
			exportJourneyHealthPdf(
				locals.db,
				locals.user,
				params.workspaceId,
				params.journeyId,
				url.searchParams,
				locals.locale
			)
		)
	);
