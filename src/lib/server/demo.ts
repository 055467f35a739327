/**
 * The demo workspace a new installation starts with, so a first visitor has something to open: two
 * journey maps (airline trip, TV bought online), a catalogue and places that fit them, and a few hundred
 * feedback items committed as pending — the processor analyses them on start, and the maps show live
 * scores, motives and evidence levels at once.
 */
import { eq } from 'drizzle-orm';
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import * as Y from 'yjs';
import {
	buildDemoJourney,
	DEMO_CATALOGUE,
	DEMO_JOURNEY_INFO,
	DEMO_JOURNEYS,
	DEMO_PLACES,
	demoFeedback
} from '../feedback/demo-items';
import { hashPassword } from './auth/password';
import { createCollabStore } from './collab-store';
import type { Db } from './db';
import { appMeta, catalogueItem, journey, membership, place, user, workspace } from './db/schema';
import { emit } from './events';
import { ingestFeedback } from './feedback/ingest';

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
	const seeded = await db.transaction(async (tx) => {
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
		const journeyIds = new Map<string, string>();
		for (const id of DEMO_JOURNEYS) {
			const [row] = await tx
				.insert(journey)
				.values({ workspaceId: ws.id, ...DEMO_JOURNEY_INFO[id], createdBy: demoUser.id })
				.returning({ id: journey.id });
			const doc = new Y.Doc();
			buildDemoJourney(doc, id, demoUser.id);
			await createCollabStore(tx as unknown as Db).saveInitialState(row.id, Y.encodeStateAsUpdate(doc));
			doc.destroy();
			journeyIds.set(id, row.id);
		}
		await tx.insert(catalogueItem).values(DEMO_CATALOGUE.map((e) => ({ workspaceId: ws.id, ...e })));
		await tx.insert(place).values(DEMO_PLACES.map((e) => ({ workspaceId: ws.id, ...e })));
		const items = demoFeedback({ now: new Date() });
		await ingestFeedback(
			tx as unknown as Db,
			{ workspaceId: ws.id, source: 'demo' },
			items.map((i) => ({ ...i.input, journeyId: journeyIds.get(i.journey)! }))
		);
		return { email: DEMO_EMAIL, password, workspaceId: ws.id };
	});
	// The items are visible to the processor only now that the transaction committed.
	if (seeded) emit('feedback:queued', { workspaceId: seeded.workspaceId });
	return seeded;
}
