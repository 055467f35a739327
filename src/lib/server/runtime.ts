/**
 * The process-wide state: configuration and the open database. Kept on `globalThis` because the
 * production entry (run by tsx) and the SvelteKit bundle each load their own copy of this module, and
 * both must share one database (PGlite allows one owner of a data directory).
 */
import path from 'node:path';
import { openCluster, type ClusterLink } from './cluster';
import { readConfig, type Config } from './config';
import { openDatabase, type Database } from './db';
import { seedDemo, type DemoCredentials } from './demo';

export interface Runtime {
	config: Config;
	database: Database;
	/** Set when this start created the demo workspace. */
	demo: DemoCredentials | null;
	/** The link to the other instances (`REDIS_URL`); null when this process is alone. */
	cluster: ClusterLink | null;
}

const KEY = Symbol.for('parcours.runtime');
type Holder = { [KEY]?: Promise<Runtime> };

export async function createRuntime(config: Config): Promise<Runtime> {
	const database = config.databaseUrl
		? await openDatabase({ engine: 'postgres', url: config.databaseUrl })
		: await openDatabase({ engine: 'pglite', dataDir: path.join(config.dataDir, 'pglite') });
	let cluster: ClusterLink | null = null;
	try {
		await database.migrate();
		if (config.redisUrl) {
			cluster = await openCluster(config.redisUrl, {
				prefix: config.redisPrefix,
				log: (message, details) => {
					if (config.logLevel !== 'silent') console.warn(`[cluster] ${message}`, details ?? '');
				}
			});
		}
		const demo = config.seedDemo ? await seedDemo(database.db) : null;
		return { config, database, demo, cluster };
	} catch (e) {
		await cluster?.close();
		await database.close();
		throw e;
	}
}

/** Starts the runtime once per process; later calls get the same one. */
export function getRuntime(config?: Config): Promise<Runtime> {
	const holder = globalThis as Holder;
	holder[KEY] ??= createRuntime(config ?? readConfig()).then(
		(rt) => {
			if (rt.demo && rt.config.logLevel !== 'silent') printDemo(rt);
			return rt;
		},
		(e) => {
			delete holder[KEY];
			throw e;
		}
	);
	return holder[KEY];
}

export function printDemo(rt: Runtime): void {
	if (!rt.demo) return;
	const line = '─'.repeat(60);
	console.log(
		`\n${line}\n  Parcours demo workspace created (shown once)\n  e-mail:   ${rt.demo.email}\n  password: ${rt.demo.password}\n${line}\n`
	);
}

export async function stopRuntime(): Promise<void> {
	const holder = globalThis as Holder;
	const rt = holder[KEY];
	delete holder[KEY];
	if (!rt) return;
	const { database, cluster } = await rt;
	await cluster?.close();
	await database.close();
}
