/**
 * Validation of one feedback item from any boundary (API JSON, CSV row, form, manual entry).
 * Returns every problem at once, each naming its field, so a batch can report bad items precisely.
 */
import {
	FEEDBACK_CHANNELS,
	FEEDBACK_LANGUAGES,
	FEEDBACK_LIMITS,
	RATING_KINDS,
	RATING_RANGE,
	type Customer,
	type FeedbackChannel,
	type FeedbackInput,
	type FeedbackLanguage,
	type RatingKind
} from './types';

export interface FieldIssue {
	/** Dotted path of the field, e.g. `customer.contact`. */
	field: string;
	message: string;
}

export type Validated<T> = { ok: true; value: T } | { ok: false; issues: FieldIssue[] };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/** Accepted spellings of channels from spreadsheets and other tools. */
const CHANNEL_ALIASES: Record<string, FeedbackChannel> = {
	mail: 'email',
	'e-mail': 'email',
	courriel: 'email',
	form: 'web_form',
	webform: 'web_form',
	'web form': 'web_form',
	formulaire: 'web_form',
	web: 'web_form',
	twitter: 'social',
	x: 'social',
	facebook: 'social',
	instagram: 'social',
	linkedin: 'social',
	'réseaux sociaux': 'social',
	reseaux: 'social',
	enquête: 'survey',
	enquete: 'survey',
	questionnaire: 'survey',
	sondage: 'survey',
	tchat: 'chat',
	messenger: 'chat',
	whatsapp: 'chat',
	call: 'phone',
	téléphone: 'phone',
	telephone: 'phone',
	appel: 'phone',
	magasin: 'store',
	boutique: 'store',
	agence: 'store',
	avis: 'review',
	autre: 'other'
};

/** Reads a channel name, tolerating case and common aliases; null when unknown. */
export function parseChannel(value: unknown): FeedbackChannel | null {
	if (typeof value !== 'string') return null;
	const v = value.trim().toLowerCase();
	if ((FEEDBACK_CHANNELS as readonly string[]).includes(v)) return v as FeedbackChannel;
	return CHANNEL_ALIASES[v] ?? null;
}

/** Reads an instant: ISO 8601, a Unix time in ms, or common day-first dates (`31/12/2024 18:05`). */
export function parseInstant(value: unknown): Date | null {
	if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value;
	if (typeof value === 'number') return Number.isFinite(value) ? new Date(value) : null;
	if (typeof value !== 'string') return null;
	const v = value.trim();
	if (!v) return null;
	const dayFirst = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[ T](\d{1,2})[:h](\d{2})(?::(\d{2}))?)?$/.exec(v);
	if (dayFirst) {
		const [, d, m, y, hh = '0', mm = '0', ss = '0'] = dayFirst;
		const date = new Date(Date.UTC(+y, +m - 1, +d, +hh, +mm, +ss));
		return date.getUTCDate() === +d && date.getUTCMonth() === +m - 1 ? date : null;
	}
	if (!/^\d{4}-\d{2}-\d{2}/.test(v)) return null;
	const date = new Date(v);
	return Number.isNaN(date.getTime()) ? null : date;
}

type Raw = Record<string, unknown>;

function optionalString(
	raw: Raw,
	key: string,
	field: string,
	max: number,
	issues: FieldIssue[]
): string | null {
	const v = raw[key];
	if (v === undefined || v === null || v === '') return null;
	if (typeof v !== 'string' && typeof v !== 'number') {
		issues.push({ field, message: 'must be a string' });
		return null;
	}
	const s = String(v).trim();
	if (s.length > max) issues.push({ field, message: `must be at most ${max} characters` });
	else if (CONTROL.test(s)) issues.push({ field, message: 'must not contain control characters' });
	return s || null;
}

export interface ValidateOptions {
	/** Channel to use when the item has none (e.g. chosen for a whole CSV file). */
	defaultChannel?: FeedbackChannel;
	/** Journey to use when the item has none. */
	defaultJourneyId?: string | null;
	/** Instant to use when the item has no date; the item is refused without one otherwise. */
	now?: Date;
}

/**
 * Validates one raw item (the API's JSON shape; CSV rows and forms are mapped to it first).
 * `received_at` may be omitted when `options.now` is given; it may not be more than a day ahead.
 */
export function validateFeedbackInput(raw: unknown, options: ValidateOptions = {}): Validated<FeedbackInput> {
	if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
		return { ok: false, issues: [{ field: '', message: 'must be an object' }] };
	}
	const r = raw as Raw;
	const issues: FieldIssue[] = [];

	let text = '';
	if (typeof r.text !== 'string') issues.push({ field: 'text', message: 'is required (a string)' });
	else {
		text = r.text.replace(/\r\n?/g, '\n').trim();
		if (!text) issues.push({ field: 'text', message: 'must not be empty' });
		else if (text.length > FEEDBACK_LIMITS.text)
			issues.push({ field: 'text', message: `must be at most ${FEEDBACK_LIMITS.text} characters` });
		else if (text.includes('\u0000'))
			issues.push({ field: 'text', message: 'must not contain NUL characters' });
	}

	let channel: FeedbackChannel | null;
	if (r.channel === undefined || r.channel === null || r.channel === '') {
		channel = options.defaultChannel ?? null;
		if (!channel)
			issues.push({ field: 'channel', message: `is required (one of ${FEEDBACK_CHANNELS.join(', ')})` });
	} else {
		channel = parseChannel(r.channel);
		if (!channel)
			issues.push({ field: 'channel', message: `must be one of ${FEEDBACK_CHANNELS.join(', ')}` });
	}

	let receivedAt: Date | null;
	if (r.received_at === undefined || r.received_at === null || r.received_at === '') {
		receivedAt = options.now ?? null;
		if (!receivedAt) issues.push({ field: 'received_at', message: 'is required (ISO 8601 date and time)' });
	} else {
		receivedAt = parseInstant(r.received_at);
		if (!receivedAt)
			issues.push({ field: 'received_at', message: 'must be an ISO 8601 date, e.g. 2026-11-02T14:30:00Z' });
		else if (receivedAt.getTime() > Date.now() + 24 * 3600 * 1000)
			issues.push({ field: 'received_at', message: 'must not be in the future' });
		else if (receivedAt.getUTCFullYear() < 1990)
			issues.push({ field: 'received_at', message: 'must be after 1990' });
	}

	let customer: Customer | null = null;
	if (r.customer !== undefined && r.customer !== null) {
		if (typeof r.customer !== 'object' || Array.isArray(r.customer)) {
			issues.push({ field: 'customer', message: 'must be an object with id, name or contact' });
		} else {
			const c = r.customer as Raw;
			const max = FEEDBACK_LIMITS.customerField;
			const id = optionalString(c, 'id', 'customer.id', max, issues);
			const name = optionalString(c, 'name', 'customer.name', max, issues);
			const contact = optionalString(c, 'contact', 'customer.contact', max, issues);
			if (id || name || contact)
				customer = { ...(id && { id }), ...(name && { name }), ...(contact && { contact }) };
		}
	}

	let rating: FeedbackInput['rating'] = null;
	if (r.rating !== undefined && r.rating !== null) {
		const rt = r.rating as Raw;
		if (typeof rt !== 'object' || Array.isArray(rt)) {
			issues.push({ field: 'rating', message: 'must be an object { kind, value }' });
		} else if (!(RATING_KINDS as readonly unknown[]).includes(rt.kind)) {
			issues.push({ field: 'rating.kind', message: `must be one of ${RATING_KINDS.join(', ')}` });
		} else {
			const kind = rt.kind as RatingKind;
			const value = typeof rt.value === 'string' && rt.value.trim() !== '' ? Number(rt.value) : rt.value;
			const [min, max] = RATING_RANGE[kind];
			if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
				issues.push({
					field: 'rating.value',
					message: `must be a whole number from ${min} to ${max} for ${kind}`
				});
			} else rating = { kind, value };
		}
	}

	let journeyId: string | null = options.defaultJourneyId ?? null;
	if (r.journey_id !== undefined && r.journey_id !== null && r.journey_id !== '') {
		if (typeof r.journey_id !== 'string' || !UUID.test(r.journey_id))
			issues.push({ field: 'journey_id', message: 'must be a journey id (UUID)' });
		else journeyId = r.journey_id.toLowerCase();
	}

	const touchpointId = optionalString(r, 'touchpoint_id', 'touchpoint_id', 100, issues);
	if (touchpointId && !journeyId) issues.push({ field: 'touchpoint_id', message: 'needs journey_id' });

	let language: FeedbackLanguage | null = null;
	if (r.language !== undefined && r.language !== null && r.language !== '') {
		const l = typeof r.language === 'string' ? r.language.trim().toLowerCase().slice(0, 2) : '';
		if ((FEEDBACK_LANGUAGES as readonly string[]).includes(l)) language = l as FeedbackLanguage;
		else issues.push({ field: 'language', message: `must be one of ${FEEDBACK_LANGUAGES.join(', ')}` });
	}

	const externalId = optionalString(r, 'external_id', 'external_id', FEEDBACK_LIMITS.externalId, issues);

	if (issues.length) return { ok: false, issues };
	return {
		ok: true,
		value: {
			text,
			channel: channel!,
			receivedAt: receivedAt!,
			customer,
			rating,
			journeyId,
			touchpointId,
			language,
			externalId
		}
	};
}
