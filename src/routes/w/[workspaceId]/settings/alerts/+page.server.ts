import { fail } from '@sveltejs/kit';
import { roleAllows } from '$lib/access/roles';
import { translate, type MessageKey } from '$lib/i18n';
import { DETECTOR_SETTING_RANGES } from '$lib/loops';
import { getDetectorSettings, saveDetectorSettings } from '$lib/server/alerts';
import { act, guard, readForm } from '$lib/server/http';
import { formString } from '$lib/server/validate';
import type { Actions, PageServerLoad } from './$types';

const FIELDS = Object.keys(DETECTOR_SETTING_RANGES);

export const load: PageServerLoad = async ({ locals, params, url, parent }) => {
	const { workspace } = await parent();
	return guard(locals, url, async () => ({
		...(await getDetectorSettings(locals.db, locals.user, params.workspaceId)),
		fields: FIELDS,
		canEdit: roleAllows(workspace.role, 'workspace:manage')
	}));
};

export const actions: Actions = {
	save: async ({ locals, params, request }) => {
		const values: Record<string, string> = {};
		const result = await act(locals, async () => {
			const form = await readForm(request);
			for (const f of FIELDS) values[f] = formString(form, f);
			return saveDetectorSettings(locals.db, locals.user, params.workspaceId, values);
		});
		if (!('issues' in result) || !result.issues.length) return result;
		// Every refused field gets its own message next to it.
		const errors: Record<string, string> = {};
		for (const i of result.issues)
			errors[i.field] ??= translate(locals.locale, `alerts.settings.issue.${i.code}` as MessageKey, {
				min: i.min ?? '',
				max: i.max ?? ''
			});
		return fail(400, { errors, values, message: translate(locals.locale, 'alerts.settings.invalid') });
	}
};
