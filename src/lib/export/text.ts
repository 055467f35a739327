/**
 * Text for the exported map: XML escaping, and measuring and wrapping without a DOM. Widths come from
 * Helvetica's metrics (Arial has the same), the font of both the PDF and the PNG.
 */

// Advance widths in 1/1000 em of ASCII 32–126, from the Helvetica and Helvetica-Bold AFM files.
const REGULAR =
	'278,278,355,556,556,889,667,222,333,333,389,584,278,333,278,278,556,556,556,556,556,556,556,556,556,556,278,278,584,584,584,556,1015,667,667,722,722,667,611,778,722,278,500,667,556,833,722,778,667,778,722,667,611,722,667,944,667,667,611,278,278,278,469,556,222,556,556,500,556,556,278,556,556,222,222,500,222,833,556,556,556,556,333,500,278,556,500,722,500,500,500,334,260,334,584';
const BOLD =
	'278,333,474,556,556,889,722,278,333,333,389,584,278,333,278,278,556,556,556,556,556,556,556,556,556,556,333,333,584,584,584,611,975,722,722,722,722,667,611,778,722,278,556,722,611,833,722,778,667,778,722,667,611,722,667,944,667,667,611,333,278,333,584,556,278,556,611,556,611,556,333,611,611,278,278,556,278,889,611,611,611,611,389,556,333,611,556,778,556,556,500,389,280,389,584';
const WIDTHS = { regular: REGULAR.split(',').map(Number), bold: BOLD.split(',').map(Number) };
/** Anything else (CJK, symbols…) is taken as wide as a digit: a slight over-estimate for most scripts. */
const OTHER = 600;

function charWidth(ch: string, bold: boolean): number {
	const table = bold ? WIDTHS.bold : WIDTHS.regular;
	let code = ch.codePointAt(0)!;
	if (code > 126) {
		// An accented letter is as wide as its base letter (é as e, Ç as C).
		const base = ch.normalize('NFD').codePointAt(0)!;
		if (base <= 126) code = base;
		else if (ch === '…') return 1000;
		else if (ch === '–' || ch === '−') return 556;
		else if (ch === '—') return 1000;
		else if (ch === '’' || ch === '‘') return bold ? 278 : 222;
		else if (ch === '«' || ch === '»') return 556;
		else if (ch === '\u00a0' || ch === '\u202f') return 278;
		else return OTHER;
	}
	return code >= 32 ? table[code - 32] : 0;
}

/** Width in points of `text` set at `size` points. */
export function textWidth(text: string, size: number, bold = false): number {
	let total = 0;
	for (const ch of text) total += charWidth(ch, bold);
	return (total * size) / 1000;
}

/**
 * Text as authored, made safe for XML 1.0 and for one line: characters XML forbids (control
 * characters, lone surrogates, U+FFFE/FFFF) would make the whole SVG unreadable, so they go; runs of
 * white space become one space.
 */
export function cleanText(text: string): string {
	return (
		text
			// eslint-disable-next-line no-control-regex -- the point is to remove control characters
			.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ufffe\uffff]/g, '')
			.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '')
			.replace(/\s+/g, ' ')
			.trim()
	);
}

/** Escapes text for an XML text node or a double- or single-quoted attribute. */
export function escapeXml(text: string): string {
	return text
		.replace(/&/g, '&amp;')
		.replace(/</g, '&lt;')
		.replace(/>/g, '&gt;')
		.replace(/"/g, '&quot;')
		.replace(/'/g, '&apos;');
}

/** `text` cut to fit `max` points, with an ellipsis when cut. */
export function ellipsize(text: string, max: number, size: number, bold = false): string {
	if (textWidth(text, size, bold) <= max) return text;
	const room = max - textWidth('…', size, bold);
	let out = '';
	let width = 0;
	for (const ch of text) {
		const w = (charWidth(ch, bold) * size) / 1000;
		if (width + w > room) break;
		out += ch;
		width += w;
	}
	return `${out.trimEnd()}…`;
}

/**
 * `text` wrapped at spaces to lines of at most `max` points, at most `maxLines` lines; the last line
 * ends with an ellipsis when text was left out. A word longer than a line is cut.
 */
export function wrapText(text: string, max: number, size: number, bold = false, maxLines = 2): string[] {
	const words = text.split(' ').filter(Boolean);
	const lines: string[] = [];
	let line = '';
	let i = 0;
	for (; i < words.length; i++) {
		const candidate = line ? `${line} ${words[i]}` : words[i];
		if (textWidth(candidate, size, bold) <= max) {
			line = candidate;
			continue;
		}
		if (!line) {
			// One word wider than the line: cut it and carry on with its rest.
			const cut = ellipsize(words[i], max, size, bold).slice(0, -1) || [...words[i]][0];
			lines.push(cut);
			words[i] = words[i].slice(cut.length);
			i--;
		} else {
			lines.push(line);
			line = '';
			i--;
		}
		if (lines.length === maxLines) break;
	}
	if (lines.length < maxLines) {
		if (line) lines.push(line);
		return lines;
	}
	// Out of lines: whatever is left joins the last line, which gets the ellipsis.
	const rest = [line, ...words.slice(i + 1)].filter(Boolean).join(' ');
	if (rest) lines[maxLines - 1] = ellipsize(`${lines[maxLines - 1]} ${rest}`, max, size, bold);
	return lines;
}

/** A safe file name from a title: letters and digits of any script, runs of anything else as "-". */
export function exportFileName(title: string, extension: string): string {
	const base = title
		.normalize('NFC')
		.replace(/[^\p{L}\p{N}]+/gu, '-')
		.replace(/^-|-$/g, '')
		.slice(0, 80);
	return `${base || 'journey'}.${extension}`;
}
