import { error } from '@sveltejs/kit';
import { translate } from '$lib/i18n';
import { attachment } from '$lib/server/download';
import { isAppError } from '$lib/server/errors';
import { exportJourneyFile } from '$lib/server/journeys';
import type { RequestHandler } from './$types';

/** Downloads the journey as a versioned JSON file (the format `?/import` on the list page reads). */
export const GET: RequestHandler = async ({ locals, params }) => {
	try {
		const file = await exportJourneyFile(locals.db, locals.user, params.journeyId);
		const name = file.journey.title.replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-|-$/g, '') || 'journey';
		return new Response(JSON.stringify(file, null, 2), {
			headers: {
				'content-type': 'application/json; charset=utf-8',
				'content-disposition': attachment(`${name}.parcours.json`)
			}
		});
	} catch (e) {
		if (isAppError(e)) error(e.status, { message: translate(locals.locale, e.code, e.params), code: e.code });
		throw e;
	}
};
