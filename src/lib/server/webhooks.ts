/**
 * Outgoing webhooks of a workspace: events are queued in `webhook_delivery` (one row per webhook) in
 * the caller's transaction or right after it, and delivered signed, with retries, by the delivery
 * worker. The envelope, signature and retry schedule are `$lib/loops/webhook`; this module stores,
 * claims and sends.
 */
import { randomUUID } from 'node:crypto';
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { lookup } from 'node:dns/promises';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { and, count, desc, eq, inArray, lt, sql } from 'drizzle-orm';
import {
	checkWebhookUrl,
	DEFAULT_RETRY,
	generateWebhookSecret,
	nextDelivery,
	WEBHOOK_EVENT_TYPES,
	webhookBody,
	webhookHeaders,
	type RetrySettings,
	type WebhookEvent,
	type WebhookEventType
} from '../loops';
import { isId, requireAccess, type Actor } from './access';
import { readConfig } from './config';
import type { Db } from './db';
import { rowsOf } from './db/raw';
import { webhook, webhookDelivery } from './db/schema';
import { AppError, invalid, notFound } from './errors';

/** The type of the test event an owner sends from the settings: not a subscription, always delivered. */
export const TEST_EVENT_TYPE = 'webhook.test';
export type OutgoingEventType = WebhookEventType | typeof TEST_EVENT_TYPE;

/** Enough for a few receivers (a chat tool, an automation, a ticketing system) without a loop of them. */
export const MAX_WEBHOOKS = 10;
/** Deliveries listed per webhook in the settings. */
export const RECENT_DELIVERIES = 10;

/** Tells this process's workers that deliveries are due (after a transaction that queued some commits). */
export function pokeWorkers(): void {
	for (const poke of pokes()) poke();
}

const KEY = Symbol.for('parcours.webhook-pokes');
/** Workers of this process, on `globalThis` so the SvelteKit bundle and the server entry share them. */
function pokes(): Set<() => void> {
	const holder = globalThis as { [KEY]?: Set<() => void> };
	return (holder[KEY] ??= new Set());
}

async function queue(
	db: Db,
	workspaceId: string,
	type: OutgoingEventType,
	data: Record<string, unknown>,
	webhookIds: string[] | null,
	now: number
): Promise<number> {
	const hooks = await db
		.select({ id: webhook.id, events: webhook.events })
		.from(webhook)
		.where(
			and(
				eq(webhook.workspaceId, workspaceId),
				webhookIds ? inArray(webhook.id, webhookIds) : eq(webhook.active, true)
			)
		);
	const targets = webhookIds ? hooks : hooks.filter((h) => h.events.length === 0 || h.events.includes(type));
	if (!targets.length) return 0;
	// One id for every receiver and every retry: receivers drop duplicates by it.
	const event = { id: randomUUID(), type, createdAt: now, workspaceId, data } as WebhookEvent;
	const body = webhookBody(event);
	await db
		.insert(webhookDelivery)
		.values(
			targets.map((h) => ({
				webhookId: h.id,
				eventId: event.id,
				eventType: type,
				body,
				nextAttemptAt: new Date(now)
			}))
		)
		.onConflictDoNothing();
	return targets.length;
}

/** Queues one event for every active webhook of the workspace that subscribes to its type. */
export async function enqueueWebhookEvent(
	db: Db,
	workspaceId: string,
	type: WebhookEventType,
	data: Record<string, unknown>,
	now = Date.now()
): Promise<void> {
	if (await queue(db, workspaceId, type, data, null, now)) pokeWorkers();
}

// ── Whether an endpoint may be reached ───────────────────────────────────────────────────────────

/**
 * Addresses that are not the public internet: the server's own host and networks, and every range
 * that embeds or translates an IPv4 address (which could point back at them). BlockList compares
 * address bytes, so every spelling of an address (`::ffff:7f00:1`, `::127.0.0.1`) is caught. The two
 * families are kept apart because a BlockList also checks an IPv4 address against IPv6 rules as
 * `::ffff:a.b.c.d`, which the IPv6 list refuses as a whole.
 */
function blockList(family: 'ipv4' | 'ipv6', subnets: Array<[string, number]>): BlockList {
	const list = new BlockList();
	for (const [net, prefix] of subnets) list.addSubnet(net, prefix, family);
	return list;
}

const NOT_PUBLIC_V4 = blockList('ipv4', [
	['0.0.0.0', 8], // "this network", unspecified
	['10.0.0.0', 8],
	['100.64.0.0', 10], // carrier-grade NAT
	['127.0.0.0', 8],
	['169.254.0.0', 16], // link-local, cloud metadata
	['172.16.0.0', 12],
	['192.0.0.0', 24], // IETF protocol assignments
	['192.0.2.0', 24], // documentation
	['192.88.99.0', 24], // 6to4 relays
	['192.168.0.0', 16],
	['198.18.0.0', 15], // benchmarking
	['198.51.100.0', 24], // documentation
	['203.0.113.0', 24], // documentation
	['224.0.0.0', 4], // multicast
	['240.0.0.0', 4] // reserved, broadcast
]);

const NOT_PUBLIC_V6 = blockList('ipv6', [
	// Only 2000::/3 is routed unicast today; the rest holds ::, ::1, IPv4-compatible (::/96) and
	// IPv4-mapped (::ffff:0:0/96) addresses, NAT64 (64:ff9b::/96), unique-local fc00::/7,
	// link-local fe80::/10 and multicast ff00::/8.
	['::', 3],
	['4000::', 2],
	['8000::', 1],
	['2001::', 23], // IETF protocol assignments: Teredo (embeds IPv4), benchmarking, ORCHID
	['2001:db8::', 32], // documentation
	['2002::', 16], // 6to4 (embeds IPv4)
	['3fff::', 20] // documentation
]);

/** True for any address that is not on the public internet, and for anything that is not an address. */
export function isPrivateAddress(ip: string): boolean {
	// A zone (`fe80::1%eth0`) names an interface of this host: link-local whatever its address.
	if (ip.includes('%')) return true;
	const v = isIP(ip);
	if (v === 4) return NOT_PUBLIC_V4.check(ip, 'ipv4');
	if (v === 6) return NOT_PUBLIC_V6.check(ip, 'ipv6');
	return true;
}

/** The address in a URL's host, or null when the host is a name. */
function literalAddress(url: URL): string | null {
	const host = url.hostname.replace(/^\[|\]$/g, '');
	return isIP(host) ? host : null;
}

/** A name may be reached only when every address it resolves to is public (any may be connected to). */
function allPublic(addresses: Array<{ address: string }>): boolean {
	return addresses.length > 0 && addresses.every((a) => !isPrivateAddress(a.address));
}

/** Why an endpoint may not be reached, or null when it may. */
export type Unreachable = 'private_address' | 'unresolved';

/**
 * Refuses a URL whose host is or resolves to a private address, or does not resolve at all, unless
 * the configuration allows private addresses. This is the check when a webhook is saved; delivery
 * checks again on the very connection it makes (see `lookupPublic`), since a name may be pointed
 * elsewhere between the two.
 */
export async function unreachable(url: string, allowPrivate: boolean): Promise<Unreachable | null> {
	if (allowPrivate) return null;
	const parsed = new URL(url);
	const literal = literalAddress(parsed);
	if (literal) return isPrivateAddress(literal) ? 'private_address' : null;
	try {
		const addresses = await lookup(parsed.hostname, { all: true });
		if (!addresses.length) return 'unresolved';
		return allPublic(addresses) ? null : 'private_address';
	} catch {
		return 'unresolved';
	}
}

/** Whether a URL may be reached now (see `unreachable`). */
export async function reachable(url: string, allowPrivate: boolean): Promise<boolean> {
	return (await unreachable(url, allowPrivate)) === null;
}

/** What a refused connection fails with, so the worker gives the delivery up instead of retrying. */
class PrivateAddressError extends Error {
	constructor(host: string) {
		super(`${host} is not a public address`);
		this.name = 'PrivateAddressError';
	}
}

/**
 * A `lookup` for `http.request` that resolves the name and refuses when any of its addresses is
 * private. The socket connects only to what this returns, so a name that answered with a public
 * address when it was saved cannot be rebound to a private one for the delivery.
 */
export const lookupPublic: LookupFunction = (hostname, options, callback) => {
	dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
		if (error) return callback(error, '', 0);
		if (!allPublic(addresses)) return callback(new PrivateAddressError(hostname), '', 0);
		if (options.all) return (callback as unknown as (e: null, all: LookupAddress[]) => void)(null, addresses);
		callback(null, addresses[0].address, addresses[0].family);
	});
};

export interface WebhookResponse {
	status: number;
	retryAfter: string | null;
}

/**
 * Posts a webhook body without following redirects (one could lead to an address refused here).
 * Unless `allowPrivate`, a literal private address is refused before connecting and a name is
 * resolved, checked and connected to in one step; a refusal rejects with a `PrivateAddressError`.
 */
export function postWebhook(
	url: string,
	headers: Record<string, string>,
	body: string,
	opts: { allowPrivate: boolean; timeoutMs: number }
): Promise<WebhookResponse> {
	const target = new URL(url);
	const literal = literalAddress(target);
	if (!opts.allowPrivate && literal && isPrivateAddress(literal))
		return Promise.reject(new PrivateAddressError(literal));
	const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
	const signal = AbortSignal.timeout(opts.timeoutMs);
	return new Promise((resolve, reject) => {
		const req = send(target, {
			method: 'POST',
			headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) },
			// No pooled socket: each delivery connects, and so is checked, anew.
			agent: false,
			lookup: opts.allowPrivate ? undefined : lookupPublic,
			signal
		});
		req.on('response', (res) => {
			const retryAfter = res.headers['retry-after'];
			resolve({
				status: res.statusCode ?? 0,
				retryAfter: typeof retryAfter === 'string' ? retryAfter : null
			});
			// The answer's body is not read: the status says it all.
			res.destroy();
		});
		// Aborted by the timeout: say so (its reason is a TimeoutError), not "aborted".
		req.on('error', (e) => reject(signal.aborted ? signal.reason : e));
		req.end(body);
	});
}

/** Deliveries sent or given up are kept this long for the settings page, then deleted. */
export const KEEP_DELIVERIES_DAYS = 30;
const PRUNE_EVERY_MS = 3_600_000;

/** Deletes finished deliveries older than `KEEP_DELIVERIES_DAYS`; returns how many. */
export async function pruneDeliveries(db: Db, now = Date.now()): Promise<number> {
	const before = new Date(now - KEEP_DELIVERIES_DAYS * 86_400_000);
	const gone = await db
		.delete(webhookDelivery)
		.where(and(sql`${webhookDelivery.status} <> 'pending'`, lt(webhookDelivery.createdAt, before)))
		.returning({ id: webhookDelivery.id });
	return gone.length;
}

// ── Delivery worker ──────────────────────────────────────────────────────────────────────────────

export interface WebhookWorkerOptions {
	retry?: RetrySettings;
	allowPrivate?: boolean;
	/** How often due deliveries are looked for when nothing pokes the worker. Default 5 s. */
	pollMs?: number;
	batchSize?: number;
	/** A claim older than this was abandoned (its process died). Default 2 minutes. */
	claimTimeoutMs?: number;
	now?: () => number;
	log?: (message: string, error?: unknown) => void;
}

interface Claimed {
	id: string;
	webhook_id: string;
	event_id: string;
	event_type: string;
	body: string;
	attempts: number;
	url: string;
	secret: string;
}

/**
 * Sends due deliveries. Several processes may share a PostgreSQL queue: a batch is claimed with
 * `FOR UPDATE SKIP LOCKED` and a claim token, and every outcome is written only under that token, so
 * an event is sent once per attempt even with two workers.
 */
export class WebhookWorker {
	private readonly opts: Required<Omit<WebhookWorkerOptions, 'log'>> & Pick<WebhookWorkerOptions, 'log'>;
	private timer: ReturnType<typeof setTimeout> | null = null;
	private running: Promise<void> | null = null;
	private again = false;
	private stopped = true;
	private readonly poke = () => this.schedule(0);

	constructor(
		private readonly db: Db,
		options: WebhookWorkerOptions = {}
	) {
		this.opts = {
			retry: options.retry ?? DEFAULT_RETRY,
			allowPrivate: options.allowPrivate ?? readConfig().webhookAllowPrivate,
			pollMs: options.pollMs ?? 5_000,
			batchSize: options.batchSize ?? 20,
			claimTimeoutMs: options.claimTimeoutMs ?? 120_000,
			now: options.now ?? Date.now,
			log: options.log
		};
	}

	start(): void {
		if (!this.stopped) return;
		this.stopped = false;
		pokes().add(this.poke);
		this.schedule(0);
	}

	async stop(): Promise<void> {
		this.stopped = true;
		pokes().delete(this.poke);
		if (this.timer) clearTimeout(this.timer);
		this.timer = null;
		await this.running;
	}

	private schedule(ms: number): void {
		if (this.stopped) return;
		if (this.running) {
			this.again = true;
			return;
		}
		if (this.timer) clearTimeout(this.timer);
		this.timer = setTimeout(() => {
			this.timer = null;
			this.running = this.drain().finally(() => {
				this.running = null;
				const again = this.again;
				this.again = false;
				this.schedule(again ? 0 : this.opts.pollMs);
			});
		}, ms);
	}

	private lastPrune = 0;

	private async drain(): Promise<void> {
		try {
			if (this.opts.now() - this.lastPrune > PRUNE_EVERY_MS) {
				this.lastPrune = this.opts.now();
				await pruneDeliveries(this.db, this.opts.now());
			}
			while (!this.stopped && (await this.runOnce()) > 0);
		} catch (e) {
			this.opts.log?.('webhook delivery failed', e);
		}
	}

	/** Claims the due deliveries, sends them and stores each outcome; returns how many were attempted. */
	async runOnce(): Promise<number> {
		const token = randomUUID();
		const claimed = await this.claim(token);
		await Promise.all(claimed.map((c) => this.deliver(token, c)));
		return claimed.length;
	}

	private async claim(token: string): Promise<Claimed[]> {
		const now = new Date(this.opts.now()).toISOString();
		const timeout = `${Math.ceil(this.opts.claimTimeoutMs / 1000)} seconds`;
		const rows = await this.db.execute(sql`
			with due as (
				select d.id from webhook_delivery d join webhook w on w.id = d.webhook_id
				where d.status = 'pending' and w.active and d.next_attempt_at <= ${now}::timestamptz
					and (d.claim_token is null or d.claimed_at < now() - ${timeout}::interval)
				order by d.next_attempt_at
				limit ${this.opts.batchSize}
				for update of d skip locked
			)
			update webhook_delivery d set claim_token = ${token}, claimed_at = now()
			from due, webhook w
			where d.id = due.id and w.id = d.webhook_id
			returning d.id, d.webhook_id, d.event_id, d.event_type, d.body, d.attempts, w.url, w.secret`);
		return rowsOf<Claimed>(rows);
	}

	private async deliver(token: string, c: Claimed): Promise<void> {
		const attempt = c.attempts + 1;
		let status: number | null = null;
		let retryAfter: string | null = null;
		let error: string | null = null;
		const sentAt = this.opts.now();
		try {
			const event = { id: c.event_id, type: c.event_type } as WebhookEvent;
			const headers = {
				'Content-Type': 'application/json',
				'User-Agent': 'Parcours-Webhooks',
				...webhookHeaders(c.secret, event, c.body, sentAt)
			};
			const res = await postWebhook(c.url, headers, c.body, {
				allowPrivate: this.opts.allowPrivate,
				timeoutMs: this.opts.retry.timeoutMs
			});
			status = res.status;
			retryAfter = res.retryAfter;
		} catch (e) {
			if (e instanceof PrivateAddressError) {
				const rejected = { type: 'give_up', reason: 'rejected' } as const;
				await this.store(token, c.id, attempt, rejected, null, 'private_address');
				return;
			}
			error = (e as { name?: unknown } | null)?.name === 'TimeoutError' ? 'timeout' : 'network_error';
		}
		const decision = nextDelivery(attempt, { status, retryAfter }, this.opts.now(), this.opts.retry);
		await this.store(token, c.id, attempt, decision, status, error);
	}

	private async store(
		token: string,
		id: string,
		attempt: number,
		decision: ReturnType<typeof nextDelivery>,
		status: number | null,
		error: string | null
	): Promise<void> {
		const base = {
			attempts: attempt,
			lastStatus: status,
			lastError: error,
			claimToken: null,
			claimedAt: null
		};
		const patch =
			decision.type === 'delivered'
				? { ...base, status: 'delivered', deliveredAt: new Date(this.opts.now()) }
				: decision.type === 'retry'
					? { ...base, nextAttemptAt: new Date(decision.at) }
					: { ...base, status: 'failed', lastError: error ?? decision.reason };
		await this.db
			.update(webhookDelivery)
			.set(patch)
			.where(and(eq(webhookDelivery.id, id), eq(webhookDelivery.claimToken, token)));
	}
}

// ── Management by workspace owners ───────────────────────────────────────────────────────────────

export interface WebhookView {
	id: string;
	url: string;
	events: string[];
	active: boolean;
	createdAt: Date;
	pending: number;
	failed: number;
	deliveries: Array<{
		id: string;
		eventType: string;
		status: string;
		attempts: number;
		lastStatus: number | null;
		lastError: string | null;
		nextAttemptAt: Date;
		createdAt: Date;
		deliveredAt: Date | null;
	}>;
}

async function parseUrl(raw: unknown): Promise<string> {
	const checked = checkWebhookUrl(typeof raw === 'string' ? raw : '');
	if (!checked.ok) throw invalid('url', `alerts.webhooks.error.${checked.issue}`);
	const refused = await unreachable(checked.url, readConfig().webhookAllowPrivate);
	if (refused) throw invalid('url', `alerts.webhooks.error.${refused}`);
	return checked.url;
}

function parseEvents(raw: unknown): WebhookEventType[] {
	const list = (Array.isArray(raw) ? raw : raw ? [raw] : []).map(String);
	const known = WEBHOOK_EVENT_TYPES as readonly string[];
	const bad = list.find((e) => !known.includes(e));
	if (bad !== undefined) throw invalid('events', 'alerts.webhooks.error.event', { event: bad });
	return [...new Set(list)] as WebhookEventType[];
}

async function ownWebhook(db: Db, workspaceId: string, id: string) {
	if (!isId(id)) throw notFound();
	const [row] = await db
		.select()
		.from(webhook)
		.where(and(eq(webhook.id, id), eq(webhook.workspaceId, workspaceId)));
	if (!row) throw notFound();
	return row;
}

/** Creates a webhook; its secret is returned here only (shown once, then only rotated). */
export async function createWebhook(
	db: Db,
	actor: Actor,
	workspaceId: string,
	input: { url: unknown; events?: unknown }
): Promise<{ id: string; secret: string }> {
	await requireAccess(db, actor, 'workspace:manage', { workspaceId });
	const url = await parseUrl(input.url);
	const events = parseEvents(input.events);
	const [{ n }] = await db.select({ n: count() }).from(webhook).where(eq(webhook.workspaceId, workspaceId));
	if (Number(n) >= MAX_WEBHOOKS)
		throw new AppError(409, 'alerts.webhooks.error.tooMany', { max: MAX_WEBHOOKS }, 'url');
	const secret = generateWebhookSecret();
	const [row] = await db
		.insert(webhook)
		.values({ workspaceId, url, events, secret, createdBy: actor!.id })
		.returning({ id: webhook.id });
	return { id: row.id, secret };
}

export async function listWebhooks(db: Db, actor: Actor, workspaceId: string): Promise<WebhookView[]> {
	await requireAccess(db, actor, 'workspace:manage', { workspaceId });
	const hooks = await db
		.select()
		.from(webhook)
		.where(eq(webhook.workspaceId, workspaceId))
		.orderBy(webhook.createdAt);
	const views: WebhookView[] = [];
	for (const h of hooks) {
		const deliveries = await db
			.select({
				id: webhookDelivery.id,
				eventType: webhookDelivery.eventType,
				status: webhookDelivery.status,
				attempts: webhookDelivery.attempts,
				lastStatus: webhookDelivery.lastStatus,
				lastError: webhookDelivery.lastError,
				nextAttemptAt: webhookDelivery.nextAttemptAt,
				createdAt: webhookDelivery.createdAt,
				deliveredAt: webhookDelivery.deliveredAt
			})
			.from(webhookDelivery)
			.where(eq(webhookDelivery.webhookId, h.id))
			.orderBy(desc(webhookDelivery.createdAt), desc(webhookDelivery.id))
			.limit(RECENT_DELIVERIES);
		const counts = await db
			.select({ status: webhookDelivery.status, n: count() })
			.from(webhookDelivery)
			.where(and(eq(webhookDelivery.webhookId, h.id), inArray(webhookDelivery.status, ['pending', 'failed'])))
			.groupBy(webhookDelivery.status);
		const of = (s: string) => Number(counts.find((c) => c.status === s)?.n ?? 0);
		views.push({
			id: h.id,
			url: h.url,
			events: h.events,
			active: h.active,
			createdAt: h.createdAt,
			pending: of('pending'),
			failed: of('failed'),
			deliveries
		});
	}
	return views;
}

/** A new secret, returned once; deliveries from now on are signed with it. */
export async function rotateWebhookSecret(
	db: Db,
	actor: Actor,
	workspaceId: string,
	id: string
): Promise<{ secret: string }> {
	await requireAccess(db, actor, 'workspace:manage', { workspaceId });
	await ownWebhook(db, workspaceId, id);
	const secret = generateWebhookSecret();
	await db.update(webhook).set({ secret }).where(eq(webhook.id, id));
	return { secret };
}

/** Paused webhooks keep their queue; it is sent when they are resumed. */
export async function setWebhookActive(
	db: Db,
	actor: Actor,
	workspaceId: string,
	id: string,
	active: boolean
): Promise<void> {
	await requireAccess(db, actor, 'workspace:manage', { workspaceId });
	await ownWebhook(db, workspaceId, id);
	await db.update(webhook).set({ active }).where(eq(webhook.id, id));
	if (active) pokeWorkers();
}

export async function deleteWebhook(db: Db, actor: Actor, workspaceId: string, id: string): Promise<void> {
	await requireAccess(db, actor, 'workspace:manage', { workspaceId });
	await ownWebhook(db, workspaceId, id);
	await db.delete(webhook).where(eq(webhook.id, id));
}

/** Queues a `webhook.test` event to this webhook only, whatever it subscribes to. */
export async function sendTestEvent(
	db: Db,
	actor: Actor,
	workspaceId: string,
	id: string,
	now = Date.now()
): Promise<void> {
	await requireAccess(db, actor, 'workspace:manage', { workspaceId });
	const row = await ownWebhook(db, workspaceId, id);
	if (!row.active) throw new AppError(409, 'alerts.webhooks.error.paused');
	await queue(db, workspaceId, TEST_EVENT_TYPE, { message: 'Parcours webhook test' }, [id], now);
	pokeWorkers();
}
