/** Presence colours: one per person, the same on every screen, readable on white. */
export const PRESENCE_COLORS = [
	'#d92d20',
	'#1570ef',
	'#079455',
	'#dc6803',
	'#7a5af8',
	'#dd2590',
	'#0e9384',
	'#4e5ba6',
	'#b54708',
	'#6172f3',
	'#c11574',
	'#3e4784'
] as const;

export function colorFor(userId: string): string {
	let h = 2166136261;
	for (let i = 0; i < userId.length; i++) {
		h ^= userId.charCodeAt(i);
		h = Math.imul(h, 16777619);
	}
	return PRESENCE_COLORS[(h >>> 0) % PRESENCE_COLORS.length];
}

/** Up to two initials of a name, for avatars. */
export function initials(name: string): string {
	const parts = name.trim().split(/\s+/).filter(Boolean);
	if (!parts.length) return '?';
	const first = [...parts[0]][0] ?? '';
	const second = parts.length > 1 ? ([...parts.at(-1)!][0] ?? '') : '';
	return (first + second).toUpperCase();
}
