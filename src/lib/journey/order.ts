/**
 * Fractional order keys: strings that sort between any two others, so moving one item writes one key
 * and concurrent moves never renumber their neighbours. A key is a base-62 fraction without the
 * leading "0." and without trailing zero digits ("V" is one half). Two clients inserting at the same
 * place may produce the same key; readers break ties by id.
 */
const DIGITS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const BASE = DIGITS.length;
const ZERO = DIGITS[0];

function digit(key: string, i: number): number {
	return i < key.length ? DIGITS.indexOf(key[i]) : 0;
}

export function isOrderKey(key: unknown): key is string {
	if (typeof key !== 'string' || key.length === 0 || key.length > 200) return false;
	if (key[key.length - 1] === ZERO) return false;
	for (const c of key) if (DIGITS.indexOf(c) < 0) return false;
	return true;
}

/**
 * A key strictly between `a` and `b`. `a = null` means the start, `b = null` the end. Appending and
 * prepending step by one digit instead of halving, so a column filled one card at a time keeps short keys.
 */
export function orderBetween(a: string | null, b: string | null): string {
	if (a !== null && b !== null && a >= b) throw new Error(`orderBetween: "${a}" is not before "${b}"`);
	return between(a ?? '', b);
}

function between(a: string, b: string | null): string {
	if (b !== null) {
		// Skip the common prefix.
		let n = 0;
		while (n < b.length && (a[n] ?? ZERO) === b[n]) n++;
		if (n > 0) return b.slice(0, n) + between(a.slice(n), b.slice(n));
	}
	const da = digit(a, 0);
	const db = b !== null ? digit(b, 0) : BASE;
	if (db - da > 1) {
		// Room for a digit of its own: step next to `a` when appending, else take the middle.
		const d = b === null && a !== '' ? da + 1 : a === '' && b !== null ? Math.max(db - 1, 1) : 0;
		const mid = d > da && d < db && d !== 0 ? d : Math.round((da + db) / 2);
		return DIGITS[mid];
	}
	// Adjacent digits: keep a's digit and go one level deeper.
	if (b !== null && b.length > 1) return b.slice(0, 1);
	return DIGITS[da] + between(a.slice(1), null);
}

/** `count` keys in increasing order between `a` and `b`, spread evenly (for imports and templates). */
export function orderKeys(a: string | null, b: string | null, count: number): string[] {
	if (count <= 0) return [];
	if (count === 1) return [orderBetween(a, b)];
	const mid = Math.floor(count / 2);
	const c = orderBetween(a, b);
	return [...orderKeys(a, c, mid), c, ...orderKeys(c, b, count - mid - 1)];
}

/** Sorts items by order key, then id, the order every client agrees on. */
export function compareOrder(a: { order: string; id: string }, b: { order: string; id: string }): number {
	if (a.order !== b.order) return a.order < b.order ? -1 : 1;
	return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
