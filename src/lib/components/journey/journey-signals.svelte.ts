/**
 * The open alerts and open loops of one open journey in the browser, by touchpoint: every card reads
 * them (cards are rendered by Svelte Flow, outside any one component tree), so one event stream per
 * journey is opened by the first card and closed by the last.
 */
/* eslint-disable svelte/prefer-svelte-reactivity -- the registry is bookkeeping, not state */
import { onDestroy } from 'svelte';
import { openStream } from '$lib/comments/stream';
import type { LoopStage } from '$lib/loops';
import { getEditorContext } from './context';

export interface SignalsMessage {
	alerts: Record<string, { id: string; openedAt: string }>;
	loops: Record<string, Array<{ id: string; title: string; stage: LoopStage }>>;
}

export class JourneySignals {
	alerts = $state.raw<SignalsMessage['alerts']>({});
	loops = $state.raw<SignalsMessage['loops']>({});
	private readonly stop: () => void = () => {};

	constructor(workspaceId: string, journeyId: string) {
		if (typeof window === 'undefined') return;
		this.stop = openStream({
			url: `/w/${workspaceId}/journeys/${journeyId}/signals`,
			events: {
				signals: (data) => {
					const d = data as SignalsMessage;
					this.alerts = d.alerts;
					this.loops = d.loops;
				}
			}
		});
	}

	destroy() {
		this.stop();
	}
}

const open = new Map<string, { signals: JourneySignals; users: number }>();

/** The shared signals of a journey; call the returned release when the component goes. */
export function useJourneySignals(workspaceId: string, journeyId: string): [JourneySignals, () => void] {
	const entry = open.get(journeyId) ?? { signals: new JourneySignals(workspaceId, journeyId), users: 0 };
	open.set(journeyId, entry);
	entry.users++;
	let released = false;
	return [
		entry.signals,
		() => {
			if (released) return;
			released = true;
			if (--entry.users > 0) return;
			entry.signals.destroy();
			if (open.get(journeyId) === entry) open.delete(journeyId);
		}
	];
}

/**
 * One touchpoint's open alert and loops, for a component of the editor (call during its
 * initialisation), with the journey's `extras`. A past version shows the map as it was: no live
 * signals there (`extras` is null).
 */
export function useTouchpointSignals(touchpointId: () => string) {
	const { extras } = getEditorContext();
	const shared = extras ? useJourneySignals(extras.workspaceId, extras.journeyId) : null;
	onDestroy(() => shared?.[1]());
	const signals = shared?.[0] ?? null;
	return {
		extras,
		get alert() {
			return signals?.alerts[touchpointId()] ?? null;
		},
		get loops() {
			return signals?.loops[touchpointId()] ?? [];
		}
	};
}
