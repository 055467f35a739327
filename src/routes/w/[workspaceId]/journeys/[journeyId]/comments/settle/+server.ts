import { settleTouchpointThreads } from '$lib/server/comments';
import { answer, readObject } from '../json';
import type { RequestHandler } from './$types';

/** After touchpoints were deleted from the map: `{ fate: 'keep' | 'delete', touchpoints: [{ id, title }] }`. */
export const POST: RequestHandler = ({ locals, params, request }) =>
	answer(locals, request, async () => ({
		threads: await settleTouchpointThreads(locals.db, locals.user, params, await readObject(request))
	}));
