/**
 * A workspace's catalogue (products and services), places and motive taxonomy, as the analysis reads them.
 */
import { asc, eq } from 'drizzle-orm';
import type { CatalogueItem, Motive, Place } from '../analysis/types';
import type { Db } from './db';
import { catalogueItem, motive, place } from './db/schema';

export interface Taxonomy {
	products: CatalogueItem[];
	places: Place[];
	/** Null: the workspace uses the default motives of `$lib/analysis`. */
	motives: Motive[] | null;
}

/** Reads the taxonomy without an access check: for the processor, which acts for the workspace. */
export async function loadTaxonomy(db: Db, workspaceId: string): Promise<Taxonomy> {
	const [products, places, motives] = await Promise.all([
		db.select().from(catalogueItem).where(eq(catalogueItem.workspaceId, workspaceId)),
		db.select().from(place).where(eq(place.workspaceId, workspaceId)),
		db.select().from(motive).where(eq(motive.workspaceId, workspaceId)).orderBy(asc(motive.position))
	]);
	return {
		products: products.map((p) => ({
			id: p.id,
			name: p.name,
			aliases: p.aliases,
			kind: p.kind === 'service' ? 'service' : 'product'
		})),
		places: places.map((p) => ({ id: p.id, name: p.name, aliases: p.aliases, kind: p.kind })),
		motives: motives.length
			? motives.map((m) => ({
					id: m.key,
					label: { fr: m.labelFr, en: m.labelEn },
					keywords: m.keywords,
					...(m.stage === 'pre-sale' || m.stage === 'sale' || m.stage === 'after-sale'
						? { stage: m.stage }
						: {})
				}))
			: null
	};
}
