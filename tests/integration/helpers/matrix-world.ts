/**
 * The seeded workspace the access matrix runs in, built through the app as its owner: members of every
 * role, a member of another workspace, and one real thing of each kind a route can name.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import postgres from 'postgres';
import { Client, createJourneyByForm, createWorkspace, inviteLink, signUp, type TestServer } from './server';

export const ROLES = ['anonymous', 'outsider', 'viewer', 'editor', 'owner'] as const;
export type Role = (typeof ROLES)[number];

export const PASSWORD = 'a long passphrase';
export const NAMES: Record<Exclude<Role, 'anonymous'>, string> = {
	owner: 'Olivia Owner',
	editor: 'Edith Editor',
	viewer: 'Victor Viewer',
	outsider: 'Oscar Outsider'
};

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

/** The ids of the hidden inputs named `name` in a page (`<input … name="x" value="…">`, either order). */
export function hiddenIds(html: string, name: string, value = UUID): string[] {
	const ids = new Set<string>();
	for (const tag of html.match(/<input[^>]*>/g) ?? []) {
		if (!tag.includes(`name="${name}"`)) continue;
		const m = new RegExp(`value="(${value})"`).exec(tag);
		if (m) ids.add(m[1]);
	}
	return [...ids];
}

export function firstUuid(text: string): string {
	const m = new RegExp(UUID).exec(text);
	if (!m) throw new Error(`no id in ${text.slice(0, 300)}`);
	return m[0];
}

/** Runs `create` and answers the one id of `name` that appeared on the page. */
export async function newHiddenId(
	client: Client,
	page: string,
	name: string,
	create: () => Promise<unknown>,
	value = UUID
): Promise<string> {
	const read = async () => hiddenIds(await (await client.request(page)).text(), name, value);
	const before = new Set(await read());
	const made = await create();
	const fresh = (await read()).filter((id) => !before.has(id));
	if (fresh.length !== 1)
		throw new Error(
			`expected one new ${name} on ${page}, found ${fresh.length} (${JSON.stringify(made).slice(0, 300)})`
		);
	return fresh[0];
}

/** A form action in enhanced mode: SvelteKit's JSON description of the result. */
export async function action(
	client: Client,
	pathname: string,
	form: Record<string, string | string[]>
): Promise<{ type: string; status?: number; location?: string; data?: string }> {
	const res = await client.request(pathname, {
		method: 'POST',
		body: formBody(form),
		headers: {
			accept: 'application/json',
			'x-sveltekit-action': 'true',
			'content-type': 'application/x-www-form-urlencoded'
		}
	});
	return (await res.json()) as { type: string; status?: number; location?: string; data?: string };
}

export function formBody(form: Record<string, string | string[]>): string {
	const body = new URLSearchParams();
	for (const [k, v] of Object.entries(form)) for (const one of [v].flat()) body.append(k, one);
	return body.toString();
}

export interface World {
	server: TestServer;
	actors: Record<Role, Client>;
	userIds: Record<Exclude<Role, 'anonymous'>, string>;
	ws: string;
	otherWs: string;
	journey: string;
	touchpoint: string;
	apiKey: string;
	otherApiKey: string;
	item: string;
	loop: string;
	/** An action and a follow-up of `loop`, assigned to the editor. */
	loopAction: string;
	followUp: string;
	alert: string | null;
	comment: string;
	version: string;
	importId: string;
	formId: string;
	formSlug: string;
	/** The public form's signed render time, taken at seeding so the answer is not too fast. */
	formStarted: string;
	webhook: string;
	hookUrl: string;
	template: string;
	/** Each member's own notification. */
	notifications: Record<'owner' | 'editor' | 'viewer', string>;
}

export async function postFeedback(world: Pick<World, 'server' | 'apiKey'>, item: Record<string, unknown>) {
	const res = await fetch(`${world.server.url}/api/v1/feedback`, {
		method: 'POST',
		headers: { authorization: `Bearer ${world.apiKey}`, 'content-type': 'application/json' },
		body: JSON.stringify(item)
	});
	if (res.status !== 201) throw new Error(`feedback refused: ${res.status} ${await res.text()}`);
	return ((await res.json()) as { id: string }).id;
}

export async function createApiKey(owner: Client, ws: string): Promise<string> {
	const res = await owner.post(`/w/${ws}/settings?/createApiKey`, { name: `key ${Date.now()}` });
	return /pk_[a-z2-7]{32}/.exec(await res.text())![0];
}

/** A signed-up user who is a member of `ws` with `role`, for actions that end their membership. */
export async function disposableMember(world: World, role: 'owner' | 'editor' | 'viewer', ws = world.ws) {
	const n = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
	const client = await signUp(world.server.url, `Temp ${n}`, `temp-${n}@example.com`, PASSWORD);
	await client.post(await inviteLink(world.actors.owner, ws, role), {});
	return client;
}

const NEGATIVE = [
	'My luggage was lost and nobody at the desk could help. Terrible service.',
	'The bag drop was a disaster, they lost my suitcase, awful.',
	'Horrible experience, my baggage never arrived and staff were rude.',
	'Lost luggage again, furious, nobody answers the phone.'
];

/**
 * Accepts every webhook delivery at once, so none is left to retry while the matrix compares the
 * database before and after a refusal.
 */
export async function webhookReceiver() {
	const server = http.createServer((req, res) => {
		req.resume();
		req.on('end', () => res.writeHead(204).end());
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		close: () => new Promise((resolve) => server.close(resolve))
	};
}

export async function seedWorld(server: TestServer, hookUrl: string): Promise<World> {
	const url = server.url;
	const owner = await signUp(url, NAMES.owner, 'owner@example.com', PASSWORD);
	const editor = await signUp(url, NAMES.editor, 'editor@example.com', PASSWORD);
	const viewer = await signUp(url, NAMES.viewer, 'viewer@example.com', PASSWORD);
	const outsider = await signUp(url, NAMES.outsider, 'outsider@example.com', PASSWORD);
	const ws = await createWorkspace(owner, 'Matrix');
	await editor.post(await inviteLink(owner, ws, 'editor'), {});
	await viewer.post(await inviteLink(owner, ws, 'viewer'), {});
	const otherWs = await createWorkspace(outsider, 'Elsewhere');
	const otherApiKey = await createApiKey(outsider, otherWs);
	const journey = await createJourneyByForm(owner, ws, 'Trip', 'airline');
	const file = (await (await owner.request(`/w/${ws}/journeys/${journey}/export`)).json()) as {
		journey: { stages: Array<{ touchpoints: Array<{ id: string }> }> };
	};
	const touchpoint = file.journey.stages.flatMap((s) => s.touchpoints)[0].id;
	const apiKey = await createApiKey(owner, ws);

	const members = await (await owner.request(`/w/${ws}/loops/new?journey=${journey}`)).text();
	const userId = (name: string) =>
		new RegExp(`<option value="(${UUID})"[^>]*>${name}</option>`).exec(members)?.[1] ?? '';
	const outsiderId = firstUuid(
		(await (await outsider.request(`/w/${otherWs}/settings`)).text()).match(
			new RegExp(`name="userId" value="${UUID}"`)
		)?.[0] ?? ''
	);
	const userIds = {
		owner: userId(NAMES.owner),
		editor: userId(NAMES.editor),
		viewer: userId(NAMES.viewer),
		outsider: outsiderId
	};

	// A detector that opens an alert on a handful of complaints (three or more, three times the prior).
	const lenient = {
		windowMinutes: '120',
		baselineDays: '14',
		bucketMinutes: '5',
		minNegatives: '3',
		riseFactor: '3',
		alpha: '0.001',
		calmAlpha: '0.05',
		priorNegativesPerDay: '1',
		priorDays: '1',
		scoreDrop: '0.4',
		minScoreVolume: '8',
		quietMinutes: '60',
		maxItems: '200'
	};
	await action(owner, `/w/${ws}/settings/alerts?/save`, lenient);
	const world = { server, apiKey } as World;
	for (const text of [...NEGATIVE, ...NEGATIVE])
		await postFeedback(world, {
			text,
			channel: 'email',
			journey_id: journey,
			touchpoint_id: touchpoint,
			language: 'en'
		});
	const item = await postFeedback(world, {
		text: 'The gate changed twice and nobody said a word.',
		channel: 'email',
		journey_id: journey,
		touchpoint_id: touchpoint,
		customer: { name: 'Marie Dupont', contact: 'marie@example.com' }
	});

	const created = await owner.post(`/w/${ws}/loops/new?/create`, {
		title: 'Late gates',
		journeyId: journey,
		touchpointIds: touchpoint,
		problem: 'Nobody announces gate changes'
	});
	const loop = created.headers.get('location')!.split('/').pop()!;
	const loopPage = `/w/${ws}/loops/${loop}`;
	// Actions belong to the Solve stage.
	await action(owner, `${loopPage}?/move`, { to: 'solve' });
	const loopAction = await newHiddenId(owner, loopPage, 'id', () =>
		action(owner, `${loopPage}?/addAction`, { title: 'Announce gate changes', ownerId: userIds.editor })
	);
	const followUp = await newHiddenId(owner, loopPage, 'id', () =>
		action(owner, `${loopPage}?/proactive`, {
			customers: 'Ann Martin <ann@example.com>',
			assigneeId: userIds.editor
		})
	);

	const comments = `/w/${ws}/journeys/${journey}/comments`;
	const postComment = async (client: Client, body: string) => {
		const res = await client.request(comments, {
			method: 'POST',
			body: JSON.stringify({ body }),
			headers: { 'content-type': 'application/json', accept: 'application/json' }
		});
		return ((await res.json()) as { comment: { id: string } }).comment.id;
	};
	const comment = await postComment(editor, 'Is this the right order? @Olivia');
	await postComment(owner, 'Please check, @Edith and @Victor');

	const versionRes = await owner.request(`/w/${ws}/journeys/${journey}/versions`, {
		method: 'POST',
		body: JSON.stringify({ name: 'Seeded' }),
		headers: { 'content-type': 'application/json', accept: 'application/json' }
	});
	const version = ((await versionRes.json()) as { version: { id: string } }).version.id;

	const upload = new FormData();
	upload.append('file', new Blob(['text,channel\nGreat welcome,store\n']), 'items.csv');
	const importRes = await owner.request(`/w/${ws}/feedback/import/upload`, {
		method: 'POST',
		body: upload,
		headers: { accept: 'application/json' }
	});
	const importId = ((await importRes.json()) as { id: string }).id;

	const collect = `/w/${ws}/feedback/collect`;
	let formSlug = '';
	const formId = await newHiddenId(owner, collect, 'formId', async () => {
		const r = await action(owner, `${collect}?/create`, {
			journeyId: journey,
			touchpointId: touchpoint,
			title: 'How was your trip?',
			askRating: '',
			askContact: ''
		});
		formSlug = /"([a-z0-9]{8,})"/.exec(r.data ?? '')?.[1] ?? '';
	});

	const formPage = await (await new Client(url).request(`/f/${formSlug}`)).text();
	const formStarted = /name="started" value="([^"]+)"/.exec(formPage)?.[1] ?? '';

	const hook = await action(owner, `/w/${ws}/settings/webhooks?/create`, {
		url: `${hookUrl}/hook`,
		events: 'loop.created'
	});
	const webhook = firstUuid(hook.data ?? '');

	const template = await newHiddenId(owner, `/w/${ws}/templates`, 'templateId', () =>
		action(owner, `/w/${ws}/journeys?/saveTemplate`, { journeyId: journey, name: 'Seeded template' })
	);

	const notificationOf = async (client: Client) =>
		hiddenIds(await (await client.request(`/w/${ws}/notifications`)).text(), 'id')[0];

	let alert: string | null = null;
	for (let i = 0; i < 150 && !alert; i++) {
		const page = await (await owner.request(`/w/${ws}/alerts`)).text();
		alert = new RegExp(`/w/${ws}/alerts/(${UUID})`).exec(page)?.[1] ?? null;
		if (!alert) await new Promise((r) => setTimeout(r, 100));
	}

	return {
		server,
		actors: { anonymous: new Client(url), outsider, viewer, editor, owner },
		userIds,
		ws,
		otherWs,
		journey,
		touchpoint,
		apiKey,
		otherApiKey,
		item,
		loop,
		loopAction,
		followUp,
		alert,
		comment,
		version,
		importId,
		formId,
		formSlug,
		formStarted,
		webhook,
		hookUrl,
		template,
		notifications: {
			owner: await notificationOf(owner),
			editor: await notificationOf(editor),
			viewer: await notificationOf(viewer)
		}
	};
}

/**
 * A digest per table of the PostgreSQL database the server uses, read directly. Tables written by the
 * app's own bookkeeping on any request (sessions, rate limits, job claims, the detector's state) are left
 * out.
 */
export function databaseDigest(databaseUrl: string) {
	const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
	const skipped = new Set(['session', 'rate_limit', 'app_meta', 'alert_detector']);
	let query: string | null = null;
	async function read(): Promise<Map<string, string>> {
		if (!query) {
			const tables = (
				await sql<{ name: string }[]>`
					select table_name as name from information_schema.tables
					where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`
			)
				.map((t) => t.name)
				.filter((t) => !skipped.has(t));
			query = tables
				.map(
					(t) =>
						`select '${t}' as t, md5(coalesce(string_agg(x::text, '|' order by x::text), '')) as h from "${t}" x`
				)
				.join(' union all ');
		}
		const rows = await sql.unsafe<{ t: string; h: string }[]>(query);
		return new Map(rows.map((r) => [r.t, r.h]));
	}
	const same = (a: Map<string, string>, b: Map<string, string>) =>
		[...a].filter(([t, h]) => b.get(t) !== h).map(([t]) => t);
	return {
		/** Waits until background work (analysis, imports, deliveries) has settled, then reads. */
		async settled(): Promise<Map<string, string>> {
			for (let i = 0; i < 200; i++) {
				const [busy] = await sql<{ n: number }[]>`
					select (select count(*) from feedback where status = 'pending')
						+ (select count(*) from feedback_import where status = 'running') as n`;
				if (Number(busy.n) === 0) break;
				await new Promise((r) => setTimeout(r, 25));
			}
			let last = await read();
			for (let quiet = 0, i = 0; quiet < 2 && i < 200; i++) {
				await new Promise((r) => setTimeout(r, 30));
				const next = await read();
				quiet = same(last, next).length === 0 ? quiet + 1 : 0;
				last = next;
			}
			return last;
		},
		read,
		/** The tables whose content differs. */
		changed: same,
		close: () => sql.end()
	};
}
