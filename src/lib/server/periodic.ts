/**
 * Background rounds that run every so often in this process (due-soon notifications, the health digest):
 * one job per name on `globalThis` (like the feedback processor, so a dev-server reload does not start a
 * second), a round never overlapping the previous, timers that do not keep the process alive.
 */
type Job = { stop(): Promise<void> };
type Holder = Record<symbol, Job | undefined>;

const keyOf = (name: string) => Symbol.for(`parcours.${name}`);

/** Starts `round` after `firstMs`, then every `everyMs`; nothing if a job of that name runs already. */
export function startPeriodic(
	name: string,
	firstMs: number,
	everyMs: number,
	round: () => Promise<unknown>
): void {
	const holder = globalThis as unknown as Holder;
	const key = keyOf(name);
	if (holder[key]) return;
	let running: Promise<unknown> | null = null;
	const run = () => {
		running ??= round()
			.catch((e) => console.error(`[${name}] round failed`, e))
			.finally(() => (running = null));
	};
	const first = setTimeout(run, firstMs);
	const timer = setInterval(run, everyMs);
	first.unref();
	timer.unref();
	holder[key] = {
		async stop() {
			clearTimeout(first);
			clearInterval(timer);
			await running;
		}
	};
}

/** Stops the job of that name and waits for a round under way. */
export async function stopPeriodic(name: string): Promise<void> {
	const holder = globalThis as unknown as Holder;
	const key = keyOf(name);
	const job = holder[key];
	delete holder[key];
	await job?.stop();
}
