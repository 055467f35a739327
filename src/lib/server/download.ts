/** How a download names itself: one Content-Disposition for every file Parcours hands out. */

/**
 * A Content-Disposition for `fileName`: an ASCII fallback (accents dropped, anything else "_") for old
 * clients, and the exact name in `filename*` (RFC 6266).
 */
export function attachment(fileName: string): string {
	const ascii = fileName
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.replace(/[–—]/g, '-')
		.replace(/[^\x20-\x7e]|["\\]/g, '_');
	const encoded = encodeURIComponent(fileName).replace(
		/['()*!]/g,
		(c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`
	);
	return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
