/**
 * Editors of one journey for the crash and soak proofs: real y-websocket clients with a signed-in user's
 * session cookie, each adding touchpoints on a timer and remembering every one it made, so the end state
 * can be checked against every edit (none lost, none doubled).
 */
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { openJourney, type JourneyDocument, type JourneySnapshot } from '../../../src/lib/journey';

export interface Editor {
	doc: Y.Doc;
	journey: JourneyDocument;
	provider: WebsocketProvider;
	/** Titles of the touchpoints this editor added (and has not removed since), in order. */
	made: string[];
	/** Every change this editor made: additions, and in steady mode moves, updates and removals. */
	changes: number;
	synced: Promise<void>;
	destroy(): void;
}

function socketWithCookie(cookie: string): typeof WebSocket {
	return class extends WebSocket {
		constructor(address: string | URL, protocols?: string | string[]) {
			super(address, protocols, { headers: { cookie } });
		}
	} as typeof WebSocket;
}

/** `base` is the app's http(s) URL; `cookie` the Cookie header of a signed-in member. */
export function connectEditor(base: string, journeyId: string, cookie: string): Editor {
	const doc = new Y.Doc();
	const provider = new WebsocketProvider(`${base.replace(/^http/, 'ws')}/collab`, journeyId, doc, {
		WebSocketPolyfill: socketWithCookie(cookie) as never,
		disableBc: true,
		maxBackoffTime: 500
	});
	const synced = new Promise<void>((resolve) => {
		if (provider.synced) resolve();
		provider.on('sync', (s: boolean) => s && resolve());
	});
	const editor: Editor = {
		doc,
		journey: openJourney(doc),
		provider,
		made: [],
		changes: 0,
		synced,
		destroy() {
			provider.destroy();
			doc.destroy();
		}
	};
	return editor;
}

/**
 * Every editor changes the journey every `everyMs` (online or not: y-websocket keeps offline edits and
 * sends them on reconnect) until the returned function is called. By default each change adds a
 * touchpoint, so the journey grows. With `steady`, an editor adds touchpoints until it holds `steady` of
 * its own, then moves, renotes or removes one of them (a third each, from a seeded draw), so a long run
 * keeps the journey at a steady size — what the soak needs to tell memory growth from data growth.
 * Editors only touch their own touchpoints, so the expected end state is known without a CRDT model.
 */
export function keepEditing(
	editors: Editor[],
	everyMs: number,
	label = 'e',
	options: { steady?: number; random?: () => number } = {}
): () => void {
	let stopped = false;
	const random = options.random ?? Math.random;
	const timers = editors.map((e, i) => {
		let n = 0;
		const ids = new Map<string, string>();
		// Spread over the period so the server does not get all editors' edits in one tick.
		const start = setTimeout(
			() => {
				// Read once: a snapshot of the whole journey at every edit would cost more than the edit.
				const stages = e.journey.snapshot().stages.map((st) => st.id);
				const tick = () => {
					if (stopped || stages.length === 0) return;
					e.changes++;
					if (!options.steady || e.made.length < options.steady) {
						const title = `${label}${i}-${n++}`;
						ids.set(title, e.journey.addTouchpoint(stages[n % stages.length], { title, channel: 'web' }));
						e.made.push(title);
						return;
					}
					const draw = random();
					const pick = e.made[Math.floor(random() * e.made.length)];
					if (draw < 1 / 3) {
						const oldest = e.made.shift()!;
						e.journey.removeTouchpoint(ids.get(oldest)!);
						ids.delete(oldest);
					} else if (draw < 2 / 3) {
						e.journey.moveTouchpoint(ids.get(pick)!, stages[Math.floor(random() * stages.length)], 0);
					} else {
						e.journey.updateTouchpoint(ids.get(pick)!, { notes: `note ${n++}` });
					}
				};
				tick();
				timers[i] = setInterval(tick, everyMs);
			},
			Math.floor((everyMs * i) / editors.length)
		);
		return start as ReturnType<typeof setInterval>;
	});
	return () => {
		stopped = true;
		for (const t of timers) clearInterval(t);
	};
}

export const titles = (s: JourneySnapshot) => s.touchpoints.map((t) => t.title).sort();

/** Problems with the editors' end states: differences between them, lost or doubled edits. */
export function endStateProblems(editors: Editor[], expected: string[]): string[] {
	const problems: string[] = [];
	const want = JSON.stringify([...expected].sort());
	// Equal state vectors and delete sets mean equal documents (a removal changes only the delete set).
	const first = Y.snapshot(editors[0].doc);
	editors.forEach((e, i) => {
		if (!Y.equalSnapshots(first, Y.snapshot(e.doc))) problems.push(`editor ${i} differs from editor 0`);
	});
	if (problems.length > 0) return problems;
	const got = titles(editors[0].journey.snapshot());
	if (got.length !== expected.length)
		problems.push(`the editors have ${got.length} touchpoints, ${expected.length} made`);
	else if (JSON.stringify(got) !== want) problems.push('the editors have other touchpoints than made');
	return problems;
}

/** Waits until every editor holds every edit (checked four times a second), then returns what is still wrong. */
export async function settle(editors: Editor[], expected: string[], timeoutMs: number): Promise<string[]> {
	const end = Date.now() + timeoutMs;
	let problems = endStateProblems(editors, expected);
	while (problems.length > 0 && Date.now() < end) {
		await new Promise((r) => setTimeout(r, 250));
		problems = endStateProblems(editors, expected);
	}
	return problems;
}
