/**
 * A journey's stored map as a vector PDF: the SVG pages of `$lib/export` drawn by svg-to-pdfkit into a
 * pdfkit document, one PDF page per SVG page, in the PDF's standard Helvetica (nothing to embed).
 */
import { eq } from 'drizzle-orm';
import PDFDocument from 'pdfkit';
// @ts-expect-error -- svg-to-pdfkit ships no types; the one function used is typed below.
import svgToPdfUntyped from 'svg-to-pdfkit';
import { PAGE_LAYOUTS, PAPER_NAMES, type PageLayout, type Paper } from '../export/layout';
import { renderPdfPages } from '../export/svg';
import { exportFileName } from '../export/text';
import { translator, type Locale } from '../i18n';
import { CURRENT_SCHEMA_VERSION, type JourneySnapshot } from '../journey';
import { requireAccess, type Actor } from './access';
import type { Db } from './db';
import { journey } from './db/schema';
import { invalid, notFound } from './errors';
import { loadJourneySnapshot } from './journeys';

const svgToPdf = svgToPdfUntyped as (
	doc: PDFKit.PDFDocument,
	svg: string,
	x: number,
	y: number,
	options: {
		width?: number;
		height?: number;
		fontCallback?: (family: string, bold: boolean, italic: boolean) => string;
		warningCallback?: (message: string) => void;
	}
) => void;

export interface PdfQuery {
	paper: Paper;
	layout: PageLayout;
}

/** The query of the PDF export, defaults filled in; a value that is not allowed is a 400 naming it. */
export function parsePdfQuery(params: URLSearchParams): PdfQuery {
	const paper = params.get('paper') || 'a4';
	const layout = params.get('layout') || 'fit';
	if (!(PAPER_NAMES as string[]).includes(paper)) {
		throw invalid('paper', 'mapExport.error.paper', { allowed: PAPER_NAMES.join(', ') });
	}
	if (!(PAGE_LAYOUTS as readonly string[]).includes(layout)) {
		throw invalid('layout', 'mapExport.error.layout', { allowed: PAGE_LAYOUTS.join(', ') });
	}
	return { paper: paper as Paper, layout: layout as PageLayout };
}

// Characters the standard PDF fonts can show (WinAnsiEncoding) beyond Latin-1.
const WIN_ANSI_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');
const SUBSTITUTES: Record<string, string> = { '−': '-', '→': '->', '←': '<-', '\u202f': ' ', '\u2009': ' ' };

/**
 * The standard fonts cover French and the other Western European languages, not other scripts: a
 * character they cannot show is written as "?" (the document's title metadata keeps it exactly).
 */
export function toWinAnsi(svg: string): string {
	let out = '';
	for (const ch of svg) {
		const code = ch.codePointAt(0)!;
		if (code < 0x7f || (code >= 0xa0 && code <= 0xff) || WIN_ANSI_EXTRA.has(ch)) out += ch;
		else out += SUBSTITUTES[ch] ?? '?';
	}
	return out;
}

export interface JourneyPdf {
	bytes: Uint8Array<ArrayBuffer>;
	/** A name safe in a Content-Disposition header, with its `.pdf`. */
	fileName: string;
	pages: number;
}

/** Draws SVG pages into a PDF whose document title is `title`. */
export function pdfFromSvgPages(
	pages: { width: number; height: number; svg: string }[],
	title: string
): Promise<Uint8Array<ArrayBuffer>> {
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
	for (const page of pages) {
		doc.addPage({ size: [page.width, page.height], margin: 0 });
		svgToPdf(doc, toWinAnsi(page.svg), 0, 0, {
			width: page.width,
			height: page.height,
			fontCallback: (_family, bold) => (bold ? 'Helvetica-Bold' : 'Helvetica'),
			// The drawing is ours: an unsupported feature is a bug to see in tests, not a user's problem.
			warningCallback: () => {}
		});
	}
	doc.end();
	return done;
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
	const pages = renderPdfPages(snapshot, query.paper, query.layout, {
		title: row.title,
		locale,
		t: translator(locale),
		date: new Date()
	});
	return {
		bytes: await pdfFromSvgPages(pages, row.title),
		fileName: exportFileName(row.title, 'pdf'),
		pages: pages.length
	};
}
