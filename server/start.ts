/**
 * `npm start`: builds the app when the build is missing or older than the sources, then serves it.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = process.cwd();
const stamp = path.join(root, 'build', 'handler.js');
const watched = ['src', 'static', 'svelte.config.js', 'vite.config.ts', 'package.json'];

function newestMtime(p: string): number {
	const stat = fs.statSync(p, { throwIfNoEntry: false });
	if (!stat) return 0;
	if (!stat.isDirectory()) return stat.mtimeMs;
	let newest = 0;
	for (const entry of fs.readdirSync(p)) newest = Math.max(newest, newestMtime(path.join(p, entry)));
	return newest;
}

const built = fs.statSync(stamp, { throwIfNoEntry: false })?.mtimeMs ?? 0;
const sources = Math.max(...watched.map((w) => newestMtime(path.join(root, w))));
if (built < sources) {
	console.log(built === 0 ? 'Building Parcours (first start)…' : 'Sources changed: rebuilding…');
	const result = spawnSync(
		process.execPath,
		[path.join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build'],
		{
			stdio: 'inherit',
			cwd: root
		}
	);
	if (result.status !== 0) {
		console.error('The build failed; see the messages above.');
		process.exit(result.status ?? 1);
	}
}

await import('./index');
