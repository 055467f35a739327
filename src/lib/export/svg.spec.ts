import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { translator } from '../i18n';
import { createJourneyFromTemplate, openJourney, type JourneySnapshot } from '../journey';
import { MAP, PAPERS, mapGeometry, paginate } from './layout';
import { renderImage, renderPdfPages, type ExportOptions } from './svg';
import { cleanText, ellipsize, escapeXml, textWidth, wrapText } from './text';

function template(id: 'airline' | 'tv-online' = 'airline', locale: 'en' | 'fr' = 'en'): JourneySnapshot {
	const doc = new Y.Doc();
	createJourneyFromTemplate(doc, id, locale, { title: 'Trip', owner: null });
	const snapshot = openJourney(doc).snapshot();
	doc.destroy();
	return snapshot;
}

/** A journey of `stages` stages with `perStage` touchpoints each, connected in a line. */
function wide(stages: number, perStage = 2): JourneySnapshot {
	const doc = new Y.Doc();
	const j = openJourney(doc);
	const ids: string[] = [];
	for (let s = 0; s < stages; s++) {
		const stageId = j.addStage({
			title: `Stage ${s + 1}`,
			group: s < stages / 2 ? 'pre-sale' : 'after-sale'
		});
		for (let k = 0; k < perStage; k++) {
			ids.push(
				j.addTouchpoint(stageId, {
					title: `Touchpoint ${s + 1}.${k + 1}`,
					emotion: ((s + k) % 5) - 2
				} as never)
			);
		}
	}
	for (let i = 1; i < ids.length; i++) j.addConnection({ from: ids[i - 1], to: ids[i] });
	const snapshot = j.snapshot();
	doc.destroy();
	return snapshot;
}

const options = (locale: 'en' | 'fr' = 'en'): ExportOptions => ({
	title: 'Airline trip',
	locale,
	t: translator(locale),
	date: new Date('2026-11-22T12:00:00Z')
});

/** The text nodes of an SVG string, unescaped. */
function texts(svg: string): string[] {
	return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) =>
		m[1]
			.replace(/&lt;/g, '<')
			.replace(/&gt;/g, '>')
			.replace(/&quot;/g, '"')
			.replace(/&apos;/g, "'")
			.replace(/&amp;/g, '&')
	);
}

describe('text', () => {
	it('escapes the five XML specials and drops characters XML forbids', () => {
		expect(escapeXml(`<a href="x">Tom & Jerry's</a>`)).toBe(
			'&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&apos;s&lt;/a&gt;'
		);
		expect(cleanText('a\u0000b\u0007c\u001b \n\t d\ud800e')).toBe('abc de');
		expect(cleanText('emoji 😀 stays')).toBe('emoji 😀 stays');
	});

	it('measures like Helvetica, accents as their base letter', () => {
		expect(textWidth('W', 10)).toBeCloseTo(9.44);
		expect(textWidth('é', 10)).toBe(textWidth('e', 10));
		expect(textWidth('ab', 10, true)).toBeGreaterThan(textWidth('ab', 10));
	});

	it('wraps at spaces, cuts long words and ellipsises what does not fit', () => {
		expect(wrapText('one two three', 1000, 10)).toEqual(['one two three']);
		const lines = wrapText('the quick brown fox jumps over the lazy dog again and again', 60, 10, false, 2);
		expect(lines).toHaveLength(2);
		expect(lines[1].endsWith('…')).toBe(true);
		for (const l of lines) expect(textWidth(l, 10)).toBeLessThanOrEqual(60);
		const long = wrapText('x'.repeat(200), 50, 10, false, 3);
		expect(long).toHaveLength(3);
		for (const l of long) expect(textWidth(l, 10)).toBeLessThanOrEqual(50);
		expect(ellipsize('short', 100, 10)).toBe('short');
		expect(ellipsize('a much longer text', 40, 10)).toMatch(/…$/);
	});
});

describe('journey as SVG', () => {
	it('draws every touchpoint title, stage, channel and the emotion scale on a fitted page', () => {
		const snapshot = template();
		const [page, ...rest] = renderPdfPages(snapshot, 'a4', 'fit', options());
		expect(rest).toHaveLength(0);
		expect(page.width).toBeCloseTo(PAPERS.a4.width);
		const all = texts(page.svg).join('\n');
		expect(all).toContain('Airline trip');
		for (const t of snapshot.touchpoints) {
			// Long titles are wrapped over two lines: their first word is on the page.
			expect(all).toContain(t.title.split(' ')[0]);
		}
		for (const s of snapshot.stages) expect(all).toContain(s.title.split(' ')[0]);
		// Legend: every channel, the emotion scale, the connection kinds.
		for (const label of ['Website', 'Mobile app', 'Kiosk / IVR', 'Post', 'Other'])
			expect(all).toContain(label);
		for (const label of [
			'+2 Very positive',
			'0 Neutral',
			'-2 Very negative',
			'Main path',
			'Alternative path'
		])
			expect(all).toContain(label);
		expect(all).toContain('Exported on 22 November 2026');
		expect(page.svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
	});

	it('writes the header in French with the French date', () => {
		const [page] = renderPdfPages(template('airline', 'fr'), 'a3', 'fit', options('fr'));
		const all = texts(page.svg).join('\n');
		expect(all).toContain('Exporté le 22 novembre 2026');
		expect(all).toContain('Très positif'.slice(0, 4));
		expect(all).toContain('Site web'.slice(0, 4));
	});

	it('escapes hostile text everywhere and keeps the SVG well-formed', () => {
		const snapshot = template();
		snapshot.stages[0].title = '</text><script>alert(1)</script>';
		snapshot.touchpoints[0].title = 'A & B <c> "d" \'e\' \u0001';
		snapshot.touchpoints[0].pains = ['<img src=x onerror=alert(1)>'];
		snapshot.connections[0] = { ...snapshot.connections[0], label: '"><g onload="x' };
		const svg = renderImage(snapshot, { ...options(), title: '<Title> & co' }).svg;
		expect(svg).not.toContain('<script');
		expect(svg).not.toContain('<img');
		expect(svg).not.toContain('"><g onload');
		expect(svg).not.toContain('\u0001');
		const all = texts(svg).join('\n');
		expect(all).toContain('A & B <c> "d" \'e\'');
		expect(all).toContain('<Title> & co');
		// Every tag opened is closed (no text broke out of its element).
		const opened = (svg.match(/<(text|g|svg|defs|clipPath)\b/g) ?? []).length;
		const closed = (svg.match(/<\/(text|g|svg|defs|clipPath)>/g) ?? []).length;
		expect(opened).toBe(closed);
	});

	it('splits a wide map over pages of whole stages, each with header, legend and page x / y', () => {
		const snapshot = wide(24);
		const pages = renderPdfPages(snapshot, 'a4', 'split', options());
		expect(pages.length).toBeGreaterThan(2);
		const seen: string[] = [];
		pages.forEach((p, i) => {
			const all = texts(p.svg);
			expect(all).toContain('Airline trip');
			expect(all).toContain(`Page ${i + 1} / ${pages.length}`);
			expect(all).toContain('Website');
			expect(all).toContain('+2 Very positive');
			seen.push(...all.filter((t) => /^Stage \d+$/.test(t)));
		});
		// Every stage on exactly one page, in order.
		expect(seen).toEqual(snapshot.stages.map((s) => s.title));
		const touchpoints = pages.flatMap((p) => texts(p.svg).filter((t) => t.startsWith('Touchpoint ')));
		expect(touchpoints.sort()).toEqual(snapshot.touchpoints.map((t) => t.title).sort());
	});

	it('cuts a map too tall for its page into bands of card rows, stage headers on each', () => {
		const snapshot = wide(4, 14);
		const pages = renderPdfPages(snapshot, 'a4', 'split', options());
		expect(pages.length).toBeGreaterThanOrEqual(2);
		const touchpoints: string[] = [];
		pages.forEach((p, i) => {
			const all = texts(p.svg);
			expect(all).toContain(`Page ${i + 1} / ${pages.length}`);
			expect(all.filter((t) => /^Stage \d+$/.test(t)).length).toBeGreaterThan(0);
			expect(p.layers.windows).toHaveLength(2);
			// The SVG repeats the map in each window (clipped): count a page's cards once.
			touchpoints.push(...new Set(all.filter((t) => t.startsWith('Touchpoint '))));
		});
		// Every card on exactly one page, and the scale stays legible.
		expect(touchpoints.sort()).toEqual(snapshot.touchpoints.map((t) => t.title).sort());
		const map = mapGeometry(snapshot, false);
		for (const p of paginate(map, 'a4', 'split', () => 40)) {
			expect(p.scale).toBeGreaterThanOrEqual(0.6);
			const shown = p.windows.reduce((h, w) => h + w.height, 0) * p.scale;
			expect(p.areaY + shown).toBeLessThanOrEqual(p.height);
		}
		// The emotion curve is on the last band.
		const last = paginate(map, 'a4', 'split', () => 40).at(-1)!;
		const band = last.windows[1];
		expect(band.mapY + band.height).toBeGreaterThanOrEqual(map.height);
	});

	it('keeps split pages legible and a fitted page whole', () => {
		const map = mapGeometry(wide(30), false);
		const legend = () => 40;
		const split = paginate(map, 'a3', 'split', legend);
		for (const p of split) {
			expect(p.scale).toBeGreaterThan(0.9);
			expect(p.mapWidth * p.scale).toBeLessThanOrEqual(p.width - p.areaX);
		}
		expect(split.map((p) => p.stages)).toEqual(
			split.map((_, i) => [split[0].stages[1] * i, Math.min(30, split[0].stages[1] * (i + 1))])
		);
		const [fit] = paginate(map, 'a4', 'fit', legend);
		expect(fit.stages).toEqual([0, 30]);
		expect(map.width * fit.scale).toBeLessThanOrEqual(PAPERS.a4.width);
		// A small map is one page either way.
		expect(paginate(mapGeometry(wide(2), false), 'a4', 'split', legend)).toHaveLength(1);
		expect(map.columns[1] - map.columns[0]).toBe(MAP.columnWidth + MAP.columnGap);
	});

	it('shows live scores on the cards and a live curve when given', () => {
		const snapshot = template();
		const [a, b] = snapshot.touchpoints;
		const live = {
			[a.id]: {
				touchpointId: a.id,
				volume: 12,
				score: -1.4,
				interval: null,
				shares: { negative: 1, neutral: 0, positive: 0 },
				evidence: 'solid' as const
			},
			[b.id]: {
				touchpointId: b.id,
				volume: 3,
				score: 0.5,
				interval: null,
				shares: { negative: 0, neutral: 0, positive: 1 },
				evidence: 'few' as const
			}
		};
		const svg = renderImage(snapshot, { ...options(), live }).svg;
		const all = texts(svg);
		expect(all).toContain('Live -1.4 · n=12');
		expect(all).toContain('Live +0.5 · n=3');
		expect(all.filter((t) => t.startsWith('Live ') && t.includes('n='))).toHaveLength(2);
		expect(all).toContain('Live score from feedback');
		expect(svg).toContain('stroke="#c11574"');
		expect(renderImage(snapshot, options()).svg).not.toContain('stroke="#c11574"');
	});

	it('says so when the journey has no stages', () => {
		const empty = wide(0);
		const pages = renderPdfPages(empty, 'a4', 'split', options());
		expect(pages).toHaveLength(1);
		expect(texts(pages[0].svg)).toContain('This journey has no stages yet.');
	});
});
