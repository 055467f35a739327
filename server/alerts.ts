/**
 * Starts the alert detectors and the webhook delivery worker of this process, like `feedback.ts` does
 * for the analysis queue. One of each per process, on `globalThis`, so the dev server's module reloads
 * do not start a second one.
 */
import { AlertService } from '../src/lib/server/alerts';
import type { Runtime } from '../src/lib/server/runtime';
import { WebhookWorker } from '../src/lib/server/webhooks';

interface Alerting {
	stop(): Promise<void>;
}

const KEY = Symbol.for('parcours.alerting');
type Holder = { [KEY]?: Alerting };

export function startAlerting(runtime: Runtime): Alerting {
	const holder = globalThis as Holder;
	if (holder[KEY]) return holder[KEY];
	const { database, config } = runtime;
	const log = (message: string, e?: unknown) => {
		if (config.logLevel !== 'silent') console.error(`[alerts] ${message}`, e);
	};
	const alerts = new AlertService(database.db, {
		evaluateMs: config.alertEvaluateMs,
		log,
		// Several instances take turns on a workspace's detector: each run must leave its state stored
		// for the next one, wherever it runs (one write per run, at most one run a second per workspace).
		persistMs: runtime.cluster ? 0 : undefined
	});
	const webhooks = new WebhookWorker(database.db, { allowPrivate: config.webhookAllowPrivate, log });
	alerts.start();
	webhooks.start();
	const alerting: Alerting = {
		async stop() {
			await alerts.stop();
			await webhooks.stop();
		}
	};
	holder[KEY] = alerting;
	return alerting;
}

export async function stopAlerting(): Promise<void> {
	const holder = globalThis as Holder;
	const a = holder[KEY];
	delete holder[KEY];
	await a?.stop();
}
