/**
 * A small seeded generator for the fuzz tests: the same seed gives the same inputs, so a failure is
 * replayed with `FUZZ_SEED=<printed seed>`.
 */
export interface Rng {
	readonly seed: number;
	/** A float in [0, 1). */
	next(): number;
	/** An integer in [min, max]. */
	int(min: number, max: number): number;
	chance(p: number): boolean;
	pick<T>(items: readonly T[]): T;
	bytes(n: number): Uint8Array<ArrayBuffer>;
	/** A child generator, so one consumer's draws do not shift another's. */
	fork(): Rng;
}

/** mulberry32: 32 bits of state is plenty to replay a test run. */
export function createRng(seed: number): Rng {
	let a = seed >>> 0;
	const next = () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
	const rng: Rng = {
		seed,
		next,
		int: (min, max) => min + Math.floor(next() * (max - min + 1)),
		chance: (p) => next() < p,
		pick: (items) => items[Math.floor(next() * items.length)],
		bytes(n) {
			const out = new Uint8Array(n);
			for (let i = 0; i < n; i++) out[i] = Math.floor(next() * 256);
			return out;
		},
		fork: () => createRng(Math.floor(next() * 4294967296))
	};
	return rng;
}

/** The seed from `FUZZ_SEED`, else a fresh one; printed so a failing run can be replayed. */
export function fuzzSeed(label: string): number {
	const fromEnv = process.env.FUZZ_SEED;
	const seed = fromEnv ? Number(fromEnv) >>> 0 : Math.floor(Math.random() * 4294967296);
	console.log(`[fuzz] ${label}: seed ${seed} (replay with FUZZ_SEED=${seed})`);
	return seed;
}
