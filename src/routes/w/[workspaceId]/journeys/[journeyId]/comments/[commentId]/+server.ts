import { deleteComment, editComment, setResolved } from '$lib/server/comments';
import { answer, readObject } from '../json';
import type { RequestHandler } from './$types';

const refOf = (p: { workspaceId: string; journeyId: string }) => ({
	workspaceId: p.workspaceId,
	journeyId: p.journeyId
});

/** `{ body }` edits one's own comment; `{ resolved: true | false }` resolves or reopens its thread. */
export const PATCH: RequestHandler = ({ locals, params, request }) =>
	answer(locals, request, async () => {
		const input = await readObject(request);
		if ('resolved' in input)
			await setResolved(locals.db, locals.user, refOf(params), params.commentId, input.resolved);
		else await editComment(locals.db, locals.user, refOf(params), params.commentId, input);
	});

export const DELETE: RequestHandler = ({ locals, params, request }) =>
	answer(locals, request, () => deleteComment(locals.db, locals.user, refOf(params), params.commentId));
