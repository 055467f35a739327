/**
 * What the health PDF says, as a list of blocks (headings, paragraphs, tables, charts) in the reader's
 * language. The server's PDF writer lays them out and breaks pages; keeping the wording and choices here
 * lets them be tested without a PDF.
 */
import type { Locale, Translator } from '../../i18n';
import { formatScore } from '../../feedback/live';
import { STAGE_GROUPS, type StageGroup } from '../../journey/types';
import { HEALTH_FORMULA } from '../score';
import type {
	BreakdownRow,
	Change,
	Health,
	HealthBand,
	HealthQuery,
	JourneyHealthView,
	LadderStep,
	MotiveHighlight,
	PortfolioView,
	WeekPoint
} from '../types';
import { evenChunks, runs } from './chart';
import {
	compareInWords,
	filtersInWords,
	type FilterNames,
	formatDelta,
	formatDuration,
	formatInstant,
	formatInt,
	formatShare,
	formatWeek,
	rangeInWords
} from './format';

export interface TableColumn {
	label: string;
	/** Share of the table's width, relative to the other columns. */
	width: number;
	align: 'left' | 'right';
}

export interface TableRow {
	cells: string[];
	/** The band of the row's health, marked beside its score. */
	band?: HealthBand;
	/** Weekly mean scores drawn as a sparkline in the table's `sparkColumn`. */
	spark?: Array<number | null>;
}

export interface CurvePointBlock {
	label: string;
	authored: number | null;
	live: number | null;
	interval: [number, number] | null;
}

export interface HeatCell {
	score: number | null;
	/** The written score. */
	text: string;
	volume: number;
}

export type ReportBlock =
	| { kind: 'heading'; text: string }
	| { kind: 'text'; text: string; muted?: boolean }
	| { kind: 'bullets'; items: string[] }
	| { kind: 'headline'; score: string; band: HealthBand; bandLabel: string; lines: string[] }
	| { kind: 'table'; columns: TableColumn[]; rows: TableRow[]; sparkColumn?: number; scoreColumn?: number }
	| { kind: 'quote'; title: string; text: string | null }
	| {
			kind: 'curve';
			points: CurvePointBlock[];
			stages: Array<{ title: string; from: number; to: number }>;
			legend: { authored: string; live: string; interval: string };
	  }
	| { kind: 'heatmap'; caption: string; weeks: string[]; rows: Array<{ title: string; cells: HeatCell[] }> };

export interface HealthReport {
	/** The document's title: the journey's title, or "Journey health — <workspace>". */
	title: string;
	/** Range, comparison, filters and generation date, one per line under the title. */
	meta: string[];
	blocks: ReportBlock[];
	/** Footer text, beside the page number. */
	footer: string;
}

/** Weeks per heatmap block: 13 fit A4 landscape with a readable value in each cell. */
export const HEATMAP_WEEKS_PER_BLOCK = 13;

const bandLabel = (band: HealthBand, t: Translator) => t(`healthReport.band.${band}`);

function metaLines(
	query: HealthQuery,
	at: string,
	locale: Locale,
	t: Translator,
	names?: FilterNames
): string[] {
	return [
		rangeInWords(query, locale, t),
		compareInWords(query, locale, t),
		filtersInWords(query, t, names),
		t('healthReport.generated', { at: formatInstant(at, locale) })
	];
}

/** "62 (watch)"; "–" without evidence. */
function scoreCell(health: Health, locale: Locale): string {
	return formatInt(health.score, locale);
}

function healthLines(health: Health, query: HealthQuery, locale: Locale, t: Translator): string[] {
	const lines: string[] = [];
	lines.push(
		query.compareMode === 'none'
			? t('healthReport.delta.noCompare')
			: health.delta === null
				? t('healthReport.delta.unknown')
				: t('healthReport.delta', { delta: formatDelta(health.delta, locale) })
	);
	const evidence = t(`liveMap.evidence.${health.evidence}`);
	lines.push(
		health.range
			? t('healthReport.evidence.range', {
					evidence,
					volume: formatInt(health.volume, locale),
					low: formatInt(health.range[0], locale),
					high: formatInt(health.range[1], locale)
				})
			: t('healthReport.evidence.noRange', { evidence, volume: formatInt(health.volume, locale) })
	);
	if (health.liveScore !== null) {
		lines.push(
			t('healthReport.facts', {
				live: formatScore(health.liveScore, locale),
				negative: formatShare(health.negativeShare, locale),
				trend: health.trend === null ? '–' : formatScore(health.trend, locale),
				alerts: formatInt(health.openAlerts, locale)
			})
		);
	}
	const w = HEALTH_FORMULA.weights;
	lines.push(
		t('healthReport.how', {
			emotion: w.emotion,
			negative: w.negative,
			trend: w.trend,
			alert: w.alert,
			alertsMax: w.alertsMax,
			prior: HEALTH_FORMULA.prior.items
		})
	);
	if (health.parts) {
		lines.push(
			t('healthReport.parts', {
				emotion: formatInt(health.parts.emotion, locale),
				negative: formatDelta(health.parts.negative, locale),
				trend: formatDelta(health.parts.trend, locale),
				alerts: formatDelta(health.parts.alerts, locale)
			})
		);
	}
	return lines;
}

/**
 * A breakdown row's name in the reader's language: groups and online/offline come as keys (the pure
 * rollup does not translate), personas with their own name.
 */
function breakdownLabel(row: BreakdownRow, t: Translator): string {
	if ((STAGE_GROUPS as readonly string[]).includes(row.key)) {
		return t(`editor.group.${row.key as StageGroup}`);
	}
	if (row.key === 'online' || row.key === 'offline') return t(`healthReport.channel.${row.key}`);
	return row.label;
}

function breakdownTable(rows: BreakdownRow[], first: string, locale: Locale, t: Translator): ReportBlock {
	return {
		kind: 'table',
		columns: [
			{ label: first, width: 4, align: 'left' },
			{ label: t('healthReport.col.health'), width: 2, align: 'right' },
			{ label: t('healthReport.col.band'), width: 2, align: 'left' },
			{ label: t('healthReport.col.delta'), width: 1.5, align: 'right' },
			{ label: t('healthReport.col.live'), width: 1.5, align: 'right' },
			{ label: t('healthReport.col.volume'), width: 1.5, align: 'right' }
		],
		scoreColumn: 1,
		rows: rows.map((r) => ({
			band: r.health.band,
			cells: [
				breakdownLabel(r, t),
				scoreCell(r.health, locale),
				bandLabel(r.health.band, t),
				formatDelta(r.health.delta, locale),
				formatScore(r.health.liveScore, locale),
				formatInt(r.health.volume, locale)
			]
		}))
	};
}

function motiveBlocks(list: MotiveHighlight[], locale: Locale, t: Translator): ReportBlock[] {
	if (!list.length) return [{ kind: 'text', text: t('healthReport.motives.none'), muted: true }];
	return list.map((m) => ({
		kind: 'quote',
		title: t('healthReport.motive', {
			label: m.label,
			count: formatInt(m.count, locale),
			share: formatShare(m.share, locale)
		}),
		text: m.quotes[0] ? `“${m.quotes[0].text}”` : null
	}));
}

function ladderValue(step: LadderStep, locale: Locale): string {
	if (step.value === null) return '–';
	if (step.rung === 'usage' || step.rung === 'recommendation') {
		return step.rung === 'recommendation' ? formatDelta(step.value, locale) : formatInt(step.value, locale);
	}
	return formatShare(step.value, locale);
}

function ladderMargin(step: LadderStep, locale: Locale): string {
	if (step.margin === null) return '–';
	const value =
		step.rung === 'satisfaction' || step.rung === 'loyalty'
			? formatShare(step.margin, locale)
			: formatInt(step.margin, locale);
	return `± ${value}`;
}

/** One sentence per change since last week. */
export function changeText(c: Change, locale: Locale, t: Translator): string {
	switch (c.kind) {
		case 'score':
			return t('healthReport.change.score', {
				title: c.title,
				from: formatScore(c.from, locale),
				to: formatScore(c.to, locale),
				volume: formatInt(c.volume, locale)
			});
		case 'volume':
			return t('healthReport.change.volume', {
				title: c.title,
				from: formatInt(c.from, locale),
				to: formatInt(c.to, locale)
			});
		case 'motive':
			return t('healthReport.change.motive', {
				label: c.label,
				from: formatInt(c.from, locale),
				to: formatInt(c.to, locale)
			});
		case 'alert_opened':
			return c.title
				? t('healthReport.change.alert', { title: c.title })
				: t('healthReport.change.alertJourney');
		case 'loop_closed':
			return t(c.improved ? 'healthReport.change.loopImproved' : 'healthReport.change.loopClosed', {
				title: c.title
			});
	}
}

function heatmapBlocks(view: JourneyHealthView, locale: Locale, t: Translator): ReportBlock[] {
	const { weeks, rows } = view.heatmap;
	if (!weeks.length || !rows.length) {
		return [{ kind: 'text', text: t('healthReport.heatmap.none'), muted: true }];
	}
	const columns = evenChunks(
		weeks.map((_, i) => i),
		HEATMAP_WEEKS_PER_BLOCK
	);
	return columns.map((indexes) => {
		const first = weeks[indexes[0]];
		const last = weeks[indexes[indexes.length - 1]];
		return {
			kind: 'heatmap',
			caption:
				columns.length > 1
					? t('healthReport.heatmap.part', {
							from: formatWeek(first, locale),
							to: formatWeek(last, locale)
						})
					: t('healthReport.heatmap.caption'),
			weeks: indexes.map((i) => formatWeek(weeks[i], locale)),
			rows: rows.map((r) => {
				const byWeek = new Map(r.cells.map((c) => [c.week, c]));
				return {
					title: r.title,
					cells: indexes.map((i) => {
						const cell: WeekPoint = byWeek.get(weeks[i]) ?? { week: weeks[i], volume: 0, score: null };
						return {
							score: cell.score,
							text: cell.score === null ? '' : formatScore(cell.score, locale),
							volume: cell.volume
						};
					})
				};
			})
		};
	});
}

/** The report of one journey's health page. */
export function journeyReport(view: JourneyHealthView, locale: Locale, t: Translator): HealthReport {
	const personas = new Map(view.journey.personas.map((p) => [p.id, p.name]));
	const stageTitles = new Map(view.journey.stages.map((s) => [s.id, s.title]));
	const h = view.health;
	const blocks: ReportBlock[] = [
		{
			kind: 'headline',
			score: h.score === null ? '–' : formatInt(h.score, locale),
			band: h.band,
			bandLabel: bandLabel(h.band, t),
			lines: healthLines(h, view.query, locale, t)
		}
	];
	if (view.unmatched > 0) {
		blocks.push({
			kind: 'text',
			text: t('healthReport.unmatched', { count: formatInt(view.unmatched, locale) }),
			muted: true
		});
	}

	blocks.push({ kind: 'heading', text: t('healthReport.section.curve') });
	if (view.curve.length) {
		blocks.push({
			kind: 'curve',
			points: view.curve.map((p) => ({
				label: p.title,
				authored: p.authored,
				live: p.live,
				interval: p.interval
			})),
			stages: runs(view.curve.map((p) => p.stageId)).map((r) => ({
				title: stageTitles.get(r.key) ?? '',
				from: r.from,
				to: r.to
			})),
			legend: {
				authored: t('healthReport.curve.authored'),
				live: t('healthReport.curve.live'),
				interval: t('healthReport.curve.interval')
			}
		});
	} else {
		blocks.push({ kind: 'text', text: t('healthReport.curve.none'), muted: true });
	}

	blocks.push(
		{ kind: 'heading', text: t('healthReport.section.heatmap') },
		...heatmapBlocks(view, locale, t)
	);

	blocks.push(
		{ kind: 'heading', text: t('healthReport.section.pains') },
		...motiveBlocks(view.pains, locale, t),
		{ kind: 'heading', text: t('healthReport.section.joys') },
		...motiveBlocks(view.joys, locale, t)
	);

	blocks.push({ kind: 'heading', text: t('healthReport.section.breakdown') });
	const b = view.breakdown;
	for (const [rows, first] of [
		[b.groups, t('healthReport.col.group')],
		[b.channels, t('healthReport.col.channel')],
		[b.personas, t('healthReport.col.persona')]
	] as const) {
		if (rows.length) blocks.push(breakdownTable(rows, first, locale, t));
	}
	if (!b.groups.length && !b.channels.length && !b.personas.length) {
		blocks.push({ kind: 'text', text: t('healthReport.breakdown.none'), muted: true });
	}

	blocks.push(
		{ kind: 'heading', text: t('healthReport.section.loops') },
		{
			kind: 'table',
			columns: [
				{ label: t('healthReport.col.stage'), width: 3, align: 'left' },
				{ label: t('healthReport.col.reached'), width: 2, align: 'right' },
				{ label: t('healthReport.col.median'), width: 3, align: 'right' },
				{ label: t('healthReport.col.timed'), width: 2, align: 'right' }
			],
			rows: view.funnel.steps.map((s) => ({
				cells: [
					t(`loops.stage.${s.stage}`),
					formatInt(s.reached, locale),
					formatDuration(s.medianMs, locale, t),
					s.medianMs === null ? '–' : formatInt(s.timed, locale)
				]
			}))
		},
		{
			kind: 'text',
			text:
				view.funnel.measured > 0
					? t('healthReport.loops.improved', {
							improved: formatInt(view.funnel.improved, locale),
							measured: formatInt(view.funnel.measured, locale),
							share: formatShare(view.funnel.improvedShare, locale)
						})
					: t('healthReport.loops.noneMeasured')
		}
	);

	const nps = view.ladder.nps;
	blocks.push(
		{ kind: 'heading', text: t('healthReport.section.ladder') },
		{
			kind: 'table',
			columns: [
				{ label: t('healthReport.col.rung'), width: 3, align: 'left' },
				{ label: t('healthReport.col.value'), width: 2, align: 'right' },
				{ label: t('healthReport.col.margin'), width: 2, align: 'right' },
				{ label: t('healthReport.col.answers'), width: 2, align: 'right' },
				{ label: t('healthReport.col.evidence'), width: 3, align: 'left' }
			],
			rows: view.ladder.steps.map((s) => ({
				cells: [
					t(`healthReport.rung.${s.rung}`),
					ladderValue(s, locale),
					ladderMargin(s, locale),
					formatInt(s.n, locale),
					t(`liveMap.evidence.${s.evidence}`)
				]
			}))
		}
	);
	if (nps.n > 0) {
		blocks.push({
			kind: 'text',
			text: t('healthReport.nps', {
				promoters: formatInt(nps.promoters, locale),
				passives: formatInt(nps.passives, locale),
				detractors: formatInt(nps.detractors, locale),
				n: formatInt(nps.n, locale)
			}),
			muted: true
		});
	}

	blocks.push({ kind: 'heading', text: t('healthReport.section.changes') });
	blocks.push(
		view.changes.length
			? { kind: 'bullets', items: view.changes.map((c) => changeText(c, locale, t)) }
			: { kind: 'text', text: t('healthReport.changes.none'), muted: true }
	);

	return {
		title: view.journey.title,
		meta: metaLines(view.query, view.at, locale, t, {
			persona: (id) => personas.get(id) ?? null,
			facet: (id) => view.facets.labels[id] ?? null
		}),
		blocks,
		footer: t('healthReport.footer.journey', { title: view.journey.title })
	};
}

/** The title of a workspace's portfolio report. */
export function portfolioTitle(workspaceName: string, t: Translator): string {
	return t('healthReport.portfolioTitle', { workspace: workspaceName });
}

/** The report of a workspace's portfolio page: every journey, worst first, as the view sorted them. */
export function portfolioReport(
	view: PortfolioView,
	workspaceName: string,
	locale: Locale,
	t: Translator
): HealthReport {
	const title = portfolioTitle(workspaceName, t);
	const blocks: ReportBlock[] = view.journeys.length
		? [
				{
					kind: 'table',
					columns: [
						{ label: t('healthReport.col.journey'), width: 4.4, align: 'left' },
						{ label: t('healthReport.col.health'), width: 1.5, align: 'right' },
						{ label: t('healthReport.col.band'), width: 1.6, align: 'left' },
						{ label: t('healthReport.col.delta'), width: 1.2, align: 'right' },
						{ label: t('healthReport.col.volume'), width: 1.4, align: 'right' },
						{ label: t('healthReport.col.alerts'), width: 1.7, align: 'right' },
						{ label: t('healthReport.col.loops'), width: 1.7, align: 'right' },
						{ label: t('healthReport.col.trend'), width: 2.5, align: 'left' }
					],
					scoreColumn: 1,
					sparkColumn: 7,
					rows: view.journeys.map((j) => ({
						band: j.health.band,
						spark: j.weekly.map((w) => w.score),
						cells: [
							j.title,
							scoreCell(j.health, locale),
							bandLabel(j.health.band, t),
							formatDelta(j.health.delta, locale),
							formatInt(j.volume, locale),
							formatInt(j.openAlerts, locale),
							formatInt(j.openLoops, locale),
							''
						]
					}))
				},
				{ kind: 'text', text: t('healthReport.portfolio.note'), muted: true }
			]
		: [{ kind: 'text', text: t('healthReport.portfolio.none'), muted: true }];
	return {
		title,
		meta: metaLines(view.query, view.at, locale, t),
		blocks,
		footer: title
	};
}
