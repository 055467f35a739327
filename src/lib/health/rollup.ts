/**
 * A journey's health broken down by stage, stage group, online/offline and persona, and its emotion
 * curve. Scopes add up the sums of their touchpoints and then compute one health: averaging touchpoint
 * healths would let a touchpoint heard twice weigh as much as one heard a thousand times.
 */
import { addSums, emptySums, scoreFromSums, type ScoreSums } from '../feedback/stats';
import { STAGE_GROUPS, type JourneySnapshot, type Touchpoint } from '../journey/types';
import { healthOf } from './score';
import type { Breakdown, BreakdownRow, CurvePoint, Health, HealthFilters } from './types';

/** Key of the sums of items no touchpoint was matched to, and of alerts without a touchpoint. */
export const UNMATCHED = '';

export type TouchpointFilters = Pick<HealthFilters, 'persona' | 'channel'>;

/** Whether a touchpoint passes the persona and channel filters (one without personas concerns them all). */
export function touchpointMatches(
	tp: Pick<Touchpoint, 'channel' | 'personaIds'>,
	filters: TouchpointFilters
): boolean {
	if (filters.channel !== null && tp.channel !== filters.channel) return false;
	return concernsPersona(tp, filters.persona);
}

function concernsPersona(tp: Pick<Touchpoint, 'personaIds'>, persona: string | null): boolean {
	return persona === null || tp.personaIds === null || tp.personaIds.includes(persona);
}

export interface JourneyBreakdownArgs {
	snapshot: Pick<JourneySnapshot, 'stages' | 'touchpoints' | 'personas'>;
	/** Sums of the range by touchpoint id; `UNMATCHED` for items without a touchpoint. */
	current: ReadonlyMap<string, ScoreSums>;
	/** Sums of the comparison period, keyed the same way (empty without one). */
	previous: ReadonlyMap<string, ScoreSums>;
	/** Alerts open now by touchpoint id; `UNMATCHED` for journey-level alerts. */
	openAlerts: ReadonlyMap<string, number>;
	filters: TouchpointFilters;
}

export interface JourneyBreakdown {
	health: Health;
	curve: CurvePoint[];
	breakdown: Breakdown;
}

interface Scope {
	sums: ScoreSums;
	previous: ScoreSums;
	openAlerts: number;
}

const emptyScope = (): Scope => ({ sums: emptySums(), previous: emptySums(), openAlerts: 0 });

function addTo(scope: Scope, part: Scope): void {
	scope.sums = addSums(scope.sums, part.sums);
	scope.previous = addSums(scope.previous, part.previous);
	scope.openAlerts += part.openAlerts;
}

const row = (key: string, label: string, scope: Scope): BreakdownRow => ({
	key,
	label,
	health: healthOf(scope)
});

export function journeyBreakdown(args: JourneyBreakdownArgs): JourneyBreakdown {
	const { snapshot, current, previous, openAlerts, filters } = args;
	const scopeOf = (key: string): Scope => ({
		sums: current.get(key) ?? emptySums(),
		previous: previous.get(key) ?? emptySums(),
		openAlerts: openAlerts.get(key) ?? 0
	});
	const touchpoints = snapshot.touchpoints.filter((tp) => touchpointMatches(tp, filters));

	const journey = emptyScope();
	const stages = new Map(snapshot.stages.map((s) => [s.id, emptyScope()]));
	const groups = new Map(STAGE_GROUPS.map((g) => [g, emptyScope()]));
	const channels = { online: emptyScope(), offline: emptyScope() };
	const personas = new Map(snapshot.personas.map((p) => [p.id, emptyScope()]));
	const groupOf = new Map(snapshot.stages.map((s) => [s.id, s.group]));

	const curve: CurvePoint[] = [];
	for (const tp of touchpoints) {
		const scope = scopeOf(tp.id);
		addTo(journey, scope);
		const stage = stages.get(tp.stageId);
		if (stage) addTo(stage, scope);
		const group = groupOf.get(tp.stageId);
		if (group) addTo(groups.get(group)!, scope);
		addTo(tp.online ? channels.online : channels.offline, scope);
		for (const [id, persona] of personas) if (concernsPersona(tp, id)) addTo(persona, scope);

		const live = scoreFromSums(tp.id, scope.sums);
		curve.push({
			touchpointId: tp.id,
			title: tp.title,
			stageId: tp.stageId,
			channel: tp.channel,
			online: tp.online,
			authored: tp.emotion,
			live: live.score,
			interval: live.interval,
			volume: live.volume,
			health: healthOf(scope)
		});
	}

	// Items and alerts of the journey that no touchpoint on the map carries (unmatched, or matched to a
	// touchpoint since deleted) belong to the whole journey, but to no persona or channel.
	if (filters.persona === null && filters.channel === null) {
		const onMap = new Set(snapshot.touchpoints.map((tp) => tp.id));
		const keys = new Set([...current.keys(), ...previous.keys(), ...openAlerts.keys()]);
		for (const key of keys) if (!onMap.has(key)) addTo(journey, scopeOf(key));
	}

	return {
		health: healthOf(journey),
		curve,
		breakdown: {
			groups: STAGE_GROUPS.map((g) => row(g, g, groups.get(g)!)),
			channels: [row('online', 'online', channels.online), row('offline', 'offline', channels.offline)],
			personas: snapshot.personas.map((p) => row(p.id, p.name, personas.get(p.id)!)),
			stages: snapshot.stages.map((s) => row(s.id, s.title, stages.get(s.id)!))
		}
	};
}
