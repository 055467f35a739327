/** UI strings of one feature; the French object must have exactly the English keys. */
export const csvImportEn = {} as const;

export const csvImportFr: Record<keyof typeof csvImportEn, string> = {};
