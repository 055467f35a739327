/** Text preparation: cleaning of HTML and e-mail noise, folding, tokenisation, light stemming. */

/** Past this many characters (after cleaning) the text is cut: keeps the worst case bounded. */
export const MAX_CHARS = 20_000;

const ENTITIES: Record<string, string> = {
	amp: '&',
	lt: '<',
	gt: '>',
	quot: '"',
	apos: "'",
	nbsp: ' ',
	eacute: 'é',
	egrave: 'è',
	ecirc: 'ê',
	agrave: 'à',
	acirc: 'â',
	ccedil: 'ç',
	ocirc: 'ô',
	ucirc: 'û',
	ugrave: 'ù',
	icirc: 'î',
	iuml: 'ï',
	euml: 'ë',
	rsquo: '’',
	lsquo: '‘',
	hellip: '…',
	laquo: '«',
	raquo: '»',
	euro: '€',
	mdash: '—',
	ndash: '–'
};

function decodeEntities(s: string): string {
	return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, name: string) => {
		if (name[0] === '#') {
			const code =
				name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
			return code > 0 && code < 0x110000 ? String.fromCodePoint(code) : m;
		}
		return ENTITIES[name.toLowerCase()] ?? m;
	});
}

function stripHtml(s: string): string {
	if (!/<[a-z!/][^>]*>/i.test(s)) return s;
	return s
		.replace(/<(script|style|head)\b[\s\S]*?<\/\1\s*>/gi, ' ')
		.replace(/<!--[\s\S]*?-->/g, ' ')
		.replace(/<blockquote\b[\s\S]*?<\/blockquote\s*>/gi, '\n')
		.replace(/<(br|\/p|\/div|\/li|\/tr|\/h\d)\b[^>]*>/gi, '\n')
		.replace(/<[^>]+>/g, ' ');
}

// Lines that start a quoted reply or a forwarded message: everything from there on is someone else's text.
const REPLY_HEADERS = [
	/^\s*le\s.{3,120}\s(a\s+)?[ée]crit\s*:\s*$/i,
	/^\s*on\s.{3,120}\swrote\s*:\s*$/i,
	/^\s*-{2,}\s*(original message|message d'origine|forwarded message|message transf[ée]r[ée])\s*-{2,}\s*$/i,
	/^\s*(de|from)\s*:\s.+$/i
];
// Two-line form: "Le mar. 3 mars 2024 à 10:00, Jean <x@y.fr>" + "a écrit :" on the next line.
const REPLY_TAIL = /^\s*(a\s+)?[ée]crit\s*:\s*$|^\s*wrote\s*:\s*$/i;
const SIGNATURE_START = [
	/^--\s*$/,
	/^_{5,}\s*$/,
	/^\s*(envoy[ée] (de|depuis) mon|sent from my|get outlook for)\b/i
];
const SIGN_OFF =
	/^\s*(cordialement|bien cordialement|bien [àa] vous|salutations|sinc[èe]res salutations|bonne (journ[ée]e|soir[ée]e)|best regards|kind regards|regards|best|cheers|thanks and regards|sincerely|yours sincerely)[\s,.!]*$/i;

/** Removes HTML, quoted replies ("Le … a écrit :", "On … wrote:", "> …" lines) and signatures. */
export function cleanText(raw: string): string {
	// Most items are one plain line: nothing to strip.
	if (
		!/[\n\r<&>\u200b-\u200d\ufeff]/.test(raw) &&
		!/^\s*--/.test(raw) &&
		!/^\s*(sent from my|envoy)/i.test(raw)
	)
		return raw.replace(/[ \t\u00a0]+/g, ' ').trim();
	let s = decodeEntities(stripHtml(raw.replace(/\r\n?/g, '\n')));
	s = s.replace(/[\u200b-\u200d\ufeff]/g, '');
	const lines = s.split('\n');
	const kept: string[] = [];
	for (let i = 0; i < lines.length; i++) {
		const line = lines[i];
		if (REPLY_HEADERS.some((r) => r.test(line))) {
			// A "From:" line only starts a forwarded block when a header block follows (Sent/Date/Envoyé…).
			if (/^\s*(de|from)\s*:/i.test(line)) {
				const next = lines.slice(i + 1, i + 4).join('\n');
				if (!/^\s*(sent|date|envoy[ée]|to|[àa]|objet|subject)\s*:/im.test(next)) {
					kept.push(line);
					continue;
				}
			}
			break;
		}
		if (i + 1 < lines.length && REPLY_TAIL.test(lines[i + 1]) && /^\s*(le|on)\s/i.test(line)) break;
		if (SIGNATURE_START.some((r) => r.test(line))) break;
		if (/^\s*>/.test(line)) continue;
		kept.push(line);
	}
	// A sign-off near the end starts the signature.
	for (let i = Math.max(0, kept.length - 6); i < kept.length; i++) {
		if (i > 0 && SIGN_OFF.test(kept[i])) {
			kept.length = i;
			break;
		}
	}
	return kept
		.join('\n')
		.replace(/[ \t\u00a0]+/g, ' ')
		.replace(/ *\n */g, '\n')
		.replace(/\n{3,}/g, '\n\n')
		.trim();
}

const FOLD: Record<string, string> = {};
{
	const groups: Array<[string, string]> = [
		['a', 'àáâãäåāăą'],
		['c', 'çćĉċč'],
		['e', 'èéêëēĕėęě'],
		['i', 'ìíîïĩīĭįı'],
		['n', 'ñńņňŉ'],
		['o', 'òóôõöøōŏő'],
		['u', 'ùúûüũūŭůűų'],
		['y', 'ýÿŷ'],
		['s', 'śŝşšß'],
		['z', 'źżž'],
		['g', 'ĝğġģ'],
		['l', 'ĺļľŀł'],
		['r', 'ŕŗř'],
		['d', 'ďđ'],
		['t', 'ţťŧ'],
		["'", '’‘`´ʼ']
	];
	for (const [base, chars] of groups) for (const ch of chars) FOLD[ch] = base;
}

/**
 * Lower-cases and removes accents character by character, keeping the length, so that offsets in the
 * folded text are offsets in the original.
 */
export function fold(s: string): string {
	let out = '';
	for (let i = 0; i < s.length; i++) {
		const ch = s[i];
		const code = ch.charCodeAt(0);
		if (code < 128) {
			out += code >= 65 && code <= 90 ? String.fromCharCode(code + 32) : ch;
			continue;
		}
		const lower = ch.toLowerCase();
		const l = lower.length === 1 ? lower : ch;
		out += FOLD[l] ?? l;
	}
	return out;
}

export type TokenKind = 'word' | 'number' | 'emoji' | 'emoticon' | 'punct' | 'mention' | 'url';

export interface Token {
	/** Folded form; for words, elongations (3+ repeated letters) are reduced to two. */
	norm: string;
	kind: TokenKind;
	start: number;
	end: number;
	/** Written in capitals (3+ letters) in a text that is not all capitals. */
	caps: boolean;
	/** Had an elongation ("sooo", "nooon"). */
	elongated: boolean;
	/** Index of the sentence the token belongs to. */
	sentence: number;
}

const EMOTICON = String.raw`(?:[:;=8][\-o*']?[)(\]\[dDpP/\\|3]|<3|[)(][\-o*']?[:;=]|:'\(|>:\()`;
const TOKEN_PARTS = [
	String.raw`(https?://\S+|www\.\S+)`,
	String.raw`([@][a-z0-9_]+)`,
	String.raw`(\d+(?:[.,:h]\d+)*)`,
	String.raw`([a-z\u00c0-\u024f\u0400-\u04ff]+(?:['\-][a-z\u00c0-\u024f]+)*)`,
	`(${EMOTICON})`
];
const TOKEN_RE = new RegExp(
	[
		...TOKEN_PARTS,
		String.raw`(\p{Extended_Pictographic}|[\u2600-\u27bf])`,
		String.raw`([!?]+|[.;:,…]+)`
	].join('|'),
	'giu'
);
// The same without the emoji branch: no Unicode mode, markedly faster on plain text.
const TOKEN_RE_PLAIN = new RegExp([...TOKEN_PARTS, '(?!)', String.raw`([!?]+|[.;:,…]+)`].join('|'), 'gi');
const MAY_HAVE_EMOJI = /[\u2600-\u27bf\ud800-\udfff]/;
const ELISION = /^(l|d|j|m|n|s|t|c|qu|jusqu|lorsqu|puisqu)'(.+)$/;

/**
 * Splits folded text into tokens with offsets. French elisions are split ("l'avion" → "l'", "avion"),
 * English contractions are kept ("don't").
 */
export function tokenize(folded: string, original: string): Token[] {
	const tokens: Token[] = [];
	const allCaps = original === original.toUpperCase() && original !== original.toLowerCase();
	let sentence = 0;
	const re = MAY_HAVE_EMOJI.test(folded) ? TOKEN_RE : TOKEN_RE_PLAIN;
	re.lastIndex = 0;
	let m: RegExpExecArray | null;
	while ((m = re.exec(folded))) {
		const start = m.index;
		const end = start + m[0].length;
		if (m[1]) tokens.push(tok(m[0], 'url', start, end, sentence));
		else if (m[2]) tokens.push(tok(m[0], 'mention', start, end, sentence));
		else if (m[3]) tokens.push(tok(m[0], 'number', start, end, sentence));
		else if (m[4]) {
			const word = m[4];
			const el = ELISION.exec(word);
			const parts: Array<[string, number]> = el
				? [
						[el[1] + "'", start],
						[el[2], start + el[1].length + 1]
					]
				: [[word, start]];
			for (const [w, s] of parts) {
				const reduced = hasTriple(w) ? w.replace(/([a-z])\1{2,}/g, '$1$1') : w;
				const t = tok(reduced, 'word', s, s + w.length, sentence);
				t.elongated = reduced.length !== w.length;
				if (!allCaps && w.length >= 3) {
					const c = original.charCodeAt(s);
					if (c !== w.charCodeAt(0)) {
						// First letter differs from its folded form: maybe a capital; check the whole word.
						const raw = original.slice(s, s + w.length);
						t.caps = raw === raw.toUpperCase() && raw !== raw.toLowerCase();
					}
				}
				tokens.push(t);
			}
		} else if (m[5]) tokens.push(tok(m[0], 'emoticon', start, end, sentence));
		else if (m[6]) tokens.push(tok(m[0], 'emoji', start, end, sentence));
		else {
			tokens.push(tok(m[0], 'punct', start, end, sentence));
			if (/[.!?…;]/.test(m[0])) sentence++;
		}
	}
	// Newlines also end sentences.
	if (folded.includes('\n')) {
		let s = 0;
		let next = folded.indexOf('\n');
		for (const t of tokens) {
			while (next !== -1 && next < t.start) {
				s++;
				next = folded.indexOf('\n', next + 1);
			}
			t.sentence += s;
		}
	}
	return tokens;
}

/** Whether a letter repeats three times in a row (cheaper than the replacing regex on every word). */
function hasTriple(w: string): boolean {
	for (let i = 2; i < w.length; i++)
		if (w.charCodeAt(i) === w.charCodeAt(i - 1) && w[i] === w[i - 2]) return true;
	return false;
}

function tok(norm: string, kind: TokenKind, start: number, end: number, sentence: number): Token {
	return { norm, kind, start, end, caps: false, elongated: false, sentence };
}

const SUFFIXES = [
	'issements',
	'issement',
	'ations',
	'ation',
	'ements',
	'ement',
	'ments',
	'ment',
	'aison',
	'ances',
	'ance',
	'ences',
	'ence',
	'euses',
	'euse',
	'eurs',
	'eur',
	'ions',
	'ion',
	'ings',
	'ing',
	'ness',
	'ies',
	'ees',
	'ee',
	'ed',
	'er',
	'ez',
	'es',
	's',
	'x',
	'e'
];

/** A light FR/EN suffix stripper: enough to match "livraison"/"livré" or "delays"/"delayed". */
export function stem(word: string): string {
	for (const suf of SUFFIXES) {
		if (word.length - suf.length >= 3 && word.endsWith(suf)) return word.slice(0, -suf.length);
	}
	return word;
}

/** Damerau-Levenshtein (optimal string alignment) distance, giving up past `max`. */
export function editDistance(a: string, b: string, max: number): number {
	if (Math.abs(a.length - b.length) > max) return max + 1;
	if (a === b) return 0;
	const n = a.length;
	const m = b.length;
	let prev2 = new Array<number>(m + 1).fill(0);
	let prev = Array.from({ length: m + 1 }, (_, j) => j);
	let cur = new Array<number>(m + 1).fill(0);
	for (let i = 1; i <= n; i++) {
		cur[0] = i;
		let rowMin = i;
		for (let j = 1; j <= m; j++) {
			const cost = a[i - 1] === b[j - 1] ? 0 : 1;
			let v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
			if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2] + 1);
			cur[j] = v;
			if (v < rowMin) rowMin = v;
		}
		if (rowMin > max) return max + 1;
		[prev2, prev, cur] = [prev, cur, prev2];
	}
	return prev[m];
}
