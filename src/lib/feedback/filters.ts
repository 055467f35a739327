/** The filters of the map's live scores, read from URL parameters (pure; shared by server and client). */
import { FEEDBACK_CHANNELS, type FeedbackChannel } from './types';
import type { FieldIssue, Validated } from './validate';

export interface ScoreFilters {
	/** First day counted, `YYYY-MM-DD` (UTC), inclusive. */
	from?: string;
	/** Last day counted, inclusive. */
	to?: string;
	channel?: FeedbackChannel;
	/** Catalogue item id: only items that mention it. */
	product?: string;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function validDay(v: string): boolean {
	if (!DAY.test(v)) return false;
	const d = new Date(`${v}T00:00:00Z`);
	return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
}

export function parseScoreFilters(params: URLSearchParams): Validated<ScoreFilters> {
	const issues: FieldIssue[] = [];
	const out: ScoreFilters = {};
	const from = params.get('from');
	const to = params.get('to');
	const channel = params.get('channel');
	const product = params.get('product');
	if (from) {
		if (validDay(from)) out.from = from;
		else issues.push({ field: 'from', message: 'must be a date YYYY-MM-DD' });
	}
	if (to) {
		if (validDay(to)) out.to = to;
		else issues.push({ field: 'to', message: 'must be a date YYYY-MM-DD' });
	}
	if (out.from && out.to && out.from > out.to)
		issues.push({ field: 'to', message: 'must not be before from' });
	if (channel) {
		if ((FEEDBACK_CHANNELS as readonly string[]).includes(channel)) out.channel = channel as FeedbackChannel;
		else issues.push({ field: 'channel', message: `must be one of ${FEEDBACK_CHANNELS.join(', ')}` });
	}
	if (product) {
		if (UUID.test(product)) out.product = product.toLowerCase();
		else issues.push({ field: 'product', message: 'must be a catalogue item id' });
	}
	return issues.length ? { ok: false, issues } : { ok: true, value: out };
}

/** The same filters as URL parameters (stable order, empty ones left out). */
export function scoreFiltersToParams(f: ScoreFilters): URLSearchParams {
	const p = new URLSearchParams();
	if (f.from) p.set('from', f.from);
	if (f.to) p.set('to', f.to);
	if (f.channel) p.set('channel', f.channel);
	if (f.product) p.set('product', f.product);
	return p;
}
