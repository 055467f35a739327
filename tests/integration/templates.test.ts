/**
 * Workspace templates, duplication with and without feedback scores, and the JSON file's round trip, on
 * both engines: what is saved comes back equal, a bad file is refused with its path and changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asc, eq, inArray, sql } from 'drizzle-orm';
import * as Y from 'yjs';
import { openJourney } from '../../src/lib/journey';
import { translate } from '../../src/lib/i18n';
import { createCollabStore } from '../../src/lib/server/collab-store';
import type { Database } from '../../src/lib/server/db';
import { feedback, journey, journeyTemplate, touchpointDaily } from '../../src/lib/server/db/schema';
import { AppError } from '../../src/lib/server/errors';
import { ingestFeedback } from '../../src/lib/server/feedback/ingest';
import { processPending } from '../../src/lib/server/feedback/processor';
import { journeyScores } from '../../src/lib/server/feedback/scores';
import {
	createJourney,
	duplicateJourney,
	exportJourneyFile,
	importJourneyFile,
	listJourneys
} from '../../src/lib/server/journeys';
import {
	createJourneyFromWorkspaceTemplate,
	deleteTemplate,
	listTemplates,
	MAX_TEMPLATES_PER_WORKSPACE,
	renameTemplate,
	saveJourneyAsTemplate
} from '../../src/lib/server/templates';
import { engines } from './helpers/db';
import { airlineJourney, expectAggregatesMatch, item } from './helpers/feedback';
import { addMember, makeUser, makeWorkspace } from './helpers/factories';
import { status } from './helpers/status';
import {
	Client,
	createJourneyByForm,
	createWorkspace,
	inviteLink,
	signUp,
	startTestServer,
	type TestServer
} from './helpers/server';

/** The journey file without what is meant to differ between a journey and its copy. */
function content<T extends { journey: { title: string; owner: string | null } }>(file: T) {
	return { ...file, journey: { ...file.journey, title: '(title)', owner: '(owner)' } };
}

describe.each(engines())('workspace templates and journey files on $engine', ({ open }) => {
	let database: Database;
	beforeAll(async () => {
		database = await open();
	});
	afterAll(async () => {
		await database.close();
	});

	/** Everything a failed import must leave as it was: the workspace's journeys, maps and templates. */
	async function workspaceState(workspaceId: string) {
		const db = database.db;
		const journeys = await db
			.select()
			.from(journey)
			.where(eq(journey.workspaceId, workspaceId))
			.orderBy(asc(journey.id));
		const store = createCollabStore(db);
		const maps: Record<string, string> = {};
		for (const j of journeys) {
			const state = await store.loadDocument(j.id);
			maps[j.id] = state ? Buffer.from(state).toString('base64') : '';
		}
		const templates = await db
			.select()
			.from(journeyTemplate)
			.where(eq(journeyTemplate.workspaceId, workspaceId))
			.orderBy(asc(journeyTemplate.id));
		const [{ n }] = await db.select({ n: sql<number>`count(*)::int` }).from(journey);
		return { journeys, maps, templates, allJourneys: Number(n) };
	}

	async function importError(workspaceId: string, actor: { id: string }, text: string) {
		try {
			await importJourneyFile(database.db, actor, workspaceId, text, 'en');
		} catch (e) {
			if (e instanceof AppError) return { e, message: translate('en', e.code, e.params) };
			throw e;
		}
		throw new Error('the import was accepted');
	}

	it('saves a journey as a template and starts an equal journey from it', async () => {
		const db = database.db;
		const owner = await makeUser(db);
		const ws = await makeWorkspace(db, owner);
		const source = await createJourney(db, owner, ws.id, {
			title: 'Vol Paris',
			description: 'Long-courrier',
			template: 'airline',
			locale: 'fr'
		});
		const sourceFile = await exportJourneyFile(db, owner, source.id);

		const saved = await saveJourneyAsTemplate(db, owner, source.id);
		expect(saved.name).toBe('Vol Paris');
		expect(saved.description).toBe('Long-courrier');
		expect(saved.sourceJourneyId).toBe(source.id);
		expect(saved.stageCount).toBe(sourceFile.journey.stages.length);
		expect(saved.touchpointCount).toBe(
			sourceFile.journey.stages.reduce((n, s) => n + s.touchpoints.length, 0)
		);
		const named = await saveJourneyAsTemplate(db, owner, source.id, { name: '  Airline, our way ' });
		expect(named.name).toBe('Airline, our way');
		expect((await listTemplates(db, owner, ws.id)).map((t) => t.name)).toEqual([
			'Airline, our way',
			'Vol Paris'
		]);

		const created = await createJourneyFromWorkspaceTemplate(db, owner, ws.id, saved.id, {
			title: 'Vol Lyon',
			locale: 'en'
		});
		expect(created.title).toBe('Vol Lyon');
		expect(created.description).toBe('Long-courrier');
		const createdFile = await exportJourneyFile(db, owner, created.id);
		expect(createdFile.journey.title).toBe('Vol Lyon');
		// Same stages, touchpoints (ids included), personas and connections: only the title differs.
		expect(content(createdFile)).toEqual(content(sourceFile));
		expect(createdFile.journey.stages.length).toBeGreaterThan(3);

		// The template is a copy: later edits of the source journey do not change it.
		await renameTemplate(db, owner, ws.id, saved.id, 'Airline 2026');
		const again = await createJourneyFromWorkspaceTemplate(db, owner, ws.id, saved.id, {
			title: 'Vol Nice',
			locale: 'en'
		});
		expect(content(await exportJourneyFile(db, owner, again.id))).toEqual(content(sourceFile));
		expect((await listTemplates(db, owner, ws.id)).map((t) => t.name)).toContain('Airline 2026');

		await deleteTemplate(db, owner, ws.id, saved.id);
		expect((await listTemplates(db, owner, ws.id)).map((t) => t.id)).toEqual([named.id]);
		expect(
			await status(() =>
				createJourneyFromWorkspaceTemplate(db, owner, ws.id, saved.id, { title: 'Gone', locale: 'en' })
			)
		).toBe(404);
	});

	it('checks names and the limit of templates per workspace', async () => {
		const db = database.db;
		const owner = await makeUser(db);
		const ws = await makeWorkspace(db, owner);
		const j = await createJourney(db, owner, ws.id, { title: 'Base', template: 'default' });
		const t = await saveJourneyAsTemplate(db, owner, j.id);
		expect(await status(() => renameTemplate(db, owner, ws.id, t.id, '   '))).toBe(400);
		expect(await status(() => renameTemplate(db, owner, ws.id, t.id, 'x'.repeat(201)))).toBe(400);
		expect(await status(() => saveJourneyAsTemplate(db, owner, j.id, { name: 'x'.repeat(201) }))).toBe(400);
		expect(
			await status(() =>
				createJourneyFromWorkspaceTemplate(db, owner, ws.id, t.id, { title: '', locale: 'en' })
			)
		).toBe(400);
		expect(await status(() => renameTemplate(db, owner, ws.id, 'not-an-id', 'x'))).toBe(404);

		// Fill up to the limit directly (saving 200 maps one by one is slow), then one more is refused.
		const file = (await db.select().from(journeyTemplate).where(eq(journeyTemplate.id, t.id)))[0].file;
		await db.insert(journeyTemplate).values(
			Array.from({ length: MAX_TEMPLATES_PER_WORKSPACE - 1 }, (_, i) => ({
				workspaceId: ws.id,
				name: `T${i}`,
				file
			}))
		);
		let err: AppError | null = null;
		try {
			await saveJourneyAsTemplate(db, owner, j.id);
		} catch (e) {
			err = e as AppError;
		}
		expect(err?.status).toBe(409);
		expect(translate('en', err!.code, err!.params)).toContain(String(MAX_TEMPLATES_PER_WORKSPACE));
		expect((await listTemplates(db, owner, ws.id)).length).toBe(MAX_TEMPLATES_PER_WORKSPACE);
	});

	it('lets viewers use templates but not save, rename or delete them; other workspaces see nothing', async () => {
		const db = database.db;
		const owner = await makeUser(db);
		const editor = await makeUser(db);
		const viewer = await makeUser(db);
		const ws = await makeWorkspace(db, owner);
		await addMember(db, ws.id, editor, 'editor');
		await addMember(db, ws.id, viewer, 'viewer');
		const j = await createJourney(db, owner, ws.id, { title: 'Shared', template: 'tv-online' });
		const t = await saveJourneyAsTemplate(db, owner, j.id);

		expect(await status(() => saveJourneyAsTemplate(db, viewer, j.id))).toBe(403);
		expect(await status(() => renameTemplate(db, viewer, ws.id, t.id, 'Mine'))).toBe(403);
		expect(await status(() => deleteTemplate(db, viewer, ws.id, t.id))).toBe(403);
		expect(
			await status(() =>
				createJourneyFromWorkspaceTemplate(db, viewer, ws.id, t.id, { title: 'V', locale: 'en' })
			)
		).toBe(403);
		expect((await listTemplates(db, viewer, ws.id)).map((x) => x.id)).toEqual([t.id]);
		expect(await status(() => saveJourneyAsTemplate(db, editor, j.id))).toBe(200);
		expect(await status(() => renameTemplate(db, editor, ws.id, t.id, 'Edited'))).toBe(200);
		const editorsJourney = await createJourneyFromWorkspaceTemplate(db, editor, ws.id, t.id, {
			title: 'Editor’s',
			locale: 'en'
		});
		expect((await exportJourneyFile(db, editor, editorsJourney.id)).journey.owner).toBe(editor.id);

		// A stranger, and a member of another workspace naming this template through their own workspace.
		const stranger = await makeUser(db);
		const other = await makeWorkspace(db, stranger);
		expect(await status(() => listTemplates(db, stranger, ws.id))).toBe(404);
		expect(await status(() => saveJourneyAsTemplate(db, stranger, j.id))).toBe(404);
		expect(await status(() => renameTemplate(db, stranger, ws.id, t.id, 'x'))).toBe(404);
		expect(await status(() => deleteTemplate(db, stranger, other.id, t.id))).toBe(404);
		expect(await status(() => renameTemplate(db, stranger, other.id, t.id, 'x'))).toBe(404);
		expect(
			await status(() =>
				createJourneyFromWorkspaceTemplate(db, stranger, other.id, t.id, { title: 'Stolen', locale: 'en' })
			)
		).toBe(404);
		expect(await listTemplates(db, stranger, other.id)).toEqual([]);
		const [row] = await db.select().from(journeyTemplate).where(eq(journeyTemplate.id, t.id));
		expect(row.name).toBe('Edited');
		expect((await listJourneys(db, stranger, other.id)).length).toBe(0);
	});

	it('exports, imports and exports again to an identical file', async () => {
		const db = database.db;
		const owner = await makeUser(db);
		const ws = await makeWorkspace(db, owner);
		const source = await createJourney(db, owner, ws.id, {
			title: 'Télé & box',
			description: 'Parcours d’abonnement',
			template: 'tv-online',
			locale: 'fr'
		});
		// A persona of our own and a touchpoint limited to it, on a template with connections.
		const store = createCollabStore(db);
		const doc = new Y.Doc();
		Y.applyUpdate(doc, (await store.loadDocument(source.id))!);
		const jd = openJourney(doc);
		const before = Y.encodeStateVector(doc);
		const persona = jd.addPersona({ name: 'Famille', description: 'Deux enfants', color: '#2563eb' });
		const [first] = jd.snapshot().touchpoints;
		jd.updateTouchpoint(first.id, { personaIds: [persona], pains: ['Attente'], emotion: -2 });
		await store.appendUpdate(source.id, Y.encodeStateAsUpdate(doc, before));
		doc.destroy();

		const file = await exportJourneyFile(db, owner, source.id);
		expect(file.journey.personas.map((p) => p.name)).toContain('Famille');
		expect(file.journey.connections.length).toBeGreaterThan(0);
		const text = JSON.stringify(file, null, 2);
		const copy = await importJourneyFile(db, owner, ws.id, text, 'fr');
		expect(copy.title).toBe('Télé & box');
		expect(copy.description).toBe('Parcours d’abonnement');
		const again = await exportJourneyFile(db, owner, copy.id);
		expect(again).toEqual(file);
		expect(JSON.stringify(again, null, 2)).toBe(text);
	});

	it('refuses a bad file with the precise path and message, and changes nothing in the database', async () => {
		const db = database.db;
		const owner = await makeUser(db);
		const ws = await makeWorkspace(db, owner);
		const base = await createJourney(db, owner, ws.id, { title: 'Base', template: 'airline' });
		await saveJourneyAsTemplate(db, owner, base.id);
		const good = await exportJourneyFile(db, owner, base.id);
		const state = await workspaceState(ws.id);

		const tooNew = { ...good, schemaVersion: 99 };
		const wrongFormat = { ...good, format: 'trello.board' };
		const badEmotion = structuredClone(good);
		(badEmotion.journey.stages[1].touchpoints[0] as { emotion: unknown }).emotion = 7;
		const badPersona = structuredClone(good);
		badPersona.journey.stages[0].touchpoints[0].personaIds = ['nobody'];
		const badConnection = structuredClone(good);
		badConnection.journey.connections.push({
			id: 'c-bad',
			from: good.journey.stages[0].touchpoints[0].id,
			to: 'missing',
			kind: 'main',
			label: ''
		});
		const cases: [string, RegExp][] = [
			['{"format": "parcours.journey", ', /^This file is not a valid journey file: \(root\): not JSON/],
			[JSON.stringify(wrongFormat), /format: must be "parcours\.journey"/],
			[JSON.stringify(tooNew), /schemaVersion: written by a newer Parcours \(version 99/],
			[JSON.stringify(badEmotion), /journey\.stages\[1\]\.touchpoints\[0\]\.emotion: /],
			[
				JSON.stringify(badPersona),
				/journey\.stages\[0\]\.touchpoints\[0\]\.personaIds\[0\]: no persona with id "nobody"/
			],
			[JSON.stringify(badConnection), /journey\.connections\[\d+\]\.to: no touchpoint with id "missing"/],
			['[]', /\(root\)|format/]
		];
		for (const [text, expected] of cases) {
			const { e, message } = await importError(ws.id, owner, text);
			expect(e.status, text.slice(0, 60)).toBe(400);
			expect(e.field).toBe('file');
			expect(message).toMatch(expected);
		}
		expect(await workspaceState(ws.id)).toEqual(state);
	});

	it('duplicates a journey without or with its feedback scores, never counting an item twice', async () => {
		const db = database.db;
		const owner = await makeUser(db);
		const ws = await makeWorkspace(db, owner);
		const { journey: source } = await airlineJourney(database, ws.id, 'Airline');
		const texts = [
			'My luggage was lost at the baggage claim, nobody at the desk could help. Terrible.',
			'Online check-in crashed twice, I could not get my boarding pass.',
			'Great seat, friendly crew and the meal on board was delicious.',
			'The flight was delayed by four hours and we were never told why.',
			'Le personnel à l’embarquement était charmant, embarquement rapide, merci !'
		];
		await ingestFeedback(
			db,
			{ workspaceId: ws.id, source: 'api' },
			texts.map((text, i) => item({ text, journey_id: source.id, external_id: `d-${i}` }))
		);
		await processPending(db);
		const items = async () =>
			db
				.select({ id: feedback.id, journeyId: feedback.journeyId })
				.from(feedback)
				.where(eq(feedback.workspaceId, ws.id));
		const itemsBefore = await items();
		expect(itemsBefore.length).toBe(texts.length);
		const original = await journeyScores(db, source.id);
		expect(Object.keys(original.touchpoints).length).toBeGreaterThan(0);

		const plain = await duplicateJourney(db, owner, source.id, 'en');
		const withScores = await duplicateJourney(db, owner, source.id, 'fr', { withFeedback: true });
		expect(plain.title).toBe('Airline (copy)');
		expect(withScores.title).toBe('Airline (copie)');
		// Both copies keep the map and its touchpoint ids.
		const sourceFile = await exportJourneyFile(db, owner, source.id);
		expect(content(await exportJourneyFile(db, owner, plain.id))).toEqual(content(sourceFile));
		expect(content(await exportJourneyFile(db, owner, withScores.id))).toEqual(content(sourceFile));

		expect((await journeyScores(db, plain.id)).touchpoints).toEqual({});
		const copied = await journeyScores(db, withScores.id);
		expect(copied.touchpoints).toEqual(original.touchpoints);
		expect(copied.unmatched).toBe(original.unmatched);

		// Items stay single and linked to the original; its own sums still equal its items.
		expect(await items()).toEqual(itemsBefore);
		expect(itemsBefore.every((r) => r.journeyId === source.id)).toBe(true);
		await expectAggregatesMatch(database, source.id);
		const n = async (journeyId: string) =>
			(await db.select().from(touchpointDaily).where(eq(touchpointDaily.journeyId, journeyId))).reduce(
				(s, r) => s + r.n,
				0
			);
		expect(await n(withScores.id)).toBe(await n(source.id));
		expect(await n(plain.id)).toBe(0);

		// Deleting the copy takes its sums with it and leaves the original's.
		await db.delete(journey).where(inArray(journey.id, [withScores.id]));
		expect(await n(withScores.id)).toBe(0);
		await expectAggregatesMatch(database, source.id);
	});
});

describe.each(engines())('templates and journey files through the built app on $engine', ({ engine }) => {
	let server: TestServer;
	let owner: Client;
	let viewer: Client;
	let workspaceId: string;
	let journeyId: string;
	const action = { accept: 'application/json', 'x-sveltekit-action': 'true' };

	beforeAll(async () => {
		server = await startTestServer(engine);
		owner = await signUp(server.url, 'Owner', 'owner@example.com');
		workspaceId = await createWorkspace(owner, 'Templates');
		journeyId = await createJourneyByForm(owner, workspaceId, 'Trip', 'airline');
		viewer = await signUp(server.url, 'Viewer', 'viewer@example.com');
		await viewer.post(await inviteLink(owner, workspaceId, 'viewer'), {});
	}, 120_000);
	afterAll(async () => {
		await server?.stop();
	});

	const exported = async (id: string) =>
		(await (await owner.request(`/w/${workspaceId}/journeys/${id}/export`)).json()) as {
			journey: { title: string; owner: string | null; stages: { touchpoints: { emotion: unknown }[] }[] };
		};
	const journeyCards = async () =>
		(
			(await (await owner.request(`/w/${workspaceId}/journeys`)).text()).match(
				/data-testid="journey-card"/g
			) ?? []
		).length;

	it('answers a bad file with 400 naming the path, and creates nothing', async () => {
		const file = await exported(journeyId);
		file.journey.stages[0].touchpoints[0].emotion = 7;
		const before = await journeyCards();
		const body = new FormData();
		body.append('file', new Blob([JSON.stringify(file)], { type: 'application/json' }), 'bad.json');
		const res = await owner.request(`/w/${workspaceId}/journeys?/import`, {
			method: 'POST',
			body,
			headers: action
		});
		const result = (await res.json()) as { type: string; status: number; data: string };
		expect(result.type).toBe('failure');
		expect(result.status).toBe(400);
		expect(result.data).toContain('journey.stages[0].touchpoints[0].emotion');
		expect(await journeyCards()).toBe(before);
	});

	it('saves a template and starts a journey from it; a viewer gets 403 and no template actions', async () => {
		const denied = await viewer.request(`/w/${workspaceId}/journeys?/saveTemplate`, {
			method: 'POST',
			form: { journeyId },
			headers: action
		});
		expect(((await denied.json()) as { status: number }).status).toBe(403);

		const saved = await owner.request(`/w/${workspaceId}/journeys?/saveTemplate`, {
			method: 'POST',
			form: { journeyId },
			headers: action
		});
		expect(((await saved.json()) as { type: string }).type).toBe('success');
		const page = await (await owner.request(`/w/${workspaceId}/journeys`)).text();
		const value = /<option value="(workspace:[0-9a-f-]{36})"[^>]*>Trip<\/option>/.exec(page)?.[1];
		expect(value).toBeDefined();
		const viewerPage = await (await viewer.request(`/w/${workspaceId}/journeys`)).text();
		expect(viewerPage).not.toContain('Save as template');
		expect(await (await viewer.request(`/w/${workspaceId}/templates`)).text()).not.toContain('>Delete<');

		const created = await owner.post(`/w/${workspaceId}/journeys?/create`, {
			title: 'Trip 2',
			template: value!
		});
		expect(created.status).toBe(303);
		const copyId = /journeys\/([0-9a-f-]{36})$/.exec(created.headers.get('location') ?? '')![1];
		expect(content(await exported(copyId))).toEqual(content(await exported(journeyId)));

		const outsider = await signUp(server.url, 'Outsider', 'outsider@example.com');
		await createWorkspace(outsider, 'Elsewhere');
		expect((await outsider.request(`/w/${workspaceId}/templates`)).status).toBe(404);
	});
});
