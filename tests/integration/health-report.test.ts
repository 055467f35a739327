/**
 * Health PDFs: the writer on hand-built views (text findable on the page, A4 landscape, long content on
 * more pages), the services on both engines with the real health functions (title, language, access,
 * bad queries), then the routes through the built app (headers, statuses).
 */
import { inflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { journeyReport, portfolioReport } from '../../src/lib/health/report/report';
import { sampleJourneyView, samplePortfolioView, sampleWeeks } from '../../src/lib/health/report/fixtures';
import { translator } from '../../src/lib/i18n';
import type { Database } from '../../src/lib/server/db';
import { attachment } from '../../src/lib/server/download';
import {
	exportJourneyHealthPdf,
	exportPortfolioPdf,
	healthFileName,
	healthPdf
} from '../../src/lib/server/health-pdf';
import { createJourney } from '../../src/lib/server/journeys';
import { engines } from './helpers/db';
import { addMember, makeUser, makeWorkspace } from './helpers/factories';
import {
	Client,
	createJourneyByForm,
	createWorkspace,
	inviteLink,
	signUp,
	startTestServer,
	type TestServer
} from './helpers/server';
import { status } from './helpers/status';

// The WinAnsi codes pdfkit writes for the standard fonts, where they differ from Latin-1.
const WIN_ANSI: Record<number, string> = {
	0x80: '€',
	0x85: '…',
	0x91: '‘',
	0x92: '’',
	0x93: '“',
	0x94: '”',
	0x95: '•',
	0x96: '–',
	0x97: '—'
};

/**
 * The text written on the pages, one string per `TJ` (a line or a cell): each content stream inflated,
 * its hex strings read as WinAnsi. Enough for what pdfkit writes with the standard fonts.
 */
function pageTexts(pdf: Buffer): string[] {
	const raw = pdf.toString('latin1');
	const texts: string[] = [];
	for (let at = raw.indexOf('stream\n'); at >= 0; at = raw.indexOf('stream\n', at + 1)) {
		const start = at + 'stream\n'.length;
		const end = raw.indexOf('\nendstream', start);
		if (end < 0) break;
		let content: string;
		try {
			content = inflateSync(pdf.subarray(start, end)).toString('latin1');
		} catch {
			continue;
		}
		for (const [, array] of content.matchAll(/\[([^\]]*)\] TJ/g)) {
			const hex = [...array.matchAll(/<([0-9a-f]*)>/gi)].map((m) => m[1]).join('');
			let text = '';
			for (let i = 0; i < hex.length; i += 2) {
				const code = parseInt(hex.slice(i, i + 2), 16);
				text += WIN_ANSI[code] ?? String.fromCharCode(code);
			}
			texts.push(text);
		}
		at = end;
	}
	return texts;
}

/**
 * Whether the document's Info title is `title`, as pdfkit writes it: a plain literal when it is ASCII, a
 * UTF-16 one otherwise (none of these titles needs escapes).
 */
function hasInfoTitle(pdf: Buffer, title: string): boolean {
	const literal = /^[\x20-\x7e]*$/.test(title)
		? Buffer.from(`(${title})`, 'latin1')
		: Buffer.concat([Buffer.from('('), Buffer.from(`\ufeff${title}`, 'utf16le').swap16()]);
	return /\/Title \d+ 0 R/.test(pdf.toString('latin1')) && pdf.includes(literal);
}

const pageCount = (pdf: Buffer) => (pdf.toString('latin1').match(/\/Type \/Page\b/g) ?? []).length;

describe('health PDF writer', () => {
	it('writes the journey report as an A4 landscape vector PDF with its title on the page', async () => {
		const bytes = Buffer.from(
			await healthPdf(journeyReport(sampleJourneyView(), 'fr', translator('fr')), 'fr')
		);
		expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
		expect(bytes.length).toBeGreaterThan(5000);
		expect(bytes.toString('latin1')).toMatch(/\/MediaBox \[0 0 841\.89\d* 595\.28\d*\]/);
		expect(bytes.toString('latin1')).not.toContain('/Subtype /Image');
		expect(hasInfoTitle(bytes, 'Voyage été à Montréal')).toBe(true);
		const texts = pageTexts(bytes);
		expect(texts[0]).toBe('Voyage été à Montréal');
		// In the reader's language, values written in the heatmap's cells, the quote of a pain.
		expect(texts).toContain('À surveiller');
		expect(texts).toContain('Points de contact semaine par semaine');
		expect(texts).toContain('+1,3');
		expect(texts.some((t) => t.includes('Les frais de bagage sont scandaleux'))).toBe(true);
		expect(texts.at(-1)).toMatch(/^Page \d sur \d$/);
	});

	it('flows a long journey onto further pages, repeating the heatmap’s weeks on each', async () => {
		const weeks = sampleWeeks(13);
		const view = sampleJourneyView();
		view.heatmap = {
			weeks: weeks.map((w) => w.week),
			rows: Array.from({ length: 60 }, (_, i) => ({
				touchpointId: `t${i}`,
				title: `Touchpoint ${i + 1}`,
				cells: weeks
			}))
		};
		const bytes = Buffer.from(await healthPdf(journeyReport(view, 'en', translator('en')), 'en'));
		const pages = pageCount(bytes);
		expect(pages).toBeGreaterThanOrEqual(5);
		const texts = pageTexts(bytes);
		expect(texts).toContain('Touchpoint 60');
		// Every page that carries heatmap rows starts them under the weeks' header.
		expect(texts.filter((t) => t === '1 Jun').length).toBeGreaterThanOrEqual(3);
		expect(texts.filter((t) => /^Page \d+ of \d+$/.test(t))).toHaveLength(pages);
	});

	it('writes the portfolio worst first with its workspace in the title', async () => {
		const bytes = Buffer.from(
			await healthPdf(portfolioReport(samplePortfolioView(), 'Airline CX', 'en', translator('en')), 'en')
		);
		expect(hasInfoTitle(bytes, 'Journey health — Airline CX')).toBe(true);
		const texts = pageTexts(bytes);
		expect(texts.indexOf('Checkout')).toBeLessThan(texts.indexOf('Voyage été à Montréal'));
		expect(texts).toContain('At risk');
	});

	it('names the file after the title, with an ASCII fallback and the exact name in filename*', () => {
		expect(healthFileName('Voyage été à Montréal')).toBe('Voyage été à Montréal – health.pdf');
		expect(healthFileName('a/b: "c"')).toBe('a-b- -c- – health.pdf');
		expect(attachment(healthFileName('Voyage été'))).toBe(
			`attachment; filename="Voyage ete - health.pdf"; filename*=UTF-8''Voyage%20%C3%A9t%C3%A9%20%E2%80%93%20health.pdf`
		);
		expect(attachment('東京 (1) – health.pdf')).toBe(
			`attachment; filename="__ (1) - health.pdf"; filename*=UTF-8''%E6%9D%B1%E4%BA%AC%20%281%29%20%E2%80%93%20health.pdf`
		);
	});
});

const query = (q: Record<string, string> = {}) => new URLSearchParams(q);

describe.each(engines())('health PDF services on $engine', ({ open }) => {
	let database: Database;
	let owner: { id: string };
	let viewer: { id: string };
	let outsider: { id: string };
	let workspaceId: string;
	let otherWorkspaceId: string;
	let journeyId: string;

	beforeAll(async () => {
		database = await open();
		const db = database.db;
		owner = await makeUser(db);
		viewer = await makeUser(db);
		outsider = await makeUser(db);
		workspaceId = (await makeWorkspace(db, owner, 'Airline CX')).id;
		otherWorkspaceId = (await makeWorkspace(db, owner)).id;
		await addMember(db, workspaceId, viewer, 'viewer');
		await makeWorkspace(db, outsider);
		journeyId = (
			await createJourney(db, owner, workspaceId, {
				title: 'Voyage été à Montréal',
				template: 'airline',
				locale: 'fr'
			})
		).id;
	});
	afterAll(async () => {
		await database?.close();
	});

	it('exports a journey’s health for a viewer, titled like the journey, in the asked language', async () => {
		const pdf = await exportJourneyHealthPdf(database.db, viewer, workspaceId, journeyId, query(), 'fr');
		const bytes = Buffer.from(pdf.bytes);
		expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
		expect(bytes.length).toBeGreaterThan(5000);
		expect(pdf.fileName).toBe('Voyage été à Montréal – health.pdf');
		expect(hasInfoTitle(bytes, 'Voyage été à Montréal')).toBe(true);
		const texts = pageTexts(bytes);
		expect(texts[0]).toBe('Voyage été à Montréal');
		expect(texts).toContain('Courbe d’émotion : prévue et en direct');
	});

	it('exports the portfolio with the workspace’s name and the journey in its table', async () => {
		const pdf = await exportPortfolioPdf(database.db, viewer, workspaceId, query({ range: '7d' }), 'en');
		const bytes = Buffer.from(pdf.bytes);
		expect(hasInfoTitle(bytes, 'Journey health — Airline CX')).toBe(true);
		expect(pdf.fileName).toBe('Journey health — Airline CX – health.pdf');
		const texts = pageTexts(bytes);
		expect(texts).toContain('Voyage été à Montréal');
		expect(texts.some((t) => t.includes('(last 7 days)'))).toBe(true);
	});

	it('hides the journey and the workspace from others, and asks who is anonymous to sign in', async () => {
		const journeyPdf = (who: { id: string } | null, ws = workspaceId, id = journeyId) =>
			status(() => exportJourneyHealthPdf(database.db, who, ws, id, query(), 'en'));
		expect(await journeyPdf(outsider)).toBe(404);
		expect(await journeyPdf(null)).toBe(401);
		expect(await journeyPdf(owner, otherWorkspaceId)).toBe(404);
		expect(await journeyPdf(owner, workspaceId, 'not-an-id')).toBe(404);
		expect(await status(() => exportPortfolioPdf(database.db, outsider, workspaceId, query(), 'en'))).toBe(
			404
		);
		expect(await status(() => exportPortfolioPdf(database.db, null, workspaceId, query(), 'en'))).toBe(401);
	});

	it('refuses a query it cannot use with a 400 naming the parameter, after checking access', async () => {
		const bad = (q: Record<string, string>, who: { id: string } = owner) =>
			exportJourneyHealthPdf(database.db, who, workspaceId, journeyId, query(q), 'en');
		await expect(bad({ range: '3w' })).rejects.toMatchObject({ status: 400, field: 'range' });
		await expect(bad({ from: '2026-02-30', to: '2026-03-10' })).rejects.toMatchObject({
			status: 400,
			field: 'from'
		});
		await expect(bad({ from: '2026-03-10', to: '2026-03-01' })).rejects.toMatchObject({
			status: 400,
			field: 'to'
		});
		await expect(bad({ channel: 'pigeon' })).rejects.toMatchObject({ status: 400, field: 'channel' });
		await expect(
			exportPortfolioPdf(database.db, owner, workspaceId, query({ compare: 'decade' }), 'en')
		).rejects.toMatchObject({ status: 400, field: 'compare' });
		expect(await status(() => bad({ range: '3w' }, outsider))).toBe(404);
		expect(
			await status(() => bad({ from: '2026-01-01', to: '2026-01-31', compare: 'year', channel: 'web' }))
		).toBe(200);
	});
});

describe.each(engines())('health PDF routes through the built app on $engine', ({ engine }) => {
	let server: TestServer;
	let owner: Client;
	let viewer: Client;
	let outsider: Client;
	let portfolioUrl: string;
	let journeyUrl: string;

	beforeAll(async () => {
		server = await startTestServer(engine);
		owner = await signUp(server.url, 'Owner', 'owner@example.com');
		const workspaceId = await createWorkspace(owner, 'Export');
		const journeyId = await createJourneyByForm(owner, workspaceId, 'Airline trip', 'airline');
		portfolioUrl = `/w/${workspaceId}/health/pdf`;
		journeyUrl = `/w/${workspaceId}/health/${journeyId}/pdf`;
		viewer = await signUp(server.url, 'Viewer', 'viewer@example.com');
		await viewer.post(await inviteLink(owner, workspaceId, 'viewer'), {});
		outsider = await signUp(server.url, 'Outsider', 'outsider@example.com');
		await createWorkspace(outsider, 'Elsewhere');
	}, 120_000);
	afterAll(async () => {
		await server?.stop();
	});

	it('answers a journey’s health as a PDF attachment named after it', async () => {
		const res = await viewer.request(`${journeyUrl}?range=28d&compare=year`);
		expect(res.status).toBe(200);
		expect(res.headers.get('content-type')).toBe('application/pdf');
		expect(res.headers.get('content-disposition')).toBe(
			`attachment; filename="Airline trip - health.pdf"; filename*=UTF-8''Airline%20trip%20%E2%80%93%20health.pdf`
		);
		const bytes = Buffer.from(await res.arrayBuffer());
		expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
		expect(hasInfoTitle(bytes, 'Airline trip')).toBe(true);
		const portfolio = await viewer.request(portfolioUrl);
		expect(portfolio.status).toBe(200);
		expect(pageTexts(Buffer.from(await portfolio.arrayBuffer()))).toContain('Airline trip');
	});

	it('answers 404 to outsiders, 400 naming the parameter to a bad query, and asks anonymous to sign in', async () => {
		expect((await outsider.request(journeyUrl)).status).toBe(404);
		expect((await outsider.request(portfolioUrl)).status).toBe(404);
		const bad = await owner.request(`${journeyUrl}?range=3w`, { headers: { accept: 'application/json' } });
		expect(bad.status).toBe(400);
		expect((await bad.json()).message).toBe(
			'Fix the “range” parameter: it is not one of the accepted values.'
		);
		const anonymous = await new Client(server.url).request(portfolioUrl);
		expect([401, 303]).toContain(anonymous.status);
	});
});
