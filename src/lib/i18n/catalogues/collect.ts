/** UI strings of one feature; the French object must have exactly the English keys. */
export const collectEn = {} as const;

export const collectFr: Record<keyof typeof collectEn, string> = {};
