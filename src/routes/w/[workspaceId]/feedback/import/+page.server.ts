import { redirect } from '@sveltejs/kit';
import { roleAllows } from '$lib/access/roles';
import { CSV_LIMITS } from '$lib/feedback/csv';
import { requireAccess } from '$lib/server/access';
import { importCsv, listImports, readImportForm } from '$lib/server/feedback/csv-import';
import { act, discardBody, guard } from '$lib/server/http';
import { listJourneys } from '$lib/server/journeys';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, url, parent }) => {
	const { workspace } = await parent();
	const canImport = roleAllows(workspace.role, 'feedback:handle');
	return guard(locals, url, async () => ({
		canImport,
		journeys: (await listJourneys(locals.db, locals.user, params.workspaceId)).map((j) => ({
			id: j.id,
			title: j.title
		})),
		imports: canImport ? await listImports(locals.db, locals.user, params.workspaceId) : [],
		maxBytes: CSV_LIMITS.fileBytes
	}));
};

export const actions: Actions = {
	// Without JavaScript: the file and the choices in one multipart post; columns are guessed from the header.
	start: async ({ locals, params, request, platform }) => {
		const result = await act(locals, async () => {
			await requireAccess(locals.db, locals.user, 'feedback:handle', { workspaceId: params.workspaceId });
			const { bytes, settings } = await readImportForm(request, platform);
			return { importId: await importCsv(locals.db, locals.user, params.workspaceId, bytes, settings) };
		});
		if ('importId' in result) redirect(303, `/w/${params.workspaceId}/feedback/import/${result.importId}`);
		await discardBody(request);
		return result;
	}
};
