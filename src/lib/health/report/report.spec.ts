import { describe, expect, it } from 'vitest';
import { translator } from '../../i18n';
import { samplePortfolioView, sampleJourneyView, sampleQuery, sampleWeeks } from './fixtures';
import { compareInWords, filtersInWords, formatDelta, formatDuration, rangeInWords } from './format';
import { changeText, journeyReport, portfolioReport, type ReportBlock } from './report';

const en = translator('en');
const fr = translator('fr');

const ofKind = <K extends ReportBlock['kind']>(blocks: ReportBlock[], kind: K) =>
	blocks.filter((b): b is Extract<ReportBlock, { kind: K }> => b.kind === kind);

describe('health report wording', () => {
	it('says the range, the comparison and the filters in the reader’s language', () => {
		const q = sampleQuery();
		expect(rangeInWords(q, 'en', en)).toBe('From 26 Oct 2026 to 22 Nov 2026 (last 28 days)');
		expect(rangeInWords(q, 'fr', fr)).toBe('Du 26 oct. 2026 au 22 nov. 2026 (28 derniers jours)');
		expect(compareInWords(q, 'en', en)).toBe(
			'Compared with the period just before, 28 Sept 2026 to 25 Oct 2026'
		);
		expect(compareInWords(sampleQuery({ compareMode: 'none', compare: null }), 'en', en)).toBe(
			'No comparison period'
		);
		expect(filtersInWords(q, en)).toBe('No filter: every persona, channel, product and place');
		const filtered = sampleQuery({
			filters: { persona: 'p-1', channel: 'web', product: 'Bagage', place: null }
		});
		expect(
			filtersInWords(filtered, en, {
				persona: (id) => (id === 'p-1' ? 'Frequent flyer' : null),
				facet: (id) => (id === 'Bagage' ? 'Cabin bag' : null)
			})
		).toBe('Filters: persona Frequent flyer · channel Website · product Cabin bag');
		expect(filtersInWords(filtered, fr)).toBe('Filtres : persona p-1 · canal Site web · produit Bagage');
	});

	it('signs deltas with a true minus and writes durations in the unit that reads best', () => {
		expect(formatDelta(4, 'en')).toBe('+4');
		expect(formatDelta(-3, 'fr')).toBe('−3');
		expect(formatDelta(0, 'en')).toBe('0');
		expect(formatDelta(null, 'en')).toBe('–');
		expect(formatDuration(20 * 60_000, 'en', en)).toBe('20 min');
		expect(formatDuration(3 * 3_600_000, 'en', en)).toBe('3 h');
		expect(formatDuration(1.5 * 86_400_000, 'fr', fr)).toBe('36 h');
		expect(formatDuration(5.25 * 86_400_000, 'fr', fr)).toBe('5,3 jours');
		expect(formatDuration(null, 'en', en)).toBe('–');
	});

	it('writes each kind of change as a sentence', () => {
		expect(
			changeText(
				{ kind: 'score', touchpointId: 't', title: 'Pay', from: 0.2, to: -1.2, volume: 14 },
				'en',
				en
			)
		).toBe('Pay: emotion score +0.2 → -1.2 (14 items)');
		expect(
			changeText({ kind: 'alert_opened', alertId: 'a', touchpointId: null, title: null }, 'fr', fr)
		).toBe('Alerte ouverte sur le parcours');
		expect(changeText({ kind: 'motive', motive: 'price', label: 'Prix', from: 3, to: 9 }, 'fr', fr)).toBe(
			'Prix : 3 → 9 mentions'
		);
	});
});

describe('journey report', () => {
	it('has the journey’s title, the headline first and every section in order', () => {
		const report = journeyReport(sampleJourneyView(), 'en', en);
		expect(report.title).toBe('Voyage été à Montréal');
		expect(report.meta).toHaveLength(4);
		expect(report.meta[3]).toBe('Generated on 22 November 2026 at 21:30 (UTC)');
		const [headline] = report.blocks;
		expect(headline).toMatchObject({ kind: 'headline', score: '62', band: 'watch', bandLabel: 'Watch' });
		const lines = (headline as Extract<ReportBlock, { kind: 'headline' }>).lines;
		expect(lines[0]).toBe('+4 points against the comparison period');
		expect(lines[1]).toBe('Customers said: 120 items; plausible range 53–69');
		expect(lines.some((l) => l.startsWith('How it is computed: up to 60 points'))).toBe(true);
		expect(lines.at(-1)).toBe('Here: emotion 40, negative items +26, trend +2, alerts −10.');
		expect(ofKind(report.blocks, 'heading').map((h) => h.text)).toEqual([
			'Emotion curve: authored and live',
			'Touchpoints week by week',
			'Top pains',
			'Top joys',
			'Breakdown',
			'Loops',
			'Engagement ladder',
			'What changed since last week'
		]);
	});

	it('draws the curve by stage and the heatmap with written values, gaps left blank', () => {
		const report = journeyReport(sampleJourneyView(), 'fr', fr);
		const [curve] = ofKind(report.blocks, 'curve');
		expect(curve.stages).toEqual([
			{ title: 'Book', from: 0, to: 1 },
			{ title: 'Fly', from: 2, to: 2 }
		]);
		expect(curve.points.map((p) => p.live)).toEqual([0.6, -1.2, null]);
		const [heat] = ofKind(report.blocks, 'heatmap');
		expect(heat.weeks).toEqual(['1 juin', '8 juin', '15 juin', '22 juin']);
		expect(heat.rows[0].cells.map((c) => c.text)).toEqual(['0,0', '+1,3', '', '+0,2']);
	});

	it('splits a long heatmap into blocks of at most 13 weeks, a missing week as an empty cell', () => {
		const view = sampleJourneyView();
		const weeks = sampleWeeks(53);
		view.heatmap = {
			weeks: weeks.map((w) => w.week),
			rows: [{ touchpointId: 't', title: 'Pay', cells: weeks.filter((_, i) => i !== 5) }]
		};
		const heat = ofKind(journeyReport(view, 'en', en).blocks, 'heatmap');
		expect(heat.map((h) => h.weeks.length)).toEqual([11, 11, 11, 10, 10]);
		expect(heat[0].caption).toBe('Mean emotion score and items, weeks of 1 Jun to 10 Aug');
		expect(heat[0].rows[0].cells[5]).toEqual({ score: null, text: '', volume: 0 });
	});

	it('gives pains their quote, the loops funnel its times and the ladder its units', () => {
		const report = journeyReport(sampleJourneyView(), 'en', en);
		expect(ofKind(report.blocks, 'quote')).toEqual([
			{ kind: 'quote', title: 'Price: 31 items (26%)', text: '“Les frais de bagage sont scandaleux”' },
			{ kind: 'quote', title: 'Staff: 12 items (10%)', text: null }
		]);
		const [, , , funnel, ladder] = ofKind(report.blocks, 'table');
		expect(funnel.rows.map((r) => r.cells)).toEqual([
			['Listen', '5', '–', '–'],
			['Solve', '4', '3 h', '4'],
			['Measure', '3', '5 days', '3'],
			['Follow up', '2', '20 min', '2'],
			['Closed', '1', '24 h', '1']
		]);
		expect(ladder.rows.map((r) => r.cells.slice(0, 3))).toEqual([
			['Usage (items)', '120', '–'],
			['Satisfaction (satisfied share)', '72%', '± 12%'],
			['Loyalty (returning customers)', '30%', '± 9%'],
			['Recommendation (NPS)', '−12', '± 30']
		]);
		const texts = ofKind(report.blocks, 'text').map((t) => t.text);
		expect(texts).toContain('2 of 3 measured loops improved the score (67%).');
		expect(ofKind(report.blocks, 'bullets')[0].items).toHaveLength(2);
	});

	it('names stage groups and online/offline in the reader’s language, personas by their name', () => {
		const tables = ofKind(journeyReport(sampleJourneyView(), 'fr', fr).blocks, 'table');
		expect(tables.slice(0, 3).map((t) => t.rows.map((r) => r.cells[0]))).toEqual([
			['Vente', 'Après-vente'],
			['En ligne'],
			['Frequent flyer']
		]);
	});

	it('says so when a section is empty instead of leaving it blank', () => {
		const view = sampleJourneyView({
			curve: [],
			heatmap: { weeks: [], rows: [] },
			pains: [],
			changes: [],
			breakdown: { groups: [], channels: [], personas: [], stages: [] }
		});
		const texts = ofKind(journeyReport(view, 'en', en).blocks, 'text').map((t) => t.text);
		expect(texts).toEqual(
			expect.arrayContaining([
				'This journey has no touchpoint yet.',
				'No feedback on the touchpoints in this range.',
				'None in this range.',
				'No feedback to break down in this range.',
				'Nothing notable changed over the last 7 days.'
			])
		);
	});
});

describe('portfolio report', () => {
	it('lists the journeys in the view’s order with health, delta, volume, alerts, loops and a sparkline', () => {
		const report = portfolioReport(samplePortfolioView(), 'Airline CX', 'fr', fr);
		expect(report.title).toBe('Santé des parcours — Airline CX');
		const [table] = ofKind(report.blocks, 'table');
		expect(table.rows.map((r) => r.cells.slice(0, 7))).toEqual([
			['Checkout', '41', 'En danger', '+4', '300', '2', '3'],
			['Voyage été à Montréal', '62', 'À surveiller', '+4', '120', '0', '1'],
			['Onboarding', '–', 'Sans données', '–', '0', '0', '0']
		]);
		expect(table.rows[0].spark).toHaveLength(12);
		expect(table.rows[0].spark![2]).toBeNull();
		expect(table.sparkColumn).toBe(7);
	});

	it('says when the workspace has no journey', () => {
		const report = portfolioReport(samplePortfolioView({ journeys: [] }), 'Empty', 'en', en);
		expect(report.blocks).toEqual([
			{ kind: 'text', text: 'This workspace has no journey yet.', muted: true }
		]);
	});
});
