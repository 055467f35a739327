/**
 * Notifications by e-mail, when an SMTP server is configured (`SMTP_URL`; off by default): each stored
 * notification is also sent to its recipient, in their language (English when unknown), with the link
 * made absolute when the public address is known. Sending happens after the notification is stored and
 * never fails what caused it: errors are logged.
 */
import { createTransport } from 'nodemailer';
import { eq, inArray } from 'drizzle-orm';
import { notificationText } from '../components/comments/notification-text';
import { isLocale, translator, type Locale } from '../i18n';
import { readConfig } from './config';
import type { Db } from './db';
import { user, workspace } from './db/schema';

export interface MailSettings {
	smtpUrl: string;
	from: string;
	/** `https://parcours.example.com`; links stay paths without it. */
	publicUrl?: string;
}

interface Mailer {
	settings: MailSettings;
	transport: ReturnType<typeof createTransport>;
	pending: Set<Promise<void>>;
}

const KEY = Symbol.for('parcours.notification-mail');
type Holder = { [KEY]?: Mailer | null };

function create(settings: MailSettings | null): Mailer | null {
	if (!settings) return null;
	return { settings, transport: createTransport(settings.smtpUrl), pending: new Set() };
}

/** The mailer of this process, from the environment on first use; null when e-mail is off. */
function mailer(): Mailer | null {
	const holder = globalThis as Holder;
	if (holder[KEY] === undefined) {
		const c = readConfig();
		holder[KEY] = create(c.smtpUrl ? { smtpUrl: c.smtpUrl, from: c.smtpFrom, publicUrl: c.publicUrl } : null);
	}
	return holder[KEY];
}

/** Replaces the settings read from the environment (tests, or a process that configures itself); null turns e-mail off. */
export function configureNotificationMail(settings: MailSettings | null): void {
	const holder = globalThis as Holder;
	holder[KEY]?.transport.close();
	holder[KEY] = create(settings);
}

/** Waits for the e-mails under way (tests; a graceful stop). */
export async function notificationMailIdle(): Promise<void> {
	const m = (globalThis as Holder)[KEY];
	while (m?.pending.size) await Promise.all([...m.pending]);
}

export interface MailedNotification {
	workspaceId: string;
	kind: string;
	actorId: string | null;
	data: Record<string, unknown>;
	link: string;
}

/**
 * E-mails `n` to `userIds` when e-mail is on. The recipients are read now (inside the caller's
 * transaction, if any); the messages go out in the background.
 */
export async function mailNotification(db: Db, n: MailedNotification, userIds: string[]): Promise<void> {
	const m = mailer();
	if (!m || !userIds.length) return;
	const ids = n.actorId ? [...userIds, n.actorId] : userIds;
	const [people, [ws]] = await Promise.all([
		db
			.select({ id: user.id, email: user.email, name: user.name, locale: user.locale })
			.from(user)
			.where(inArray(user.id, ids)),
		db.select({ name: workspace.name }).from(workspace).where(eq(workspace.id, n.workspaceId))
	]);
	const actorName = people.find((p) => p.id === n.actorId)?.name ?? null;
	const link = m.settings.publicUrl ? new URL(n.link, m.settings.publicUrl + '/').href : n.link;
	for (const p of people) {
		if (!userIds.includes(p.id)) continue;
		const locale: Locale = isLocale(p.locale) ? p.locale : 'en';
		const message = composeMail({ ...n, actorName, link }, locale, ws?.name ?? '');
		const sending = m.transport
			.sendMail({ from: m.settings.from, to: { name: p.name, address: p.email }, ...message })
			.then(
				() => {},
				(e: unknown) => console.error(`[mail] notification ${n.kind} to ${p.id} not sent:`, e)
			);
		m.pending.add(sending);
		void sending.finally(() => m.pending.delete(sending));
	}
}

const escapeHtml = (s: string) =>
	s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Subject, plain text and a simple HTML body of one notification. */
export function composeMail(
	n: { kind: string; actorName: string | null; data: Record<string, unknown>; link: string },
	locale: Locale,
	workspaceName: string
): { subject: string; text: string; html: string } {
	const t = translator(locale);
	const { title, excerpt } = notificationText(n, t);
	const open = t('myActions.mail.open');
	const footer = t('myActions.mail.footer', { workspace: workspaceName });
	const text = [title, excerpt, `${open}: ${n.link}`, '--', footer].filter(Boolean).join('\n\n');
	const html = [
		`<p><strong>${escapeHtml(title)}</strong></p>`,
		excerpt ? `<blockquote>${escapeHtml(excerpt)}</blockquote>` : '',
		`<p><a href="${escapeHtml(n.link)}">${escapeHtml(open)}</a></p>`,
		`<p style="color:#666;font-size:12px">${escapeHtml(footer)}</p>`
	].join('\n');
	return { subject: `${t('myActions.mail.subjectPrefix')} ${title}`, text, html };
}
