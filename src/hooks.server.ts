import type { Handle, HandleServerError } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { isLocale, negotiateLocale, translate } from '$lib/i18n';
import { SESSION_COOKIE, validateSessionToken } from '$lib/server/auth/session';
import { setSessionCookie, clearSessionCookie } from '$lib/server/auth/cookie';
import { getRuntime } from '$lib/server/runtime';

const runtime: Handle = async ({ event, resolve }) => {
	const rt = await getRuntime();
	event.locals.db = rt.database.db;
	event.locals.config = rt.config;
	return resolve(event);
};

const auth: Handle = async ({ event, resolve }) => {
	const token = event.cookies.get(SESSION_COOKIE);
	event.locals.user = null;
	event.locals.session = null;
	if (token) {
		const result = await validateSessionToken(event.locals.db, token);
		if (result.session) {
			event.locals.user = result.user;
			event.locals.session = result.session;
			if (result.renewed) setSessionCookie(event, token, result.session.expiresAt);
		} else {
			clearSessionCookie(event);
		}
	}
	return resolve(event);
};

const locale: Handle = async ({ event, resolve }) => {
	const chosen = event.cookies.get('locale');
	event.locals.locale = isLocale(chosen)
		? chosen
		: isLocale(event.locals.user?.locale)
			? event.locals.user.locale
			: negotiateLocale(event.request.headers.get('accept-language'));
	return resolve(event, {
		transformPageChunk: ({ html }) => html.replace('%lang%', event.locals.locale)
	});
};

const securityHeaders: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	const h = response.headers;
	h.set('X-Content-Type-Options', 'nosniff');
	h.set('Referrer-Policy', 'strict-origin-when-cross-origin');
	h.set('X-Frame-Options', 'DENY');
	h.set('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), payment=()');
	h.set('Cross-Origin-Opener-Policy', 'same-origin');
	if (!h.has('Content-Security-Policy')) {
		// Pages get SvelteKit's CSP with nonces; anything else (e.g. endpoints) gets the strictest one.
		h.set('Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'");
	}
	if (event.url.pathname.startsWith('/f/')) {
		// Public feedback forms are embedded in other sites (the iframe snippet): any site may frame them.
		// They show no account data and need no cookie, so clickjacking gains nothing there.
		const csp = h.get('Content-Security-Policy') ?? '';
		h.set('Content-Security-Policy', csp.replace(/frame-ancestors [^;]*/, 'frame-ancestors *'));
		h.delete('X-Frame-Options');
	}
	if (event.url.protocol === 'https:') h.set('Strict-Transport-Security', 'max-age=31536000');
	return response;
};

export const handle = sequence(securityHeaders, runtime, auth, locale);

export const handleError: HandleServerError = ({ error, event, status }) => {
	if (status >= 500) console.error(`[${event.request.method} ${event.url.pathname}]`, error);
	const loc = isLocale(event.locals.locale) ? event.locals.locale : 'en';
	const key = status === 404 ? 'error.notFound' : status < 500 ? 'error.badRequest' : 'error.generic';
	return { message: translate(loc, key) };
};
