import { redirect } from '@sveltejs/kit';
import { AppError } from '$lib/server/errors';
import { apiError } from '$lib/server/http';
import { requireJourneyFeedback } from '$lib/server/feedback/scores';
import { recordTouchpointVisit } from '$lib/server/my-actions';
import type { RequestHandler } from './$types';

/**
 * From "My touchpoints" to a touchpoint's feedback in the inbox: the visit is recorded on the way, so
 * "new since your last visit" counts from now.
 */
export const GET: RequestHandler = async ({ locals, params, url }) => {
	const journeyId = url.searchParams.get('journey') ?? '';
	const touchpointId = url.searchParams.get('touchpoint') ?? '';
	try {
		if (!locals.user) throw new AppError(401, 'error.unauthenticated');
		await requireJourneyFeedback(locals.db, locals.user, params.workspaceId, journeyId);
		if (!touchpointId || touchpointId.length > 100) throw new AppError(404, 'error.notFound');
		await recordTouchpointVisit(locals.db, locals.user, journeyId, touchpointId);
	} catch (e) {
		return apiError(e, locals.locale);
	}
	const query = new URLSearchParams({ journey: journeyId, touchpoint: touchpointId });
	redirect(303, `/w/${params.workspaceId}/feedback?${query}`);
};
