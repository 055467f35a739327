/** UI strings of one feature; the French object must have exactly the English keys. */
export const loopsEn = {
	'loops.refusal.forbidden_role': 'This needs the {required} role in the workspace.',
	'loops.refusal.not_action_owner': 'Only the owner of this action or an editor can do this.',
	'loops.refusal.not_follow_up_assignee':
		'Only the person this follow-up is assigned to or an editor can do this.',
	'loops.refusal.not_loop_owner': 'Only the owner of this loop or a workspace owner can do this.',
	'loops.refusal.unknown_action': 'This action no longer exists.',
	'loops.refusal.unknown_follow_up': 'This follow-up no longer exists.',
	'loops.refusal.loop_finished': 'This loop is {stage}: it cannot be changed any more.',
	'loops.refusal.wrong_stage': 'This cannot be done while the loop is in {stage}.',
	'loops.refusal.transition_not_allowed': 'A loop cannot move from {from} to {to}.',
	'loops.refusal.reason_required': 'Give a reason of at least {min} characters.',
	'loops.refusal.effect_improved': 'The measure showed an improvement: the loop cannot go back to Solve.',
	'loops.refusal.missing_touchpoint': 'Choose at least one touchpoint.',
	'loops.refusal.missing_evidence_or_problem': 'Link a feedback item as evidence or describe the problem.',
	'loops.refusal.missing_rational_need': 'Write what answers the customer’s rational need.',
	'loops.refusal.missing_emotional_need': 'Write what answers the customer’s emotional need.',
	'loops.refusal.missing_action': 'Add at least one action.',
	'loops.refusal.missing_baseline': 'The baseline has not been recorded yet.',
	'loops.refusal.actions_pending': '{count} action(s) are not done or cancelled yet.',
	'loops.refusal.no_action_done': 'At least one action must be done.',
	'loops.refusal.after_window_running':
		'The after window is still running (until {until}); wait for it or use “Measure now”.',
	'loops.refusal.follow_ups_pending': '{count} follow-up(s) are still pending: record or waive them first.',

	'loops.requirement.missing_touchpoint': 'At least one touchpoint',
	'loops.requirement.missing_evidence_or_problem': 'Evidence linked or the problem described',
	'loops.requirement.missing_rational_need': 'Rational need answered',
	'loops.requirement.missing_emotional_need': 'Emotional need answered',
	'loops.requirement.missing_action': 'At least one action',
	'loops.requirement.missing_baseline': 'Baseline recorded (done on entering Solve)',
	'loops.requirement.actions_pending': 'Every action done or cancelled ({count} left)',
	'loops.requirement.no_action_done': 'At least one action done',
	'loops.requirement.after_window_running': 'After window elapsed, or measured now',
	'loops.requirement.follow_ups_pending': 'No follow-up pending ({count} left)',

	'loops.field.required': 'Fill in “{field}”.',
	'loops.field.too_long': '“{field}” is too long: at most {limit} characters.',
	'loops.field.too_short': '“{field}” is too short: at least {limit} characters.',
	'loops.field.too_many': 'Too many values for “{field}”: at most {limit}.',
	'loops.field.not_a_string': '“{field}” must be text.',
	'loops.field.invalid_choice': 'Choose one of the proposed values for “{field}”.',
	'loops.field.invalid_day': '“{field}” must be a date (YYYY-MM-DD).',

	'loops.error.notMember': 'Choose a member of this workspace.',
	'loops.error.touchpoint': 'The touchpoint “{id}” is not on this journey’s map.',
	'loops.error.journey': 'Choose a journey of this workspace.',
	'loops.error.item': 'A feedback item to link was not found in this workspace.',
	'loops.error.itemJourney': 'Only feedback items of the loop’s journey can be linked to it.',
	'loops.error.alert': 'The alert was not found in this workspace.',
	'loops.error.stage': 'Choose a stage to move to.',
	'loops.error.notSettled': 'The measure starts once every action is done or cancelled (with one done).',
	'loops.error.followUpSettled': 'This follow-up is already recorded or waived.',
	'loops.error.windowDays': 'A window is a whole number of days from {min} to {max}.',
	'loops.error.customerLine':
		'Line {line}: write a name and an e-mail or phone, separated by a comma (each up to 200 characters).',
	'loops.error.noCustomers': 'Paste at least one customer, one per line.'
} as const satisfies Record<string, string>;

export const loopsFr: Record<keyof typeof loopsEn, string> = {
	'loops.refusal.forbidden_role': 'Il faut le rôle {required} dans l’espace.',
	'loops.refusal.not_action_owner': 'Seul le responsable de cette action ou un éditeur peut le faire.',
	'loops.refusal.not_follow_up_assignee':
		'Seule la personne chargée de ce suivi ou un éditeur peut le faire.',
	'loops.refusal.not_loop_owner':
		'Seul le responsable de cette boucle ou un propriétaire de l’espace peut le faire.',
	'loops.refusal.unknown_action': 'Cette action n’existe plus.',
	'loops.refusal.unknown_follow_up': 'Ce suivi n’existe plus.',
	'loops.refusal.loop_finished': 'Cette boucle est {stage} : elle ne peut plus être modifiée.',
	'loops.refusal.wrong_stage': 'Impossible tant que la boucle est à l’étape {stage}.',
	'loops.refusal.transition_not_allowed': 'Une boucle ne peut pas passer de {from} à {to}.',
	'loops.refusal.reason_required': 'Donnez une raison d’au moins {min} caractères.',
	'loops.refusal.effect_improved':
		'La mesure a montré une amélioration : la boucle ne peut pas revenir à Résoudre.',
	'loops.refusal.missing_touchpoint': 'Choisissez au moins un point de contact.',
	'loops.refusal.missing_evidence_or_problem': 'Liez un retour client comme preuve ou décrivez le problème.',
	'loops.refusal.missing_rational_need': 'Écrivez ce qui répond au besoin rationnel du client.',
	'loops.refusal.missing_emotional_need': 'Écrivez ce qui répond au besoin émotionnel du client.',
	'loops.refusal.missing_action': 'Ajoutez au moins une action.',
	'loops.refusal.missing_baseline': 'La référence n’a pas encore été enregistrée.',
	'loops.refusal.actions_pending': '{count} action(s) ne sont ni terminées ni annulées.',
	'loops.refusal.no_action_done': 'Au moins une action doit être terminée.',
	'loops.refusal.after_window_running':
		'La fenêtre d’après court encore (jusqu’au {until}) : attendez ou utilisez « Mesurer maintenant ».',
	'loops.refusal.follow_ups_pending':
		'{count} suivi(s) restent à faire : enregistrez-les ou dispensez-les d’abord.',

	'loops.requirement.missing_touchpoint': 'Au moins un point de contact',
	'loops.requirement.missing_evidence_or_problem': 'Des preuves liées ou le problème décrit',
	'loops.requirement.missing_rational_need': 'Réponse au besoin rationnel',
	'loops.requirement.missing_emotional_need': 'Réponse au besoin émotionnel',
	'loops.requirement.missing_action': 'Au moins une action',
	'loops.requirement.missing_baseline': 'Référence enregistrée (à l’entrée dans Résoudre)',
	'loops.requirement.actions_pending': 'Toutes les actions terminées ou annulées ({count} restantes)',
	'loops.requirement.no_action_done': 'Au moins une action terminée',
	'loops.requirement.after_window_running': 'Fenêtre d’après écoulée, ou mesure faite',
	'loops.requirement.follow_ups_pending': 'Aucun suivi en attente ({count} restants)',

	'loops.field.required': 'Remplissez « {field} ».',
	'loops.field.too_long': '« {field} » est trop long : {limit} caractères au plus.',
	'loops.field.too_short': '« {field} » est trop court : {limit} caractères au moins.',
	'loops.field.too_many': 'Trop de valeurs pour « {field} » : {limit} au plus.',
	'loops.field.not_a_string': '« {field} » doit être du texte.',
	'loops.field.invalid_choice': 'Choisissez une des valeurs proposées pour « {field} ».',
	'loops.field.invalid_day': '« {field} » doit être une date (AAAA-MM-JJ).',

	'loops.error.notMember': 'Choisissez un membre de cet espace.',
	'loops.error.touchpoint': 'Le point de contact « {id} » n’est pas sur la carte de ce parcours.',
	'loops.error.journey': 'Choisissez un parcours de cet espace.',
	'loops.error.item': 'Un retour à lier est introuvable dans cet espace.',
	'loops.error.itemJourney': 'Seuls les retours du parcours de la boucle peuvent y être liés.',
	'loops.error.alert': 'L’alerte est introuvable dans cet espace.',
	'loops.error.stage': 'Choisissez l’étape où aller.',
	'loops.error.notSettled':
		'La mesure commence quand toutes les actions sont terminées ou annulées (dont une terminée).',
	'loops.error.followUpSettled': 'Ce suivi est déjà enregistré ou dispensé.',
	'loops.error.windowDays': 'Une fenêtre est un nombre entier de jours de {min} à {max}.',
	'loops.error.customerLine':
		'Ligne {line} : écrivez un nom et un e-mail ou un téléphone, séparés par une virgule (200 caractères chacun au plus).',
	'loops.error.noCustomers': 'Collez au moins un client, un par ligne.'
};
