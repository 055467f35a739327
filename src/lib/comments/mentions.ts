/**
 * @mentions of workspace members in a comment body. The autocomplete inserts `@` and the member's exact
 * name (`@Marie Dupont`); typed by hand, case and accents do not matter (`@marie dupont`, `@Hélène` as
 * `@helene`), and a first name alone (`@marie`) is enough when only one member has it.
 */

export interface Mentionable {
	id: string;
	name: string;
}

/** A run of the body: plain text, or a mention of `userId` (its text includes the `@`). */
export type BodySegment = { text: string; userId?: string };

/** Lower case without accents, so `É` and `e` compare equal; keeps the length of ASCII-only text. */
export function fold(text: string): string {
	return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

const WORD = /[\p{L}\p{N}_'’-]/u;

/** Folds each character on its own, so an index in the folded text is an index in the original. */
function foldByChar(text: string): string[] {
	return Array.from(text, (c) => fold(c));
}

interface Match {
	start: number;
	end: number;
	userId: string;
}

/** Every mention in `body`, left to right, each of a member in `members`. */
export function findMentions(body: string, members: readonly Mentionable[]): Match[] {
	const chars = foldByChar(body);
	// Longest names first, so `@Marie Dupont` wins over a member called `Marie`.
	const named = members
		.map((m) => ({ id: m.id, name: fold(m.name.trim()) }))
		.filter((m) => m.name)
		.sort((a, b) => b.name.length - a.name.length);
	const byFirstName = new Map<string, string[]>();
	for (const m of named) {
		const first = m.name.split(/\s+/)[0];
		byFirstName.set(first, [...(byFirstName.get(first) ?? []), m.id]);
	}
	const matches: Match[] = [];
	const units = Array.from(body);
	for (let i = 0; i < units.length; i++) {
		if (units[i] !== '@') continue;
		// An e-mail address (`a@b.fr`) is not a mention.
		if (i > 0 && WORD.test(units[i - 1])) continue;
		const found = matchAt(chars, units, i + 1, named, byFirstName);
		if (!found) continue;
		matches.push({ start: i, end: found.end, userId: found.userId });
		i = found.end - 1;
	}
	return matches;
}

function matchAt(
	chars: string[],
	units: string[],
	from: number,
	named: { id: string; name: string }[],
	byFirstName: Map<string, string[]>
): { end: number; userId: string } | null {
	const endsWord = (end: number) => end >= units.length || !WORD.test(units[end]);
	for (const m of named) {
		const len = Array.from(m.name).length;
		const candidate = chars.slice(from, from + len).join('');
		if (candidate === m.name && endsWord(from + len)) return { end: from + len, userId: m.id };
	}
	let end = from;
	while (end < units.length && WORD.test(units[end])) end++;
	if (end === from) return null;
	const ids = byFirstName.get(chars.slice(from, end).join(''));
	return ids?.length === 1 ? { end, userId: ids[0] } : null;
}

/** The members mentioned in `body`, each once, in order of first mention. */
export function mentionedIds(body: string, members: readonly Mentionable[]): string[] {
	return [...new Set(findMentions(body, members).map((m) => m.userId))];
}

/** The body cut into plain text and mentions, for showing mentions highlighted without HTML. */
export function segmentBody(body: string, members: readonly Mentionable[]): BodySegment[] {
	const units = Array.from(body);
	const segments: BodySegment[] = [];
	let at = 0;
	for (const m of findMentions(body, members)) {
		if (m.start > at) segments.push({ text: units.slice(at, m.start).join('') });
		segments.push({ text: units.slice(m.start, m.end).join(''), userId: m.userId });
		at = m.end;
	}
	if (at < units.length) segments.push({ text: units.slice(at).join('') });
	return segments;
}

/**
 * The mention being typed at `caret`: the text after the last `@` that starts a word, when the caret is
 * still in it (up to three words, for full names). Null when the caret is not in a mention.
 */
export function mentionQuery(text: string, caret: number): { start: number; query: string } | null {
	const before = text.slice(0, caret);
	const at = before.lastIndexOf('@');
	if (at < 0 || (at > 0 && WORD.test(before[at - 1]))) return null;
	const query = before.slice(at + 1);
	if (query.includes('\n') || query.split(' ').length > 3 || query.length > 60) return null;
	return { start: at, query };
}

/** Members whose name matches what is typed after `@`: names starting with it first, then containing it. */
export function suggestMembers<M extends Mentionable>(query: string, members: readonly M[], limit = 6): M[] {
	const q = fold(query.trim());
	const scored = members
		.map((m) => {
			const name = fold(m.name);
			const rank = name.startsWith(q)
				? 0
				: name.split(/\s+/).some((w) => w.startsWith(q))
					? 1
					: name.includes(q)
						? 2
						: 3;
			return { m, rank };
		})
		.filter((x) => x.rank < 3)
		.sort((a, b) => a.rank - b.rank || a.m.name.localeCompare(b.m.name));
	return scored.slice(0, limit).map((x) => x.m);
}
