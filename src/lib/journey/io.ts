/**
 * JSON import and export of a whole journey. Import validates everything first (shape, limits and
 * references between items) and reports every problem with its path; a bad file changes nothing.
 */
import * as Y from 'yjs';
import { z } from 'zod';
import { openJourney, type JourneyDocument } from './document';
import { JourneyImportError, type ImportIssue } from './errors';
import { orderKeys } from './order';
import {
	CURRENT_SCHEMA_VERSION,
	JOURNEY_MIGRATIONS,
	migrateJourneyFile,
	type JourneyMigration
} from './schema-version';
import { CHANNEL_ONLINE, type EmotionScore, type JourneySnapshot, type Touchpoint } from './types';
import {
	LIMITS,
	connectionFields,
	formatPath,
	idSchema,
	journeyInfoFields,
	personaFields,
	stageFields,
	touchpointFields,
	zodIssues
} from './validation';

export const JOURNEY_FILE_FORMAT = 'parcours.journey';

const fileTouchpoint = z.strictObject({
	id: idSchema,
	title: touchpointFields.title,
	channel: touchpointFields.channel.default('other'),
	online: touchpointFields.online.optional(),
	personaIds: touchpointFields.personaIds.default(null),
	does: touchpointFields.does.default(''),
	thinks: touchpointFields.thinks.default(''),
	feels: touchpointFields.feels.default(''),
	pains: touchpointFields.pains.default([]),
	joys: touchpointFields.joys.default([]),
	emotion: touchpointFields.emotion.default(null),
	owner: touchpointFields.owner.default(null),
	keywords: touchpointFields.keywords.default([]),
	products: touchpointFields.products.default([]),
	notes: touchpointFields.notes.default('')
});

const fileJourney = z.strictObject({
	title: journeyInfoFields.title,
	description: journeyInfoFields.description.default(''),
	owner: journeyInfoFields.owner.default(null),
	personas: z
		.array(
			z.strictObject({
				id: idSchema,
				name: personaFields.name,
				description: personaFields.description.default(''),
				color: personaFields.color.default('#6b7280')
			})
		)
		.max(LIMITS.personas)
		.default([]),
	stages: z
		.array(
			z.strictObject({
				id: idSchema,
				title: stageFields.title,
				description: stageFields.description.default(''),
				group: stageFields.group,
				touchpoints: z.array(fileTouchpoint).max(LIMITS.touchpoints).default([])
			})
		)
		.max(LIMITS.stages)
		.default([]),
	connections: z
		.array(
			z.strictObject({
				id: idSchema,
				from: connectionFields.from,
				to: connectionFields.to,
				kind: connectionFields.kind.default('main'),
				label: connectionFields.label.default('')
			})
		)
		.max(LIMITS.connections)
		.default([])
});

/** A journey file as written by `exportJourney` (optional fields may be left out when writing by hand). */
export type JourneyFileInput = z.input<typeof fileJourney>;
export interface JourneyFile {
	format: typeof JOURNEY_FILE_FORMAT;
	schemaVersion: number;
	journey: z.output<typeof fileJourney>;
}

const envelope = z.object({
	format: z.literal(JOURNEY_FILE_FORMAT, { error: `must be "${JOURNEY_FILE_FORMAT}"` }),
	schemaVersion: z.number().int().min(1),
	journey: z.record(z.string(), z.unknown())
});

/** The validated content of a journey file, ready to be written into a document. */
export interface ParsedJourney {
	data: Omit<JourneySnapshot, 'schemaVersion'>;
	orders: { personas: string[]; stages: string[]; touchpoints: string[] };
}

/**
 * Validates a journey file (a JSON string or the parsed value). Throws `JourneyImportError` listing
 * every problem with its path, e.g. `journey.stages[1].touchpoints[0].emotion`.
 */
export function parseJourneyFile(
	input: unknown,
	migrations: readonly JourneyMigration[] = JOURNEY_MIGRATIONS
): ParsedJourney {
	let raw = input;
	if (typeof input === 'string') {
		try {
			raw = JSON.parse(input);
		} catch (e) {
			throw new JourneyImportError([{ path: '', message: `not JSON: ${(e as Error).message}` }]);
		}
	}
	const env = envelope.safeParse(raw);
	if (!env.success) throw new JourneyImportError(zodIssues(env.error));
	const { schemaVersion } = env.data;
	if (schemaVersion > CURRENT_SCHEMA_VERSION) {
		throw new JourneyImportError([
			{
				path: 'schemaVersion',
				message: `written by a newer Parcours (version ${schemaVersion}, this one reads up to ${CURRENT_SCHEMA_VERSION})`
			}
		]);
	}
	const migrated = migrateJourneyFile(env.data.journey, schemaVersion, migrations);
	const parsed = fileJourney.safeParse(migrated);
	if (!parsed.success) throw new JourneyImportError(zodIssues(parsed.error, ['journey']));
	const j = parsed.data;

	const issues: ImportIssue[] = [];
	const unique = (ids: { id: string; path: PropertyKey[] }[]) => {
		const seen = new Set<string>();
		for (const { id, path } of ids) {
			if (seen.has(id)) issues.push({ path: formatPath(path), message: `id "${id}" is used twice` });
			seen.add(id);
		}
		return seen;
	};
	const personaIds = unique(j.personas.map((p, i) => ({ id: p.id, path: ['journey', 'personas', i, 'id'] })));
	unique(j.stages.map((s, i) => ({ id: s.id, path: ['journey', 'stages', i, 'id'] })));
	const touchpointIds = unique(
		j.stages.flatMap((s, si) =>
			s.touchpoints.map((t, ti) => ({ id: t.id, path: ['journey', 'stages', si, 'touchpoints', ti, 'id'] }))
		)
	);
	unique(j.connections.map((c, i) => ({ id: c.id, path: ['journey', 'connections', i, 'id'] })));
	const total = j.stages.reduce((n, s) => n + s.touchpoints.length, 0);
	if (total > LIMITS.touchpoints)
		issues.push({
			path: 'journey.stages',
			message: `at most ${LIMITS.touchpoints} touchpoints in a journey`
		});
	j.stages.forEach((s, si) =>
		s.touchpoints.forEach((t, ti) =>
			t.personaIds?.forEach((p, pi) => {
				if (!personaIds.has(p)) {
					issues.push({
						path: formatPath(['journey', 'stages', si, 'touchpoints', ti, 'personaIds', pi]),
						message: `no persona with id "${p}"`
					});
				}
			})
		)
	);
	const pairs = new Set<string>();
	j.connections.forEach((c, i) => {
		for (const end of ['from', 'to'] as const) {
			if (!touchpointIds.has(c[end]))
				issues.push({
					path: `journey.connections[${i}].${end}`,
					message: `no touchpoint with id "${c[end]}"`
				});
		}
		if (c.from === c.to)
			issues.push({ path: `journey.connections[${i}].to`, message: 'a touchpoint cannot connect to itself' });
		const pair = `${c.from}\u0000${c.to}`;
		if (pairs.has(pair))
			issues.push({ path: `journey.connections[${i}]`, message: 'these touchpoints are already connected' });
		pairs.add(pair);
	});
	if (issues.length) throw new JourneyImportError(issues);

	const touchpoints: Touchpoint[] = [];
	const touchpointOrders: string[] = [];
	for (const s of j.stages) {
		const keys = orderKeys(null, null, s.touchpoints.length);
		s.touchpoints.forEach((t, i) => {
			touchpoints.push({
				...t,
				stageId: s.id,
				online: t.online ?? CHANNEL_ONLINE[t.channel],
				emotion: t.emotion as EmotionScore | null
			});
			touchpointOrders.push(keys[i]);
		});
	}
	return {
		data: {
			title: j.title,
			description: j.description,
			owner: j.owner,
			personas: j.personas,
			stages: j.stages.map(({ touchpoints: _t, ...s }) => s),
			touchpoints,
			connections: j.connections
		},
		orders: {
			personas: orderKeys(null, null, j.personas.length),
			stages: orderKeys(null, null, j.stages.length),
			touchpoints: touchpointOrders
		}
	};
}

/** Replaces the journey in `target` with the file's content, in one transaction. Nothing changes on error. */
export function importJourney(target: Y.Doc | JourneyDocument, input: unknown): void {
	const parsed = parseJourneyFile(input);
	const jd = target instanceof Y.Doc ? openJourney(target) : target;
	jd.replaceAll(parsed.data, parsed.orders);
}

/** A new Y.Doc holding the file's journey. */
export function createJourneyDoc(input: unknown): Y.Doc {
	const doc = new Y.Doc();
	importJourney(doc, input);
	return doc;
}

/** The whole journey as a file that `importJourney` reads back. */
export function exportJourney(source: Y.Doc | JourneyDocument): JourneyFile {
	const jd = source instanceof Y.Doc ? openJourney(source) : source;
	const s = jd.snapshot();
	return {
		format: JOURNEY_FILE_FORMAT,
		schemaVersion: CURRENT_SCHEMA_VERSION,
		journey: {
			title: s.title,
			description: s.description,
			owner: s.owner,
			personas: s.personas.map((p) => ({ ...p })),
			stages: s.stages.map((st) => ({
				...st,
				touchpoints: s.touchpoints.filter((t) => t.stageId === st.id).map(({ stageId: _s, ...t }) => t)
			})),
			connections: s.connections.map((c) => ({ ...c }))
		}
	};
}
