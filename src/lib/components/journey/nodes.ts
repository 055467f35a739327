/** Node and edge shapes of the journey canvas (what each custom node receives as `data`). */
import type { Edge, Node } from '@xyflow/svelte';
import type { CurveRow } from '$lib/collab/layout';
import type { CurveSlot } from '$lib/collab/live-curve';
import type { Stage, StageGroup, Touchpoint } from '$lib/journey';

export interface Tag {
	name: string;
	color: string;
}

/** How a card or column differs from a compared version (null: same, or not comparing). */
export type DiffMark = 'added' | 'removed' | 'changed' | null;

export type TouchpointNodeData = {
	tp: Touchpoint;
	personas: Tag[];
	dimmed: boolean;
	/** Other people who have this card selected. */
	peers: Tag[];
	/** Someone editing a field of this card. */
	editing: Tag | null;
	ownerName: string | null;
	readOnly: boolean;
	mark: DiffMark;
};

export type StageNodeData = {
	stage: Stage;
	count: number;
	peers: Tag[];
	readOnly: boolean;
	mark: DiffMark;
};

export type GroupNodeData = { group: StageGroup; stages: number };

export type CurveNodeData = {
	curve: CurveRow;
	labelWidth: number;
	/** Every plotted touchpoint's place on the row, for the live line. */
	slots: CurveSlot[];
};

export type TouchpointNode = Node<TouchpointNodeData, 'touchpoint'>;
export type StageNode = Node<StageNodeData, 'stage'>;
export type GroupNode = Node<GroupNodeData, 'group'>;
export type CurveNode = Node<CurveNodeData, 'curve'>;
export type JourneyNode = TouchpointNode | StageNode | GroupNode | CurveNode;
export type JourneyEdge = Edge<{ kind: 'main' | 'alternative' }>;
