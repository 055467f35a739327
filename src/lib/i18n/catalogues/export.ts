/** UI strings of one feature; the French object must have exactly the English keys. */
export const mapExportEn = {} as const satisfies Record<string, string>;

export const mapExportFr: Record<keyof typeof mapExportEn, string> = {};
