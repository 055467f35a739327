/**
 * Journey versions against the real collaboration server (real y-websocket clients on port 0) and the
 * database: automatic versions after a quiet period and during long edits, none when nothing changed,
 * the last editor leaving, retention, restore with two clients connected (and its undo), and access.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import * as Y from 'yjs';
import type { Authenticate } from '../../server/collab/ws';
import { migrateJourneyState, openJourney, type JourneySnapshot } from '../../src/lib/journey';
import { createCollabStore } from '../../src/lib/server/collab-store';
import type { Database } from '../../src/lib/server/db';
import { journeyVersion, workspace } from '../../src/lib/server/db/schema';
import {
	compareVersion,
	createNamedVersion,
	deleteVersion,
	listVersions,
	restoreVersion,
	saveAutoVersion,
	setAutoVersionsKept,
	setLiveDocuments,
	viewVersion,
	type JourneyRef
} from '../../src/lib/server/versions';
import { snapshotOf } from '../../src/lib/versions';
import {
	cookieValue,
	connectClient,
	sleep,
	startCollabServer,
	waitFor,
	type TestClient
} from './collab-harness';
import { engines } from './helpers/db';
import { addMember, makeJourney, makeUser, makeWorkspace } from './helpers/factories';

const QUIET = 250;
const MAX_INTERVAL = 900;

/** A journey with two stages and three cards, as its first stored state. */
function initialState(): Uint8Array {
	const doc = new Y.Doc();
	const j = openJourney(doc);
	j.updateJourney({ title: 'Onboarding' });
	const s1 = j.addStage({ title: 'Discover', group: 'pre-sale' });
	const s2 = j.addStage({ title: 'Buy', group: 'sale' });
	j.addTouchpoint(s1, { title: 'Ad', channel: 'web' });
	j.addTouchpoint(s1, { title: 'Search', channel: 'web' });
	j.addTouchpoint(s2, { title: 'Checkout', channel: 'store' });
	return Y.encodeStateAsUpdate(doc);
}

const titles = (s: JourneySnapshot) => s.touchpoints.map((t) => t.title);
const clientSnapshot = (c: TestClient) => c.journey.snapshot();

describe.each(engines())('journey versions on $engine', ({ open }) => {
	let database: Database;
	let db: Database['db'];
	let users: Record<'owner' | 'editor' | 'bob' | 'viewer' | 'stranger', { id: string }>;
	let workspaceId: string;
	let otherWorkspaceId: string;
	let server: Awaited<ReturnType<typeof startCollabServer>>;
	const clients: TestClient[] = [];

	async function newJourney(): Promise<JourneyRef> {
		const j = await makeJourney(db, workspaceId, 'Onboarding');
		await createCollabStore(db).saveInitialState(j.id, initialState());
		return { workspaceId, journeyId: j.id };
	}

	async function join(ref: JourneyRef, who: 'editor' | 'bob' | 'viewer' = 'editor') {
		const c = connectClient(server, ref.journeyId, who);
		clients.push(c);
		await c.synced;
		return c;
	}

	const versions = (ref: JourneyRef) =>
		db.select().from(journeyVersion).where(eq(journeyVersion.journeyId, ref.journeyId));

	beforeAll(async () => {
		database = await open();
		db = database.db;
		users = {
			owner: await makeUser(db, { name: 'Olivia Owner' }),
			editor: await makeUser(db, { name: 'Eddie Editor' }),
			bob: await makeUser(db, { name: 'Bob Editor' }),
			viewer: await makeUser(db, { name: 'Vera Viewer' }),
			stranger: await makeUser(db, { name: 'Sam Stranger' })
		};
		workspaceId = (await makeWorkspace(db, users.owner)).id;
		await addMember(db, workspaceId, users.editor, 'editor');
		await addMember(db, workspaceId, users.bob, 'editor');
		await addMember(db, workspaceId, users.viewer, 'viewer');
		otherWorkspaceId = (await makeWorkspace(db, users.stranger)).id;
		const authenticate: Authenticate = (req) => {
			const who = cookieValue(req, 'session') as keyof typeof users | undefined;
			if (!who || !users[who]) return { ok: false, code: 4401, reason: 'sign in first' };
			return { ok: true, context: { userId: users[who].id, readOnly: who === 'viewer' } };
		};
		server = await startCollabServer({
			persistence: createCollabStore(db),
			prepareState: migrateJourneyState,
			authenticate,
			autoVersion: {
				quietMs: QUIET,
				maxIntervalMs: MAX_INTERVAL,
				save: async (journeyId, state, editorId) => {
					await saveAutoVersion(db, journeyId, state, editorId);
				}
			}
		});
		setLiveDocuments(async () => server.collab);
	});

	afterAll(async () => {
		for (const c of clients) c.destroy();
		setLiveDocuments(null);
		await server.close();
		await database.close();
	});

	it('takes an automatic version a quiet period after the last edit, by the last editor', async () => {
		const ref = await newJourney();
		const a = await join(ref);
		a.journey.updateJourney({ title: 'Onboarding v2' });
		await sleep(QUIET / 3);
		expect(await versions(ref)).toHaveLength(0);
		await waitFor(async () => (await versions(ref)).length === 1, 'an automatic version');
		const [v] = await versions(ref);
		expect(v.kind).toBe('auto');
		expect(v.createdBy).toBe(users.editor.id);
		expect(v.stageCount).toBe(2);
		expect(v.touchpointCount).toBe(3);
		expect(snapshotOf(v.data).title).toBe('Onboarding v2');
		// Nothing changed since: no other version, however long one waits.
		await sleep(QUIET * 3);
		expect(await versions(ref)).toHaveLength(1);
	});

	it('takes one at least every max interval while edits continue', async () => {
		const ref = await newJourney();
		const a = await join(ref);
		const stage = clientSnapshot(a).stages[0].id;
		const tp = a.journey.addTouchpoint(stage, { title: 'Typing' });
		const start = Date.now();
		let n = 0;
		// Edits every 60 ms never leave a quiet period.
		while (Date.now() - start < 2 * MAX_INTERVAL + 300) {
			a.journey.updateTouchpoint(tp, { title: `Typing ${n++}` });
			await sleep(60);
		}
		const during = (await versions(ref)).length;
		const elapsed = Date.now() - start;
		expect(during).toBeGreaterThanOrEqual(1);
		expect(during).toBeLessThanOrEqual(Math.floor(elapsed / MAX_INTERVAL) + 1);
		await waitFor(async () => (await versions(ref)).length === during + 1, 'the version after the edits');
		const last = (await versions(ref)).sort((x, y) => +y.createdAt - +x.createdAt)[0];
		expect(snapshotOf(last.data).touchpoints.find((t) => t.id === tp)?.title).toBe(`Typing ${n - 1}`);
	});

	it('keeps no automatic version when the content is back to the last version', async () => {
		const ref = await newJourney();
		const a = await join(ref);
		a.journey.updateJourney({ title: 'Renamed' });
		await waitFor(async () => (await versions(ref)).length === 1, 'the first version');
		a.journey.updateJourney({ title: 'Renamed again' });
		a.journey.updateJourney({ title: 'Renamed' });
		await sleep(QUIET * 3);
		expect(await versions(ref)).toHaveLength(1);
	});

	it('takes one when the last editor leaves, not when a viewer leaves', async () => {
		const slow = await startCollabServer({
			persistence: createCollabStore(db),
			authenticate: (req) => {
				const who = cookieValue(req, 'session') as keyof typeof users;
				return { ok: true, context: { userId: users[who].id, readOnly: who === 'viewer' } };
			},
			autoVersion: {
				quietMs: 60_000,
				maxIntervalMs: 600_000,
				save: async (journeyId, state, editorId) => {
					await saveAutoVersion(db, journeyId, state, editorId);
				}
			}
		});
		try {
			const ref = await newJourney();
			const a = connectClient(slow, ref.journeyId, 'editor');
			const v = connectClient(slow, ref.journeyId, 'viewer');
			await Promise.all([a.synced, v.synced]);
			v.destroy();
			a.journey.updateJourney({ title: 'Before leaving' });
			await waitFor(() => openJourney(a.doc).snapshot().title === 'Before leaving', 'the edit');
			await sleep(100);
			expect(await versions(ref)).toHaveLength(0);
			a.destroy();
			await waitFor(async () => (await versions(ref)).length === 1, 'the version on leaving');
			expect(snapshotOf((await versions(ref))[0].data).title).toBe('Before leaving');
		} finally {
			await slow.close();
		}
	});

	it('keeps the newest automatic versions up to the workspace limit, and every named one', async () => {
		const ref = await newJourney();
		const doc = new Y.Doc();
		Y.applyUpdate(doc, initialState());
		const j = openJourney(doc);
		await setAutoVersionsKept(db, users.owner, workspaceId, '2');
		try {
			await createNamedVersion(db, users.editor, ref, 'Kick-off');
			for (const title of ['one', 'two', 'three', 'four']) {
				j.updateJourney({ title });
				expect(await saveAutoVersion(db, ref.journeyId, Y.encodeStateAsUpdate(doc), users.editor.id)).toBe(
					true
				);
				await sleep(5);
			}
			const rows = await versions(ref);
			expect(rows.map((r) => [r.kind, snapshotOf(r.data).title]).sort()).toEqual([
				['auto', 'four'],
				['auto', 'three'],
				['named', 'Onboarding']
			]);
			expect(rows.find((r) => r.kind === 'named')?.name).toBe('Kick-off');
			// The same content again is not kept twice.
			expect(await saveAutoVersion(db, ref.journeyId, Y.encodeStateAsUpdate(doc), null)).toBe(false);
		} finally {
			await setAutoVersionsKept(db, users.owner, workspaceId, '50');
		}
		await expect(setAutoVersionsKept(db, users.owner, workspaceId, '0')).rejects.toMatchObject({
			status: 400
		});
		await expect(setAutoVersionsKept(db, users.owner, workspaceId, '1001')).rejects.toMatchObject({
			status: 400
		});
		await expect(setAutoVersionsKept(db, users.editor, workspaceId, '10')).rejects.toMatchObject({
			status: 403
		});
		const [ws] = await db.select().from(workspace).where(eq(workspace.id, workspaceId));
		expect(ws.autoVersionsKept).toBe(50);
	});

	it('restores a version for two connected clients, keeps the state before, and undoes by restoring that', async () => {
		const ref = await newJourney();
		const a = await join(ref, 'editor');
		const b = await join(ref, 'bob');
		const named = await createNamedVersion(db, users.owner, ref, 'After workshop 12 March');
		expect(named).toMatchObject({ kind: 'named', name: 'After workshop 12 March', touchpointCount: 3 });
		expect(named.createdBy?.name).toBe('Olivia Owner');
		const wanted = clientSnapshot(a);

		// A changes the map: renames, deletes and adds cards; B sees it.
		const [ad, search, checkout] = wanted.touchpoints;
		a.journey.updateTouchpoint(ad.id, { title: 'Banner ad' });
		a.journey.removeTouchpoint(search.id);
		a.journey.moveTouchpoint(checkout.id, wanted.stages[0].id, 0);
		a.journey.addTouchpoint(wanted.stages[1].id, { title: 'Delivery' });
		await waitFor(() => titles(clientSnapshot(b)).includes('Delivery'), 'B to see A');
		const changed = clientSnapshot(a);

		const comparison = await compareVersion(db, users.viewer, ref, named.id);
		expect(comparison.diff.touchpoints.map((c) => [c.title, c.kind, c.fields.join()]).sort()).toEqual([
			['Banner ad', 'changed', 'title'],
			['Checkout', 'changed', 'stageId'],
			['Delivery', 'added', ''],
			['Search', 'removed', '']
		]);
		expect(titles(snapshotOf(comparison.state))).toContain('Search');

		const keptId = await restoreVersion(db, users.editor, ref, named.id);
		expect(keptId).not.toBeNull();
		const sameAsWanted = (c: TestClient) => JSON.stringify(clientSnapshot(c)) === JSON.stringify(wanted);
		await waitFor(() => sameAsWanted(a) && sameAsWanted(b), 'both clients on the restored map');
		expect(titles(clientSnapshot(b))).toEqual(['Ad', 'Search', 'Checkout']);

		const list = await listVersions(db, users.viewer, ref);
		const kept = list.find((v) => v.id === keptId)!;
		expect(kept).toMatchObject({ kind: 'before-restore', touchpointCount: 3 });
		expect(kept.createdBy?.name).toBe('Eddie Editor');
		expect(JSON.stringify(snapshotOf((await viewVersion(db, users.viewer, ref, keptId!)).state))).toBe(
			JSON.stringify(changed)
		);
		// The restored map is stored, not only relayed.
		await server.collab.flush();
		const stored = await createCollabStore(db).loadDocument(ref.journeyId);
		expect(titles(snapshotOf(stored!))).toEqual(['Ad', 'Search', 'Checkout']);

		// Restoring the state kept before undoes the restore, for both.
		await restoreVersion(db, users.bob, ref, keptId!);
		const sameAsChanged = (c: TestClient) => JSON.stringify(clientSnapshot(c)) === JSON.stringify(changed);
		await waitFor(() => sameAsChanged(a) && sameAsChanged(b), 'both clients back on the changed map');
		// And a client keeps editing on top of it.
		b.journey.updateJourney({ title: 'Still editing' });
		await waitFor(() => clientSnapshot(a).title === 'Still editing', 'A to see B after the undo');
		// Restoring what the map already shows changes nothing.
		const now = await createNamedVersion(db, users.editor, ref, 'Now');
		expect(await restoreVersion(db, users.editor, ref, now.id)).toBeNull();
	});

	it('restores a journey nobody has open: the next client gets the restored map', async () => {
		const ref = await newJourney();
		const named = await createNamedVersion(db, users.editor, ref, 'Original');
		const a = await join(ref);
		a.journey.removeTouchpoint(clientSnapshot(a).touchpoints[0].id);
		a.destroy();
		await waitFor(() => server.collab.loadedState(ref.journeyId) === undefined, 'the room to unload');
		expect(await restoreVersion(db, users.editor, ref, named.id)).not.toBeNull();
		const c = await join(ref, 'bob');
		expect(titles(clientSnapshot(c))).toEqual(['Ad', 'Search', 'Checkout']);
	});

	it('lets viewers list, view and compare but not name, restore or delete; other workspaces see nothing', async () => {
		const ref = await newJourney();
		const named = await createNamedVersion(db, users.editor, ref, 'Baseline');
		expect((await listVersions(db, users.viewer, ref)).map((v) => v.name)).toEqual(['Baseline']);
		await expect(viewVersion(db, users.viewer, ref, named.id)).resolves.toBeTruthy();
		await expect(createNamedVersion(db, users.viewer, ref, 'Mine')).rejects.toMatchObject({ status: 403 });
		await expect(restoreVersion(db, users.viewer, ref, named.id)).rejects.toMatchObject({ status: 403 });
		await expect(deleteVersion(db, users.viewer, ref, named.id)).rejects.toMatchObject({ status: 403 });
		await expect(listVersions(db, users.stranger, ref)).rejects.toMatchObject({ status: 404 });
		await expect(restoreVersion(db, users.stranger, ref, named.id)).rejects.toMatchObject({ status: 404 });
		// The journey named under another workspace's URL is not found, even for its own members.
		const elsewhere = { workspaceId: otherWorkspaceId, journeyId: ref.journeyId };
		await expect(listVersions(db, users.owner, elsewhere)).rejects.toMatchObject({ status: 404 });
		await expect(
			viewVersion(db, users.owner, ref, '00000000-0000-4000-8000-000000000000')
		).rejects.toMatchObject({
			status: 404
		});
		await expect(viewVersion(db, users.owner, ref, 'not-an-id')).rejects.toMatchObject({ status: 404 });
		await expect(createNamedVersion(db, users.editor, ref, '   ')).rejects.toMatchObject({
			status: 400,
			field: 'name'
		});
		await expect(createNamedVersion(db, users.editor, ref, 'x'.repeat(121))).rejects.toMatchObject({
			status: 400
		});
		await deleteVersion(db, users.editor, ref, named.id);
		expect(await listVersions(db, users.viewer, ref)).toEqual([]);
	});
});
