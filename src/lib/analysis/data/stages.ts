/**
 * Stage-group and channel cues, French and English.
 *
 * Source: written for Parcours by its authors; stage groups follow the usual customer-journey split:
 * pre-sale (discover, compare, ask before buying), sale (order, book, pay), after-sale (delivery, use,
 * support, returns).
 */
import type { StageGroup } from '../types';

export const STAGE_CUES: Record<StageGroup, string> = {
	'pre-sale': `before buying 2, before i buy 2, thinking of buying 2, planning to buy 2, interested in 1.5, looking for 1,
	do you have 1.5, do you sell 2, do you offer 1.5, is it available 2, in stock 1.5, quote 1.5, estimate 1, brochure 1.5,
	catalog* 1.5, compare 1, comparison 1, price of 1.5, how much 1.5, how much is 1.5, how much does 1.5, information about 1,
	advert* 1, ad 0.5, promotion 1, offer* 0.5, demo 1.5, trial 1, opening hours 1.5, are you open 1.5, showroom 1.5,
	avant d'acheter 2, avant achat 2, je cherche 1, vous avez 1, vendez-vous 2, avez-vous 1, disponible 1, en stock 1.5,
	devis 2, tarif* 1, combien coute 1.5, combien 1, renseignement* 1.5, brochure 1.5, catalogue 1.5, comparer 1,
	publicite 1, pub 0.5, essai 1, horaires 1, ouvert 1, interesse 1.5, fares 1, fare 1, deals 1, deal 0.5`,
	sale: `order* 1, ordering 1.5, place an order 2, buy* 1, bought 1, purchase* 1.5, checkout 2, check out 1, cart 2, basket 1.5,
	pay 1, paying 1.5, payment 1.5, paid 1, book 1, booking 1.5, booked 1, reservation* 1.5, reserve 1.5, sign up 1.5,
	subscribe* 1.5, subscription 1, contract 1, promo code 1.5, discount code 1.5, ticket* 1, seat selection 1.5,
	commander 1.5, commande 1, commandé 1, acheter 1.5, achete 1, achat 1.5, panier 2, payer 1.5, paiement 1.5, paye 1,
	reserver 1.5, reservation 1.5, reserve 1, abonnement 1, souscri* 1.5, contrat 1, code promo 1.5, billet* 1, caisse 1.5,
	passer commande 2, change my flight 1.5, change flight 1.5, rebook* 1`,
	'after-sale': `delivery 1.5, delivered 1.5, deliver 1, shipping 1, shipped 1, parcel 1.5, package 1, tracking 1.5, received 1,
	arrived 1, return* 1.5, refund* 2, exchange 1, repair* 2, warranty 2, guarantee 1, broken 1.5, broke 1, damaged 1.5,
	defective 2, not working 2, stopped working 2, support 1, customer service 1.5, help desk 1.5, complaint 1.5, claim 1.5,
	follow up 1, cancel* 1, delay* 1.5, delayed 1.5, flight 1, flights 1, lost 1, luggage 1.5, baggage 1.5, bag 1, bags 1,
	gate 1, boarding 1, onboard 1, on board 1, crew 1, seat 0.5, landed 1.5, connection 1, hold 1, on hold 1.5, waiting 1,
	bill 1, invoice 1, charged 1, subscription 0.5, account 0.5, still 0.5, after 0.5,
	livraison 1.5, livre 1, livree 1, colis 1.5, suivi 1, recu 1, reçu 1, arrive 0.5, retour* 1.5, rembours* 2, echange 1,
	repar* 2, garantie 2, panne 2, casse 1.5, abime 1.5, defectueu* 2, sav 2, service client 1.5, reclamation 1.5,
	plainte 1.5, annul* 1, retard* 1.5, vol 0.5, bagage* 1.5, valise 1.5, embarquement 1, facture 1, preleve* 1, attente 1`
};

/** Words that point at a channel; matched against touchpoint channels. */
export const CHANNEL_CUES: Record<string, string[]> = {
	web: ['website', 'web site', 'site', 'online', 'web', 'page', 'site web', 'site internet', 'internet', 'en ligne', 'browser', 'navigateur'],
	app: ['app', 'application', 'appli', 'mobile app', 'ios', 'android', 'iphone app', 'smartphone'],
	email: ['email', 'e-mail', 'mail', 'inbox', 'courriel', 'newsletter', 'mails', 'emails'],
	phone: ['phone', 'call', 'called', 'calling', 'hotline', 'on hold', 'hung up', 'telephone', 'appel', 'appele', 'appeler', 'rappel', 'standard', 'ligne'],
	store: ['store', 'shop', 'boutique', 'magasin', 'agence', 'branch', 'counter', 'desk', 'comptoir', 'guichet', 'in person', 'en magasin', 'cashier', 'caisse'],
	social: ['twitter', 'facebook', 'instagram', 'tweet', 'dm', 'linkedin', 'tiktok', 'reseaux sociaux', 'social media'],
	chat: ['chat', 'live chat', 'chatbot', 'bot', 'messenger', 'whatsapp', 'tchat'],
	kiosk: ['kiosk', 'ivr', 'borne', 'automate', 'self-service', 'machine', 'serveur vocal', 'voice menu'],
	mail: ['letter', 'courrier', 'lettre', 'post', 'postal', 'recommande']
};
