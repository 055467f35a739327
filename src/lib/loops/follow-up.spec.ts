import { describe, expect, it } from 'vitest';
import {
	DEFAULT_TEMPLATES,
	MERGE_FIELDS,
	TEMPLATE_KINDS,
	TEMPLATE_LANGUAGES,
	defaultTemplate,
	fieldsOf,
	renderTemplate,
	validateTemplate,
	type MergeValues,
	type MessageTemplate
} from './follow-up';

const NOW = new Date(Date.UTC(2026, 4, 12, 9));

/** Renders for the plain-text channel at NOW. */
const asText = (t: MessageTemplate, values: MergeValues) =>
	renderTemplate(t, values, { channel: 'text', now: NOW });

const template = (body: string, subject = 'About {{touchpoint}}'): MessageTemplate => ({
	kind: 'apology',
	language: 'en',
	subject,
	body
});

describe('validateTemplate', () => {
	it('accepts every default template: both kinds in both languages, known fields only', () => {
		for (const kind of TEMPLATE_KINDS)
			for (const language of TEMPLATE_LANGUAGES) {
				const t = defaultTemplate(kind, language);
				expect(t).toMatchObject({ kind, language });
				expect(validateTemplate(t), `${kind}/${language}`).toEqual([]);
			}
		expect(DEFAULT_TEMPLATES).toHaveLength(4);
		expect(fieldsOf(defaultTemplate('apology', 'fr'))).toContain('gesture');
	});

	it('names unknown and unclosed fields with where they are', () => {
		expect(
			validateTemplate(template('Hi {{customer.nmae}}, see {{ touchpoint }} {{date', 'Hello {{x}}'))
		).toEqual([
			{ part: 'subject', code: 'unknown_field', field: 'x', index: 6 },
			{ part: 'body', code: 'unknown_field', field: 'customer.nmae', index: 3 },
			{ part: 'body', code: 'unclosed_field', index: 43 }
		]);
	});

	it('refuses an empty body, a multi-line or too long subject', () => {
		expect(validateTemplate(template('  \n ', 'a\nb')).map((i) => [i.part, i.code])).toEqual([
			['subject', 'multiline_subject'],
			['body', 'empty']
		]);
		expect(validateTemplate(template('ok', 'x'.repeat(201)))).toEqual([
			{ part: 'subject', code: 'too_long', max: 200 }
		]);
	});
});

describe('renderTemplate', () => {
	it('fills fields, formats dates in the message language, and uses fallbacks', () => {
		const fr = asText(
			{
				...template(
					'Bonjour {{customer.name|Madame, Monsieur}}, le {{item.date}} à {{touchpoint}} ({{date}}).'
				),
				language: 'fr'
			},
			{ 'item.date': new Date(Date.UTC(2026, 4, 3, 12)), touchpoint: 'Gare de Lyon' }
		);
		expect(fr.text).toBe('Bonjour Madame, Monsieur, le 3 mai 2026 à Gare de Lyon (12 mai 2026).');
		expect(fr.subject).toBe('');
		expect(fr.html).toBeNull();
		expect(fr.missing).toEqual([]);
		const en = renderTemplate(
			template('On {{date}}'),
			{},
			{ channel: 'text', now: NOW, timeZone: 'Pacific/Auckland' }
		);
		expect(en.text).toBe('On May 12, 2026');
	});

	it('reports known fields left empty and unknown ones, leaving the unknown as written', () => {
		const r = asText(template('Dear {{customer.name}}, {{gesture}} {{coupon}}'), { 'customer.name': '  ' });
		expect(r.text).toBe('Dear ,  {{coupon}}');
		expect(r.missing).toEqual(['customer.name', 'gesture']);
		expect(r.unknown).toEqual(['coupon']);
	});

	it('never reads a value as template syntax', () => {
		const r = asText(template('Hi {{customer.name}}'), { 'customer.name': '{{workspace.name}}' });
		expect(r.text).toBe('Hi {{workspace.name}}');
		expect(r.unknown).toEqual([]);
	});

	it('escapes values for e-mail: HTML in the body, one line in the subject', () => {
		const r = renderTemplate(
			template(
				'Hello {{customer.name}},\n\nAbout "{{item.excerpt}}":\nsorry.\n\n{{sender.name}}',
				'Sorry, {{customer.name}}'
			),
			{
				'customer.name': 'Eve <script>alert(1)</script>\r\nBcc: all@example.com',
				'item.excerpt': 'Tom & Jerry\'s "train"',
				'sender.name': 'Ana'
			},
			{ channel: 'email', now: NOW }
		);
		expect(r.subject).toBe('Sorry, Eve <script>alert(1)</script> Bcc: all@example.com');
		expect(r.html).toBe(
			[
				'<p>Hello Eve &lt;script&gt;alert(1)&lt;/script&gt;<br>Bcc: all@example.com,</p>',
				'<p>About &quot;Tom &amp; Jerry&#39;s &quot;train&quot;&quot;:<br>sorry.</p>',
				'<p>Ana</p>'
			].join('\n')
		);
		expect(r.text).toContain('Tom & Jerry\'s "train"');
	});

	it('strips control characters and shortens long excerpts', () => {
		const r = asText(template('«{{item.excerpt}}» {{customer.contact}}'), {
			'item.excerpt': 'x'.repeat(300),
			'customer.contact': 'a\u0007b\u001bc'
		});
		expect(r.text).toBe(`«${'x'.repeat(139)}…» abc`);
	});

	it('renders the default apology for a customer in both languages', () => {
		const values = {
			'customer.name': 'Camille',
			touchpoint: 'the departure board',
			gesture: 'a €10 voucher',
			'sender.name': 'Ana',
			'workspace.name': 'Rail Co'
		};
		const en = renderTemplate(defaultTemplate('apology', 'en'), values, { channel: 'email', now: NOW });
		expect(en.subject).toBe('We are sorry about the departure board');
		expect(en.text).toMatch(/^Hello Camille,\n\n/);
		expect(en.text).toContain('offer you a €10 voucher.');
		expect(en.html!.split('\n')).toHaveLength(5);
		expect(en.missing).toEqual([]);
		const fr = asText(defaultTemplate('apology', 'fr'), { gesture: 'un bon de 10 €' });
		expect(fr.text).toMatch(/^Bonjour Madame, Monsieur,\n/);
		expect(fr.text).toContain('avec notre service');
		expect(fr.missing).toEqual(['sender.name', 'workspace.name']);
	});

	it('lists the merge fields a user may insert', () => {
		expect(MERGE_FIELDS).toContain('customer.name');
		expect(MERGE_FIELDS).toContain('touchpoint');
		expect(MERGE_FIELDS).toContain('date');
	});
});
