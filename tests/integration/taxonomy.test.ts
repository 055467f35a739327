import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultMotives } from '../../src/lib/analysis';
import type { Database } from '../../src/lib/server/db';
import { AppError } from '../../src/lib/server/errors';
import { on } from '../../src/lib/server/events';
import {
	deleteCatalogueItem,
	deleteMotive,
	deletePlace,
	getTaxonomySettings,
	loadTaxonomy,
	resetMotives,
	saveCatalogueItem,
	saveMotive,
	savePlace,
	TAXONOMY_LIMITS
} from '../../src/lib/server/taxonomy';
import { engines } from './helpers/db';
import { addMember, makeUser, makeWorkspace } from './helpers/factories';

/** The AppError a call fails with, as `code@field`, or 'ok'. */
async function outcome(fn: () => Promise<unknown>): Promise<string> {
	try {
		await fn();
		return 'ok';
	} catch (e) {
		if (e instanceof AppError) return e.field ? `${e.code}@${e.field}` : e.code;
		throw e;
	}
}

describe.each(engines())('workspace taxonomy on $engine', ({ open }) => {
	let database: Database;
	beforeAll(async () => {
		database = await open();
	});
	afterAll(async () => {
		await database.close();
	});

	async function team() {
		const db = database.db;
		const owner = await makeUser(db);
		const editor = await makeUser(db);
		const viewer = await makeUser(db);
		const outsider = await makeUser(db);
		const ws = await makeWorkspace(db, owner);
		await addMember(db, ws.id, editor, 'editor');
		await addMember(db, ws.id, viewer, 'viewer');
		return { db, owner, editor, viewer, outsider, ws };
	}

	it('adds, edits and deletes products and places, which the analysis context then reads', async () => {
		const { db, editor, ws } = await team();
		const events: string[] = [];
		const off = on('taxonomy:changed', (e) => events.push(e.workspaceId));
		try {
			const tv = await saveCatalogueItem(db, editor, ws.id, {
				name: ' TV OLED 55" ',
				kind: 'product',
				aliases: 'OLED 55, oled55 , OLED 55,, téléviseur OLED'
			});
			expect(tv.name).toBe('TV OLED 55"');
			// Trimmed, empty and repeated aliases dropped, first spelling kept.
			expect(tv.aliases).toEqual(['OLED 55', 'oled55', 'téléviseur OLED']);
			const install = await saveCatalogueItem(db, editor, ws.id, { name: 'Installation', kind: 'service' });
			const cdg = await savePlace(db, editor, ws.id, {
				name: 'Paris-Charles de Gaulle',
				kind: 'airport',
				aliases: 'CDG, Roissy'
			});

			let ctx = await loadTaxonomy(db, ws.id);
			expect(ctx.products.map((p) => [p.name, p.kind]).sort()).toEqual([
				['Installation', 'service'],
				['TV OLED 55"', 'product']
			]);
			expect(ctx.places).toEqual([
				{ id: cdg.id, name: 'Paris-Charles de Gaulle', aliases: ['CDG', 'Roissy'], kind: 'airport' }
			]);

			await saveCatalogueItem(db, editor, ws.id, {
				id: tv.id,
				name: 'TV OLED 65"',
				kind: 'product',
				aliases: ''
			});
			await savePlace(db, editor, ws.id, { id: cdg.id, name: 'Roissy-CDG', kind: 'airport', aliases: 'CDG' });
			await deleteCatalogueItem(db, editor, ws.id, install.id);
			ctx = await loadTaxonomy(db, ws.id);
			expect(ctx.products.map((p) => p.name)).toEqual(['TV OLED 65"']);
			expect(ctx.products[0].aliases).toEqual([]);
			expect(ctx.places.map((p) => [p.name, p.aliases])).toEqual([['Roissy-CDG', ['CDG']]]);
			await deletePlace(db, editor, ws.id, cdg.id);
			expect((await loadTaxonomy(db, ws.id)).places).toEqual([]);
			// Every change tells the processor to rebuild this workspace's context.
			expect(events.filter((w) => w === ws.id)).toHaveLength(7);
		} finally {
			off();
		}
	});

	it('refuses bad input with the field to fix, and stores nothing', async () => {
		const { db, editor, ws } = await team();
		const tv = await saveCatalogueItem(db, editor, ws.id, { name: 'TV OLED 55"', aliases: 'OLED' });
		const cases: Array<[string, () => Promise<unknown>, string]> = [
			['empty name', () => saveCatalogueItem(db, editor, ws.id, { name: '   ' }), 'error.required@name'],
			[
				'name too long',
				() => saveCatalogueItem(db, editor, ws.id, { name: 'x'.repeat(TAXONOMY_LIMITS.name + 1) }),
				'error.tooLong@name'
			],
			[
				'same name, other case and accents',
				() => saveCatalogueItem(db, editor, ws.id, { name: 'tv  oled 55"' }),
				'taxonomy.error.duplicate@name'
			],
			[
				'name that is another item’s alias',
				() => saveCatalogueItem(db, editor, ws.id, { name: 'Oléd' }),
				'taxonomy.error.duplicate@name'
			],
			[
				'alias that is another item’s name',
				() => saveCatalogueItem(db, editor, ws.id, { name: 'TV LED', aliases: 'tv oled 55"' }),
				'taxonomy.error.duplicate@aliases'
			],
			[
				'too many aliases',
				() =>
					saveCatalogueItem(db, editor, ws.id, {
						name: 'TV LED',
						aliases: Array.from({ length: TAXONOMY_LIMITS.aliases + 1 }, (_, i) => `led${i}`).join(',')
					}),
				'taxonomy.error.tooManyAliases@aliases'
			],
			[
				'alias too long',
				() => saveCatalogueItem(db, editor, ws.id, { name: 'TV LED', aliases: 'a'.repeat(81) }),
				'taxonomy.error.aliasTooLong@aliases'
			],
			[
				'unknown kind',
				() => saveCatalogueItem(db, editor, ws.id, { name: 'TV LED', kind: 'gadget' }),
				'taxonomy.error.choice@kind'
			],
			[
				'place kind',
				() => savePlace(db, editor, ws.id, { name: 'Lyon', kind: 'planet' }),
				'taxonomy.error.choice@kind'
			],
			[
				'NUL byte',
				() => savePlace(db, editor, ws.id, { name: 'Ly\0on', kind: 'city' }),
				'error.invalidCharacters@name'
			],
			[
				'unknown id',
				() => saveCatalogueItem(db, editor, ws.id, { id: crypto.randomUUID(), name: 'X' }),
				'error.notFound'
			],
			['malformed id', () => deleteCatalogueItem(db, editor, ws.id, 'nope'), 'error.notFound'],
			[
				'a place id as a product id',
				async () => {
					const p = await savePlace(db, editor, ws.id, { name: 'Lille', kind: 'city' });
					return deleteCatalogueItem(db, editor, ws.id, p.id);
				},
				'error.notFound'
			]
		];
		for (const [what, fn, expected] of cases) expect(await outcome(fn), what).toBe(expected);
		// Renaming an item to its own alias or name (other case) is fine: only others' names clash.
		expect(
			await outcome(() =>
				saveCatalogueItem(db, editor, ws.id, { id: tv.id, name: 'tv oled 55"', aliases: 'OLED' })
			)
		).toBe('ok');
		const ctx = await loadTaxonomy(db, ws.id);
		expect(ctx.products.map((p) => p.name)).toEqual(['tv oled 55"']);
		expect(ctx.places.map((p) => p.name)).toEqual(['Lille']);
	});

	it('shows the default motives until the first edit copies them, and resets to them', async () => {
		const { db, editor, viewer, ws } = await team();
		let settings = await getTaxonomySettings(db, viewer, ws.id);
		expect(settings.defaultMotives).toBe(true);
		expect(settings.motives.map((m) => m.key)).toEqual(defaultMotives.map((m) => m.id));
		expect((await loadTaxonomy(db, ws.id)).motives).toBeNull();

		// First edit: the defaults are copied, then the edit applies to the copy.
		await saveMotive(db, editor, ws.id, {
			key: 'delay',
			labelEn: 'Late',
			labelFr: 'En retard',
			keywords: 'late, retard*, en retard',
			stage: 'after-sale'
		});
		settings = await getTaxonomySettings(db, editor, ws.id);
		expect(settings.defaultMotives).toBe(false);
		expect(settings.motives).toHaveLength(defaultMotives.length);
		expect(settings.motives[0]).toEqual({
			key: 'delay',
			labelEn: 'Late',
			labelFr: 'En retard',
			keywords: ['late', 'retard*', 'en retard'],
			stage: 'after-sale'
		});
		const ctx = await loadTaxonomy(db, ws.id);
		expect(ctx.motives?.map((m) => m.id)).toEqual(defaultMotives.map((m) => m.id));

		// A new motive gets a key from its English label and goes last; same labels are refused.
		const added = await saveMotive(db, editor, ws.id, {
			labelEn: 'Lounge access',
			labelFr: 'Accès au salon',
			keywords: 'lounge, salon',
			stage: ''
		});
		expect(added).toMatchObject({ key: 'lounge-access', stage: null });
		expect(
			await outcome(() =>
				saveMotive(db, editor, ws.id, { labelEn: 'lounge ACCESS', labelFr: 'Salon VIP', keywords: 'x' })
			)
		).toBe('taxonomy.error.duplicate@labelEn');
		expect(
			await outcome(() =>
				saveMotive(db, editor, ws.id, { labelEn: 'Wifi', labelFr: 'Wifi', keywords: ' , ' })
			)
		).toBe('taxonomy.error.noKeywords@keywords');
		expect(
			await outcome(() =>
				saveMotive(db, editor, ws.id, { labelEn: 'Wifi', labelFr: 'Wifi', keywords: 'wifi', stage: 'later' })
			)
		).toBe('taxonomy.error.choice@stage');
		expect(
			await outcome(() => saveMotive(db, editor, ws.id, { labelEn: '', labelFr: 'Wifi', keywords: 'wifi' }))
		).toBe('error.required@labelEn');
		expect(
			await outcome(() =>
				saveMotive(db, editor, ws.id, {
					labelEn: 'Wifi',
					labelFr: 'Wifi',
					keywords: Array.from({ length: TAXONOMY_LIMITS.keywords + 1 }, (_, i) => `w${i}`).join(',')
				})
			)
		).toBe('taxonomy.error.tooManyKeywords@keywords');
		expect(
			await outcome(() =>
				saveMotive(db, editor, ws.id, { key: 'nope', labelEn: 'A', labelFr: 'A', keywords: 'a' })
			)
		).toBe('error.notFound');
		// The fallback motive keeps working without keywords.
		expect(
			await outcome(() =>
				saveMotive(db, editor, ws.id, { key: 'other', labelEn: 'Other', labelFr: 'Divers', keywords: '' })
			)
		).toBe('ok');
		settings = await getTaxonomySettings(db, editor, ws.id);
		expect(settings.motives.map((m) => m.key).at(-1)).toBe('lounge-access');
		expect(settings.motives).toHaveLength(defaultMotives.length + 1);

		await deleteMotive(db, editor, ws.id, 'cancellation');
		expect((await loadTaxonomy(db, ws.id)).motives?.map((m) => m.id)).not.toContain('cancellation');
		expect(await outcome(() => deleteMotive(db, editor, ws.id, 'cancellation'))).toBe('error.notFound');

		await resetMotives(db, editor, ws.id);
		settings = await getTaxonomySettings(db, editor, ws.id);
		expect(settings.defaultMotives).toBe(true);
		expect(settings.motives.map((m) => m.key)).toEqual(defaultMotives.map((m) => m.id));
		expect((await loadTaxonomy(db, ws.id)).motives).toBeNull();
	});

	it('deleting a default motive first copies the others', async () => {
		const { db, owner, ws } = await team();
		await deleteMotive(db, owner, ws.id, 'other');
		const motives = (await loadTaxonomy(db, ws.id)).motives!;
		expect(motives.map((m) => m.id)).toEqual(defaultMotives.map((m) => m.id).filter((id) => id !== 'other'));
		expect(motives[0].label).toEqual(defaultMotives[0].label);
	});

	it('two first edits at the same time copy the defaults once', async () => {
		const { db, owner, editor, ws } = await team();
		const results = await Promise.all([
			outcome(() =>
				saveMotive(db, owner, ws.id, { labelEn: 'Noise', labelFr: 'Bruit', keywords: 'noise, bruit' })
			),
			outcome(() =>
				saveMotive(db, editor, ws.id, { labelEn: 'Smell', labelFr: 'Odeur', keywords: 'smell, odeur' })
			)
		]);
		expect(results).toEqual(['ok', 'ok']);
		const keys = (await loadTaxonomy(db, ws.id)).motives!.map((m) => m.id);
		expect(keys).toHaveLength(defaultMotives.length + 2);
		expect(new Set(keys).size).toBe(keys.length);
	});

	it('lets viewers read, editors and owners edit, and hides the workspace from others', async () => {
		const { db, owner, editor, viewer, outsider, ws } = await team();
		const item = await saveCatalogueItem(db, owner, ws.id, { name: 'Lounge', kind: 'service' });
		expect((await getTaxonomySettings(db, viewer, ws.id)).products.map((p) => p.name)).toEqual(['Lounge']);
		const edits = (actor: { id: string } | null) => [
			() => saveCatalogueItem(db, actor, ws.id, { name: `Fast track ${actor?.id}` }),
			() => saveCatalogueItem(db, actor, ws.id, { id: item.id, name: 'Lounge', aliases: 'salon' }),
			() => savePlace(db, actor, ws.id, { name: `Nice ${actor?.id}`, kind: 'city' }),
			() =>
				saveMotive(db, actor, ws.id, { key: 'delay', labelEn: 'Delay', labelFr: 'Retard', keywords: 'late' }),
			() => resetMotives(db, actor, ws.id)
		];
		for (const fn of edits(viewer)) expect(await outcome(fn)).toBe('error.forbidden');
		expect(await outcome(() => deleteCatalogueItem(db, viewer, ws.id, item.id))).toBe('error.forbidden');
		for (const fn of edits(outsider)) expect(await outcome(fn)).toBe('error.notFound');
		expect(await outcome(() => getTaxonomySettings(db, outsider, ws.id))).toBe('error.notFound');
		for (const fn of edits(null)) expect(await outcome(fn)).toBe('error.unauthenticated');
		for (const fn of edits(editor)) expect(await outcome(fn)).toBe('ok');
		// Another workspace's item is not found from this one.
		const other = await makeWorkspace(db, outsider);
		const foreign = await savePlace(db, outsider, other.id, { name: 'Nantes', kind: 'city' });
		expect(await outcome(() => deletePlace(db, owner, ws.id, foreign.id))).toBe('error.notFound');
		expect(await outcome(() => savePlace(db, owner, ws.id, { id: foreign.id, name: 'Nantes' }))).toBe(
			'error.notFound'
		);
		expect((await loadTaxonomy(db, other.id)).places.map((p) => p.name)).toEqual(['Nantes']);
	});
});
