import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireAccess, type Actor } from '../../src/lib/server/access';
import { createApiKey } from '../../src/lib/server/api-keys';
import { recheckCollabAccess } from '../../src/lib/server/collab-auth';
import type { Database } from '../../src/lib/server/db';
import { createInvite } from '../../src/lib/server/invites';
import { createJourney, listJourneys } from '../../src/lib/server/journeys';
import { changeRole, getWorkspace, listMembers, renameWorkspace } from '../../src/lib/server/workspaces';
import { engines } from './helpers/db';
import { status } from './helpers/status';
import { addMember, makeJourney, makeUser, makeWorkspace } from './helpers/factories';

type Who = 'anonymous' | 'viewer' | 'editor' | 'owner' | 'other workspace';
const WHO: Who[] = ['anonymous', 'viewer', 'editor', 'owner', 'other workspace'];

/** The status each kind of user must get for each kind of operation (200 = allowed). */
const EXPECTED: Record<'read' | 'write' | 'manage', Record<Who, number>> = {
	read: { anonymous: 401, viewer: 200, editor: 200, owner: 200, 'other workspace': 404 },
	write: { anonymous: 401, viewer: 403, editor: 200, owner: 200, 'other workspace': 404 },
	manage: { anonymous: 401, viewer: 403, editor: 403, owner: 200, 'other workspace': 404 }
};

describe.each(engines())('access matrix on $engine', ({ open }) => {
	let database: Database;
	let actors: Record<Who, Actor>;
	let workspaceId: string;
	let journeyId: string;

	beforeAll(async () => {
		database = await open();
		const db = database.db;
		const owner = await makeUser(db);
		const editor = await makeUser(db);
		const viewer = await makeUser(db);
		const outsider = await makeUser(db);
		const ws = await makeWorkspace(db, owner);
		await addMember(db, ws.id, editor, 'editor');
		await addMember(db, ws.id, viewer, 'viewer');
		await makeWorkspace(db, outsider); // a member elsewhere, not here
		workspaceId = ws.id;
		journeyId = (await makeJourney(db, ws.id)).id;
		actors = { anonymous: null, viewer, editor, owner, 'other workspace': outsider };
	});
	afterAll(async () => {
		await database.close();
	});

	const operations = {
		read: {
			'workspace:read': (a: Actor) => getWorkspace(database.db, a, workspaceId),
			'list members': (a: Actor) => listMembers(database.db, a, workspaceId),
			'list journeys': (a: Actor) => listJourneys(database.db, a, workspaceId),
			'journey:read': (a: Actor) => requireAccess(database.db, a, 'journey:read', { journeyId })
		},
		write: {
			'create journey': (a: Actor) => createJourney(database.db, a, workspaceId, { title: 'New' }),
			'journey:edit': (a: Actor) => requireAccess(database.db, a, 'journey:edit', { journeyId }),
			'feedback:handle': (a: Actor) => requireAccess(database.db, a, 'feedback:handle', { workspaceId })
		},
		manage: {
			rename: (a: Actor) => renameWorkspace(database.db, a, workspaceId, 'Renamed'),
			invite: (a: Actor) => createInvite(database.db, a, workspaceId, 'viewer'),
			'api key': (a: Actor) => createApiKey(database.db, a, workspaceId, 'key'),
			'change role': (a: Actor) =>
				changeRole(database.db, a, workspaceId, (actors.viewer as { id: string }).id, 'viewer')
		}
	} as const;

	for (const kind of ['read', 'write', 'manage'] as const) {
		for (const [name, op] of Object.entries(operations[kind])) {
			it.each(WHO)(`${kind}: ${name} as %s`, async (who) => {
				expect(await status(() => op(actors[who]))).toBe(EXPECTED[kind][who]);
			});
		}
	}

	it('answers 404, not 403, for ids that do not exist or are not ids', async () => {
		const owner = actors.owner;
		expect(
			await status(() =>
				requireAccess(database.db, owner, 'journey:read', { journeyId: crypto.randomUUID() })
			)
		).toBe(404);
		expect(
			await status(() => requireAccess(database.db, owner, 'journey:read', { journeyId: 'not-an-id' }))
		).toBe(404);
		expect(await status(() => getWorkspace(database.db, owner, "'; drop table user; --"))).toBe(404);
	});

	it('reads again the access behind open editors: keeps, refuses, reconnects with new rights, discards', async () => {
		const db = database.db;
		const owner = await makeUser(db);
		const kept = await makeUser(db);
		const demoted = await makeUser(db);
		const removed = await makeUser(db);
		const ws = await makeWorkspace(db, owner);
		await addMember(db, ws.id, kept, 'editor');
		await addMember(db, ws.id, demoted, 'viewer');
		const journey = (await makeJourney(db, ws.id)).id;
		const gone = crypto.randomUUID();
		const decisions = await recheckCollabAccess(db, [
			{ userId: owner.id, journeyId: journey, readOnly: false },
			{ userId: kept.id, journeyId: journey, readOnly: false },
			// Connected as an editor; a viewer now.
			{ userId: demoted.id, journeyId: journey, readOnly: false },
			{ userId: removed.id, journeyId: journey, readOnly: false },
			{ userId: owner.id, journeyId: gone, readOnly: false }
		]);
		expect(decisions).toEqual([
			{ journeyId: gone, action: 'discard' },
			{ userId: owner.id, journeyId: journey, action: 'keep' },
			{ userId: kept.id, journeyId: journey, action: 'keep' },
			{ userId: demoted.id, journeyId: journey, action: 'reconnect' },
			{ userId: removed.id, journeyId: journey, action: 'forbid' }
		]);
		expect(await recheckCollabAccess(db, [])).toEqual([]);
	});
});
