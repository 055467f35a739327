import { getContext, setContext } from 'svelte';
import type { EditorState } from '$lib/collab/editor.svelte';
import type { LiveScores } from '$lib/feedback/live-client.svelte';

/** What the editor's pieces (nodes, panels) share; nodes are rendered by Svelte Flow, so props can't reach them. */
export interface EditorContext {
	editor: EditorState;
	members: { id: string; name: string }[];
	/** Adds a touchpoint in `stageId` where the pointer is (double-click on a column). */
	createAt(stageId: string, clientX: number, clientY: number): void;
	/** Live scores from feedback (server-computed, never in the journey document); null when not shown. */
	live: LiveScores | null;
}

const KEY = Symbol('journey-editor');

export function setEditorContext(ctx: EditorContext): EditorContext {
	return setContext(KEY, ctx);
}

export function getEditorContext(): EditorContext {
	return getContext<EditorContext>(KEY);
}
