import { createComment, listComments } from '$lib/server/comments';
import { answer, readObject } from './json';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = ({ locals, params, request }) =>
	answer(locals, request, async () => ({
		comments: await listComments(locals.db, locals.user, params)
	}));

/** `{ body, touchpointId?, touchpointTitle? }` starts a thread; `{ body, parentId }` replies. */
export const POST: RequestHandler = ({ locals, params, request }) =>
	answer(
		locals,
		request,
		async () => ({ comment: await createComment(locals.db, locals.user, params, await readObject(request)) }),
		201
	);
