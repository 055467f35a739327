/**
 * Public feedback forms and manual entry: the services on both engines (life cycle, access, spam
 * protection, what gets stored), then the public page through the built app (frameable, 404s, submit).
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/lib/server/db';
import { feedback, feedbackForm } from '../../src/lib/server/db/schema';
import {
	createForm,
	deleteForm,
	fillToken,
	getPublicForm,
	journeyChoices,
	listForms,
	setFormEnabled,
	submitPublicForm
} from '../../src/lib/server/feedback/forms';
import { createManualFeedback, type ManualInput } from '../../src/lib/server/feedback/manual';
import { createJourney } from '../../src/lib/server/journeys';
import { engines } from './helpers/db';
import { addMember, makeUser, makeWorkspace } from './helpers/factories';
import {
	Client,
	createJourneyByForm,
	createWorkspace,
	signUp,
	startTestServer,
	type TestServer
} from './helpers/server';
import { status } from './helpers/status';

const ip = () => `10.0.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;

describe.each(engines())('feedback forms and manual entry on $engine', ({ open }) => {
	let database: Database;
	let owner: { id: string };
	let editor: { id: string };
	let viewer: { id: string };
	let outsider: { id: string };
	let workspaceId: string;
	let journeyId: string;
	let touchpointId: string;

	beforeAll(async () => {
		database = await open();
		const db = database.db;
		owner = await makeUser(db);
		editor = await makeUser(db);
		viewer = await makeUser(db);
		outsider = await makeUser(db);
		const ws = await makeWorkspace(db, owner);
		workspaceId = ws.id;
		await addMember(db, ws.id, editor, 'editor');
		await addMember(db, ws.id, viewer, 'viewer');
		await makeWorkspace(db, outsider);
		const j = await createJourney(db, owner, ws.id, { title: 'Trip', template: 'airline', locale: 'en' });
		journeyId = j.id;
		const choices = await journeyChoices(db, editor, ws.id);
		touchpointId = choices.find((c) => c.id === journeyId)!.touchpoints[0].id;
	});
	afterAll(async () => {
		await database.close();
	});

	/** A submission as a person makes it: the form was rendered a few seconds ago. */
	async function answer(slug: string, fields: Record<string, string>, from = ip()) {
		const started = await fillToken(database.db, slug, Date.now() - 5000);
		return submitPublicForm(database.db, slug, { started, ...fields } as never, { ip: from, limitPerIp: 10 });
	}

	it('lists the journeys with their touchpoints in stage order, for editors only', async () => {
		const choices = await journeyChoices(database.db, editor, workspaceId);
		expect(choices.map((c) => c.title)).toEqual(['Trip']);
		expect(choices[0].touchpoints.length).toBeGreaterThan(3);
		expect(choices[0].touchpoints[0]).toMatchObject({ id: expect.any(String), title: expect.any(String) });
		expect(await status(() => journeyChoices(database.db, viewer, workspaceId))).toBe(403);
		expect(await status(() => journeyChoices(database.db, outsider, workspaceId))).toBe(404);
		expect(await status(() => journeyChoices(database.db, null, workspaceId))).toBe(401);
	});

	it('runs a form through its life: create, list, close (404), reopen, delete', async () => {
		const db = database.db;
		const form = await createForm(db, editor, workspaceId, {
			journeyId,
			touchpointId,
			title: '',
			askRating: 'nps',
			askContact: 'on'
		});
		expect(form.slug).toMatch(/^[a-z2-7]{32}$/);
		// No title given: the touchpoint's.
		const tpTitle = (await journeyChoices(db, editor, workspaceId))[0].touchpoints[0].title;
		expect(form.title).toBe(tpTitle);
		expect(form).toMatchObject({ askRating: 'nps', askContact: true, enabled: true, touchpointId });
		expect((await listForms(db, owner, workspaceId)).map((f) => f.id)).toContain(form.id);
		expect((await getPublicForm(db, form.slug)).id).toBe(form.id);

		await setFormEnabled(db, editor, workspaceId, form.id, false);
		expect(await status(() => getPublicForm(db, form.slug))).toBe(404);
		expect(await status(() => answer(form.slug, { text: 'Hello' }))).toBe(404);
		await setFormEnabled(db, editor, workspaceId, form.id, true);
		expect((await answer(form.slug, { text: 'Back again' })).stored).toBe(true);

		await deleteForm(db, owner, workspaceId, form.id);
		expect(await status(() => getPublicForm(db, form.slug))).toBe(404);
		expect(await status(() => getPublicForm(db, 'nope'))).toBe(404);
		expect(await status(() => getPublicForm(db, 'a'.repeat(32)))).toBe(404);
		// The feedback it collected stays.
		expect((await db.select().from(feedback).where(eq(feedback.text, 'Back again'))).length).toBe(1);
	});

	it('lets viewers and outsiders manage nothing', async () => {
		const db = database.db;
		const form = await createForm(db, owner, workspaceId, { journeyId, title: 'Tell us' });
		expect(await status(() => createForm(db, viewer, workspaceId, { journeyId, title: 'X' }))).toBe(403);
		expect(await status(() => listForms(db, viewer, workspaceId))).toBe(403);
		expect(await status(() => setFormEnabled(db, viewer, workspaceId, form.id, false))).toBe(403);
		expect(await status(() => deleteForm(db, viewer, workspaceId, form.id))).toBe(403);
		expect(await status(() => listForms(db, outsider, workspaceId))).toBe(404);
		expect(await status(() => deleteForm(db, outsider, workspaceId, form.id))).toBe(404);
		expect(await status(() => listForms(db, null, workspaceId))).toBe(401);
		// An outsider's own workspace cannot reach this form either.
		const theirs = (await db.select().from(feedbackForm).where(eq(feedbackForm.id, form.id)))[0];
		expect(theirs.enabled).toBe(true);
	});

	it('refuses a journey of another workspace, a touchpoint of no journey, an unknown rating', async () => {
		const db = database.db;
		const other = await makeWorkspace(db, owner);
		const foreign = await createJourney(db, owner, other.id, { title: 'Other', template: 'airline' });
		const err = async (input: Parameters<typeof createForm>[3]) => {
			try {
				await createForm(db, editor, workspaceId, input);
				return null;
			} catch (e) {
				return (e as { status: number; field?: string }).field ?? null;
			}
		};
		expect(await err({ journeyId: foreign.id })).toBe('journeyId');
		expect(await err({ journeyId: 'x' })).toBe('journeyId');
		expect(await err({ journeyId, touchpointId: 'not-a-touchpoint' })).toBe('touchpointId');
		expect(await err({ journeyId, askRating: 'stars10' })).toBe('askRating');
		expect(await err({ journeyId, title: 'x'.repeat(201) })).toBe('title');
	});

	it('stores a public answer with its rating and contact, on the form’s journey and touchpoint', async () => {
		const db = database.db;
		const form = await createForm(db, editor, workspaceId, {
			journeyId,
			touchpointId,
			title: 'Boarding',
			askRating: 'csat',
			askContact: 'on'
		});
		const result = await answer(form.slug, {
			text: '  Boarding was chaotic, nobody told us about the gate change.  ',
			rating: '2',
			name: 'Ana',
			email: 'Ana@Example.com',
			website: ''
		});
		expect(result.stored).toBe(true);
		const [row] = await db
			.select()
			.from(feedback)
			.where(eq(feedback.id, (result as { id: string }).id));
		expect(row).toMatchObject({
			workspaceId,
			journeyId,
			touchpointId,
			givenTouchpointId: touchpointId,
			text: 'Boarding was chaotic, nobody told us about the gate change.',
			channel: 'web_form',
			source: 'form',
			ratingKind: 'csat',
			ratingValue: 2,
			customerName: 'Ana',
			customerContact: 'ana@example.com',
			status: 'pending'
		});
		// Fields a person can fix are named.
		const field = async (fields: Record<string, string>) => {
			try {
				await answer(form.slug, fields);
				return null;
			} catch (e) {
				return (e as { field?: string }).field;
			}
		};
		expect(await field({ text: '   ' })).toBe('text');
		expect(await field({ text: 'ok', rating: '6' })).toBe('rating');
		expect(await field({ text: 'ok', email: 'not-an-email' })).toBe('email');
		expect(await field({ text: 'x'.repeat(20_001) })).toBe('text');
	});

	it('drops robots silently: honeypot filled, form sent too fast, forged or missing timestamp', async () => {
		const db = database.db;
		const form = await createForm(db, editor, workspaceId, { journeyId, title: 'Spam target' });
		const count = async () =>
			(
				await db
					.select()
					.from(feedback)
					.where(and(eq(feedback.source, 'form'), eq(feedback.text, 'BUY NOW')))
			).length;
		expect(await answer(form.slug, { text: 'BUY NOW', website: 'http://spam.example' })).toEqual({
			stored: false,
			reason: 'honeypot'
		});
		const fresh = await fillToken(db, form.slug);
		const ctx = { ip: ip(), limitPerIp: 10 };
		expect(await submitPublicForm(db, form.slug, { text: 'BUY NOW', started: fresh }, ctx)).toEqual({
			stored: false,
			reason: 'timing'
		});
		const old = await fillToken(db, form.slug, Date.now() - 60_000);
		const forged = old.replace(/\.(.)/, (_, c: string) => `.${c === 'A' ? 'B' : 'A'}`);
		expect((await submitPublicForm(db, form.slug, { text: 'BUY NOW', started: forged }, ctx)).stored).toBe(
			false
		);
		expect((await submitPublicForm(db, form.slug, { text: 'BUY NOW' }, ctx)).stored).toBe(false);
		// A token rendered for another form does not fit this one.
		const other = await createForm(db, editor, workspaceId, { journeyId, title: 'Other form' });
		const elsewhere = await fillToken(db, other.slug, Date.now() - 60_000);
		expect((await submitPublicForm(db, form.slug, { text: 'BUY NOW', started: elsewhere }, ctx)).stored).toBe(
			false
		);
		expect(await count()).toBe(0);
	});

	it('limits submissions per IP address (429 with the wait), other addresses unaffected', async () => {
		const db = database.db;
		const form = await createForm(db, editor, workspaceId, { journeyId, title: 'Limited' });
		const addr = ip();
		const started = await fillToken(db, form.slug, Date.now() - 5000);
		for (let i = 0; i < 3; i++)
			expect(
				(await submitPublicForm(db, form.slug, { text: `ok ${i}`, started }, { ip: addr, limitPerIp: 3 }))
					.stored
			).toBe(true);
		let refusal = null as { status: number; params: { minutes: number } } | null;
		try {
			await submitPublicForm(db, form.slug, { text: 'one more', started }, { ip: addr, limitPerIp: 3 });
		} catch (e) {
			refusal = e as never;
		}
		expect(refusal?.status).toBe(429);
		expect(refusal?.params.minutes).toBeGreaterThanOrEqual(1);
		expect(
			(await submitPublicForm(db, form.slug, { text: 'neighbour', started }, { ip: ip(), limitPerIp: 3 }))
				.stored
		).toBe(true);
	});

	it('stores manual entries as the author, with the channel, local time and touchpoint', async () => {
		const db = database.db;
		const input: ManualInput = {
			text: 'Called: the refund still has not arrived after three weeks.',
			channel: 'phone',
			receivedAt: '2026-01-15T09:30',
			tzOffset: '-60', // UTC+1
			journeyId,
			touchpointId,
			customerId: 'C-77',
			customerName: 'Marc',
			customerContact: 'marc@example.com',
			ratingKind: 'nps',
			ratingValue: '2'
		};
		const { id } = await createManualFeedback(db, editor, workspaceId, input);
		const [row] = await db.select().from(feedback).where(eq(feedback.id, id));
		expect(row).toMatchObject({
			source: 'manual',
			channel: 'phone',
			createdBy: editor.id,
			journeyId,
			touchpointId,
			customerId: 'C-77',
			ratingKind: 'nps',
			ratingValue: 2
		});
		expect(row.receivedAt.toISOString()).toBe('2026-01-15T08:30:00.000Z');

		const field = async (patch: Partial<ManualInput>, actor: { id: string } = editor) => {
			try {
				await createManualFeedback(db, actor, workspaceId, { ...input, ...patch });
				return null;
			} catch (e) {
				return (e as { field?: string; status: number }).field ?? (e as { status: number }).status;
			}
		};
		expect(await field({ text: '' })).toBe('text');
		expect(await field({ channel: 'pigeon' })).toBe('channel');
		expect(await field({ receivedAt: 'yesterday' })).toBe('receivedAt');
		expect(await field({ receivedAt: '2999-01-01T10:00' })).toBe('receivedAt');
		expect(await field({ ratingValue: '11' })).toBe('ratingValue');
		expect(await field({ touchpointId: 'nope' })).toBe('touchpointId');
		expect(await field({ journeyId: '', touchpointId })).toBe('journeyId');
		expect(await field({ customerName: 'x'.repeat(400) })).toBe('customerName');
		expect(await field({}, viewer)).toBe(403);
		expect(await field({}, outsider)).toBe(404);
		// Without journey, date or rating: still fine (a quick note), dated now.
		const before = Date.now();
		const quick = await createManualFeedback(db, owner, workspaceId, {
			...input,
			journeyId: '',
			touchpointId: '',
			receivedAt: '',
			ratingKind: 'none',
			ratingValue: ''
		});
		const [q] = await db.select().from(feedback).where(eq(feedback.id, quick.id));
		expect(q.journeyId).toBeNull();
		expect(q.receivedAt.getTime()).toBeGreaterThanOrEqual(before - 1000);
	});
});

describe.each(engines())('public form pages through the built app on $engine', ({ engine }) => {
	let server: TestServer;
	let owner: Client;
	let workspaceId: string;
	let slug: string;

	beforeAll(async () => {
		server = await startTestServer(engine, { FORM_LIMIT_PER_IP: '5' });
		owner = await signUp(server.url, 'Owner', 'owner@example.com');
		workspaceId = await createWorkspace(owner, 'Forms');
		const journeyId = await createJourneyByForm(owner, workspaceId, 'Trip', 'airline');
		const res = await owner.request(`/w/${workspaceId}/feedback/collect?/create`, {
			method: 'POST',
			form: {
				journeyId,
				touchpointId: '',
				title: 'How was your trip?',
				askRating: 'stars',
				askContact: 'on'
			},
			headers: { accept: 'application/json', 'x-sveltekit-action': 'true' }
		});
		expect(res.status).toBe(200);
		slug = /\b([a-z2-7]{32})\b/.exec(await res.text())![1];
	}, 120_000);
	afterAll(async () => {
		await server?.stop();
	});

	it('serves the form to anyone, frameable by any site, in the browser’s language', async () => {
		const res = await fetch(`${server.url}/f/${slug}?embed=1`, {
			headers: { 'accept-language': 'fr-FR,fr;q=0.9' }
		});
		expect(res.status).toBe(200);
		const csp = res.headers.get('content-security-policy') ?? '';
		expect(csp).toContain('frame-ancestors *');
		expect(csp).not.toContain("frame-ancestors 'none'");
		expect(csp).toMatch(/script-src 'self' 'nonce-/);
		expect(res.headers.get('x-frame-options')).toBeNull();
		const html = await res.text();
		expect(html).toContain('How was your trip?');
		expect(html).toContain('Votre avis');
		expect(html).toContain('name="website"');
		// Other pages still refuse framing.
		const signin = await fetch(`${server.url}/signin`);
		expect(signin.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
		expect(signin.headers.get('x-frame-options')).toBe('DENY');
	});

	it('takes an answer from a signed-out visitor and shows the thank-you page', async () => {
		const visitor = new Client(server.url);
		const page = await (await visitor.request(`/f/${slug}`)).text();
		const started = /name="started" value="([^"]+)"/.exec(page)![1];
		await new Promise((r) => setTimeout(r, 2100));
		const res = await visitor.post(`/f/${slug}`, {
			started,
			text: 'Lovely crew, but the plane was cold.',
			rating: '4',
			name: 'Lou',
			email: 'lou@example.com',
			website: ''
		});
		expect(res.status).toBe(303);
		expect(res.headers.get('location')).toBe(`/f/${slug}?sent=1`);
		const thanks = await (await visitor.request(`/f/${slug}?sent=1`)).text();
		expect(thanks).toContain('data-testid="thanks"');
		// A field to fix comes back with the message and the values kept.
		const bad = await visitor.post(`/f/${slug}`, { started, text: 'Nice', rating: '9', website: '' });
		expect(bad.status).toBe(400);
		const body = await bad.text();
		expect(body).toContain('Choose a score from 1 to 5.');
		expect(body).toContain('Nice');
	});

	it('answers 404 for unknown and closed forms, and 429 past the per-IP limit', async () => {
		expect((await fetch(`${server.url}/f/${'a'.repeat(32)}`)).status).toBe(404);
		expect((await fetch(`${server.url}/f/short`)).status).toBe(404);
		const visitor = new Client(server.url);
		let last = 0;
		for (let i = 0; i < 6 && last !== 429; i++) {
			const res = await visitor.post(`/f/${slug}`, { text: 'spam?', website: 'x' });
			last = res.status;
			await res.arrayBuffer();
		}
		expect(last).toBe(429);
		const res = await visitor.post(`/f/${slug}`, { text: 'again', website: '' });
		expect(res.status).toBe(429);
		expect(await res.text()).toMatch(/data-testid="form-error">Too many messages[^<]*try again in \d+ min/);
	});
});
