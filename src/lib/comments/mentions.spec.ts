import { describe, expect, it } from 'vitest';
import { checkCommentBody, MAX_COMMENT_LENGTH } from './body';
import { findMentions, mentionQuery, mentionedIds, segmentBody, suggestMembers } from './mentions';

const members = [
	{ id: 'marie', name: 'Marie Dupont' },
	{ id: 'marie-c', name: 'Marie Curie' },
	{ id: 'helene', name: 'Hélène Lefèvre' },
	{ id: 'sam', name: 'Sam' },
	{ id: 'jo', name: 'Jo Ann' }
];

describe('mentions', () => {
	it('finds full names with spaces and accents, exactly as the autocomplete writes them', () => {
		expect(mentionedIds('Hi @Marie Dupont and @Hélène Lefèvre, see this.', members)).toEqual([
			'marie',
			'helene'
		]);
	});

	it('ignores case and accents typed by hand', () => {
		expect(mentionedIds('@marie dupont @HELENE lefevre', members)).toEqual(['marie', 'helene']);
	});

	it('accepts a first name alone only when one member has it', () => {
		expect(mentionedIds('@helene look', members)).toEqual(['helene']);
		expect(mentionedIds('@marie look', members)).toEqual([]);
	});

	it('prefers the longest name and needs a word boundary after it', () => {
		expect(mentionedIds('@Jo Ann', members)).toEqual(['jo']);
		expect(mentionedIds('@Samuel', members)).toEqual([]);
		expect(mentionedIds('@Sam, @sam.', members)).toEqual(['sam']);
	});

	it('does not take e-mail addresses or unknown names for mentions', () => {
		expect(mentionedIds('write to sam@example.com or @nobody', members)).toEqual([]);
	});

	it('cuts the body into text and mentions that join back to the body', () => {
		const body = 'Ask @Marie Dupont — then @sam!';
		const segs = segmentBody(body, members);
		expect(segs.map((s) => s.text).join('')).toBe(body);
		expect(segs.filter((s) => s.userId)).toEqual([
			{ text: '@Marie Dupont', userId: 'marie' },
			{ text: '@sam', userId: 'sam' }
		]);
		expect(findMentions('no mention', members)).toEqual([]);
	});

	it('knows the mention being typed at the caret', () => {
		expect(mentionQuery('Hello @Mar', 10)).toEqual({ start: 6, query: 'Mar' });
		expect(mentionQuery('Hello @Marie Du', 15)).toEqual({ start: 6, query: 'Marie Du' });
		expect(mentionQuery('mail a@b', 8)).toBeNull();
		expect(mentionQuery('no at', 5)).toBeNull();
	});

	it('suggests members starting with the query first', () => {
		expect(suggestMembers('mar', members).map((m) => m.id)).toEqual(['marie-c', 'marie']);
		expect(suggestMembers('lef', members).map((m) => m.id)).toEqual(['helene']);
		expect(suggestMembers('', members)).toHaveLength(5);
	});
});

describe('comment body', () => {
	it('is trimmed and must not be empty', () => {
		expect(checkCommentBody('  hello \r\n')).toEqual({ ok: true, body: 'hello' });
		expect(checkCommentBody('   \n ')).toMatchObject({ ok: false, problem: 'empty' });
		expect(checkCommentBody(42)).toMatchObject({ ok: false, problem: 'notText' });
	});

	it('has a length limit', () => {
		expect(checkCommentBody('x'.repeat(MAX_COMMENT_LENGTH)).ok).toBe(true);
		expect(checkCommentBody('x'.repeat(MAX_COMMENT_LENGTH + 1))).toMatchObject({
			ok: false,
			problem: 'tooLong'
		});
	});

	it('folds long runs of blank lines', () => {
		expect(checkCommentBody('a\n\n\n\n\nb')).toEqual({ ok: true, body: 'a\n\nb' });
	});
});
