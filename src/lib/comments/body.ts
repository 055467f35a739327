/** What a comment body may be: checked the same way in the browser (before sending) and on the server. */

export const MAX_COMMENT_LENGTH = 5000;

export type BodyCheck =
	{ ok: true; body: string } | { ok: false; problem: 'empty' | 'tooLong' | 'notText'; max: number };

/**
 * Trims the body and refuses an empty or overlong one. Line breaks inside are kept (people write
 * lists); runs of more than two blank lines are folded, so a pasted block does not push the thread away.
 */
export function checkCommentBody(value: unknown): BodyCheck {
	if (typeof value !== 'string') return { ok: false, problem: 'notText', max: MAX_COMMENT_LENGTH };
	const body = value
		.normalize('NFC')
		// PostgreSQL text cannot hold NUL; it never belongs in a comment.
		.replace(/\0/g, '')
		.replace(/\r\n?/g, '\n')
		.replace(/\n{3,}/g, '\n\n')
		.trim();
	if (!body) return { ok: false, problem: 'empty', max: MAX_COMMENT_LENGTH };
	if (body.length > MAX_COMMENT_LENGTH) return { ok: false, problem: 'tooLong', max: MAX_COMMENT_LENGTH };
	return { ok: true, body };
}
