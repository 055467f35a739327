/**
 * Starts the built app (`npm run build` first) as its own process on port 0, the way `npm start` runs
 * it, on a fresh embedded database or a fresh PostgreSQL database.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DbEngine } from '../../../src/lib/server/db';
import { openFreshPostgres } from './db';

export interface TestServer {
	url: string;
	/** Set on PostgreSQL: the test database the server uses. */
	databaseUrl?: string;
	process: ChildProcess;
	/** The embedded database's directory (also set on PostgreSQL, where it stays empty). */
	dataDir: string;
	output: () => string;
	/** Stops the process gracefully and starts a new one on the same database (with some env changed). */
	restart(overrides?: Record<string, string>): Promise<void>;
	/**
	 * Kills the process with SIGKILL, as a crash or the kernel's OOM killer would: no shutdown hook runs,
	 * nothing is flushed. The database stays; `start()` runs a new process on it.
	 */
	crash(): Promise<void>;
	/** Stops the process gracefully and keeps the database, for `start()` or for reading it from the test. */
	halt(): Promise<void>;
	/**
	 * Starts a new process on the same database after `crash()` or `halt()` (with some env changed; a new
	 * port unless `{ PORT: server.port }` keeps the address clients know).
	 */
	start(overrides?: Record<string, string>): Promise<void>;
	/** The port the current process listens on. */
	readonly port: string;
	/** Stops the process and deletes the database. */
	stop(): Promise<void>;
}

export async function startTestServer(
	engine: DbEngine,
	env: Record<string, string> = {}
): Promise<TestServer> {
	if (!fs.existsSync(path.resolve(process.env.BUILD_DIR || 'build', 'handler.js'))) {
		throw new Error('No build found: run `npm run build` before the HTTP integration tests (npm test does).');
	}
	const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parcours-test-'));
	let dropDatabase: (() => Promise<void>) | null = null;
	const dbEnv: Record<string, string> = { DATA_DIR: dataDir };
	if (engine === 'postgres') {
		const pg = await openFreshPostgres(process.env.TEST_DATABASE_URL!);
		dbEnv.DATABASE_URL = pg.url;
		dropDatabase = () => pg.close();
	}
	const childEnv = {
		...process.env,
		PORT: '0',
		HOST: '127.0.0.1',
		LOG_LEVEL: 'silent',
		PRINT_URL: '1',
		SEED_DEMO: 'false',
		...dbEnv,
		...env
	};
	let { child, url, output } = await spawnServer(childEnv);
	const server: TestServer = {
		url,
		databaseUrl: dbEnv.DATABASE_URL,
		dataDir,
		process: child,
		output: () => output(),
		get port() {
			return new URL(server.url).port;
		},
		async restart(overrides: Record<string, string> = {}) {
			await server.halt();
			await server.start(overrides);
		},
		crash: () => stopChild(server.process, 'SIGKILL'),
		halt: () => stopChild(server.process),
		async start(overrides: Record<string, string> = {}) {
			if (server.process.exitCode === null && server.process.signalCode === null) {
				throw new Error('the server is still running: crash() or halt() it first');
			}
			Object.assign(childEnv, overrides);
			({ child, url, output } = await spawnServer(childEnv));
			server.process = child;
			server.url = url;
		},
		async stop() {
			await stopChild(server.process);
			fs.rmSync(dataDir, { recursive: true, force: true });
			if (dropDatabase) await dropDatabase();
		}
	};
	return server;
}

/** Ends the process with `signal` (SIGTERM: a graceful stop, killed after 10 s) and waits for its exit. */
async function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) return;
	const exited = new Promise((r) => child.once('exit', r));
	child.kill(signal);
	await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
	if (child.exitCode === null && child.signalCode === null) {
		child.kill('SIGKILL');
		await exited;
	}
}

async function spawnServer(
	env: NodeJS.ProcessEnv
): Promise<{ child: ChildProcess; url: string; output: () => string }> {
	const child = spawn(process.execPath, ['--import', 'tsx', 'server/index.ts'], {
		env,
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let out = '';
	child.stdout!.on('data', (d) => (out += d));
	child.stderr!.on('data', (d) => (out += d));
	const url = await new Promise<string>((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`server did not start in 120 s:\n${out}`)), 120_000);
		const onData = () => {
			const m = /listening on (http:\/\/\S+)/.exec(out);
			if (m) {
				clearTimeout(timer);
				resolve(m[1]);
			}
		};
		child.stdout!.on('data', onData);
		child.once('exit', (code) => {
			clearTimeout(timer);
			reject(new Error(`server exited with ${code}:\n${out}`));
		});
	});
	return { child, url, output: () => out };
}

/** A browser-like client: keeps its cookies and sends the Origin header SvelteKit's CSRF check wants. */
export class Client {
	cookies = new Map<string, string>();
	constructor(readonly base: string) {}

	async request(
		pathname: string,
		init: RequestInit & { form?: Record<string, string> } = {}
	): Promise<Response> {
		const headers = new Headers(init.headers);
		headers.set('origin', this.base);
		if (!headers.has('accept')) headers.set('accept', 'text/html');
		if (this.cookies.size) headers.set('cookie', [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '));
		let body = init.body;
		if (init.form) {
			body = new URLSearchParams(init.form).toString();
			headers.set('content-type', 'application/x-www-form-urlencoded');
		}
		const res = await fetch(this.base + pathname, { ...init, body, headers, redirect: 'manual' });
		for (const c of res.headers.getSetCookie()) {
			const [pair, ...attrs] = c.split(';');
			const [name, value] = pair.split('=');
			const expired = attrs.some((a) => /max-age=0|expires=thu, 01 jan 1970/i.test(a.trim()));
			if (expired || value === '') this.cookies.delete(name.trim());
			else this.cookies.set(name.trim(), value);
		}
		return res;
	}

	post(pathname: string, form: Record<string, string>) {
		return this.request(pathname, { method: 'POST', form });
	}
}

export async function signUp(base: string, name: string, email: string, password = 'a long passphrase') {
	const client = new Client(base);
	const res = await client.post('/signup', { name, email, password, next: '/' });
	if (res.status !== 303 || !client.cookies.has('parcours_session')) {
		throw new Error(`sign-up failed: ${res.status} ${await res.text()}`);
	}
	return client;
}

export async function createWorkspace(client: Client, name: string): Promise<string> {
	const res = await client.post('/w/new', { name });
	const m = /\/w\/([0-9a-f-]{36})\//.exec(res.headers.get('location') ?? '');
	if (!m) throw new Error(`workspace creation failed: ${res.status}`);
	return m[1];
}

/** Creates a journey through the journeys page's form; returns its id. */
export async function createJourneyByForm(
	client: Client,
	workspaceId: string,
	title: string,
	template = 'default'
): Promise<string> {
	const res = await client.post(`/w/${workspaceId}/journeys?/create`, { title, template });
	const m = /journeys\/([0-9a-f-]{36})$/.exec(res.headers.get('location') ?? '');
	if (!m) throw new Error(`journey creation failed: ${res.status}`);
	return m[1];
}

export async function inviteLink(owner: Client, workspaceId: string, role: string): Promise<string> {
	const res = await owner.post(`/w/${workspaceId}/settings?/createInvite`, { role });
	const m = /\/invite\/([a-z2-7]{32})/.exec(await res.text());
	if (!m) throw new Error('no invite link in the page');
	return `/invite/${m[1]}`;
}
