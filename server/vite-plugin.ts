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
			// The feedback processor runs beside the dev server as it does beside the production one.
			server.httpServer?.once('listening', async () => {
				try {
					const rt = (await server.ssrLoadModule(
						'/src/lib/server/runtime.ts'
					)) as typeof import('../src/lib/server/runtime');
					const fb = (await server.ssrLoadModule('/server/feedback.ts')) as typeof import('./feedback');
					await fb.startFeedbackProcessing(await rt.getRuntime());
				} catch (e) {
					server.config.logger.error(`feedback processing did not start: ${(e as Error).message}`);
				}
			});
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
