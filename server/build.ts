/** Builds the app when the build is missing or older than the sources (`npm start`, `npm run start:cluster`). */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const WATCHED = ['src', 'static', 'svelte.config.js', 'vite.config.ts', 'package.json'];

function newestMtime(p: string): number {
	const stat = fs.statSync(p, { throwIfNoEntry: false });
	if (!stat) return 0;
	if (!stat.isDirectory()) return stat.mtimeMs;
	let newest = 0;
	for (const entry of fs.readdirSync(p)) newest = Math.max(newest, newestMtime(path.join(p, entry)));
	return newest;
}

/** Exits the process when the build fails: nothing can be served then. */
export function buildIfStale(root = process.cwd()): void {
	const stamp = path.resolve(root, process.env.BUILD_DIR || 'build', 'handler.js');
	const built = fs.statSync(stamp, { throwIfNoEntry: false })?.mtimeMs ?? 0;
	const sources = Math.max(...WATCHED.map((w) => newestMtime(path.join(root, w))));
	if (built >= sources) return;
	console.log(built === 0 ? 'Building Parcours (first start)…' : 'Sources changed: rebuilding…');
	const result = spawnSync(
		process.execPath,
		[path.join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build'],
		{ stdio: 'inherit', cwd: root }
	);
	if (result.status !== 0) {
		console.error('The build failed; see the messages above.');
		process.exit(result.status ?? 1);
	}
}
