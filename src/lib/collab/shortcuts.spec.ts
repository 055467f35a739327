import { describe, expect, it } from 'vitest';
import { COMMANDS, SHORTCUTS, commandFor, displayChord } from './shortcuts';

const key = (
	k: string,
	mods: Partial<Record<'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey', boolean>> = {}
) => ({
	key: k,
	ctrlKey: false,
	metaKey: false,
	shiftKey: false,
	altKey: false,
	...mods
});

describe('editor shortcuts', () => {
	it('maps key events to commands, with Ctrl on Linux/Windows and ⌘ on a Mac', () => {
		expect(commandFor(key('n'), false)).toBe('newTouchpoint');
		expect(commandFor(key('z', { ctrlKey: true }), false)).toBe('undo');
		expect(commandFor(key('Z', { ctrlKey: true, shiftKey: true }), false)).toBe('redo');
		expect(commandFor(key('y', { ctrlKey: true }), false)).toBe('redo');
		expect(commandFor(key('z', { metaKey: true }), true)).toBe('undo');
		expect(commandFor(key('z', { metaKey: true }), false)).toBeNull();
		expect(commandFor(key('c', { ctrlKey: true }), false)).toBe('copy');
		expect(commandFor(key('Delete'), false)).toBe('delete');
		expect(commandFor(key('Backspace'), false)).toBe('delete');
		expect(commandFor(key('?', { shiftKey: true }), false)).toBe('help');
		expect(commandFor(key('+', { shiftKey: true }), false)).toBe('zoomIn');
		expect(commandFor(key('='), false)).toBe('zoomIn');
		expect(commandFor(key('ArrowUp', { altKey: true }), false)).toBe('moveUp');
		expect(commandFor(key('f'), false)).toBe('fit');
		// A modifier changes the meaning: Ctrl+N is the browser's, not ours.
		expect(commandFor(key('n', { ctrlKey: true }), false)).toBeNull();
	});

	it('lists every command once and shows chords per platform', () => {
		expect(SHORTCUTS.map((s) => s.command).sort()).toEqual([...COMMANDS].sort());
		expect(displayChord('Mod+Shift+Z', false)).toBe('Ctrl+Shift+Z');
		expect(displayChord('Mod+Shift+Z', true)).toBe('⌘⇧Z');
		expect(displayChord('Alt+ArrowUp', false)).toBe('Alt+Up');
		expect(displayChord('+', false)).toBe('+');
	});
});
