/** How the inbox names the values of its facets and fields, in the user's language. */
import type { FacetKey } from '$lib/feedback/inbox';
import type { MessageKey } from '$lib/i18n';
import type { I18n } from '$lib/i18n/context';

/** The display names the server sends with a page (see `inboxNames`). */
export interface Names {
	journeys: Array<{
		id: string;
		title: string;
		touchpoints: Array<{ id: string; title: string; stage: string }>;
	}>;
	motives: Array<{ id: string; label: string }>;
	products: Record<string, string>;
	places: Record<string, string>;
}

const KEYED: Partial<Record<FacetKey, string>> = {
	stage: 'editor.group',
	channel: 'inbox.channel',
	polarity: 'inbox.polarity',
	intent: 'inbox.intent',
	language: 'inbox.language',
	customer: 'inbox.customer',
	emotion: 'inbox.emotion'
};

function cityName(id: string): string {
	return id
		.slice(5)
		.split('-')
		.map((w) => w.charAt(0).toUpperCase() + w.slice(1))
		.join('-');
}

export function touchpointTitle(names: Names, id: string | null, journeyId?: string | null): string | null {
	if (!id) return null;
	const journeys = journeyId ? names.journeys.filter((j) => j.id === journeyId) : names.journeys;
	for (const j of journeys) {
		const tp = j.touchpoints.find((t) => t.id === id);
		if (tp) return tp.title;
	}
	return id;
}

/** A value of a facet as the user reads it; unknown ids are shown as they are. */
export function valueLabel(i18n: I18n, names: Names, facet: FacetKey, value: string): string {
	const prefix = KEYED[facet];
	if (prefix) {
		const key = `${prefix}.${value}` as MessageKey;
		const text = i18n.t(key);
		return text && text !== key ? text : value;
	}
	switch (facet) {
		case 'journey':
			return names.journeys.find((j) => j.id === value)?.title ?? value;
		case 'touchpoint':
			return touchpointTitle(names, value) ?? value;
		case 'motive':
			return names.motives.find((m) => m.id === value)?.label ?? value;
		case 'product':
			return names.products[value] ?? value;
		case 'place':
			return names.places[value] ?? (value.startsWith('city:') ? cityName(value) : value);
		default:
			return value;
	}
}

export function percent(confidence: number | null | undefined): string {
	if (confidence === null || confidence === undefined || !Number.isFinite(confidence)) return '—';
	return `${Math.round(confidence * 100)} %`;
}
