import { roleAllows } from '$lib/access/roles';
import { act, guard, readForm } from '$lib/server/http';
import {
	deleteCatalogueItem,
	deleteMotive,
	deletePlace,
	getTaxonomySettings,
	MOTIVE_STAGES,
	PLACE_KINDS,
	PRODUCT_KINDS,
	resetMotives,
	saveCatalogueItem,
	saveMotive,
	savePlace,
	TAXONOMY_LIMITS
} from '$lib/server/taxonomy';
import { formString } from '$lib/server/validate';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, url, parent }) => {
	const { workspace } = await parent();
	return guard(locals, url, async () => ({
		taxonomy: await getTaxonomySettings(locals.db, locals.user, params.workspaceId),
		canEdit: roleAllows(workspace.role, 'taxonomy:edit'),
		productKinds: PRODUCT_KINDS,
		placeKinds: PLACE_KINDS,
		stages: MOTIVE_STAGES,
		limits: TAXONOMY_LIMITS
	}));
};

/** Reads the named fields; `form` tells the page which of its many forms a failure belongs to. */
async function fields(request: Request, names: string[]) {
	const form = await readForm(request);
	const values: Record<string, string> = { form: formString(form, 'form') };
	for (const n of names) values[n] = formString(form, n);
	return values;
}

const ENTRY = ['id', 'name', 'kind', 'aliases'];
const MOTIVE = ['key', 'labelEn', 'labelFr', 'keywords', 'stage'];

/** One action: read the fields, call the service; a failure sends the values back with its form. */
function run(
	locals: App.Locals,
	request: Request,
	names: string[],
	done: string,
	fn: (v: Record<string, string>) => Promise<unknown>
) {
	const v: Record<string, string> = {};
	return act(
		locals,
		async () => {
			Object.assign(v, await fields(request, names));
			await fn(v);
			return { done, form: v.form };
		},
		v
	);
}

export const actions: Actions = {
	saveProduct: ({ locals, params, request }) =>
		run(locals, request, ENTRY, 'saveProduct', (v) =>
			saveCatalogueItem(locals.db, locals.user, params.workspaceId, v)
		),
	deleteProduct: ({ locals, params, request }) =>
		run(locals, request, ['id'], 'deleteProduct', (v) =>
			deleteCatalogueItem(locals.db, locals.user, params.workspaceId, v.id)
		),
	savePlace: ({ locals, params, request }) =>
		run(locals, request, ENTRY, 'savePlace', (v) => savePlace(locals.db, locals.user, params.workspaceId, v)),
	deletePlace: ({ locals, params, request }) =>
		run(locals, request, ['id'], 'deletePlace', (v) =>
			deletePlace(locals.db, locals.user, params.workspaceId, v.id)
		),
	saveMotive: ({ locals, params, request }) =>
		run(locals, request, MOTIVE, 'saveMotive', (v) =>
			saveMotive(locals.db, locals.user, params.workspaceId, v)
		),
	deleteMotive: ({ locals, params, request }) =>
		run(locals, request, ['key'], 'deleteMotive', (v) =>
			deleteMotive(locals.db, locals.user, params.workspaceId, v.key)
		),
	resetMotives: ({ locals, params, request }) =>
		run(locals, request, [], 'resetMotives', () => resetMotives(locals.db, locals.user, params.workspaceId))
};
