/**
 * Follow-up messages: templates written in plain text with merge fields (`{{customer.name}}`,
 * `{{touchpoint|our service}}` with a fallback after `|`), checked for unknown fields, and rendered for
 * a channel — plain text (chat, SMS, a phone script) or e-mail (a one-line subject plus text and HTML
 * bodies). Values are inserted once, never re-read as template syntax, and escaped for where they go.
 */

export const MERGE_FIELDS = [
	'customer.name',
	'customer.contact',
	'touchpoint',
	'journey',
	/** The day the message is written. */
	'date',
	/** The day the customer wrote. */
	'item.date',
	/** The start of what the customer wrote. */
	'item.excerpt',
	/** What the brand offers to make amends (an apology's gesture). */
	'gesture',
	'sender.name',
	'workspace.name'
] as const;
export type MergeField = (typeof MERGE_FIELDS)[number];

export const TEMPLATE_LANGUAGES = ['en', 'fr'] as const;
export type TemplateLanguage = (typeof TEMPLATE_LANGUAGES)[number];

export const TEMPLATE_KINDS = ['apology', 'thanks'] as const;
export type TemplateKind = (typeof TEMPLATE_KINDS)[number];

export type MessageChannel = 'text' | 'email';

export interface MessageTemplate {
	kind: TemplateKind;
	language: TemplateLanguage;
	/** One line; used by e-mail only. */
	subject: string;
	body: string;
}

export const TEMPLATE_LIMITS = { subject: 200, body: 5000, excerpt: 140 } as const;

/** A value per field; dates are written in the message's language. */
export type MergeValues = Partial<Record<MergeField, string | Date | null>>;

type Part = { text: string } | { field: string; fallback: string | null; source: string };

export interface TemplateIssue {
	part: 'subject' | 'body';
	code: 'unknown_field' | 'unclosed_field' | 'empty' | 'too_long' | 'multiline_subject';
	/** The field name, for unknown_field. */
	field?: string;
	/** Offset in the part, for field issues. */
	index?: number;
	max?: number;
}

const FIELD = /\{\{\s*([^{}|]*?)\s*(?:\|([^{}]*))?\}\}/g;

function isMergeField(name: string): name is MergeField {
	return (MERGE_FIELDS as readonly string[]).includes(name);
}

function parse(source: string, part: TemplateIssue['part'], issues: TemplateIssue[]): Part[] {
	const parts: Part[] = [];
	const text = (from: number, to: number) => {
		if (to <= from) return;
		const slice = source.slice(from, to);
		const open = slice.indexOf('{{');
		if (open >= 0) issues.push({ part, code: 'unclosed_field', index: from + open });
		parts.push({ text: slice });
	};
	let last = 0;
	for (const m of source.matchAll(FIELD)) {
		text(last, m.index);
		const field = m[1];
		if (!isMergeField(field)) issues.push({ part, code: 'unknown_field', field, index: m.index });
		parts.push({ field, fallback: m[2] === undefined ? null : m[2].trim(), source: m[0] });
		last = m.index + m[0].length;
	}
	text(last, source.length);
	return parts;
}

/** Everything wrong with a template a user wrote; empty when it can be saved. */
export function validateTemplate(template: Pick<MessageTemplate, 'subject' | 'body'>): TemplateIssue[] {
	const issues: TemplateIssue[] = [];
	if (template.subject.length > TEMPLATE_LIMITS.subject)
		issues.push({ part: 'subject', code: 'too_long', max: TEMPLATE_LIMITS.subject });
	if (/[\r\n]/.test(template.subject)) issues.push({ part: 'subject', code: 'multiline_subject' });
	if (template.body.trim() === '') issues.push({ part: 'body', code: 'empty' });
	if (template.body.length > TEMPLATE_LIMITS.body)
		issues.push({ part: 'body', code: 'too_long', max: TEMPLATE_LIMITS.body });
	parse(template.subject, 'subject', issues);
	parse(template.body, 'body', issues);
	return issues;
}

/** The merge fields a template uses, in order of first use. */
export function fieldsOf(template: Pick<MessageTemplate, 'subject' | 'body'>): string[] {
	const issues: TemplateIssue[] = [];
	const names = [...parse(template.subject, 'subject', issues), ...parse(template.body, 'body', issues)]
		.filter((p): p is Extract<Part, { field: string }> => 'field' in p)
		.map((p) => p.field);
	return [...new Set(names)];
}

// Control characters other than tab and newline have no place in a message (and some break terminals).
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/g;

function escapeHtml(text: string): string {
	return text
		.replace(/&/g, '&amp;')
		.replace(/</g, '&lt;')
		.replace(/>/g, '&gt;')
		.replace(/"/g, '&quot;')
		.replace(/'/g, '&#39;');
}

function formatValue(
	field: MergeField,
	value: string | Date,
	language: TemplateLanguage,
	timeZone: string
): string {
	if (value instanceof Date) {
		return Number.isNaN(value.getTime())
			? ''
			: new Intl.DateTimeFormat(language, { dateStyle: 'long', timeZone }).format(value);
	}
	const clean = value.replace(CONTROL, '');
	if (field === 'item.excerpt' && clean.length > TEMPLATE_LIMITS.excerpt) {
		return `${clean.slice(0, TEMPLATE_LIMITS.excerpt - 1).trimEnd()}…`;
	}
	return clean;
}

export interface RenderOptions {
	channel: MessageChannel;
	/** When the message is written; fills `{{date}}` unless given. */
	now: Date;
	/** IANA zone for dates; UTC by default. */
	timeZone?: string;
}

export interface RenderedMessage {
	channel: MessageChannel;
	/** E-mail subject on one line; '' for plain text. */
	subject: string;
	text: string;
	/** E-mail only: the body as HTML paragraphs, every value escaped. */
	html: string | null;
	/** Known fields with no value and no fallback: rendered empty; the UI should ask for them. */
	missing: MergeField[];
	/** Fields the template names but Parcours does not know: left as written. */
	unknown: string[];
}

/** Fills a template for one customer. */
export function renderTemplate(
	template: MessageTemplate,
	values: MergeValues,
	options: RenderOptions
): RenderedMessage {
	const timeZone = options.timeZone ?? 'UTC';
	const all: MergeValues = { date: options.now, ...values };
	const missing = new Set<MergeField>();
	const unknown = new Set<string>();
	const issues: TemplateIssue[] = [];

	const fill = (parts: Part[], escape: (s: string) => string) =>
		parts
			.map((p) => {
				if ('text' in p) return escape(p.text);
				if (!isMergeField(p.field)) {
					unknown.add(p.field);
					return escape(p.source);
				}
				const raw = all[p.field];
				const value =
					raw === null || raw === undefined ? '' : formatValue(p.field, raw, template.language, timeZone);
				if (value.trim() !== '') return escape(value);
				if (p.fallback !== null) return escape(p.fallback);
				missing.add(p.field);
				return '';
			})
			.join('');

	const subjectParts = parse(template.subject, 'subject', issues);
	const bodyParts = parse(template.body, 'body', issues);
	const oneLine = (s: string) => s.replace(/\s*[\r\n]+\s*/g, ' ');
	const text = fill(bodyParts, (s) => s.replace(/\r\n?/g, '\n'));
	const subject = options.channel === 'email' ? oneLine(fill(subjectParts, (s) => s)).trim() : '';
	const html =
		options.channel === 'email'
			? fill(bodyParts, escapeHtml)
					.replace(/\r\n?/g, '\n')
					.split(/\n[^\S\n]*\n/)
					.map((para) => para.trim())
					.filter((para) => para !== '')
					.map((para) => `<p>${para.replace(/\n/g, '<br>')}</p>`)
					.join('\n')
			: null;
	return { channel: options.channel, subject, text, html, missing: [...missing], unknown: [...unknown] };
}

const APOLOGY_EN: MessageTemplate = {
	kind: 'apology',
	language: 'en',
	subject: 'We are sorry about {{touchpoint|your recent experience}}',
	body: `Hello {{customer.name|there}},

You told us about your experience with {{touchpoint|our service}}, and you were right to: it is not the service we want to give you. We are sorry.

We have looked into what happened and changed how we work so that it does not happen again. To make amends, we would like to offer you {{gesture}}.

Thank you for helping us do better.

{{sender.name}}
{{workspace.name}}`
};

const APOLOGY_FR: MessageTemplate = {
	kind: 'apology',
	language: 'fr',
	subject: 'Toutes nos excuses pour {{touchpoint|votre expérience récente}}',
	body: `Bonjour {{customer.name|Madame, Monsieur}},

Vous nous avez fait part de votre expérience avec {{touchpoint|notre service}}, et vous avez eu raison : ce n'est pas le service que nous voulons vous offrir. Nous en sommes désolés.

Nous avons examiné ce qui s'est passé et changé notre façon de faire pour que cela ne se reproduise pas. Pour nous faire pardonner, nous souhaitons vous offrir {{gesture}}.

Merci de nous aider à nous améliorer.

{{sender.name}}
{{workspace.name}}`
};

const THANKS_EN: MessageTemplate = {
	kind: 'thanks',
	language: 'en',
	subject: 'Thank you for your feedback',
	body: `Hello {{customer.name|there}},

Thank you for what you told us about {{touchpoint|our service}}. Your words went to the team in charge, and they helped us decide what to improve.

We hope to see you again soon.

{{sender.name}}
{{workspace.name}}`
};

const THANKS_FR: MessageTemplate = {
	kind: 'thanks',
	language: 'fr',
	subject: 'Merci pour votre retour',
	body: `Bonjour {{customer.name|Madame, Monsieur}},

Merci pour ce que vous nous avez dit de {{touchpoint|notre service}}. Votre message a été transmis à l'équipe concernée et nous a aidés à choisir quoi améliorer.

Au plaisir de vous revoir bientôt.

{{sender.name}}
{{workspace.name}}`
};

/** The templates every workspace starts with, in both languages. */
export const DEFAULT_TEMPLATES: readonly MessageTemplate[] = Object.freeze([
	APOLOGY_EN,
	APOLOGY_FR,
	THANKS_EN,
	THANKS_FR
]);

export function defaultTemplate(kind: TemplateKind, language: TemplateLanguage): MessageTemplate {
	return DEFAULT_TEMPLATES.find((t) => t.kind === kind && t.language === language)!;
}
