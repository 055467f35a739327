/**
 * The route list as the access matrix keys it: one key per page, per form action and per endpoint method.
 */
import { discoverRoutes } from './routes';

export function routeKeys(): string[] {
	const keys = new Set<string>();
	for (const route of discoverRoutes()) {
		if (route.isPage) keys.add(`PAGE ${route.pattern}`);
		for (const { name } of route.actions) keys.add(`ACTION ${route.pattern}?/${name}`);
		for (const method of route.endpointMethods) keys.add(`${method} ${route.pattern}`);
	}
	return [...keys].sort();
}
