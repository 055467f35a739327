/** UI strings of one feature; the French object must have exactly the English keys. */
export const templatesEn = {} as const satisfies Record<string, string>;

export const templatesFr: Record<keyof typeof templatesEn, string> = {};
