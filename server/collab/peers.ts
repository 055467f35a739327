/**
 * What rooms of one journey in different instances tell each other through a `CollabFanout`: document
 * updates and presence as they happen, and a state exchange when a room loads or the link comes back
 * (pub/sub keeps nothing for an instance that was not listening).
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

export type PeerMessage =
	| { type: 'update'; update: Uint8Array }
	/** Presence, with the user behind each client id announced here (a member may not speak for another's). */
	| { type: 'awareness'; update: Uint8Array; owners: [clientId: number, userId: string][] }
	/** What a peer lacked after a state exchange: often known already, so checked before it is relayed. */
	| { type: 'catch-up'; update: Uint8Array }
	/** "I hold this state": holders answer with what the sender lacks and their own state vector. */
	| { type: 'sync-request'; from: string; stateVector: Uint8Array }
	| { type: 'sync-reply'; to: string; diff: Uint8Array; stateVector: Uint8Array };

const TYPES = ['update', 'awareness', 'sync-request', 'sync-reply', 'catch-up'] as const;

export function encodePeerMessage(m: PeerMessage): Uint8Array {
	const e = encoding.createEncoder();
	encoding.writeVarUint(e, TYPES.indexOf(m.type));
	switch (m.type) {
		case 'update':
		case 'catch-up':
			encoding.writeVarUint8Array(e, m.update);
			break;
		case 'awareness':
			encoding.writeVarUint8Array(e, m.update);
			encoding.writeVarUint(e, m.owners.length);
			for (const [id, user] of m.owners) {
				encoding.writeVarUint(e, id);
				encoding.writeVarString(e, user);
			}
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
		case 'catch-up':
			return { type, update: decoding.readVarUint8Array(d) };
		case 'awareness': {
			const update = decoding.readVarUint8Array(d);
			const owners: [number, string][] = [];
			for (let n = decoding.readVarUint(d); n > 0; n--)
				owners.push([decoding.readVarUint(d), decoding.readVarString(d)]);
			return { type, update, owners };
		}
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
