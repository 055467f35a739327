import { getImport } from '$lib/server/feedback/csv-import';
import { guard } from '$lib/server/http';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, url }) =>
	guard(locals, url, async () => ({
		progress: await getImport(locals.db, locals.user, params.workspaceId, params.importId)
	}));
