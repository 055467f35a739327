/**
 * `server/cluster.ts` run as a process, as `npm run start:cluster` runs it, for the cluster tests and
 * the crash proofs: its output, its instances' pids as it announces them.
 */
import { spawn, type ChildProcess } from 'node:child_process';

export interface Cluster {
	child: ChildProcess;
	output(): string;
	/** The first match of `pattern` in what the cluster printed after `from` characters. */
	waitFor(pattern: RegExp, from?: number, ms?: number): Promise<RegExpExecArray>;
	exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function runCluster(env: Record<string, string>, args = ['--no-build']): Cluster {
	const child = spawn(process.execPath, ['--import', 'tsx', 'server/cluster.ts', ...args], {
		env: { ...process.env, ...env },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let out = '';
	child.stdout!.on('data', (d) => (out += d));
	child.stderr!.on('data', (d) => (out += d));
	const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
		child.once('exit', (code, signal) => resolve({ code, signal }))
	);
	return {
		child,
		output: () => out,
		exit,
		async waitFor(pattern, from = 0, ms = 90_000) {
			const end = Date.now() + ms;
			for (;;) {
				const m = pattern.exec(out.slice(from));
				if (m) return m;
				if (Date.now() > end || child.exitCode !== null || child.signalCode !== null) {
					throw new Error(`the cluster did not print ${pattern}:\n${out}`);
				}
				await new Promise((r) => setTimeout(r, 50));
			}
		}
	};
}

export function alive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}

/** Each instance's pid as last announced by the cluster. */
export function instancePids(output: string): Map<string, number> {
	const pids = new Map<string, number>();
	for (const m of output.matchAll(/instance (\d+) \(pid (\d+)\) ready/g)) pids.set(m[1], Number(m[2]));
	return pids;
}

/** Env for a cluster of a test: its own Redis channels, local addresses, the log on. */
export function clusterEnv(databaseUrl: string, instances = 2): Record<string, string> {
	return {
		DATABASE_URL: databaseUrl,
		REDIS_URL: process.env.TEST_REDIS_URL || 'redis://127.0.0.1:6379',
		// Clusters of tests running side by side share the Redis server, not its channels.
		REDIS_PREFIX: `parcours-test-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`,
		CLUSTER_INSTANCES: String(instances),
		PORT: '0',
		HOST: '127.0.0.1',
		LOG_LEVEL: 'info',
		ANALYSIS_WORKERS: '1'
	};
}

/** Starts a cluster and waits for its proxy's address. */
export async function startCluster(env: Record<string, string>): Promise<{ cluster: Cluster; url: string }> {
	const cluster = runCluster(env);
	const url = (await cluster.waitFor(/\d+ instances? behind (http:\/\/\S+)/))[1];
	return { cluster, url };
}

/** Kills the cluster and every instance it started, whatever state they are in. */
export function killCluster(cluster: Cluster): void {
	for (const pid of instancePids(cluster.output()).values()) if (alive(pid)) process.kill(pid, 'SIGKILL');
	if (cluster.child.exitCode === null && cluster.child.signalCode === null) cluster.child.kill('SIGKILL');
}
