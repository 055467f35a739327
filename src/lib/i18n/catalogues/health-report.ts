/** UI strings of one feature; the French object must have exactly the English keys. */
export const healthReportEn = {};

export const healthReportFr: Record<keyof typeof healthReportEn, string> = {};
