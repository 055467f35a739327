/**
 * Hostile frames for the collaboration endpoint, in the y-websocket protocol's framing: broken bytes,
 * protocol abuse, and valid messages in the wrong order. Each fuzz socket gets one batch; frames that
 * the server accepts come first, and the ones that may close the socket last, so that most of a batch
 * is read before the socket is closed.
 */
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import type { Rng } from './fuzz-random';

const MESSAGE_SYNC = 0;
const MESSAGE_AWARENESS = 1;
const FRAME_LIMIT = 1024 * 1024;

/** Kinds the server reads without closing the socket. */
const ACCEPTED_KINDS = {
	'valid update': 30,
	'update with missing dependencies': 2,
	'step 2 twice': 6,
	'step 1 (state vector)': 2,
	'awareness claiming other clients': 6,
	'awareness with many ids': 4
} as const;

/** Kinds that are malformed (or may be, for bit flips) and usually close the socket. */
const HOSTILE_KINDS = {
	'random bytes': 20,
	'truncated message': 20,
	'bit flips': 20,
	'huge varint length': 10,
	'unknown message type': 10,
	'too many awareness entries': 4,
	'oversized (> 1 MiB)': 0.2
} as const;

export type FrameKind = keyof typeof ACCEPTED_KINDS | keyof typeof HOSTILE_KINDS;

export interface Frame {
	kind: FrameKind;
	data: Uint8Array;
}

export interface FrameContext {
	/** Awareness ids of the honest clients, for frames that try to take them over. */
	honestIds(): number[];
	/** A state vector of the shared document, so a step 1 asks for a small diff, not the whole map. */
	stateVector(): Uint8Array;
}

function weighted<K extends string>(rng: Rng, weights: Record<K, number>): K {
	const entries = Object.entries(weights) as [K, number][];
	let r = rng.next() * entries.reduce((s, [, w]) => s + w, 0);
	for (const [k, w] of entries) {
		r -= w;
		if (r < 0) return k;
	}
	return entries[entries.length - 1][0];
}

function syncMessage(step: number, payload: Uint8Array): Uint8Array {
	const e = encoding.createEncoder();
	encoding.writeVarUint(e, MESSAGE_SYNC);
	encoding.writeVarUint(e, step);
	encoding.writeVarUint8Array(e, payload);
	return encoding.toUint8Array(e);
}

function awarenessMessage(entries: { id: number; clock: number; state: unknown }[]): Uint8Array {
	const inner = encoding.createEncoder();
	encoding.writeVarUint(inner, entries.length);
	for (const { id, clock, state } of entries) {
		encoding.writeVarUint(inner, id);
		encoding.writeVarUint(inner, clock);
		encoding.writeVarString(inner, JSON.stringify(state));
	}
	const e = encoding.createEncoder();
	encoding.writeVarUint(e, MESSAGE_AWARENESS);
	encoding.writeVarUint8Array(e, encoding.toUint8Array(inner));
	return encoding.toUint8Array(e);
}

/** Shared, never modified: every oversized frame is a view of it. */
let oversized: Uint8Array | null = null;

/**
 * One fuzz socket's frames. The document edits go to the fuzzer's own root types ("fuzz-*"): a hostile
 * editor may rewrite the map too, but that is an editor's right, not something the server can refuse.
 */
export function socketFrames(rng: Rng, count: number, context: FrameContext): Frame[] {
	const doc = new Y.Doc();
	const updates: Uint8Array[] = [];
	doc.on('update', (u: Uint8Array) => updates.push(u));
	// Small edits that overwrite and delete as much as they add: the map must not grow with the number of
	// frames, or every later join (which merges the whole state) would slow the run down.
	const edit = () => {
		const before = updates.length;
		switch (rng.int(0, 3)) {
			case 0:
				doc
					.getMap('fuzz-map')
					.set(`k${rng.int(0, 9)}`, rng.chance(0.5) ? rng.int(-1e9, 1e9) : 'v'.repeat(rng.int(0, 20)));
				break;
			case 1: {
				const text = doc.getText('fuzz-text');
				if (text.length > 40) text.delete(0, 20);
				text.insert(rng.int(0, text.length), String.fromCharCode(...rng.bytes(rng.int(1, 8))));
				break;
			}
			case 2: {
				const array = doc.getArray('fuzz-array');
				if (array.length > 8) array.delete(0, 4);
				array.push([rng.int(0, 1000), { nested: [rng.next()] }]);
				break;
			}
			default:
				doc.getMap('fuzz-map').delete(`k${rng.int(0, 9)}`);
		}
		return updates.length > before ? updates[updates.length - 1] : Y.encodeStateAsUpdate(doc);
	};
	/** Any valid protocol message, as material to break. */
	const validMessage = (): Uint8Array =>
		rng.chance(0.7)
			? syncMessage(syncProtocol.messageYjsUpdate, edit())
			: awarenessMessage([
					{ id: doc.clientID, clock: rng.int(0, 100), state: { user: { name: 'Mallory' } } }
				]);

	const make = (kind: FrameKind): Frame[] => {
		const one = (data: Uint8Array): Frame[] => [{ kind, data }];
		switch (kind) {
			case 'valid update':
				return one(syncMessage(syncProtocol.messageYjsUpdate, edit()));
			case 'update with missing dependencies': {
				// A second edit without the first: its clock starts past what anyone has, so it stays pending.
				const other = new Y.Doc();
				other.getMap('fuzz-map').set('first', rng.int(0, 9));
				const before = Y.encodeStateVector(other);
				other.getArray('fuzz-array').push([rng.int(0, 9)]);
				const later = Y.encodeStateAsUpdate(other, before);
				other.destroy();
				return one(syncMessage(syncProtocol.messageYjsUpdate, later));
			}
			case 'step 2 twice': {
				edit();
				const state = Y.encodeStateAsUpdate(doc);
				return [
					...one(syncMessage(syncProtocol.messageYjsSyncStep2, state)),
					...one(syncMessage(syncProtocol.messageYjsSyncStep2, state))
				];
			}
			case 'step 1 (state vector)':
				return one(syncMessage(syncProtocol.messageYjsSyncStep1, context.stateVector()));
			case 'awareness claiming other clients':
				return one(
					awarenessMessage(
						context.honestIds().map((id) => ({
							id,
							clock: rng.int(0, 2 ** 30),
							state: rng.chance(0.5) ? null : { user: { name: 'Impostor' } }
						}))
					)
				);
			case 'awareness with many ids':
				return one(
					awarenessMessage(
						Array.from({ length: rng.int(9, 1000) }, () => ({ id: rng.int(0, 2 ** 31), clock: 1, state: {} }))
					)
				);
			case 'too many awareness entries':
				return one(
					awarenessMessage(
						Array.from({ length: rng.int(1001, 5000) }, () => ({
							id: rng.int(0, 2 ** 31),
							clock: 1,
							state: {}
						}))
					)
				);
			case 'random bytes':
				return one(rng.bytes(rng.chance(0.05) ? rng.int(1000, 65_536) : rng.int(0, 300)));
			case 'truncated message': {
				const m = validMessage();
				return one(m.subarray(0, rng.int(0, m.byteLength - 1)));
			}
			case 'bit flips': {
				const m = validMessage().slice();
				for (let i = rng.int(1, 4); i > 0; i--) m[rng.int(0, m.byteLength - 1)] ^= 1 << rng.int(0, 7);
				return one(m);
			}
			case 'huge varint length': {
				const e = encoding.createEncoder();
				const type = rng.pick([MESSAGE_SYNC, MESSAGE_AWARENESS]);
				encoding.writeVarUint(e, type);
				if (type === MESSAGE_SYNC) encoding.writeVarUint(e, rng.int(0, 2));
				// Lengths from just past the frame up to 2^53: the reader must not allocate what they claim.
				encoding.writeVarUint(
					e,
					rng.pick([2 ** 31, 2 ** 32 - 1, Number.MAX_SAFE_INTEGER, rng.int(100, 2 ** 30)])
				);
				encoding.writeUint8Array(e, rng.bytes(rng.int(0, 32)));
				return one(encoding.toUint8Array(e));
			}
			case 'unknown message type': {
				const e = encoding.createEncoder();
				encoding.writeVarUint(e, rng.pick([2, 4, 5, 127, 128, rng.int(6, 2 ** 31), Number.MAX_SAFE_INTEGER]));
				encoding.writeUint8Array(e, rng.bytes(rng.int(0, 64)));
				return one(encoding.toUint8Array(e));
			}
			case 'oversized (> 1 MiB)':
				oversized ??= new Uint8Array(FRAME_LIMIT + 4096);
				return one(oversized.subarray(0, FRAME_LIMIT + rng.int(1, 4096)));
		}
	};

	const accepted: Frame[] = [];
	const hostile: Frame[] = [];
	// Roughly a fifth of the frames are hostile; at least one per socket, so every socket ends on one.
	const hostileCount = Math.max(1, Math.round(count * rng.next() * 0.4));
	while (hostile.length < hostileCount) hostile.push(...make(weighted(rng, HOSTILE_KINDS)));
	while (accepted.length + hostile.length < count) accepted.push(...make(weighted(rng, ACCEPTED_KINDS)));
	doc.destroy();
	return [...accepted, ...hostile];
}
