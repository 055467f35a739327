/**
 * A journey map as self-contained SVG pages, without a DOM: the same drawing becomes the PDF (through
 * svg-to-pdfkit, on the server) and the PNG (through an image and a canvas, in the browser). Every
 * authored text is cleaned and escaped; only Helvetica-compatible fonts are named, so widths computed
 * here hold in both.
 */
import { EMOTION_COLORS, GROUP_COLORS, BAND_LOOK, emotionColor, signed } from '../components/journey/look';
import { formatScore } from '../feedback/live';
import { scoreBand } from '../feedback/stats';
import type { TouchpointScore } from '../feedback/types';
import type { Locale, Translator } from '../i18n';
import {
	CHANNELS,
	type Channel,
	type EmotionScore,
	type JourneySnapshot,
	type StageGroup,
	type Touchpoint
} from '../journey/types';
import {
	MAP,
	PAGE,
	imagePage,
	mapGeometry,
	paginate,
	type CardBox,
	type MapGeometry,
	type PageLayout,
	type PageLayoutBox,
	type Paper
} from './layout';
import { cleanText, ellipsize, escapeXml, textWidth, wrapText } from './text';

/**
 * 24×24 stroke drawings of the channels. The editor's `ChannelIcon.svelte` draws the same; they are
 * here because an exported page is built from strings, not components.
 */
export const CHANNEL_PATHS: Record<Channel, string> = {
	web: 'M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18M3 12h18M12 3c3 3.2 3 14.8 0 18M12 3c-3 3.2-3 14.8 0 18',
	app: 'M8 2h8a2 2 0 0 1 2 2v16a2 2 0 0 1-2 2H8a2 2 0 0 1-2-2V4a2 2 0 0 1 2-2zM11 18h2',
	email: 'M3 6h18v12H3zM3 6l9 7l9-7',
	phone: 'M5 4h4l2 5l-2.5 1.5a11 11 0 0 0 5 5L15 13l5 2v4a2 2 0 0 1-2 2A16 16 0 0 1 3 6a2 2 0 0 1 2-2',
	store: 'M3 9l2-5h14l2 5M3 9h18M3 9a3 3 0 0 0 6 0a3 3 0 0 0 6 0a3 3 0 0 0 6 0M5 12v8h14v-8M10 20v-5h4v5',
	social:
		'M18 3a3 3 0 1 0 0 6a3 3 0 1 0 0-6M6 9a3 3 0 1 0 0 6a3 3 0 1 0 0-6M18 15a3 3 0 1 0 0 6a3 3 0 1 0 0-6M8.6 13.5l6.8 4M15.4 6.5l-6.8 4',
	chat: 'M4 4h16v12H9l-5 4z',
	kiosk: 'M6 2h12v14H6zM9 6h6M9 10h6M9 16v6M15 16v6M7 22h10',
	mail: 'M4 10a5 5 0 0 1 10 0v10H4zM14 10h6v10h-6M9 2v8M9 2h4v3h-4',
	event: 'M4 5h16v16H4zM4 10h16M8 3v4M16 3v4',
	other: 'M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18M8 12h.01M12 12h.01M16 12h.01'
};

const INK = '#101828';
const MUTED = '#475467';
const LINE = '#d0d5dd';
const BRAND = '#1f4e79';
const ALTERNATIVE = '#7a5af8';
const LIVE_LINE = '#c11574';
const PAIN = '#b42318';
const JOY = '#067647';
const EMOTIONS: EmotionScore[] = [2, 1, 0, -1, -2];
/** Room right of the last column for connections that loop back (less than a column gap). */
const RIGHT_BLEED = MAP.columnGap - 1;

export interface ExportOptions {
	/** The journey's title as its record has it (the map's own title may lag a rename). */
	title: string;
	locale: Locale;
	t: Translator;
	/** When the export was made, printed in the header. */
	date: Date;
	/** Live scores per touchpoint, drawn on the cards and as a second curve; omitted on the server. */
	live?: Readonly<Record<string, TouchpointScore>> | null;
}

export interface SvgPage {
	width: number;
	height: number;
	/** The whole page, for an image. */
	svg: string;
	/**
	 * The same page in two layers, for a PDF: the page's own parts (header, curve scale, legend) and
	 * the map, drawn in each window at `transform` inside `clip` (page coordinates); SVG fragments.
	 */
	layers: {
		chrome: string;
		map: string;
		windows: {
			transform: { x: number; y: number; scale: number };
			clip: { x: number; y: number; width: number; height: number };
		}[];
	};
}

/** The map on `paper` (landscape), fitted to one page or split over pages of whole stage columns. */
export function renderPdfPages(
	snapshot: JourneySnapshot,
	paper: Paper,
	layout: PageLayout,
	options: ExportOptions
): SvgPage[] {
	const map = mapGeometry(snapshot, !!options.live);
	const legend = legendItems(options, !!options.live);
	const pages = paginate(map, paper, layout, (w) => flowLegend(legend, w).height);
	return pages.map((p, i) => renderPage(snapshot, map, p, legend, options, [i + 1, pages.length]));
}

/** The whole map at its natural size on one page, for a picture. */
export function renderImage(snapshot: JourneySnapshot, options: ExportOptions): SvgPage {
	const map = mapGeometry(snapshot, !!options.live);
	const legend = legendItems(options, !!options.live);
	const page = imagePage(map, (w) => flowLegend(legend, w).height);
	return renderPage(snapshot, map, page, legend, options, null);
}

const capitalise = (s: string) => s.charAt(0).toLocaleUpperCase() + s.slice(1);

/** Numbers as SVG writes them: at most two decimals. */
const n = (v: number) => String(Math.round(v * 100) / 100);

function text(
	x: number,
	y: number,
	content: string,
	attrs: { size: number; bold?: boolean; fill?: string; anchor?: 'start' | 'middle' | 'end' }
): string {
	const weight = attrs.bold ? ' font-weight="bold"' : '';
	const anchor = attrs.anchor && attrs.anchor !== 'start' ? ` text-anchor="${attrs.anchor}"` : '';
	return `<text x="${n(x)}" y="${n(y)}" font-size="${attrs.size}"${weight}${anchor} fill="${attrs.fill ?? INK}">${escapeXml(content)}</text>`;
}

function icon(channel: Channel, x: number, y: number, size: number, color: string): string {
	const k = size / 24;
	return `<path d="${CHANNEL_PATHS[channel]}" transform="translate(${n(x)} ${n(y)}) scale(${n(k)})" fill="none" stroke="${color}" stroke-width="${n(1.8)}" stroke-linecap="round" stroke-linejoin="round"/>`;
}

function formatDay(locale: Locale, date: Date): string {
	return new Intl.DateTimeFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', { dateStyle: 'long' }).format(date);
}

// ——— the legend: labelled samples flowing in lines under the map ———

interface LegendItem {
	/** A section heading starts a new group of items. */
	heading?: boolean;
	label: string;
	/** Draws the sample with its left edge at x and its middle at y. */
	sample?: (x: number, y: number) => string;
}

const LEGEND = { size: 8, row: 15, sample: 12, gap: 5, spacing: 12, top: 9 } as const;

function legendItems(options: ExportOptions, withLive: boolean): LegendItem[] {
	const t = options.t;
	const items: LegendItem[] = [{ heading: true, label: t('editor.channels') }];
	for (const c of CHANNELS) {
		items.push({ label: t(`editor.channel.${c}`), sample: (x, y) => icon(c, x, y - 6, 12, MUTED) });
	}
	items.push({ heading: true, label: t('editor.emotion') });
	for (const e of EMOTIONS) {
		items.push({
			label: `${signed(e)} ${t(`editor.emotion.${e}`)}`,
			sample: (x, y) =>
				`<rect x="${n(x)}" y="${n(y - 5)}" width="10" height="10" rx="2" fill="${EMOTION_COLORS[e]}"/>`
		});
	}
	items.push({ heading: true, label: t('editor.connections') });
	items.push({
		label: t('editor.connection.main'),
		sample: (x, y) => `<path d="M${n(x)} ${n(y)}h14" stroke="${BRAND}" stroke-width="2.5"/>`
	});
	items.push({
		label: t('editor.connection.alternative'),
		sample: (x, y) =>
			`<path d="M${n(x)} ${n(y)}h14" stroke="${ALTERNATIVE}" stroke-width="2" stroke-dasharray="4 3"/>`
	});
	items.push({ heading: true, label: t('editor.curve.title') });
	items.push({
		label: t('editor.curve.authored'),
		sample: (x, y) => `<path d="M${n(x)} ${n(y)}h14" stroke="${BRAND}" stroke-width="2.5"/>`
	});
	if (withLive) {
		items.push({
			label: t('mapExport.legend.liveCurve'),
			sample: (x, y) =>
				`<path d="M${n(x)} ${n(y)}h14" stroke="${LIVE_LINE}" stroke-width="2" stroke-dasharray="4 3"/>`
		});
		items.push({ heading: true, label: t('liveMap.legend.title') });
		for (const band of ['very-positive', 'positive', 'neutral', 'negative', 'very-negative'] as const) {
			items.push({
				label: capitalise(t(`liveMap.band.${band}`)),
				sample: (x, y) =>
					`<rect x="${n(x + 1)}" y="${n(y - 4)}" width="8" height="8" transform="rotate(45 ${n(x + 5)} ${n(y)})" fill="${BAND_LOOK[band].dot}"/>`
			});
		}
	}
	return items;
}

function itemWidth(item: LegendItem): number {
	if (item.heading) return textWidth(item.label.toUpperCase(), LEGEND.size, true) + LEGEND.gap + 2;
	return (item.sample ? 16 : 0) + textWidth(item.label, LEGEND.size) + LEGEND.spacing;
}

/** Places the legend's items in lines of `width`; a heading never ends a line. */
function flowLegend(items: LegendItem[], width: number) {
	const placed: { item: LegendItem; x: number; row: number }[] = [];
	let x = 0;
	let row = 0;
	items.forEach((item, i) => {
		let w = itemWidth(item);
		if (item.heading && i + 1 < items.length) w += itemWidth(items[i + 1]);
		if (x > 0 && x + w > width) {
			row++;
			x = 0;
		}
		placed.push({ item, x, row });
		x += itemWidth(item);
		// A little more room before the next section.
		if (i + 1 < items.length && items[i + 1].heading) x += 8;
	});
	return { placed, height: LEGEND.top + (row + 1) * LEGEND.row };
}

function renderLegend(items: LegendItem[], x0: number, y0: number, width: number): string {
	const { placed } = flowLegend(items, width);
	const out = [`<path d="M${n(x0)} ${n(y0)}h${n(width)}" stroke="${LINE}" stroke-width="0.75"/>`];
	for (const { item, x, row } of placed) {
		const y = y0 + LEGEND.top + row * LEGEND.row + LEGEND.row / 2;
		if (item.heading) {
			out.push(text(x0 + x, y + 3, item.label.toUpperCase(), { size: LEGEND.size, bold: true, fill: MUTED }));
			continue;
		}
		let tx = x0 + x;
		if (item.sample) {
			out.push(item.sample(tx, y));
			tx += 16;
		}
		out.push(text(tx, y + 3, item.label, { size: LEGEND.size, fill: INK }));
	}
	return `<g data-legend="1">${out.join('')}</g>`;
}

// ——— the map at scale 1 ———

function curveLevelY(map: MapGeometry, value: number): number {
	const top = map.curveY + 12;
	const span = MAP.curveHeight - 24;
	return top + ((2 - value) / 4) * span;
}

/** The stage-group bands; a band begun on an earlier page is labelled again where this page starts. */
function groupBands(snapshot: JourneySnapshot, map: MapGeometry, t: Translator, fromX: number): string {
	const out: string[] = [];
	let start = 0;
	for (let i = 1; i <= snapshot.stages.length; i++) {
		const group = snapshot.stages[start]?.group;
		if (i < snapshot.stages.length && snapshot.stages[i].group === group) continue;
		if (group) {
			const x = map.columns[start];
			const width = map.columns[i - 1] + MAP.columnWidth - x;
			const look = GROUP_COLORS[group as StageGroup];
			const labelX = Math.max(x, fromX);
			const label = ellipsize(t(`editor.group.${group}`).toUpperCase(), x + width - labelX - 12, 8, true);
			out.push(
				`<rect x="${n(x)}" y="0" width="${n(width)}" height="${MAP.groupHeight - 4}" rx="4" fill="${look.bg}"/>`
			);
			if (x + width > fromX) out.push(text(labelX + 6, 11, label, { size: 8, bold: true, fill: look.ink }));
		}
		start = i;
	}
	return out.join('');
}

function stageColumn(snapshot: JourneySnapshot, map: MapGeometry, i: number): string {
	const stage = snapshot.stages[i];
	const x = map.columns[i];
	const top = MAP.groupHeight;
	const look = GROUP_COLORS[stage.group];
	const lines = wrapText(cleanText(stage.title), MAP.columnWidth - 16, 10, true, 2);
	return [
		`<rect x="${n(x)}" y="${top}" width="${MAP.columnWidth}" height="${n(map.curveY - MAP.curveGap / 2 - top)}" rx="6" fill="${look.column}" stroke="${look.bg}"/>`,
		...lines.map((l, k) => text(x + 8, top + 15 + k * 12, l, { size: 10, bold: true })),
		`<path d="M${n(x + 8)} ${top + MAP.stageHeight - 2}h${MAP.columnWidth - 16}" stroke="${look.ink}" stroke-width="1.5"/>`
	].join('');
}

function card(t: Touchpoint, box: CardBox, options: ExportOptions): string {
	const { x, y, width: w } = box;
	const inner = w - 18;
	const out = [
		`<g data-touchpoint="${escapeXml(t.id)}">`,
		`<rect x="${n(x)}" y="${n(y)}" width="${n(w)}" height="${n(box.height)}" rx="6" fill="#ffffff" stroke="${LINE}" stroke-width="0.75"/>`,
		`<rect x="${n(x)}" y="${n(y)}" width="4" height="${n(box.height)}" rx="2" fill="${emotionColor(t.emotion)}"/>`
	];
	const title = wrapText(cleanText(t.title), inner, 9.5, true, 2);
	title.forEach((l, k) => out.push(text(x + 10, y + 14 + k * 11.5, l, { size: 9.5, bold: true })));

	// Channel on the left, authored emotion on the right.
	const rowY = y + 42;
	const tr = options.t;
	let emotion = '';
	if (t.emotion !== null) {
		emotion = `${signed(t.emotion)} ${tr(`editor.emotion.${t.emotion}`)}`;
		const ew = textWidth(emotion, 7.5);
		out.push(
			`<circle cx="${n(x + w - 8 - ew - 6)}" cy="${n(rowY - 2.5)}" r="3.5" fill="${emotionColor(t.emotion)}"/>`,
			text(x + w - 8, rowY, emotion, { size: 7.5, fill: MUTED, anchor: 'end' })
		);
	}
	const channelRoom = inner - 14 - (emotion ? textWidth(emotion, 7.5) + 16 : 0);
	out.push(
		icon(t.channel, x + 10, rowY - 8.5, 10, MUTED),
		text(x + 24, rowY, ellipsize(tr(`editor.channel.${t.channel}`), channelRoom, 7.5), {
			size: 7.5,
			fill: MUTED
		})
	);

	const pain = t.pains.map(cleanText).find(Boolean);
	const joy = t.joys.map(cleanText).find(Boolean);
	if (pain) out.push(text(x + 10, y + 56, ellipsize(`− ${pain}`, inner, 7.5), { size: 7.5, fill: PAIN }));
	if (joy) out.push(text(x + 10, y + 68, ellipsize(`+ ${joy}`, inner, 7.5), { size: 7.5, fill: JOY }));

	const score = options.live?.[t.id];
	if (score && score.volume > 0) {
		const look = BAND_LOOK[scoreBand(score.score)];
		const label = tr('mapExport.card.live', {
			score: formatScore(score.score, options.locale),
			volume: score.volume
		});
		const lw = Math.min(inner, textWidth(label, 7.5, true) + 10);
		out.push(
			`<rect x="${n(x + 10)}" y="${n(y + 74)}" width="${n(lw)}" height="12" rx="6" fill="${look.bg}"/>`,
			text(x + 15, y + 83, ellipsize(label, inner - 10, 7.5, true), { size: 7.5, bold: true, fill: look.ink })
		);
	}
	out.push('</g>');
	return out.join('');
}

function curve(snapshot: JourneySnapshot, map: MapGeometry, options: ExportOptions): string {
	const out: string[] = [];
	const x0 = 0;
	const width = map.width;
	out.push(
		`<rect x="${x0}" y="${n(map.curveY)}" width="${n(width)}" height="${MAP.curveHeight}" rx="6" fill="#ffffff" stroke="${LINE}" stroke-width="0.75"/>`
	);
	for (const e of EMOTIONS) {
		const y = curveLevelY(map, e);
		const dash = e === 0 ? '' : ' stroke-dasharray="3 3"';
		out.push(
			`<path d="M${x0 + 4} ${n(y)}h${n(width - 8)}" stroke="#eaecf0" stroke-width="${e === 0 ? 1 : 0.75}"${dash}/>`
		);
	}
	const points = snapshot.touchpoints
		.filter((t) => t.emotion !== null && map.cards.has(t.id))
		.map((t) => ({ x: map.cards.get(t.id)!.curveX, y: curveLevelY(map, t.emotion!), e: t.emotion! }));
	if (points.length > 1) {
		const d = points.map((p, i) => `${i ? 'L' : 'M'}${n(p.x)} ${n(p.y)}`).join(' ');
		out.push(`<path d="${d}" fill="none" stroke="${BRAND}" stroke-width="2.5" stroke-linejoin="round"/>`);
	}
	for (const p of points) {
		out.push(
			`<circle cx="${n(p.x)}" cy="${n(p.y)}" r="4.5" fill="${EMOTION_COLORS[p.e]}" stroke="#ffffff" stroke-width="1.5"/>`
		);
	}
	if (options.live) {
		const live = snapshot.touchpoints
			.map((t) => ({ t, s: options.live![t.id] }))
			.filter(({ t, s }) => s && s.score !== null && map.cards.has(t.id))
			.map(({ t, s }) => ({
				x: map.cards.get(t.id)!.curveX,
				y: curveLevelY(map, s!.score!),
				score: s!.score!
			}));
		if (live.length > 1) {
			const d = live.map((p, i) => `${i ? 'L' : 'M'}${n(p.x)} ${n(p.y)}`).join(' ');
			out.push(
				`<path d="${d}" fill="none" stroke="${LIVE_LINE}" stroke-width="2" stroke-dasharray="6 4" stroke-linejoin="round"/>`
			);
		}
		for (const p of live) {
			out.push(
				`<rect x="${n(p.x - 4)}" y="${n(p.y - 4)}" width="8" height="8" transform="rotate(45 ${n(p.x)} ${n(p.y)})" fill="${BAND_LOOK[scoreBand(p.score)].dot}" stroke="#ffffff" stroke-width="1"/>`
			);
		}
	}
	return out.join('');
}

function connections(snapshot: JourneySnapshot, map: MapGeometry, pageStages: [number, number]): string {
	const out: string[] = [];
	for (const c of snapshot.connections) {
		const a = map.cards.get(c.from);
		const b = map.cards.get(c.to);
		if (!a || !b) continue;
		// Only what crosses this page's columns: the rest is clipped away anyway.
		const lo = Math.min(a.stageIndex, b.stageIndex);
		const hi = Math.max(a.stageIndex, b.stageIndex);
		if (hi < pageStages[0] || lo >= pageStages[1]) continue;
		const alt = c.kind === 'alternative';
		const color = alt ? ALTERNATIVE : BRAND;
		const ax = a.x + a.width;
		const ay = a.y + a.height / 2;
		let d: string;
		let end: { x: number; y: number; dir: 1 | -1 };
		let mid: { x: number; y: number };
		if (b.stageIndex > a.stageIndex) {
			const bx = b.x;
			const by = b.y + b.height / 2;
			const dx = Math.max(20, (bx - ax) / 2);
			d = `M${n(ax)} ${n(ay)}C${n(ax + dx)} ${n(ay)} ${n(bx - dx)} ${n(by)} ${n(bx - 6)} ${n(by)}`;
			end = { x: bx, y: by, dir: 1 };
			mid = { x: (ax + bx) / 2, y: (ay + by) / 2 };
		} else {
			// Back to an earlier card or within the column: a loop on the right side.
			const bx = b.x + b.width;
			const by = b.y + b.height / 2;
			const out = Math.max(ax, bx) + 16;
			d = `M${n(ax)} ${n(ay)}C${n(out)} ${n(ay)} ${n(out)} ${n(by)} ${n(bx + 6)} ${n(by)}`;
			end = { x: bx, y: by, dir: -1 };
			mid = { x: out - 4, y: (ay + by) / 2 };
		}
		const dash = alt ? ' stroke-dasharray="6 4"' : '';
		out.push(
			`<path d="${d}" fill="none" stroke="${color}" stroke-width="${alt ? 1.75 : 2}"${dash} stroke-opacity="0.9"/>`,
			`<path d="M${n(end.x)} ${n(end.y)}l${-7 * end.dir} -4v8z" fill="${color}"/>`
		);
		const label = cleanText(c.label);
		if (label) {
			const shown = ellipsize(label, 120, 7);
			const w = textWidth(shown, 7) + 8;
			out.push(
				`<rect x="${n(mid.x - w / 2)}" y="${n(mid.y - 7)}" width="${n(w)}" height="11" rx="3" fill="#ffffff" stroke="${color}" stroke-width="0.5"/>`,
				text(mid.x, mid.y + 1.5, shown, { size: 7, fill: color, anchor: 'middle' })
			);
		}
	}
	return out.join('');
}

// ——— a page: header, the map window, the curve's scale, the legend ———

function renderPage(
	snapshot: JourneySnapshot,
	map: MapGeometry,
	page: PageLayoutBox,
	legend: LegendItem[],
	options: ExportOptions,
	numbering: [number, number] | null
): SvgPage {
	const { t } = options;
	const { width: W, height: H, scale: s } = page;
	const m = PAGE.margin;
	const chrome: string[] = [`<rect x="0" y="0" width="${n(W)}" height="${n(H)}" fill="#ffffff"/>`];

	// Header: title, then date and size; page number on the right.
	const pageLabel =
		numbering && numbering[1] > 1 ? t('mapExport.page', { page: numbering[0], pages: numbering[1] }) : '';
	const titleRoom = W - 2 * m - (pageLabel ? textWidth(pageLabel, 9) + 24 : 0);
	const title = ellipsize(cleanText(options.title) || t('mapExport.untitled'), titleRoom, 18, true);
	chrome.push(text(m, m + 16, title, { size: 18, bold: true }));
	if (pageLabel) chrome.push(text(W - m, m + 12, pageLabel, { size: 9, fill: MUTED, anchor: 'end' }));
	const facts = [
		t('mapExport.exportedOn', { date: formatDay(options.locale, options.date) }),
		t('mapExport.size', { stages: snapshot.stages.length, touchpoints: snapshot.touchpoints.length })
	];
	const [first, end] = page.stages;
	if (numbering && numbering[1] > 1) {
		facts.push(t('mapExport.stageRange', { first: first + 1, last: end, total: snapshot.stages.length }));
	}
	chrome.push(text(m, m + 33, ellipsize(facts.join(' · '), W - 2 * m, 9), { size: 9, fill: MUTED }));

	const mapParts: string[] = [];
	// Each window shows a horizontal slice of this page's columns, scaled, clipped to where it lands.
	let top = page.areaY;
	const windows = page.windows.map((w) => {
		const window = {
			transform: { x: page.areaX - page.mapX * s, y: top - w.mapY * s, scale: s },
			clip: {
				x: page.areaX - 2,
				y: top - 2,
				width: page.mapWidth * s + 4 + RIGHT_BLEED * s,
				height: w.height * s + 4
			}
		};
		top += w.height * s;
		return window;
	});
	if (!snapshot.stages.length) {
		chrome.push(text(page.areaX, page.areaY + 30, t('mapExport.empty'), { size: 12, fill: MUTED }));
	} else {
		mapParts.push(groupBands(snapshot, map, t, page.mapX));
		for (let i = first; i < end; i++) mapParts.push(stageColumn(snapshot, map, i));
		mapParts.push(curve(snapshot, map, options));
		const shown = (box: CardBox) =>
			page.windows.some((w) => box.y + box.height > w.mapY && box.y < w.mapY + w.height);
		for (const tp of snapshot.touchpoints) {
			const box = map.cards.get(tp.id);
			if (box && box.stageIndex >= first && box.stageIndex < end && shown(box)) {
				mapParts.push(card(tp, box, options));
			}
		}
		mapParts.push(connections(snapshot, map, page.stages));
		// The curve's scale in the gutter, outside the clipped windows, where the curve is shown.
		page.windows.forEach((w, i) => {
			if (map.curveY < w.mapY || map.curveY + MAP.curveHeight > w.mapY + w.height) return;
			for (const e of EMOTIONS) {
				const y = windows[i].transform.y + curveLevelY(map, e) * s;
				chrome.push(
					text(page.areaX - 6, y + 3, signed(e), {
						size: 8,
						bold: true,
						fill: EMOTION_COLORS[e],
						anchor: 'end'
					})
				);
			}
		});
	}
	// The legend follows a map that does not fill its page.
	const legendY = Math.min(page.legendY, top + 2 * PAGE.legendGap);
	chrome.push(renderLegend(legend, m, legendY, W - 2 * m));

	const layers = { chrome: chrome.join(''), map: mapParts.join(''), windows };
	const svg = [svgOpen(W, H), layers.chrome];
	windows.forEach(({ transform, clip }, i) => {
		const id = `map-${numbering ? numbering[0] : 0}-${i}`;
		svg.push(
			`<defs><clipPath id="${id}"><rect x="${n(clip.x)}" y="${n(clip.y)}" width="${n(clip.width)}" height="${n(clip.height)}"/></clipPath></defs>`,
			`<g clip-path="url(#${id})"><g transform="translate(${n(transform.x)} ${n(transform.y)}) scale(${n(s)})">`,
			layers.map,
			'</g></g>'
		);
	});
	svg.push('</svg>');
	return { width: W, height: H, svg: svg.join(''), layers };
}

/** The root element of a page or of one of its layers. */
export function svgOpen(width: number, height: number): string {
	return `<svg xmlns="http://www.w3.org/2000/svg" width="${n(width)}" height="${n(height)}" viewBox="0 0 ${n(width)} ${n(height)}" font-family="Helvetica, Arial, sans-serif">`;
}

export interface PlacedText {
	x: number;
	y: number;
	size: number;
	bold: boolean;
	fill: string;
	anchor: 'start' | 'middle' | 'end';
	/** The text itself, unescaped. */
	content: string;
}

const TEXT_ELEMENT =
	/<text x="([-\d.]+)" y="([-\d.]+)" font-size="([\d.]+)"( font-weight="bold")?(?: text-anchor="(middle|end)")? fill="(#[0-9a-f]{6})">([^<]*)<\/text>/g;

/**
 * A layer's text elements taken out, as positioned strings: a PDF writes them with its own text
 * operators (one per string, fast and selectable) instead of drawing them glyph by glyph.
 */
export function takeTexts(fragment: string): { shapes: string; texts: PlacedText[] } {
	const texts: PlacedText[] = [];
	const shapes = fragment.replace(TEXT_ELEMENT, (_, x, y, size, bold, anchor, fill, content: string) => {
		texts.push({
			x: Number(x),
			y: Number(y),
			size: Number(size),
			bold: !!bold,
			fill,
			anchor: anchor ?? 'start',
			content: unescapeXml(content)
		});
		return '';
	});
	return { shapes, texts };
}

function unescapeXml(text: string): string {
	return text
		.replace(/&lt;/g, '<')
		.replace(/&gt;/g, '>')
		.replace(/&quot;/g, '"')
		.replace(/&apos;/g, "'")
		.replace(/&amp;/g, '&');
}
