/**
 * Where the bell gets its notifications in the browser. A stream that is open anyway (a journey's
 * comments stream) carries them and publishes here; while one does, the bell closes its own stream, so a
 * map tab holds one connection fewer (browsers allow six per host over HTTP/1.1).
 */

export interface NotificationsMessage {
	unread: number;
	latest: unknown[];
}

type Listener = (message: NotificationsMessage) => void;

const listeners = new Set<Listener>();
const carrierWatchers = new Set<(carried: boolean) => void>();
let carriers = 0;

export function publishNotifications(message: NotificationsMessage): void {
	for (const l of listeners) l(message);
}

export function onNotifications(listener: Listener): () => void {
	listeners.add(listener);
	return () => void listeners.delete(listener);
}

/** A stream starts carrying notifications; the returned function says it stopped. */
export function carryNotifications(): () => void {
	carriers++;
	if (carriers === 1) for (const w of carrierWatchers) w(true);
	let done = false;
	return () => {
		if (done) return;
		done = true;
		carriers--;
		if (carriers === 0) for (const w of carrierWatchers) w(false);
	};
}

/** Told now and whenever some stream starts or stops carrying notifications. */
export function watchCarriers(watcher: (carried: boolean) => void): () => void {
	carrierWatchers.add(watcher);
	watcher(carriers > 0);
	return () => void carrierWatchers.delete(watcher);
}
