/**
 * The route list as the access matrix keys it: one key per page, per form action and per endpoint method.
 */
import fs from 'node:fs';
import path from 'node:path';
import { discoverRoutes } from './routes';

/**
 * `discoverRoutes` reads actions written `name: …`; an actions object can also name a shared handler in
 * shorthand (`{ inviteViewer }`), which it does not see. Those are added here so they need a policy too.
 */
function shorthandActions(pattern: string): string[] {
	const file = path.resolve('src/routes' + pattern, '+page.server.ts');
	if (!fs.existsSync(file)) return [];
	const block = /export const actions[^=]*=\s*\{([^}]*)\}/.exec(fs.readFileSync(file, 'utf8'))?.[1] ?? '';
	if (/[:(]/.test(block)) return [];
	return block
		.split(',')
		.map((s) => s.trim())
		.filter((s) => /^\w+$/.test(s));
}

export function routeKeys(): string[] {
	const keys = new Set<string>();
	for (const route of discoverRoutes()) {
		if (route.isPage) keys.add(`PAGE ${route.pattern}`);
		const names = new Set([...route.actions.map((a) => a.name), ...shorthandActions(route.pattern)]);
		for (const name of names) keys.add(`ACTION ${route.pattern}?/${name}`);
		for (const method of route.endpointMethods) keys.add(`${method} ${route.pattern}`);
	}
	return [...keys].sort();
}
