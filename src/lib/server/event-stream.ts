/**
 * Server-sent event streams (the live scores of a map, its comments, the notification bell): one response
 * per stream that ends with the request, a heartbeat, and a last `closed` event when the user loses
 * access to the workspace.
 */
import { roleIn } from './access';
import type { Db } from './db';
import { on } from './events';

/** Keeps proxies from closing an idle stream. */
const HEARTBEAT_MS = 20_000;
/** Streams told to start again after missed events close within this time, at random. */
const RESYNC_SPREAD_MS = 3_000;

export interface EventStreamSink {
	send(event: string, data: unknown): void;
	/** Sends a last `closed` event and ends the stream. */
	close(reason: string): void;
}

/**
 * An event stream that ends with the request: `setup` subscribes and returns its unsubscribe. It also
 * ends when the user loses access to the workspace, like the journey's live scores.
 */
export function eventStream(
	/** Reads the user's membership again after missed events, so a removed member's client stops. */
	db: Db,
	request: Request,
	who: { userId: string; workspaceId: string },
	setup: (sink: EventStreamSink) => Promise<() => void> | (() => void)
): Response {
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
			const sink: EventStreamSink = {
				send: (event, data) => write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`),
				close(reason) {
					write(`event: closed\ndata: ${JSON.stringify({ reason })}\n\n`);
					cleanup();
					try {
						controller.close();
					} catch {
						// already closed by the client
					}
				}
			};
			const offAccess = on('access:changed', (e) => {
				if (e.workspaceId === who.workspaceId && e.userId === who.userId) sink.close('access');
			});
			// Changes (or this user's removal) may have been lost: the client opens the stream again, which
			// checks its access and starts with the current state. Spread out, so that every open tab does
			// not come back in the same instant.
			let resync: ReturnType<typeof setTimeout> | null = null;
			const offMissed = on('events:missed', () => {
				resync ??= setTimeout(async () => {
					const member = await roleIn(db, who.userId, who.workspaceId).catch(() => 'unknown');
					sink.close(member ? 'resync' : 'access');
				}, Math.random() * RESYNC_SPREAD_MS);
			});
			const heartbeat = setInterval(() => write(': keep-alive\n\n'), HEARTBEAT_MS);
			let unsubscribe = () => {};
			cleanup = () => {
				if (!open) return;
				open = false;
				clearInterval(heartbeat);
				offAccess();
				offMissed();
				if (resync) clearTimeout(resync);
				unsubscribe();
			};
			request.signal.addEventListener('abort', () => cleanup());
			// Tells EventSource how soon to come back after a drop.
			write('retry: 2000\n\n');
			try {
				unsubscribe = await setup(sink);
			} catch (e) {
				console.error('[events] stream setup failed', e);
				sink.close('error');
				return;
			}
			if (!open) unsubscribe();
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
}

/**
 * Coalesces bursts (a thread deleted with its replies, a batch of notifications) into one call after
 * `ms`, so a stream re-reads once per burst instead of once per row.
 */
export function coalesce(fn: () => void, ms = 40): { poke(): void; stop(): void } {
	let timer: ReturnType<typeof setTimeout> | null = null;
	return {
		poke() {
			timer ??= setTimeout(() => {
				timer = null;
				fn();
			}, ms);
		},
		stop() {
			if (timer) clearTimeout(timer);
			timer = null;
		}
	};
}
