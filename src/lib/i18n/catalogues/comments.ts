/** UI strings of one feature; the French object must have exactly the English keys. */
export const commentsEn = {} as const satisfies Record<string, string>;

export const commentsFr: Record<keyof typeof commentsEn, string> = {};
