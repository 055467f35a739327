/** Workspace API keys for machines: shown once, stored hashed, revocable. */
import { and, desc, eq, isNull } from 'drizzle-orm';
import { isId, requireAccess, type Actor } from './access';
import { generateToken, hashToken } from './auth/token';
import type { Db } from './db';
import { apiKey } from './db/schema';
import { notFound } from './errors';
import { requireText } from './validate';

const KEY_PREFIX = 'pk_';
const KEY_SHAPE = /^pk_[a-z2-7]{32}$/;

export async function createApiKey(db: Db, actor: Actor, workspaceId: string, name: unknown) {
	await requireAccess(db, actor, 'apikey:manage', { workspaceId });
	const clean = requireText('name', name);
	const key = KEY_PREFIX + generateToken();
	const [row] = await db
		.insert(apiKey)
		.values({
			workspaceId,
			name: clean,
			prefix: key.slice(0, 10),
			keyHash: hashToken(key),
			createdBy: actor!.id
		})
		.returning({ id: apiKey.id, name: apiKey.name, prefix: apiKey.prefix, createdAt: apiKey.createdAt });
	return { ...row, key };
}

export async function listApiKeys(db: Db, actor: Actor, workspaceId: string) {
	await requireAccess(db, actor, 'apikey:manage', { workspaceId });
	return db
		.select({
			id: apiKey.id,
			name: apiKey.name,
			prefix: apiKey.prefix,
			createdAt: apiKey.createdAt,
			lastUsedAt: apiKey.lastUsedAt,
			revokedAt: apiKey.revokedAt
		})
		.from(apiKey)
		.where(eq(apiKey.workspaceId, workspaceId))
		.orderBy(desc(apiKey.createdAt));
}

export async function revokeApiKey(db: Db, actor: Actor, workspaceId: string, keyId: unknown): Promise<void> {
	await requireAccess(db, actor, 'apikey:manage', { workspaceId });
	if (!isId(keyId)) throw notFound();
	const rows = await db
		.update(apiKey)
		.set({ revokedAt: new Date() })
		.where(and(eq(apiKey.id, keyId), eq(apiKey.workspaceId, workspaceId), isNull(apiKey.revokedAt)))
		.returning({ id: apiKey.id });
	if (!rows[0]) throw notFound();
}

export interface ApiPrincipal {
	keyId: string;
	workspaceId: string;
}

/** Resolves a raw key from an `Authorization: Bearer` header; null when unknown or revoked. */
export async function authenticateApiKey(
	db: Db,
	raw: string,
	now = new Date()
): Promise<ApiPrincipal | null> {
	if (!KEY_SHAPE.test(raw)) return null;
	const rows = await db
		.update(apiKey)
		.set({ lastUsedAt: now })
		.where(and(eq(apiKey.keyHash, hashToken(raw)), isNull(apiKey.revokedAt)))
		.returning({ keyId: apiKey.id, workspaceId: apiKey.workspaceId });
	return rows[0] ?? null;
}
