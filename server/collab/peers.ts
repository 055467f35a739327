/**
 * What rooms of one journey in different instances tell each other through a `CollabFanout`: document
 * updates and presence as they happen, and a state exchange when a room loads or the link comes back
 * (pub/sub keeps nothing for an instance that was not listening).
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

export type PeerMessage =
	| { type: 'update'; update: Uint8Array }
	| { type: 'awareness'; update: Uint8Array }
	/** "I hold this state": holders answer with what the sender lacks and their own state vector. */
	| { type: 'sync-request'; from: string; stateVector: Uint8Array }
	| { type: 'sync-reply'; to: string; diff: Uint8Array; stateVector: Uint8Array };

const TYPES = ['update', 'awareness', 'sync-request', 'sync-reply'] as const;

export function encodePeerMessage(m: PeerMessage): Uint8Array {
	const e = encoding.createEncoder();
	encoding.writeVarUint(e, TYPES.indexOf(m.type));
	switch (m.type) {
		case 'update':
		case 'awareness':
			encoding.writeVarUint8Array(e, m.update);
			break;
		case 'sync-request':
			encoding.writeVarString(e, m.from);
			encoding.writeVarUint8Array(e, m.stateVector);
			break;
		case 'sync-reply':
			encoding.writeVarString(e, m.to);
			encoding.writeVarUint8Array(e, m.diff);
			encoding.writeVarUint8Array(e, m.stateVector);
			break;
	}
	return encoding.toUint8Array(e);
}

/** Throws on bytes that are not a peer message. */
export function decodePeerMessage(bytes: Uint8Array): PeerMessage {
	const d = decoding.createDecoder(bytes);
	const type = TYPES[decoding.readVarUint(d)];
	switch (type) {
		case 'update':
		case 'awareness':
			return { type, update: decoding.readVarUint8Array(d) };
		case 'sync-request':
			return { type, from: decoding.readVarString(d), stateVector: decoding.readVarUint8Array(d) };
		case 'sync-reply':
			return {
				type,
				to: decoding.readVarString(d),
				diff: decoding.readVarUint8Array(d),
				stateVector: decoding.readVarUint8Array(d)
			};
		default:
			throw new Error('unknown peer message type');
	}
}
