/**
 * The production server: one HTTP server for the pages, the API and the WebSocket endpoints.
 */
import http from 'node:http';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Config } from '../src/lib/server/config';
import { getRuntime, stopRuntime, type Runtime } from '../src/lib/server/runtime';
import { startDueSoon, stopDueSoon } from '../src/lib/server/due-soon';
import { digestMode, startHealthDigest, stopHealthDigest } from '../src/lib/server/health-digest';
import { startAlerting, stopAlerting } from './alerts';
import { startFeedbackProcessing, stopFeedbackProcessing } from './feedback';
import { handleUpgrade, stopCollab } from './upgrade';

export interface RunningServer {
	server: http.Server;
	runtime: Runtime;
	url: string;
	close(): Promise<void>;
}

type NodeHandler = (req: http.IncomingMessage, res: http.ServerResponse, next?: () => void) => void;

export async function startServer(config: Config): Promise<RunningServer> {
	// adapter-node reads these when its handler is imported; without a proxy the real protocol is used, so
	// SvelteKit's origin check (CSRF) compares against what the browser actually sent.
	process.env.PROTOCOL_HEADER ||= 'x-forwarded-proto';
	if (config.trustProxy) process.env.ADDRESS_HEADER ||= 'x-forwarded-for';

	const runtime = await getRuntime(config);
	await startFeedbackProcessing(runtime);
	startDueSoon(runtime.database.db, config.dueSoonEveryMinutes);
	startHealthDigest(
		runtime.database.db,
		config.smtpUrl ? { smtpUrl: config.smtpUrl, from: config.smtpFrom, publicUrl: config.publicUrl } : null,
		digestMode()
	);
	startAlerting(runtime);
	const handlerUrl = pathToFileURL(path.resolve(process.env.BUILD_DIR || 'build', 'handler.js')).href;
	const { handler } = (await import(handlerUrl)) as { handler: NodeHandler };

	const server = http.createServer((req, res) => {
		if (!config.trustProxy) {
			req.headers['x-forwarded-proto'] = 'encrypted' in req.socket && req.socket.encrypted ? 'https' : 'http';
			delete req.headers['x-forwarded-for'];
		}
		// SvelteKit refuses text/plain and multipart POSTs without a same-origin Origin header (its check
		// against cross-site form posts). Calls to the API authenticate with a key, never a cookie, so that
		// check protects nothing there and would refuse mail relays: they are marked same-origin.
		if (
			req.method === 'POST' &&
			!req.headers.origin &&
			!req.headers.cookie &&
			req.url?.startsWith('/api/v1/') &&
			/^Bearer\s/i.test(req.headers.authorization ?? '')
		) {
			req.headers.origin =
				process.env.ORIGIN ||
				`${req.headers['x-forwarded-proto'] ?? 'http'}://${req.headers.host ?? 'localhost'}`;
		}
		// A route that answers without reading the body leaves the request paused, and the client's next
		// request on the same keep-alive connection would be reset: drain what is left once answered.
		// SvelteKit's own body reader, still listening, would pause the request again once its queue is full.
		res.once('finish', () => {
			if (!req.complete) {
				req.removeAllListeners('data');
				req.resume();
			}
		});
		handler(req, res, () => {
			res.statusCode = 404;
			res.end('Not found');
		});
	});
	server.on('upgrade', (req, socket, head) => handleUpgrade(req, socket, head));
	// Slow or idle clients must not hold sockets for ever.
	server.headersTimeout = 30_000;
	server.requestTimeout = 120_000;

	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(config.port, config.host, () => resolve());
	});
	const address = server.address();
	const port = typeof address === 'object' && address ? address.port : config.port;
	const url = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}`;

	return {
		server,
		runtime,
		url,
		async close() {
			// Stores what editors sent, and finishes the analysis round under way, before the database goes away.
			await stopCollab();
			await stopFeedbackProcessing();
			await stopDueSoon();
			await stopHealthDigest();
			await stopAlerting();
			await new Promise<void>((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			});
			await stopRuntime();
		}
	};
}
