/** Hand-built health views for the report's specs and the PDF tests: every section filled in. */
import type { Health, HealthBand, HealthQuery, JourneyHealthView, PortfolioView, WeekPoint } from '../types';

export const sampleQuery = (over: Partial<HealthQuery> = {}): HealthQuery => ({
	preset: '28d',
	range: { from: '2026-10-26', to: '2026-11-22' },
	compareMode: 'previous',
	compare: { from: '2026-09-28', to: '2026-10-25' },
	filters: { persona: null, channel: null, product: null, place: null },
	...over
});

export function sampleHealth(score: number | null, over: Partial<Health> = {}): Health {
	const band: HealthBand = score === null ? 'none' : score >= 70 ? 'good' : score >= 50 ? 'watch' : 'at_risk';
	return {
		score,
		range: score === null ? null : [Math.max(0, score - 9), Math.min(100, score + 7)],
		band,
		evidence: score === null ? 'none' : 'solid',
		volume: score === null ? 0 : 120,
		liveScore: score === null ? null : (score - 50) / 25,
		negativeShare: score === null ? null : 0.23,
		trend: score === null ? null : 0.2,
		delta: score === null ? null : 4,
		openAlerts: 1,
		parts: score === null ? null : { emotion: 40, negative: 26, trend: 2, alerts: -10 },
		...over
	};
}

/** `count` weeks from 2026-06-01, with a gap at the third. */
export function sampleWeeks(count: number): WeekPoint[] {
	return Array.from({ length: count }, (_, i) => {
		const week = new Date(Date.UTC(2026, 5, 1 + 7 * i)).toISOString().slice(0, 10);
		return i === 2 ? { week, volume: 0, score: null } : { week, volume: 10 + i, score: Math.sin(i) * 1.5 };
	});
}

export function sampleJourneyView(over: Partial<JourneyHealthView> = {}): JourneyHealthView {
	const weeks = sampleWeeks(4);
	const touchpoints = [
		{ id: 'tp-search', title: 'Search a flight', stageId: 'st-1', authored: 1, live: 0.6 },
		{ id: 'tp-pay', title: 'Pay online', stageId: 'st-1', authored: 0, live: -1.2 },
		{ id: 'tp-board', title: 'Boarding at the gate', stageId: 'st-2', authored: -1, live: null }
	];
	return {
		query: sampleQuery(),
		journey: {
			id: 'j-1',
			title: 'Voyage été à Montréal',
			personas: [{ id: 'p-1', name: 'Frequent flyer', color: '#336699' }],
			stages: [
				{ id: 'st-1', title: 'Book', group: 'sale' },
				{ id: 'st-2', title: 'Fly', group: 'after-sale' }
			]
		},
		health: sampleHealth(62),
		curve: touchpoints.map((t) => ({
			touchpointId: t.id,
			title: t.title,
			stageId: t.stageId,
			channel: 'web',
			online: true,
			authored: t.authored,
			live: t.live,
			interval: t.live === null ? null : [t.live - 0.3, t.live + 0.3],
			volume: t.live === null ? 0 : 40,
			health: sampleHealth(t.live === null ? null : 50 + t.live * 20)
		})),
		heatmap: {
			weeks: weeks.map((w) => w.week),
			rows: touchpoints.map((t) => ({ touchpointId: t.id, title: t.title, cells: weeks }))
		},
		pains: [
			{
				motive: 'price',
				label: 'Price',
				count: 31,
				share: 0.26,
				quotes: [
					{
						itemId: 'i-1',
						text: 'Les frais de bagage sont scandaleux',
						receivedAt: '2026-11-20T10:00:00Z',
						touchpointId: 'tp-pay'
					}
				]
			}
		],
		joys: [{ motive: 'staff', label: 'Staff', count: 12, share: 0.1, quotes: [] }],
		// Groups and channels come as keys, as the rollup gives them.
		breakdown: {
			groups: [
				{ key: 'sale', label: 'sale', health: sampleHealth(58) },
				{ key: 'after-sale', label: 'after-sale', health: sampleHealth(null) }
			],
			channels: [{ key: 'online', label: 'online', health: sampleHealth(58) }],
			personas: [{ key: 'p-1', label: 'Frequent flyer', health: sampleHealth(71) }],
			stages: []
		},
		funnel: {
			steps: [
				{ stage: 'listen', reached: 5, medianMs: null, timed: 0 },
				{ stage: 'solve', reached: 4, medianMs: 3 * 3_600_000, timed: 4 },
				{ stage: 'measure', reached: 3, medianMs: 5 * 86_400_000, timed: 3 },
				{ stage: 'follow_up', reached: 2, medianMs: 20 * 60_000, timed: 2 },
				{ stage: 'closed', reached: 1, medianMs: 86_400_000, timed: 1 }
			],
			improved: 2,
			measured: 3,
			improvedShare: 2 / 3
		},
		ladder: {
			steps: [
				{ rung: 'usage', value: 120, n: 120, evidence: 'solid', margin: null },
				{ rung: 'satisfaction', value: 0.72, n: 40, evidence: 'solid', margin: 0.12 },
				{ rung: 'loyalty', value: 0.3, n: 80, evidence: 'solid', margin: 0.09 },
				{ rung: 'recommendation', value: -12, n: 25, evidence: 'few', margin: 30 }
			],
			nps: { promoters: 6, passives: 10, detractors: 9, n: 25, score: -12 }
		},
		changes: [
			{ kind: 'score', touchpointId: 'tp-pay', title: 'Pay online', from: 0.2, to: -1.2, volume: 14 },
			{ kind: 'loop_closed', loopId: 'l-1', title: 'Slow boarding', improved: true }
		],
		unmatched: 3,
		facets: { products: [], places: [], labels: {} },
		at: '2026-11-22T21:30:00Z',
		...over
	};
}

export function samplePortfolioView(over: Partial<PortfolioView> = {}): PortfolioView {
	return {
		query: sampleQuery(),
		journeys: [
			{
				journeyId: 'j-2',
				title: 'Checkout',
				health: sampleHealth(41),
				weekly: sampleWeeks(12),
				volume: 300,
				openAlerts: 2,
				openLoops: 3
			},
			{
				journeyId: 'j-1',
				title: 'Voyage été à Montréal',
				health: sampleHealth(62),
				weekly: sampleWeeks(12),
				volume: 120,
				openAlerts: 0,
				openLoops: 1
			},
			{
				journeyId: 'j-3',
				title: 'Onboarding',
				health: sampleHealth(null),
				weekly: [],
				volume: 0,
				openAlerts: 0,
				openLoops: 0
			}
		],
		facets: { products: [], places: [], labels: {} },
		at: '2026-11-22T21:30:00Z',
		...over
	};
}
