/**
 * Keyboard shortcuts of the journey editor: one table, used by the key handler and shown in the help
 * panel, so what is listed is what works. Pure.
 */
export const COMMANDS = [
	'newTouchpoint',
	'newStage',
	'delete',
	'undo',
	'redo',
	'copy',
	'paste',
	'duplicate',
	'selectAll',
	'moveUp',
	'moveDown',
	'moveLeft',
	'moveRight',
	'edit',
	'fit',
	'zoomIn',
	'zoomOut',
	'help',
	'escape'
] as const;
export type Command = (typeof COMMANDS)[number];

/** Commands that change the journey: not offered to viewers. */
export const EDITING_COMMANDS: ReadonlySet<Command> = new Set<Command>([
	'newTouchpoint',
	'newStage',
	'delete',
	'undo',
	'redo',
	'paste',
	'duplicate',
	'moveUp',
	'moveDown',
	'moveLeft',
	'moveRight'
]);

export interface Shortcut {
	command: Command;
	/** `Mod` is Ctrl, or ⌘ on a Mac. */
	keys: string[];
}

export const SHORTCUTS: Shortcut[] = [
	{ command: 'newTouchpoint', keys: ['N'] },
	{ command: 'newStage', keys: ['S'] },
	{ command: 'edit', keys: ['Enter'] },
	{ command: 'delete', keys: ['Delete', 'Backspace'] },
	{ command: 'undo', keys: ['Mod+Z'] },
	{ command: 'redo', keys: ['Mod+Shift+Z', 'Mod+Y'] },
	{ command: 'copy', keys: ['Mod+C'] },
	{ command: 'paste', keys: ['Mod+V'] },
	{ command: 'duplicate', keys: ['Mod+D'] },
	{ command: 'selectAll', keys: ['Mod+A'] },
	{ command: 'moveUp', keys: ['Alt+ArrowUp'] },
	{ command: 'moveDown', keys: ['Alt+ArrowDown'] },
	{ command: 'moveLeft', keys: ['Alt+ArrowLeft'] },
	{ command: 'moveRight', keys: ['Alt+ArrowRight'] },
	{ command: 'fit', keys: ['F'] },
	{ command: 'zoomIn', keys: ['+'] },
	{ command: 'zoomOut', keys: ['-'] },
	{ command: 'help', keys: ['?'] },
	{ command: 'escape', keys: ['Escape'] }
];

export interface KeyInput {
	key: string;
	ctrlKey: boolean;
	metaKey: boolean;
	shiftKey: boolean;
	altKey: boolean;
}

/** The chord of a key event, in the notation of `SHORTCUTS` (`Mod+Shift+Z`). */
export function chordOf(e: KeyInput, mac: boolean): string {
	const mod = mac ? e.metaKey : e.ctrlKey;
	const parts: string[] = [];
	if (mod) parts.push('Mod');
	if (e.altKey) parts.push('Alt');
	let key = e.key.length === 1 ? e.key.toUpperCase() : e.key;
	// Shift is part of the character for punctuation ('?', '+'); keep it only for letters and named keys.
	const printable = e.key.length === 1 && !/[a-z]/i.test(e.key);
	if (e.shiftKey && !printable) parts.push('Shift');
	if (key === '=') key = '+';
	parts.push(key);
	return parts.join('+');
}

const byChord = new Map<string, Command>(
	SHORTCUTS.flatMap((s) => s.keys.map((k) => [k, s.command] as const))
);

export function commandFor(e: KeyInput, mac: boolean): Command | null {
	return byChord.get(chordOf(e, mac)) ?? null;
}

/** How to show a chord to a person on this platform. */
export function displayChord(chord: string, mac: boolean): string {
	return chord
		.split(/\+(?!$)/)
		.map((p) =>
			p === 'Mod'
				? mac
					? '⌘'
					: 'Ctrl'
				: p === 'Shift'
					? mac
						? '⇧'
						: 'Shift'
					: p === 'Alt'
						? mac
							? '⌥'
							: 'Alt'
						: p.replace('Arrow', '')
		)
		.join(mac ? '' : '+');
}
