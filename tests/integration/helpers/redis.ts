/**
 * A Redis server of a test's own, to stop and start at will. The port comes from the system (a random
 * pick once collided with a port in use and the test waited on a server that had exited), and a server
 * that exits before it is ready is started again on another port, its output in the error otherwise.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

export interface TestRedis {
	url: string;
	process: ChildProcess;
	kill(): void;
	/** Starts the server again on the same port (after `kill`), as Redis coming back after an outage. */
	restart(): Promise<void>;
}

function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as { port: number };
			server.close(() => resolve(port));
		});
	});
}

function startOnce(port: number, timeoutMs: number): Promise<TestRedis> {
	const child = spawn(
		'redis-server',
		['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
		{ stdio: ['ignore', 'pipe', 'pipe'] }
	);
	// Not left running when the test process ends without its cleanup (an aborted run).
	const orphan = () => child.kill('SIGKILL');
	process.once('exit', orphan);
	child.once('exit', () => process.off('exit', orphan));
	let output = '';
	return new Promise((resolve, reject) => {
		const fail = (why: string) => {
			clearTimeout(timer);
			child.kill('SIGKILL');
			reject(new Error(`redis-server on port ${port} ${why}:\n${output}`));
		};
		const timer = setTimeout(() => fail(`was not ready within ${timeoutMs} ms`), timeoutMs);
		let ready = false;
		const read = (chunk: Buffer) => {
			if (ready) return;
			output += chunk;
			if (/ready to accept connections/i.test(output)) {
				ready = true;
				clearTimeout(timer);
				child.off('exit', exited);
				const redis: TestRedis = {
					url: `redis://127.0.0.1:${port}`,
					process: child,
					kill: () => redis.process.kill('SIGKILL'),
					async restart() {
						const old = redis.process;
						if (old.exitCode === null && old.signalCode === null) {
							const gone = new Promise((r) => old.once('exit', r));
							old.kill('SIGKILL');
							await gone;
						}
						redis.process = (await startOnce(port, timeoutMs)).process;
					}
				};
				resolve(redis);
			}
		};
		const exited = (code: number | null, signal: string | null) => fail(`exited (${signal ?? code})`);
		child.stdout!.on('data', read);
		child.stderr!.on('data', read);
		child.once('exit', exited);
		child.once('error', (e) => fail(`could not start: ${e.message}`));
	});
}

export async function startTestRedis(timeoutMs = 10_000): Promise<TestRedis> {
	let last: unknown;
	for (let attempt = 0; attempt < 5; attempt++) {
		try {
			return await startOnce(await freePort(), timeoutMs);
		} catch (e) {
			last = e;
		}
	}
	throw last;
}
