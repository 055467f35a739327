import { describe, expect, it } from 'vitest';
import {
	csvCell,
	csvRowToInput,
	decodeCsv,
	detectDelimiter,
	guessMapping,
	guessRatingKind,
	parseCsv,
	parseRatingValue,
	previewCsv,
	rowFingerprint,
	sha256Hex,
	sniffNotText,
	writeRejectReport,
	type CsvDelimiter,
	type CsvRowSettings
} from './csv';

const utf8 = (s: string) => new TextEncoder().encode(s);
const latin1 = (s: string) => Uint8Array.from([...s].map((c) => c.charCodeAt(0)));
function utf16(s: string, le: boolean, bom = true) {
	const out: number[] = bom ? (le ? [0xff, 0xfe] : [0xfe, 0xff]) : [];
	for (let i = 0; i < s.length; i++) {
		const c = s.charCodeAt(i);
		if (le) out.push(c & 0xff, c >> 8);
		else out.push(c >> 8, c & 0xff);
	}
	return Uint8Array.from(out);
}
const records = (text: string, d: CsvDelimiter = ',') => [...parseCsv(text, d)];

describe('decodeCsv', () => {
	it('reads UTF-8 with and without a BOM', () => {
		expect(decodeCsv(utf8('\uFEFFcafé;été'))).toEqual({ text: 'café;été', encoding: 'utf-8' });
		expect(decodeCsv(utf8('café;été'))).toEqual({ text: 'café;été', encoding: 'utf-8' });
	});
	it('falls back to Windows-1252 when the bytes are not UTF-8', () => {
		// "Très déçu – 50 €" as French Excel writes it (en dash and euro are Windows-1252 only)
		const bytes = Uint8Array.from([
			...latin1('Tr\u00e8s d\u00e9\u00e7u '),
			0x96,
			0x20,
			0x35,
			0x30,
			0x20,
			0x80
		]);
		expect(decodeCsv(bytes)).toEqual({ text: 'Très déçu – 50 €', encoding: 'windows-1252' });
	});
	it('reads UTF-16 LE and BE with a BOM, and LE without one', () => {
		expect(decodeCsv(utf16('texte\tnote\r\nçà\t5', true))).toEqual({
			text: 'texte\tnote\r\nçà\t5',
			encoding: 'utf-16le'
		});
		expect(decodeCsv(utf16('a;b\nc;d', false)).text).toBe('a;b\nc;d');
		expect(decodeCsv(utf16('text,date\nhello,2025-01-01', true, false)).encoding).toBe('utf-16le');
	});
	it('does not take a character cut at the end of a preview slice as a sign of Latin-1', () => {
		const bytes = utf8('a;é');
		expect(decodeCsv(bytes.subarray(0, bytes.length - 1), { partial: true })).toEqual({
			text: 'a;',
			encoding: 'utf-8'
		});
	});
	it('recognises spreadsheets and binary files', () => {
		expect(sniffNotText(Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 1, 2]))).toBe('xlsx');
		expect(sniffNotText(utf8('%PDF-1.4\u0000\u0001\u0002\u0003'))).toBe('binary');
		expect(sniffNotText(utf16('a,b', true))).toBeNull();
		expect(sniffNotText(latin1('caf\u00e9;ok'))).toBeNull();
	});
});

describe('detectDelimiter', () => {
	it('counts candidates in the header line outside quotes', () => {
		expect(detectDelimiter('texte;date;"a,b,c"\n1,2,3,4,5')).toBe(';');
		expect(detectDelimiter('text,date\r\nx;y;z;w')).toBe(',');
		expect(detectDelimiter('text\tdate\tnote\n')).toBe('\t');
		expect(detectDelimiter('\n\ntext|date')).toBe('|');
	});
	it('gives a single-column file a delimiter its text does not contain', () => {
		expect(detectDelimiter('commentaire\nbien, merci; vraiment')).toBe('\t');
	});
});

describe('parseCsv', () => {
	it('reads quoted fields with delimiters, doubled quotes and line breaks, CRLF or LF', () => {
		const out = records('a,b\r\n"x, ""y""","line 1\nline 2"\r\nlast,one');
		expect(out.map((r) => r.fields)).toEqual([
			['a', 'b'],
			['x, "y"', 'line 1\nline 2'],
			['last', 'one']
		]);
		expect(out.map((r) => r.line)).toEqual([1, 2, 4]);
		expect(out[1].raw).toBe('"x, ""y""","line 1\nline 2"');
	});
	it('skips blank lines and lines of delimiters only, keeps empty cells and a trailing empty field', () => {
		const out = records('a;b;c\n\n;;\n1;;\n\r\n2;3;', ';');
		expect(out.map((r) => r.fields)).toEqual([
			['a', 'b', 'c'],
			['1', '', ''],
			['2', '3', '']
		]);
		expect(out.map((r) => r.line)).toEqual([1, 4, 6]);
	});
	it('keeps quotes inside unquoted fields as text', () => {
		expect(records('il a dit "bonjour" hier,2')[0].fields).toEqual(['il a dit "bonjour" hier', '2']);
	});
	it('rejects a row whose quote is never closed and reads on from the next line', () => {
		const out = records('text,date\n"never closed,2025-01-01\nfine,2025-01-02\nalso fine,2025-01-03');
		expect(out.map((r) => [r.line, r.error ?? r.fields.join('|')])).toEqual([
			[1, 'text|date'],
			[2, 'unterminatedQuote'],
			[3, 'fine|2025-01-02'],
			[4, 'also fine|2025-01-03']
		]);
		expect(out[1].raw).toBe('"never closed,2025-01-01');
	});
	it('rejects a row whose quoted field goes on after its closing quote, without swallowing the next rows', () => {
		const out = records('"bad "quote" here",1\n"ok",2\n"unclosed,3\n"ok again",4');
		expect(out.map((r) => r.error ?? r.fields.join('|'))).toEqual([
			'strayQuote',
			'ok|2',
			'unterminatedQuote',
			'ok again|4'
		]);
	});
	it('stays linear on a file where every line opens a quote', () => {
		const text = 'a,b\n' + '"x,1\n'.repeat(50_000);
		const started = performance.now();
		const out = records(text);
		expect(out.length).toBe(50_001);
		expect(out.slice(1).every((r) => r.error)).toBe(true);
		expect(performance.now() - started).toBeLessThan(2000);
	});
	it('reads a 1 MB field whole', () => {
		const big = 'x'.repeat(1024 * 1024);
		const out = records(`text,n\n"${big}",1\nsmall,2\n${big},3`);
		expect(out.map((r) => r.fields[0].length)).toEqual([4, big.length, 5, big.length]);
	});
});

describe('guessMapping', () => {
	it('recognises French headers', () => {
		expect(
			guessMapping([
				'Date de réception',
				'Commentaire',
				'Canal',
				'N° client',
				'Nom',
				'Courriel',
				'Note NPS',
				'Langue',
				'Identifiant'
			])
		).toEqual({
			received_at: 0,
			text: 1,
			channel: 2,
			customer_id: 3,
			customer_name: 4,
			customer_contact: 5,
			rating: 6,
			language: 7,
			external_id: 8
		});
	});
	it('recognises English headers and headers that contain a known word', () => {
		expect(
			guessMapping(['ID', 'Customer e-mail', 'Feedback text', 'Received at', 'Stars', 'Touchpoint'])
		).toEqual({
			external_id: 0,
			customer_contact: 1,
			text: 2,
			received_at: 3,
			rating: 4,
			touchpoint_id: 5
		});
	});
	it('takes the column with the longest values as the text when no header says', () => {
		expect(guessMapping(['a', 'b', 'c'], [['1', 'a long remark about the shop', 'x']]).text).toBe(1);
	});
	it('guesses the rating scale from the header', () => {
		expect(guessRatingKind('Note NPS')).toBe('nps');
		expect(guessRatingKind('Satisfaction (1-5)')).toBe('csat');
		expect(guessRatingKind('Étoiles')).toBe('stars');
		expect(guessRatingKind('Note')).toBeNull();
	});
});

describe('previewCsv', () => {
	it('decodes, detects the delimiter, shows the first rows and guesses the columns', () => {
		const bytes = latin1('Date;Commentaire;Canal\n31/12/2025 14:30;Tr\u00e8s d\u00e9\u00e7u;magasin\n');
		const p = previewCsv(bytes);
		expect(p).toMatchObject({
			encoding: 'windows-1252',
			delimiter: ';',
			header: ['Date', 'Commentaire', 'Canal'],
			rows: [['31/12/2025 14:30', 'Très déçu', 'magasin']],
			mapping: { received_at: 0, text: 1, channel: 2 }
		});
	});
	it('leaves out the record a preview slice may have cut', () => {
		const p = previewCsv(utf8('text\none\ntwo\nthr'), { partial: true });
		expect(p.rows).toEqual([['one'], ['two']]);
	});
});

describe('csvRowToInput', () => {
	const settings: CsvRowSettings = {
		mapping: { text: 0, received_at: 1, customer_contact: 2, rating: 3, channel: 4 },
		channel: 'survey',
		journeyId: null,
		ratingKind: 'csat'
	};
	const now = new Date('2026-01-15T10:00:00Z');

	it('maps cells to an item, with the file defaults for what the row does not say', () => {
		const r = csvRowToInput(['  Très bien  ', '31/12/2025 14:30', 'a@b.fr', '4,0', ''], settings, now);
		expect(r.ok && r.value).toMatchObject({
			text: 'Très bien',
			channel: 'survey',
			receivedAt: new Date('2025-12-31T14:30:00Z'),
			customer: { contact: 'a@b.fr' },
			rating: { kind: 'csat', value: 4 }
		});
		const iso = csvRowToInput(['ok', '2025-12-31 09:05', '', '', 'Téléphone'], settings, now);
		expect(iso.ok && [iso.value.receivedAt.toISOString(), iso.value.channel]).toEqual([
			'2025-12-31T09:05:00.000Z',
			'phone'
		]);
		const undated = csvRowToInput(['ok'], settings, now);
		expect(undated.ok && undated.value.receivedAt).toEqual(now);
	});
	it('gives the same row the same external id, whatever its spacing, and different rows different ids', () => {
		const a = csvRowToInput(['Très  bien', '2025-12-31T14:30:00Z', 'a@b.fr'], settings, now);
		const b = csvRowToInput(['Très bien ', '31/12/2025 14:30', 'A@B.fr'], settings, new Date());
		const c = csvRowToInput(['Très bien', '31/12/2025 14:31', 'a@b.fr'], settings, now);
		expect(a.ok && a.value.externalId).toMatch(/^csv:[0-9a-f]{64}$/);
		expect(a.ok && b.ok && a.value.externalId === b.value.externalId).toBe(true);
		expect(a.ok && c.ok && a.value.externalId !== c.value.externalId).toBe(true);
		expect(rowFingerprint('x', '', [])).not.toBe(rowFingerprint('y', '', []));
		expect(sha256Hex('é')).toBe('4a99557e4033c3539de2eb65472017cad5f9557f7a0625a09f1c3f6e2ba69c4c');
	});
	it('uses the id column as the external id', () => {
		const r = csvRowToInput(['ok', 'T-42'], { ...settings, mapping: { text: 0, external_id: 1 } }, now);
		expect(r.ok && r.value.externalId).toBe('T-42');
	});
	it('names what is wrong with a row', () => {
		const reasons = (fields: string[], s = settings) => {
			const r = csvRowToInput(fields, s, now);
			return r.ok ? [] : r.reasons.map((x) => x.code);
		};
		expect(reasons(['x'.repeat(1024 * 1024)])).toEqual(['textTooLong']);
		expect(reasons(['   ', '2025-01-01'])).toEqual(['textMissing']);
		expect(reasons(['ok', 'hier'])).toEqual(['badDate']);
		expect(reasons(['ok', '2099-01-01'])).toEqual(['futureDate']);
		expect(reasons(['ok', '', '', '9'])).toEqual(['badRating']);
		expect(reasons(['ok', '', '', '', 'pigeon'])).toEqual(['badChannel']);
		expect(reasons(['ok', '', '', '3'], { ...settings, ratingKind: null })).toEqual(['ratingKindMissing']);
		expect(reasons(['', 'nope'])).toEqual(['textMissing', 'badDate']);
		expect(reasons(['ok', '', 'x'.repeat(400)])).toEqual(['fieldTooLong']);
	});
	it('reads ratings written in the usual ways', () => {
		expect(parseRatingValue('★★★☆☆')).toBe(3);
		expect(parseRatingValue('9/10')).toBe(9);
		expect(parseRatingValue('4,5')).toBe('4,5');
		expect(parseRatingValue(' 7 ')).toBe(7);
	});
});

describe('writeRejectReport', () => {
	it('writes a CSV with a BOM that quotes what needs it and defuses formulas', () => {
		const out = writeRejectReport(
			[{ line: 3, reasons: [{ code: 'textMissing' }, { code: 'badDate' }], raw: ';"hier";=1+1' }],
			{ line: 'Ligne', reason: 'Motif', original: "Ligne d'origine" },
			(r) => r.code,
			';'
		);
		expect(out).toBe('\uFEFFLigne;Motif;Ligne d\'origine\r\n3;textMissing | badDate;";""hier"";=1+1"\r\n');
		expect(csvCell('=HYPERLINK()', ',')).toBe("'=HYPERLINK()");
		expect(csvCell('a,b', ',')).toBe('"a,b"');
	});
});
