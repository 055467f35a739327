/**
 * Input rules shared by operations and JSON import, so a field accepted by one is accepted by the other.
 */
import { z } from 'zod';
import { JourneyError, type ImportIssue } from './errors';
import { CHANNELS, CONNECTION_KINDS, EMOTION_MAX, EMOTION_MIN, STAGE_GROUPS } from './types';

export const LIMITS = {
	title: 200,
	text: 5000,
	listItem: 500,
	listLength: 100,
	personas: 50,
	stages: 100,
	touchpoints: 5000,
	connections: 10000
} as const;

export const idSchema = z
	.string()
	.regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1 to 64 letters, digits, "-" or "_"');
const title = z.string().trim().min(1, 'must not be empty').max(LIMITS.title);
const text = z.string().max(LIMITS.text);
const list = z
	.array(z.string().trim().min(1, 'must not be empty').max(LIMITS.listItem))
	.max(LIMITS.listLength);
const owner = idSchema.nullable();

export const journeyInfoFields = { title, description: text, owner };

export const personaFields = {
	name: title,
	description: text,
	color: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour like #1f77b4')
};

export const stageFields = {
	title,
	description: text,
	group: z.enum(STAGE_GROUPS)
};

export const touchpointFields = {
	title,
	channel: z.enum(CHANNELS),
	online: z.boolean(),
	personaIds: z
		.array(idSchema)
		.min(1, 'must name at least one persona, or be null for all')
		.max(LIMITS.personas)
		.nullable(),
	does: text,
	thinks: text,
	feels: text,
	pains: list,
	joys: list,
	emotion: z.number().int('must be a whole number').min(EMOTION_MIN).max(EMOTION_MAX).nullable(),
	owner,
	keywords: list,
	products: list,
	notes: text
};

export const connectionFields = {
	from: idSchema,
	to: idSchema,
	kind: z.enum(CONNECTION_KINDS),
	label: z.string().max(LIMITS.title)
};

export const partial = <T extends z.ZodRawShape>(fields: T) => z.strictObject(fields).partial();

export function formatPath(path: readonly PropertyKey[]): string {
	let out = '';
	for (const p of path) {
		if (typeof p === 'number') out += `[${p}]`;
		else out += out ? `.${String(p)}` : String(p);
	}
	return out;
}

export function zodIssues(error: z.ZodError, prefix: readonly PropertyKey[] = []): ImportIssue[] {
	const out: ImportIssue[] = [];
	for (const issue of error.issues) {
		if (issue.code === 'unrecognized_keys') {
			for (const key of issue.keys)
				out.push({ path: formatPath([...prefix, ...issue.path, key]), message: 'unknown field' });
		} else {
			out.push({ path: formatPath([...prefix, ...issue.path]), message: issue.message });
		}
	}
	return out;
}

/** Parses an operation's input; throws a JourneyError naming the first bad field. */
export function parseInput<T extends z.ZodType>(
	schema: T,
	input: unknown,
	prefix: readonly PropertyKey[] = []
): z.output<T> {
	const result = schema.safeParse(input);
	if (result.success) return result.data;
	const [first] = zodIssues(result.error, prefix);
	throw new JourneyError('invalid', first.path || 'input', first.message);
}
