/**
 * Comment threads and mention notifications: the server rules on both engines (service calls), then the
 * same rules through the app's HTTP endpoints (statuses, messages, the event stream).
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { can } from '../../src/lib/server/access';
import {
	createComment,
	deleteComment,
	editComment,
	listComments,
	setResolved,
	settleTouchpointThreads,
	type JourneyRef
} from '../../src/lib/server/comments';
import type { Database } from '../../src/lib/server/db';
import { comment, notification } from '../../src/lib/server/db/schema';
import { on } from '../../src/lib/server/events';
import {
	listNotifications,
	markAllRead,
	markRead,
	notify,
	unreadCount
} from '../../src/lib/server/notifications';
import { engines } from './helpers/db';
import { addMember, makeJourney, makeUser, makeWorkspace } from './helpers/factories';
import { status } from './helpers/status';
import {
	Client,
	createWorkspace,
	inviteLink,
	signUp,
	startTestServer,
	type TestServer,
	createJourneyByForm
} from './helpers/server';

describe.each(engines())('comment rules on $engine', ({ open }) => {
	let database: Database;
	let owner: { id: string; name: string };
	let editor: { id: string; name: string };
	let viewer: { id: string; name: string };
	let outsider: { id: string; name: string };
	let ref: JourneyRef;
	let otherRef: JourneyRef;

	beforeAll(async () => {
		database = await open();
		const db = database.db;
		owner = await makeUser(db, { name: 'Olivia Owner' });
		editor = await makeUser(db, { name: 'Marie Dupont' });
		viewer = await makeUser(db, { name: 'Hélène Lefèvre' });
		outsider = await makeUser(db, { name: 'Oscar Outsider' });
		const ws = await makeWorkspace(db, owner);
		await addMember(db, ws.id, editor, 'editor');
		await addMember(db, ws.id, viewer, 'viewer');
		const j = await makeJourney(db, ws.id, 'Checkout');
		ref = { workspaceId: ws.id, journeyId: j.id };
		const elsewhere = await makeWorkspace(db, outsider);
		otherRef = { workspaceId: elsewhere.id, journeyId: (await makeJourney(db, elsewhere.id)).id };
	});
	afterAll(async () => {
		await database?.close();
	});

	it('lets a viewer comment and reply, but not edit the map', async () => {
		const db = database.db;
		expect(await can(db, viewer, 'journey:edit', { journeyId: ref.journeyId })).toBe(false);
		const root = await createComment(db, viewer, ref, {
			body: '  Why is this step so long?  ',
			touchpointId: 'tp-1'
		});
		expect(root).toMatchObject({
			body: 'Why is this step so long?',
			touchpointId: 'tp-1',
			authorName: 'Hélène Lefèvre'
		});
		const reply = await createComment(db, editor, ref, { body: 'Security checks.', parentId: root.id });
		expect(reply).toMatchObject({ parentId: root.id, touchpointId: 'tp-1' });
		// A reply to a reply joins the same thread.
		const nested = await createComment(db, viewer, ref, { body: 'Thanks', parentId: reply.id });
		expect(nested.parentId).toBe(root.id);
		const all = await listComments(db, viewer, ref);
		expect(all.map((c) => c.id)).toEqual([root.id, reply.id, nested.id]);
		// The viewer may not decide about threads of deleted cards: only those who edit the map delete cards.
		expect(
			await status(() =>
				settleTouchpointThreads(db, viewer, ref, {
					fate: 'delete',
					touchpoints: [{ id: 'tp-1', title: 'X' }]
				})
			)
		).toBe(403);
	});

	it('edits and deletes only one’s own comment; an owner may delete any', async () => {
		const db = database.db;
		const c = await createComment(db, editor, ref, { body: 'Mine' });
		expect(await status(() => editComment(db, viewer, ref, c.id, { body: 'Hijacked' }))).toBe(403);
		expect(await status(() => deleteComment(db, viewer, ref, c.id))).toBe(403);
		expect(await status(() => editComment(db, owner, ref, c.id, { body: 'Owner edit' }))).toBe(403);
		await editComment(db, editor, ref, c.id, { body: 'Mine, edited' });
		const [row] = await db.select().from(comment).where(eq(comment.id, c.id));
		expect(row.body).toBe('Mine, edited');
		expect(row.editedAt).not.toBeNull();
		await deleteComment(db, owner, ref, c.id);
		expect((await db.select().from(comment).where(eq(comment.id, c.id))).length).toBe(0);
		const own = await createComment(db, viewer, ref, { body: 'Mine too' });
		await deleteComment(db, viewer, ref, own.id);
		expect((await listComments(db, owner, ref)).some((x) => x.id === own.id)).toBe(false);
	});

	it('deleting a thread’s root deletes its replies', async () => {
		const db = database.db;
		const root = await createComment(db, editor, ref, { body: 'Root' });
		await createComment(db, viewer, ref, { body: 'Reply', parentId: root.id });
		await deleteComment(db, editor, ref, root.id);
		expect(
			(await listComments(db, owner, ref)).filter((c) => c.id === root.id || c.parentId === root.id)
		).toEqual([]);
	});

	it('notifies the mentioned members only: not the author, not a non-member', async () => {
		const db = database.db;
		const created: string[][] = [];
		const off = on('notification:changed', (e) => created.push(e.userIds));
		const before = await unreadCount(db, editor, ref.workspaceId);
		const c = await createComment(db, viewer, ref, {
			body: '@Marie Dupont and @helene and @Oscar Outsider, look',
			touchpointId: 'tp-2',
			touchpointTitle: 'Boarding'
		});
		off();
		// Oscar is not a member: not a mention. The author mentioning herself is kept but not notified.
		expect(c.mentions).toEqual([editor.id, viewer.id]);
		expect(created).toEqual([[editor.id]]);
		expect(await unreadCount(db, editor, ref.workspaceId)).toBe(before + 1);
		expect(await unreadCount(db, viewer, ref.workspaceId)).toBe(0);
		expect(await db.select().from(notification).where(eq(notification.userId, outsider.id))).toEqual([]);
		const [n] = await listNotifications(db, editor, ref.workspaceId, { limit: 1 });
		expect(n).toMatchObject({
			kind: 'mention',
			actorName: 'Hélène Lefèvre',
			link: `/w/${ref.workspaceId}/journeys/${ref.journeyId}?thread=${c.id}`,
			readAt: null
		});
		expect(n.data).toMatchObject({ journeyTitle: 'Checkout', touchpointTitle: 'Boarding', threadId: c.id });
		// A reply mentioning someone links to the thread, not to the reply.
		const r = await createComment(db, editor, ref, { body: '@Olivia Owner?', parentId: c.id });
		const [forOwner] = await listNotifications(db, owner, ref.workspaceId, { limit: 1 });
		expect(forOwner.link.endsWith(`?thread=${c.id}`)).toBe(true);
		expect(forOwner.data).toMatchObject({ commentId: r.id });
		// Editing adds mentions: only the new one is notified.
		const ownerBefore = await unreadCount(db, owner, ref.workspaceId);
		const editorBefore = await unreadCount(db, editor, ref.workspaceId);
		await editComment(db, viewer, ref, c.id, { body: '@Marie Dupont and @Olivia Owner, look' });
		expect(await unreadCount(db, owner, ref.workspaceId)).toBe(ownerBefore + 1);
		expect(await unreadCount(db, editor, ref.workspaceId)).toBe(editorBefore);
	});

	it('marks one or all notifications read, only one’s own', async () => {
		const db = database.db;
		await notify(db, {
			workspaceId: ref.workspaceId,
			kind: 'test',
			actorId: owner.id,
			userIds: [editor.id, outsider.id, owner.id],
			data: {},
			link: '/x'
		});
		const [n] = await listNotifications(db, editor, ref.workspaceId, { unreadOnly: true });
		expect(await status(() => markRead(db, viewer, ref.workspaceId, n.id))).toBe(404);
		// Reading tells the reader's open bells (other tabs), nobody else's.
		const told: string[][] = [];
		const off = on('notification:changed', (e) => told.push(e.userIds));
		expect(await markRead(db, editor, ref.workspaceId, n.id)).toEqual({ link: n.link });
		await markAllRead(db, editor, ref.workspaceId);
		off();
		expect(told).toEqual([[editor.id], [editor.id]]);
		expect(
			(await listNotifications(db, editor, ref.workspaceId)).find((x) => x.id === n.id)?.readAt
		).not.toBeNull();
		await markAllRead(db, editor, ref.workspaceId);
		expect(await unreadCount(db, editor, ref.workspaceId)).toBe(0);
		expect(await status(() => unreadCount(db, outsider, ref.workspaceId))).toBe(404);
	});

	it('resolves and reopens a thread (any commenter), from the root or a reply', async () => {
		const db = database.db;
		const root = await createComment(db, editor, ref, { body: 'Open question' });
		const reply = await createComment(db, owner, ref, { body: 'Answer', parentId: root.id });
		await setResolved(db, viewer, ref, reply.id, true);
		let [row] = await db.select().from(comment).where(eq(comment.id, root.id));
		expect(row.resolvedAt).not.toBeNull();
		expect(row.resolvedBy).toBe(viewer.id);
		await setResolved(db, owner, ref, root.id, false);
		[row] = await db.select().from(comment).where(eq(comment.id, root.id));
		expect(row.resolvedAt).toBeNull();
		expect(await status(() => setResolved(db, owner, ref, root.id, 'yes'))).toBe(400);
	});

	it('keeps or deletes the threads of deleted touchpoints', async () => {
		const db = database.db;
		const kept = await createComment(db, editor, ref, { body: 'Keep me', touchpointId: 'tp-keep' });
		await createComment(db, owner, ref, { body: 'Reply kept', parentId: kept.id });
		const dropped = await createComment(db, editor, ref, { body: 'Drop me', touchpointId: 'tp-drop' });
		await createComment(db, owner, ref, { body: 'Reply dropped', parentId: dropped.id });
		expect(
			await settleTouchpointThreads(db, editor, ref, {
				fate: 'keep',
				touchpoints: [{ id: 'tp-keep', title: 'Pay' }]
			})
		).toBe(1);
		const after = await listComments(db, owner, ref);
		const thread = after.filter((c) => c.id === kept.id || c.parentId === kept.id);
		expect(thread).toHaveLength(2);
		// Still on its touchpoint id (an undo of the deletion brings it back), marked with the title it had.
		expect(thread.every((c) => c.detachedFrom === 'Pay' && c.touchpointId === 'tp-keep')).toBe(true);
		expect(
			await settleTouchpointThreads(db, editor, ref, {
				fate: 'delete',
				touchpoints: [{ id: 'tp-drop', title: 'Gone' }]
			})
		).toBe(1);
		expect(
			(await listComments(db, owner, ref)).filter((c) => c.id === dropped.id || c.parentId === dropped.id)
		).toEqual([]);
		expect(
			await settleTouchpointThreads(db, editor, ref, {
				fate: 'keep',
				touchpoints: [{ id: 'tp-none', title: '' }]
			})
		).toBe(0);
	});

	it('refuses bad input with 400 naming the field', async () => {
		const db = database.db;
		const field = async (fn: () => Promise<unknown>) => {
			try {
				await fn();
				return 'accepted';
			} catch (e) {
				return `${(e as { status: number }).status} ${(e as { field?: string }).field}`;
			}
		};
		expect(await field(() => createComment(db, editor, ref, { body: '   ' }))).toBe('400 body');
		expect(await field(() => createComment(db, editor, ref, { body: 'x'.repeat(5001) }))).toBe('400 body');
		expect(await field(() => createComment(db, editor, ref, { body: 42 }))).toBe('400 body');
		expect(await field(() => createComment(db, editor, ref, { body: 'Hi', touchpointId: 'bad id!' }))).toBe(
			'400 touchpointId'
		);
		expect(
			await field(() => createComment(db, editor, ref, { body: 'Hi', parentId: crypto.randomUUID() }))
		).toBe('400 parentId');
		expect(
			await field(() => settleTouchpointThreads(db, editor, ref, { fate: 'maybe', touchpoints: [] }))
		).toBe('400 fate');
		expect(
			await field(() => settleTouchpointThreads(db, editor, ref, { fate: 'keep', touchpoints: [{ id: 3 }] }))
		).toBe('400 touchpoints[0].id');
		// A thread of another journey is not a parent here.
		const foreign = await createComment(db, outsider, otherRef, { body: 'Elsewhere' });
		expect(await field(() => createComment(db, editor, ref, { body: 'Hi', parentId: foreign.id }))).toBe(
			'400 parentId'
		);
	});

	it('refuses access from another workspace, and a journey under the wrong workspace', async () => {
		const db = database.db;
		const c = await createComment(db, editor, ref, { body: 'Private' });
		expect(await status(() => listComments(db, outsider, ref))).toBe(404);
		expect(await status(() => createComment(db, outsider, ref, { body: 'Hello' }))).toBe(404);
		expect(await status(() => deleteComment(db, outsider, ref, c.id))).toBe(404);
		expect(await status(() => setResolved(db, outsider, ref, c.id, true))).toBe(404);
		// The journey addressed through a workspace it is not in.
		expect(
			await status(() =>
				listComments(db, outsider, { workspaceId: otherRef.workspaceId, journeyId: ref.journeyId })
			)
		).toBe(404);
		// A comment of this journey addressed through another journey.
		expect(await status(() => deleteComment(db, outsider, otherRef, c.id))).toBe(404);
		expect(await status(() => listComments(db, null, ref))).toBe(401);
	});
});

describe.each(engines())('comment endpoints of the app on $engine', ({ engine }) => {
	let server: TestServer;
	let owner: Client;
	let viewer: Client;
	let outsider: Client;
	let workspaceId: string;
	let journeyId: string;
	const json = (c: Client, path: string, method: string, body?: unknown) =>
		c.request(path, {
			method,
			headers: { 'content-type': 'application/json', accept: 'application/json' },
			body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body)
		});

	beforeAll(async () => {
		server = await startTestServer(engine);
		owner = await signUp(server.url, 'Olivia Owner', 'owner@example.com');
		workspaceId = await createWorkspace(owner, 'Comments');
		journeyId = await createJourneyByForm(owner, workspaceId, 'Checkout', 'default');
		viewer = await signUp(server.url, 'Victor Viewer', 'viewer@example.com');
		await viewer.post(await inviteLink(owner, workspaceId, 'viewer'), {});
		outsider = await signUp(server.url, 'Oscar Outsider', 'outsider@example.com');
		await createWorkspace(outsider, 'Elsewhere');
	}, 120_000);
	afterAll(async () => {
		await server?.stop();
	});

	/** Opens an event stream as `client`; `until` reads it until the text matches. */
	async function openEvents(client: Client, path: string) {
		const controller = new AbortController();
		const res = await fetch(`${server.url}${path}`, {
			headers: { cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
			signal: controller.signal
		});
		const reader = res.body!.getReader();
		const decoder = new TextDecoder();
		const events = {
			res,
			text: '',
			async until(pattern: RegExp) {
				const end = Date.now() + 10_000;
				while (!pattern.test(events.text)) {
					if (Date.now() > end) throw new Error(`no ${pattern} in ${events.text}`);
					const { value } = await reader.read();
					events.text += decoder.decode(value, { stream: true });
				}
			},
			close: () => controller.abort()
		};
		return events;
	}

	it('takes a viewer’s comment with a mention and notifies the owner, whose bell stream and page show it', async () => {
		const base = `/w/${workspaceId}/journeys/${journeyId}/comments`;
		// The owner's bell stream is open before the mention arrives.
		const bell = await openEvents(owner, `/w/${workspaceId}/notifications/stream`);
		expect(bell.res.headers.get('content-type')).toContain('text/event-stream');
		await bell.until(/"unread":0/);

		const res = await json(viewer, base, 'POST', { body: 'Why here, @Olivia Owner?', touchpointId: 'tp1' });
		expect(res.status).toBe(201);
		const { comment: c } = await res.json();
		await bell.until(/"unread":1/);
		bell.close();

		const page = await owner.request(`/w/${workspaceId}/notifications`);
		expect(await page.text()).toContain('Victor Viewer');
		const list = await (await json(owner, base, 'GET')).json();
		expect(list.comments.map((x: { id: string }) => x.id)).toEqual([c.id]);

		// Opening the notification marks it read and leads to the thread.
		const [n] = await listOwnerNotifications();
		const opened = await owner.post(`/w/${workspaceId}/notifications?/open`, { id: n });
		expect(opened.status).toBe(303);
		expect(opened.headers.get('location')).toBe(`/w/${workspaceId}/journeys/${journeyId}?thread=${c.id}`);
	});

	it('sends the journey’s comments and the user’s notifications on its stream, at once and after each change', async () => {
		const base = `/w/${workspaceId}/journeys/${journeyId}/comments`;
		const events = await openEvents(viewer, `${base}/stream?notifications=1`);
		expect(events.res.status).toBe(200);
		await events.until(/event: comments/);
		// It carries the viewer's notifications too (the map tab then needs no stream for the bell).
		await events.until(/event: notifications\ndata: \{"unread":0/);
		expect(events.text).not.toContain('Live from the owner');
		const res = await json(owner, base, 'POST', {
			body: 'Live from the owner, @Victor Viewer',
			touchpointId: 'tp9'
		});
		expect(res.status).toBe(201);
		await events.until(/Live from the owner/);
		await events.until(/"unread":1/);
		events.close();
	});

	async function listOwnerNotifications(): Promise<string[]> {
		const html = await (await owner.request(`/w/${workspaceId}/notifications`)).text();
		return [...html.matchAll(/name="id" value="([0-9a-f-]{36})"/g)].map((m) => m[1]);
	}

	it('answers bad input with 400 and a message, others’ comments with 403, other workspaces with 404', async () => {
		const base = `/w/${workspaceId}/journeys/${journeyId}/comments`;
		const empty = await json(viewer, base, 'POST', { body: '  ' });
		expect(empty.status).toBe(400);
		expect((await empty.json()).error).toMatchObject({
			field: 'body',
			message: 'Write something before sending.'
		});
		const malformed = await json(viewer, base, 'POST', '{not json');
		expect(malformed.status).toBe(400);
		expect((await malformed.json()).error.message).toBe('Send a JSON object.');
		const fate = await json(owner, `${base}/settle`, 'POST', { fate: 'perhaps', touchpoints: [{ id: 'a' }] });
		expect(fate.status).toBe(400);
		expect((await fate.json()).error.field).toBe('fate');

		const { comment: mine } = await (await json(owner, base, 'POST', { body: 'Owner’s note' })).json();
		const edit = await json(viewer, `${base}/${mine.id}`, 'PATCH', { body: 'Changed' });
		expect(edit.status).toBe(403);
		expect((await edit.json()).error.message).toBe('Only its author can change this comment.');
		expect((await json(viewer, `${base}/${mine.id}`, 'DELETE')).status).toBe(403);
		expect((await json(viewer, `${base}/${mine.id}`, 'PATCH', { resolved: true })).status).toBe(200);
		expect(
			(await json(viewer, `${base}/settle`, 'POST', { fate: 'keep', touchpoints: [{ id: 'a', title: 'A' }] }))
				.status
		).toBe(403);

		expect((await json(outsider, base, 'GET')).status).toBe(404);
		expect((await json(outsider, base, 'POST', { body: 'Hi' })).status).toBe(404);
		expect((await json(outsider, `${base}/${mine.id}`, 'DELETE')).status).toBe(404);
		expect((await json(outsider, `${base}/stream`, 'GET')).status).toBe(404);
		expect((await json(outsider, `/w/${workspaceId}/notifications/stream`, 'GET')).status).toBe(404);
		expect((await json(new Client(server.url), base, 'GET')).status).toBe(401);
		expect((await json(owner, `${base}/not-an-id`, 'DELETE')).status).toBe(404);
	});
});
