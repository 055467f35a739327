/**
 * When to take an automatic version of a journey being edited: after a quiet period following the last
 * edit, and at the latest `maxIntervalMs` after the first edit not in a version yet (a workshop that
 * never pauses still gets one an hour). Nothing is due while nothing changed.
 */

export interface AutoVersionTiming {
	/** Quiet time after the last edit. */
	quietMs: number;
	/** Longest time an edit waits for a version while edits continue. */
	maxIntervalMs: number;
}

export const DEFAULT_TIMING: AutoVersionTiming = { quietMs: 5 * 60_000, maxIntervalMs: 60 * 60_000 };

export interface EditClock {
	/** First edit since the last version, or null when there is none. */
	dirtySince: number | null;
	lastEditAt: number | null;
}

export const CLEAN: EditClock = { dirtySince: null, lastEditAt: null };

export function recordEdit(clock: EditClock, now: number): EditClock {
	return { dirtySince: clock.dirtySince ?? now, lastEditAt: now };
}

/** The time an automatic version is due, or null when nothing changed since the last one. */
export function versionDueAt(clock: EditClock, timing: AutoVersionTiming): number | null {
	if (clock.dirtySince === null || clock.lastEditAt === null) return null;
	return Math.min(clock.lastEditAt + timing.quietMs, clock.dirtySince + timing.maxIntervalMs);
}

/** Reads the timing from strings such as environment variables; bad or missing values keep the default. */
export function parseTiming(
	quiet: string | undefined,
	maxInterval: string | undefined,
	base: AutoVersionTiming = DEFAULT_TIMING
): AutoVersionTiming {
	const read = (v: string | undefined, fallback: number) => {
		const n = Number(v);
		return v !== undefined && v.trim() !== '' && Number.isFinite(n) && n > 0 ? n : fallback;
	};
	return { quietMs: read(quiet, base.quietMs), maxIntervalMs: read(maxInterval, base.maxIntervalMs) };
}
