/**
 * PDF export of a journey map: the service on both engines (a real PDF with the title, pages for a
 * wide map, access, bad queries), then the route through the built app (headers, statuses).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { exportJourney, openJourney } from '../../src/lib/journey';
import type { Database } from '../../src/lib/server/db';
import { exportJourneyPdf, toWinAnsi } from '../../src/lib/server/export-pdf';
import { createJourney, importJourneyFile } from '../../src/lib/server/journeys';
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

/** Reads a PDF string object: a literal `( … )` with its escapes, as UTF-16 when it has a BOM. */
function pdfString(pdf: Buffer, at: number): string {
	let i = pdf.indexOf('(', at) + 1;
	const bytes: number[] = [];
	for (let depth = 1; i < pdf.length; i++) {
		const c = pdf[i];
		if (c === 0x5c) {
			const next = String.fromCharCode(pdf[++i]);
			if (/[0-7]/.test(next)) {
				const oct = pdf
					.subarray(i, i + 3)
					.toString('latin1')
					.match(/^[0-7]{1,3}/)![0];
				bytes.push(parseInt(oct, 8));
				i += oct.length - 1;
			} else
				bytes.push(
					({ n: 10, r: 13, t: 9, b: 8, f: 12 } as Record<string, number>)[next] ?? next.charCodeAt(0)
				);
			continue;
		}
		if (c === 0x28) depth++;
		if (c === 0x29 && --depth === 0) break;
		bytes.push(c);
	}
	const raw = Buffer.from(bytes);
	if (raw[0] === 0xfe && raw[1] === 0xff) return raw.subarray(2).swap16().toString('utf16le');
	return raw.toString('latin1');
}

/** The document title in the PDF's Info dictionary. */
function pdfTitle(pdf: Buffer): string {
	const text = pdf.toString('latin1');
	const info = /\/Info (\d+) 0 R/.exec(text)!;
	const infoAt = text.indexOf(`\n${info[1]} 0 obj`);
	const title = /\/Title (?:(\d+) 0 R|\()/.exec(text.slice(infoAt))!;
	if (!title[1]) return pdfString(pdf, infoAt + title.index);
	return pdfString(pdf, text.indexOf(`\n${title[1]} 0 obj`));
}

const pageCount = (pdf: Buffer) => (pdf.toString('latin1').match(/\/Type \/Page\b/g) ?? []).length;

/** A journey file of `stages` stages with two touchpoints each. */
function wideFile(stages: number, title: string): string {
	const doc = new Y.Doc();
	const j = openJourney(doc);
	for (let s = 0; s < stages; s++) {
		const stageId = j.addStage({ title: `Stage ${s + 1}`, group: 'sale' });
		j.addTouchpoint(stageId, { title: `Touchpoint ${s + 1}a`, emotion: 1 });
		j.addTouchpoint(stageId, { title: `Touchpoint ${s + 1}b`, emotion: -1 });
	}
	const file = exportJourney(doc);
	doc.destroy();
	return JSON.stringify({ ...file, journey: { ...file.journey, title } });
}

const query = (q: Record<string, string> = {}) => new URLSearchParams(q);

describe.each(engines())('journey PDF export on $engine', ({ open }) => {
	let database: Database;
	let owner: { id: string };
	let viewer: { id: string };
	let outsider: { id: string };
	let workspaceId: string;
	let otherWorkspaceId: string;
	let journeyId: string;
	let wideId: string;

	beforeAll(async () => {
		database = await open();
		const db = database.db;
		owner = await makeUser(db);
		viewer = await makeUser(db);
		outsider = await makeUser(db);
		workspaceId = (await makeWorkspace(db, owner)).id;
		otherWorkspaceId = (await makeWorkspace(db, owner)).id;
		await addMember(db, workspaceId, viewer, 'viewer');
		await makeWorkspace(db, outsider);
		const j = await createJourney(db, owner, workspaceId, {
			title: 'Voyage été à Montréal',
			template: 'airline',
			locale: 'fr'
		});
		journeyId = j.id;
		const wide = await importJourneyFile(db, owner, workspaceId, wideFile(18, 'Wide map'), 'en');
		wideId = wide.id;
	});
	afterAll(async () => {
		await database.close();
	});

	it('makes a one-page vector PDF titled like the journey', async () => {
		const pdf = await exportJourneyPdf(database.db, owner, workspaceId, journeyId, query(), 'fr');
		const bytes = Buffer.from(pdf.bytes);
		expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
		expect(bytes.length).toBeGreaterThan(5000);
		expect(pdfTitle(bytes)).toBe('Voyage été à Montréal');
		expect(pageCount(bytes)).toBe(1);
		expect(pdf.pages).toBe(1);
		expect(pdf.fileName).toBe('Voyage-été-à-Montréal.pdf');
		// Vector: drawn with the standard fonts, no image in it.
		expect(bytes.toString('latin1')).toContain('/BaseFont /Helvetica-Bold');
		expect(bytes.toString('latin1')).not.toContain('/Subtype /Image');
	});

	it('splits a wide map over several pages, and fits it on one when asked', async () => {
		const split = Buffer.from(
			(await exportJourneyPdf(database.db, owner, workspaceId, wideId, query({ layout: 'split' }), 'en'))
				.bytes
		);
		expect(pageCount(split)).toBeGreaterThanOrEqual(4);
		expect(pdfTitle(split)).toBe('Wide map');
		const a3 = Buffer.from(
			(
				await exportJourneyPdf(
					database.db,
					owner,
					workspaceId,
					wideId,
					query({ layout: 'split', paper: 'a3' }),
					'en'
				)
			).bytes
		);
		expect(pageCount(a3)).toBeGreaterThan(1);
		expect(pageCount(a3)).toBeLessThan(pageCount(split));
		expect(a3.toString('latin1')).toMatch(/\/MediaBox \[0 0 1190\.55\d* 841\.89\d*\]/);
		const fit = Buffer.from(
			(await exportJourneyPdf(database.db, owner, workspaceId, wideId, query({ layout: 'fit' }), 'en')).bytes
		);
		expect(pageCount(fit)).toBe(1);
	});

	it('lets viewers export, hides the journey from others and from another workspace’s address', async () => {
		expect(
			await status(() => exportJourneyPdf(database.db, viewer, workspaceId, journeyId, query(), 'en'))
		).toBe(200);
		expect(
			await status(() => exportJourneyPdf(database.db, outsider, workspaceId, journeyId, query(), 'en'))
		).toBe(404);
		expect(
			await status(() => exportJourneyPdf(database.db, null, workspaceId, journeyId, query(), 'en'))
		).toBe(401);
		expect(
			await status(() => exportJourneyPdf(database.db, owner, otherWorkspaceId, journeyId, query(), 'en'))
		).toBe(404);
		expect(
			await status(() =>
				exportJourneyPdf(
					database.db,
					owner,
					workspaceId,
					'00000000-0000-4000-8000-000000000000',
					query(),
					'en'
				)
			)
		).toBe(404);
	});

	it('refuses an unknown paper, layout or live filter with a 400 naming the field, after checking access', async () => {
		const bad = (q: Record<string, string>, who: { id: string } = owner) =>
			exportJourneyPdf(database.db, who, workspaceId, journeyId, query(q), 'en');
		await expect(bad({ paper: 'letter' })).rejects.toMatchObject({ status: 400, field: 'paper' });
		await expect(bad({ layout: 'poster' })).rejects.toMatchObject({ status: 400, field: 'layout' });
		await expect(bad({ from: 'yesterday' })).rejects.toMatchObject({ status: 400, field: 'from' });
		expect(await status(() => bad({ from: '2026-01-01', channel: 'email' }))).toBe(200);
		expect(await status(() => bad({ paper: 'letter' }, outsider))).toBe(404);
	});

	it('writes other scripts as "?" in the page and keeps the exact title in the metadata', async () => {
		expect(toWinAnsi('Été − café → «ok» 日本 ✈')).toBe('Été - café -> «ok» ?? ?');
		const j = await createJourney(database.db, owner, workspaceId, {
			title: '東京 trip ✈',
			template: 'default'
		});
		const pdf = Buffer.from(
			(await exportJourneyPdf(database.db, owner, workspaceId, j.id, query(), 'en')).bytes
		);
		expect(pdfTitle(pdf)).toBe('東京 trip ✈');
	});
});

describe.each(engines())('journey PDF route through the built app on $engine', ({ engine }) => {
	let server: TestServer;
	let owner: Client;
	let viewer: Client;
	let outsider: Client;
	let base: string;

	beforeAll(async () => {
		server = await startTestServer(engine);
		owner = await signUp(server.url, 'Owner', 'owner@example.com');
		const workspaceId = await createWorkspace(owner, 'Export');
		const journeyId = await createJourneyByForm(owner, workspaceId, 'Airline trip', 'airline');
		base = `/w/${workspaceId}/journeys/${journeyId}/export/pdf`;
		viewer = await signUp(server.url, 'Viewer', 'viewer@example.com');
		const invite = await inviteLink(owner, workspaceId, 'viewer');
		await viewer.post(invite, {});
		outsider = await signUp(server.url, 'Outsider', 'outsider@example.com');
		await createWorkspace(outsider, 'Elsewhere');
	}, 120_000);
	afterAll(async () => {
		await server?.stop();
	});

	it('answers a PDF attachment with a safe file name', async () => {
		const res = await owner.request(`${base}?paper=a3&layout=split`);
		expect(res.status).toBe(200);
		expect(res.headers.get('content-type')).toBe('application/pdf');
		expect(res.headers.get('content-disposition')).toBe(
			`attachment; filename="Airline-trip.pdf"; filename*=UTF-8''Airline-trip.pdf`
		);
		const bytes = Buffer.from(await res.arrayBuffer());
		expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
		expect(pdfTitle(bytes)).toBe('Airline trip');
	});

	it('lets a viewer export, answers 404 to others and 400 to a bad query', async () => {
		expect((await viewer.request(base)).status).toBe(200);
		expect((await outsider.request(base)).status).toBe(404);
		const bad = await owner.request(`${base}?paper=letter`, { headers: { accept: 'application/json' } });
		expect(bad.status).toBe(400);
		expect((await bad.json()).message).toBe('Paper must be one of: a4, a3.');
		const anonymous = await new Client(server.url).request(base);
		expect([401, 303]).toContain(anonymous.status);
	});
});
