/** UI strings of one feature; the French object must have exactly the English keys. */
export const liveMapEn = {
	'liveMap.status.connecting': 'Scores: connecting…',
	'liveMap.status.live': 'Live scores',
	'liveMap.status.reconnecting': 'Scores: reconnecting…',
	'liveMap.status.stopped': 'Live scores stopped',
	'liveMap.status.stoppedHint': 'The server ended the live channel: reload the page to see current scores.',
	'liveMap.status.connectingHint': 'Waiting for the live scores of these filters.',
	'liveMap.status.liveHint':
		'Scores from customer feedback, updated as items are analysed. Last update: {at}',
	'liveMap.status.reconnectingHint':
		'The live channel dropped. The figures shown are the last received; it reconnects by itself.',
	'liveMap.summary': '{volume} items',
	'liveMap.summaryUnmatched': '{volume} items · {unmatched} not matched to a touchpoint',

	'liveMap.filters': 'Filter the live scores',
	'liveMap.filter.from': 'From',
	'liveMap.filter.to': 'To',
	'liveMap.filter.channel': 'Channel',
	'liveMap.filter.product': 'Product',
	'liveMap.filter.anyChannel': 'All channels',
	'liveMap.filter.anyProduct': 'All products',
	'liveMap.filter.reset': 'Clear filters',

	'liveMap.channel.email': 'E-mail',
	'liveMap.channel.web_form': 'Web form',
	'liveMap.channel.social': 'Social media',
	'liveMap.channel.survey': 'Survey',
	'liveMap.channel.chat': 'Chat',
	'liveMap.channel.phone': 'Phone',
	'liveMap.channel.store': 'Store',
	'liveMap.channel.review': 'Review',
	'liveMap.channel.other': 'Other',

	'liveMap.band.none': 'no feedback',
	'liveMap.band.very-negative': 'very negative',
	'liveMap.band.negative': 'negative',
	'liveMap.band.neutral': 'neutral',
	'liveMap.band.positive': 'positive',
	'liveMap.band.very-positive': 'very positive',

	'liveMap.evidence.none': 'Assumption',
	'liveMap.evidence.few': 'Few voices',
	'liveMap.evidence.solid': 'Customers said',
	'liveMap.evidence.noneHint': 'No customer feedback here yet: the card rests on what the team assumes.',
	'liveMap.evidence.fewHint': 'Fewer than {solid} feedback items: a hint, not yet a finding.',
	'liveMap.evidence.solidHint': '{solid} feedback items or more: the card rests on what customers said.',

	'liveMap.card.score': 'Live score {score}, {band}, from {count} feedback items',
	'liveMap.card.noScore': 'No live score: no feedback yet',
	'liveMap.card.live': 'live',

	'liveMap.curve.live': 'Live score from feedback (n = items, bars = 95 % interval)',
	'liveMap.curve.point': '{title}: live score {score} from {count} items',
	'liveMap.curve.pointInterval':
		'{title}: live score {score} from {count} items, 95 % interval {low} to {high}',

	'liveMap.panel.title': 'Customer feedback',
	'liveMap.panel.score': 'Live score',
	'liveMap.panel.volume': 'Items',
	'liveMap.panel.evidence': 'Evidence',
	'liveMap.panel.interval': '95 % interval: {low} to {high}',
	'liveMap.panel.shares': '{negative} % negative · {neutral} % neutral · {positive} % positive',
	'liveMap.panel.authored': 'Authored emotion: {score}',
	'liveMap.panel.latest': 'Latest feedback',
	'liveMap.panel.noLatest': 'No feedback on this touchpoint with these filters.',
	'liveMap.panel.motives': 'Top motives',
	'liveMap.panel.noMotives': 'No motive found yet.',
	'liveMap.panel.loading': 'Loading the feedback…',
	'liveMap.panel.error': 'The feedback could not be loaded.',
	'liveMap.panel.retry': 'Try again',
	'liveMap.panel.filtered': 'Filtered like the map.',

	'liveMap.polarity.negative': 'Negative',
	'liveMap.polarity.neutral': 'Neutral',
	'liveMap.polarity.positive': 'Positive',
	'liveMap.polarity.unknown': 'Not analysed yet',

	'liveMap.legend.title': 'Live score',
	'liveMap.legend.evidence': 'Evidence',

	'liveMap.journey.title': 'What customers say',
	'liveMap.journey.mean': 'Live score {score} from {count} items',
	'liveMap.journey.worst': 'Where customers say they suffer',
	'liveMap.journey.none': 'No feedback on this journey yet with these filters.'
} as const;

export const liveMapFr: Record<keyof typeof liveMapEn, string> = {
	'liveMap.status.connecting': 'Scores : connexion…',
	'liveMap.status.live': 'Scores en direct',
	'liveMap.status.reconnecting': 'Scores : reconnexion…',
	'liveMap.status.stopped': 'Scores en direct arrêtés',
	'liveMap.status.stoppedHint':
		'Le serveur a fermé le canal en direct : rechargez la page pour voir les scores actuels.',
	'liveMap.status.connectingHint': 'En attente des scores en direct pour ces filtres.',
	'liveMap.status.liveHint':
		'Scores issus des retours clients, mis à jour à chaque analyse. Dernière mise à jour : {at}',
	'liveMap.status.reconnectingHint':
		'Le canal en direct est coupé. Les chiffres affichés sont les derniers reçus ; il se reconnecte tout seul.',
	'liveMap.summary': '{volume} retours',
	'liveMap.summaryUnmatched': '{volume} retours · {unmatched} non rattachés à un point de contact',

	'liveMap.filters': 'Filtrer les scores en direct',
	'liveMap.filter.from': 'Du',
	'liveMap.filter.to': 'Au',
	'liveMap.filter.channel': 'Canal',
	'liveMap.filter.product': 'Produit',
	'liveMap.filter.anyChannel': 'Tous les canaux',
	'liveMap.filter.anyProduct': 'Tous les produits',
	'liveMap.filter.reset': 'Effacer les filtres',

	'liveMap.channel.email': 'E-mail',
	'liveMap.channel.web_form': 'Formulaire web',
	'liveMap.channel.social': 'Réseaux sociaux',
	'liveMap.channel.survey': 'Enquête',
	'liveMap.channel.chat': 'Chat',
	'liveMap.channel.phone': 'Téléphone',
	'liveMap.channel.store': 'Magasin',
	'liveMap.channel.review': 'Avis',
	'liveMap.channel.other': 'Autre',

	'liveMap.band.none': 'aucun retour',
	'liveMap.band.very-negative': 'très négatif',
	'liveMap.band.negative': 'négatif',
	'liveMap.band.neutral': 'neutre',
	'liveMap.band.positive': 'positif',
	'liveMap.band.very-positive': 'très positif',

	'liveMap.evidence.none': 'Hypothèse',
	'liveMap.evidence.few': 'Peu de voix',
	'liveMap.evidence.solid': 'Les clients l’ont dit',
	'liveMap.evidence.noneHint':
		'Aucun retour client ici pour l’instant : la carte repose sur ce que l’équipe suppose.',
	'liveMap.evidence.fewHint': 'Moins de {solid} retours : une tendance, pas encore un constat.',
	'liveMap.evidence.solidHint': '{solid} retours ou plus : la carte repose sur ce que les clients ont dit.',

	'liveMap.card.score': 'Score en direct {score}, {band}, sur {count} retours',
	'liveMap.card.noScore': 'Pas de score en direct : aucun retour pour l’instant',
	'liveMap.card.live': 'direct',

	'liveMap.curve.live': 'Score en direct des retours (n = retours, barres = intervalle à 95 %)',
	'liveMap.curve.point': '{title} : score en direct {score} sur {count} retours',
	'liveMap.curve.pointInterval':
		'{title} : score en direct {score} sur {count} retours, intervalle à 95 % de {low} à {high}',

	'liveMap.panel.title': 'Retours clients',
	'liveMap.panel.score': 'Score en direct',
	'liveMap.panel.volume': 'Retours',
	'liveMap.panel.evidence': 'Fiabilité',
	'liveMap.panel.interval': 'Intervalle à 95 % : de {low} à {high}',
	'liveMap.panel.shares': '{negative} % négatifs · {neutral} % neutres · {positive} % positifs',
	'liveMap.panel.authored': 'Émotion saisie : {score}',
	'liveMap.panel.latest': 'Derniers retours',
	'liveMap.panel.noLatest': 'Aucun retour sur ce point de contact avec ces filtres.',
	'liveMap.panel.motives': 'Motifs principaux',
	'liveMap.panel.noMotives': 'Aucun motif trouvé pour l’instant.',
	'liveMap.panel.loading': 'Chargement des retours…',
	'liveMap.panel.error': 'Les retours n’ont pas pu être chargés.',
	'liveMap.panel.retry': 'Réessayer',
	'liveMap.panel.filtered': 'Filtrés comme la carte.',

	'liveMap.polarity.negative': 'Négatif',
	'liveMap.polarity.neutral': 'Neutre',
	'liveMap.polarity.positive': 'Positif',
	'liveMap.polarity.unknown': 'Pas encore analysé',

	'liveMap.legend.title': 'Score en direct',
	'liveMap.legend.evidence': 'Fiabilité',

	'liveMap.journey.title': 'Ce que disent les clients',
	'liveMap.journey.mean': 'Score en direct {score} sur {count} retours',
	'liveMap.journey.worst': 'Là où les clients disent souffrir',
	'liveMap.journey.none': 'Aucun retour sur ce parcours pour l’instant avec ces filtres.'
};
