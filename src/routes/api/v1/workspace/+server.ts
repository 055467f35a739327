import { json } from '@sveltejs/kit';
import { eq } from 'drizzle-orm';
import { requireApiKey } from '$lib/server/api-auth';
import { workspace } from '$lib/server/db/schema';
import { apiError } from '$lib/server/http';
import type { RequestHandler } from './$types';

/** Which workspace this API key belongs to: lets an integration check its key. */
export const GET: RequestHandler = async ({ locals, request }) => {
	try {
		const principal = await requireApiKey(locals.db, request);
		const rows = await locals.db
			.select({ id: workspace.id, name: workspace.name })
			.from(workspace)
			.where(eq(workspace.id, principal.workspaceId));
		return json({ workspace: rows[0] });
	} catch (e) {
		return apiError(e);
	}
};
