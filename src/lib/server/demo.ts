/** The demo workspace a new installation starts with, so a first visitor has something to open. */
import { eq } from 'drizzle-orm';
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import { hashPassword } from './auth/password';
import type { Db } from './db';
import { appMeta, journey, membership, user, workspace } from './db/schema';

export const DEMO_EMAIL = 'demo@parcours.local';
const SEEDED = 'demo_seeded';

export interface DemoCredentials {
	email: string;
	password: string;
	workspaceId: string;
}

function randomPassword(): string {
	const bytes = new Uint8Array(10);
	crypto.getRandomValues(bytes);
	return encodeBase32LowerCaseNoPadding(bytes); // 16 characters
}

/** Seeds the demo once per database; returns the credentials only when it seeded now. */
export async function seedDemo(db: Db): Promise<DemoCredentials | null> {
	const done = await db.select().from(appMeta).where(eq(appMeta.key, SEEDED));
	if (done[0]) return null;
	const password = randomPassword();
	const passwordHash = await hashPassword(password);
	return db.transaction(async (tx) => {
		const claimed = await tx
			.insert(appMeta)
			.values({ key: SEEDED, value: new Date().toISOString() })
			.onConflictDoNothing()
			.returning();
		if (!claimed[0]) return null; // another instance seeded it first
		const existing = await tx.select({ id: user.id }).from(user).where(eq(user.email, DEMO_EMAIL));
		const demoUser =
			existing[0] ??
			(
				await tx
					.insert(user)
					.values({ email: DEMO_EMAIL, name: 'Demo', passwordHash })
					.returning({ id: user.id })
			)[0];
		if (existing[0]) await tx.update(user).set({ passwordHash }).where(eq(user.id, demoUser.id));
		const [ws] = await tx.insert(workspace).values({ name: 'Demo — Parcours' }).returning();
		await tx.insert(membership).values({ workspaceId: ws.id, userId: demoUser.id, role: 'owner' });
		await tx.insert(journey).values([
			{
				workspaceId: ws.id,
				title: 'Airline trip / Voyage en avion',
				description: 'Demo journey: from booking a flight to the trip home.',
				createdBy: demoUser.id
			},
			{
				workspaceId: ws.id,
				title: 'Buying a TV online / Achat d’un téléviseur en ligne',
				description: 'Demo journey: from comparing models to after-sale support.',
				createdBy: demoUser.id
			}
		]);
		return { email: DEMO_EMAIL, password, workspaceId: ws.id };
	});
}
