/**
 * Routes WebSocket upgrades to the collaboration server, created once per process on the runtime's
 * database. Shared by the production server and `npm run dev`.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { eq } from 'drizzle-orm';
import { migrateJourneyState } from '../src/lib/journey';
import { roleIn } from '../src/lib/server/access';
import { authenticateCollab, recheckCollabAccess } from '../src/lib/server/collab-auth';
import { createCollabStore } from '../src/lib/server/collab-store';
import { journey } from '../src/lib/server/db/schema';
import { on } from '../src/lib/server/events';
import { getRuntime } from '../src/lib/server/runtime';
import { saveAutoVersion, setLiveDocuments } from '../src/lib/server/versions';
import { parseTiming } from '../src/lib/versions/policy';
import { CloseCode, CollabServer, consoleLogger, createCollabUpgradeHandler, silentLogger } from './collab';
import type { CollabUpgradeHandler } from './collab';

interface Collab {
	server: CollabServer;
	upgrade: CollabUpgradeHandler;
	stop(): Promise<void>;
}

const KEY = Symbol.for('parcours.collab');
type Holder = { [KEY]?: Promise<Collab> };

async function createCollab(): Promise<Collab> {
	const rt = await getRuntime();
	const db = rt.database.db;
	const logger = rt.config.logLevel === 'silent' ? silentLogger : consoleLogger;
	const server = new CollabServer({
		persistence: createCollabStore(db),
		fanout: rt.cluster?.fanout,
		logger,
		prepareState: migrateJourneyState,
		maxConnectionsPerUser: rt.config.collabMaxConnectionsPerUser,
		autoVersion: {
			// Short timings for tests: VERSION_QUIET_MS (default 5 min), VERSION_MAX_INTERVAL_MS (default 1 h).
			...parseTiming(process.env.VERSION_QUIET_MS, process.env.VERSION_MAX_INTERVAL_MS),
			save: async (journeyId, state, editorId) => {
				await saveAutoVersion(db, journeyId, state, editorId);
			}
		}
	});
	const upgrade = createCollabUpgradeHandler({
		collab: server,
		logger,
		authenticate: (req, journeyId) =>
			authenticateCollab(
				db,
				{ cookie: req.headers.cookie, origin: req.headers.origin, host: req.headers.host },
				journeyId
			)
	});
	const offAccess = on('access:changed', ({ workspaceId, userId }) => {
		void (async () => {
			const role = await roleIn(db, userId, workspaceId);
			const journeys = await db
				.select({ id: journey.id })
				.from(journey)
				.where(eq(journey.workspaceId, workspaceId));
			// Removed: close for good. Role changed: close with a code the client retries, so it reconnects
			// with its new rights (read-only or not).
			for (const j of journeys)
				server.closeConnectionsFor(userId, j.id, role ? CloseCode.tryAgain : CloseCode.forbidden);
		})().catch((e) =>
			logger.error('closing connections after an access change failed', { error: String(e) })
		);
	});
	const offDeleted = on('journey:deleted', ({ journeyId }) => void server.discardJourney(journeyId));
	// Removals, role changes and deletions made while the link between instances was broken did not
	// arrive: read them again for every open socket. The database may be as troubled as the link was: a
	// failed read is tried again, a little later each time.
	const recheck = async (attempt: number): Promise<void> => {
		try {
			for (const d of await recheckCollabAccess(db, server.connectionContexts())) {
				if (d.action === 'discard') server.discardJourney(d.journeyId);
				else if (d.action === 'forbid')
					server.closeConnectionsFor(d.userId, d.journeyId, CloseCode.forbidden);
				else if (d.action === 'reconnect')
					server.closeConnectionsFor(d.userId, d.journeyId, CloseCode.tryAgain);
			}
		} catch (e) {
			logger.error('checking access again after missed events failed', { attempt, error: String(e) });
			if (attempt < 4) setTimeout(() => void recheck(attempt + 1), 1_000 * 2 ** attempt).unref();
		}
	};
	const offMissed = on('events:missed', () => void recheck(0));
	return {
		server,
		upgrade,
		async stop() {
			offAccess();
			offDeleted();
			offMissed();
			upgrade.close();
			await server.close();
		}
	};
}

// The version routes (in the SvelteKit bundle) restore and read live documents through this.
setLiveDocuments(async () => (await getCollab()).server);

export function getCollab(): Promise<Collab> {
	const holder = globalThis as Holder;
	holder[KEY] ??= createCollab();
	return holder[KEY];
}

export async function stopCollab(): Promise<void> {
	const holder = globalThis as Holder;
	const c = holder[KEY];
	delete holder[KEY];
	if (c) await (await c).stop();
}

export function handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
	const answer = (status: string) => {
		if (!socket.destroyed) socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
	};
	socket.on('error', () => socket.destroy());
	getCollab().then(
		(c) => {
			// A malformed request must cost this socket only, never the process.
			try {
				if (!c.upgrade.handleUpgrade(req, socket, head)) answer('404 Not Found');
			} catch {
				answer('400 Bad Request');
			}
		},
		() => answer('503 Service Unavailable')
	);
}
