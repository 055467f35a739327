/**
 * The cluster's trying-it proxy in front of a plain HTTP server standing in for an instance: headers that
 * belong to one hop (the standard ones and those a `Connection` header names) do not cross it, either way.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProxy, type Proxy } from '../../server/proxy';

describe('the cluster proxy', () => {
	let instance: http.Server;
	let proxy: Proxy;
	let received: http.IncomingHttpHeaders = {};
	const requests: string[] = [];

	beforeAll(async () => {
		instance = http.createServer((req, res) => {
			received = req.headers;
			requests.push(`${req.method} ${req.url}`);
			req.resume();
			res.writeHead(200, {
				connection: 'keep-alive, x-instance-private',
				'x-instance-private': 'for the proxy only',
				'keep-alive': 'timeout=5',
				'x-app': 'for the browser'
			});
			res.end('ok');
		});
		await new Promise<void>((r) => instance.listen(0, '127.0.0.1', r));
		proxy = await startProxy({ port: 0, host: '127.0.0.1' });
		proxy.add({ name: '1', host: '127.0.0.1', port: (instance.address() as AddressInfo).port });
	});

	afterAll(async () => {
		await proxy?.close();
		await new Promise((r) => instance?.close(r));
	});

	it('drops hop-by-hop headers and the ones Connection names, both ways, and keeps the rest', async () => {
		const answer = await new Promise<http.IncomingMessage>((resolve, reject) => {
			const req = http.request(`${proxy.url}/somewhere`, {
				headers: {
					connection: 'x-client-private, keep-alive',
					'x-client-private': 'for the proxy only',
					'x-request-id': 'r-1'
				}
			});
			req.on('response', resolve).on('error', reject).end();
		});
		answer.resume();
		expect(answer.statusCode).toBe(200);
		expect(received['x-client-private']).toBeUndefined();
		expect(received['x-request-id']).toBe('r-1');
		expect(received['x-forwarded-proto']).toBe('http');
		expect(answer.headers['x-instance-private']).toBeUndefined();
		expect(answer.headers['x-app']).toBe('for the browser');
		expect(answer.headers['x-parcours-instance']).toBe('1');
	});

	it('keeps the framing headers a Connection header names: a body cannot become a second request', async () => {
		requests.length = 0;
		const smuggled = 'GET /admin HTTP/1.1\r\nHost: x\r\n\r\n';
		const answer = await new Promise<http.IncomingMessage>((resolve, reject) => {
			const req = http.request(`${proxy.url}/first`, {
				method: 'GET',
				headers: { connection: 'content-length', 'content-length': String(smuggled.length) }
			});
			req.on('response', resolve).on('error', reject).end(smuggled);
		});
		answer.resume();
		expect(answer.statusCode).toBe(200);
		await new Promise((r) => setTimeout(r, 200));
		expect(requests).toEqual(['GET /first']);
		expect(received['content-length']).toBe(String(smuggled.length));
	});
});
