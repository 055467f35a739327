/**
 * Copy and paste of touchpoints, with the connections between them, inside a journey or from one
 * journey to another (through the system clipboard as JSON). Pure: works on a `JourneyDocument`.
 */
import type { ConnectionKind, JourneyDocument, JourneySnapshot, TouchpointInput } from '$lib/journey';

export const CLIPBOARD_FORMAT = 'parcours.touchpoints';

export interface ClipboardTouchpoint {
	/** Id in the journey it was copied from: connections refer to it. */
	ref: string;
	stageId: string;
	fields: Omit<TouchpointInput, 'id'>;
}

export interface JourneyClipboard {
	format: typeof CLIPBOARD_FORMAT;
	touchpoints: ClipboardTouchpoint[];
	connections: { from: string; to: string; kind: ConnectionKind; label: string }[];
}

/** The touchpoints `ids` in journey order, and the connections among them. */
export function copyTouchpoints(snapshot: JourneySnapshot, ids: Iterable<string>): JourneyClipboard {
	const wanted = new Set(ids);
	const touchpoints = snapshot.touchpoints
		.filter((t) => wanted.has(t.id))
		.map(({ id, stageId, ...fields }) => ({ ref: id, stageId, fields }));
	const refs = new Set(touchpoints.map((t) => t.ref));
	const connections = snapshot.connections
		.filter((c) => refs.has(c.from) && refs.has(c.to))
		.map(({ from, to, kind, label }) => ({ from, to, kind, label }));
	return { format: CLIPBOARD_FORMAT, touchpoints, connections };
}

/** Reads clipboard text; null when it is not a copy of touchpoints. */
export function parseClipboard(text: string): JourneyClipboard | null {
	try {
		const data = JSON.parse(text) as Partial<JourneyClipboard>;
		if (data?.format !== CLIPBOARD_FORMAT) return null;
		if (!Array.isArray(data.touchpoints) || !Array.isArray(data.connections)) return null;
		return data as JourneyClipboard;
	} catch {
		return null;
	}
}

export interface PasteTarget {
	/** Paste every touchpoint into this stage (after `afterId` when it is in it, else at the end). */
	stageId?: string;
	afterId?: string;
}

/**
 * Adds copies of the clipboard's touchpoints and connections, one operation each: the model's
 * placement index is only refreshed after a transaction, so several insertions into one stage cannot
 * share one. Undo managers merge the operations into one step when run without pause.
 * Without a target stage each copy goes right after its original, or at the end of its original stage,
 * or in the first stage when that stage is gone. Persona ids unknown here are dropped; an item the
 * model refuses is skipped. Returns the new touchpoint ids.
 */
export function pasteTouchpoints(
	journey: JourneyDocument,
	clip: JourneyClipboard,
	target: PasteTarget = {}
): string[] {
	const created: string[] = [];
	const snap = journey.snapshot();
	if (!snap.stages.length) return created;
	const personaIds = new Set(snap.personas.map((p) => p.id));
	const stageIds = new Set(snap.stages.map((s) => s.id));
	const refToId = new Map<string, string>();
	// Follow each stage's order by hand rather than re-reading the snapshot after every insertion.
	const lists = new Map(snap.stages.map((s) => [s.id, [] as string[]]));
	for (const t of snap.touchpoints) lists.get(t.stageId)?.push(t.id);
	// With a target stage, copies follow each other there; without one, each follows its original.
	const cursor = new Map<string, number>();
	for (const tp of clip.touchpoints) {
		const stageId =
			target.stageId && stageIds.has(target.stageId)
				? target.stageId
				: stageIds.has(tp.stageId)
					? tp.stageId
					: snap.stages[0].id;
		const list = lists.get(stageId)!;
		let index = target.stageId ? cursor.get(stageId) : undefined;
		if (index === undefined) {
			const at = list.indexOf((target.stageId ? target.afterId : tp.ref) ?? '');
			index = at >= 0 ? at + 1 : list.length;
		}
		const ids = tp.fields.personaIds?.filter((p) => personaIds.has(p)) ?? null;
		try {
			const id = journey.addTouchpoint(
				stageId,
				{ ...tp.fields, personaIds: ids && ids.length ? ids : null },
				{ index }
			);
			refToId.set(tp.ref, id);
			created.push(id);
			list.splice(index, 0, id);
			cursor.set(stageId, index + 1);
		} catch {
			// A field this journey refuses (another version, a hand-edited clipboard): skip that card.
		}
	}
	for (const c of clip.connections) {
		const from = refToId.get(c.from);
		const to = refToId.get(c.to);
		if (!from || !to) continue;
		try {
			journey.addConnection({ from, to, kind: c.kind, label: c.label });
		} catch {
			// Same as above.
		}
	}
	return created;
}
