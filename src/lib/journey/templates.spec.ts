import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { openJourney } from './document';
import { createJourneyFromTemplate, TEMPLATES, templateFile, type TemplateId } from './templates';
import { CHANNELS, STAGE_GROUPS, type JourneySnapshot } from './types';

function build(id: TemplateId, locale: 'fr' | 'en'): JourneySnapshot {
	const doc = new Y.Doc();
	createJourneyFromTemplate(doc, id, locale);
	return openJourney(doc).snapshot();
}

describe('templates', () => {
	it('are valid journeys in both languages, with different texts', () => {
		for (const { id } of TEMPLATES) {
			const en = build(id, 'en');
			const fr = build(id, 'fr');
			expect(en.title).not.toBe(fr.title);
			expect(en.stages.map((s) => s.id)).toEqual(fr.stages.map((s) => s.id));
			expect(en.touchpoints.map((t) => t.id)).toEqual(fr.touchpoints.map((t) => t.id));
			en.touchpoints.forEach(
				(t, i) => t.pains.length && expect(t.pains).not.toEqual(fr.touchpoints[i].pains)
			);
		}
	});

	it('blank is empty and default has the six standard stages', () => {
		const blank = build('blank', 'en');
		expect(blank.stages).toEqual([]);
		expect(blank.title).toBe('Untitled journey');
		expect(build('default', 'en').stages.map((s) => [s.title, s.group])).toEqual([
			['Discover', 'pre-sale'],
			['Consider', 'pre-sale'],
			['Buy', 'sale'],
			['Receive / Use', 'after-sale'],
			['Get help', 'after-sale'],
			['Recommend', 'after-sale']
		]);
		expect(build('default', 'fr').stages.map((s) => s.title)[0]).toBe('Découvrir');
	});

	it.each(['airline', 'tv-online'] as const)('%s example shows every feature of a journey', (id) => {
		const s = build(id, 'en');
		expect(s.description).not.toBe('');
		expect(s.personas.length).toBeGreaterThanOrEqual(2);
		expect(new Set(s.stages.map((x) => x.group))).toEqual(new Set(STAGE_GROUPS));
		const tps = s.touchpoints;
		expect(new Set(tps.map((t) => t.emotion))).toEqual(new Set([-2, -1, 0, 1, 2]));
		expect(tps.some((t) => t.online) && tps.some((t) => !t.online)).toBe(true);
		expect(tps.some((t) => t.personaIds === null) && tps.some((t) => t.personaIds?.length === 1)).toBe(true);
		for (const field of ['pains', 'joys', 'keywords', 'products'] as const)
			expect(tps.some((t) => t[field].length > 0)).toBe(true);
		for (const field of ['does', 'thinks', 'feels', 'notes'] as const)
			expect(tps.some((t) => t[field] !== '')).toBe(true);
		expect(s.connections.some((c) => c.kind === 'alternative' && c.label !== '')).toBe(true);
		expect(s.connections.some((c) => c.kind === 'main')).toBe(true);
		// Every touchpoint lies on a path.
		const linked = new Set(s.connections.flatMap((c) => [c.from, c.to]));
		expect(tps.filter((t) => !linked.has(t.id))).toEqual([]);
	});

	it('between them, the two examples use every channel', () => {
		const used = new Set(
			[...build('airline', 'fr').touchpoints, ...build('tv-online', 'fr').touchpoints].map((t) => t.channel)
		);
		expect([...CHANNELS].filter((c) => !used.has(c))).toEqual([]);
	});

	it('take a title and an owner for the new journey', () => {
		const doc = new Y.Doc();
		createJourneyFromTemplate(doc, 'tv-online', 'fr', { title: 'TV 2025', owner: 'user-9' });
		expect(openJourney(doc).snapshot()).toMatchObject({ title: 'TV 2025', owner: 'user-9' });
		expect(() => templateFile('nope' as TemplateId, 'en')).toThrow(/Unknown journey template/);
	});
});
