/**
 * Journeys a new map can start from, in French and English. Each template is a journey file, so it
 * goes through the same validation as an import.
 */
import type * as Y from 'yjs';
import { importJourney, JOURNEY_FILE_FORMAT, type JourneyFileInput } from './io';
import { CURRENT_SCHEMA_VERSION } from './schema-version';
import type { Locale } from './types';

export type TemplateId = 'blank' | 'default' | 'airline' | 'tv-online';

export interface TemplateInfo {
	id: TemplateId;
	title: Record<Locale, string>;
	description: Record<Locale, string>;
}

export const TEMPLATES: readonly TemplateInfo[] = [
	{
		id: 'blank',
		title: { en: 'Blank journey', fr: 'Parcours vierge' },
		description: { en: 'An empty map.', fr: 'Une carte vide.' }
	},
	{
		id: 'default',
		title: { en: 'Standard journey', fr: 'Parcours type' },
		description: {
			en: 'Discover, Consider, Buy, Receive/Use, Get help, Recommend.',
			fr: 'Découvrir, Comparer, Acheter, Recevoir / Utiliser, Obtenir de l’aide, Recommander.'
		}
	},
	{
		id: 'airline',
		title: { en: 'Example: an airline trip', fr: 'Exemple : un voyage en avion' },
		description: {
			en: 'From planning a trip to the frequent-flyer e-mail, with two personas and alternative paths.',
			fr: 'De la préparation du voyage au courriel de fidélité, avec deux personas et des chemins alternatifs.'
		}
	},
	{
		id: 'tv-online',
		title: { en: 'Example: buying a TV online', fr: 'Exemple : acheter un téléviseur en ligne' },
		description: {
			en: 'Research, purchase, delivery, set-up and after-sales help for a TV bought on a web shop.',
			fr: 'Recherche, achat, livraison, installation et service après-vente d’un téléviseur acheté en ligne.'
		}
	}
];

type Tr = (en: string, fr: string) => string;

function blank(tr: Tr): JourneyFileInput {
	return { title: tr('Untitled journey', 'Parcours sans titre') };
}

function standard(tr: Tr): JourneyFileInput {
	return {
		title: tr('Customer journey', 'Parcours client'),
		personas: [{ id: 'customer', name: tr('Customer', 'Client'), color: '#2563eb' }],
		stages: [
			{ id: 'discover', title: tr('Discover', 'Découvrir'), group: 'pre-sale' },
			{ id: 'consider', title: tr('Consider', 'Comparer'), group: 'pre-sale' },
			{ id: 'buy', title: tr('Buy', 'Acheter'), group: 'sale' },
			{ id: 'receive-use', title: tr('Receive / Use', 'Recevoir / Utiliser'), group: 'after-sale' },
			{ id: 'get-help', title: tr('Get help', 'Obtenir de l’aide'), group: 'after-sale' },
			{ id: 'recommend', title: tr('Recommend', 'Recommander'), group: 'after-sale' }
		]
	};
}

function airline(tr: Tr): JourneyFileInput {
	return {
		title: tr('Flying Paris – Montreal', 'Voler de Paris à Montréal'),
		description: tr(
			'A return flight booked online, seen by a business traveller and a family on holiday.',
			'Un aller-retour réservé en ligne, vu par une voyageuse d’affaires et une famille en vacances.'
		),
		personas: [
			{
				id: 'business',
				name: tr('Claire, business traveller', 'Claire, voyageuse d’affaires'),
				description: tr(
					'Flies twice a month, values time and predictability.',
					'Prend l’avion deux fois par mois, tient au temps gagné et à la prévisibilité.'
				),
				color: '#7c3aed'
			},
			{
				id: 'family',
				name: tr('The Martins, family on holiday', 'Les Martin, famille en vacances'),
				description: tr(
					'Two adults and two children, one trip a year, watch the budget.',
					'Deux adultes et deux enfants, un voyage par an, attentifs au budget.'
				),
				color: '#f59e0b'
			}
		],
		stages: [
			{
				id: 'plan',
				title: tr('Plan the trip', 'Préparer le voyage'),
				group: 'pre-sale',
				touchpoints: [
					{
						id: 'inspiration',
						title: tr('Destination video on social media', 'Vidéo de destination sur les réseaux sociaux'),
						channel: 'social',
						personaIds: ['family'],
						does: tr(
							'Watches a sponsored video about Quebec in summer.',
							'Regarde une vidéo sponsorisée sur le Québec en été.'
						),
						thinks: tr(
							'Could we afford this with the kids?',
							'Est-ce qu’on peut se l’offrir avec les enfants ?'
						),
						feels: tr('Curious, dreaming', 'Curieux, rêveur'),
						joys: [tr('Inspiring images', 'Images qui font rêver')],
						emotion: 1,
						keywords: ['video', 'Québec', tr('holiday', 'vacances')]
					},
					{
						id: 'search',
						title: tr('Fare search on the website', 'Recherche de tarifs sur le site'),
						channel: 'web',
						does: tr(
							'Compares dates and fares over a flexible week.',
							'Compare dates et tarifs sur une semaine flexible.'
						),
						thinks: tr('Which fare includes a checked bag?', 'Quel tarif inclut une valise en soute ?'),
						feels: tr('Unsure', 'Hésitant'),
						pains: [
							tr('Baggage rules hidden behind a link', 'Règles bagages cachées derrière un lien'),
							tr('Prices change between two searches', 'Les prix changent entre deux recherches')
						],
						joys: [tr('Calendar of lowest fares', 'Calendrier des prix les plus bas')],
						emotion: -1,
						keywords: [tr('fare', 'tarif'), tr('baggage', 'bagage'), tr('price', 'prix')],
						products: [
							tr('Economy Light fare', 'Tarif Eco Light'),
							tr('Economy Classic fare', 'Tarif Eco Classic')
						]
					}
				]
			},
			{
				id: 'book',
				title: tr('Book and pay', 'Réserver et payer'),
				group: 'sale',
				touchpoints: [
					{
						id: 'booking',
						title: tr('Online booking and payment', 'Réservation et paiement en ligne'),
						channel: 'web',
						does: tr(
							'Enters passengers, picks seats, pays by card.',
							'Saisit les passagers, choisit les sièges, paie par carte.'
						),
						thinks: tr(
							'Why do seats next to each other cost extra?',
							'Pourquoi payer pour être assis côte à côte ?'
						),
						feels: tr('Irritated', 'Agacé'),
						pains: [tr('Paid seat selection for children', 'Choix de siège payant pour les enfants')],
						joys: [tr('Payment in three instalments', 'Paiement en trois fois')],
						emotion: -1,
						keywords: [tr('seat', 'siège'), tr('payment', 'paiement')],
						products: [tr('Seat selection', 'Choix du siège')],
						notes: tr(
							'Seat fees are the first cause of complaints in the family segment.',
							'Les frais de siège sont la première cause de réclamation des familles.'
						)
					},
					{
						id: 'phone-booking',
						title: tr('Booking by phone', 'Réservation par téléphone'),
						channel: 'phone',
						personaIds: ['business'],
						does: tr(
							'Calls the premium line to book a flexible fare.',
							'Appelle la ligne premium pour un tarif flexible.'
						),
						feels: tr('Served', 'Bien servie'),
						joys: [tr('Agent knows her preferences', 'Le conseiller connaît ses préférences')],
						emotion: 2,
						products: [tr('Business Flex fare', 'Tarif Business Flex')]
					},
					{
						id: 'confirmation',
						title: tr('Confirmation e-mail', 'Courriel de confirmation'),
						channel: 'email',
						does: tr('Checks the booking reference and the times.', 'Vérifie la référence et les horaires.'),
						feels: tr('Reassured', 'Rassuré'),
						joys: [tr('Everything in one e-mail', 'Tout dans un seul courriel')],
						emotion: 1
					}
				]
			},
			{
				id: 'depart',
				title: tr('Check in and depart', 'Enregistrement et départ'),
				group: 'after-sale',
				touchpoints: [
					{
						id: 'app-checkin',
						title: tr('Check-in in the app', 'Enregistrement dans l’application'),
						channel: 'app',
						does: tr(
							'Checks in 24 hours before and saves the boarding pass.',
							'S’enregistre 24 heures avant et enregistre la carte d’embarquement.'
						),
						thinks: tr('Done in two minutes.', 'Fait en deux minutes.'),
						feels: tr('In control', 'Maître de la situation'),
						joys: [tr('Boarding pass in the phone wallet', 'Carte d’embarquement dans le téléphone')],
						emotion: 2,
						keywords: ['check-in', tr('boarding pass', 'carte d’embarquement')]
					},
					{
						id: 'bag-drop',
						title: tr('Bag-drop kiosk', 'Borne de dépose bagage'),
						channel: 'kiosk',
						personaIds: ['family'],
						does: tr(
							'Prints tags and drops two suitcases.',
							'Imprime les étiquettes et dépose deux valises.'
						),
						thinks: tr('Is the bag too heavy?', 'La valise est-elle trop lourde ?'),
						feels: tr('Stressed', 'Stressé'),
						pains: [
							tr('Kiosk refuses the bag without saying why', 'La borne refuse la valise sans dire pourquoi'),
							tr('Long queue for the only agent', 'Longue file pour le seul agent')
						],
						emotion: -2,
						keywords: [tr('baggage', 'bagage'), tr('queue', 'file d’attente'), tr('kiosk', 'borne')]
					},
					{
						id: 'boarding',
						title: tr('Boarding at the gate', 'Embarquement à la porte'),
						channel: 'store',
						online: false,
						does: tr('Waits for the group to be called.', 'Attend l’appel de son groupe.'),
						feels: tr('Tired', 'Fatigué'),
						pains: [tr('Delay announced late', 'Retard annoncé tardivement')],
						emotion: -1,
						keywords: [tr('delay', 'retard'), tr('gate', 'porte')]
					}
				]
			},
			{
				id: 'fly',
				title: tr('Fly and arrive', 'Vol et arrivée'),
				group: 'after-sale',
				touchpoints: [
					{
						id: 'inflight',
						title: tr('Meal and entertainment on board', 'Repas et divertissement à bord'),
						channel: 'other',
						online: false,
						does: tr(
							'Eats, watches a film, the children play.',
							'Mange, regarde un film, les enfants jouent.'
						),
						feels: tr('Relaxed', 'Détendu'),
						joys: [tr('Children’s kit', 'Kit enfant'), tr('Friendly crew', 'Équipage aimable')],
						emotion: 1,
						products: [tr('In-flight meal', 'Repas à bord')]
					},
					{
						id: 'lost-bag',
						title: tr('Reporting a delayed bag', 'Déclarer un bagage retardé'),
						channel: 'chat',
						does: tr(
							'Files a report in the chat after waiting at the carousel.',
							'Fait une déclaration dans le chat après avoir attendu au tapis.'
						),
						thinks: tr('Will we get it before the weekend?', 'L’aura-t-on avant le week-end ?'),
						feels: tr('Angry', 'En colère'),
						pains: [
							tr('No delivery date given', 'Aucune date de livraison donnée'),
							tr('Has to repeat the booking reference three times', 'Doit répéter trois fois sa référence')
						],
						emotion: -2,
						keywords: [
							tr('lost luggage', 'bagage perdu'),
							tr('delayed bag', 'bagage retardé'),
							tr('carousel', 'tapis')
						],
						notes: tr(
							'Alternative path: only when a bag does not arrive.',
							'Chemin alternatif : seulement quand un bagage n’arrive pas.'
						)
					}
				]
			},
			{
				id: 'after',
				title: tr('After the trip', 'Après le voyage'),
				group: 'after-sale',
				touchpoints: [
					{
						id: 'survey',
						title: tr('Satisfaction survey', 'Enquête de satisfaction'),
						channel: 'email',
						does: tr('Rates the flight and writes a comment.', 'Note le vol et laisse un commentaire.'),
						feels: tr('Heard, or not', 'Écouté, ou pas'),
						emotion: 0,
						keywords: [tr('survey', 'enquête'), 'NPS']
					},
					{
						id: 'loyalty',
						title: tr('Frequent-flyer card by post', 'Carte de fidélité par courrier'),
						channel: 'mail',
						personaIds: ['business'],
						does: tr(
							'Receives her silver card and miles statement.',
							'Reçoit sa carte argent et son relevé de miles.'
						),
						feels: tr('Valued', 'Valorisée'),
						joys: [tr('Lounge access', 'Accès au salon')],
						emotion: 1,
						products: [tr('Frequent-flyer programme', 'Programme de fidélité')]
					}
				]
			}
		],
		connections: [
			{ id: 'c1', from: 'inspiration', to: 'search' },
			{ id: 'c2', from: 'search', to: 'booking' },
			{
				id: 'c3',
				from: 'search',
				to: 'phone-booking',
				kind: 'alternative',
				label: tr('Premium customers', 'Clients premium')
			},
			{ id: 'c4', from: 'booking', to: 'confirmation' },
			{ id: 'c5', from: 'phone-booking', to: 'confirmation' },
			{ id: 'c6', from: 'confirmation', to: 'app-checkin' },
			{ id: 'c7', from: 'app-checkin', to: 'bag-drop' },
			{ id: 'c8', from: 'bag-drop', to: 'boarding' },
			{
				id: 'c9',
				from: 'app-checkin',
				to: 'boarding',
				kind: 'alternative',
				label: tr('Hand luggage only', 'Bagage cabine seulement')
			},
			{ id: 'c10', from: 'boarding', to: 'inflight' },
			{
				id: 'c11',
				from: 'inflight',
				to: 'lost-bag',
				kind: 'alternative',
				label: tr('Bag missing', 'Bagage manquant')
			},
			{ id: 'c12', from: 'inflight', to: 'survey' },
			{ id: 'c13', from: 'lost-bag', to: 'survey' },
			{ id: 'c14', from: 'survey', to: 'loyalty' }
		]
	};
}

function tvOnline(tr: Tr): JourneyFileInput {
	return {
		title: tr('Buying a TV online', 'Acheter un téléviseur en ligne'),
		description: tr(
			'A 55-inch TV bought on a web shop, delivered and installed at home.',
			'Un téléviseur 55 pouces acheté sur un site marchand, livré et installé à domicile.'
		),
		personas: [
			{
				id: 'expert',
				name: tr('Karim, tech enthusiast', 'Karim, passionné de technologie'),
				description: tr(
					'Reads reviews, compares specs, sets up alone.',
					'Lit les tests, compare les fiches, installe seul.'
				),
				color: '#059669'
			},
			{
				id: 'senior',
				name: tr('Monique, first smart TV', 'Monique, premier téléviseur connecté'),
				description: tr(
					'Wants a simple TV, needs help to install it.',
					'Veut un téléviseur simple, a besoin d’aide pour l’installer.'
				),
				color: '#db2777'
			}
		],
		stages: [
			{
				id: 'discover',
				title: tr('Discover', 'Découvrir'),
				group: 'pre-sale',
				touchpoints: [
					{
						id: 'review',
						title: tr('Video review on social media', 'Test vidéo sur les réseaux sociaux'),
						channel: 'social',
						personaIds: ['expert'],
						does: tr('Watches a comparison of OLED and LED models.', 'Regarde un comparatif OLED et LED.'),
						feels: tr('Enthusiastic', 'Enthousiaste'),
						joys: [tr('Honest side-by-side test', 'Test côte à côte honnête')],
						emotion: 1,
						keywords: ['OLED', tr('review', 'test')],
						products: ['TV OLED 55"']
					},
					{
						id: 'showroom',
						title: tr('Seeing the TV in a shop', 'Voir le téléviseur en magasin'),
						channel: 'store',
						personaIds: ['senior'],
						does: tr(
							'Looks at the picture in a shop before buying online.',
							'Regarde l’image en magasin avant d’acheter en ligne.'
						),
						thinks: tr('The salesperson had no time for me.', 'Le vendeur n’avait pas de temps pour moi.'),
						feels: tr('Lost', 'Perdue'),
						pains: [tr('No one to explain the jargon', 'Personne pour expliquer le jargon')],
						emotion: -1,
						keywords: [tr('shop', 'magasin'), tr('advice', 'conseil')]
					}
				]
			},
			{
				id: 'compare',
				title: tr('Compare', 'Comparer'),
				group: 'pre-sale',
				touchpoints: [
					{
						id: 'product-page',
						title: tr('Product page and filters', 'Fiche produit et filtres'),
						channel: 'web',
						does: tr(
							'Filters by size and price, reads customer reviews.',
							'Filtre par taille et prix, lit les avis clients.'
						),
						thinks: tr('Is the 2024 model really better?', 'Le modèle 2024 est-il vraiment meilleur ?'),
						feels: tr('Overwhelmed', 'Submergé'),
						pains: [tr('Model names impossible to compare', 'Noms de modèles impossibles à comparer')],
						joys: [tr('Verified customer reviews', 'Avis clients vérifiés')],
						emotion: 0,
						keywords: [tr('size', 'taille'), tr('price', 'prix'), tr('reviews', 'avis')],
						products: ['TV OLED 55"', 'TV LED 55"']
					},
					{
						id: 'chat-advice',
						title: tr('Advice from the chat', 'Conseil par le chat'),
						channel: 'chat',
						personaIds: ['senior'],
						does: tr(
							'Asks which TV works without a subscription.',
							'Demande quel téléviseur fonctionne sans abonnement.'
						),
						feels: tr('Reassured', 'Rassurée'),
						joys: [tr('Clear answer in plain words', 'Réponse claire, sans jargon')],
						emotion: 2
					}
				]
			},
			{
				id: 'buy',
				title: tr('Buy', 'Acheter'),
				group: 'sale',
				touchpoints: [
					{
						id: 'checkout',
						title: tr('Checkout and delivery slot', 'Commande et créneau de livraison'),
						channel: 'web',
						does: tr(
							'Adds the 5-year warranty, picks a delivery slot, pays.',
							'Ajoute la garantie 5 ans, choisit un créneau, paie.'
						),
						thinks: tr('Why is the slot four hours long?', 'Pourquoi un créneau de quatre heures ?'),
						feels: tr('Impatient', 'Impatient'),
						pains: [tr('Four-hour delivery window', 'Créneau de livraison de quatre heures')],
						joys: [tr('Free delivery', 'Livraison gratuite')],
						emotion: 0,
						keywords: [tr('delivery slot', 'créneau'), tr('warranty', 'garantie')],
						products: [tr('5-year warranty', 'Garantie 5 ans'), tr('Home delivery', 'Livraison à domicile')]
					},
					{
						id: 'order-email',
						title: tr('Order confirmation', 'Confirmation de commande'),
						channel: 'email',
						does: tr('Reads the order summary and invoice.', 'Lit le récapitulatif et la facture.'),
						feels: tr('Satisfied', 'Satisfait'),
						emotion: 1
					}
				]
			},
			{
				id: 'receive-use',
				title: tr('Receive and use', 'Recevoir et utiliser'),
				group: 'after-sale',
				touchpoints: [
					{
						id: 'tracking',
						title: tr('Delivery tracking in the app', 'Suivi de livraison dans l’application'),
						channel: 'app',
						does: tr('Follows the truck on a map.', 'Suit le camion sur une carte.'),
						feels: tr('Relieved', 'Soulagé'),
						joys: [tr('Live map of the driver', 'Carte du livreur en direct')],
						emotion: 1,
						keywords: [tr('tracking', 'suivi'), tr('delivery', 'livraison')]
					},
					{
						id: 'delivery',
						title: tr('Delivery at home', 'Livraison à domicile'),
						channel: 'other',
						online: false,
						does: tr(
							'Receives the box; the driver leaves it at the door.',
							'Reçoit le carton ; le livreur le laisse à la porte.'
						),
						thinks: tr('I cannot carry this alone.', 'Je ne peux pas porter ça seule.'),
						feels: tr('Abandoned', 'Abandonnée'),
						pains: [tr('Not brought inside', 'Pas monté à l’intérieur'), tr('Box damaged', 'Carton abîmé')],
						emotion: -2,
						keywords: [tr('delivery', 'livraison'), tr('damaged', 'abîmé'), tr('driver', 'livreur')],
						products: [tr('Home delivery', 'Livraison à domicile')]
					},
					{
						id: 'setup',
						title: tr('Set-up with the app', 'Installation avec l’application'),
						channel: 'app',
						personaIds: ['expert'],
						does: tr(
							'Pairs the TV with the phone and updates it.',
							'Associe le téléviseur au téléphone et le met à jour.'
						),
						feels: tr('Proud', 'Fier'),
						joys: [tr('Set up in ten minutes', 'Installé en dix minutes')],
						emotion: 2
					}
				]
			},
			{
				id: 'get-help',
				title: tr('Get help', 'Obtenir de l’aide'),
				group: 'after-sale',
				touchpoints: [
					{
						id: 'hotline',
						title: tr('After-sales hotline', 'Service après-vente par téléphone'),
						channel: 'phone',
						personaIds: ['senior'],
						does: tr(
							'Calls because the channels are not found.',
							'Appelle car les chaînes ne sont pas trouvées.'
						),
						thinks: tr('Twenty minutes of hold music.', 'Vingt minutes de musique d’attente.'),
						feels: tr('Exasperated', 'Exaspérée'),
						pains: [tr('Long wait', 'Longue attente'), tr('Transferred twice', 'Transférée deux fois')],
						joys: [tr('The technician finally solved it', 'Le technicien a fini par résoudre')],
						emotion: -1,
						keywords: [tr('channels', 'chaînes'), tr('hotline', 'SAV'), tr('wait', 'attente')],
						notes: tr(
							'Link to the loop “Channel scan explained in the box”.',
							'Lien avec la boucle « Recherche des chaînes expliquée dans le carton ».'
						)
					},
					{
						id: 'warranty-letter',
						title: tr('Warranty certificate by post', 'Certificat de garantie par courrier'),
						channel: 'mail',
						does: tr('Files the paper certificate.', 'Range le certificat papier.'),
						feels: tr('Neutral', 'Neutre'),
						emotion: 0,
						products: [tr('5-year warranty', 'Garantie 5 ans')]
					}
				]
			},
			{
				id: 'recommend',
				title: tr('Recommend', 'Recommander'),
				group: 'after-sale',
				touchpoints: [
					{
						id: 'review-written',
						title: tr('Writing a review', 'Rédiger un avis'),
						channel: 'web',
						does: tr(
							'Leaves stars and a comment on the product page.',
							'Laisse des étoiles et un commentaire sur la fiche.'
						),
						feels: tr('Satisfied overall', 'Plutôt satisfait'),
						emotion: 1,
						keywords: [tr('review', 'avis'), tr('stars', 'étoiles')]
					},
					{
						id: 'launch-event',
						title: tr('Invitation to a store event', 'Invitation à un événement en magasin'),
						channel: 'event',
						personaIds: ['expert'],
						does: tr(
							'Goes to a demo evening of new models.',
							'Va à une soirée de démonstration des nouveautés.'
						),
						feels: tr('Part of a community', 'Membre d’une communauté'),
						joys: [tr('Meets the brand’s experts', 'Rencontre les experts de la marque')],
						emotion: 2
					}
				]
			}
		],
		connections: [
			{ id: 'c1', from: 'review', to: 'product-page' },
			{ id: 'c2', from: 'showroom', to: 'product-page' },
			{
				id: 'c3',
				from: 'product-page',
				to: 'chat-advice',
				kind: 'alternative',
				label: tr('Needs advice', 'Besoin de conseil')
			},
			{ id: 'c4', from: 'product-page', to: 'checkout' },
			{ id: 'c5', from: 'chat-advice', to: 'checkout' },
			{ id: 'c6', from: 'checkout', to: 'order-email' },
			{ id: 'c7', from: 'order-email', to: 'tracking' },
			{ id: 'c8', from: 'tracking', to: 'delivery' },
			{ id: 'c9', from: 'delivery', to: 'setup' },
			{
				id: 'c10',
				from: 'delivery',
				to: 'hotline',
				kind: 'alternative',
				label: tr('Cannot set it up', 'N’arrive pas à installer')
			},
			{ id: 'c11', from: 'hotline', to: 'warranty-letter' },
			{ id: 'c12', from: 'setup', to: 'review-written' },
			{ id: 'c13', from: 'review-written', to: 'launch-event' }
		]
	};
}

const BUILDERS: Record<TemplateId, (tr: Tr) => JourneyFileInput> = {
	blank,
	default: standard,
	airline,
	'tv-online': tvOnline
};

/** The template as a journey file in the given language. */
export function templateFile(id: TemplateId, locale: Locale) {
	const build = BUILDERS[id];
	if (!build) throw new Error(`Unknown journey template "${id}"`);
	const tr: Tr = (en, fr) => (locale === 'fr' ? fr : en);
	return { format: JOURNEY_FILE_FORMAT, schemaVersion: CURRENT_SCHEMA_VERSION, journey: build(tr) };
}

/** Fills `doc` from a template; `title` and `owner` override the template's. */
export function createJourneyFromTemplate(
	doc: Y.Doc,
	id: TemplateId,
	locale: Locale,
	overrides: { title?: string; owner?: string | null } = {}
): void {
	const file = templateFile(id, locale);
	importJourney(doc, { ...file, journey: { ...file.journey, ...overrides } });
}
