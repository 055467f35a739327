/**
 * Journey health: the shapes shared by the pure rules (`$lib/health`), the server that reads them from
 * the database (`$lib/server/health`) and the pages, PDF and digest that show them. Days are UTC
 * `YYYY-MM-DD`; weeks are named by their Monday.
 */
import type { ScoreSums } from '../feedback/stats';
import type { EvidenceLevel } from '../feedback/types';
import type { Channel, StageGroup } from '../journey/types';
import type { LoopStage } from '../loops/rules';

export type { ScoreSums };

/** good ≥ 70, watch ≥ 50, at_risk below; none without evidence. */
export type HealthBand = 'good' | 'watch' | 'at_risk' | 'none';

/** Inclusive day range. */
export interface DateRange {
	from: string;
	to: string;
}

export const RANGE_PRESETS = ['7d', '28d', '90d', '365d', 'custom'] as const;
export type RangePreset = (typeof RANGE_PRESETS)[number];

/** previous: the same number of days just before; year: the same days one year earlier. */
export const COMPARE_MODES = ['previous', 'year', 'none'] as const;
export type CompareMode = (typeof COMPARE_MODES)[number];

export interface HealthFilters {
	/** Persona id: touchpoints that concern it (every persona when a touchpoint names none). */
	persona: string | null;
	/** Touchpoint channel of the journey map. */
	channel: Channel | null;
	/** Product or service name as analysis stores it on items. */
	product: string | null;
	/** Place name as analysis stores it on items. */
	place: string | null;
}

/** What a health page shows: a range, the period it is compared with, filters. */
export interface HealthQuery {
	preset: RangePreset;
	range: DateRange;
	compareMode: CompareMode;
	/** null when compareMode is none. */
	compare: DateRange | null;
	filters: HealthFilters;
}

/** What the health score is computed from, for one scope (touchpoint, stage, group, journey). */
export interface HealthInput {
	/** Items of the range. */
	sums: ScoreSums;
	/** Items of the comparison period (empty sums without one). */
	previous: ScoreSums;
	/** Alerts open now on the scope. */
	openAlerts: number;
}

/** Points each part adds to or takes from the score, so the UI can explain one figure. */
export interface HealthParts {
	emotion: number;
	negative: number;
	trend: number;
	alerts: number;
}

export interface Health {
	/** 0..100; null without evidence. */
	score: number | null;
	/** Plausible range of the score given the volume (from the mean's 95 % interval); null below 2 items. */
	range: [number, number] | null;
	band: HealthBand;
	evidence: EvidenceLevel;
	volume: number;
	/** Mean emotion score of the range, -2..+2. */
	liveScore: number | null;
	negativeShare: number | null;
	/** Mean emotion score now minus in the comparison period; null unless both have items. */
	trend: number | null;
	/** Health score now minus in the comparison period (alerts left out of both). */
	delta: number | null;
	openAlerts: number;
	parts: HealthParts | null;
}

/** One week of a sparkline or heatmap cell. */
export interface WeekPoint {
	/** Monday of the week. */
	week: string;
	volume: number;
	/** Mean emotion score; null without items. */
	score: number | null;
}

/** Products and places a filter may pick, with their names. */
export interface FacetChoices {
	products: string[];
	places: string[];
	labels: Record<string, string>;
}

export interface PortfolioRow {
	journeyId: string;
	title: string;
	health: Health;
	weekly: WeekPoint[];
	volume: number;
	openAlerts: number;
	openLoops: number;
}

export interface PortfolioView {
	query: HealthQuery;
	/** Worst first; journeys without evidence last, by title. */
	journeys: PortfolioRow[];
	/** The workspace's catalogue products and places, for the filters (ids as analysis stores them). */
	facets: FacetChoices;
	/** ISO instant. */
	at: string;
}

export interface CurvePoint {
	touchpointId: string;
	title: string;
	stageId: string;
	channel: Channel;
	online: boolean;
	/** Authored emotion score, -2..+2, null when not set. */
	authored: number | null;
	live: number | null;
	interval: [number, number] | null;
	volume: number;
	health: Health;
}

export interface HeatmapRow {
	touchpointId: string;
	title: string;
	cells: WeekPoint[];
}

export interface Heatmap {
	weeks: string[];
	rows: HeatmapRow[];
}

export interface Quote {
	itemId: string;
	text: string;
	receivedAt: string;
	touchpointId: string | null;
}

/** A motive among the top pains (ranked by negative items) or joys (by positive items). */
export interface MotiveHighlight {
	motive: string;
	/** Label in the page's language. */
	label: string;
	/** Negative items for a pain, positive items for a joy. */
	count: number;
	/** Share of the items of the range that carry this motive with that polarity. */
	share: number;
	quotes: Quote[];
}

export interface BreakdownRow {
	/** Stage group, 'online' / 'offline', persona id or stage id. */
	key: string;
	label: string;
	health: Health;
}

export interface Breakdown {
	groups: BreakdownRow[];
	channels: BreakdownRow[];
	personas: BreakdownRow[];
	stages: BreakdownRow[];
}

export const FUNNEL_STAGES = [
	'listen',
	'solve',
	'measure',
	'follow_up',
	'closed'
] as const satisfies readonly LoopStage[];
export type FunnelStage = (typeof FUNNEL_STAGES)[number];

export interface FunnelStep {
	stage: FunnelStage;
	/** Loops that reached this stage (cancelled ones count for the stages they reached). */
	reached: number;
	/** Median milliseconds from entering the previous stage to entering this one; null for listen or none. */
	medianMs: number | null;
	/** Loops behind the median. */
	timed: number;
}

export interface LoopFunnel {
	steps: FunnelStep[];
	/** Measured loops whose last measure was an improvement. */
	improved: number;
	measured: number;
	/** improved / measured; null when none measured. */
	improvedShare: number | null;
}

/** The engagement ladder: usage → satisfaction → loyalty → recommendation. */
export interface LadderInput {
	items: number;
	/** Distinct customers (id, else contact) among the items. */
	customers: number;
	/** Customers with items on two or more different days of the range. */
	returning: number;
	csat: { n: number; satisfied: number };
	stars: { n: number; satisfied: number };
	nps: { n: number; promoters: number; passives: number; detractors: number };
}

export type LadderRung = 'usage' | 'satisfaction' | 'loyalty' | 'recommendation';

export interface LadderStep {
	rung: LadderRung;
	/** The rung's headline: items (usage), satisfied share, returning share, NPS (-100..100). */
	value: number | null;
	/** Answers it rests on. */
	n: number;
	evidence: EvidenceLevel;
	/** Half width of the 95 % interval of value, in its unit; null when not computable. */
	margin: number | null;
}

export interface Ladder {
	steps: LadderStep[];
	nps: { promoters: number; passives: number; detractors: number; n: number; score: number | null };
}

export type Change =
	| { kind: 'score'; touchpointId: string; title: string; from: number; to: number; volume: number }
	| { kind: 'volume'; touchpointId: string; title: string; from: number; to: number }
	| { kind: 'motive'; motive: string; label: string; from: number; to: number }
	| { kind: 'alert_opened'; alertId: string; touchpointId: string | null; title: string | null }
	| { kind: 'loop_closed'; loopId: string; title: string; improved: boolean };

export interface JourneyHealthView {
	query: HealthQuery;
	journey: {
		id: string;
		title: string;
		personas: Array<{ id: string; name: string; color: string }>;
		stages: Array<{ id: string; title: string; group: StageGroup }>;
	};
	health: Health;
	curve: CurvePoint[];
	heatmap: Heatmap;
	pains: MotiveHighlight[];
	joys: MotiveHighlight[];
	breakdown: Breakdown;
	funnel: LoopFunnel;
	ladder: Ladder;
	/** Last 7 days against the 7 before, whatever the range. */
	changes: Change[];
	/** Items of the range no touchpoint was matched to. */
	unmatched: number;
	/** Products and places (ids as analysis stores them) seen on the journey's items, for the filters. */
	facets: FacetChoices;
	at: string;
}
