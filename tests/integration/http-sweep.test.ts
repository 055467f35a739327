/**
 * Malformed input to every page, form action and endpoint, as every kind of user: the answer is always a
 * 4xx (or a redirect or success), never a 500, and a refusal carries a message.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from './helpers/db';
import { discoverRoutes } from './helpers/routes';
import {
	Client,
	createWorkspace,
	inviteLink,
	signUp,
	startTestServer,
	type TestServer,
	createJourneyByForm
} from './helpers/server';

const HUGE = 'x'.repeat(1024 * 1024);
const BIG = 'é'.repeat(100_000);

function payloads(
	fields: string[]
): { label: string; init: RequestInit & { form?: Record<string, string> } }[] {
	// Every field gets the same value, except a confirmation: a rename to "x" followed by a deletion
	// confirmed with "x" would be a valid request that empties the workspace the sweep runs in.
	const all = (v: string) =>
		Object.fromEntries(fields.map((f) => [f, f === 'confirm' ? `${v} (not confirmed)` : v]));
	const multipart = new FormData();
	for (const f of fields) multipart.append(f, new Blob(['%PDF-1.4 not text']), 'file.pdf');
	return [
		{ label: 'empty form', init: { form: {} } },
		{ label: 'empty fields', init: { form: all('') } },
		{ label: 'unknown ids', init: { form: all(crypto.randomUUID()) } },
		{ label: 'wrong types', init: { form: all('{"$ne":null}') } },
		{ label: 'NUL bytes', init: { form: all('a\u0000b@example.com') } },
		{ label: 'invalid UTF-16', init: { form: all('\ud800x') } },
		{ label: '100 KB strings', init: { form: all(BIG) } },
		{ label: '1 MB string', init: { form: { ...all('x'), [fields[0] ?? 'x']: HUGE } } },
		{ label: 'files instead of text', init: { body: multipart } },
		{
			label: 'JSON instead of a form',
			init: { body: JSON.stringify(all('1')), headers: { 'content-type': 'application/json' } }
		},
		{
			label: 'garbage bytes',
			init: {
				body: new Uint8Array([0xff, 0xfe, 0x00, 0x80]),
				headers: { 'content-type': 'application/x-www-form-urlencoded' }
			}
		}
	];
}

describe.each(engines())('HTTP sweep on $engine', ({ engine }) => {
	let server: TestServer;
	let actors: Record<string, Client>;
	let workspaceId: string;
	let journeyId: string;
	let passwordFor: Map<Client, string>;

	beforeAll(async () => {
		server = await startTestServer(engine, {
			SIGNIN_LIMIT_PER_IP: '100000',
			SIGNUP_LIMIT_PER_IP: '100000',
			SIGNIN_LIMIT_PER_EMAIL: '100000'
		});
		const owner = await signUp(server.url, 'Owner', 'owner@example.com');
		workspaceId = await createWorkspace(owner, 'Swept');
		journeyId = await createJourneyByForm(owner, workspaceId, 'Swept journey', 'default');
		const viewer = await signUp(server.url, 'Viewer', 'viewer@example.com');
		const link = await inviteLink(owner, workspaceId, 'viewer');
		await viewer.post(link, {});
		const outsider = await signUp(server.url, 'Outsider', 'outsider@example.com');
		await createWorkspace(outsider, 'Elsewhere');
		actors = { anonymous: new Client(server.url), owner, viewer, outsider };
		passwordFor = new Map([owner, viewer, outsider].map((c) => [c, 'a long passphrase']));
	}, 120_000);

	afterAll(async () => {
		await server?.stop();
	});

	const emails: Record<string, string> = {
		owner: 'owner@example.com',
		viewer: 'viewer@example.com',
		outsider: 'outsider@example.com'
	};

	/** Some actions (sign-out, account deletion attempts) end the session: sign back in. */
	async function ensureSignedIn(who: string) {
		const c = actors[who];
		if (who === 'anonymous' || c.cookies.has('parcours_session')) return;
		await c.post('/signin', { email: emails[who], password: passwordFor.get(c)!, next: '/' });
	}

	function fill(pattern: string, variant: 'real' | 'unknown' | 'garbage'): string {
		const id = (real: string) =>
			variant === 'real' ? real : variant === 'unknown' ? crypto.randomUUID() : 'zz%27--';
		return pattern
			.replace('[workspaceId]', id(workspaceId))
			.replace('[journeyId]', id(journeyId))
			.replace('[token]', variant === 'garbage' ? '..%2F..%2Fetc' : 'a'.repeat(32));
	}

	const routes = discoverRoutes();

	it('finds the routes to sweep', () => {
		const patterns = routes.map((r) => r.pattern);
		expect(patterns).toContain('/w/[workspaceId]/settings');
		expect(patterns).toContain('/signin');
		expect(routes.flatMap((r) => r.actions).length).toBeGreaterThan(10);
	});

	it('never answers 5xx to a page request', async () => {
		const problems: string[] = [];
		for (const route of routes.filter((r) => r.isPage)) {
			for (const variant of ['real', 'unknown', 'garbage'] as const) {
				for (const who of Object.keys(actors)) {
					await ensureSignedIn(who);
					const p = fill(route.pattern, variant);
					const res = await actors[who].request(p);
					if (res.status >= 500) problems.push(`${who} GET ${p} → ${res.status}`);
					await res.arrayBuffer();
				}
			}
		}
		expect(problems).toEqual([]);
	});

	it('never answers 5xx to a form action, and refusals say why', async () => {
		const problems: string[] = [];
		for (const route of routes) {
			for (const action of route.actions) {
				for (const { label, init } of payloads(action.fields)) {
					for (const who of Object.keys(actors)) {
						for (const variant of ['real', 'unknown'] as const) {
							await ensureSignedIn(who);
							const p = fill(route.pattern, variant) + (action.name === 'default' ? '' : `?/${action.name}`);
							// Enhanced-form mode: SvelteKit answers with a JSON description of the result.
							const res = await actors[who].request(p, {
								method: 'POST',
								...init,
								headers: {
									...(init.headers as object),
									accept: 'application/json',
									'x-sveltekit-action': 'true'
								}
							});
							const text = await res.text();
							const what = `${who} POST ${p} [${label}] → ${res.status} ${text.slice(0, 160)}`;
							if (res.status >= 500) {
								problems.push(what);
								continue;
							}
							if (res.headers.get('content-type')?.includes('json')) {
								const result = JSON.parse(text) as {
									type: string;
									data?: string;
									error?: { message?: string };
								};
								if (result.type === 'error' && !result.error?.message) problems.push(`${what} (no message)`);
								if (result.type === 'failure' && !/message/.test(result.data ?? ''))
									problems.push(`${what} (no message)`);
								if (
									who === 'anonymous' &&
									result.type === 'success' &&
									!['/signin', '/signup', '/locale', '/signout'].includes(route.pattern)
								) {
									problems.push(`${what} (anonymous succeeded)`);
								}
							} else if (res.status >= 400 && text.length === 0) {
								problems.push(`${what} (empty refusal)`);
							}
						}
					}
				}
			}
		}
		expect(problems).toEqual([]);
	}, 300_000);

	it('never answers 5xx to an endpoint, with any Authorization header', async () => {
		const problems: string[] = [];
		const auths = [
			'',
			'Bearer',
			'Bearer pk_' + 'a'.repeat(32),
			'Basic Zm9vOmJhcg==',
			'Bearer ' + HUGE.slice(0, 8000)
		];
		for (const route of routes) {
			for (const method of route.endpointMethods) {
				for (const authorization of auths) {
					for (const body of [undefined, '{', JSON.stringify({ items: [{}] }), BIG]) {
						let res: Response;
						let text: string;
						try {
							res = await actors.anonymous.request(fill(route.pattern, 'real'), {
								method,
								headers: authorization
									? { authorization, 'content-type': 'application/json' }
									: { 'content-type': 'application/json' },
								body: method === 'GET' ? undefined : body
							});
							text = await res.text();
						} catch (e) {
							// A reset connection is a failure too: name the route that caused it.
							problems.push(
								`${method} ${route.pattern} [${authorization.slice(0, 20)}] body ${body?.length ?? 0}: ${(e as Error).cause ?? e}`
							);
							continue;
						}
						if (res.status >= 500)
							problems.push(`${method} ${route.pattern} [${authorization.slice(0, 20)}] → ${res.status}`);
						if (res.status >= 400 && text.length === 0)
							problems.push(`${method} ${route.pattern}: empty refusal`);
						if (res.status === 401 && route.pattern.startsWith('/api/') && !JSON.parse(text).error?.message)
							problems.push(`${method} ${route.pattern}: 401 without message`);
					}
				}
			}
		}
		expect(problems).toEqual([]);
	}, 120_000);

	it('answers 404 to a member of another workspace on every page of this one, and 401/redirect to anonymous', async () => {
		await ensureSignedIn('outsider');
		for (const route of routes.filter((r) => r.isPage && r.pattern.includes('[workspaceId]'))) {
			const p = fill(route.pattern, 'real');
			const res = await actors.outsider.request(p);
			expect(res.status, `outsider GET ${p}`).toBe(404);
			await res.arrayBuffer();
			const anon = await actors.anonymous.request(p);
			expect(anon.status, `anonymous GET ${p}`).toBe(303);
			expect(anon.headers.get('location')).toMatch(/^\/signin\?next=/);
		}
		const exported = await actors.outsider.request(`/w/${workspaceId}/journeys/${journeyId}/export`);
		expect(exported.status).toBe(404);
	});

	it('refuses a cross-site form post (CSRF) and changes nothing', async () => {
		const res = await fetch(`${server.url}/w/${workspaceId}/settings?/rename`, {
			method: 'POST',
			headers: {
				origin: 'https://evil.example',
				'content-type': 'application/x-www-form-urlencoded',
				cookie: [...actors.owner.cookies].map(([k, v]) => `${k}=${v}`).join('; ')
			},
			body: 'name=Pwned'
		});
		expect(res.status).toBe(403);
		await ensureSignedIn('owner');
		expect(await (await actors.owner.request(`/w/${workspaceId}/settings`)).text()).not.toContain('Pwned');
	});

	it('sends the security headers: a nonce-based CSP, no framing, no sniffing', async () => {
		const res = await fetch(`${server.url}/signin`);
		const csp = res.headers.get('content-security-policy') ?? '';
		expect(csp).toMatch(/script-src 'self' 'nonce-[^']+'/);
		expect(csp).toContain("frame-ancestors 'none'");
		expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
		expect(res.headers.get('x-content-type-options')).toBe('nosniff');
		expect(res.headers.get('x-frame-options')).toBe('DENY');
		expect(res.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
		const html = await res.text();
		const nonce = /'nonce-([^']+)'/.exec(csp)![1];
		// Every inline script carries the nonce.
		for (const tag of html.match(/<script(?![^>]*\bsrc=)[^>]*>/g) ?? [])
			expect(tag).toContain(`nonce="${nonce}"`);
	});

	it('sets the session cookie httpOnly and SameSite=Lax, and Secure only over HTTPS', async () => {
		const res = await fetch(`${server.url}/signin`, {
			method: 'POST',
			redirect: 'manual',
			headers: {
				origin: server.url,
				'content-type': 'application/x-www-form-urlencoded',
				accept: 'text/html'
			},
			body: new URLSearchParams({
				email: 'owner@example.com',
				password: 'a long passphrase',
				next: '/'
			}).toString()
		});
		const cookie = res.headers.getSetCookie().find((c) => c.startsWith('parcours_session='))!;
		expect(cookie).toMatch(/HttpOnly/i);
		expect(cookie).toMatch(/SameSite=Lax/i);
		expect(cookie).not.toMatch(/Secure/i);
		expect(cookie).toMatch(/Expires=/i);
	});

	it('left what matters intact: the workspace and its owner', async () => {
		// The sweep sends valid requests too (a rename, a viewer leaving); what must never happen is
		// losing the workspace or its owner.
		await ensureSignedIn('owner');
		const res = await actors.owner.request(`/w/${workspaceId}/settings`);
		expect(res.status).toBe(200);
		const page = await res.text();
		expect(page).toContain('Your role: Owner');
		expect(page).toContain('action="?/rename"');
	});
});
