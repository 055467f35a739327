/**
 * The analysis context of a workspace: its taxonomy, its learned model and its journeys' touchpoints,
 * read from the database and cached briefly (a burst of items reuses one context; an edit of the map or
 * of the taxonomy is seen within `ttlMs`).
 */
import { and, eq, isNull } from 'drizzle-orm';
import { deserializeModel, type AnalysisContext, type TouchpointRef } from '../../analysis';
import type { Db } from '../db';
import { journey, workspaceModel } from '../db/schema';
import { on } from '../events';
import { loadJourneySnapshot } from '../journeys';
import { loadTaxonomy } from '../taxonomy';

export interface JourneyContext {
	/** Changes whenever the context does (workers cache compiled analyzers by it). */
	id: string;
	context: AnalysisContext;
	/** Which journey each touchpoint belongs to (a workspace-wide context holds several journeys). */
	journeyOf: Map<string, string>;
}

/** Journey map channels as the analysis names them. */
const ITEM_CHANNEL: Record<string, string | undefined> = {
	email: 'email',
	web_form: 'form',
	social: 'social',
	survey: 'survey',
	chat: 'chat',
	phone: 'phone',
	store: 'store',
	review: 'web'
};

export function analysisChannel(channel: string): string | undefined {
	return ITEM_CHANNEL[channel];
}

/** The touchpoints of a journey's stored map, as the analysis needs them. */
export async function journeyTouchpoints(
	db: Db,
	journeyId: string,
	productIds: (name: string) => string | undefined
): Promise<TouchpointRef[]> {
	const snap = await loadJourneySnapshot(db, journeyId);
	if (!snap) return [];
	const groupOf = new Map(snap.stages.map((s) => [s.id, s.group]));
	return snap.touchpoints.map((tp) => ({
		id: tp.id,
		title: tp.title,
		stage: groupOf.get(tp.stageId) ?? 'sale',
		channel: tp.channel,
		keywords: tp.keywords,
		products: tp.products.map(productIds).filter((p): p is string => !!p)
	}));
}

export interface ContextCache {
	/** Context for items of `journeyId`, or for items without a journey (all active journeys). */
	get(workspaceId: string, journeyId: string | null): Promise<JourneyContext>;
	clear(workspaceId?: string): void;
	close(): void;
}

export function createContextCache(db: Db, options: { ttlMs?: number } = {}): ContextCache {
	const ttl = options.ttlMs ?? 3000;
	const entries = new Map<string, { at: number; value: Promise<JourneyContext> }>();
	let version = 0;

	async function build(workspaceId: string, journeyId: string | null): Promise<JourneyContext> {
		const [taxonomy, modelRows] = await Promise.all([
			loadTaxonomy(db, workspaceId),
			db.select().from(workspaceModel).where(eq(workspaceModel.workspaceId, workspaceId))
		]);
		const byName = new Map<string, string>();
		for (const p of taxonomy.products) {
			for (const n of [p.name, ...(p.aliases ?? [])]) byName.set(n.trim().toLowerCase(), p.id);
		}
		const productIds = (name: string) => byName.get(name.trim().toLowerCase());
		const journeyIds = journeyId
			? [journeyId]
			: (
					await db
						.select({ id: journey.id })
						.from(journey)
						.where(and(eq(journey.workspaceId, workspaceId), isNull(journey.archivedAt)))
				).map((r) => r.id);
		const touchpoints: TouchpointRef[] = [];
		const journeyOf = new Map<string, string>();
		for (const jid of journeyIds) {
			for (const tp of await journeyTouchpoints(db, jid, productIds)) {
				touchpoints.push(tp);
				journeyOf.set(tp.id, jid);
			}
		}
		let model = null;
		if (modelRows[0]) {
			try {
				model = deserializeModel(modelRows[0].model);
			} catch (e) {
				// A model this version cannot read is ignored rather than blocking every item.
				console.error(`[feedback] ignoring unreadable model of workspace ${workspaceId}`, e);
			}
		}
		return {
			id: `${workspaceId}:${journeyId ?? '*'}:${++version}`,
			context: {
				products: taxonomy.products,
				places: taxonomy.places,
				...(taxonomy.motives ? { motives: taxonomy.motives } : {}),
				touchpoints,
				model
			},
			journeyOf
		};
	}

	const offs = [
		on('feedback:context-changed', ({ workspaceId }) => cache.clear(workspaceId)),
		on('taxonomy:changed', ({ workspaceId }) => cache.clear(workspaceId)),
		on('events:missed', () => cache.clear())
	];

	const cache: ContextCache = {
		get(workspaceId, journeyId) {
			const key = `${workspaceId}:${journeyId ?? '*'}`;
			const hit = entries.get(key);
			if (hit && Date.now() - hit.at < ttl) return hit.value;
			const value = build(workspaceId, journeyId);
			entries.set(key, { at: Date.now(), value });
			value.catch(() => entries.delete(key));
			return value;
		},
		clear(workspaceId) {
			if (!workspaceId) entries.clear();
			else for (const k of entries.keys()) if (k.startsWith(`${workspaceId}:`)) entries.delete(k);
		},
		close() {
			for (const off of offs) off();
			entries.clear();
		}
	};
	return cache;
}
