/** The browser's calls to the version endpoints; a refusal becomes an Error with the server's message. */

export interface VersionItem {
	id: string;
	kind: 'auto' | 'named' | 'before-restore';
	name: string | null;
	stageCount: number;
	touchpointCount: number;
	createdAt: string;
	createdBy: { id: string; name: string } | null;
}

export function versionsUrl(workspaceId: string, journeyId: string): string {
	return `/w/${workspaceId}/journeys/${journeyId}/versions`;
}

async function call<T>(url: string, init?: RequestInit): Promise<T> {
	const res = await fetch(url, {
		...init,
		headers: { accept: 'application/json', ...(init?.body ? { 'content-type': 'application/json' } : {}) }
	});
	if (res.status === 204) return undefined as T;
	const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
	if (!res.ok) throw new Error(body?.error?.message ?? `${res.status} ${res.statusText}`);
	return body as T;
}

export async function fetchVersions(base: string): Promise<VersionItem[]> {
	return (await call<{ versions: VersionItem[] }>(base)).versions;
}

export async function nameVersion(base: string, name: string): Promise<VersionItem> {
	return (await call<{ version: VersionItem }>(base, { method: 'POST', body: JSON.stringify({ name }) }))
		.version;
}

export async function removeVersion(base: string, id: string): Promise<void> {
	await call<void>(`${base}/${id}`, { method: 'DELETE' });
}

/** Returns the id of the version keeping the map as it was, or null when nothing changed. */
export async function restore(base: string, id: string): Promise<string | null> {
	return (await call<{ kept: string | null }>(`${base}/${id}/restore`, { method: 'POST' })).kept;
}

export function formatWhen(iso: string | Date, locale: string): string {
	return new Intl.DateTimeFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', {
		dateStyle: 'medium',
		timeStyle: 'short'
	}).format(new Date(iso));
}
