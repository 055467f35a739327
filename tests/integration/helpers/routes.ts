/**
 * The app's routes, read from src/routes, so a sweep covers every page, form action and endpoint,
 * including ones added after the sweep was written.
 */
import fs from 'node:fs';
import path from 'node:path';

export interface RouteInfo {
	/** e.g. /w/[workspaceId]/settings */
	pattern: string;
	isPage: boolean;
	actions: { name: string; fields: string[] }[];
	endpointMethods: string[];
}

const ROOT = path.resolve('src/routes');

function walk(dir: string): string[] {
	return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
		const p = path.join(dir, e.name);
		return e.isDirectory() ? walk(p) : [p];
	});
}

export function discoverRoutes(): RouteInfo[] {
	const byDir = new Map<string, RouteInfo>();
	for (const file of walk(ROOT)) {
		const dir = path.dirname(file);
		const pattern =
			'/' +
			path
				.relative(ROOT, dir)
				.split(path.sep)
				.filter((s) => s && !/^\(.*\)$/.test(s))
				.join('/');
		const info = byDir.get(dir) ?? { pattern, isPage: false, actions: [], endpointMethods: [] };
		byDir.set(dir, info);
		const base = path.basename(file);
		const src = fs.readFileSync(file, 'utf8');
		if (base === '+page.svelte' || base === '+page.server.ts') info.isPage = true;
		if (base === '+page.server.ts') {
			const block = /export const actions[^=]*=\s*\{([\s\S]*)\};?\s*$/.exec(src)?.[1] ?? '';
			const names = [...block.matchAll(/^\t(\w+):/gm)].map((m) => m[1]);
			// A shared handler named in shorthand on one line: `export const actions = { inviteViewer };`
			const shorthand = /export const actions[^=]*=\s*\{([\w\s,]*)\};?$/m.exec(src)?.[1];
			if (shorthand)
				names.push(
					...shorthand
						.split(',')
						.map((n) => n.trim())
						.filter(Boolean)
				);
			const fields = [...new Set([...src.matchAll(/formString\(form, '(\w+)'\)/g)].map((m) => m[1]))];
			for (const name of names) info.actions.push({ name, fields });
		}
		if (base === '+server.ts') {
			info.endpointMethods.push(
				...[...src.matchAll(/export const (GET|POST|PUT|PATCH|DELETE)\b/g)].map((m) => m[1])
			);
		}
	}
	return [...byDir.values()].filter((r) => r.isPage || r.endpointMethods.length > 0);
}
