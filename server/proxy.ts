/**
 * A small reverse proxy for trying several instances on one machine (`server/cluster.ts`): requests and
 * WebSocket upgrades go round-robin to the instances, so two editors of one journey usually land on
 * different ones. Production puts a real load balancer (nginx, HAProxy, a cloud one) in its place.
 */
import http from 'node:http';
import net from 'node:net';
import type { Duplex } from 'node:stream';

export interface Upstream {
	/** Shown to clients in `x-parcours-instance`. */
	name: string;
	host: string;
	port: number;
}

export interface Proxy {
	url: string;
	/** Adds an instance, or replaces the one of that name (a restarted instance has a new port). */
	add(upstream: Upstream): void;
	remove(name: string): void;
	close(): Promise<void>;
}

interface Target extends Upstream {
	agent: http.Agent;
	/** An instance that refused a connection is skipped until then. */
	downUntil: number;
}

const RETRY_DOWN_MS = 1000;
const INSTANCE_HEADER = 'x-parcours-instance';
// Connection-level headers belong to one hop. Transfer-Encoding is kept: Node frames the body as it says.
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'te', 'trailer', 'upgrade']);
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const NO_INSTANCE = 'No Parcours instance is available.\n';

/**
 * Headers a `Connection` header may not remove: without its framing, a body read here would reach the
 * instance as another request on a kept-alive connection (request smuggling).
 */
const FRAMING = new Set(['content-length', 'transfer-encoding', 'host']);

/** The headers meant for the next hop too: without the hop-by-hop ones, and those `Connection` names. */
function endToEnd(incoming: http.IncomingHttpHeaders): http.OutgoingHttpHeaders {
	const named = new Set(
		String(incoming.connection ?? '')
			.split(',')
			.map((n) => n.trim().toLowerCase())
			.filter((n) => n && !FRAMING.has(n))
	);
	const headers: http.OutgoingHttpHeaders = {};
	for (const [name, value] of Object.entries(incoming))
		if (!HOP_BY_HOP.has(name) && !named.has(name)) headers[name] = value;
	return headers;
}

function forwardedHeaders(req: http.IncomingMessage): http.OutgoingHttpHeaders {
	const headers = endToEnd(req.headers);
	// This proxy is the edge: what the client claims about earlier hops is replaced, not trusted.
	headers['x-forwarded-for'] = req.socket.remoteAddress ?? '';
	headers['x-forwarded-proto'] = 'http';
	return headers;
}

export async function startProxy(options: { port: number; host: string }): Promise<Proxy> {
	const targets = new Map<string, Target>();
	let turn = 0;
	const tunnels = new Set<Duplex>();

	/** The next instance in turn, healthy ones first; none once every instance has been tried. */
	function pick(tried: Set<string>): Target | null {
		const all = [...targets.values()];
		const start = turn++;
		const order = all.map((_, i) => all[(start + i) % all.length]).filter((t) => !tried.has(t.name));
		const now = Date.now();
		return order.find((t) => t.downUntil <= now) ?? order[0] ?? null;
	}

	function refused(target: Target) {
		target.downUntil = Date.now() + RETRY_DOWN_MS;
	}

	function forward(req: http.IncomingMessage, res: http.ServerResponse, tried = new Set<string>()) {
		const target = pick(tried);
		if (!target) {
			res.writeHead(502, { 'content-type': 'text/plain; charset=utf-8' }).end(NO_INSTANCE);
			return;
		}
		tried.add(target.name);
		const upstream = http.request({
			host: target.host,
			port: target.port,
			method: req.method,
			path: req.url,
			headers: forwardedHeaders(req),
			agent: target.agent
		});
		// The body is read only once the instance accepted the connection, so a refused request can go
		// whole to the next instance.
		let bodySent = false;
		upstream.once('socket', (socket) => {
			const send = () => {
				bodySent = true;
				req.pipe(upstream);
			};
			if (socket.connecting) socket.once('connect', send);
			else send();
		});
		upstream.on('response', (answer) => {
			const headers: http.OutgoingHttpHeaders = {
				...endToEnd(answer.headers),
				[INSTANCE_HEADER]: target.name
			};
			res.writeHead(answer.statusCode ?? 502, answer.statusMessage, headers);
			// Event streams must reach the browser as they are written, not when a buffer fills.
			res.flushHeaders();
			answer.pipe(res);
		});
		upstream.on('error', () => {
			// Nothing sent yet (the instance refused the connection), or a read that can be asked again (the
			// instance died with it in flight): the next instance answers instead.
			if (!res.headersSent && (!bodySent || SAFE_METHODS.has(req.method ?? ''))) {
				refused(target);
				forward(req, res, tried);
			} else if (!res.headersSent) {
				res
					.writeHead(502, { 'content-type': 'text/plain; charset=utf-8' })
					.end(`Parcours instance ${target.name} failed before answering.\n`);
			} else {
				res.destroy();
			}
		});
		// A client that leaves (a closed event stream) releases the instance's side too.
		res.once('close', () => {
			if (!res.writableFinished) upstream.destroy();
		});
	}

	function tunnel(req: http.IncomingMessage, client: Duplex, head: Buffer, tried = new Set<string>()) {
		const target = pick(tried);
		if (!target) {
			client.end(`HTTP/1.1 502 Bad Gateway\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
			return;
		}
		tried.add(target.name);
		const upstream = net.connect({ host: target.host, port: target.port, noDelay: true });
		const retry = () => {
			refused(target);
			tunnel(req, client, head, tried);
		};
		upstream.once('error', retry);
		upstream.once('connect', () => {
			upstream.off('error', retry);
			if (client.destroyed) {
				upstream.destroy();
				return;
			}
			tunnels.add(client);
			const closeBoth = () => {
				tunnels.delete(client);
				client.destroy();
				upstream.destroy();
			};
			for (const s of [client, upstream]) s.on('error', closeBoth).on('close', closeBoth);

			const lines = [`${req.method} ${req.url} HTTP/${req.httpVersion}`];
			for (let i = 0; i < req.rawHeaders.length; i += 2) {
				const name = req.rawHeaders[i];
				if (!/^x-forwarded-(for|proto)$/i.test(name)) lines.push(`${name}: ${req.rawHeaders[i + 1]}`);
			}
			lines.push(`X-Forwarded-For: ${req.socket.remoteAddress ?? ''}`, 'X-Forwarded-Proto: http');
			upstream.write(lines.join('\r\n') + '\r\n\r\n');
			if (head.length) upstream.write(head);

			// The instance's handshake answer says which instance it is, like every HTTP answer; after it,
			// bytes flow untouched both ways.
			let answer = Buffer.alloc(0);
			const onAnswer = (chunk: Buffer) => {
				answer = Buffer.concat([answer, chunk]);
				const end = answer.indexOf('\r\n\r\n');
				if (end < 0) {
					if (answer.length > 64 * 1024) closeBoth();
					return;
				}
				upstream.off('data', onAnswer);
				client.write(
					Buffer.concat([
						answer.subarray(0, end + 2),
						Buffer.from(`${INSTANCE_HEADER}: ${target.name}\r\n`),
						answer.subarray(end + 2)
					])
				);
				upstream.pipe(client);
			};
			upstream.on('data', onAnswer);
			client.pipe(upstream);
		});
	}

	const server = http.createServer((req, res) => forward(req, res));
	server.on('upgrade', (req, socket, head) => {
		socket.on('error', () => socket.destroy());
		tunnel(req, socket, head);
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port, options.host, () => resolve());
	});
	const address = server.address();
	const port = typeof address === 'object' && address ? address.port : options.port;
	const publicHost = ['0.0.0.0', '::'].includes(options.host) ? 'localhost' : options.host;

	return {
		url: `http://${publicHost}:${port}`,
		add(upstream) {
			targets.get(upstream.name)?.agent.destroy();
			targets.set(upstream.name, {
				...upstream,
				// With a timeout set, Node closes an idle kept-alive socket before the instance's own
				// keep-alive timeout (its Keep-Alive hint), so a request never lands on a socket being closed.
				agent: new http.Agent({ keepAlive: true, timeout: 60_000 }),
				downUntil: 0
			});
		},
		remove(name) {
			targets.get(name)?.agent.destroy();
			targets.delete(name);
		},
		async close() {
			await new Promise<void>((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
				for (const t of tunnels) t.destroy();
			});
			for (const t of targets.values()) t.agent.destroy();
		}
	};
}
