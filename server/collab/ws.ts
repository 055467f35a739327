/**
 * Wires the `ws` package and the HTTP upgrade to the collaboration core. Authentication happens here,
 * before any document is touched; refused clients are accepted and then closed with 4401/4403, which
 * y-websocket treats as final (an HTTP error would make it retry forever).
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { CollabServer } from './server';
import { CloseCode, consoleLogger, type AccessContext, type CollabLogger, type CollabSocket } from './types';

export type AuthResult =
	{ ok: true; context: AccessContext } | { ok: false; code: 4401 | 4403 | 4404; reason: string };

/** Decides from the upgrade request (cookies, headers) whether this client may open this journey. */
export type Authenticate = (req: IncomingMessage, journeyId: string) => Promise<AuthResult> | AuthResult;

export interface CollabUpgradeOptions {
	collab: CollabServer;
	authenticate: Authenticate;
	/** URL prefix before the journey id. Default `/collab/`. */
	pathPrefix?: string;
	/** Upgrades waiting for `authenticate` at once; more are answered 503. Default 512. */
	maxPendingUpgrades?: number;
	/** Default 10 s; a slower decision closes the socket with 4500 (the client retries later). */
	authTimeoutMs?: number;
	/** Ping every this often and drop clients that did not answer the previous ping. Default 30 s. */
	heartbeatMs?: number;
	logger?: CollabLogger;
}

export interface CollabUpgradeHandler {
	/** Handles an upgrade for the collab path; returns false (touching nothing) for any other path. */
	handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
	close(): void;
}

const JOURNEY_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function toBytes(raw: RawData): Uint8Array {
	if (Array.isArray(raw)) return Buffer.concat(raw);
	return raw instanceof ArrayBuffer ? new Uint8Array(raw) : raw;
}

/** A `ws` socket seen through the core's minimal interface. */
export function adaptWebSocket(ws: WebSocket): CollabSocket {
	return {
		send: (data) => ws.send(data),
		close: (code, reason) => ws.close(code, reason),
		get bufferedAmount() {
			return ws.bufferedAmount;
		},
		on(event: 'message' | 'close', listener: ((data: Uint8Array) => void) | (() => void)) {
			if (event === 'message') ws.on('message', (raw) => (listener as (d: Uint8Array) => void)(toBytes(raw)));
			else ws.on('close', listener as () => void);
		}
	};
}

export function createCollabUpgradeHandler(options: CollabUpgradeOptions): CollabUpgradeHandler {
	const { collab, authenticate } = options;
	const prefix = options.pathPrefix ?? '/collab/';
	const maxPending = options.maxPendingUpgrades ?? 512;
	const authTimeoutMs = options.authTimeoutMs ?? 10_000;
	const logger = options.logger ?? consoleLogger;
	// ws closes frames over maxPayload with 1009 before buffering them whole.
	const wss = new WebSocketServer({
		noServer: true,
		maxPayload: collab.frameLimit,
		perMessageDeflate: false
	});
	const alive = new WeakSet<WebSocket>();
	let pending = 0;

	const heartbeat = setInterval(() => {
		for (const ws of wss.clients) {
			if (!alive.has(ws)) {
				ws.terminate();
				continue;
			}
			alive.delete(ws);
			ws.ping();
		}
	}, options.heartbeatMs ?? 30_000);
	heartbeat.unref();

	function accept(req: IncomingMessage, socket: Duplex, head: Buffer, then: (ws: WebSocket) => void): void {
		if (socket.destroyed) return;
		wss.handleUpgrade(req, socket, head, (ws) => {
			alive.add(ws);
			ws.on('pong', () => alive.add(ws));
			ws.on('error', (e) => logger.warn('websocket error', { error: e.message }));
			then(ws);
		});
	}

	function refuse(req: IncomingMessage, socket: Duplex, head: Buffer, code: number, reason: string): void {
		accept(req, socket, head, (ws) => ws.close(code, reason));
	}

	return {
		handleUpgrade(req, socket, head) {
			let url: URL;
			try {
				url = new URL(req.url ?? '/', 'http://localhost');
			} catch {
				return false;
			}
			if (!url.pathname.startsWith(prefix)) return false;
			socket.on('error', () => socket.destroy());
			if (pending >= maxPending) {
				socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
				return true;
			}
			// Ids are plain hex and dashes: anything percent-encoded is not one (and may not even decode).
			const journeyId = url.pathname.slice(prefix.length);
			if (!JOURNEY_ID.test(journeyId)) {
				refuse(req, socket, head, CloseCode.notFound, 'no such journey');
				return true;
			}
			pending++;
			let timer: ReturnType<typeof setTimeout> | undefined;
			const decision = Promise.race([
				Promise.resolve().then(() => authenticate(req, journeyId)),
				new Promise<never>((_, reject) => {
					timer = setTimeout(() => reject(new Error('authentication timed out')), authTimeoutMs);
				})
			]);
			decision
				.then(
					(result) => {
						if (!result.ok) return refuse(req, socket, head, result.code, result.reason);
						accept(req, socket, head, (ws) =>
							collab.handleConnection(adaptWebSocket(ws), { ...result.context, journeyId })
						);
					},
					(e: Error) => {
						logger.error('authentication failed', { journeyId, error: e.message });
						refuse(req, socket, head, CloseCode.unavailable, 'try again later');
					}
				)
				.finally(() => {
					clearTimeout(timer);
					pending--;
				});
			return true;
		},
		close() {
			clearInterval(heartbeat);
			for (const ws of wss.clients) ws.terminate();
			wss.close();
		}
	};
}
