/**
 * Outgoing webhooks of a workspace: events are queued in `webhook_delivery` (one row per webhook) in
 * the caller's transaction or right after it, and delivered signed, with retries, by the delivery
 * worker. (Stub: the signature features call; being built.)
 */
import type { WebhookEventType } from '../loops';
import type { Db } from './db';

/** Queues one event for every active webhook of the workspace that subscribes to its type. */
export async function enqueueWebhookEvent(
	db: Db,
	workspaceId: string,
	type: WebhookEventType,
	data: Record<string, unknown>
): Promise<void> {
	void [db, workspaceId, type, data];
}
