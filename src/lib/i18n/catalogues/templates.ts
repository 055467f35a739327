/** UI strings of one feature; the French object must have exactly the English keys. */
export const templatesEn = {
	'templates.title': 'Workspace templates',
	'templates.intro':
		'Journeys saved as starting points for this workspace. Choose one under “Start from” when you create a journey.',
	'templates.empty':
		'No workspace template yet. Save a journey as a template from its card on the Journeys page.',
	'templates.manage': 'Workspace templates ({count})',
	'templates.back': 'Back to journeys',
	'templates.builtIn': 'Built-in',
	'templates.workspace': 'This workspace',
	'templates.save': 'Save as template',
	'templates.nameField': 'Template name',
	'templates.rename': 'Rename',
	'templates.delete': 'Delete',
	'templates.deleteConfirm': 'Delete the template “{name}”? Journeys started from it stay as they are.',
	'templates.summary': '{stages} stages · {touchpoints} touchpoints · saved {date}',
	'templates.actions': 'Actions for the template {name}',
	'templates.toast.saved': 'Saved as a workspace template.',
	'templates.toast.renamed': 'Template renamed.',
	'templates.toast.deleted': 'Template deleted.',
	'templates.error.limit': 'This workspace already has {max} templates. Delete one to save another.',
	'templates.duplicate.withFeedback': 'Copy feedback scores',
	'templates.duplicate.withFeedbackHint':
		'The copy starts with the live scores of the feedback received so far. The items stay with the original: the inbox counts each once.'
} as const satisfies Record<string, string>;

export const templatesFr: Record<keyof typeof templatesEn, string> = {
	'templates.title': 'Modèles de l’espace',
	'templates.intro':
		'Des parcours enregistrés comme points de départ pour cet espace. Choisissez-en un sous « Partir de » en créant un parcours.',
	'templates.empty':
		'Aucun modèle pour l’instant. Enregistrez un parcours comme modèle depuis sa carte, sur la page Parcours.',
	'templates.manage': 'Modèles de l’espace ({count})',
	'templates.back': 'Retour aux parcours',
	'templates.builtIn': 'Modèles fournis',
	'templates.workspace': 'Cet espace',
	'templates.save': 'Enregistrer comme modèle',
	'templates.nameField': 'Nom du modèle',
	'templates.rename': 'Renommer',
	'templates.delete': 'Supprimer',
	'templates.deleteConfirm':
		'Supprimer le modèle « {name} » ? Les parcours créés à partir de lui restent tels quels.',
	'templates.summary': '{stages} étapes · {touchpoints} points de contact · enregistré le {date}',
	'templates.actions': 'Actions sur le modèle {name}',
	'templates.toast.saved': 'Enregistré comme modèle de l’espace.',
	'templates.toast.renamed': 'Modèle renommé.',
	'templates.toast.deleted': 'Modèle supprimé.',
	'templates.error.limit': 'Cet espace a déjà {max} modèles. Supprimez-en un pour en enregistrer un autre.',
	'templates.duplicate.withFeedback': 'Copier les scores des retours',
	'templates.duplicate.withFeedbackHint':
		'La copie part des scores en direct des retours reçus jusqu’ici. Les retours restent liés à l’original : la boîte de réception compte chacun une fois.'
};
