/**
 * Every setting Parcours reads from the environment, with its default, in one place.
 * Plain `process.env` (not `$env`) so the production entry in `server/` and SvelteKit share it.
 */
import { availableParallelism } from 'node:os';
import path from 'node:path';

export interface Config {
	port: number;
	host: string;
	dataDir: string;
	databaseUrl: string | undefined;
	redisUrl: string | undefined;
	/** Start of every Redis channel name, so several installations can share one Redis. */
	redisPrefix: string;
	/** Trust X-Forwarded-Proto / X-Forwarded-For from a reverse proxy. */
	trustProxy: boolean;
	signInLimitPerEmail: number;
	signInLimitPerIp: number;
	signInWindowSeconds: number;
	/** Accounts created per IP address per sign-in window. */
	signUpLimitPerIp: number;
	seedDemo: boolean;
	/** Requests per minute per API key (feedback API, inbound e-mail). */
	apiRateLimitPerMin: number;
	/** Public feedback form submissions per IP address per 10 minutes. */
	formLimitPerIp: number;
	/** Whether this instance analyses queued feedback (instances sharing a PostgreSQL queue may not). */
	processFeedback: boolean;
	/** Worker threads analysing feedback; 0 analyses in the main thread. */
	analysisWorkers: number;
	logLevel: 'silent' | 'info';
	/** SMTP server notifications are also e-mailed through (`smtp://user:pass@host:587`); unset: no e-mail. */
	smtpUrl: string | undefined;
	/** The From address of those e-mails. */
	smtpFrom: string;
	/** The app's public address, for links in e-mails (`ORIGIN`, else `PUBLIC_URL`); unset: links stay paths. */
	publicUrl: string | undefined;
	/** How often actions and follow-ups due soon are looked for, in minutes; 0 turns it off. */
	dueSoonEveryMinutes: number;
	/** How often open alerts are evaluated again, so a burst that ended resolves (ms). */
	alertEvaluateMs: number;
	/** Whether webhooks may post to loopback and private addresses (tests, development, closed networks). */
	webhookAllowPrivate: boolean;
	/**
	 * On PostgreSQL, seconds without a heartbeat after which a running CSV import counts as abandoned and
	 * another instance takes it up (a running import writes one with its progress after each stored
	 * chunk, several times a second).
	 */
	importStaleSeconds: number;
	/** Seconds after which feedback claimed by a processor that did not finish is claimed again. */
	feedbackClaimSeconds: number;
	/** Journey editor sockets one user may hold open on one instance (tabs and devices together). */
	collabMaxConnectionsPerUser: number;
}

function int(name: string, fallback: number, env: NodeJS.ProcessEnv): number {
	const raw = env[name];
	if (raw === undefined || raw === '') return fallback;
	const n = Number(raw);
	if (!Number.isInteger(n) || n < 0) {
		throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
	}
	return n;
}

function positive(name: string, fallback: number, env: NodeJS.ProcessEnv): number {
	const n = int(name, fallback, env);
	if (n < 1) throw new Error(`${name} must be at least 1, got "${env[name]}"`);
	return n;
}

const MIN_TAKEOVER_SECONDS = 15;

/**
 * A delay after which another instance takes over work: long enough for a live instance under load to
 * show it is alive (a slow chunk or claim must not be taken from it), at most a day.
 */
function seconds(name: string, fallback: number, env: NodeJS.ProcessEnv): number {
	const n = int(name, fallback, env);
	if (n < MIN_TAKEOVER_SECONDS || n > 86_400) {
		throw new Error(
			`${name} must be between ${MIN_TAKEOVER_SECONDS} and 86400 (seconds), got "${env[name]}"`
		);
	}
	return n;
}

function bool(name: string, fallback: boolean, env: NodeJS.ProcessEnv): boolean {
	const raw = env[name];
	if (raw === undefined || raw === '') return fallback;
	if (['1', 'true', 'yes', 'on'].includes(raw.toLowerCase())) return true;
	if (['0', 'false', 'no', 'off'].includes(raw.toLowerCase())) return false;
	throw new Error(`${name} must be true or false, got "${raw}"`);
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
	return {
		port: int('PORT', 3000, env),
		host: env.HOST || '0.0.0.0',
		dataDir: path.resolve(env.DATA_DIR || './data'),
		databaseUrl: env.DATABASE_URL || undefined,
		redisUrl: env.REDIS_URL || undefined,
		redisPrefix: env.REDIS_PREFIX || 'parcours',
		trustProxy: bool('TRUST_PROXY', false, env),
		signInLimitPerEmail: int('SIGNIN_LIMIT_PER_EMAIL', 10, env),
		signInLimitPerIp: int('SIGNIN_LIMIT_PER_IP', 100, env),
		signInWindowSeconds: int('SIGNIN_WINDOW_SECONDS', 900, env),
		signUpLimitPerIp: int('SIGNUP_LIMIT_PER_IP', 30, env),
		seedDemo: bool('SEED_DEMO', true, env),
		apiRateLimitPerMin: int('API_RATE_LIMIT_PER_MIN', 600, env),
		formLimitPerIp: int('FORM_LIMIT_PER_IP', 10, env),
		processFeedback: bool('PROCESS_FEEDBACK', true, env),
		// One core stays with the main thread, which serves requests and (on PGlite) runs the database.
		analysisWorkers: int('ANALYSIS_WORKERS', Math.max(1, availableParallelism() - 1), env),
		logLevel: env.LOG_LEVEL === 'silent' ? 'silent' : 'info',
		smtpUrl: env.SMTP_URL || undefined,
		smtpFrom: env.SMTP_FROM || 'Parcours <parcours@localhost>',
		publicUrl: (env.ORIGIN || env.PUBLIC_URL || '').replace(/\/+$/, '') || undefined,
		dueSoonEveryMinutes: int('DUE_SOON_EVERY_MINUTES', 15, env),
		alertEvaluateMs: int('ALERT_EVALUATE_MS', 60_000, env),
		// A webhook URL is typed by a workspace owner: by default it must not reach the server's own network.
		webhookAllowPrivate: bool(
			'WEBHOOK_ALLOW_PRIVATE',
			env.NODE_ENV === 'test' || env.NODE_ENV === 'development',
			env
		),
		importStaleSeconds: seconds('IMPORT_STALE_SECONDS', 120, env),
		feedbackClaimSeconds: seconds('FEEDBACK_CLAIM_TIMEOUT_SECONDS', 60, env),
		collabMaxConnectionsPerUser: positive('COLLAB_MAX_CONNECTIONS_PER_USER', 100, env)
	};
}
