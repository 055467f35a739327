/** UI strings of one feature; the French object must have exactly the English keys. */
export const taxonomyEn = {} as const;

export const taxonomyFr: Record<keyof typeof taxonomyEn, string> = {};
