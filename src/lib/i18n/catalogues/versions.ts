/** UI strings of one feature; the French object must have exactly the English keys. */
export const versionsEn = {} as const satisfies Record<string, string>;

export const versionsFr: Record<keyof typeof versionsEn, string> = {};
