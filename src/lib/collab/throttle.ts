/**
 * Sends the latest of a stream of values at most once per interval, and nothing when the value equals
 * the last one sent: a cursor moved 200 times a second costs at most 10 presence messages, a still
 * cursor costs none. The last value of a burst is always sent (trailing edge).
 */
export interface Throttled<T> {
	push(value: T): void;
	/** Sends the pending value now, if any. */
	flush(): void;
	cancel(): void;
}

export interface ThrottleClock {
	now(): number;
	setTimeout(fn: () => void, ms: number): unknown;
	clearTimeout(handle: unknown): void;
}

const realClock: ThrottleClock = {
	now: () => Date.now(),
	setTimeout: (fn, ms) => setTimeout(fn, ms),
	clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>)
};

export function throttled<T>(
	send: (value: T) => void,
	intervalMs: number,
	equals: (a: T, b: T) => boolean = Object.is,
	clock: ThrottleClock = realClock
): Throttled<T> {
	let last: { value: T } | null = null;
	let lastAt = -Infinity;
	let pending: { value: T } | null = null;
	let timer: unknown = null;

	const emit = () => {
		timer = null;
		if (!pending) return;
		const { value } = pending;
		pending = null;
		if (last && equals(last.value, value)) return;
		last = { value };
		lastAt = clock.now();
		send(value);
	};

	return {
		push(value) {
			pending = { value };
			if (timer !== null) return;
			const wait = lastAt + intervalMs - clock.now();
			if (wait <= 0) emit();
			else timer = clock.setTimeout(emit, wait);
		},
		flush() {
			if (timer !== null) clock.clearTimeout(timer);
			emit();
		},
		cancel() {
			if (timer !== null) clock.clearTimeout(timer);
			timer = null;
			pending = null;
		}
	};
}
