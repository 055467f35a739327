/**
 * Benchmark of src/lib/analysis: items per second on one core and with the worker pool on all cores,
 * p50/p99 latency per item, on a seeded mix of short and long FR/EN items with a 50-touchpoint context.
 * Targets (issue 3): p99 ≤ 5 ms, ≥ 2,000 items/s per core.   Usage: npm run bench:analysis
 */
import { availableParallelism, loadavg } from 'node:os';
import {
	analysisWorkerEntry,
	createAnalyzer,
	createWorkerPool,
	type Analysis,
	type AnalysisContext,
	type AnalysisJob,
	type TouchpointRef
} from '../../src/lib/analysis/index';
import { shuffled } from '../../src/lib/analysis/learn';

const ITEMS = Number(process.env.BENCH_ITEMS ?? 6000);
const BATCH = 50;

function rng(seed: number) {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = Math.imul(a ^ (a >>> 15), a | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

// ---- A 50-touchpoint workspace ------------------------------------------------------------------
const areas: Array<[string, TouchpointRef['stage'], string, string[]]> = [
	['Advertising', 'pre-sale', 'social', ['ad', 'publicité', 'campaign']],
	['Website product pages', 'pre-sale', 'web', ['product page', 'fiche produit', 'photos']],
	['Price comparison', 'pre-sale', 'web', ['price', 'prix', 'tarif', 'compare']],
	['Store visit', 'pre-sale', 'store', ['store', 'magasin', 'vendeur', 'showroom']],
	['Quote request', 'pre-sale', 'email', ['quote', 'devis', 'estimate']],
	['Online checkout', 'sale', 'web', ['checkout', 'panier', 'cart', 'payment', 'paiement']],
	['Mobile app ordering', 'sale', 'app', ['app', 'appli', 'order', 'commande']],
	['In-store payment', 'sale', 'store', ['caisse', 'cashier', 'card', 'carte']],
	['Booking', 'sale', 'web', ['booking', 'réservation', 'book', 'ticket', 'billet']],
	['Order confirmation', 'sale', 'email', ['confirmation', 'receipt', 'reçu']],
	['Delivery', 'after-sale', 'mail', ['delivery', 'livraison', 'parcel', 'colis', 'courier']],
	['Installation', 'after-sale', 'store', ['installation', 'technician', 'technicien', 'setup']],
	['Customer hotline', 'after-sale', 'phone', ['phone', 'call', 'hold', 'hotline', 'téléphone', 'appel']],
	['Live chat', 'after-sale', 'chat', ['chat', 'bot', 'agent']],
	['Returns and refunds', 'after-sale', 'web', ['return', 'retour', 'refund', 'remboursement']],
	['Billing', 'after-sale', 'email', ['invoice', 'facture', 'bill', 'charged', 'prélèvement']],
	['Loyalty programme', 'after-sale', 'app', ['points', 'fidélité', 'rewards', 'member']],
	['Repairs', 'after-sale', 'store', ['repair', 'réparation', 'SAV', 'warranty', 'garantie']],
	['Check-in', 'after-sale', 'kiosk', ['check-in', 'enregistrement', 'borne', 'kiosk']],
	['Boarding', 'after-sale', 'store', ['boarding', 'embarquement', 'gate', 'porte']],
	['Baggage', 'after-sale', 'store', ['luggage', 'baggage', 'bagage', 'valise', 'suitcase']],
	['Onboard service', 'after-sale', 'store', ['crew', 'équipage', 'meal', 'repas', 'seat', 'siège']],
	['Newsletter', 'after-sale', 'email', ['newsletter', 'email', 'unsubscribe']],
	['Satisfaction survey', 'after-sale', 'survey', ['survey', 'questionnaire', 'enquête']],
	['Account and login', 'after-sale', 'web', ['account', 'compte', 'password', 'mot de passe', 'login']]
];
const touchpoints: TouchpointRef[] = [];
for (let i = 0; i < 50; i++) {
	const [title, stage, channel, keywords] = areas[i % areas.length];
	touchpoints.push({
		id: `tp${i}`,
		title: i < areas.length ? title : `${title} ${i}`,
		stage,
		channel,
		keywords,
		products: i % 5 === 0 ? [`p${i % 40}`] : []
	});
}
const productNames = [
	'Livebox',
	'Freebox Delta',
	'Carte Gold',
	'Pack Famille',
	'Forfait Mobile 100Go',
	'Assurance Voyage',
	'Abonnement Premium',
	'Canapé Oslo',
	'Lave-linge EcoWash',
	'iPhone 15'
];
const context: AnalysisContext = {
	products: Array.from({ length: 40 }, (_, i) => ({
		id: `p${i}`,
		name: `${productNames[i % 10]}${i >= 10 ? ' ' + i : ''}`,
		aliases: [productNames[i % 10].toLowerCase().replace(/\s+/g, '')]
	})),
	places: [
		'Paris Gare de Lyon',
		'Lyon Part-Dieu',
		'Roissy CDG',
		'Orly',
		'Store Bordeaux Centre',
		'Agence Lille'
	].map((name, i) => ({ id: `pl${i}`, name })),
	touchpoints
};

// ---- A seeded mix of items (written for this bench) ---------------------------------------------
const shortEn = [
	"@brand my order still hasn't arrived, 2 weeks now 😡",
	'Thanks for the quick refund, great service!',
	'Why was I charged twice for the Carte Gold?? Nobody answers the phone',
	'Is the Freebox Delta available in store in Bordeaux?',
	'Flight delayed 3 hours at CDG, no information at the gate',
	'Love the new app, booking took 2 minutes 👍',
	'You should add a live chat on the website',
	'The delivery guy left my parcel in the rain yesterday at 6pm'
];
const shortFr = [
	'Toujours pas reçu mon colis commandé mardi dernier, inadmissible',
	"Merci pour l'accueil en magasin, vendeur très professionnel 👏",
	'Ma livbox ne marche plus depuis hier soir, le technicien ne vient pas',
	'Pourquoi le prix a augmenté ? Personne ne répond au téléphone',
	'Ce serait bien de pouvoir payer en plusieurs fois sur le site',
	'Vol annulé à Orly sans explication, bagage perdu, très déçu',
	'Livraison rapide, produit conforme, je recommande',
	"Le remboursement n'est pas arrivé, ça fait 3 semaines"
];
const middles = [
	'I called the hotline three times and was put on hold for 45 minutes each time. ',
	'The website crashed at checkout and the payment went through anyway. ',
	"J'ai appelé le service client trois fois, on m'a raccroché au nez deux fois. ",
	'Le site plante au moment du paiement et la commande apparaît quand même. ',
	'The staff in the store were friendly but nobody could tell me when the repair would be done. ',
	'La facture de mars comporte des frais que je ne comprends pas du tout. '
];
const quote = {
	en: '\n\nBest regards,\nJohn Smith\n\nOn Tue, Mar 12, 2024 at 10:00 AM Support <support@example.com> wrote:\n> Thank you for contacting us. We are happy to help!\n> Your ticket number is 12345.\n',
	fr: '\n\nCordialement,\nJeanne Martin\n\nLe mar. 12 mars 2024 à 10:00, Service Client <sav@example.com> a écrit :\n> Merci de nous avoir contactés, nous sommes ravis de vous aider.\n> Votre numéro de dossier est 12345.\n'
};

function makeItems(n: number): string[] {
	const r = rng(42);
	const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)];
	const items: string[] = [];
	for (let i = 0; i < n; i++) {
		const fr = r() < 0.5;
		const base = pick(fr ? shortFr : shortEn);
		const kind = r();
		if (kind < 0.6) items.push(base);
		else if (kind < 0.9)
			items.push(base + '. ' + pick(middles) + pick(middles) + pick(fr ? shortFr : shortEn));
		else {
			let body = '<p>' + base + '.</p>';
			for (let k = 0; k < 8; k++) body += '<p>' + pick(middles) + pick(middles) + '</p>';
			items.push(body + (fr ? quote.fr : quote.en));
		}
	}
	return shuffled(items, 7);
}

function pct(sorted: number[], p: number): number {
	return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

const loadAtStart = loadavg()[0];
const items = makeItems(ITEMS);
const avgLen = Math.round(items.reduce((s, t) => s + t.length, 0) / items.length);
const receivedAt = '2024-03-14T10:00:00Z';

// One core, main thread.
const analyzer = createAnalyzer(context);
// Warm-up: one full pass, so that the figures are those of a long-running worker (JIT and regexp
// tier-up done); the module keeps no cache, so nothing else carries over between passes.
for (const text of items) analyzer.analyze(text, { receivedAt });
// Throughput pass: nothing but the analyses (the per-item clocks of the latency pass cost CPU too).
const cpu0 = process.cpuUsage();
const t0 = performance.now();
for (const text of items) analyzer.analyze(text, { receivedAt });
const single = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
// Latency pass: wall-clock and CPU time of each item.
const lat: number[] = [];
const cpuLat: number[] = [];
for (const text of items) {
	const c = process.cpuUsage();
	const s = performance.now();
	analyzer.analyze(text, { receivedAt });
	lat.push(performance.now() - s);
	const d = process.cpuUsage(c);
	cpuLat.push((d.user + d.system) / 1000);
}
lat.sort((a, b) => a - b);
cpuLat.sort((a, b) => a - b);

// Worker pool on all cores, batches of 50 items.
const cores = availableParallelism();
const pool = createWorkerPool<AnalysisJob, Analysis[]>({ entry: analysisWorkerEntry, size: cores });
const batches: string[][] = [];
for (let i = 0; i < items.length; i += BATCH) batches.push(items.slice(i, i + BATCH));
await Promise.all(
	Array.from({ length: cores }, (_, k) =>
		pool.run({ contextId: 'bench', context, items: batches[k].map((text) => ({ text, receivedAt })) })
	)
);
// Warm-up as for one core: every batch once (each worker sees about 1/cores of them).
await Promise.all(
	batches.map((b) => pool.run({ contextId: 'bench', items: b.map((text) => ({ text, receivedAt })) }))
);
const t1 = performance.now();
await Promise.all(
	batches.map((b) => pool.run({ contextId: 'bench', items: b.map((text) => ({ text, receivedAt })) }))
);
const pooled = performance.now() - t1;
await pool.close();

const rows = [
	['items', String(items.length)],
	['mean item length (chars)', String(avgLen)],
	[
		'context',
		`${touchpoints.length} touchpoints, ${context.products!.length} products, ${context.places!.length} places, default motives`
	],
	['machine load average at start (1 min)', loadAtStart.toFixed(2)],
	['one core: items per CPU-second', Math.round(items.length / cpuSeconds).toLocaleString('en')],
	['one core: items/s', Math.round(items.length / (single / 1000)).toLocaleString('en')],
	['one core: p50 latency (ms)', pct(lat, 50).toFixed(3)],
	['one core: p99 latency (ms)', pct(lat, 99).toFixed(3)],
	['one core: max latency (ms)', lat[lat.length - 1].toFixed(3)],
	['one core: p50 CPU time per item (ms)', pct(cpuLat, 50).toFixed(3)],
	['one core: p99 CPU time per item (ms)', pct(cpuLat, 99).toFixed(3)],
	[`worker pool (${cores} workers): items/s`, Math.round(items.length / (pooled / 1000)).toLocaleString('en')]
];
console.log('Parcours analysis benchmark (targets: p99 ≤ 5 ms, ≥ 2,000 items/s per core)');
console.log(
	'Wall-clock figures depend on what else runs; CPU-time figures much less (load average shown).\n'
);
console.log('| measure | value |\n| --- | --- |');
for (const [k, v] of rows) console.log(`| ${k} | ${v} |`);
