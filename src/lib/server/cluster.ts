/**
 * Several instances of Parcours on one PostgreSQL database: with `REDIS_URL`, Redis pub/sub carries
 * between them what one instance keeps in memory for its own clients — the app's events (live scores,
 * alerts, comments, access changes, the queue's wake-up) and each open journey's document updates and
 * presence. Nothing durable goes through Redis: an instance that missed messages rebuilds from PostgreSQL
 * and from a state exchange with the other instances (see `server/collab/peers.ts`).
 *
 * Pub/sub rather than streams: every message is only useful to instances listening at that moment (a
 * room that loads later reads the database), and pub/sub adds no storage to trim.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { linkEvents, type AppEvents } from './events';

/** Same shape as `CollabFanout` of `server/collab`, which this module cannot import. */
/** Least time between two deliveries of `events:missed` in one process. */
const MISSED_EVERY_MS = 5_000;
/** Notices of `events:missed` this soon after a delivery are about the same outage. */
const SAME_OUTAGE_MS = 1_000;

export interface ClusterFanout {
	join(journeyId: string, receive: (message: Uint8Array) => void): Promise<void>;
	leave(journeyId: string): void;
	/** Resolves to how many other instances listening to the journey got it (0 when Redis is away). */
	publish(journeyId: string, message: Uint8Array): Promise<number>;
	onResume(listener: () => void): () => void;
}

export interface ClusterLink {
	/** Random per process start; tags what this instance publishes so it never handles its own. */
	readonly instanceId: string;
	readonly fanout: ClusterFanout;
	/** Messages published and received, for tests and monitoring. */
	stats(): { published: number; received: number; dropped: number; journeys: number };
	close(): Promise<void>;
}

export class ClusterConfigError extends Error {}

export interface ClusterOptions {
	/** Channel names start with it, so several installations (or test runs) can share one Redis. */
	prefix?: string;
	log?: (message: string, details?: unknown) => void;
	/** How long the first connection may take before the start fails. Default 5 s. */
	connectTimeoutMs?: number;
}

const ID_BYTES = 8;

export async function openCluster(url: string, options: ClusterOptions = {}): Promise<ClusterLink> {
	const prefix = options.prefix ?? 'parcours';
	const log = options.log ?? (() => {});
	const idBytes = randomBytes(ID_BYTES);
	const instanceId = idBytes.toString('hex');
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		throw new ClusterConfigError(`REDIS_URL is not a URL: "${url}" (expected redis://host:6379)`);
	}
	if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
		throw new ClusterConfigError(
			`REDIS_URL must start with redis:// or rediss://, got "${parsed.protocol}//"`
		);
	}
	const settings = {
		lazyConnect: true,
		connectTimeout: options.connectTimeoutMs ?? 5_000,
		// Reconnect for ever, a little slower each time: instances keep serving their own clients meanwhile.
		retryStrategy: (times: number) => Math.min(times * 200, 5_000),
		maxRetriesPerRequest: null
	};
	// Named so an operator (or a test) finds an instance's connections in CLIENT LIST.
	const pub = new Redis(url, { ...settings, connectionName: `${prefix}:${instanceId}:pub` });
	const sub = new Redis(url, { ...settings, connectionName: `${prefix}:${instanceId}:sub` });
	for (const [name, client] of [
		['publisher', pub],
		['subscriber', sub]
	] as const) {
		client.on('error', (e: Error) => log(`redis ${name}: ${e.message}`));
	}
	try {
		await Promise.all([pub.connect(), sub.connect()]);
	} catch (e) {
		pub.disconnect();
		sub.disconnect();
		throw new ClusterConfigError(`cannot reach Redis at ${parsed.host} (REDIS_URL): ${(e as Error).message}`);
	}

	const eventsChannel = `${prefix}:events`;
	const docChannel = (journeyId: string) => `${prefix}:doc:${journeyId}`;
	const receivers = new Map<string, (message: Uint8Array) => void>();
	/** Journeys whose channel Redis confirmed this instance listens to. */
	const listening = new Set<string>();
	const resumeListeners = new Set<() => void>();
	let published = 0;
	let received = 0;
	let dropped = 0;

	// While Redis is away nothing is queued: a queue would grow with every edit and keystroke of the
	// outage and flood the peers on return, and the state exchange on reconnection brings the documents
	// level anyway.
	/** Resolves to how many subscribers got the message (Redis counts this instance when it listens). */
	const publish = (channel: string, body: Uint8Array): Promise<number> => {
		if (pub.status !== 'ready') {
			dropped++;
			return Promise.resolve(0);
		}
		published++;
		return pub.publish(channel, Buffer.concat([idBytes, body])).catch((e: Error) => {
			log(`redis publish on ${channel} failed`, e.message);
			return 0;
		});
	};

	const events = linkEvents((name: keyof AppEvents, payload: unknown) => {
		publish(eventsChannel, Buffer.from(JSON.stringify({ name, payload })));
	});

	sub.on('messageBuffer', (channelBuffer: Buffer, message: Buffer) => {
		if (message.length < ID_BYTES || idBytes.equals(message.subarray(0, ID_BYTES))) return;
		received++;
		const channel = channelBuffer.toString();
		const body = message.subarray(ID_BYTES);
		if (channel === eventsChannel) {
			try {
				const { name, payload } = JSON.parse(body.toString()) as { name: string; payload: unknown };
				if (name === 'events:missed') missed();
				else events.receive(name, payload);
			} catch (e) {
				log('unreadable event from another instance', (e as Error).message);
			}
			return;
		}
		const journeyId = channel.slice(prefix.length + ':doc:'.length);
		receivers.get(journeyId)?.(new Uint8Array(body.buffer, body.byteOffset, body.byteLength));
	});

	// Connected already: every later 'ready' is a reconnection. ioredis subscribes again by itself;
	// what was published or dropped meanwhile is lost, so the rooms exchange states.
	let resumeTimer: ReturnType<typeof setTimeout> | null = null;
	const resume = () => {
		if (resumeTimer) clearTimeout(resumeTimer);
		// After ioredis has sent its SUBSCRIBEs again (and once when both links come back), so the answers
		// to the exchange are heard.
		resumeTimer = setTimeout(() => {
			resumeTimer = null;
			if (pub.status !== 'ready' || sub.status !== 'ready') return;
			log(
				'redis link is back: exchanging document states again, and telling every instance events were missed'
			);
			for (const listener of resumeListeners) listener();
			// Here and, through the link, in the others: whichever side the lost events were sent from.
			publish(eventsChannel, Buffer.from(JSON.stringify({ name: 'events:missed', payload: {} })));
			missed();
		}, 200);
	};

	// Every instance hears of every other's resume: with N instances one outage brings N of these, and a
	// flapping link more. Each means reading access again and reopening every event stream, so this
	// process handles at most one per MISSED_EVERY_MS, and one more at the end of a busy window.
	let missedAt = -Infinity;
	let missedTimer: ReturnType<typeof setTimeout> | null = null;
	const deliverMissed = () => {
		missedTimer = null;
		missedAt = Date.now();
		events.receive('events:missed', {});
	};
	function missed() {
		// Instances whose links came back together tell each other at once: one outage, one delivery.
		// What they would re-read was in the database already when the first delivery read it.
		if (missedTimer || Date.now() - missedAt < SAME_OUTAGE_MS) return;
		const wait = missedAt + MISSED_EVERY_MS - Date.now();
		if (wait <= 0) deliverMissed();
		else missedTimer = setTimeout(deliverMissed, wait);
	}
	sub.on('ready', resume);
	pub.on('ready', resume);
	await sub.subscribe(eventsChannel);

	const fanout: ClusterFanout = {
		async join(journeyId, receive) {
			receivers.set(journeyId, receive);
			const subscribed = sub.subscribe(docChannel(journeyId)).then(
				() => void (receivers.get(journeyId) === receive && listening.add(journeyId)),
				// The journey still opens from the database; the next resume subscribes again.
				(e: Error) => log(`redis subscribe to journey ${journeyId} failed`, e.message)
			);
			// Redis away: the journey opens from the database now; ioredis subscribes on reconnection and
			// the state exchange that follows brings what the other instances hold.
			if (sub.status === 'ready') await subscribed;
		},
		leave(journeyId) {
			if (!receivers.delete(journeyId)) return;
			listening.delete(journeyId);
			sub.unsubscribe(docChannel(journeyId)).catch(() => {});
		},
		async publish(journeyId, message) {
			const reached = await publish(docChannel(journeyId), message);
			// Redis counts this instance among the receivers only once its subscription is confirmed.
			const self = listening.has(journeyId) && sub.status === 'ready' ? 1 : 0;
			return Math.max(0, reached - self);
		},
		onResume(listener) {
			resumeListeners.add(listener);
			return () => void resumeListeners.delete(listener);
		}
	};

	return {
		instanceId,
		fanout,
		stats: () => ({ published, received, dropped, journeys: receivers.size }),
		async close() {
			events.unlink();
			receivers.clear();
			resumeListeners.clear();
			if (resumeTimer) clearTimeout(resumeTimer);
			if (missedTimer) clearTimeout(missedTimer);
			// quit() waits for commands queued while Redis is away: do not let a shutdown hang on them.
			await Promise.race([
				Promise.allSettled([pub.quit(), sub.quit()]),
				new Promise((r) => setTimeout(r, 1_000).unref())
			]);
			pub.disconnect();
			sub.disconnect();
		}
	};
}
