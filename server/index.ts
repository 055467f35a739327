/** Starts Parcours from an existing build: `tsx server/index.ts`. `npm start` builds first when needed. */
import { readConfig } from '../src/lib/server/config';
import { ClusterConfigError } from '../src/lib/server/cluster';
import { DatabaseConfigError } from '../src/lib/server/db';
import { startServer } from './app';

async function main() {
	const config = readConfig();
	const running = await startServer(config);
	if (config.logLevel !== 'silent' || process.env.PRINT_URL) {
		console.log(
			`Parcours listening on ${running.url} (database: ${running.runtime.database.engine === 'pglite' ? `embedded, ${config.dataDir}` : 'PostgreSQL'}${running.runtime.cluster ? `; cluster through Redis, instance ${running.runtime.cluster.instanceId}` : ''})`
		);
	}
	let stopping = false;
	const stop = async (signal: string) => {
		if (stopping) return;
		stopping = true;
		if (config.logLevel !== 'silent') console.log(`${signal}: shutting down`);
		await running.close().catch((e) => console.error(e));
		process.exit(0);
	};
	process.on('SIGINT', () => void stop('SIGINT'));
	process.on('SIGTERM', () => void stop('SIGTERM'));
	if (process.env.EXIT_WITH_STDIN === '1') {
		// Started by `npm run start:cluster`: its launcher holds our stdin open; when it is gone, so are we.
		// Its end of our output is gone too: a log line must not crash the shutdown that stores documents.
		for (const out of [process.stdout, process.stderr]) out.on('error', () => {});
		process.stdin.on('end', () => void stop('launcher gone'));
		process.stdin.on('error', () => void stop('launcher gone'));
		process.stdin.resume();
	}
}

main().catch((e: unknown) => {
	if (e instanceof DatabaseConfigError || e instanceof ClusterConfigError)
		console.error(`Parcours cannot start: ${e.message}`);
	else console.error('Parcours cannot start:', e);
	process.exit(1);
});
