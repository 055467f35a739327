import { describe, expect, it } from 'vitest';
import { analyze, createAnalyzer, defaultMotives, deserializeModel, serializeModel, train } from './index';
import { fit, keptFeatures } from './learn';
import type { AnalysisContext, TouchpointRef } from './types';

const receivedAt = '2024-03-14T10:00:00Z'; // a Thursday

const touchpoints: TouchpointRef[] = [
	{
		id: 'tp-bags',
		title: 'Baggage claim',
		stage: 'after-sale',
		channel: 'store',
		keywords: ['luggage', 'bag', 'suitcase', 'valise', 'bagage']
	},
	{
		id: 'tp-booking',
		title: 'Online booking',
		stage: 'sale',
		channel: 'web',
		keywords: ['website', 'book', 'réservation', 'payment']
	},
	{
		id: 'tp-hotline',
		title: 'Customer hotline',
		stage: 'after-sale',
		channel: 'phone',
		keywords: ['phone', 'call', 'hold', 'téléphone', 'appel']
	},
	{
		id: 'tp-box',
		title: 'Box installation',
		stage: 'after-sale',
		keywords: ['installation', 'technicien'],
		products: ['livebox']
	}
];
const context: AnalysisContext = {
	products: [
		{ id: 'livebox', name: 'Livebox Fibre', aliases: ['livebox'] },
		{ id: 'gold', name: 'Carte Gold Premier', aliases: ['gold card'] }
	],
	places: [{ id: 'cdg', name: 'Roissy Charles de Gaulle', aliases: ['CDG', 'Charles de Gaulle'] }],
	touchpoints
};

describe('language', () => {
	it('tells French from English, even on short texts', () => {
		expect(analyze('Super service, je recommande').language.value).toBe('fr');
		expect(analyze('My flight got cancelled and nobody answers').language.value).toBe('en');
		expect(analyze('merci beaucoup').language.value).toBe('fr');
	});
	it('says unknown for too little text', () => {
		expect(analyze('ok').language.value).toBe('unknown');
		expect(analyze('👍').language.value).toBe('unknown');
	});
	it('picks the main language of a mixed text and still reads both lexicons', () => {
		const a = analyze('Le vol était horrible, worst airline ever, je suis très déçu');
		expect(a.language.value).toBe('fr');
		expect(a.polarity.value).toBe('negative');
		expect(a.polarity.spans.map((s) => s.text)).toContain('worst');
	});
});

describe('polarity', () => {
	it('reads plain FR and EN sentiment with spans', () => {
		const en = analyze('The staff was friendly and helpful');
		expect(en.polarity.value).toBe('positive');
		expect(en.polarity.spans.map((s) => s.text)).toEqual(['friendly', 'helpful']);
		expect(analyze('Service client nul, personnel désagréable').polarity.value).toBe('negative');
	});
	it('handles negation in both languages', () => {
		expect(analyze("C'est pas mal du tout").polarity.value).toBe('positive');
		expect(analyze('not bad at all').polarity.value).toBe('positive');
		expect(analyze("Le repas n'était pas bon").polarity.value).toBe('negative');
		expect(analyze('The seat was not comfortable').polarity.value).toBe('negative');
		expect(analyze('Je ne suis plus satisfait').polarity.value).toBe('negative');
	});
	it('lets the clause after "but" / "mais" count more', () => {
		expect(analyze('The flight was great but the food was terrible').polarity.value).toBe('negative');
		expect(
			analyze("Le vol était en retard mais l'équipage était adorable et très professionnel").polarity.value
		).toBe('positive');
	});
	it('weighs intensifiers, diminishers, capitals and elongations', () => {
		const plain = analyze('the service was good').polarity.score;
		expect(analyze('the service was very good').polarity.score).toBeGreaterThan(plain);
		expect(analyze('the service was a bit good').polarity.score).toBeLessThan(plain);
		expect(analyze('the service was GOOD').polarity.score).toBeGreaterThan(plain);
		expect(analyze('the service was goooood').polarity.score).toBeGreaterThan(plain);
	});
	it('reads emojis and emoticons', () => {
		expect(analyze('Flight AF123 😡😡').polarity.value).toBe('negative');
		expect(analyze('Vol AF123 😍').polarity.value).toBe('positive');
		expect(analyze('just landed :)').polarity.value).toBe('positive');
	});
	it('reads obvious sarcasm as negative', () => {
		const a = analyze('Thanks for nothing, great job losing my bag');
		expect(a.polarity.value).toBe('negative');
		expect(analyze('Merci pour rien').polarity.value).toBe('negative');
	});
	it('keeps the score in [-1, 1] with the sign of the polarity', () => {
		for (const t of [
			'AWFUL AWFUL AWFUL!!!! worst worst worst 😡😡😡',
			'amazing amazing amazing 😍😍😍!!!',
			'Le colis est arrivé'
		]) {
			const p = analyze(t).polarity;
			expect(p.score).toBeGreaterThanOrEqual(-1);
			expect(p.score).toBeLessThanOrEqual(1);
			expect(p.confidence).toBeGreaterThan(0);
			expect(p.confidence).toBeLessThanOrEqual(1);
		}
		expect(analyze('Le colis est arrivé').polarity.value).toBe('neutral');
	});
});

describe('emotions', () => {
	it('finds several emotions with their words', () => {
		const a = analyze("I'm furious and honestly worried I'll never see my luggage again");
		const values = a.emotions.map((e) => e.value);
		expect(values).toContain('anger');
		expect(values).toContain('fear');
		expect(analyze("J'ai hâte de partir, vivement samedi !").emotions[0].value).toBe('anticipation');
		expect(analyze('Quel bonheur, je suis ravie').emotions.map((e) => e.value)).toContain('joy');
	});
});

describe('intent', () => {
	it('detects questions, complaints, praise and suggestions in FR and EN', () => {
		expect(analyze('How do I change my booking?').intent.value).toBe('question');
		expect(analyze('Comment puis-je modifier ma réservation ?').intent.value).toBe('question');
		expect(analyze('Still waiting for my refund, this is unacceptable').intent.value).toBe('complaint');
		expect(analyze("Toujours pas reçu mon colis, c'est inadmissible").intent.value).toBe('complaint');
		expect(analyze('Thank you so much, the crew was amazing!').intent.value).toBe('praise');
		expect(analyze('Bravo à toute l’équipe, je recommande').intent.value).toBe('praise');
		expect(analyze('You should add more vegetarian meals').intent.value).toBe('suggestion');
		expect(analyze('Il faudrait ajouter des prises électriques dans le train').intent.value).toBe(
			'suggestion'
		);
		expect(analyze('The hotel is near the station').intent.value).toBe('opinion');
	});
	it('reads an angry question as a complaint with the question as secondary', () => {
		const a = analyze('Why is my flight delayed AGAIN?? 3 hours stuck at the gate');
		expect(a.intent.value).toBe('complaint');
		expect(a.intent.secondary.map((s) => s.value)).toContain('question');
	});
});

describe('entities', () => {
	it('resolves relative dates against the received time (FR and EN)', () => {
		const fr = analyze('Mon vol de mardi dernier a été annulé', { receivedAt });
		expect(fr.entities.dates).toHaveLength(1);
		expect(fr.entities.dates[0].value.slice(0, 10)).toBe('2024-03-12');
		expect(fr.entities.dates[0].spans[0].text).toBe('mardi dernier');
		const en = analyze('My bag was lost yesterday at 6pm', { receivedAt });
		expect(en.entities.dates[0].value).toBe('2024-03-13T18:00:00.000Z');
		// Another received time, another date: nothing is resolved against the machine clock.
		expect(
			analyze('My bag was lost yesterday at 6pm', { receivedAt: '2024-01-01T09:00:00Z' }).entities.dates[0]
				.value
		).toBe('2023-12-31T18:00:00.000Z');
	});
	it('uses the workspace time zone', () => {
		const a = analyze('yesterday at 6pm', { receivedAt, timezoneOffset: 60 });
		expect(a.entities.dates[0].value).toBe('2024-03-13T17:00:00.000Z');
	});
	it('finds products despite case, accents and small typos', () => {
		const a = createAnalyzer(context);
		expect(a.analyze('Ma LIVEBOX ne marche plus').entities.products.map((p) => [p.id, p.match])).toEqual([
			['livebox', 'alias']
		]);
		const typo = a.analyze('ma livbox fibre est en panne').entities.products;
		expect(typo.map((p) => [p.id, p.match])).toEqual([['livebox', 'fuzzy']]);
		expect(typo[0].spans[0].text).toBe('livbox fibre');
		expect(a.analyze('my carte gld premier was refused').entities.products[0].id).toBe('gold');
		// Common words never fuzzy-match a short product name.
		expect(a.analyze('I love my box and my fiber').entities.products).toEqual([]);
	});
	it('finds workspace places and known cities, not adjectives', () => {
		const a = createAnalyzer(context);
		const places = a.analyze('Stuck at CDG, my connection to Montréal left without me').entities.places;
		expect(places.map((p) => [p.id, p.source])).toEqual([
			['cdg', 'workspace'],
			['city:montreal', 'city']
		]);
		expect(a.analyze('Nice flight, thanks').entities.places).toEqual([]);
		expect(a.analyze('Great stay in Nice').entities.places.map((p) => p.name)).toEqual(['Nice']);
	});
});

describe('motives and stage', () => {
	it('finds motives from the default taxonomy in FR and EN', () => {
		expect(analyze('My flight was delayed 3 hours').motives[0].id).toBe('delay');
		expect(analyze('Vol annulé sans explication').motives.map((m) => m.id)).toContain('cancellation');
		expect(analyze('On m’a facturé deux fois, je veux être remboursé').motives.map((m) => m.id)).toEqual(
			expect.arrayContaining(['billing-or-payment', 'refund-or-return'])
		);
		expect(defaultMotives.map((m) => m.id)).toContain('loyalty-programme');
	});
	it('uses a workspace taxonomy when given', () => {
		const a = analyze('The coffee machine is broken again', {
			motives: [{ id: 'coffee', label: 'Coffee', keywords: ['coffee', 'espresso'] }]
		});
		expect(a.motives.map((m) => m.id)).toEqual(['coffee']);
	});
	it('places the item in a stage group', () => {
		expect(analyze('Do you have this sofa in stock? How much does it cost?').stage.value).toBe('pre-sale');
		expect(analyze('Impossible de payer, le panier se vide à chaque fois').stage.value).toBe('sale');
		expect(analyze('Mon colis est arrivé abîmé, je veux un remboursement').stage.value).toBe('after-sale');
	});
});

describe('touchpoint', () => {
	const a = createAnalyzer(context);
	it('matches the best touchpoint with a runner-up and spans', () => {
		const r = a.analyze('My suitcase never came out at baggage claim and the phone line kept me on hold');
		expect(r.touchpoint.best?.id).toBe('tp-bags');
		expect(r.touchpoint.runnerUp?.id).toBe('tp-hotline');
		expect(r.touchpoint.best!.confidence).toBeGreaterThan(r.touchpoint.runnerUp!.confidence);
		expect(r.touchpoint.best!.spans.map((s) => s.text)).toEqual(
			expect.arrayContaining(['suitcase', 'baggage claim'])
		);
	});
	it('matches through a product linked to the touchpoint', () => {
		expect(a.analyze('la livebox ne s’allume pas').touchpoint.best?.id).toBe('tp-box');
	});
	it('matches nothing when nothing fits', () => {
		expect(a.analyze('The weather in Paris was lovely').touchpoint).toEqual({ best: null, runnerUp: null });
	});
});

describe('cleaning and robustness', () => {
	it('handles empty and whitespace text', () => {
		for (const t of ['', '   \n\t ']) {
			const r = analyze(t);
			expect(r.text).toBe('');
			expect(r.language.value).toBe('unknown');
			expect(r.polarity).toMatchObject({ value: 'neutral', score: 0 });
			expect(r.motives).toEqual([]);
			expect(r.touchpoint.best).toBeNull();
		}
	});
	it('strips HTML, quoted replies and signatures before analysis', () => {
		const mail = [
			'<p>Bonjour,</p><p>Mon colis n&#39;est <b>toujours pas</b> arrivé.</p>',
			'<p>Cordialement,</p><p>Jeanne Martin<br>06 12 34 56 78</p>',
			'Le mar. 12 mars 2024 à 10:00, Service Client <sav@example.com> a écrit :',
			'> Merci pour votre commande, tout est parfait, excellent, génial !'
		].join('\n');
		const r = analyze(mail);
		expect(r.text).toBe("Bonjour,\nMon colis n'est toujours pas arrivé.");
		expect(r.polarity.value).toBe('negative');
		const en = analyze(
			'The app crashes at checkout.\n\nOn Tue, Mar 12, 2024 at 10:00 AM Support <s@x.com> wrote:\n> We love you, great, amazing!\n'
		);
		expect(en.text).toBe('The app crashes at checkout.');
		const sig = analyze('Refund still missing.\n-- \nJohn Smith\nSent from my iPhone');
		expect(sig.text).toBe('Refund still missing.');
		expect(analyze('Terrible service\n\nSent from my iPhone').text).toBe('Terrible service');
	});
	it('analyses 100 KB of text in bounded time and says it was cut', () => {
		const big = 'Le service était lent et le personnel désagréable, mais le repas était bon. '.repeat(1400);
		expect(big.length).toBeGreaterThan(100_000);
		const t0 = performance.now();
		const r = analyze(big, context);
		expect(performance.now() - t0).toBeLessThan(1500);
		expect(r.truncated).toBe(true);
		expect(r.text.length).toBeLessThanOrEqual(20_000);
		expect(r.language.value).toBe('fr');
	});
	it('is deterministic', () => {
		const t = 'Vol AF123 retardé hier soir à CDG, personne pour nous informer 😡';
		expect(JSON.stringify(analyze(t, { ...context, receivedAt }))).toBe(
			JSON.stringify(analyze(t, { ...context, receivedAt }))
		);
	});
});

describe('learning from corrections', () => {
	const examples = [
		...Array.from({ length: 30 }, (_, i) => ({
			text: `The flamingo lounge on deck ${i} was nice`,
			polarity: 'negative' as const,
			motive: 'lounge',
			intent: 'complaint' as const,
			touchpoint: 'tp-booking'
		})),
		...Array.from({ length: 30 }, (_, i) => ({
			text: `Seat ${i} was fine, nothing to add`,
			polarity: 'neutral' as const,
			motive: 'comfort',
			intent: 'opinion' as const,
			touchpoint: 'tp-bags'
		}))
	];
	it('changes future decisions of the workspace towards its corrections', () => {
		const before = analyze('The flamingo lounge was nice', context);
		expect(before.polarity.value).toBe('positive');
		const model = train(examples, context);
		const after = analyze('The flamingo lounge was nice', { ...context, model });
		expect(after.polarity.value).toBe('negative');
		expect(after.motives[0].id).toBe('lounge');
		expect(after.intent.value).toBe('complaint');
		expect(after.touchpoint.best?.id).toBe('tp-booking');
		expect(after.learned).toEqual(['polarity', 'intent', 'motive', 'touchpoint']);
	});
	it('serialises to a compact blob that gives the same decisions', () => {
		const model = train(examples, context);
		const blob = serializeModel(model);
		expect(blob.length).toBeLessThan(20_000);
		const back = deserializeModel(blob);
		const t = 'The flamingo lounge was nice';
		expect(analyze(t, { ...context, model: back }).polarity.value).toBe(
			analyze(t, { ...context, model }).polarity.value
		);
		expect(() => deserializeModel('{"v":2}')).toThrow(/version 1/);
		// Storing again what was read gives the same blob; a damaged blob is refused.
		expect(serializeModel(back)).toBe(blob);
		const damaged = JSON.parse(blob) as { t: { polarity: { w: string } } };
		damaged.t.polarity.w = damaged.t.polarity.w.slice(0, -8);
		expect(() => deserializeModel(JSON.stringify(damaged))).toThrow(/corrupt model task polarity/);
	});
	it('reads back a task that kept only its bias (every correction gave the same value)', () => {
		const model = train(
			examples.slice(0, 6).map((e) => ({ text: e.text, intent: 'complaint' as const })),
			context
		);
		const back = deserializeModel(serializeModel(model));
		expect(back.tasks.intent?.classes).toEqual(model.tasks.intent?.classes);
		expect(serializeModel(back)).toBe(serializeModel(model));
	});
	it('keeps more features for few classes than for many when serialising', () => {
		// 6,000 distinct features, each decisive for one example: a 3-class task keeps 8,000 at most,
		// a 9-class task 4,000 (the blob stays about the same size).
		const task = (k: number) =>
			fit(
				Array.from({ length: 6000 }, (_, i) => ({
					features: new Map([[`w:f${i}`, 1]]),
					label: `c${i % k}`
				})),
				{ epochs: 1 }
			);
		expect(keptFeatures(3)).toBe(8000);
		expect(keptFeatures(9)).toBe(4000);
		expect(keptFeatures(77)).toBe(1558);
		const three = deserializeModel(serializeModel({ version: 1, tasks: { polarity: task(3) } }));
		expect(three.tasks.polarity!.weights.size).toBe(6001);
		const nine = deserializeModel(serializeModel({ version: 1, tasks: { motive: task(9) } }));
		expect(nine.tasks.motive!.weights.size).toBe(4000);
	});
	it("learns the default taxonomy's motive hits faster than words for a custom taxonomy", () => {
		// "delayed" is both a word and a hit of the default motive "delay": they occur together, so only
		// the step multiplier makes the motive hit weigh more.
		const taxonomy = {
			motives: [
				{ id: 'late', label: 'Late' },
				{ id: 'rest', label: 'Rest' }
			]
		};
		const model = train(
			Array.from({ length: 40 }, (_, i) =>
				i % 2
					? { text: `Flight ${i} delayed again`, motive: 'late' }
					: { text: `The seat ${i} was fine`, motive: 'rest' }
			),
			taxonomy
		);
		const w = model.tasks.motive!.weights;
		const late = model.tasks.motive!.classes.indexOf('late');
		expect(w.get('d:mot=delay')![late]).toBeGreaterThan(2 * w.get('w:delay')![late]);
		const plain = fit(
			[
				{
					features: new Map([
						['d:x', 1],
						['w:x', 1]
					]),
					label: 'a'
				},
				{ features: new Map(), label: 'b' }
			],
			{
				rate: (f) => (f === 'd:x' ? 4 : 1)
			}
		);
		expect(plain.weights.get('d:x')![0]).toBeGreaterThan(2 * plain.weights.get('w:x')![0]);
	});
	it('trains deterministically and can continue from a base model', () => {
		const a = serializeModel(train(examples, context));
		expect(serializeModel(train(examples, context))).toBe(a);
		const base = train(examples.slice(0, 10), context);
		const more = train(examples.slice(10), context, { base });
		expect(more.tasks.polarity!.examples).toBe(60);
	});
});
