/**
 * Loops of a workspace: create, read, move through listen → solve → measure → follow up, actions and
 * follow-ups. The rules come from `$lib/loops`; this module gathers facts, asks them, and stores what
 * they decide. (Stub: the signatures other features call; being built.)
 */
import type { ActionInput, FollowUpRecordInput } from '../loops';
import type { Actor } from './access';
import type { Db } from './db';

export interface NewLoop {
	journeyId: string;
	title: string;
	problem?: string;
	touchpointIds: string[];
	motive?: string | null;
	ownerId?: string | null;
	/** Feedback items to link as evidence. */
	itemIds?: string[];
	/** The alert the loop is opened from. */
	alertId?: string | null;
}

const notBuilt = () => new Error('loops: not built yet');

export async function createLoop(
	db: Db,
	actor: Actor,
	workspaceId: string,
	input: NewLoop
): Promise<{ id: string }> {
	void [db, actor, workspaceId, input];
	throw notBuilt();
}

/** Status, title, owner or due date of an action (action owners may change its status). */
export async function updateAction(
	db: Db,
	actor: Actor,
	workspaceId: string,
	actionId: string,
	patch: Partial<ActionInput>
): Promise<void> {
	void [db, actor, workspaceId, actionId, patch];
	throw notBuilt();
}

export async function addActionNote(
	db: Db,
	actor: Actor,
	workspaceId: string,
	actionId: string,
	body: string
): Promise<void> {
	void [db, actor, workspaceId, actionId, body];
	throw notBuilt();
}

export async function recordFollowUp(
	db: Db,
	actor: Actor,
	workspaceId: string,
	followUpId: string,
	input: FollowUpRecordInput & { message?: string | null }
): Promise<void> {
	void [db, actor, workspaceId, followUpId, input];
	throw notBuilt();
}

export async function waiveFollowUp(
	db: Db,
	actor: Actor,
	workspaceId: string,
	followUpId: string,
	reason: string
): Promise<void> {
	void [db, actor, workspaceId, followUpId, reason];
	throw notBuilt();
}
