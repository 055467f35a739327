import { getContext, setContext } from 'svelte';
import type { EditorState } from '$lib/collab/editor.svelte';
import type { LiveScores } from '$lib/feedback/live-client.svelte';

/** Who is looking at which journey: what the comment, version and export tools need beyond the document. */
export interface JourneyExtras {
	journeyId: string;
	workspaceId: string;
	title: string;
	me: { id: string; name: string };
	role: 'owner' | 'editor' | 'viewer';
	canEdit: boolean;
}

/** What the editor's pieces (nodes, panels) share; nodes are rendered by Svelte Flow, so props can't reach them. */
export interface EditorContext {
	editor: EditorState;
	members: { id: string; name: string }[];
	/** Adds a touchpoint in `stageId` where the pointer is (double-click on a column). */
	createAt(stageId: string, clientX: number, clientY: number): void;
	/** Live scores from feedback (server-computed, never in the journey document); null when not shown. */
	live: LiveScores | null;
	/** Null when the editor shows something other than the live journey (e.g. a past version). */
	extras: JourneyExtras | null;
}

const KEY = Symbol('journey-editor');

export function setEditorContext(ctx: EditorContext): EditorContext {
	return setContext(KEY, ctx);
}

export function getEditorContext(): EditorContext {
	return getContext<EditorContext>(KEY);
}
