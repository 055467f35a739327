/**
 * A server-sent events channel in the browser that behaves on a shared connection budget: over HTTP/1.1
 * a browser holds at most six connections per host and each open stream takes one, so a tab hidden for
 * a while closes its stream and reopens it when shown (the server sends the current state on connect).
 * A stream the server refused or ended is retried with a growing delay, unless it said why it closed
 * for good (access removed, journey deleted).
 */

export interface StreamSource {
	onopen: ((e: Event) => void) | null;
	onerror: ((e: Event) => void) | null;
	readonly readyState: number;
	addEventListener(type: string, listener: (e: MessageEvent<string>) => void): void;
	close(): void;
}

export interface StreamOptions {
	url: string;
	/** Events to listen to, each with its handler (the data is parsed JSON). */
	events: Record<string, (data: unknown) => void>;
	/** Told when the channel is live, dropped, or ended for good. */
	onstatus?: (status: 'live' | 'reconnecting' | 'stopped') => void;
	open?: (url: string) => StreamSource;
	hiddenGraceMs?: number;
}

const CLOSED = 2;

/** Opens the channel; the returned function closes it for good. */
export function openStream(options: StreamOptions): () => void {
	const open = options.open ?? ((url) => new EventSource(url) as unknown as StreamSource);
	let source: StreamSource | null = null;
	let stopped = false;
	let retryTimer: ReturnType<typeof setTimeout> | null = null;
	let hiddenTimer: ReturnType<typeof setTimeout> | null = null;
	let delay = 2000;

	const status = (s: 'live' | 'reconnecting' | 'stopped') => options.onstatus?.(s);

	function close() {
		source?.close();
		source = null;
	}

	function connect() {
		if (stopped || source) return;
		const s = open(options.url);
		source = s;
		s.onopen = () => {
			delay = 2000;
			status('live');
		};
		s.onerror = () => {
			if (source !== s) return;
			status('reconnecting');
			// The browser retries a dropped stream itself; a refused one (4xx) ends CLOSED and is ours to retry.
			if (s.readyState === CLOSED) {
				close();
				retryLater();
			}
		};
		s.addEventListener('closed', (e) => {
			if (source !== s) return;
			close();
			let reason = '';
			try {
				reason = (JSON.parse(e.data) as { reason?: string }).reason ?? '';
			} catch {
				// no reason given
			}
			if (reason === 'access' || reason === 'deleted') {
				stopped = true;
				status('stopped');
			} else retryLater();
		});
		for (const [name, handler] of Object.entries(options.events)) {
			s.addEventListener(name, (e) => {
				if (source !== s) return;
				try {
					handler(JSON.parse(e.data));
				} catch (err) {
					console.error(`[stream] bad ${name} event`, err);
				}
			});
		}
	}

	function retryLater() {
		if (stopped || retryTimer) return;
		retryTimer = setTimeout(() => {
			retryTimer = null;
			if (!hidden()) connect();
		}, delay);
		delay = Math.min(delay * 2, 30_000);
	}

	const hidden = () => typeof document !== 'undefined' && document.visibilityState === 'hidden';
	const onVisibility = () => {
		if (hidden()) {
			hiddenTimer ??= setTimeout(() => {
				hiddenTimer = null;
				close();
			}, options.hiddenGraceMs ?? 15_000);
			return;
		}
		if (hiddenTimer) clearTimeout(hiddenTimer);
		hiddenTimer = null;
		connect();
	};
	const onOnline = () => connect();
	if (typeof document !== 'undefined') document.addEventListener('visibilitychange', onVisibility);
	if (typeof window !== 'undefined') window.addEventListener('online', onOnline);
	connect();

	return () => {
		stopped = true;
		close();
		if (retryTimer) clearTimeout(retryTimer);
		if (hiddenTimer) clearTimeout(hiddenTimer);
		if (typeof document !== 'undefined') document.removeEventListener('visibilitychange', onVisibility);
		if (typeof window !== 'undefined') window.removeEventListener('online', onOnline);
	};
}
