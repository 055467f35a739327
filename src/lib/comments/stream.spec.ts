import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openStream, type StreamSource } from './stream';

class FakeSource implements StreamSource {
	onopen: ((e: Event) => void) | null = null;
	onerror: ((e: Event) => void) | null = null;
	readyState = 0;
	closed = false;
	listeners = new Map<string, (e: MessageEvent<string>) => void>();
	addEventListener(type: string, listener: (e: MessageEvent<string>) => void) {
		this.listeners.set(type, listener);
	}
	close() {
		this.closed = true;
		this.readyState = 2;
	}
	emit(type: string, data: unknown) {
		this.listeners.get(type)?.({ data: JSON.stringify(data) } as MessageEvent<string>);
	}
}

describe('event stream in the browser', () => {
	let sources: FakeSource[];
	const open = () => {
		const s = new FakeSource();
		sources.push(s);
		return s;
	};
	beforeEach(() => {
		sources = [];
		vi.useFakeTimers();
	});
	afterEach(() => {
		vi.useRealTimers();
	});

	it('hands each event’s data to its handler and reports the status', () => {
		const got: unknown[] = [];
		const statuses: string[] = [];
		const stop = openStream({
			url: '/x',
			open,
			events: { comments: (d) => got.push(d) },
			onstatus: (s) => statuses.push(s)
		});
		sources[0].onopen?.(new Event('open'));
		sources[0].emit('comments', [{ id: 1 }]);
		expect(got).toEqual([[{ id: 1 }]]);
		expect(statuses).toEqual(['live']);
		stop();
		expect(sources[0].closed).toBe(true);
	});

	it('retries a refused stream with a growing delay, and stops for good when access is gone', () => {
		const statuses: string[] = [];
		openStream({ url: '/x', open, events: {}, onstatus: (s) => statuses.push(s) });
		sources[0].readyState = 2;
		sources[0].onerror?.(new Event('error'));
		expect(sources).toHaveLength(1);
		vi.advanceTimersByTime(2000);
		expect(sources).toHaveLength(2);
		sources[1].readyState = 2;
		sources[1].onerror?.(new Event('error'));
		vi.advanceTimersByTime(2000);
		expect(sources).toHaveLength(2);
		vi.advanceTimersByTime(2000);
		expect(sources).toHaveLength(3);
		sources[2].emit('closed', { reason: 'access' });
		vi.advanceTimersByTime(60_000);
		expect(sources).toHaveLength(3);
		expect(statuses.at(-1)).toBe('stopped');
	});
});
