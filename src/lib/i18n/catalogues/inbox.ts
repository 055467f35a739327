/** UI strings of one feature; the French object must have exactly the English keys. */
export const inboxEn = {} as const;

export const inboxFr: Record<keyof typeof inboxEn, string> = {};
