import { parseHealthQuery } from '$lib/health';
import { portfolio } from '$lib/server/health';
import { guard } from '$lib/server/http';
import { inviteViewer, today } from './invite';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const { query, errors } = parseHealthQuery(url.searchParams, today());
	return guard(locals, url, async () => ({
		view: await portfolio(locals.db, locals.user, params.workspaceId, query, locals.locale),
		errors
	}));
};

export const actions: Actions = { inviteViewer };
