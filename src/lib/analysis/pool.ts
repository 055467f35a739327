/**
 * A small, generic worker-thread pool: a fixed number of workers, each handling one task at a time,
 * tasks queued in order. Works with TypeScript worker entries under tsx (for a `.ts` entry each worker
 * registers tsx's loader before importing it; a built `.js` entry is loaded directly).
 */
import { Worker, parentPort, isMainThread } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';

export interface PoolOptions {
	/** Worker entry (file URL or path); it must call {@link serveWorker}. */
	entry: URL | string;
	/** Number of workers; defaults to the number of cores. */
	size?: number;
	workerData?: unknown;
}

export interface WorkerPool<In, Out> {
	readonly size: number;
	run(input: In): Promise<Out>;
	/** Waits for queued tasks, then stops the workers. */
	close(): Promise<void>;
}

interface Job<In, Out> {
	input: In;
	resolve: (v: Out) => void;
	reject: (e: Error) => void;
}

type Reply<Out> = { ok: true; output: Out } | { ok: false; error: string };

/** Loader hooks of the parent (tsx's included) do not reach worker threads on Node 20. */
function needsTsx(path: string): boolean {
	return /\.[cm]?ts$/.test(path);
}

/** Starts a pool of workers running `entry`. */
export function createWorkerPool<In, Out>(options: PoolOptions): WorkerPool<In, Out> {
	const path = options.entry instanceof URL ? fileURLToPath(options.entry) : options.entry;
	const size = Math.max(1, options.size ?? availableParallelism());
	// A .ts entry: a bootstrap registers tsx inside the worker before importing it.
	const bootstrap = needsTsx(path)
		? `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(pathToFileURL(path).href)}); })`
		: null;
	const queue: Job<In, Out>[] = [];
	const idle: Worker[] = [];
	const busy = new Map<Worker, Job<In, Out>>();
	let closing: Promise<void> | null = null;
	let drained: (() => void) | null = null;

	const dispatch = () => {
		while (idle.length && queue.length) {
			const w = idle.pop()!;
			const job = queue.shift()!;
			busy.set(w, job);
			w.postMessage(job.input);
		}
		if (drained && queue.length === 0 && busy.size === 0) drained();
	};

	const spawn = (): Worker => {
		const w = bootstrap
			? new Worker(bootstrap, { eval: true, workerData: options.workerData })
			: new Worker(path, { workerData: options.workerData });
		w.on('message', (reply: Reply<Out>) => {
			const job = busy.get(w);
			busy.delete(w);
			idle.push(w);
			if (job) {
				if (reply.ok) job.resolve(reply.output);
				else job.reject(new Error(reply.error));
			}
			dispatch();
		});
		w.on('error', (err) => {
			const job = busy.get(w);
			busy.delete(w);
			job?.reject(err);
			// Replace the dead worker so the pool keeps its size.
			if (!closing) {
				idle.push(spawn());
				dispatch();
			}
		});
		return w;
	};

	const workers: Worker[] = [];
	for (let i = 0; i < size; i++) {
		const w = spawn();
		workers.push(w);
		idle.push(w);
	}

	return {
		size,
		run(input: In): Promise<Out> {
			if (closing) return Promise.reject(new Error('worker pool is closed'));
			return new Promise<Out>((resolve, reject) => {
				queue.push({ input, resolve, reject });
				dispatch();
			});
		},
		close(): Promise<void> {
			closing ??= new Promise<void>((resolve) => {
				drained = resolve;
				dispatch();
			}).then(async () => {
				await Promise.all([...idle, ...busy.keys()].map((w) => w.terminate()));
			});
			return closing;
		}
	};
}

/** Worker side: answers each message with `handler(message)`. */
export function serveWorker<In, Out>(handler: (input: In) => Out | Promise<Out>): void {
	if (isMainThread || !parentPort) throw new Error('serveWorker must run inside a worker thread');
	const port = parentPort;
	port.on('message', async (input: In) => {
		try {
			port.postMessage({ ok: true, output: await handler(input) } satisfies Reply<Out>);
		} catch (err) {
			port.postMessage({
				ok: false,
				error: err instanceof Error ? err.message : String(err)
			} satisfies Reply<Out>);
		}
	});
}
