import type { Plugin } from 'vite';

/**
 * Gives `npm run dev` the same server features as production: the WebSocket endpoints are attached to
 * Vite's own HTTP server, loading the server modules through Vite so they share state with the pages.
 */
export function collabDevPlugin(): Plugin {
	return {
		name: 'parcours-collab-dev',
		apply: 'serve',
		configureServer(server) {
			server.httpServer?.on('upgrade', async (req, socket, head) => {
				if (!req.url?.startsWith('/collab/')) return;
				try {
					const mod = (await server.ssrLoadModule('/server/upgrade.ts')) as typeof import('./upgrade');
					mod.handleUpgrade(req, socket, head);
				} catch (e) {
					server.config.logger.error(`collab upgrade failed: ${(e as Error).message}`);
					socket.destroy();
				}
			});
		}
	};
}
