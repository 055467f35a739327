/** UI strings of one feature; the French object must have exactly the English keys. */
export const healthEn = {};

export const healthFr: Record<keyof typeof healthEn, string> = {};
