import { json } from '@sveltejs/kit';
import { openApiDocument } from '$lib/feedback/openapi';
import type { RequestHandler } from './$types';

/** Public, like any API documentation: it describes the API, not a workspace. */
export const GET: RequestHandler = ({ url }) =>
	json(openApiDocument(url.origin), { headers: { 'cache-control': 'public, max-age=300' } });
