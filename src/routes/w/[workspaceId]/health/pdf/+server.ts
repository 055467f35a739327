import { guard } from '$lib/server/http';
import { exportPortfolioPdf, pdfDownload } from '$lib/server/health-pdf';
import type { RequestHandler } from './$types';

/** The workspace's portfolio as a PDF, from the health page's query string (range, compare, filters). */
export const GET: RequestHandler = async ({ locals, params, url }) =>
	pdfDownload(
		await guard(locals, url, () =>
			exportPortfolioPdf(locals.db, locals.user, params.workspaceId, url.searchParams, locals.locale)
		)
	);
