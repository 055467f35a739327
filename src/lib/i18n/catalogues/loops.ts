/** UI strings of one feature; the French object must have exactly the English keys. */
export const loopsEn = {} as const satisfies Record<string, string>;

export const loopsFr: Record<keyof typeof loopsEn, string> = {};
