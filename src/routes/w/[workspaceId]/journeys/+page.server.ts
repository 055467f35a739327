import { redirect } from '@sveltejs/kit';
import { can } from '$lib/server/access';
import { AppError, invalid } from '$lib/server/errors';
import { act, guard, readForm } from '$lib/server/http';
import {
	createJourney,
	deleteJourney,
	duplicateJourney,
	importJourneyFile,
	listJourneys,
	MAX_IMPORT_BYTES,
	renameJourney,
	setJourneyArchived
} from '$lib/server/journeys';
import {
	createJourneyFromWorkspaceTemplate,
	listTemplates,
	saveJourneyAsTemplate,
	WORKSPACE_TEMPLATE_PREFIX
} from '$lib/server/templates';
import { formString } from '$lib/server/validate';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const [active, archived, templates] = await guard(locals, url, () =>
		Promise.all([
			listJourneys(locals.db, locals.user, params.workspaceId),
			listJourneys(locals.db, locals.user, params.workspaceId, true),
			listTemplates(locals.db, locals.user, params.workspaceId)
		])
	);
	const view = (j: (typeof active)[number]) => ({
		id: j.id,
		title: j.title,
		description: j.description,
		updatedAt: j.updatedAt,
		createdBy: j.createdBy
	});
	return {
		journeys: active.map(view),
		archived: archived.map(view),
		templates: templates.map((t) => ({ value: `${WORKSPACE_TEMPLATE_PREFIX}${t.id}`, name: t.name })),
		canCreate: await can(locals.db, locals.user, 'journey:create', { workspaceId: params.workspaceId }),
		canManageTemplates: await can(locals.db, locals.user, 'template:manage', {
			workspaceId: params.workspaceId
		})
	};
};

const journeyAction =
	(fn: (locals: App.Locals, form: FormData, journeyId: string) => Promise<unknown>, done: string) =>
	async ({ locals, request }: { locals: App.Locals; request: Request }) =>
		act(locals, async () => {
			const form = await readForm(request);
			await fn(locals, form, formString(form, 'journeyId'));
			return { done };
		});

export const actions: Actions = {
	create: async ({ locals, params, request }) => {
		const result = await act(locals, async () => {
			const form = await readForm(request);
			const title = formString(form, 'title');
			const template = formString(form, 'template');
			if (template.startsWith(WORKSPACE_TEMPLATE_PREFIX)) {
				return createJourneyFromWorkspaceTemplate(
					locals.db,
					locals.user,
					params.workspaceId,
					template.slice(WORKSPACE_TEMPLATE_PREFIX.length),
					{ title, locale: locals.locale }
				);
			}
			return createJourney(locals.db, locals.user, params.workspaceId, {
				title,
				template,
				locale: locals.locale
			});
		});
		if ('id' in result) redirect(303, `/w/${params.workspaceId}/journeys/${result.id}`);
		return result;
	},
	import: async ({ locals, params, request }) => {
		const result = await act(locals, async () => {
			const form = await readForm(request);
			const file = form.get('file');
			if (!(file instanceof File) || file.size === 0) throw invalid('file', 'error.fileRequired');
			if (file.size > MAX_IMPORT_BYTES) {
				throw new AppError(413, 'error.fileTooLarge', { max: MAX_IMPORT_BYTES / 1024 / 1024 }, 'file');
			}
			return importJourneyFile(locals.db, locals.user, params.workspaceId, await file.text(), locals.locale);
		});
		if ('id' in result) redirect(303, `/w/${params.workspaceId}/journeys/${result.id}`);
		return result;
	},
	rename: journeyAction(
		(l, form, id) => renameJourney(l.db, l.user, id, formString(form, 'title')),
		'rename'
	),
	duplicate: journeyAction(
		(l, form, id) =>
			duplicateJourney(l.db, l.user, id, l.locale, { withFeedback: form.get('withFeedback') === 'on' }),
		'duplicate'
	),
	saveTemplate: journeyAction(
		(l, form, id) => saveJourneyAsTemplate(l.db, l.user, id, { name: formString(form, 'name') }),
		'saveTemplate'
	),
	archive: journeyAction((l, _f, id) => setJourneyArchived(l.db, l.user, id, true), 'archive'),
	unarchive: journeyAction((l, _f, id) => setJourneyArchived(l.db, l.user, id, false), 'unarchive'),
	delete: journeyAction((l, _f, id) => deleteJourney(l.db, l.user, id), 'delete')
};
