/** UI strings of one feature; the French object must have exactly the English keys. */
export const myActionsEn = {} as const satisfies Record<string, string>;

export const myActionsFr: Record<keyof typeof myActionsEn, string> = {};
