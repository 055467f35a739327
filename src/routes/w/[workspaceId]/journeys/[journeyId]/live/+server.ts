import { readScoreRequest } from '$lib/server/feedback/live-http';
import { liveScores } from '$lib/server/feedback/live';
import { journeyScores } from '$lib/server/feedback/scores';
import { on } from '$lib/server/events';
import type { JourneyScores } from '$lib/feedback/types';
import type { RequestHandler } from './$types';

/** Keeps proxies from closing an idle stream. */
const HEARTBEAT_MS = 20_000;

/**
 * Server-sent events: `event: scores` with the journey's `JourneyScores`, once on connect and whenever
 * its items are analysed or corrected. Ends when the user loses access to the workspace.
 */
export const GET: RequestHandler = async ({ locals, params, url, request }) => {
	let checked;
	try {
		checked = await readScoreRequest(locals, params, url);
	} catch (e) {
		if (e instanceof Response) return e;
		throw e;
	}
	const { workspaceId, filters } = checked;
	const userId = locals.user!.id;
	const db = locals.db;
	const encoder = new TextEncoder();
	let cleanup = () => {};

	const stream = new ReadableStream<Uint8Array>({
		async start(controller) {
			let open = true;
			const write = (chunk: string) => {
				if (!open) return;
				try {
					controller.enqueue(encoder.encode(chunk));
				} catch {
					cleanup();
				}
			};
			const send = (scores: JourneyScores) => write(`event: scores\ndata: ${JSON.stringify(scores)}\n\n`);
			const unwatch = liveScores(db).watch({ journeyId: params.journeyId, filters, send });
			const offAccess = on('access:changed', (e) => {
				if (e.workspaceId === workspaceId && e.userId === userId) {
					write('event: closed\ndata: {"reason":"access"}\n\n');
					cleanup();
					try {
						controller.close();
					} catch {
						// already closed by the client
					}
				}
			});
			const offDeleted = on('journey:deleted', (e) => {
				if (e.journeyId === params.journeyId) {
					write('event: closed\ndata: {"reason":"deleted"}\n\n');
					cleanup();
					try {
						controller.close();
					} catch {
						// already closed
					}
				}
			});
			const heartbeat = setInterval(() => write(': keep-alive\n\n'), HEARTBEAT_MS);
			cleanup = () => {
				if (!open) return;
				open = false;
				clearInterval(heartbeat);
				unwatch();
				offAccess();
				offDeleted();
			};
			request.signal.addEventListener('abort', () => cleanup());
			// Tells EventSource how soon to come back after a drop.
			write('retry: 2000\n\n');
			send(await journeyScores(db, params.journeyId, filters));
		},
		cancel() {
			cleanup();
		}
	});

	return new Response(stream, {
		headers: {
			'content-type': 'text/event-stream; charset=utf-8',
			'cache-control': 'no-store, no-transform',
			'x-accel-buffering': 'no'
		}
	});
};
