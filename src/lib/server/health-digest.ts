/**
 * The weekly health digest (issue 8): when an SMTP server is configured, every member of each workspace
 * receives once a week (from Monday 07:00 UTC) an e-mail in their language with the worst journeys, their
 * health and delta over the last 7 days against the 7 before, open alerts, loops closed, what changed and
 * a link to the portfolio. `HEALTH_DIGEST=off` turns it off.
 *
 * Once per workspace and week even with several instances: each claims the week in `app_meta` before
 * sending, and only the instance whose update went through sends. A crash between the claim and the
 * sending loses that week's digest for the workspace; a digest is a summary, not a notification anyone
 * waits for, so that is preferred to sending it twice.
 */
import { and, asc, eq, gte, lt, sql } from 'drizzle-orm';
import { createTransport } from 'nodemailer';
import { digestMail, type DigestInput, type DigestMail } from '../health/report/digest';
import { addDays, compareRange, healthQueryString, weekOf } from '../health/query';
import type { HealthQuery } from '../health/types';
import { isLocale, translator, type Locale } from '../i18n';
import type { Db } from './db';
import { startPeriodic, stopPeriodic } from './periodic';
import { appMeta, loop, membership, user, workspace } from './db/schema';
import { journeyHealth, portfolio } from './health';
import type { MailSettings } from './notification-mail';

export const DIGEST_MODES = ['weekly', 'off'] as const;
export type DigestMode = (typeof DIGEST_MODES)[number];

/** `HEALTH_DIGEST`: 'weekly' (default) or 'off'. Anything else stops the start with a clear message. */
export function digestMode(env: NodeJS.ProcessEnv = process.env): DigestMode {
	const raw = env.HEALTH_DIGEST?.trim().toLowerCase() || 'weekly';
	if (!(DIGEST_MODES as readonly string[]).includes(raw)) {
		throw new Error(`HEALTH_DIGEST must be weekly or off, got "${env.HEALTH_DIGEST}"`);
	}
	return raw as DigestMode;
}

/** Hour (UTC) of the Monday from which a week's digest goes out. */
export const DIGEST_HOUR = 7;
/** Journeys whose changes since last week are read for the digest (each is a journey health query). */
const CHANGED_JOURNEYS = 3;

/** The week a digest sent at `now` is for (its Monday), or null before Monday 07:00 UTC of it. */
export function digestWeek(now: Date): string | null {
	const today = now.toISOString().slice(0, 10);
	const monday = weekOf(today);
	const due = Date.parse(`${monday}T${String(DIGEST_HOUR).padStart(2, '0')}:00:00Z`);
	return now.getTime() >= due ? monday : null;
}

/** The 7 days before the digest's Monday, compared with the 7 before them, without filters. */
export function digestQuery(week: string): HealthQuery {
	const range = { from: addDays(week, -7), to: addDays(week, -1) };
	return {
		preset: 'custom',
		range,
		compareMode: 'previous',
		compare: compareRange(range, 'previous'),
		filters: { persona: null, channel: null, product: null, place: null }
	};
}

/**
 * Takes the week for a workspace: true for the one caller that moved its key to `week`. Weeks are
 * `YYYY-MM-DD`, so comparing them as text orders them.
 */
async function claimWeek(db: Db, workspaceId: string, week: string): Promise<boolean> {
	const rows = await db
		.insert(appMeta)
		.values({ key: `health-digest:${workspaceId}`, value: week })
		.onConflictDoUpdate({
			target: appMeta.key,
			set: { value: week },
			where: sql`${appMeta.value} < ${week}`
		})
		.returning({ key: appMeta.key });
	return rows.length > 0;
}

export interface DigestResult {
	/** Workspaces whose digest this call sent. */
	workspaces: number;
	/** E-mails sent. */
	mails: number;
}

interface Member {
	id: string;
	email: string;
	name: string;
	locale: Locale;
}

async function members(db: Db, workspaceId: string): Promise<Member[]> {
	const rows = await db
		.select({ id: user.id, email: user.email, name: user.name, locale: user.locale })
		.from(membership)
		.innerJoin(user, eq(user.id, membership.userId))
		.where(eq(membership.workspaceId, workspaceId))
		.orderBy(asc(membership.createdAt));
	return rows.map((r) => ({ ...r, locale: isLocale(r.locale) ? r.locale : 'en' }));
}

/** What one workspace's digest says in `locale` (motive labels and changes are read in it). */
async function digestInput(
	db: Db,
	reader: { id: string },
	ws: { id: string; name: string },
	query: HealthQuery,
	locale: Locale,
	settings: MailSettings
): Promise<DigestInput> {
	const view = await portfolio(db, reader, ws.id, query, locale);
	const journeys = view.journeys;
	const changes: DigestInput['changes'] = [];
	for (const row of journeys.filter((j) => j.health.score !== null).slice(0, CHANGED_JOURNEYS)) {
		// "What changed" is read for the digest's week (its last 7 days against the 7 before), not the clock's.
		const health = await journeyHealth(db, reader, ws.id, row.journeyId, query, locale, {
			now: new Date(`${query.range.to}T12:00:00Z`)
		});
		for (const change of health.changes) changes.push({ journey: row.title, change });
	}
	const end = new Date(`${addDays(query.range.to, 1)}T00:00:00Z`);
	const start = new Date(`${query.range.from}T00:00:00Z`);
	const loopsClosed = await db.$count(
		loop,
		and(
			eq(loop.workspaceId, ws.id),
			eq(loop.stage, 'closed'),
			gte(loop.closedAt, start),
			lt(loop.closedAt, end)
		)
	);
	const path = `/w/${ws.id}/health?${healthQueryString(query)}`;
	return {
		workspaceName: ws.name,
		range: query.range,
		journeys,
		openAlerts: journeys.reduce((sum, j) => sum + j.openAlerts, 0),
		loopsClosed,
		changes,
		link: settings.publicUrl ? new URL(path, settings.publicUrl + '/').href : path
	};
}

/**
 * Sends this week's digest of every workspace not yet sent this week, when `mail` is set and the week's
 * sending time has come. A workspace whose digest fails is logged and skipped (its week stays claimed).
 */
export async function sendHealthDigests(
	db: Db,
	mail: MailSettings | null,
	now: Date = new Date()
): Promise<DigestResult> {
	const result: DigestResult = { workspaces: 0, mails: 0 };
	const week = digestWeek(now);
	if (!mail || !week) return result;
	const query = digestQuery(week);
	const transport = createTransport(mail.smtpUrl);
	try {
		const spaces = await db.select({ id: workspace.id, name: workspace.name }).from(workspace);
		for (const ws of spaces) {
			const people = await members(db, ws.id);
			if (!people.length || !(await claimWeek(db, ws.id, week))) continue;
			try {
				const byLocale = new Map<Locale, DigestMail>();
				let journeys = 0;
				for (const locale of new Set(people.map((p) => p.locale))) {
					const input = await digestInput(db, people[0], ws, query, locale, mail);
					journeys = input.journeys.length;
					byLocale.set(locale, digestMail(input, locale, translator(locale)));
				}
				// A workspace without journeys has nothing to sum up (its week stays claimed all the same).
				if (!journeys) continue;
				for (const p of people) {
					const message = byLocale.get(p.locale)!;
					await transport
						.sendMail({ from: mail.from, to: { name: p.name, address: p.email }, ...message })
						.then(
							() => result.mails++,
							(e: unknown) => console.error(`[health-digest] to ${p.id} not sent:`, e)
						);
				}
				result.workspaces++;
			} catch (e) {
				console.error(`[health-digest] workspace ${ws.id} failed:`, e);
			}
		}
	} finally {
		transport.close();
	}
	return result;
}

const HOUR_MS = 3_600_000;

/**
 * Looks every hour from this process whether a week's digests are due (the first time a minute after
 * the start), when e-mail is configured and the digest is not off. One per process, on `globalThis`.
 */
export function startHealthDigest(db: Db, mail: MailSettings | null, mode: DigestMode): void {
	if (!mail || mode === 'off') return;
	startPeriodic('health-digest', 60_000, HOUR_MS, () => sendHealthDigests(db, mail));
}

/** Stops the hourly look and waits for a round under way. */
export function stopHealthDigest(): Promise<void> {
	return stopPeriodic('health-digest');
}
