/** Test data with sensible defaults; each call makes a distinct user or workspace. */
import type { Role } from '../../../src/lib/access/roles';
import type { Db } from '../../../src/lib/server/db';
import { journey, membership, user, workspace } from '../../../src/lib/server/db/schema';
import { hashPassword } from '../../../src/lib/server/auth/password';

let n = 0;
const unique = () => `${Date.now().toString(36)}${(n++).toString(36)}`;

// Hashing is slow on purpose; tests share one hash of the default password.
export const DEFAULT_PASSWORD = 'correct horse battery';
let sharedHash: Promise<string> | null = null;

export async function makeUser(db: Db, overrides: { email?: string; name?: string } = {}) {
	sharedHash ??= hashPassword(DEFAULT_PASSWORD);
	const [row] = await db
		.insert(user)
		.values({
			email: overrides.email ?? `user-${unique()}@example.com`,
			name: overrides.name ?? 'Test User',
			passwordHash: await sharedHash
		})
		.returning();
	return row;
}

export async function makeWorkspace(db: Db, owner: { id: string }, name = `Workspace ${unique()}`) {
	const [ws] = await db.insert(workspace).values({ name }).returning();
	await db.insert(membership).values({ workspaceId: ws.id, userId: owner.id, role: 'owner' });
	return ws;
}

export async function addMember(db: Db, workspaceId: string, member: { id: string }, role: Role) {
	await db.insert(membership).values({ workspaceId, userId: member.id, role });
}

export async function makeJourney(db: Db, workspaceId: string, title = 'Journey') {
	const [row] = await db.insert(journey).values({ workspaceId, title }).returning();
	return row;
}
