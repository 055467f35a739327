import type { Db } from '../../../src/lib/server/db';

/**
 * The same database, with its transactions watched: `running()` tells how many are under way (what is
 * seen at that moment is not committed yet), and `before` runs once before the next one begins — the
 * work of another request landing between a service's first look and its lock.
 */
export function watchTransactions(db: Db) {
	let running = 0;
	let before: (() => Promise<unknown>) | null = null;
	const watched = new Proxy(db, {
		get(target, key) {
			const value = Reflect.get(target, key);
			if (key !== 'transaction') return typeof value === 'function' ? value.bind(target) : value;
			return async (...args: Parameters<Db['transaction']>) => {
				const next = before;
				before = null;
				await next?.();
				running++;
				try {
					return await target.transaction(...args);
				} finally {
					running--;
				}
			};
		}
	});
	return {
		db: watched,
		running: () => running,
		beforeNext(fn: () => Promise<unknown>) {
			before = fn;
		}
	};
}
