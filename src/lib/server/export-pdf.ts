/**
 * A journey's stored map as a vector PDF: the SVG pages of `$lib/export`, one PDF page each, their
 * shapes drawn by svg-to-pdfkit and their texts written by pdfkit in the PDF's standard Helvetica
 * (nothing to embed). The live scores are the server's, with the filters the map's address carries.
 */
import { eq } from 'drizzle-orm';
import PDFDocument from 'pdfkit';
// @ts-expect-error -- svg-to-pdfkit ships no types; the one function used is typed below.
import svgToPdfUntyped from 'svg-to-pdfkit';
import { PAGE_LAYOUTS, PAPER_NAMES, type PageLayout, type Paper } from '../export/layout';
import { renderPdfPages, svgOpen, takeTexts, type PlacedText, type SvgPage } from '../export/svg';
import { exportFileName } from '../export/text';
import { translator, type Locale } from '../i18n';
import { CURRENT_SCHEMA_VERSION, type JourneySnapshot } from '../journey';
import { parseScoreFilters, type ScoreFilters } from '../feedback/filters';
import { can, requireAccess, type Actor } from './access';
import type { Db } from './db';
import { journey } from './db/schema';
import { invalid, notFound } from './errors';
import { journeyScores } from './feedback/scores';
import { loadJourneySnapshot } from './journeys';

const svgToPdf = svgToPdfUntyped as (
	doc: PDFKit.PDFDocument,
	svg: string,
	x: number,
	y: number,
	options: {
		width?: number;
		height?: number;
		assumePt?: boolean;
		warningCallback?: (message: string) => void;
	}
) => void;

export interface PdfQuery {
	paper: Paper;
	layout: PageLayout;
	/** The live scores' filters, as the map's address carries them. */
	filters: ScoreFilters;
}

/**
 * The query of the PDF export (paper, layout and the live scores' filters), defaults filled in; a
 * value that is not allowed is a 400 naming it.
 */
export function parsePdfQuery(params: URLSearchParams): PdfQuery {
	const paper = params.get('paper') || 'a4';
	const layout = params.get('layout') || 'fit';
	if (!(PAPER_NAMES as string[]).includes(paper)) {
		throw invalid('paper', 'mapExport.error.paper', { allowed: PAPER_NAMES.join(', ') });
	}
	if (!(PAGE_LAYOUTS as readonly string[]).includes(layout)) {
		throw invalid('layout', 'mapExport.error.layout', { allowed: PAGE_LAYOUTS.join(', ') });
	}
	const filters = parseScoreFilters(params);
	if (!filters.ok) {
		const [issue] = filters.issues;
		throw invalid(issue.field, 'mapExport.error.filter', { field: issue.field, problem: issue.message });
	}
	return { paper: paper as Paper, layout: layout as PageLayout, filters: filters.value };
}

// Characters the standard PDF fonts can show (WinAnsiEncoding) beyond Latin-1.
const WIN_ANSI_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');
const SUBSTITUTES: Record<string, string> = { '−': '-', '→': '->', '←': '<-', '\u202f': ' ', '\u2009': ' ' };

/**
 * The standard fonts cover French and the other Western European languages, not other scripts: a
 * character they cannot show is written as "?" (the document's title metadata keeps it exactly).
 */
export function toWinAnsi(text: string): string {
	return text.replace(/[^\x20-\x7e\xa0-\xff]/gu, (ch) =>
		WIN_ANSI_EXTRA.has(ch) ? ch : (SUBSTITUTES[ch] ?? '?')
	);
}

export interface JourneyPdf {
	bytes: Uint8Array<ArrayBuffer>;
	/** A name safe in a Content-Disposition header, with its `.pdf`. */
	fileName: string;
	pages: number;
}

/** Writes positioned strings with the standard fonts (`transform` maps them onto the page). */
function drawTexts(doc: PDFKit.PDFDocument, texts: PlacedText[], transform = { x: 0, y: 0, scale: 1 }): void {
	for (const t of texts) {
		const content = toWinAnsi(t.content);
		if (!content) continue;
		const size = t.size * transform.scale;
		doc
			.font(t.bold ? 'Helvetica-Bold' : 'Helvetica')
			.fontSize(size)
			.fillColor(t.fill);
		const width = t.anchor === 'start' ? 0 : doc.widthOfString(content);
		const x = transform.x + t.x * transform.scale - (t.anchor === 'end' ? width : width / 2);
		doc.text(content, x, transform.y + t.y * transform.scale, { lineBreak: false, baseline: 'alphabetic' });
	}
}

/**
 * Draws SVG pages into a PDF whose document title is `title`. Shapes go through svg-to-pdfkit; texts
 * are written as strings (svg-to-pdfkit places every glyph on its own, minutes for a large map); the
 * map is clipped with the PDF's own clip (svg-to-pdfkit's measures the whole clipped group first).
 */
export function pdfFromSvgPages(pages: SvgPage[], title: string): Promise<Uint8Array<ArrayBuffer>> {
	const doc = new PDFDocument({
		autoFirstPage: false,
		margin: 0,
		info: { Title: title, Creator: 'Parcours', Producer: 'Parcours' },
		displayTitle: true
	});
	const chunks: Buffer[] = [];
	const done = new Promise<Uint8Array<ArrayBuffer>>((resolve, reject) => {
		doc.on('data', (c: Buffer) => chunks.push(c));
		doc.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
		doc.on('error', reject);
	});
	const draw = (fragment: string, width: number, height: number) =>
		svgToPdf(doc, `${svgOpen(width, height)}${fragment}</svg>`, 0, 0, {
			width,
			height,
			// Our SVG units are points, not CSS pixels (which svg-to-pdfkit would shrink to 0.75 pt).
			assumePt: true,
			// The drawing is ours: an unsupported feature is a bug to see in tests, not a user's problem.
			warningCallback: () => {}
		});
	const drawPages = async () => {
		for (const page of pages) {
			// A large map takes a while per page: let the server answer others between pages.
			await new Promise((resolve) => setImmediate(resolve));
			drawPage(page);
		}
		doc.end();
	};
	const drawPage = (page: SvgPage) => {
		const { width, height, layers } = page;
		doc.addPage({ size: [width, height], margin: 0 });
		const chrome = takeTexts(layers.chrome);
		const map = takeTexts(layers.map);
		draw(chrome.shapes, width, height);
		if (map.shapes) {
			for (const { transform: t, clip } of layers.windows) {
				doc.save();
				doc.rect(clip.x, clip.y, clip.width, clip.height).clip();
				draw(`<g transform="translate(${t.x} ${t.y}) scale(${t.scale})">${map.shapes}</g>`, width, height);
				// Only this window's texts: the others are clipped away, and would be found by a search.
				const top = (clip.y - t.y) / t.scale;
				const bottom = top + clip.height / t.scale;
				drawTexts(
					doc,
					map.texts.filter((x) => x.y >= top && x.y <= bottom + x.size),
					t
				);
				doc.restore();
			}
		}
		drawTexts(doc, chrome.texts);
	};
	return drawPages().then(() => done);
}

/**
 * The journey's stored map as a PDF, for anyone who may read it (viewers too). The journey must be in
 * `workspaceId`, or it is not found.
 */
export async function exportJourneyPdf(
	db: Db,
	actor: Actor,
	workspaceId: string,
	journeyId: string,
	params: URLSearchParams,
	locale: Locale
): Promise<JourneyPdf> {
	const access = await requireAccess(db, actor, 'journey:read', { journeyId });
	if (access.workspaceId !== workspaceId) throw notFound();
	const query = parsePdfQuery(params);
	const [row] = await db.select().from(journey).where(eq(journey.id, journeyId));
	if (!row) throw notFound();
	const snapshot: JourneySnapshot = (await loadJourneySnapshot(db, journeyId)) ?? {
		schemaVersion: CURRENT_SCHEMA_VERSION,
		title: row.title,
		description: row.description,
		owner: null,
		personas: [],
		stages: [],
		touchpoints: [],
		connections: []
	};
	// Live scores as the map shows them, for those who may read feedback (viewers may).
	const scores = (await can(db, actor, 'feedback:read', { journeyId }))
		? await journeyScores(db, journeyId, query.filters)
		: null;
	const live =
		scores && Object.values(scores.touchpoints).some((s) => s.volume > 0) ? scores.touchpoints : null;
	const pages = renderPdfPages(snapshot, query.paper, query.layout, {
		title: row.title,
		locale,
		t: translator(locale),
		date: new Date(),
		live
	});
	return {
		bytes: await pdfFromSvgPages(pages, row.title),
		fileName: exportFileName(row.title, 'pdf'),
		pages: pages.length
	};
}
