import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

/** Routes WebSocket upgrades. The collaboration server attaches here (journey editor issue). */
export function handleUpgrade(_req: IncomingMessage, socket: Duplex, _head: Buffer): void {
	socket.write('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
	socket.destroy();
}
