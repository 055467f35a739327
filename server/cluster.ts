/**
 * `npm run start:cluster`: several instances of Parcours on one machine, on PostgreSQL and Redis, behind
 * a small proxy on one port — for trying scale-out. Builds when needed, migrates and seeds the demo once,
 * then runs `CLUSTER_INSTANCES` instances and restarts any that dies. `--no-build` skips the build check.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { readConfig } from '../src/lib/server/config';
import { DatabaseConfigError, openDatabase, parsePostgresUrl } from '../src/lib/server/db';
import { buildIfStale } from './build';
import { startProxy, type Proxy } from './proxy';

class ClusterStartError extends Error {}

/** Restart delays grow while an instance keeps dying young, and start over once one lasted. */
const FIRST_BACKOFF_MS = 500;
const MAX_BACKOFF_MS = 30_000;
const LASTED_MS = 30_000;
const STOP_GRACE_MS = 15_000;

function readClusterEnv(env: NodeJS.ProcessEnv) {
	const raw = env.CLUSTER_INSTANCES || '2';
	const instances = Number(raw);
	if (!Number.isInteger(instances) || instances < 1 || instances > 64) {
		throw new ClusterStartError(`CLUSTER_INSTANCES must be a whole number from 1 to 64, got "${raw}"`);
	}
	if (!env.DATABASE_URL) {
		throw new ClusterStartError(
			'DATABASE_URL is required: several instances share one PostgreSQL database (the embedded one ' +
				'allows one process). Example: DATABASE_URL=postgres://user:password@127.0.0.1:5432/parcours'
		);
	}
	parsePostgresUrl(env.DATABASE_URL);
	return { instances, redisUrl: env.REDIS_URL || 'redis://127.0.0.1:6379' };
}

async function checkRedis(url: string): Promise<void> {
	let where: string;
	try {
		where = new URL(url).host;
	} catch {
		throw new ClusterStartError(`REDIS_URL is not a valid URL ("${url}"); expected redis://host:6379`);
	}
	const redis = new Redis(url, {
		lazyConnect: true,
		connectTimeout: 3000,
		maxRetriesPerRequest: 0,
		retryStrategy: () => null
	});
	redis.on('error', () => {}); // reported below, once
	try {
		await redis.connect();
		await redis.ping();
	} catch (e) {
		throw new ClusterStartError(
			`Cannot reach Redis at ${where}: ${(e as Error).message}. Set REDIS_URL (default redis://127.0.0.1:6379).`
		);
	} finally {
		redis.disconnect();
	}
}

/** Migrations run once, here, so that instances starting together do not race for them. */
async function migrate(url: string): Promise<void> {
	const database = await openDatabase({ engine: 'postgres', url });
	try {
		await database.migrate();
	} finally {
		await database.close();
	}
}

interface Instance {
	name: string;
	child: ChildProcess | null;
	startedAt: number;
	backoffMs: number;
	/** Whether it ever listened: one that cannot even start once has a problem a restart will not fix. */
	everReady: boolean;
	restartTimer: NodeJS.Timeout | null;
}

function eachLine(stream: NodeJS.ReadableStream, onLine: (line: string) => void) {
	let rest = '';
	stream.setEncoding('utf8');
	stream.on('data', (chunk: string) => {
		const lines = (rest + chunk).split('\n');
		rest = lines.pop() ?? '';
		for (const line of lines) onLine(line);
	});
	stream.on('end', () => {
		if (rest) onLine(rest);
	});
}

async function main() {
	const { instances: count, redisUrl } = readClusterEnv(process.env);
	const config = readConfig();
	await checkRedis(redisUrl);
	await migrate(process.env.DATABASE_URL!);
	// `--no-build` serves the build as it is (tests run a build made beforehand while sources change).
	if (!process.argv.includes('--no-build')) buildIfStale();

	const proxy: Proxy = await startProxy({ port: config.port, host: config.host }).catch((e) => {
		if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw e;
		throw new ClusterStartError(`port ${config.port} is already in use; choose another with PORT`);
	});
	const entry = fileURLToPath(new URL('./index.ts', import.meta.url));
	const instanceEnv: NodeJS.ProcessEnv = {
		...process.env,
		REDIS_URL: redisUrl,
		PORT: '0',
		HOST: '127.0.0.1',
		PRINT_URL: '1',
		TRUST_PROXY: 'true',
		// Without ORIGIN, SvelteKit takes the origin from the Host header (passed through) and
		// X-Forwarded-Proto, so forms work whichever name the browser used (localhost, 127.0.0.1, a LAN
		// address). ORIGIN, when given, is passed on as it is; links in e-mails need a public URL.
		PUBLIC_URL: process.env.ORIGIN || process.env.PUBLIC_URL || proxy.url
	};
	let stopping = false;
	let ready = 0;

	const instances: Instance[] = Array.from({ length: count }, (_, i) => ({
		name: String(i + 1),
		child: null,
		startedAt: 0,
		backoffMs: FIRST_BACKOFF_MS,
		everReady: false,
		restartTimer: null
	}));

	function launch(instance: Instance) {
		instance.restartTimer = null;
		instance.startedAt = Date.now();
		const child = spawn(process.execPath, ['--import', 'tsx', entry], {
			env: {
				...instanceEnv,
				INSTANCE_NAME: instance.name,
				// The first instance seeds the demo (once per database: a restart finds it done) and prints
				// its sign-in; the others would only wait on the same claim.
				SEED_DEMO: instance.name === '1' && config.seedDemo ? 'true' : 'false',
				// The instance stops when this pipe ends: the launcher died (even by SIGKILL) and nobody
				// would restart, stop or proxy to it any more.
				EXIT_WITH_STDIN: '1'
			},
			stdio: ['pipe', 'pipe', 'pipe']
		});
		instance.child = child;
		const prefix = `[${instance.name}] `;
		eachLine(child.stderr!, (line) => process.stderr.write(`${prefix}${line}\n`));
		let listening = false;
		eachLine(child.stdout!, (line) => {
			process.stdout.write(`${prefix}${line}\n`);
			const m = !listening && /listening on http:\/\/([^\s:]+):(\d+)/.exec(line);
			if (!m) return;
			listening = true;
			proxy.add({ name: instance.name, host: m[1], port: Number(m[2]) });
			console.log(`cluster: instance ${instance.name} (pid ${child.pid}) ready on ${m[1]}:${m[2]}`);
			if (!instance.everReady && ++ready === count) {
				console.log(
					`Parcours cluster: ${count} instance${count > 1 ? 's' : ''} behind ${proxy.url} (PostgreSQL, Redis)`
				);
			}
			instance.everReady = true;
		});
		child.once('exit', (code, signal) => {
			proxy.remove(instance.name);
			instance.child = null;
			if (stopping) return;
			const how = signal ? `signal ${signal}` : `code ${code}`;
			if (!instance.everReady) {
				console.error(`cluster: instance ${instance.name} could not start (${how}); stopping.`);
				void stop(1, 'an instance failed');
				return;
			}
			if (Date.now() - instance.startedAt >= LASTED_MS) instance.backoffMs = FIRST_BACKOFF_MS;
			console.error(
				`cluster: instance ${instance.name} (pid ${child.pid}) exited (${how}); restarting in ${instance.backoffMs} ms`
			);
			instance.restartTimer = setTimeout(() => launch(instance), instance.backoffMs);
			instance.backoffMs = Math.min(instance.backoffMs * 2, MAX_BACKOFF_MS);
		});
	}

	async function stop(exitCode: number, why: string) {
		if (stopping) return;
		stopping = true;
		console.log(`cluster: ${why}: stopping the instances`);
		const exits = instances.map((instance) => {
			if (instance.restartTimer) clearTimeout(instance.restartTimer);
			const child = instance.child;
			if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
			const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
			// Each instance stores what its editors sent and finishes its analysis round before exiting.
			child.kill('SIGTERM');
			const force = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
			return exited.finally(() => clearTimeout(force));
		});
		await Promise.all(exits);
		await proxy.close();
		process.exit(exitCode);
	}

	process.on('SIGINT', () => void stop(0, 'SIGINT'));
	process.on('SIGTERM', () => void stop(0, 'SIGTERM'));
	for (const instance of instances) launch(instance);
}

main().catch((e: unknown) => {
	if (e instanceof ClusterStartError || e instanceof DatabaseConfigError)
		console.error(`Parcours cluster cannot start: ${e.message}`);
	else console.error('Parcours cluster cannot start:', e);
	process.exit(1);
});
