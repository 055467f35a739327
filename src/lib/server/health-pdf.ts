/**
 * The health pages as vector PDFs (A4 landscape) for a management meeting: the blocks of
 * `$lib/health/report` written with pdfkit's standard Helvetica (nothing to embed, like the map export),
 * charts stroked as vector paths, long content flowing onto further pages with table headers repeated.
 */
import { eq } from 'drizzle-orm';
import PDFDocument from 'pdfkit';
import { cleanText, ellipsize, textWidth, wrapText } from '../export/text';
import { parseHealthQuery } from '../health/query';
import type { HealthQuery } from '../health/types';
import {
	BAND_COLOURS,
	heatFill,
	polylines,
	scoreY,
	slotX,
	type Box,
	type Point
} from '../health/report/chart';
import {
	journeyReport,
	portfolioReport,
	type HealthReport,
	type ReportBlock,
	type TableColumn,
	type TableRow
} from '../health/report/report';
import { translate, translator, type Locale } from '../i18n';
import { requireAccess, type Actor } from './access';
import type { Db } from './db';
import { workspace } from './db/schema';
import { invalid, notFound } from './errors';
import { toWinAnsi } from './export-pdf';
import { attachment } from './download';
import { journeyHealth, portfolio } from './health';

const MARGIN = 36;
const FOOTER = 18;
const INK = '#1d2330';
const MUTED = '#5f6672';
const RULE = '#c9ced6';
const HEADER_FILL = '#eef0f3';
const LIVE = '#1f5fae';
const AUTHORED = '#6b7280';

type Doc = PDFKit.PDFDocument;
type Font = 'Helvetica' | 'Helvetica-Bold' | 'Helvetica-Oblique';

/** Lays blocks out top to bottom, starting a page when the next piece does not fit. */
class Layout {
	y = MARGIN;
	constructor(readonly doc: Doc) {}

	get left() {
		return MARGIN;
	}
	get width() {
		return this.doc.page.width - 2 * MARGIN;
	}
	get bottom() {
		return this.doc.page.height - MARGIN - FOOTER;
	}

	/** Starts a page unless `height` more points fit on this one; true when it did. */
	ensure(height: number): boolean {
		if (this.y + height <= this.bottom) return false;
		this.doc.addPage();
		this.y = MARGIN;
		return true;
	}

	font(font: Font, size: number, colour = INK): Doc {
		return this.doc.font(font).fontSize(size).fillColor(colour);
	}

	/** Writes one line at (x, y), cut with an ellipsis to `width` when given. */
	line(
		text: string,
		x: number,
		y: number,
		o: {
			font?: Font;
			size?: number;
			colour?: string;
			width?: number;
			align?: 'left' | 'right' | 'center';
		} = {}
	): void {
		const size = o.size ?? 9;
		const font = o.font ?? 'Helvetica';
		const fitted = o.width ? ellipsize(cleanText(text), o.width, size, font === 'Helvetica-Bold') : text;
		const content = toWinAnsi(fitted);
		if (!content) return;
		this.font(font, size, o.colour);
		let at = x;
		if (o.width && o.align && o.align !== 'left') {
			const w = this.doc.widthOfString(content);
			at = o.align === 'right' ? x + o.width - w : x + (o.width - w) / 2;
		}
		this.doc.text(content, at, y, { lineBreak: false });
	}

	/** A paragraph wrapped to the content width (or `width`), moved to a new page as a whole if needed. */
	paragraph(
		text: string,
		o: { font?: Font; size?: number; colour?: string; indent?: number; gap?: number } = {}
	) {
		const size = o.size ?? 9;
		const indent = o.indent ?? 0;
		const content = toWinAnsi(cleanText(text));
		this.font(o.font ?? 'Helvetica', size, o.colour);
		const options = { width: this.width - indent, lineGap: 1.5 };
		const height = this.doc.heightOfString(content, options);
		this.ensure(height);
		this.font(o.font ?? 'Helvetica', size, o.colour);
		this.doc.text(content, this.left + indent, this.y, options);
		this.y += height + (o.gap ?? 4);
	}
}

function stroke(doc: Doc, points: Point[], colour: string, width: number, dash?: number): void {
	if (points.length < 2) return;
	doc.save().lineWidth(width).strokeColor(colour);
	if (dash) doc.dash(dash, { space: dash });
	doc.moveTo(points[0].x, points[0].y);
	for (const p of points.slice(1)) doc.lineTo(p.x, p.y);
	doc.stroke().restore();
}

function writeTitle(layout: Layout, report: HealthReport): void {
	const { doc } = layout;
	layout.font('Helvetica-Bold', 20);
	const title = toWinAnsi(cleanText(report.title));
	const height = doc.heightOfString(title, { width: layout.width });
	doc.text(title, layout.left, layout.y, { width: layout.width });
	layout.y += height + 4;
	for (const line of report.meta) layout.paragraph(line, { size: 9, colour: MUTED, gap: 1 });
	layout.y += 6;
	doc
		.save()
		.moveTo(layout.left, layout.y)
		.lineTo(layout.left + layout.width, layout.y)
		.lineWidth(0.5)
		.strokeColor(RULE)
		.stroke()
		.restore();
	layout.y += 10;
}

function writeHeadline(layout: Layout, block: Extract<ReportBlock, { kind: 'headline' }>): void {
	const { doc } = layout;
	const boxWidth = 110;
	const textWidth = layout.width - boxWidth - 14;
	layout.font('Helvetica', 9);
	const lineHeights = block.lines.map(
		(l) => doc.heightOfString(toWinAnsi(l), { width: textWidth, lineGap: 1.5 }) + 3
	);
	const height = Math.max(
		80,
		lineHeights.reduce((a, b) => a + b, 0)
	);
	layout.ensure(height);
	const top = layout.y;
	const colour = BAND_COLOURS[block.band];
	doc
		.save()
		.roundedRect(layout.left, top, boxWidth, 80, 6)
		.lineWidth(2)
		.strokeColor(colour)
		.stroke()
		.restore();
	layout.line(block.score, layout.left, top + 10, {
		font: 'Helvetica-Bold',
		size: 34,
		width: boxWidth,
		align: 'center'
	});
	layout.line(block.bandLabel, layout.left, top + 56, {
		font: 'Helvetica-Bold',
		size: 11,
		colour,
		width: boxWidth,
		align: 'center'
	});
	let y = top;
	block.lines.forEach((l, i) => {
		layout.font(i === 0 ? 'Helvetica-Bold' : 'Helvetica', 9, i >= 3 ? MUTED : INK);
		doc.text(toWinAnsi(l), layout.left + boxWidth + 14, y, { width: textWidth, lineGap: 1.5 });
		y += lineHeights[i];
	});
	layout.y = top + height + 10;
}

const ROW = 16;

function writeTable(layout: Layout, block: Extract<ReportBlock, { kind: 'table' }>): void {
	const { doc } = layout;
	const total = block.columns.reduce((a, c) => a + c.width, 0);
	const widths = block.columns.map((c) => (c.width / total) * layout.width);
	const xs = widths.map((_, i) => layout.left + widths.slice(0, i).reduce((a, b) => a + b, 0));
	const pad = 4;
	const header = () => {
		doc.save().rect(layout.left, layout.y, layout.width, ROW).fill(HEADER_FILL).restore();
		block.columns.forEach((c: TableColumn, i) =>
			layout.line(c.label, xs[i] + pad, layout.y + 4.5, {
				font: 'Helvetica-Bold',
				size: 7.5,
				colour: MUTED,
				width: widths[i] - 2 * pad,
				align: c.align
			})
		);
		layout.y += ROW;
	};
	layout.ensure(ROW * 3);
	header();
	for (const row of block.rows as TableRow[]) {
		if (layout.ensure(ROW)) header();
		const y = layout.y;
		row.cells.forEach((cell, i) => {
			const align = block.columns[i].align;
			let x = xs[i] + pad;
			let width = widths[i] - 2 * pad;
			if (i === block.scoreColumn && row.band) {
				// The band's colour just before the score; the band's name is in its own column.
				const markX = align === 'right' ? x + width - textWidth(cell, 8.5) - 9 : x;
				doc
					.save()
					.rect(markX, y + 5, 6, 6)
					.fill(BAND_COLOURS[row.band])
					.restore();
				if (align !== 'right') {
					x += 9;
					width -= 9;
				}
			}
			layout.line(cell, x, y + 4.5, {
				size: 8.5,
				width,
				align,
				font: i === 0 ? 'Helvetica-Bold' : 'Helvetica'
			});
		});
		if (block.sparkColumn !== undefined && row.spark?.length) {
			const i = block.sparkColumn;
			sparkline(doc, row.spark, { x: xs[i] + pad, y: y + 2, width: widths[i] - 2 * pad, height: ROW - 4 });
		}
		doc
			.save()
			.moveTo(layout.left, y + ROW)
			.lineTo(layout.left + layout.width, y + ROW)
			.lineWidth(0.3)
			.strokeColor(RULE)
			.stroke()
			.restore();
		layout.y += ROW;
	}
	layout.y += 8;
}

function sparkline(doc: Doc, values: Array<number | null>, box: Box): void {
	doc
		.save()
		.moveTo(box.x, scoreY(0, box))
		.lineTo(box.x + box.width, scoreY(0, box))
		.lineWidth(0.3)
		.strokeColor(RULE)
		.stroke()
		.restore();
	for (const line of polylines(values, box)) {
		if (line.length === 1) doc.save().circle(line[0].x, line[0].y, 0.9).fill(LIVE).restore();
		else stroke(doc, line, LIVE, 0.9);
	}
}

/** Heights in the emotion curve: stage titles, plot, touchpoint titles (straight or slanted), legend. */
const CURVE = { stages: 14, plot: 150, labels: 26, slantedLabels: 70, legend: 18 };

function writeCurve(layout: Layout, block: Extract<ReportBlock, { kind: 'curve' }>): void {
	const { doc } = layout;
	const n = block.points.length;
	const axis = 26;
	const plotHeight = CURVE.plot;
	const rotate = layout.width / n < 60;
	const labelsHeight = rotate ? CURVE.slantedLabels : CURVE.labels;
	layout.ensure(CURVE.stages + plotHeight + labelsHeight + CURVE.legend);
	const box: Box = {
		x: layout.left + axis,
		y: layout.y + CURVE.stages,
		width: layout.width - axis,
		height: plotHeight
	};
	const slot = box.width / n;
	// Stages as alternate bands with their titles on top.
	block.stages.forEach((s, i) => {
		const x = box.x + s.from * slot;
		const w = (s.to - s.from + 1) * slot;
		if (i % 2 === 0) doc.save().rect(x, box.y, w, box.height).fill('#f5f6f8').restore();
		layout.line(s.title, x + 2, layout.y + 2, {
			size: 7.5,
			font: 'Helvetica-Bold',
			colour: MUTED,
			width: w - 4
		});
	});
	for (let v = -2; v <= 2; v++) {
		const y = scoreY(v, box);
		doc
			.save()
			.moveTo(box.x, y)
			.lineTo(box.x + box.width, y)
			.lineWidth(v === 0 ? 0.8 : 0.3)
			.strokeColor(v === 0 ? '#9aa0a8' : RULE)
			.stroke()
			.restore();
		layout.line(v > 0 ? `+${v}` : String(v), layout.left, y - 3.5, {
			size: 7,
			colour: MUTED,
			width: axis - 6,
			align: 'right'
		});
	}
	// The live interval, then the authored curve (dashed, squares), then the live curve (solid, dots).
	block.points.forEach((p, i) => {
		if (!p.interval) return;
		const x = slotX(i, n, box);
		stroke(
			doc,
			[
				{ x, y: scoreY(p.interval[0], box) },
				{ x, y: scoreY(p.interval[1], box) }
			],
			'#9bb7de',
			2.2
		);
	});
	const authored = block.points.map((p) => p.authored);
	const live = block.points.map((p) => p.live);
	for (const line of polylines(authored, box)) stroke(doc, line, AUTHORED, 1.2, 3);
	authored.forEach((v, i) => {
		if (v !== null)
			doc
				.save()
				.rect(slotX(i, n, box) - 2.2, scoreY(v, box) - 2.2, 4.4, 4.4)
				.fill(AUTHORED)
				.restore();
	});
	for (const line of polylines(live, box)) stroke(doc, line, LIVE, 1.8);
	live.forEach((v, i) => {
		if (v !== null)
			doc
				.save()
				.circle(slotX(i, n, box), scoreY(v, box), 2.6)
				.fill(LIVE)
				.restore();
	});
	// Touchpoint titles under their slot, slanted when the slots are narrow; on a very long journey only
	// every few are named, or they would print over each other (the heatmap names them all).
	const labelTop = box.y + box.height + 4;
	const every = rotate ? Math.max(1, Math.ceil(12 / slot)) : 1;
	block.points.forEach((p, i) => {
		if (i % every) return;
		const x = slotX(i, n, box);
		if (rotate) {
			doc.save().rotate(-40, { origin: [x, labelTop] });
			layout.line(p.label, x - 88, labelTop - 3, { size: 6.5, width: 88, align: 'right' });
			doc.restore();
		} else {
			const lines = wrapText(cleanText(p.label), slot - 4, 7, false, 2);
			lines.forEach((l, k) =>
				layout.line(l, x - slot / 2 + 2, labelTop + k * 8.5, { size: 7, width: slot - 4, align: 'center' })
			);
		}
	});
	// Legend, written out so the chart reads in black and white.
	const legendY = labelTop + labelsHeight;
	let x = box.x;
	stroke(
		doc,
		[
			{ x, y: legendY + 4 },
			{ x: x + 18, y: legendY + 4 }
		],
		AUTHORED,
		1.2,
		3
	);
	layout.line(block.legend.authored, x + 22, legendY, { size: 7.5 });
	x += 30 + doc.widthOfString(toWinAnsi(block.legend.authored));
	stroke(
		doc,
		[
			{ x, y: legendY + 4 },
			{ x: x + 18, y: legendY + 4 }
		],
		LIVE,
		1.8
	);
	layout.line(block.legend.live, x + 22, legendY, { size: 7.5 });
	x += 30 + doc.widthOfString(toWinAnsi(block.legend.live));
	stroke(
		doc,
		[
			{ x: x + 9, y: legendY - 1 },
			{ x: x + 9, y: legendY + 9 }
		],
		'#9bb7de',
		2.2
	);
	layout.line(block.legend.interval, x + 16, legendY, { size: 7.5 });
	layout.y = legendY + 18;
}

function writeHeatmap(layout: Layout, block: Extract<ReportBlock, { kind: 'heatmap' }>): void {
	const { doc } = layout;
	const labelWidth = 170;
	const cellWidth = (layout.width - labelWidth) / Math.max(1, block.weeks.length);
	const rowHeight = 20;
	const header = () => {
		block.weeks.forEach((w, i) =>
			layout.line(w, layout.left + labelWidth + i * cellWidth, layout.y + 3, {
				size: 7,
				font: 'Helvetica-Bold',
				colour: MUTED,
				width: cellWidth,
				align: 'center'
			})
		);
		layout.y += 14;
	};
	layout.ensure(14 + 14 + rowHeight * 2);
	layout.line(block.caption, layout.left, layout.y, { size: 8, colour: MUTED, width: layout.width });
	layout.y += 14;
	header();
	for (const row of block.rows) {
		if (layout.ensure(rowHeight)) header();
		const y = layout.y;
		layout.line(row.title, layout.left, y + 6, { size: 8, width: labelWidth - 8 });
		row.cells.forEach((c, i) => {
			const x = layout.left + labelWidth + i * cellWidth;
			const fill = heatFill(c.score);
			doc.save().rect(x + 0.5, y + 0.5, cellWidth - 1, rowHeight - 1);
			if (fill) doc.fillAndStroke(fill, '#ffffff');
			else doc.lineWidth(0.3).stroke(RULE);
			doc.restore();
			if (c.volume > 0) {
				layout.line(c.text, x, y + 3, { size: 8, font: 'Helvetica-Bold', width: cellWidth, align: 'center' });
				layout.line(String(c.volume), x, y + 12.5, {
					size: 5.5,
					colour: MUTED,
					width: cellWidth,
					align: 'center'
				});
			}
		});
		layout.y += rowHeight;
	}
	layout.y += 10;
}

/** The least height a block needs on a page before it may break: a heading stays with that much. */
function keepHeight(block: ReportBlock | undefined): number {
	switch (block?.kind) {
		case 'curve':
			return CURVE.stages + CURVE.plot + CURVE.slantedLabels + CURVE.legend;
		case 'heatmap':
			return 28 + 2 * 20;
		case 'headline':
			return 90;
		case 'table':
			return 3 * ROW;
		default:
			return 40;
	}
}

function writeBlock(layout: Layout, block: ReportBlock, next: ReportBlock | undefined): void {
	switch (block.kind) {
		case 'heading':
			// A heading never ends a page without the start of what it heads.
			layout.ensure(24 + keepHeight(next));
			layout.y += 4;
			layout.line(block.text, layout.left, layout.y, {
				font: 'Helvetica-Bold',
				size: 12.5,
				width: layout.width
			});
			layout.y += 20;
			return;
		case 'text':
			layout.paragraph(block.text, { colour: block.muted ? MUTED : INK, gap: 8 });
			return;
		case 'bullets':
			for (const item of block.items) {
				layout.paragraph(`•  ${item}`, { indent: 6, gap: 3 });
			}
			layout.y += 5;
			return;
		case 'quote': {
			layout.ensure(40);
			layout.paragraph(block.title, { font: 'Helvetica-Bold', gap: 2 });
			if (block.text) {
				const text = wrapText(cleanText(block.text), layout.width - 14, 9, false, 4).join(' ');
				layout.paragraph(text, { font: 'Helvetica-Oblique', colour: MUTED, indent: 14, gap: 8 });
			} else layout.y += 6;
			return;
		}
		case 'headline':
			return writeHeadline(layout, block);
		case 'table':
			return writeTable(layout, block);
		case 'curve':
			return writeCurve(layout, block);
		case 'heatmap':
			return writeHeatmap(layout, block);
	}
}

/** The report as an A4 landscape PDF whose document title is the report's title. */
export function healthPdf(report: HealthReport, locale: Locale): Promise<Uint8Array<ArrayBuffer>> {
	const doc = new PDFDocument({
		size: 'A4',
		layout: 'landscape',
		margin: MARGIN,
		bufferPages: true,
		info: { Title: report.title, Creator: 'Parcours', Producer: 'Parcours' },
		displayTitle: true,
		lang: locale
	});
	const chunks: Buffer[] = [];
	const done = new Promise<Uint8Array<ArrayBuffer>>((resolve, reject) => {
		doc.on('data', (c: Buffer) => chunks.push(c));
		doc.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
		doc.on('error', reject);
	});
	const layout = new Layout(doc);
	writeTitle(layout, report);
	report.blocks.forEach((block, i) => writeBlock(layout, block, report.blocks[i + 1]));
	const { start, count } = doc.bufferedPageRange();
	for (let i = start; i < start + count; i++) {
		doc.switchToPage(i);
		// The footer sits in the bottom margin: without this pdfkit would start a page to write it.
		doc.page.margins.bottom = 0;
		const y = doc.page.height - MARGIN - 8;
		layout.line(report.footer, MARGIN, y, { size: 7.5, colour: MUTED, width: layout.width * 0.7 });
		layout.line(translate(locale, 'healthReport.page', { n: i - start + 1, total: count }), MARGIN, y, {
			size: 7.5,
			colour: MUTED,
			width: layout.width,
			align: 'right'
		});
	}
	doc.end();
	return done;
}

export interface HealthPdf {
	bytes: Uint8Array<ArrayBuffer>;
	/** `<title> – health.pdf`, as typed (see `attachment` for the header). */
	fileName: string;
	title: string;
}

/** The download's name: the report's title, without what file systems refuse, then "– health.pdf". */
export function healthFileName(title: string): string {
	const base = cleanText(title)
		.replace(/[/\\:*?"<>|]+/g, '-')
		.slice(0, 100)
		.trim();
	return `${base || 'journey'} – health.pdf`;
}

/** The HTTP answer: the PDF as an attachment named after the report, never cached (it holds feedback). */
export function pdfDownload(pdf: HealthPdf): Response {
	return new Response(pdf.bytes, {
		headers: {
			'content-type': 'application/pdf',
			'content-length': String(pdf.bytes.byteLength),
			'content-disposition': attachment(pdf.fileName),
			'cache-control': 'private, no-store'
		}
	});
}

/**
 * The page's query from the PDF link; unlike the page, which falls back and says what it ignored, a
 * value that cannot be used is a 400 naming the parameter (a day given with a fixed preset is only
 * ignored there too).
 */
export function pdfHealthQuery(params: URLSearchParams, now: Date): HealthQuery {
	const parsed = parseHealthQuery(params, now.toISOString().slice(0, 10));
	const error = parsed.errors.find((e) => e.code !== 'ignored');
	if (error) throw invalid(error.field, `healthReport.error.${error.code}`, { field: error.field });
	return parsed.query;
}

/** One journey's health page as a PDF, for any member of its workspace (viewers too). */
export async function exportJourneyHealthPdf(
	db: Db,
	actor: Actor,
	workspaceId: string,
	journeyId: string,
	params: URLSearchParams,
	locale: Locale,
	now = new Date()
): Promise<HealthPdf> {
	const access = await requireAccess(db, actor, 'journey:read', { journeyId });
	if (access.workspaceId !== workspaceId) throw notFound();
	const view = await journeyHealth(db, actor, workspaceId, journeyId, pdfHealthQuery(params, now), locale, {
		now
	});
	const report = journeyReport(view, locale, translator(locale));
	return {
		bytes: await healthPdf(report, locale),
		fileName: healthFileName(report.title),
		title: report.title
	};
}

/** A workspace's portfolio page as a PDF, for any member (viewers too). */
export async function exportPortfolioPdf(
	db: Db,
	actor: Actor,
	workspaceId: string,
	params: URLSearchParams,
	locale: Locale,
	now = new Date()
): Promise<HealthPdf> {
	await requireAccess(db, actor, 'workspace:read', { workspaceId });
	const view = await portfolio(db, actor, workspaceId, pdfHealthQuery(params, now), locale);
	const [ws] = await db.select({ name: workspace.name }).from(workspace).where(eq(workspace.id, workspaceId));
	if (!ws) throw notFound();
	const report = portfolioReport(view, ws.name, locale, translator(locale));
	return {
		bytes: await healthPdf(report, locale),
		fileName: healthFileName(report.title),
		title: report.title
	};
}
