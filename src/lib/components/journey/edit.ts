/** Small helpers of the side panels: turning form text into model values, applying with feedback. */
import { JourneyError, LIMITS } from '$lib/journey';
import { showToast } from '$lib/components/ui/toasts.svelte';

/** One item a line; blank lines dropped; limits of the model applied rather than refused. */
export function linesToList(text: string): string[] {
	return text
		.split('\n')
		.map((l) => l.trim().slice(0, LIMITS.listItem))
		.filter(Boolean)
		.slice(0, LIMITS.listLength);
}

export function commaToList(text: string): string[] {
	return linesToList(text.replaceAll(',', '\n'));
}

/** Runs an edit; a refusal of the model becomes a toast naming the field, and nothing changes. */
export function attempt(fn: () => void, describe: (e: JourneyError) => string): boolean {
	try {
		fn();
		return true;
	} catch (e) {
		if (!(e instanceof JourneyError)) throw e;
		showToast(describe(e), 'error');
		return false;
	}
}
