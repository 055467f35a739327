/**
 * Feedback typed in by staff: a call note, a conversation in store. Stored with source `manual` and the
 * author as `created_by`; the same queue and analysis as every other path.
 */
import { FEEDBACK_LIMITS, RATING_KINDS, RATING_RANGE, type RatingKind } from '../../feedback/types';
import { parseChannel, validateFeedbackInput } from '../../feedback/validate';
import { requireAccess, type Actor } from '../access';
import type { Db } from '../db';
import { invalid } from '../errors';
import { requireText } from '../validate';
import { requireTarget } from './forms';
import { ingestFeedback } from './ingest';

export interface ManualInput {
	text: string;
	channel: string;
	/** `datetime-local` value (wall-clock time of the person typing), or ISO. Empty: now. */
	receivedAt: string;
	/** The browser's `Date.getTimezoneOffset()` in minutes, so wall-clock time becomes an instant. */
	tzOffset: string;
	journeyId: string;
	touchpointId: string;
	customerId: string;
	customerName: string;
	customerContact: string;
	ratingKind: string;
	ratingValue: string;
}

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

/** Reads the form's date and time; field `receivedAt` on any problem. */
export function parseLocalInstant(value: string, tzOffset: string, now: Date): Date {
	const v = value.trim();
	if (!v) return now;
	const m = LOCAL.exec(v);
	let date: Date;
	if (m) {
		const offset = /^-?\d{1,4}$/.test(tzOffset.trim()) ? Number(tzOffset) : 0;
		const [, y, mo, d, h, mi, s = '0'] = m;
		date = new Date(Date.UTC(+y, +mo - 1, +d, +h, +mi, +s) + offset * 60_000);
	} else date = new Date(v);
	if (Number.isNaN(date.getTime()) || date.getUTCFullYear() < 1990)
		throw invalid('receivedAt', 'collect.manual.dateInvalid');
	if (date.getTime() > now.getTime() + 5 * 60_000) throw invalid('receivedAt', 'collect.manual.dateFuture');
	return date;
}

export async function createManualFeedback(
	db: Db,
	actor: Actor,
	workspaceId: string,
	input: ManualInput,
	now = new Date()
): Promise<{ id: string }> {
	await requireAccess(db, actor, 'feedback:handle', { workspaceId });
	const text = requireText('text', input.text, FEEDBACK_LIMITS.text);
	const channel = parseChannel(input.channel);
	if (!channel) throw invalid('channel', 'collect.manual.channelInvalid');
	const receivedAt = parseLocalInstant(input.receivedAt, input.tzOffset, now);
	const max = FEEDBACK_LIMITS.customerField;
	const customer = {
		id: requireText('customerId', input.customerId, max, true),
		name: requireText('customerName', input.customerName, max, true),
		contact: requireText('customerContact', input.customerContact, max, true)
	};
	let rating: { kind: RatingKind; value: number } | null = null;
	if (input.ratingKind && input.ratingKind !== 'none') {
		if (!(RATING_KINDS as readonly string[]).includes(input.ratingKind))
			throw invalid('ratingKind', 'collect.error.askRating');
		const kind = input.ratingKind as RatingKind;
		const [min, maxValue] = RATING_RANGE[kind];
		const value = Number(input.ratingValue);
		if (input.ratingValue.trim() === '' || !Number.isInteger(value) || value < min || value > maxValue)
			throw invalid('ratingValue', 'collect.public.ratingRange', { min, max: maxValue });
		rating = { kind, value };
	}
	let target: { journeyId: string | null; touchpointId: string | null } = {
		journeyId: null,
		touchpointId: null
	};
	if (input.journeyId) target = await requireTarget(db, workspaceId, input.journeyId, input.touchpointId);
	else if (input.touchpointId) throw invalid('journeyId', 'collect.error.journey');

	const v = validateFeedbackInput(
		{
			text,
			channel,
			received_at: receivedAt.toISOString(),
			customer,
			rating,
			journey_id: target.journeyId,
			touchpoint_id: target.touchpointId
		},
		{ now }
	);
	// Everything above mirrors the shared validation; this only catches what it adds later.
	if (!v.ok) throw invalid(v.issues[0].field, 'error.badRequest');
	const result = await ingestFeedback(db, { workspaceId, source: 'manual', createdBy: actor!.id }, [v.value]);
	const item = result.items[0];
	if (!item.id) throw invalid('journeyId', 'collect.error.journey');
	return { id: item.id };
}
