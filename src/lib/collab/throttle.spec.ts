import { describe, expect, it } from 'vitest';
import { throttled, type ThrottleClock } from './throttle';

function fakeClock() {
	let now = 0;
	const timers: { at: number; fn: () => void; id: number }[] = [];
	let next = 1;
	const clock: ThrottleClock = {
		now: () => now,
		setTimeout: (fn, ms) => {
			const id = next++;
			timers.push({ at: now + ms, fn, id });
			return id;
		},
		clearTimeout: (id) => {
			const i = timers.findIndex((t) => t.id === id);
			if (i >= 0) timers.splice(i, 1);
		}
	};
	const advance = (ms: number) => {
		const end = now + ms;
		for (;;) {
			timers.sort((a, b) => a.at - b.at);
			const t = timers[0];
			if (!t || t.at > end) break;
			timers.shift();
			now = t.at;
			t.fn();
		}
		now = end;
	};
	return { clock, advance };
}

describe('throttled', () => {
	it('sends at most once per interval, the latest value, and drops repeats', () => {
		const { clock, advance } = fakeClock();
		const sent: number[] = [];
		const t = throttled((v: number) => sent.push(v), 100, Object.is, clock);
		t.push(1); // leading edge: sent now
		for (let i = 2; i <= 50; i++) {
			advance(4);
			t.push(i); // 200 Hz for 200 ms
		}
		advance(200);
		expect(sent[0]).toBe(1);
		expect(sent.at(-1)).toBe(50);
		expect(sent.length).toBeLessThanOrEqual(3);
		t.push(50);
		advance(500);
		expect(sent.at(-1)).toBe(50);
		expect(sent.filter((v) => v === 50)).toHaveLength(1);
	});

	it('flushes and cancels the pending value', () => {
		const { clock, advance } = fakeClock();
		const sent: string[] = [];
		const t = throttled((v: string) => sent.push(v), 100, Object.is, clock);
		t.push('a');
		t.push('b');
		t.flush();
		expect(sent).toEqual(['a', 'b']);
		t.push('c');
		t.cancel();
		advance(1000);
		expect(sent).toEqual(['a', 'b']);
	});
});
