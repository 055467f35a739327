/**
 * Loops through the app's pages and form actions, as a browser sends them: creating a loop from the
 * form, a viewer refused moves and edits with the translated reason, the owner of an action (a viewer)
 * changing its status and noting it, another workspace's member answered 404, and the list's filters.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	Client,
	createJourneyByForm,
	createWorkspace,
	inviteLink,
	signUp,
	startTestServer,
	type TestServer
} from './helpers/server';
import { engines } from './helpers/db';

/** Posts a form action the way `use:enhance` does: the answer is `{ type, status, data }` as JSON. */
async function action(client: Client, path: string, form: Record<string, string>) {
	const res = await client.request(path, {
		method: 'POST',
		form,
		headers: { accept: 'application/json', 'x-sveltekit-action': 'true' }
	});
	const body = (await res.json()) as { type: string; status: number; data?: string; location?: string };
	return { ...body, text: body.data ?? '' };
}

describe.each(engines())('loop pages on $engine', ({ engine }) => {
	let server: TestServer;
	let owner: Client;
	let viewer: Client;
	let outsider: Client;
	let ws: string;
	let journeyId: string;
	let loopPath: string;
	let viewerId: string;

	beforeAll(async () => {
		server = await startTestServer(engine);
		owner = await signUp(server.url, 'Olivia Owner', 'owner@example.com');
		ws = await createWorkspace(owner, 'Loops');
		journeyId = await createJourneyByForm(owner, ws, 'Flights', 'airline');
		viewer = await signUp(server.url, 'Victor Viewer', 'viewer@example.com');
		await viewer.post(await inviteLink(owner, ws, 'viewer'), {});
		outsider = await signUp(server.url, 'Oscar Outsider', 'outsider@example.com');
		await createWorkspace(outsider, 'Elsewhere');
	}, 120_000);
	afterAll(async () => {
		await server?.stop();
	});

	it('creates a loop from the new-loop form, prefilled from the query', async () => {
		const page = await (await owner.request(`/w/${ws}/loops/new?journey=${journeyId}`)).text();
		const touchpoint = /name="touchpointIds" value="([^"]+)"/.exec(page)![1];
		viewerId = />Victor Viewer</.test(page)
			? /<option value="([0-9a-f-]{36})">Victor Viewer<\/option>/.exec(page)![1]
			: '';
		expect(viewerId).not.toBe('');

		const refused = await owner.post(`/w/${ws}/loops/new?/create`, {
			title: 'Late gates',
			journeyId,
			touchpointIds: 'not-on-the-map'
		});
		expect(refused.status).toBe(400);
		expect(await refused.text()).toContain('is not on this journey’s map');

		const res = await owner.post(`/w/${ws}/loops/new?/create`, {
			title: 'Late gates',
			journeyId,
			touchpointIds: touchpoint,
			problem: 'Nobody announces gate changes'
		});
		expect(res.status).toBe(303);
		loopPath = res.headers.get('location')!;
		expect(loopPath).toMatch(new RegExp(`^/w/${ws}/loops/[0-9a-f-]{36}$`));
		const loop = await owner.request(loopPath);
		expect(loop.status).toBe(200);
		const html = await loop.text();
		expect(html).toContain('Late gates');
		expect(html).toContain('Move to Solve');
	});

	it('lets a viewer read but not move or edit, and tells why', async () => {
		const page = await viewer.request(loopPath);
		expect(page.status).toBe(200);
		expect(await page.text()).not.toContain('Move to Solve');
		const move = await action(viewer, `${loopPath}?/move`, { to: 'solve' });
		expect(move.status).toBe(403);
		expect(move.text).toContain('This needs the editor role');
		const edit = await action(viewer, `${loopPath}?/edit`, { title: 'Mine now' });
		expect(edit.status).toBe(403);
		expect((await outsider.request(loopPath)).status).toBe(404);
	});

	it('lets the owner of an action, a viewer, change its status and note it, and nothing else', async () => {
		expect((await action(owner, `${loopPath}?/move`, { to: 'solve' })).type).toBe('success');
		const added = await action(owner, `${loopPath}?/addAction`, {
			title: 'Announce gate changes by SMS',
			ownerId: viewerId,
			dueDate: '2020-01-15'
		});
		expect(added.type).toBe('success');
		const page = await (await viewer.request(loopPath)).text();
		const actionId = /id="a-status-([0-9a-f-]{36})"/.exec(page)![1];
		// The viewer sees their action's status as a control, not its title.
		expect(page).not.toContain(`id="a-title-${actionId}"`);

		const status = await action(viewer, `${loopPath}?/updateAction`, { id: actionId, status: 'doing' });
		expect(status.type).toBe('success');
		const rename = await action(viewer, `${loopPath}?/updateAction`, { id: actionId, title: 'Renamed' });
		expect(rename.status).toBe(403);
		const note = await action(viewer, `${loopPath}?/note`, { id: actionId, note: 'Supplier contacted' });
		expect(note.type).toBe('success');
		const empty = await action(viewer, `${loopPath}?/note`, { id: actionId, note: '  ' });
		expect(empty.status).toBe(400);

		const after = await (await owner.request(loopPath)).text();
		expect(after).toContain('Supplier contacted');
		expect(after).toContain('set “Announce gate changes by SMS” to Doing');

		// The action is overdue: the list's filter finds the loop; a stage filter that does not match hides it.
		const list = await (await owner.request(`/w/${ws}/loops?overdue=1&view=list`)).text();
		expect(list).toContain('Late gates');
		const other = await (await owner.request(`/w/${ws}/loops?stage=measure&view=list`)).text();
		expect(other).not.toContain('Late gates');
	});

	it('adds an inbox item to an open loop of its journey from the item page', async () => {
		const keyPage = await owner.post(`/w/${ws}/settings?/createApiKey`, { name: 'Loops' });
		const key = /pk_[a-z2-7]{32}/.exec(await keyPage.text())![0];
		const posted = await fetch(`${server.url}/api/v1/feedback`, {
			method: 'POST',
			headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
			body: JSON.stringify({
				channel: 'email',
				received_at: new Date().toISOString(),
				journey_id: journeyId,
				text: 'The gate changed twice and nobody said a word.',
				customer: { name: 'Marie Dupont', contact: 'marie@example.com' }
			})
		});
		expect(posted.status).toBe(201);
		const { id: itemId } = (await posted.json()) as { id: string };
		const itemPath = `/w/${ws}/feedback/${itemId}`;
		const page = await (await owner.request(itemPath)).text();
		expect(page).toContain('Add to a loop');
		expect(page).toContain(`/loops/new?journey=${journeyId}&amp;items=${itemId}`);
		const loopId = loopPath.split('/').pop()!;
		expect(page).toContain(`<option value="${loopId}">Late gates`);

		// A viewer neither sees the control nor may use it.
		expect(await (await viewer.request(itemPath)).text()).not.toContain('Add to a loop');
		expect((await action(viewer, `${itemPath}?/addToLoop`, { loopId })).status).toBe(403);
		expect((await action(owner, `${itemPath}?/addToLoop`, { loopId })).type).toBe('success');
		expect(await (await owner.request(loopPath)).text()).toContain('The gate changed twice');
	});
});
