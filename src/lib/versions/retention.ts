/**
 * Which versions retention deletes. Versions made by the server (automatic ones and those kept before a
 * restore) count together against the workspace's limit, newest kept; named versions are never deleted.
 * A before-restore version is the undo of a restore: it is kept as long as it is among the newest.
 */

export type VersionKind = 'auto' | 'named' | 'before-restore';

export const MIN_AUTO_VERSIONS = 1;
export const MAX_AUTO_VERSIONS = 1000;

export function countsAgainstRetention(kind: VersionKind): boolean {
	return kind !== 'named';
}

/** Ids to delete so that at most `keep` server-made versions remain (the newest ones). */
export function versionsToDelete(
	versions: { id: string; kind: VersionKind; createdAt: Date }[],
	keep: number
): string[] {
	const made = versions
		.filter((v) => countsAgainstRetention(v.kind))
		.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1));
	return made.slice(Math.max(0, keep)).map((v) => v.id);
}

/** The keep count from a form field: an integer in 1..1000, or null. */
export function parseKeepCount(value: unknown): number | null {
	const s = typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : '';
	if (!/^\d+$/.test(s)) return null;
	const n = Number(s);
	return n >= MIN_AUTO_VERSIONS && n <= MAX_AUTO_VERSIONS ? n : null;
}
