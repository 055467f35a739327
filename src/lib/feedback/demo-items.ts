/**
 * The demo workspace's content: its two journeys (from the airline and TV templates, with French and
 * English keywords so both languages route), a catalogue and places that fit them, and a few hundred
 * feedback items in French and English.
 *
 * Items are generated, deterministically (seeded PRNG, fixed `now`), from sentences written for the demo
 * per touchpoint — never taken from evaluation data. Each touchpoint has a volume and a mood (share of
 * happy customers): luggage and home delivery go badly, the apps and the crew go well, a few
 * touchpoints have too few items for a solid score. Pure: no framework, no database.
 */
import type * as Y from 'yjs';
import type { CatalogueItem, Place, TouchpointRef } from '../analysis/types';
import { createJourneyFromTemplate, openJourney, templateFile, type JourneySnapshot } from '../journey';
import type { Customer, FeedbackChannel, FeedbackInput, Rating } from './types';

export type DemoJourney = 'airline' | 'tv-online';
export const DEMO_JOURNEYS: readonly DemoJourney[] = ['airline', 'tv-online'];

export const DEMO_JOURNEY_INFO: Record<DemoJourney, { title: string; description: string }> = {
	airline: {
		title: 'Airline trip / Voyage en avion',
		description: 'Demo journey: from booking a flight to the trip home.'
	},
	'tv-online': {
		title: 'Buying a TV online / Achat d’un téléviseur en ligne',
		description: 'Demo journey: from comparing models to after-sale support.'
	}
};

// ── Catalogue and places ────────────────────────────────────────────────────────────────────────

export interface DemoEntry {
	name: string;
	kind: string;
	aliases: string[];
}

export const DEMO_CATALOGUE: readonly DemoEntry[] = [
	{ name: 'Economy Light fare', kind: 'product', aliases: ['Eco Light', 'Tarif Eco Light'] },
	{ name: 'Economy Classic fare', kind: 'product', aliases: ['Eco Classic', 'Tarif Eco Classic'] },
	{ name: 'Business Flex fare', kind: 'product', aliases: ['Business Flex', 'Tarif Business Flex'] },
	{ name: 'Seat selection', kind: 'service', aliases: ['Choix du siège', 'seat choice'] },
	{ name: 'Extra checked bag', kind: 'service', aliases: ['bagage supplémentaire', 'extra bag'] },
	{ name: 'Lounge access', kind: 'service', aliases: ['salon', 'lounge'] },
	{ name: 'In-flight meal', kind: 'service', aliases: ['Repas à bord', 'meal', 'plateau repas'] },
	{ name: 'Frequent-flyer programme', kind: 'service', aliases: ['Programme de fidélité', 'miles'] },
	{ name: 'TV OLED 55"', kind: 'product', aliases: ['OLED 55', 'téléviseur OLED 55'] },
	{ name: 'TV OLED 65"', kind: 'product', aliases: ['OLED 65'] },
	{ name: 'TV LED 55"', kind: 'product', aliases: ['LED 55'] },
	{ name: 'Soundbar', kind: 'product', aliases: ['barre de son'] },
	{ name: 'Home delivery', kind: 'service', aliases: ['Livraison à domicile'] },
	{
		name: 'Installation service',
		kind: 'service',
		aliases: ['installation à domicile', 'wall mounting', 'fixation murale']
	},
	{
		name: '5-year warranty',
		kind: 'service',
		aliases: ['Garantie 5 ans', 'extended warranty', 'extension de garantie']
	}
];

export const DEMO_PLACES: readonly DemoEntry[] = [
	{ name: 'Paris-Charles de Gaulle', kind: 'airport', aliases: ['CDG', 'Roissy'] },
	{ name: 'Montréal-Trudeau', kind: 'airport', aliases: ['YUL', 'Montreal airport', 'aéroport de Montréal'] },
	{ name: 'Paris-Orly', kind: 'airport', aliases: ['Orly', 'ORY'] },
	{ name: 'Agence Paris Opéra', kind: 'agency', aliases: ['agence Opéra'] },
	{ name: 'Lyon Part-Dieu store', kind: 'store', aliases: ['magasin de la Part-Dieu', 'Part-Dieu'] },
	{ name: 'La Défense store', kind: 'store', aliases: ['magasin de La Défense'] },
	{ name: 'Lille warehouse', kind: 'other', aliases: ['entrepôt de Lille'] }
];

// ── The demo maps ───────────────────────────────────────────────────────────────────────────────

/**
 * Words the demo team added to each touchpoint, in both languages, so that French and English feedback
 * both find it (the maps are in English; the template's French title and keywords are added too).
 */
const DEMO_KEYWORDS: Record<DemoJourney, Record<string, string[]>> = {
	airline: {
		inspiration: ['Instagram', 'sponsored', 'sponsorisée', 'publicité'],
		search: ['fare calendar', 'calendrier des prix', 'cheapest', 'moins cher'],
		booking: ['pay', 'payer', 'credit card', 'carte bancaire', 'réservation en ligne'],
		'phone-booking': ['call centre', 'phone', 'téléphone', 'appelé', 'called'],
		confirmation: ['e-mail', 'courriel', 'email', 'itinerary', 'itinéraire', 'mail de confirmation'],
		'app-checkin': ['app', 'application', 'appli', 'online check-in', 'enregistrement en ligne'],
		'bag-drop': ['bag drop', 'dépose bagage', 'luggage label', 'étiquette'],
		boarding: ['boarding', 'embarquement', 'gate change', 'changement de porte'],
		inflight: ['crew', 'équipage', 'screen', 'écran', 'movie', 'film', 'food', 'repas'],
		'lost-bag': ['suitcase', 'valise', 'lost', 'perdu', 'perdue', 'baggage claim'],
		survey: ['questionnaire', 'questions', 'satisfaction'],
		loyalty: ['loyalty card', 'carte de fidélité', 'frequent flyer', 'points']
	},
	'tv-online': {
		review: ['YouTube', 'youtuber', 'video', 'vidéo', 'influencer'],
		showroom: ['store', 'salesman', 'vendeur', 'vendeuse', 'showroom'],
		'product-page': [
			'product page',
			'fiche produit',
			'filters',
			'filtres',
			'specifications',
			'caractéristiques'
		],
		'chat-advice': ['chat', 'live chat', 'advisor', 'conseillère', 'conseiller'],
		checkout: [
			'checkout',
			'basket',
			'panier',
			'payment',
			'paiement',
			'delivery slot',
			'créneau de livraison'
		],
		'order-email': ['order confirmation', 'order number', 'numéro de commande', 'confirmation email'],
		tracking: ['track', 'tracking', 'notification', 'suivi de livraison', 'suivi'],
		delivery: ['delivered', 'livré', 'livreurs', 'delivery men', 'carton', 'box'],
		setup: ['setup', 'set up', 'install', 'installation', 'remote', 'télécommande', 'wifi'],
		hotline: ['after-sales', 'customer service', 'service client', 'hotline'],
		'warranty-letter': ['certificate', 'certificat', 'letter', 'lettre', 'courrier', 'post'],
		'review-written': ['rating', 'note', 'written review', 'laisser un avis'],
		'launch-event': ['event', 'événement', 'invitation', 'evening', 'soirée']
	}
};

/**
 * Fills `doc` with a demo journey: the template in English, each touchpoint's keywords completed with
 * the French template's title and keywords and the demo's own words.
 */
export function buildDemoJourney(doc: Y.Doc, id: DemoJourney, owner: string | null): void {
	createJourneyFromTemplate(doc, id, 'en', { title: DEMO_JOURNEY_INFO[id].title, owner });
	const fr = new Map<string, { title: string; keywords: string[] }>();
	for (const stage of templateFile(id, 'fr').journey.stages ?? [])
		for (const tp of stage.touchpoints ?? [])
			if (tp.id) fr.set(tp.id, { title: tp.title, keywords: tp.keywords ?? [] });
	const journey = openJourney(doc);
	try {
		for (const tp of journey.snapshot().touchpoints) {
			const extra = fr.get(tp.id);
			const words = [
				...tp.keywords,
				...(extra ? [extra.title, ...extra.keywords] : []),
				...(DEMO_KEYWORDS[id][tp.id] ?? [])
			];
			const seen = new Set<string>();
			const keywords = words.filter((w) => {
				const k = w.toLowerCase();
				if (seen.has(k)) return false;
				seen.add(k);
				return true;
			});
			journey.updateTouchpoint(tp.id, { keywords });
		}
	} finally {
		journey.destroy();
	}
}

const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().trim();

/**
 * The touchpoints of a map as the analysis takes them; a touchpoint's product names become the ids of
 * the catalogue items with that name or alias.
 */
export function touchpointRefs(
	snapshot: JourneySnapshot,
	catalogue: readonly CatalogueItem[] = []
): TouchpointRef[] {
	const byName = new Map<string, string>();
	for (const item of catalogue)
		for (const n of [item.name, ...(item.aliases ?? [])]) byName.set(fold(n), item.id);
	const stageGroup = new Map(snapshot.stages.map((s) => [s.id, s.group]));
	return snapshot.touchpoints.map((tp) => ({
		id: tp.id,
		title: tp.title,
		stage: stageGroup.get(tp.stageId) ?? 'after-sale',
		channel: tp.channel,
		keywords: tp.keywords,
		products: tp.products.map((p) => byName.get(fold(p))).filter((p): p is string => !!p)
	}));
}

/** The demo catalogue and places as analysis context entries, with stable ids (`demo-product-0`, …). */
export function demoContextEntries(): { products: CatalogueItem[]; places: Place[] } {
	return {
		products: DEMO_CATALOGUE.map((e, i) => ({
			id: `demo-product-${i}`,
			name: e.name,
			aliases: e.aliases,
			kind: e.kind === 'service' ? 'service' : 'product'
		})),
		places: DEMO_PLACES.map((e, i) => ({
			id: `demo-place-${i}`,
			name: e.name,
			aliases: e.aliases,
			kind: e.kind
		}))
	};
}

// ── Feedback items ──────────────────────────────────────────────────────────────────────────────

type Lang = 'en' | 'fr';

interface Script {
	touchpoint: string;
	/** Items to generate. */
	volume: number;
	/** Share of happy customers. */
	mood: number;
	/** Channels the items come through (first ones more often). */
	channels: FeedbackChannel[];
	pos: Record<Lang, string[]>;
	neg: Record<Lang, string[]>;
}

const SCRIPTS: Record<DemoJourney, Script[]> = {
	airline: [
		{
			touchpoint: 'inspiration',
			volume: 6,
			mood: 0.85,
			channels: ['social'],
			pos: {
				en: [
					'Loved your sponsored video about Québec on Instagram, now the whole family wants to go!',
					'That destination video on social media is gorgeous, it made us book our holiday.'
				],
				fr: [
					'Magnifique vidéo sponsorisée sur le Québec sur Instagram, elle nous a donné envie de partir en vacances !',
					'Superbe vidéo de destination sur les réseaux sociaux, on rêve déjà du Québec.'
				]
			},
			neg: {
				en: [
					'Your sponsored video on Instagram shows fares that do not exist, misleading for a holiday budget.'
				],
				fr: [
					'La vidéo sponsorisée sur Instagram annonce des prix introuvables, publicité trompeuse pour des vacances.'
				]
			}
		},
		{
			touchpoint: 'search',
			volume: 16,
			mood: 0.35,
			channels: ['web_form', 'email', 'social'],
			pos: {
				en: [
					'The fare calendar on the website is great, I found the cheapest fare in two minutes.',
					'Fare search on the website was easy, the price for {dest} was clear.'
				],
				fr: [
					'Le calendrier des prix sur le site est top, j’ai trouvé le tarif le moins cher tout de suite.',
					'Recherche de tarifs très simple sur le site, prix clair pour {dest}.'
				]
			},
			neg: {
				en: [
					'The fare search on the website hides the baggage rules, I could not tell which fare includes a bag.',
					'The price changed between two searches on the website, from {price} to much more. Annoying.',
					'Why is it so hard to see whether the Eco Light fare includes baggage? The fare search is confusing.'
				],
				fr: [
					'La recherche de tarifs sur le site cache les règles bagage, impossible de savoir quel tarif inclut une valise. Nul.',
					'Le prix a changé entre deux recherches sur le site, de {price} à beaucoup plus. Très agaçant et malhonnête.',
					'Le tarif Eco Light comprend-il un bagage ? La recherche de tarifs n’est pas claire du tout.'
				]
			}
		},
		{
			touchpoint: 'booking',
			volume: 18,
			mood: 0.6,
			channels: ['web_form', 'email', 'review'],
			pos: {
				en: [
					'Online booking and payment went smoothly, and seat selection was quick.',
					'Paid by credit card in one step, the online booking was fast. Nice job.'
				],
				fr: [
					'Réservation et paiement en ligne sans accroc, le choix du siège est rapide.',
					'Payé par carte bancaire en une étape, la réservation en ligne est rapide. Bravo.'
				]
			},
			neg: {
				en: [
					'The payment page failed twice during the online booking and I was charged for the seat selection anyway.',
					'Online booking: the seat map froze at payment, I had to start again. Really frustrating.'
				],
				fr: [
					'Le paiement a échoué deux fois pendant la réservation en ligne et le choix du siège a quand même été débité. Inadmissible.',
					'Réservation en ligne : le plan des sièges a planté au moment du paiement, il a fallu recommencer.'
				]
			}
		},
		{
			touchpoint: 'phone-booking',
			volume: 12,
			mood: 0.75,
			channels: ['phone', 'email'],
			pos: {
				en: [
					'I booked by phone, the agent on the phone was patient and found a Business Flex fare for me.',
					'Called the call centre to book, very friendly and efficient on the phone.'
				],
				fr: [
					'Réservation par téléphone parfaite, la conseillère au téléphone a trouvé un tarif Business Flex.',
					'J’ai appelé pour réserver par téléphone, accueil très aimable et efficace.'
				]
			},
			neg: {
				en: [
					'Booking by phone took ages, I called three times before anyone answered the phone. Frustrating.'
				],
				fr: [
					'Réservation par téléphone interminable et pénible, j’ai appelé trois fois avant qu’on décroche le téléphone.'
				]
			}
		},
		{
			touchpoint: 'confirmation',
			volume: 10,
			mood: 0.7,
			channels: ['email'],
			pos: {
				en: [
					'The confirmation e-mail arrived at once with the full itinerary. Perfect.',
					'Excellent confirmation email, everything about the itinerary in one place.'
				],
				fr: [
					'Le courriel de confirmation est arrivé tout de suite avec l’itinéraire complet. Parfait.',
					'Excellent mail de confirmation, tout l’itinéraire au même endroit.'
				]
			},
			neg: {
				en: ['Never got the confirmation e-mail, had to call to get my itinerary.'],
				fr: ['Jamais reçu le courriel de confirmation, j’ai dû appeler pour avoir mon itinéraire.']
			}
		},
		{
			touchpoint: 'app-checkin',
			volume: 18,
			mood: 0.8,
			channels: ['review', 'social', 'email'],
			pos: {
				en: [
					'Check-in in the app took one minute and the boarding pass went straight to my wallet. Love it.',
					'The app check-in is brilliant, boarding pass on my phone in seconds.',
					'Online check-in in the app worked perfectly for the four of us.'
				],
				fr: [
					'Enregistrement dans l’application en une minute, carte d’embarquement directement sur le téléphone. Génial.',
					'L’enregistrement en ligne dans l’appli est parfait, carte d’embarquement en quelques secondes.',
					'Check-in dans l’application sans souci pour toute la famille.'
				]
			},
			neg: {
				en: ['The app crashed during check-in and my boarding pass never showed up.'],
				fr: ['L’application a planté pendant l’enregistrement, ma carte d’embarquement ne s’affiche jamais.']
			}
		},
		{
			touchpoint: 'bag-drop',
			volume: 20,
			mood: 0.2,
			channels: ['survey', 'social', 'email'],
			pos: {
				en: ['Great, the bag-drop kiosk was quick, baggage dropped in two minutes at {airport}.'],
				fr: ['Borne de dépose bagage rapide à {airport}, valise déposée en deux minutes.']
			},
			neg: {
				en: [
					'The bag-drop kiosk at {airport} kept rejecting my luggage label, and the queue took {min} minutes.',
					'Two of the three bag drop kiosks were broken, huge queue for baggage. Terrible.',
					'Bag drop was a nightmare: the kiosk printed no label and nobody came to help.'
				],
				fr: [
					'La borne de dépose bagage à {airport} refusait mon étiquette, {min} minutes de file d’attente.',
					'Deux bornes de dépose bagage sur trois en panne, une file d’attente énorme. Lamentable.',
					'Dépose bagage catastrophique : la borne n’imprime pas l’étiquette et personne pour aider.'
				]
			}
		},
		{
			touchpoint: 'boarding',
			volume: 18,
			mood: 0.4,
			channels: ['social', 'survey', 'store'],
			pos: {
				en: [
					'Boarding at the gate was well organised, by group and on time.',
					'Smooth boarding at gate {gate}, friendly staff at the gate.'
				],
				fr: [
					'Embarquement à la porte bien organisé, par groupes et à l’heure.',
					'Embarquement fluide porte {gate}, personnel souriant.'
				]
			},
			neg: {
				en: [
					'Gate change at the last minute and a {min} minute delay at boarding, no information at the gate.',
					'Boarding was chaos, the gate staff announced the delay only after we queued for an hour.'
				],
				fr: [
					'Changement de porte au dernier moment et {min} minutes de retard à l’embarquement, aucune information.',
					'Embarquement chaotique, le retard a été annoncé à la porte après une heure d’attente.'
				]
			}
		},
		{
			touchpoint: 'inflight',
			volume: 16,
			mood: 0.75,
			channels: ['survey', 'email', 'social'],
			pos: {
				en: [
					'The crew was lovely, the meal on board was good and the movies on the screen kept the kids busy.',
					'Great entertainment on board and a tasty meal. Thank you to the crew!'
				],
				fr: [
					'Équipage adorable, le repas à bord était bon et les films à l’écran ont occupé les enfants.',
					'Très bon divertissement à bord et un repas savoureux. Merci à l’équipage !'
				]
			},
			neg: {
				en: ['My screen did not work for the whole flight and the meal on board was cold.'],
				fr: ['Mon écran n’a pas fonctionné de tout le vol et le repas à bord était froid.']
			}
		},
		{
			touchpoint: 'lost-bag',
			volume: 22,
			mood: 0.1,
			channels: ['chat', 'email', 'social', 'phone'],
			pos: {
				en: ['My delayed bag was delivered to the hotel the next day, the chat kept me informed.'],
				fr: ['Mon bagage retardé a été livré à l’hôtel le lendemain, le chat m’a tenu informé.']
			},
			neg: {
				en: [
					'My suitcase never came out on the carousel at {airport}. Lost luggage, {days} days and still nothing!',
					'Reporting a delayed bag in the chat is useless, nobody knows where my suitcase is.',
					'Lost luggage again. {days} days without clothes and the baggage claim chat does not answer.'
				],
				fr: [
					'Ma valise n’est jamais arrivée sur le tapis à {airport}. Bagage perdu depuis {days} jours, toujours rien !',
					'Déclarer un bagage retardé par le chat ne sert à rien, personne ne sait où est ma valise.',
					'Encore un bagage perdu. {days} jours sans vêtements et le chat ne répond pas.'
				]
			}
		},
		{
			touchpoint: 'survey',
			volume: 8,
			mood: 0.5,
			channels: ['survey', 'email'],
			pos: {
				en: ['Short satisfaction survey, three questions, fine by me.'],
				fr: ['Enquête de satisfaction courte, trois questions, parfait.']
			},
			neg: {
				en: ['Your satisfaction survey has forty questions, ridiculous. I gave up halfway.'],
				fr: [
					'Votre enquête de satisfaction compte quarante questions, c’est ridicule. J’ai abandonné en route.'
				]
			}
		},
		{
			touchpoint: 'loyalty',
			volume: 5,
			mood: 0.6,
			channels: ['email', 'other'],
			pos: {
				en: [
					'Very happy: my frequent-flyer card came by post within a week, and the miles were already there.'
				],
				fr: [
					'Très contente : ma carte de fidélité est arrivée par courrier en une semaine, avec les points déjà crédités.'
				]
			},
			neg: {
				en: ['Still no frequent-flyer card by post after two months, and my points are missing.'],
				fr: ['Toujours pas de carte de fidélité par courrier après deux mois, et mes points ont disparu.']
			}
		}
	],
	'tv-online': [
		{
			touchpoint: 'review',
			volume: 8,
			mood: 0.8,
			channels: ['social'],
			pos: {
				en: ['The YouTube video review of the OLED 55 convinced me, great picture.'],
				fr: ['Le test vidéo du téléviseur OLED 55 sur YouTube m’a convaincu, image superbe. Génial.']
			},
			neg: {
				en: [
					'That video review on social media was clearly paid, it hid the reflections of the OLED screen.'
				],
				fr: [
					'Ce test vidéo sur les réseaux sociaux était sponsorisé et malhonnête, il cache les reflets de l’écran OLED.'
				]
			}
		},
		{
			touchpoint: 'showroom',
			volume: 12,
			mood: 0.7,
			channels: ['store', 'survey'],
			pos: {
				en: [
					'Saw the TV in the shop at {store}, the salesman gave honest advice.',
					'Nice showroom, I could compare the TVs side by side in the store.'
				],
				fr: [
					'Vu le téléviseur en magasin à {store}, le vendeur m’a bien conseillé.',
					'Très bon conseil en magasin, on a pu comparer les téléviseurs côte à côte.'
				]
			},
			neg: {
				en: ['In the shop nobody could give advice, the salesman did not know the models.'],
				fr: ['En magasin personne pour conseiller, le vendeur ne connaissait pas les modèles.']
			}
		},
		{
			touchpoint: 'product-page',
			volume: 18,
			mood: 0.55,
			channels: ['web_form', 'review', 'email'],
			pos: {
				en: [
					'The product page is very clear and the filters by size and price work well. Good job.',
					'Good product page with full specifications and customer reviews.'
				],
				fr: [
					'Fiche produit claire, les filtres par taille et par prix sont très pratiques. Bravo.',
					'Bonne fiche produit avec toutes les caractéristiques et les avis clients.'
				]
			},
			neg: {
				en: [
					'The size filter on the product page shows 65 inch TVs when I choose 55. Confusing.',
					'The product page lacks the specifications, impossible to compare the {model} with the others.'
				],
				fr: [
					'Le filtre taille de la fiche produit affiche des 65 pouces quand je choisis 55. Pénible.',
					'Il manque les caractéristiques sur la fiche produit, impossible de comparer le {model}.'
				]
			}
		},
		{
			touchpoint: 'chat-advice',
			volume: 12,
			mood: 0.8,
			channels: ['chat'],
			pos: {
				en: [
					'The advisor in the live chat answered in a minute and helped me choose the size.',
					'Great advice from the chat, very patient advisor.'
				],
				fr: [
					'La conseillère du chat a répondu en une minute et m’a aidé à choisir la taille.',
					'Excellent conseil par le chat, conseiller très patient.'
				]
			},
			neg: {
				en: ['The chat advisor just pasted links, no real advice.'],
				fr: ['Le conseiller du chat se contente de coller des liens, aucun vrai conseil. Décevant.']
			}
		},
		{
			touchpoint: 'checkout',
			volume: 16,
			mood: 0.5,
			channels: ['web_form', 'email'],
			pos: {
				en: [
					'Checkout was simple and I could choose a delivery slot on Saturday.',
					'Easy checkout, the 5-year warranty was clearly explained in the basket.'
				],
				fr: [
					'Commande simple, j’ai pu choisir un créneau de livraison le samedi.',
					'Panier clair, la garantie 5 ans est bien expliquée avant le paiement.'
				]
			},
			neg: {
				en: [
					'At checkout the only delivery slot was in {days} days, and the warranty was added without asking.',
					'Checkout failed at payment and my basket was emptied.'
				],
				fr: [
					'Au moment de la commande, le seul créneau de livraison était dans {days} jours, et la garantie ajoutée d’office. Très déçu.',
					'Le paiement a échoué et mon panier a été vidé.'
				]
			}
		},
		{
			touchpoint: 'order-email',
			volume: 10,
			mood: 0.8,
			channels: ['email'],
			pos: {
				en: ['Great: order confirmation received at once with the order number and delivery date.'],
				fr: ['Parfait : confirmation de commande reçue tout de suite avec le numéro de commande et la date.']
			},
			neg: {
				en: ['No order confirmation email after two days, is my order placed?'],
				fr: ['Pas de confirmation de commande après deux jours, ma commande est-elle passée ?']
			}
		},
		{
			touchpoint: 'tracking',
			volume: 16,
			mood: 0.35,
			channels: ['review', 'email', 'social'],
			pos: {
				en: ['Delivery tracking in the app is excellent, I got a notification one hour before.'],
				fr: ['Le suivi de livraison dans l’application est précis, notification une heure avant.']
			},
			neg: {
				en: [
					'The tracking in the app has said "in transit" for {days} days. Where is my TV? Unacceptable.',
					'Delivery tracking in the app is useless, the status never changes.'
				],
				fr: [
					'Le suivi dans l’application affiche « en transit » depuis {days} jours. Où est mon téléviseur ? Inadmissible.',
					'Suivi de livraison inutile dans l’application, le statut ne bouge jamais.'
				]
			}
		},
		{
			touchpoint: 'delivery',
			volume: 24,
			mood: 0.15,
			channels: ['email', 'phone', 'social', 'survey'],
			pos: {
				en: ['The delivery men were on time and carried the TV upstairs. Perfect home delivery.'],
				fr: ['Livraison à domicile parfaite, les livreurs étaient à l’heure et ont monté le téléviseur.']
			},
			neg: {
				en: [
					'Home delivery {days} days late, and the driver left the box in the rain. Terrible.',
					'The TV was delivered damaged, the screen is cracked and the driver refused to wait.',
					'Nobody came on the delivery day and the driver never called. I took a day off for nothing. Awful home delivery.'
				],
				fr: [
					'Livraison à domicile avec {days} jours de retard, et le livreur a laissé le carton sous la pluie.',
					'Téléviseur livré abîmé, écran fissuré, et le livreur n’a pas voulu attendre.',
					'Personne n’est venu le jour de la livraison. Une journée de congé pour rien. Livraison lamentable, très déçu.'
				]
			}
		},
		{
			touchpoint: 'setup',
			volume: 16,
			mood: 0.6,
			channels: ['review', 'email'],
			pos: {
				en: [
					'Set-up with the app took five minutes, the remote paired at once.',
					'Easy installation with the app, the wifi connected first time.'
				],
				fr: [
					'Installation avec l’application en cinq minutes, la télécommande s’est appairée tout de suite. Parfait.',
					'Installation facile avec l’appli, le wifi s’est connecté du premier coup.'
				]
			},
			neg: {
				en: ['The setup app does not find the TV on the wifi, stuck at step 3.'],
				fr: ['L’application d’installation ne trouve pas le téléviseur en wifi, bloqué à l’étape 3.']
			}
		},
		{
			touchpoint: 'hotline',
			volume: 18,
			mood: 0.2,
			channels: ['phone', 'email', 'social'],
			pos: {
				en: ['The after-sales hotline sorted out my channels in ten minutes. Thank you.'],
				fr: ['Le SAV par téléphone a réglé mon problème de chaînes en dix minutes. Très efficace, merci.']
			},
			neg: {
				en: [
					'{min} minutes of wait on the after-sales hotline, then they hung up.',
					'Useless hotline: it could not help me find my channels and told me to call back tomorrow.'
				],
				fr: [
					'{min} minutes d’attente au service après-vente, puis ils ont raccroché.',
					'Le SAV ne sait pas m’aider à retrouver mes chaînes et me dit de rappeler demain.'
				]
			}
		},
		{
			touchpoint: 'warranty-letter',
			volume: 5,
			mood: 0.5,
			channels: ['email', 'other'],
			pos: {
				en: ['Good service: the warranty certificate came by post a week later, all clear.'],
				fr: ['Parfait, le certificat de garantie est arrivé par courrier une semaine après.']
			},
			neg: {
				en: ['Still no warranty certificate by post, why not simply e-mail it?'],
				fr: ['Toujours pas de certificat de garantie par courrier, pourquoi ne pas l’envoyer par mail ?']
			}
		},
		{
			touchpoint: 'review-written',
			volume: 12,
			mood: 0.7,
			channels: ['review', 'web_form'],
			pos: {
				en: ['Happy to write a review: five stars for the picture quality of the {model}.'],
				fr: ['Je laisse un avis cinq étoiles pour la qualité d’image du {model}.']
			},
			neg: {
				en: ['I wrote a review with two stars and it was never published. Strange.'],
				fr: ['J’ai rédigé un avis deux étoiles et il n’a jamais été publié. Bizarre.']
			}
		},
		{
			touchpoint: 'launch-event',
			volume: 4,
			mood: 0.8,
			channels: ['email', 'store'],
			pos: {
				en: ['Thanks for the invitation to the store event, a very nice evening.'],
				fr: ['Merci pour l’invitation à l’événement en magasin, très bonne soirée.']
			},
			neg: {
				en: ['The invitation to the store event arrived the day after the event. Disappointing.'],
				fr: ['L’invitation à l’événement en magasin est arrivée le lendemain de la soirée. Décevant.']
			}
		}
	]
};

const SLOTS: Record<string, string[]> = {
	dest: ['Montréal', 'Québec', 'Montreal'],
	airport: ['CDG', 'Roissy', 'Montréal-Trudeau', 'Orly'],
	min: ['25', '40', '45', '50', '70', '90'],
	days: ['3', '4', '5', '8', '10'],
	gate: ['K42', 'L24', 'E12', 'M31'],
	price: ['480 €', '520 €', '610 €'],
	store: ['Lyon Part-Dieu', 'La Défense'],
	model: ['OLED 55', 'OLED 65', 'LED 55']
};

const OPENERS: Record<Lang, string[]> = {
	en: ['', '', '', 'Hello, ', 'Hi, ', 'Honestly, '],
	fr: ['', '', '', 'Bonjour, ', 'Bonsoir, ', 'Franchement, ']
};
/** Endings that agree with the item's mood ('' most often). */
const CLOSERS: Record<'pos' | 'neg', Record<Lang, string[]>> = {
	pos: {
		en: ['', '', '', ' Thanks!', ' Regards.', ' Well done.'],
		fr: ['', '', '', ' Merci !', ' Cordialement.', ' Bravo.']
	},
	neg: {
		en: ['', '', '', ' Please do something.', ' Regards.', ' Very disappointed.'],
		fr: ['', '', '', ' Faites quelque chose.', ' Cordialement.', ' Très déçu.']
	}
};

const NAMES = [
	'Camille Martin',
	'Lucas Bernard',
	'Emma Dubois',
	'Hugo Laurent',
	'Chloé Moreau',
	'Nathan Petit',
	'Olivia Smith',
	'James Brown',
	'Sophie Tremblay',
	'Liam Gagnon',
	'Amelia Clarke',
	'Noah Roy'
];

/** mulberry32: a small, fast, seedable PRNG; the same seed gives the same demo. */
function prng(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** One generated item, with what it was written for (for checks; not stored). */
export interface DemoItem {
	journey: DemoJourney;
	/** The touchpoint the sentence was written for. */
	touchpoint: string;
	language: Lang;
	positive: boolean;
	input: Omit<FeedbackInput, 'journeyId'>;
}

export interface DemoOptions {
	/** The end of the 8-week window the items are spread over. */
	now: Date;
	seed?: number;
}

/** Days back the items are spread over. */
export const DEMO_WEEKS = 8;

function capitalise(s: string): string {
	return s.charAt(0).toUpperCase() + s.slice(1);
}

/** The demo feedback of both journeys (about 370 items), in a stable order. */
export function demoFeedback(options: DemoOptions): DemoItem[] {
	const rnd = prng(options.seed ?? 20260101);
	const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
	const now = options.now.getTime();
	const out: DemoItem[] = [];
	for (const journey of DEMO_JOURNEYS) {
		for (const script of SCRIPTS[journey]) {
			for (let k = 0; k < script.volume; k++) {
				// Alternate languages so every touchpoint has both, then let chance mix the rest.
				const language: Lang = k < 2 ? (k === 0 ? 'en' : 'fr') : rnd() < 0.5 ? 'en' : 'fr';
				const positive = rnd() < script.mood;
				const sentence = pick((positive ? script.pos : script.neg)[language]).replace(
					/\{(\w+)\}/g,
					(_, slot: string) => pick(SLOTS[slot] ?? [''])
				);
				const opener = pick(OPENERS[language]);
				const text = opener
					? opener +
						sentence.charAt(0).toLowerCase() +
						sentence.slice(1) +
						pick(CLOSERS[positive ? 'pos' : 'neg'][language])
					: capitalise(sentence) + pick(CLOSERS[positive ? 'pos' : 'neg'][language]);
				// Earlier channels of the script are likelier.
				const channel = script.channels[Math.floor(rnd() * rnd() * script.channels.length)];
				const daysAgo = rnd() * DEMO_WEEKS * 7;
				const receivedAt = new Date(Math.round((now - daysAgo * 86_400_000) / 60_000) * 60_000);
				let customer: Customer | null = null;
				if (rnd() < 0.45) {
					const name = pick(NAMES);
					const id = `C-${10000 + Math.floor(rnd() * 90000)}`;
					const contact =
						channel === 'social'
							? `@${name.split(' ')[0].toLowerCase()}${Math.floor(rnd() * 100)}`
							: `${name.toLowerCase().replace(/[^a-z]+/g, '.')}@example.com`;
					customer = { id, name, contact };
				}
				let rating: Rating | null = null;
				if (channel === 'survey' || (channel === 'email' && rnd() < 0.3))
					rating = { kind: 'nps', value: positive ? 8 + Math.floor(rnd() * 3) : Math.floor(rnd() * 6) };
				else if (channel === 'review')
					rating = { kind: 'stars', value: positive ? 4 + Math.floor(rnd() * 2) : 1 + Math.floor(rnd() * 2) };
				else if (rnd() < 0.15)
					rating = { kind: 'csat', value: positive ? 4 + Math.floor(rnd() * 2) : 1 + Math.floor(rnd() * 2) };
				out.push({
					journey,
					touchpoint: script.touchpoint,
					language,
					positive,
					input: {
						text,
						channel,
						receivedAt,
						customer,
						rating,
						touchpointId: null,
						language: null,
						externalId: `demo:${journey}:${script.touchpoint}:${k}`
					}
				});
			}
		}
	}
	return out;
}
