/**
 * Inbound e-mail: a raw RFC 822 message, as mail relays forward it, turned into one feedback item.
 * Server-only because mailparser is a Node library; the rest is plain mapping.
 *
 * - Body: the text part, else the HTML part converted to text; quoted replies ("Le … a écrit :",
 *   "On … wrote:", "> …", forwarded headers) and signatures are dropped with the analysis module's
 *   `cleanText`, after an e-mail-only pass for what only e-mails carry (Outlook's underscore rule and
 *   "-----Original Message-----" variants, mobile footers).
 * - Subject: kept as the first line of the text (without "Re:", "Fwd:", "TR:"…), because customers
 *   often say the most in it ("Colis jamais reçu"); left out when the body already starts with it.
 * - From → customer name and contact; Message-ID → external id (so a relay retrying is idempotent);
 *   Date → received_at (now when missing, unreadable or in the future).
 */
import { createHash } from 'node:crypto';
import { simpleParser, type AddressObject } from 'mailparser';
import { cleanText } from '../../analysis/text';
import { FEEDBACK_LIMITS } from '../../feedback/types';
import { AppError } from '../errors';

export interface ParsedEmail {
	/** The API shape `validateFeedbackInput` reads. */
	raw: {
		text: string;
		channel: 'email';
		received_at: string;
		customer: { name?: string; contact?: string } | null;
		external_id: string | null;
		journey_id?: string;
	};
	subject: string;
}

const SUBJECT_PREFIX = /^\s*((re|fwd?|tr|aw|wg|réf|ref|rép|rep)\s*(\[\d+\])?\s*:\s*)+/i;

/** Lines e-mail clients add that `cleanText` does not know, cut before it runs. */
const EMAIL_CUTS = [
	/^\s*-{3,}\s*(original message|message d'origine|mensaje original|urspr[üu]ngliche nachricht)\s*-{3,}\s*$/i,
	/^\s*_{10,}\s*$/,
	/^\s*(envoy[ée] (de|depuis) (mon|l'application|outlook)|sent from (my|outlook|mail for)|get outlook for|t[ée]l[ée]charger outlook)\b/i
];

// An attribution line that clients wrap over two or three lines ("Le lun. 3 nov. 2025 à 09:00, Service
// client <" + "sc@example.fr> a écrit :"): `cleanText` only knows it on one line or with the verb alone.
const WRAPPED_ATTRIBUTION = /^\s*(le|on)\s.{3,300}\s(a\s+)?([ée]crit|wrote)\s*:\s*$/i;
// A bare closing line ("Thanks," "Merci !") followed only by a name or two: the signature starts there.
const CLOSING =
	/^\s*(thanks|thank you|many thanks|thx|merci|merci beaucoup|merci d'avance|cdlt|bàv)\s*[,.!]*\s*$/i;

function cutEmailNoise(text: string): string {
	const lines = text.replace(/\r\n?/g, '\n').split('\n');
	let end = lines.length;
	for (let i = 0; i < lines.length; i++) {
		if (EMAIL_CUTS.some((r) => r.test(lines[i]))) {
			end = i;
			break;
		}
		if (/^\s*(le|on)\s/i.test(lines[i])) {
			const joined2 = `${lines[i]} ${lines[i + 1] ?? ''}`;
			const joined3 = `${joined2} ${lines[i + 2] ?? ''}`;
			if (WRAPPED_ATTRIBUTION.test(joined2) || WRAPPED_ATTRIBUTION.test(joined3)) {
				end = i;
				break;
			}
		}
	}
	return lines.slice(0, end).join('\n');
}

/** Cuts a bare closing line near the end ("Thanks,", then a name), once quotes and signatures are gone. */
function dropClosing(text: string): string {
	const kept = text.split('\n');
	const filled = kept.map((l, i) => ({ l, i })).filter(({ l }) => l.trim() !== '');
	// Only near the end, only with text before it, and only when what follows looks like a name.
	for (let k = Math.max(1, filled.length - 3); k < filled.length; k++) {
		const after = filled.slice(k + 1);
		if (CLOSING.test(filled[k].l) && after.every(({ l }) => l.trim().length <= 40)) {
			kept.length = filled[k].i;
			break;
		}
	}
	return kept.join('\n');
}

function firstAddress(from: AddressObject | AddressObject[] | undefined) {
	const list = Array.isArray(from) ? from.flatMap((f) => f.value) : (from?.value ?? []);
	return list.find((a) => a.address || a.name) ?? null;
}

/** Message-IDs are usually short; a longer one is hashed so it still identifies the message. */
function externalId(messageId: string | undefined): string | null {
	const id = messageId?.trim().replace(/^<|>$/g, '');
	if (!id) return null;
	if (id.length <= FEEDBACK_LIMITS.externalId - 6) return `email:${id}`;
	return `email:sha256:${createHash('sha256').update(id).digest('hex')}`;
}

/**
 * Parses a raw message. Throws a 400 AppError with a message naming the problem when the input is not
 * an e-mail (no headers) or leaves no text once quotes and signatures are removed.
 */
export async function parseInboundEmail(raw: Uint8Array | string, now = new Date()): Promise<ParsedEmail> {
	const buffer = typeof raw === 'string' ? Buffer.from(raw, 'utf8') : Buffer.from(raw);
	if (buffer.length === 0) throw new AppError(400, 'collect.email.empty', {}, 'body');
	let mail;
	try {
		mail = await simpleParser(buffer, { skipImageLinks: true, skipTextToHtml: true });
	} catch {
		throw new AppError(400, 'collect.email.unreadable', {}, 'body');
	}
	const from = firstAddress(mail.from);
	if (!from || mail.headers.size === 0) throw new AppError(400, 'collect.email.noHeaders', {}, 'body');

	const body = mail.text && mail.text.trim() ? mail.text : typeof mail.html === 'string' ? mail.html : '';
	const text = dropClosing(cleanText(cutEmailNoise(body)))
		.trim()
		.replaceAll('\u0000', '');
	const subject = (mail.subject ?? '').replace(SUBJECT_PREFIX, '').replace(/\s+/g, ' ').trim();
	const withSubject =
		subject && !text.toLowerCase().startsWith(subject.toLowerCase()) ? `${subject}\n\n${text}`.trim() : text;
	if (!text && !subject) throw new AppError(400, 'collect.email.noText', {}, 'body');

	const date = mail.date && !Number.isNaN(mail.date.getTime()) ? mail.date : null;
	const receivedAt =
		date && date.getTime() <= now.getTime() + 60_000 && date.getUTCFullYear() >= 1990 ? date : now;
	const name = from.name?.trim().slice(0, FEEDBACK_LIMITS.customerField) || undefined;
	const contact = from.address?.trim().toLowerCase().slice(0, FEEDBACK_LIMITS.customerField) || undefined;
	return {
		raw: {
			text: withSubject.slice(0, FEEDBACK_LIMITS.text),
			channel: 'email',
			received_at: receivedAt.toISOString(),
			customer: name || contact ? { ...(name && { name }), ...(contact && { contact }) } : null,
			external_id: externalId(mail.messageId)
		},
		subject
	};
}
