import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { openJourney } from './document';
import { JourneyImportError } from './errors';
import { createJourneyDoc, exportJourney, importJourney, parseJourneyFile } from './io';
import { CURRENT_SCHEMA_VERSION } from './schema-version';
import { templateFile } from './templates';

function issuesOf(input: unknown) {
	try {
		parseJourneyFile(input);
	} catch (e) {
		if (e instanceof JourneyImportError) return e.issues;
		throw e;
	}
	throw new Error('expected a JourneyImportError');
}

const file = (journey: Record<string, unknown>) => ({
	format: 'parcours.journey',
	schemaVersion: 1,
	journey
});

describe('journey files', () => {
	it('round-trip a whole journey through export and import', () => {
		const doc = createJourneyDoc(templateFile('airline', 'en'));
		const j = openJourney(doc);
		const s = j.snapshot().stages[1].id;
		j.addTouchpoint(
			s,
			{ title: 'Added', pains: ['p'], emotion: 2, owner: 'u1', personaIds: [j.snapshot().personas[0].id] },
			{ index: 1 }
		);
		const exported = exportJourney(doc);
		const text = JSON.stringify(exported);
		const copy = createJourneyDoc(text);
		expect(openJourney(copy).snapshot()).toEqual(j.snapshot());
		expect(exportJourney(copy)).toEqual(exported);
	});

	it('fill in defaults for fields a hand-written file leaves out', () => {
		const doc = createJourneyDoc(
			file({
				title: 'Hand made',
				stages: [
					{ id: 's', title: 'S', group: 'sale', touchpoints: [{ id: 't', title: 'Shop', channel: 'store' }] }
				]
			})
		);
		expect(openJourney(doc).snapshot().touchpoints[0]).toMatchObject({
			channel: 'store',
			online: false,
			personaIds: null,
			pains: [],
			emotion: null,
			notes: ''
		});
	});

	it('report every problem with its precise path', () => {
		const issues = issuesOf(
			file({
				title: '',
				personas: [{ id: 'p', name: 'P', color: 'blue' }],
				stages: [
					{ id: 's1', title: 'S1', group: 'sale', touchpoints: [{ id: 't1', title: 'T1', emotion: 5 }] },
					{
						id: 's2',
						title: 'S2',
						group: 'later',
						touchpoints: [{ id: 't2', title: 'T2', pains: ['ok', 42], extra: true }]
					}
				]
			})
		);
		expect(issues.map((i) => i.path).sort()).toEqual(
			[
				'journey.title',
				'journey.personas[0].color',
				'journey.stages[0].touchpoints[0].emotion',
				'journey.stages[1].group',
				'journey.stages[1].touchpoints[0].pains[1]',
				'journey.stages[1].touchpoints[0].extra'
			].sort()
		);
	});

	it('check references between items', () => {
		const issues = issuesOf(
			file({
				title: 'T',
				personas: [{ id: 'p', name: 'P' }],
				stages: [
					{
						id: 's',
						title: 'S',
						group: 'sale',
						touchpoints: [
							{ id: 'a', title: 'A', personaIds: ['p', 'ghost'] },
							{ id: 'a', title: 'A again' }
						]
					},
					{ id: 's2', title: 'S2', group: 'sale', touchpoints: [{ id: 'b', title: 'B' }] }
				],
				connections: [
					{ id: 'c1', from: 'a', to: 'zz' },
					{ id: 'c2', from: 'b', to: 'b' },
					{ id: 'c3', from: 'a', to: 'b' },
					{ id: 'c4', from: 'a', to: 'b' }
				]
			})
		);
		expect(issues).toEqual(
			expect.arrayContaining([
				{ path: 'journey.stages[0].touchpoints[1].id', message: 'id "a" is used twice' },
				{ path: 'journey.stages[0].touchpoints[0].personaIds[1]', message: 'no persona with id "ghost"' },
				{ path: 'journey.connections[0].to', message: 'no touchpoint with id "zz"' },
				{ path: 'journey.connections[1].to', message: 'a touchpoint cannot connect to itself' },
				{ path: 'journey.connections[3]', message: 'these touchpoints are already connected' }
			])
		);
		expect(issues).toHaveLength(5);
	});

	it('reject what is not a journey file', () => {
		expect(issuesOf('{ not json')[0]).toMatchObject({
			path: '',
			message: expect.stringMatching(/^not JSON/)
		});
		expect(issuesOf({ format: 'other', schemaVersion: 1, journey: {} }).map((i) => i.path)).toEqual([
			'format'
		]);
		expect(issuesOf({ ...file({ title: 'x' }), schemaVersion: CURRENT_SCHEMA_VERSION + 1 })[0]).toMatchObject(
			{
				path: 'schemaVersion',
				message: expect.stringMatching(/newer Parcours/)
			}
		);
	});

	it('leave the document untouched when the file is bad', () => {
		const doc = createJourneyDoc(templateFile('default', 'fr'));
		const before = Y.encodeStateAsUpdate(doc);
		const bad = templateFile('airline', 'en');
		(bad.journey.stages![3].touchpoints![0] as { emotion: number }).emotion = -3;
		expect(() => importJourney(doc, bad)).toThrow(JourneyImportError);
		expect(Y.encodeStateAsUpdate(doc)).toEqual(before);
	});

	it('replace the whole content on import, in one update', () => {
		const doc = createJourneyDoc(templateFile('airline', 'fr'));
		const updates: Uint8Array[] = [];
		doc.on('update', (u: Uint8Array) => updates.push(u));
		importJourney(doc, templateFile('default', 'en'));
		const s = openJourney(doc).snapshot();
		expect(s.title).toBe('Customer journey');
		expect(s.touchpoints).toEqual([]);
		expect(s.connections).toEqual([]);
		expect(s.stages).toHaveLength(6);
		// YKeyValue may clean up in a follow-up transaction; the import itself is one.
		expect(updates.length).toBeLessThanOrEqual(2);
	});
});
