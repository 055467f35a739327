import { afterEach, describe, expect, it, vi } from 'vitest';
import { LiveScores, type LiveSource } from './live-client.svelte';
import { scoreFromSums } from './stats';
import type { JourneyScores } from './types';

/**
 * The browser store over a stand-in for `EventSource` (the real one is exercised by the Playwright
 * test of the live map): which URL it opens, what it does with messages, drops and filter changes.
 * Vitest runs Svelte's server build, where effects do not run: that only the moved cards redraw is
 * checked in the browser (tests/e2e/live-map.spec.ts).
 */
class FakeSource implements LiveSource {
	readyState = 0;
	onopen: ((e: Event) => void) | null = null;
	onerror: ((e: Event) => void) | null = null;
	closed = false;
	private listeners: { type: string; l: (e: MessageEvent<string>) => void }[] = [];
	constructor(readonly url: string) {}
	addEventListener(type: 'scores' | 'closed', l: (e: MessageEvent<string>) => void) {
		this.listeners.push({ type, l });
	}
	close() {
		this.closed = true;
		this.readyState = 2;
	}
	send(data: unknown, type = 'scores') {
		for (const x of this.listeners)
			if (x.type === type) x.l({ data: JSON.stringify(data) } as MessageEvent<string>);
	}
	fail(readyState: 0 | 2) {
		this.readyState = readyState;
		this.onerror?.(new Event('error'));
	}
}

const tp = (id: string, n: number, sum: number) =>
	scoreFromSums(id, {
		n,
		sum,
		sumSq: (sum * sum) / Math.max(n, 1) + n * 0.25,
		negative: 0,
		neutral: n,
		positive: 0
	});

const message = (touchpoints: JourneyScores['touchpoints'], unmatched = 0): JourneyScores => ({
	journeyId: 'j1',
	at: new Date().toISOString(),
	touchpoints,
	unmatched
});

function setup(visibility: ConstructorParameters<typeof LiveScores>[0]['visibility'] = null) {
	const sources: FakeSource[] = [];
	const live = new LiveScores({
		visibility,
		hiddenGraceMs: 5000,
		workspaceId: 'w1',
		journeyId: 'j1',
		open: (url) => {
			const s = new FakeSource(url);
			sources.push(s);
			return s;
		},
		retry: { first: 1000, max: 4000 }
	});
	return { live, sources };
}

afterEach(() => {
	vi.useRealTimers();
});

describe('LiveScores', () => {
	it('shows each message and reports only the touchpoints that moved', () => {
		const { live, sources } = setup();
		expect(sources[0].url).toBe('/w/w1/journeys/j1/live');
		expect(live.status).toBe('connecting');
		expect(live.get('a')).toBeNull();
		const first = live.apply(message({ a: tp('a', 3, -3), b: tp('b', 1, 2) }, 2));
		expect(first.sort()).toEqual(['a', 'b']);
		expect(live.get('a')).toMatchObject({ volume: 3, score: -1 });
		expect(live.volume).toBe(4);
		expect(live.unmatched).toBe(2);
		const revision = live.revision;

		sources[0].send(message({ a: tp('a', 4, -2), b: tp('b', 1, 2) }, 2));
		expect(live.status).toBe('live');
		expect(live.get('a')!.volume).toBe(4);
		expect(live.revision).toBe(revision + 1);
		expect(live.apply(message({ a: tp('a', 4, -2), b: tp('b', 1, 2) }, 2))).toEqual([]);
		expect(live.revision).toBe(revision + 1);

		// A touchpoint that has no more items (a correction moved them) shows none again.
		expect(live.apply(message({ a: tp('a', 4, -2) }, 2))).toEqual(['b']);
		expect(live.get('b')).toBeNull();
		live.destroy();
		expect(sources[0].closed).toBe(true);
	});

	it('ignores messages of another journey and malformed ones', () => {
		const { live, sources } = setup();
		sources[0].send({ ...message({ a: tp('a', 1, 1) }), journeyId: 'other' });
		sources[0].send('nonsense');
		expect(live.get('a')).toBeNull();
		expect(live.status).toBe('connecting');
		live.destroy();
	});

	it('re-subscribes with the filters when they change, and only then', () => {
		const { live, sources } = setup();
		live.setFilters({ channel: 'email', from: '2026-11-01', product: 'not-an-id' });
		expect(sources).toHaveLength(2);
		expect(sources[0].closed).toBe(true);
		expect(sources[1].url).toBe('/w/w1/journeys/j1/live?from=2026-11-01&channel=email');
		expect(live.query).toBe('?from=2026-11-01&channel=email');
		live.setFilters({ channel: 'email' });
		expect(sources).toHaveLength(2);
		// A message of the old subscription arriving late is not shown.
		sources[0].send(message({ a: tp('a', 9, 9) }));
		expect(live.get('a')).toBeNull();
		live.destroy();
	});

	it('says it is reconnecting on a drop, and re-opens a stream the server closed, backing off', () => {
		vi.useFakeTimers();
		const { live, sources } = setup();
		sources[0].send(message({ a: tp('a', 1, 1) }));
		sources[0].fail(0);
		expect(live.status).toBe('reconnecting');
		expect(sources).toHaveLength(1); // the browser retries this one itself
		sources[0].fail(2);
		vi.advanceTimersByTime(999);
		expect(sources).toHaveLength(1);
		vi.advanceTimersByTime(1);
		expect(sources).toHaveLength(2);
		expect(live.status).toBe('reconnecting');
		expect(live.get('a')!.volume).toBe(1); // the last figures stay on screen meanwhile
		sources[1].fail(2);
		vi.advanceTimersByTime(1999);
		expect(sources).toHaveLength(2);
		vi.advanceTimersByTime(1);
		expect(sources).toHaveLength(3);
		sources[2].send(message({ a: tp('a', 2, 2) }));
		expect(live.status).toBe('live');
		live.destroy();
		vi.advanceTimersByTime(60_000);
		expect(sources).toHaveLength(3);
	});

	it('stops when the server says the journey or the access is gone', () => {
		vi.useFakeTimers();
		const { live, sources } = setup();
		sources[0].send({ reason: 'access' }, 'closed');
		expect(live.status).toBe('stopped');
		expect(sources[0].closed).toBe(true);
		sources[0].fail(2);
		vi.advanceTimersByTime(60_000);
		expect(sources).toHaveLength(1);
		expect(live.status).toBe('stopped');
		live.destroy();
	});

	it('opens the stream again when the server asks for a resync, keeping the figures meanwhile', () => {
		vi.useFakeTimers();
		const { live, sources } = setup();
		sources[0].send(message({ a: tp('a', 1, 1) }));
		sources[0].send({ reason: 'resync' }, 'closed');
		expect(sources[0].closed).toBe(true);
		expect(live.status).toBe('reconnecting');
		expect(live.get('a')!.volume).toBe(1);
		vi.advanceTimersByTime(1000);
		expect(sources).toHaveLength(2);
		expect(sources[1].url).toBe(sources[0].url);
		sources[1].send(message({ a: tp('a', 3, 3) }));
		expect(live.status).toBe('live');
		expect(live.get('a')!.volume).toBe(3);
		live.destroy();
	});

	it('closes the stream of a tab hidden for a while, and reopens it when the tab is shown', () => {
		vi.useFakeTimers();
		let hidden = false;
		let onChange = () => {};
		const { live, sources } = setup({ hidden: () => hidden, listen: (fn) => ((onChange = fn), () => {}) });
		sources[0].send(message({ a: tp('a', 1, 1) }));
		// A quick look at another tab keeps the stream.
		hidden = true;
		onChange();
		vi.advanceTimersByTime(3000);
		hidden = false;
		onChange();
		vi.advanceTimersByTime(10_000);
		expect(sources[0].closed).toBe(false);
		// Away longer than the grace period: closed, the figures stay.
		hidden = true;
		onChange();
		vi.advanceTimersByTime(5000);
		expect(sources[0].closed).toBe(true);
		expect(live.get('a')!.volume).toBe(1);
		hidden = false;
		onChange();
		expect(sources).toHaveLength(2);
		expect(live.status).toBe('reconnecting');
		sources[1].send(message({ a: tp('a', 3, 3) }));
		expect(live.status).toBe('live');
		expect(live.get('a')!.volume).toBe(3);
		live.destroy();
	});
});
