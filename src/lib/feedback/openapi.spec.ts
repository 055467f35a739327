import { describe, expect, it } from 'vitest';
import { openApiDocument } from './openapi';
import { FEEDBACK_CHANNELS, FEEDBACK_LANGUAGES, FEEDBACK_LIMITS, RATING_KINDS } from './types';
import { validateFeedbackInput } from './validate';

describe('OpenAPI document', () => {
	const doc = openApiDocument('https://parcours.example.com');
	const item = doc.components.schemas.FeedbackItem;

	it('is OpenAPI 3.1 with every machine path', () => {
		expect(doc.openapi).toBe('3.1.0');
		expect(Object.keys(doc.paths)).toEqual(
			expect.arrayContaining([
				'/api/v1/workspace',
				'/api/v1/feedback',
				'/api/v1/feedback/{id}',
				'/api/v1/inbound/email'
			])
		);
		expect(doc.servers).toEqual([{ url: 'https://parcours.example.com' }]);
		expect(JSON.parse(JSON.stringify(doc))).toEqual(doc);
	});

	it('documents the values the validation accepts, from the same constants', () => {
		expect(item.properties.channel.enum).toEqual([...FEEDBACK_CHANNELS]);
		expect(item.properties.rating.properties.kind.enum).toEqual([...RATING_KINDS]);
		expect(item.properties.language.enum).toEqual([...FEEDBACK_LANGUAGES]);
		expect(item.properties.text.maxLength).toBe(FEEDBACK_LIMITS.text);
		expect(
			doc.paths['/api/v1/feedback'].post.requestBody.content['application/json'].schema.oneOf[1]
		).toMatchObject({ properties: { items: { maxItems: FEEDBACK_LIMITS.batch } } });
	});

	it('has examples the validation accepts', () => {
		const examples = doc.paths['/api/v1/feedback'].post.requestBody.content['application/json'].examples;
		const now = new Date('2026-11-03T00:00:00Z');
		expect(validateFeedbackInput(examples.single.value, { now }).ok).toBe(true);
		for (const i of examples.batch.value.items) expect(validateFeedbackInput(i, { now }).ok).toBe(true);
	});

	it('resolves every $ref', () => {
		const refs = JSON.stringify(doc).match(/"#\/components\/schemas\/(\w+)"/g) ?? [];
		expect(refs.length).toBeGreaterThan(5);
		for (const r of refs) {
			const name = r.slice('"#/components/schemas/'.length, -1);
			expect(doc.components.schemas, name).toHaveProperty(name);
		}
	});
});
