/** UI strings of one feature; the French object must have exactly the English keys. */
export const alertsEn = {
	'nav.alerts': 'Alerts'
} as const satisfies Record<string, string>;

export const alertsFr: Record<keyof typeof alertsEn, string> = {
	'nav.alerts': 'Alertes'
};
