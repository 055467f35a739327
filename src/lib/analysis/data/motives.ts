/**
 * Default motive taxonomy (why a customer is happy or not), French and English keywords.
 *
 * Source: written for Parcours by its authors; the list of motives is the one the product specification
 * asks for. Keywords: accent- and case-insensitive; `*` ends a prefix; several words form a phrase.
 */
import type { Motive } from '../types';

export const DEFAULT_MOTIVES: readonly Motive[] = [
	{
		id: 'delay',
		label: { fr: 'Retard', en: 'Delay' },
		stage: 'after-sale',
		keywords: [
			'delay*', 'late', 'later than', 'running late', 'behind schedule', 'overdue', 'still not here',
			'not arrived', "hasn't arrived", 'hasnt arrived', 'took forever', 'takes forever', 'pushed back', 'on time',
			'missed my connection', 'missed connection', 'misconnect*', 'retard*', 'en retard', 'pas arrive*',
			'toujours pas arrive*', 'toujours pas recu', 'hors delai', 'delai depasse', 'reporte*', 'decale*',
			'late arrival', 'arrived late', 'departure time', 'tarmac', 'sitting on the plane', 'still sitting', 'stuck',
			'hours late', 'hrs late', 'hour late', 'hour delay', 'hr delay', 'hours delay', 'missed my connecting',
			'missed connecting', 'missed my flight', 'missed our flight', "hasn't departed", 'not departed', 'still on the plane',
			'waiting on the plane', 'on the runway', 'sitting on', 'sitting at', 'divert*', 'wheels up', 'take off', 'taking off',
			'departure', 'departed', 'not moving', "haven't moved", 'still at the gate', 'bloque*', 'coince*', 'correspondance ratee',
			'rate ma correspondance', 'toujours a quai', 'toujours au sol'
		]
	},
	{
		id: 'cancellation',
		label: { fr: 'Annulation', en: 'Cancellation' },
		stage: 'after-sale',
		keywords: ['cancel*', 'canceled', 'cancelled', 'cancellation*', 'annul*', 'supprime*', 'called off', 'scrapped', 'rebook*',
			're-book*', 'reaccommodat*', 'rebooking', 'next available flight', 'rescheduled', 'reprogramme*']
	},
	{
		id: 'lost-or-damaged',
		label: { fr: 'Objet perdu ou abîmé', en: 'Lost or damaged item' },
		stage: 'after-sale',
		keywords: [
			'lost', 'lose', 'losing', 'missing', 'misplaced', 'damaged', 'damage', 'broken', 'broke', 'smashed',
			'torn', 'ripped', 'dented', 'scratched', 'cracked', 'stolen', 'bag', 'bags', 'baggage', 'luggage', 'suitcase',
			'lost and found', 'perdu*', 'egare*', 'abime*', 'endommag*', 'casse*', 'vole', 'volee', 'bagage*',
			'valise*', 'colis perdu', 'colis abime', 'en morceaux', 'dechire*', 'raye*', 'fissure*'
		]
	},
	{
		id: 'staff-attitude',
		label: { fr: 'Attitude du personnel', en: 'Staff attitude' },
		keywords: [
			'rude*', 'impolite', 'unfriendly', 'unprofessional', 'attitude', 'arrogant', 'condescending',
			'disrespect*', 'yelled', 'yelling', 'shouted', 'hung up', 'hang up', 'ignored', 'ignoring', 'mean',
			'nasty', 'smile', 'friendly', 'polite', 'courteous', 'kind', 'nice', 'helpful', 'flight attendant*', 'crew',
			'agent', 'agents', 'staff', 'employee*', 'gate agent', 'attendant*', 'pilot', 'captain', 'impoli*',
			'desagreable*', 'aimable*', 'souriant*', 'accueil', 'mepris*', 'arrogan*', 'agressi*', 'raccroch*',
			'personnel', 'vendeur*', 'vendeuse*', 'conseiller*', 'conseillere*', 'employe*', 'hotesse*', 'steward*',
			'gentil*', 'sympa', 'courtois*', 'irrespectu*', 'grossier*', 'malpoli*'
		]
	},
	{
		id: 'staff-competence',
		label: { fr: 'Compétence du personnel', en: 'Staff competence' },
		keywords: [
			'incompeten*', 'clueless', "didn't know", 'didnt know', "don't know", 'no idea', 'wrong information',
			'wrong info', 'misinform*', 'competent', 'knowledgeable', 'professional', 'expert*', 'trained', 'training',
			'solved', 'resolved', 'fixed my', 'sorted', 'customer service', 'customer care', 'customer support',
			'support team', 'service client', 'service clientele', 'sav', 'competen*', 'incapable*', 'forme*',
			'mal informe*', 'renseign*', 'conseil*', 'professionnel*', 'resolu*', 'regle'
		]
	},
	{
		id: 'waiting-time',
		label: { fr: "Temps d'attente", en: 'Waiting time' },
		keywords: [
			'wait*', 'on hold', 'hold time', 'queue*', 'line', 'lines', 'long line*', 'hours', 'hrs', 'minutes', 'mins',
			'forever', 'still waiting', 'no answer', 'no response', 'no reply', 'respond', 'response time', 'call back',
			'callback', 'get through', 'busy signal', 'attente', 'attendre', 'attends', 'attendu', "file d'attente",
			'queue', 'heures', 'minutes', 'rappel*', 'injoignable*', 'personne ne repond', 'aucune reponse',
			'sans reponse', 'pas de reponse', 'delai de reponse', 'repond*'
		]
	},
	{
		id: 'price-or-fees',
		label: { fr: 'Prix ou frais', en: 'Price or fees' },
		keywords: [
			'price*', 'pricing', 'fee', 'fees', 'expensive', 'overpriced', 'cheap', 'cheaper', 'cost*', 'charge for',
			'rip off', 'ripoff', 'rip-off', 'hidden fee*', 'baggage fee*', 'change fee*', 'surcharge', 'fare', 'fares',
			'$', 'dollars', 'euros', 'prix', 'tarif*', 'cher', 'chere', 'chers', 'couteu*', 'frais', 'supplement*',
			'hors de prix', 'trop cher*', 'bon marche', 'promo*', 'reduction*', 'remise', 'abordable*', 'gratuit*'
		]
	},
	{
		id: 'billing-or-payment',
		label: { fr: 'Facturation ou paiement', en: 'Billing or payment' },
		stage: 'sale',
		keywords: [
			'bill', 'billing', 'billed', 'invoice*', 'charged', 'charge', 'charges', 'double charged', 'charged twice',
			'overcharged', 'payment*', 'pay', 'paid', 'paying', 'credit card', 'card', 'debit*', 'transaction*',
			'statement', 'receipt', 'voucher*', 'factur*', 'paiement*', 'payer', 'paye', 'payee', 'preleve*',
			'prelevement*', 'carte bancaire', 'carte bleue', 'cb', 'debite*', 'transaction*', 'recu de paiement',
			'avoir', 'bon d\'achat', 'virement*', 'encaiss*'
		]
	},
	{
		id: 'website-or-app-bug',
		label: { fr: 'Bug du site ou de l\'appli', en: 'Website or app bug' },
		keywords: [
			'website', 'web site', 'site', 'app', 'application', 'online', 'login', 'log in', 'sign in', 'password',
			'page', 'error', 'error message', 'bug*', 'glitch*', 'crash*', 'down', 'not loading', "won't load",
			'wont load', 'checkout', 'check in online', 'online check-in', 'mobile', 'browser', 'link', 'system',
			'systems', 'computer*', 'technical', 'site web', 'site internet', 'appli', 'en ligne', 'connexion',
			'connecter', 'mot de passe', 'erreur*', 'beug*', 'plante', 'plantage', 'ne charge pas', 'identifiant*',
			'technique', 'informatique', 'mise a jour', 'update', 'upgrade the app'
		]
	},
	{
		id: 'information-clarity',
		label: { fr: "Clarté de l'information", en: 'Information clarity' },
		keywords: [
			'information', 'info', 'informed', 'inform', 'communicat*', 'explain*', 'explanation', 'unclear', 'confus*',
			'misleading', 'mislead*', 'update', 'updates', 'notified', 'notification*', 'announcement*', 'no idea',
			'nobody told', 'no one told', 'kept in the dark', 'told us', 'told me', 'status', 'policy', 'policies',
			'terms', 'conditions', 'transparen*', 'informe*', 'informations', 'communication', 'explication*',
			'pas clair', 'flou', 'trompeu*', 'prevenu*', 'averti*', 'renseignement*', 'conditions generales'
		]
	},
	{
		id: 'product-quality',
		label: { fr: 'Qualité du produit', en: 'Product quality' },
		keywords: [
			'quality', 'defect*', 'faulty', 'broke after', 'stopped working', "doesn't work", 'doesnt work',
			'not working', 'poor quality', 'cheaply made', 'flimsy', 'food', 'meal', 'meals', 'taste*', 'tasty',
			'stale', 'wifi', 'wi-fi', 'entertainment', 'screen', 'screens', 'product', 'item', 'qualite', 'defectu*',
			'defaut*', 'ne fonctionne pas', 'ne marche pas', 'marche plus', 'fonctionne plus', 'en panne', 'panne*',
			'produit', 'article', 'repas', 'nourriture', 'gout', 'fragile'
		]
	},
	{
		id: 'delivery',
		label: { fr: 'Livraison', en: 'Delivery' },
		stage: 'after-sale',
		keywords: [
			'deliver*', 'shipping', 'shipped', 'shipment', 'ship', 'parcel', 'package', 'courier', 'tracking',
			'tracking number', 'dispatch*', 'arrive*', 'arrival', 'received', 'receive', 'order', 'ordered',
			'livr*', 'colis', 'expedi*', 'envoi', 'transporteur', 'suivi', 'numero de suivi', 'recu', 'reception',
			'commande', 'commande*', 'point relais', 'facteur', 'la poste', 'chronopost', 'ups', 'dhl', 'fedex'
		]
	},
	{
		id: 'refund-or-return',
		label: { fr: 'Remboursement ou retour', en: 'Refund or return' },
		stage: 'after-sale',
		keywords: [
			'refund*', 'reimburs*', 'money back', 'compensat*', 'return*', 'exchange', 'credit back', 'voucher',
			'claim', 'claims', 'rembours*', 'retour*', 'echange*', 'dedommag*', 'indemni*', 'geste commercial',
			'avoir', 'compensation', 'reclamation*'
		]
	},
	{
		id: 'comfort',
		label: { fr: 'Confort', en: 'Comfort' },
		keywords: [
			'seat', 'seats', 'seating', 'legroom', 'leg room', 'comfort*', 'uncomfortable', 'cramped', 'cold', 'hot',
			'temperature', 'noise', 'noisy', 'loud', 'dirty', 'clean*', 'smell*', 'crowded', 'space', 'room', 'bed',
			'toilet*', 'bathroom', 'lavatory', 'air conditioning', 'ac', 'siege*', 'place', 'confort*', 'inconfortable*',
			'froid', 'chaud', 'bruit*', 'bruyant*', 'sale', 'propre*', 'proprete', 'odeur*', 'bonde*', 'espace',
			'chambre', 'lit', 'climatisation', 'clim'
		]
	},
	{
		id: 'loyalty-programme',
		label: { fr: 'Programme de fidélité', en: 'Loyalty programme' },
		keywords: [
			'loyalty', 'miles', 'mileage', 'points', 'rewards', 'reward', 'status', 'elite', 'gold', 'platinum',
			'silver', 'frequent flyer', 'member', 'membership', 'advantage', 'mileageplus', 'rapid rewards', 'trueblue',
			'fidelite', 'carte de fidelite', 'programme de fidelite', 'membre', 'adherent*', 'avantage*', 'cumul*'
		]
	},
	{
		id: 'availability',
		label: { fr: 'Disponibilité', en: 'Availability' },
		stage: 'pre-sale',
		keywords: [
			'out of stock', 'sold out', 'unavailable', 'not available', 'availability', 'available', 'in stock',
			'back in stock', 'no seats', 'fully booked', 'overbook*', 'oversold', 'waitlist*', 'standby', 'opening hours',
			'closed', 'rupture', 'rupture de stock', 'indisponible*', 'disponib*', 'en stock', 'epuise*', 'complet',
			'ferme', 'fermee', 'horaires', 'surbook*', 'surreserv*'
		]
	},
	{
		id: 'other',
		label: { fr: 'Autre', en: 'Other' },
		keywords: []
	}
];
