/**
 * A real collaboration server on port 0 and real y-websocket clients in Node, for the collab tests
 * (and the collab benchmark). Clients authenticate with a `session` cookie on the upgrade request,
 * as browsers do; `testAuthenticate` stands in for the session and access checks.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { CollabServer } from '../../server/collab/server';
import { createCollabUpgradeHandler, type Authenticate } from '../../server/collab/ws';
import type { CollabLogger, CollabOptions } from '../../server/collab/types';
import { openJourney, type JourneyDocument } from '../../src/lib/journey';

/** Test users by session cookie value: editors, a viewer, and someone from another workspace. */
export const TEST_USERS: Record<string, { userId: string; readOnly: boolean } | 'forbidden'> = {
	alice: { userId: 'user-alice', readOnly: false },
	bob: { userId: 'user-bob', readOnly: false },
	carol: { userId: 'user-carol', readOnly: false },
	vera: { userId: 'user-vera', readOnly: true },
	oscar: 'forbidden'
};

export function cookieValue(req: http.IncomingMessage, name: string): string | undefined {
	for (const part of (req.headers.cookie ?? '').split(';')) {
		const [k, ...v] = part.trim().split('=');
		if (k === name) return decodeURIComponent(v.join('='));
	}
	return undefined;
}

export const testAuthenticate: Authenticate = (req) => {
	const session = cookieValue(req, 'session');
	const user = session ? TEST_USERS[session] : undefined;
	if (!user) return { ok: false, code: 4401, reason: 'sign in first' };
	if (user === 'forbidden') return { ok: false, code: 4403, reason: 'no access to this journey' };
	return { ok: true, context: user };
};

export interface LogLine {
	level: 'info' | 'warn' | 'error';
	message: string;
	details?: Record<string, unknown>;
}

export function captureLogger(): CollabLogger & { lines: LogLine[] } {
	const lines: LogLine[] = [];
	return {
		lines,
		info: (message, details) => lines.push({ level: 'info', message, details }),
		warn: (message, details) => lines.push({ level: 'warn', message, details }),
		error: (message, details) => lines.push({ level: 'error', message, details })
	};
}

export interface TestServer {
	/** Base URL for WebsocketProvider: ws://127.0.0.1:PORT/collab */
	url: string;
	port: number;
	collab: CollabServer;
	logger: ReturnType<typeof captureLogger>;
	/** Upgrade requests received, by journey id. */
	upgrades: Map<string, number>;
	close(): Promise<void>;
}

export async function startCollabServer(
	options: Omit<CollabOptions, 'logger'> & { authenticate?: Authenticate; port?: number }
): Promise<TestServer> {
	const logger = captureLogger();
	const collab = new CollabServer({
		unloadGraceMs: 200,
		storeDebounceMs: 20,
		storeMaxWaitMs: 200,
		...options,
		logger
	});
	const upgrade = createCollabUpgradeHandler({
		collab,
		authenticate: options.authenticate ?? testAuthenticate,
		logger
	});
	const upgrades = new Map<string, number>();
	const server = http.createServer((_req, res) => res.writeHead(404).end());
	server.on('upgrade', (req, socket, head) => {
		const id = (req.url ?? '').split('/').pop()!.split('?')[0];
		upgrades.set(id, (upgrades.get(id) ?? 0) + 1);
		if (!upgrade.handleUpgrade(req, socket, head)) socket.destroy();
	});
	await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `ws://127.0.0.1:${port}/collab`,
		port,
		collab,
		logger,
		upgrades,
		async close() {
			await collab.close();
			upgrade.close();
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		}
	};
}

/** A WebSocket class that sends a session cookie, as a signed-in browser would. */
export function webSocketWithCookie(session: string | undefined): typeof WebSocket {
	return class extends WebSocket {
		constructor(address: string | URL, protocols?: string | string[]) {
			super(address, protocols, session ? { headers: { cookie: `session=${session}` } } : {});
		}
	} as typeof WebSocket;
}

export interface TestClient {
	doc: Y.Doc;
	journey: JourneyDocument;
	provider: WebsocketProvider;
	/** Close codes the server sent. */
	closeCodes: number[];
	/** Resolves once the first sync with the server completed. */
	synced: Promise<void>;
	destroy(): void;
}

export function connectClient(
	server: { url: string },
	journeyId: string,
	session?: string,
	doc = new Y.Doc()
): TestClient {
	const provider = new WebsocketProvider(server.url, journeyId, doc, {
		WebSocketPolyfill: webSocketWithCookie(session) as never,
		// Node has BroadcastChannel: without this, clients in one process would sync without the server.
		disableBc: true,
		maxBackoffTime: 300
	});
	const closeCodes: number[] = [];
	provider.on('connection-close', (event) => {
		if (event) closeCodes.push(event.code);
	});
	const synced = new Promise<void>((resolve) => {
		if (provider.synced) resolve();
		provider.on('sync', (s: boolean) => s && resolve());
	});
	return {
		doc,
		journey: openJourney(doc),
		provider,
		closeCodes,
		synced,
		destroy() {
			provider.destroy();
			doc.destroy();
		}
	};
}

export async function waitFor(
	check: () => boolean | Promise<boolean>,
	what: string,
	timeoutMs = 5_000
): Promise<void> {
	const start = Date.now();
	while (!(await check())) {
		if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
		await new Promise((r) => setTimeout(r, 10));
	}
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
