/**
 * Helpers for raw SQL on both drivers. PostgreSQL array literals let a whole batch travel as one parameter
 * per column (`unnest($1::text[], …)`): one statement per batch keeps bulk writes cheap.
 */

function element(v: string | number | boolean | null | undefined): string {
	if (v === null || v === undefined) return 'NULL';
	if (typeof v === 'number' || typeof v === 'boolean') return String(v);
	return `"${v.replace(/[\\"]/g, '\\$&')}"`;
}

/** `['a', null, 'b"c']` → `{"a",NULL,"b\"c"}`; cast it in SQL (`::text[]`, `::uuid[]`, `::jsonb[]`…). */
export function pgArray(values: ReadonlyArray<string | number | boolean | null | undefined>): string {
	return `{${values.map(element).join(',')}}`;
}

/**
 * JSON texts joined into one JSON array, without escaping them again as array-literal elements would be
 * (`{"{\"a\":…}"}`): for batches of large JSON values, read element k in SQL with `-> k`.
 */
export function jsonArray(jsons: ReadonlyArray<string>): string {
	return `[${jsons.join(',')}]`;
}

/** Rows of `db.execute` on either driver (postgres-js returns an array, PGlite `{ rows }`). */
export function rowsOf<T>(result: unknown): T[] {
	if (Array.isArray(result)) return result as T[];
	return ((result as { rows?: T[] }).rows ?? []) as T[];
}
