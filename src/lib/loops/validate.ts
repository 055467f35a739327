/**
 * Validation of what users send about loops (forms and API): every problem at once, each naming its
 * field with a code (`loops.field.<code>` in the catalogue) so the form can point at it and the
 * server can answer 400 instead of storing half of it.
 */
import { DUE_YEARS, isDay, isDueDay } from '../feedback/live';
import {
	ACTION_STATUSES,
	CONTACT_METHODS,
	FOLLOW_UP_OUTCOMES,
	MIN_REASON_LENGTH,
	type ActionStatus,
	type ContactMethod,
	type FollowUpOutcome
} from './rules';

export const LOOP_LIMITS = {
	title: 200,
	problem: 5000,
	need: 2000,
	touchpoints: 50,
	id: 100,
	note: 2000,
	reason: 500
} as const;

export interface LoopFieldIssue {
	field: string;
	code:
		| 'required'
		| 'too_long'
		| 'too_short'
		| 'too_many'
		| 'not_a_string'
		| 'invalid_choice'
		| 'invalid_day'
		| 'day_out_of_range';
	/** The limit broken, for too_long, too_short and too_many; the last year allowed for day_out_of_range. */
	limit?: number;
}

export type LoopValidated<T> = { ok: true; value: T } | { ok: false; issues: LoopFieldIssue[] };

export interface LoopInput {
	title: string;
	problem: string;
	rationalNeed: string;
	emotionalNeed: string;
	touchpointIds: string[];
	motive: string | null;
	ownerId: string | null;
}

export interface ActionInput {
	title: string;
	ownerId: string | null;
	/** YYYY-MM-DD. */
	dueDate: string | null;
	status: ActionStatus;
}

export interface FollowUpRecordInput {
	method: ContactMethod;
	outcome: FollowUpOutcome;
	note: string;
}

type Mode = 'create' | 'patch';

/** Reads fields of one object, collecting issues; in patch mode absent fields are skipped. */
class Reader {
	readonly issues: LoopFieldIssue[] = [];
	private readonly input: Record<string, unknown>;

	constructor(
		raw: unknown,
		private readonly mode: Mode
	) {
		this.input =
			raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
	}

	private skip(field: string): boolean {
		return this.mode === 'patch' && !(field in this.input);
	}

	/** Trimmed text; '' when absent (create) unless required. */
	text(field: string, max: number, options: { required?: boolean; min?: number } = {}): string | undefined {
		if (this.skip(field)) return undefined;
		const raw = this.input[field];
		if (raw !== undefined && raw !== null && typeof raw !== 'string') {
			this.issues.push({ field, code: 'not_a_string' });
			return undefined;
		}
		const value = (raw ?? '').trim();
		if (options.required && value === '') this.issues.push({ field, code: 'required' });
		else if (value.length > max) this.issues.push({ field, code: 'too_long', limit: max });
		else if (options.min && value !== '' && value.length < options.min)
			this.issues.push({ field, code: 'too_short', limit: options.min });
		return value;
	}

	/** A reference (user, touchpoint…) or null. */
	id(field: string): string | null | undefined {
		const value = this.text(field, LOOP_LIMITS.id);
		return value === undefined ? undefined : value || null;
	}

	choice<T extends string>(field: string, choices: readonly T[], fallback?: T): T | undefined {
		if (this.skip(field)) return undefined;
		const raw = this.input[field];
		if ((raw === undefined || raw === null || raw === '') && fallback !== undefined) return fallback;
		if (typeof raw === 'string' && (choices as readonly string[]).includes(raw)) return raw as T;
		this.issues.push({
			field,
			code: raw === undefined || raw === null || raw === '' ? 'required' : 'invalid_choice'
		});
		return undefined;
	}

	day(field: string): string | null | undefined {
		if (this.skip(field)) return undefined;
		const raw = this.input[field];
		if (raw === undefined || raw === null || raw === '') return null;
		if (isDueDay(raw)) return raw;
		if (isDay(raw)) this.issues.push({ field, code: 'day_out_of_range', limit: DUE_YEARS.max });
		else this.issues.push({ field, code: 'invalid_day' });
		return undefined;
	}

	ids(field: string, max: number): string[] | undefined {
		if (this.skip(field)) return undefined;
		const raw = this.input[field] ?? [];
		if (!Array.isArray(raw)) {
			this.issues.push({ field, code: 'not_a_string' });
			return undefined;
		}
		if (raw.length > max) this.issues.push({ field, code: 'too_many', limit: max });
		const ids: string[] = [];
		raw.forEach((v, i) => {
			if (typeof v !== 'string' || v.trim() === '')
				this.issues.push({ field: `${field}[${i}]`, code: 'required' });
			else if (v.length > LOOP_LIMITS.id)
				this.issues.push({ field: `${field}[${i}]`, code: 'too_long', limit: LOOP_LIMITS.id });
			else ids.push(v.trim());
		});
		return [...new Set(ids)];
	}

	result<T>(value: T): LoopValidated<T> {
		return this.issues.length ? { ok: false, issues: this.issues } : { ok: true, value };
	}
}

/** Drops the fields a patch did not send. */
function defined<T extends object>(value: T): Partial<T> {
	return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export function validateLoopInput(raw: unknown, mode: 'create'): LoopValidated<LoopInput>;
export function validateLoopInput(raw: unknown, mode: 'patch'): LoopValidated<Partial<LoopInput>>;
export function validateLoopInput(raw: unknown, mode: Mode): LoopValidated<Partial<LoopInput>> {
	const r = new Reader(raw, mode);
	return r.result(
		defined({
			title: r.text('title', LOOP_LIMITS.title, { required: true }),
			problem: r.text('problem', LOOP_LIMITS.problem),
			rationalNeed: r.text('rationalNeed', LOOP_LIMITS.need),
			emotionalNeed: r.text('emotionalNeed', LOOP_LIMITS.need),
			touchpointIds: r.ids('touchpointIds', LOOP_LIMITS.touchpoints),
			motive: r.id('motive'),
			ownerId: r.id('ownerId')
		})
	);
}

export function validateActionInput(raw: unknown, mode: 'create'): LoopValidated<ActionInput>;
export function validateActionInput(raw: unknown, mode: 'patch'): LoopValidated<Partial<ActionInput>>;
export function validateActionInput(raw: unknown, mode: Mode): LoopValidated<Partial<ActionInput>> {
	const r = new Reader(raw, mode);
	return r.result(
		defined({
			title: r.text('title', LOOP_LIMITS.title, { required: true }),
			ownerId: r.id('ownerId'),
			dueDate: r.day('dueDate'),
			status: r.choice('status', ACTION_STATUSES, mode === 'create' ? 'todo' : undefined)
		})
	);
}

/** A note on an action or a loop. */
export function validateNote(raw: unknown): LoopValidated<string> {
	const r = new Reader(raw, 'create');
	const text = r.text('note', LOOP_LIMITS.note, { required: true });
	return r.result(text ?? '');
}

/** How a follow-up went: how the customer was reached, what came of it, and an optional note. */
export function validateFollowUpRecord(raw: unknown): LoopValidated<FollowUpRecordInput> {
	const r = new Reader(raw, 'create');
	const value = {
		method: r.choice('method', CONTACT_METHODS),
		outcome: r.choice('outcome', FOLLOW_UP_OUTCOMES),
		note: r.text('note', LOOP_LIMITS.note)
	};
	return r.result(value as FollowUpRecordInput);
}

/** The reason given to waive a follow-up or to cancel or reopen a loop. */
export function validateReason(raw: unknown): LoopValidated<string> {
	const r = new Reader(raw, 'create');
	const text = r.text('reason', LOOP_LIMITS.reason, { required: true, min: MIN_REASON_LENGTH });
	return r.result(text ?? '');
}
