import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createAnalyzer, type Analysis } from '../analysis';
import { openJourney, templateFile } from '../journey';
import {
	buildDemoJourney,
	DEMO_JOURNEYS,
	DEMO_WEEKS,
	demoContextEntries,
	demoFeedback,
	touchpointRefs,
	type DemoItem,
	type DemoJourney
} from './demo-items';
import { SOLID_EVIDENCE } from './stats';
import { FEEDBACK_CHANNELS, FEEDBACK_LIMITS } from './types';

const now = new Date('2026-11-22T12:00:00Z');
const items = demoFeedback({ now });

function demoMap(id: DemoJourney) {
	const doc = new Y.Doc();
	buildDemoJourney(doc, id, null);
	return openJourney(doc).snapshot();
}

/** Item channels as the processor passes them to the analysis (`analysisChannel` on the server). */
const ANALYSIS_CHANNEL: Record<string, string | undefined> = {
	email: 'email',
	web_form: 'form',
	social: 'social',
	survey: 'survey',
	chat: 'chat',
	phone: 'phone',
	store: 'store',
	review: 'web'
};

/** Each item analysed with the demo workspace's context, as the processor will. */
const analysed: Array<{ item: DemoItem; analysis: Analysis }> = DEMO_JOURNEYS.flatMap((j) => {
	const { products, places } = demoContextEntries();
	const analyzer = createAnalyzer({ products, places, touchpoints: touchpointRefs(demoMap(j), products) });
	return items
		.filter((i) => i.journey === j)
		.map((item) => ({
			item,
			analysis: analyzer.analyze(item.input.text, {
				receivedAt: item.input.receivedAt,
				channel: ANALYSIS_CHANNEL[item.input.channel]
			})
		}));
});

describe('demo feedback', () => {
	it('is the same for the same seed and moment, and a few hundred items', () => {
		expect(demoFeedback({ now })).toEqual(items);
		expect(items.length).toBeGreaterThanOrEqual(300);
		expect(items.length).toBeLessThanOrEqual(400);
		expect(new Set(items.map((i) => i.input.externalId)).size).toBe(items.length);
		expect(new Set(items.map((i) => i.input.text)).size).toBeGreaterThan(items.length * 0.6);
	});

	it('gives every touchpoint of both journeys items in French and English', () => {
		for (const j of DEMO_JOURNEYS) {
			const own = items.filter((i) => i.journey === j);
			for (const lang of ['fr', 'en'] as const)
				expect(own.filter((i) => i.language === lang).length).toBeGreaterThan(own.length * 0.35);
			for (const tp of demoMap(j).touchpoints) {
				const tpItems = own.filter((i) => i.touchpoint === tp.id);
				expect(new Set(tpItems.map((i) => i.language)), `${j}/${tp.id}`).toEqual(new Set(['fr', 'en']));
			}
		}
		// The analysis agrees on the language.
		const sameLanguage = analysed.filter((a) => a.analysis.language.value === a.item.language).length;
		expect(sameLanguage / analysed.length).toBeGreaterThanOrEqual(0.95);
	});

	it('routes to the touchpoint each item was written for (≥ 80 %, and ≥ 60 % per touchpoint)', () => {
		const right = analysed.filter((a) => a.analysis.touchpoint.best?.id === a.item.touchpoint);
		expect(right.length / analysed.length).toBeGreaterThanOrEqual(0.8);
		const per = new Map<string, [number, number]>();
		for (const a of analysed) {
			const key = `${a.item.journey}/${a.item.touchpoint}`;
			const [ok, n] = per.get(key) ?? [0, 0];
			per.set(key, [ok + (a.analysis.touchpoint.best?.id === a.item.touchpoint ? 1 : 0), n + 1]);
		}
		for (const [key, [ok, n]] of per) expect(ok / n, key).toBeGreaterThanOrEqual(0.6);
	});

	it('shows solid evidence on most touchpoints, a few with few voices, and clear good and bad spots', () => {
		const volumes = new Map<string, number>();
		for (const i of items)
			volumes.set(`${i.journey}/${i.touchpoint}`, (volumes.get(`${i.journey}/${i.touchpoint}`) ?? 0) + 1);
		const solid = [...volumes.values()].filter((v) => v >= SOLID_EVIDENCE).length;
		expect(solid / volumes.size).toBeGreaterThanOrEqual(0.7);
		expect([...volumes.values()].some((v) => v < SOLID_EVIDENCE)).toBe(true);

		const meanStrength = (tp: string) => {
			const own = analysed.filter((a) => a.item.touchpoint === tp);
			return own.reduce((s, a) => s + a.analysis.polarity.score, 0) / own.length;
		};
		// Luggage and home delivery go badly, the check-in app and the crew well.
		expect(meanStrength('lost-bag')).toBeLessThan(-0.2);
		expect(meanStrength('delivery')).toBeLessThan(-0.2);
		expect(meanStrength('app-checkin')).toBeGreaterThan(0.2);
		expect(meanStrength('inflight')).toBeGreaterThan(0.1);
		// Written polarity and analysed polarity mostly agree.
		const agree = analysed.filter(
			(a) => a.analysis.polarity.value === (a.item.positive ? 'positive' : 'negative')
		).length;
		expect(agree / analysed.length).toBeGreaterThanOrEqual(0.8);
	});

	it('spreads items over the last eight weeks, across channels, some with customers and ratings', () => {
		const start = now.getTime() - DEMO_WEEKS * 7 * 86_400_000;
		const weeks = new Set<number>();
		for (const i of items) {
			const t = i.input.receivedAt.getTime();
			expect(t).toBeGreaterThanOrEqual(start);
			expect(t).toBeLessThanOrEqual(now.getTime());
			weeks.add(Math.floor((now.getTime() - t) / (7 * 86_400_000)));
			expect(FEEDBACK_CHANNELS).toContain(i.input.channel);
			expect(i.input.text.length).toBeLessThanOrEqual(FEEDBACK_LIMITS.text);
		}
		expect(weeks.size).toBe(DEMO_WEEKS);
		expect(new Set(items.map((i) => i.input.channel)).size).toBeGreaterThanOrEqual(6);
		const withCustomer = items.filter((i) => i.input.customer).length;
		const withRating = items.filter((i) => i.input.rating).length;
		expect(withCustomer).toBeGreaterThan(items.length * 0.25);
		expect(withCustomer).toBeLessThan(items.length * 0.75);
		expect(withRating).toBeGreaterThan(items.length * 0.2);
		for (const i of items.filter((i) => i.input.rating)) {
			const { kind, value } = i.input.rating!;
			expect(value).toBeGreaterThanOrEqual(kind === 'nps' ? 0 : 1);
			expect(value).toBeLessThanOrEqual(kind === 'nps' ? 10 : 5);
		}
	});
});

describe('demo journeys', () => {
	it('are the airline and TV templates with French keywords added to every touchpoint', () => {
		for (const j of DEMO_JOURNEYS) {
			const map = demoMap(j);
			const fr = templateFile(j, 'fr').journey;
			expect(map.stages.length).toBe(fr.stages!.length);
			const frTitles = new Map(fr.stages!.flatMap((s) => s.touchpoints ?? []).map((t) => [t.id, t.title]));
			expect(map.touchpoints.map((t) => t.id)).toEqual([...frTitles.keys()]);
			for (const tp of map.touchpoints) {
				expect(tp.keywords).toContain(frTitles.get(tp.id));
				expect(new Set(tp.keywords.map((k) => k.toLowerCase())).size).toBe(tp.keywords.length);
			}
		}
	});
});
