import type { SubmitFunction } from '@sveltejs/kit';
import type { I18n } from '$lib/i18n/context';
import type { MessageKey } from '$lib/i18n';
import { showToast } from './toasts.svelte';

/**
 * Progressive enhancement for a form: the page updates in place, a toast says what happened, and an error
 * that belongs to no field is shown as a toast as well as in the form.
 */
export function withToast(i18n: I18n, successKey?: MessageKey, reset = true): SubmitFunction {
	return () =>
		async ({ result, update }) => {
			await update({ reset: reset && result.type === 'success' });
			if (result.type === 'success' && successKey) showToast(i18n.t(successKey));
			else if (result.type === 'failure') {
				const message = (result.data as { message?: string } | undefined)?.message;
				showToast(message ?? i18n.t('error.generic'), 'error');
			} else if (result.type === 'error') showToast(i18n.t('error.generic'), 'error');
		};
}
