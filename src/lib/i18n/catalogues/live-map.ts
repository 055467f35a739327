/** UI strings of one feature; the French object must have exactly the English keys. */
export const liveMapEn = {} as const;

export const liveMapFr: Record<keyof typeof liveMapEn, string> = {};
