/**
 * The OpenAPI 3.1 description of Parcours' machine API, served at `/api/v1/openapi.json`. Built from the
 * constants of `./types`, so the documented channels, ratings, languages and limits are the ones the
 * validation enforces. Pure: no framework imports.
 */
import {
	FEEDBACK_CHANNELS,
	FEEDBACK_LANGUAGES,
	FEEDBACK_LIMITS,
	FEEDBACK_SOURCES,
	FEEDBACK_STATUSES,
	RATING_KINDS,
	RATING_RANGE
} from './types';

/** Largest body the feedback API and the inbound e-mail webhook read (413 past it). */
export const API_BODY_LIMIT_BYTES = 5 * 1024 * 1024;

const ratingRanges = RATING_KINDS.map((k) => `${k} ${RATING_RANGE[k][0]}–${RATING_RANGE[k][1]}`).join(', ');

const example = {
	text: 'Le vol AF1234 avait 3 heures de retard et personne ne nous a prévenus à la porte.',
	channel: 'email',
	received_at: '2026-11-02T14:30:00Z',
	customer: { id: 'C-1042', name: 'Camille Martin', contact: 'camille@example.com' },
	rating: { kind: 'nps', value: 3 },
	journey_id: '7d0f6a52-3c1e-4a8e-9b7a-2f0c1d5e6a10',
	language: 'fr',
	external_id: 'crm-88412'
};

const errorSchema = {
	type: 'object',
	required: ['error'],
	properties: {
		error: {
			type: 'object',
			required: ['code', 'message'],
			properties: {
				code: { type: 'string', description: 'Stable identifier of the problem.' },
				message: { type: 'string', description: 'What to fix, in English.' },
				field: { type: 'string', description: 'The field or header concerned, e.g. `rating.value`.' },
				issues: {
					type: 'array',
					description: 'Every problem of the item, when it was refused by validation.',
					items: { $ref: '#/components/schemas/FieldIssue' }
				}
			}
		}
	}
};

const errorResponse = (description: string, code: string, message: string, field?: string) => ({
	description,
	content: {
		'application/json': {
			schema: { $ref: '#/components/schemas/Error' },
			example: { error: { code, message, ...(field && { field }) } }
		}
	}
});

const common = {
	'401': errorResponse(
		'Missing, unknown or revoked API key.',
		'error.unauthenticated',
		'Please sign in first.',
		'Authorization'
	),
	'429': {
		...errorResponse(
			'Too many requests with this key; wait for the number of seconds in `Retry-After`.',
			'collect.api.rateLimited',
			'Too many requests for this API key. Retry in 12 s.'
		),
		headers: { 'Retry-After': { schema: { type: 'integer' }, description: 'Seconds to wait.' } }
	}
};

/** The document; `serverUrl` (the instance's origin) is listed as its server when given. */
export function openApiDocument(serverUrl?: string) {
	return {
		openapi: '3.1.0',
		info: {
			title: 'Parcours API',
			version: '1',
			description:
				'Push customer feedback into Parcours and read how it was understood. Every request carries a ' +
				'workspace API key (Settings → API keys) as `Authorization: Bearer pk_…`. Errors are ' +
				'`{ "error": { "code", "message", "field" } }` with a 4xx status. Requests are limited per key ' +
				'(default 600 per minute; 429 with `Retry-After` past it). Bodies are limited to ' +
				`${API_BODY_LIMIT_BYTES / 1024 / 1024} MB (413), and to the server's BODY_SIZE_LIMIT when lower.`
		},
		...(serverUrl && { servers: [{ url: serverUrl }] }),
		security: [{ apiKey: [] }],
		paths: {
			'/api/v1/workspace': {
				get: {
					operationId: 'getWorkspace',
					summary: 'The workspace this key belongs to (checks a key).',
					responses: {
						'200': {
							description: 'The workspace.',
							content: {
								'application/json': {
									schema: {
										type: 'object',
										properties: {
											workspace: {
												type: 'object',
												properties: { id: { type: 'string', format: 'uuid' }, name: { type: 'string' } }
											}
										}
									},
									example: { workspace: { id: '0b7c5a4e-1d2f-4c3b-8a9e-5f6d7c8b9a01', name: 'Air Example' } }
								}
							}
						},
						...common
					}
				}
			},
			'/api/v1/feedback': {
				post: {
					operationId: 'postFeedback',
					summary: `Store one feedback item, or a batch of up to ${FEEDBACK_LIMITS.batch}.`,
					description:
						'Items are stored at once and analysed in the background: poll `GET /api/v1/feedback/{id}` ' +
						'for the result. An item with an `external_id` already stored in the workspace is not ' +
						'stored again: the answer gives the stored id with `duplicate: true`.\n\n' +
						'One item (a JSON object): **201** stored, **200** already stored (duplicate), **400** refused ' +
						'(`error.field` names the field, `error.issues` lists every problem).\n\n' +
						'A batch (`{ "items": [...] }`): the good items are stored even when others are refused. ' +
						'The answer lists one result per item, in order, with its `index`; a refused item names ' +
						'the field as `items[3].rating.value`. Status: **201** something new was stored and ' +
						'nothing refused; **200** every item was already stored; **207** some items were refused ' +
						'and the others stored; **400** every item was refused.\n\n' +
						'Other refusals: **400** malformed JSON or bytes that are not UTF-8, **413** body over the ' +
						`limit or more than ${FEEDBACK_LIMITS.batch} items, **415** a content type other than ` +
						'`application/json`.',
					requestBody: {
						required: true,
						content: {
							'application/json': {
								schema: {
									oneOf: [
										{ $ref: '#/components/schemas/FeedbackItem' },
										{
											type: 'object',
											required: ['items'],
											properties: {
												items: {
													type: 'array',
													minItems: 1,
													maxItems: FEEDBACK_LIMITS.batch,
													items: { $ref: '#/components/schemas/FeedbackItem' }
												}
											}
										}
									]
								},
								examples: {
									single: { summary: 'One item', value: example },
									batch: {
										summary: 'A batch',
										value: {
											items: [
												example,
												{
													text: 'Great welcome at the Lyon store, thanks Julie!',
													channel: 'store',
													received_at: '2026-11-02T16:05:00Z',
													rating: { kind: 'stars', value: 5 },
													external_id: 'pos-55120'
												}
											]
										}
									}
								}
							}
						}
					},
					responses: {
						'200': {
							description: 'Already stored (same external id): nothing new.',
							content: {
								'application/json': {
									schema: {
										oneOf: [
											{ $ref: '#/components/schemas/Accepted' },
											{ $ref: '#/components/schemas/BatchResult' }
										]
									},
									example: { id: '3f0a4a8e-8c1b-4f7d-9a55-0e6b2f7c1d99', duplicate: true, status: 'done' }
								}
							}
						},
						'201': {
							description: 'Stored; analysis follows.',
							content: {
								'application/json': {
									schema: {
										oneOf: [
											{ $ref: '#/components/schemas/Accepted' },
											{ $ref: '#/components/schemas/BatchResult' }
										]
									},
									example: { id: '3f0a4a8e-8c1b-4f7d-9a55-0e6b2f7c1d99', duplicate: false, status: 'pending' }
								}
							}
						},
						'207': {
							description: 'A batch where some items were refused and the others stored.',
							content: {
								'application/json': {
									schema: { $ref: '#/components/schemas/BatchResult' },
									example: {
										created: 1,
										duplicates: 0,
										rejected: 1,
										results: [
											{ index: 0, id: '3f0a4a8e-8c1b-4f7d-9a55-0e6b2f7c1d99', duplicate: false },
											{
												index: 1,
												id: null,
												error: {
													field: 'items[1].rating.value',
													message: 'items[1].rating.value must be a whole number from 0 to 10 for nps'
												},
												issues: [
													{
														field: 'items[1].rating.value',
														message: 'must be a whole number from 0 to 10 for nps'
													}
												]
											}
										]
									}
								}
							}
						},
						'400': errorResponse(
							'Refused: malformed JSON, or the item (every item of a batch) is invalid.',
							'collect.api.invalidItem',
							'text is required (a string)',
							'text'
						),
						'413': errorResponse(
							'Body too large, or too many items.',
							'collect.api.itemsTooMany',
							`A batch may hold at most ${FEEDBACK_LIMITS.batch} items.`,
							'items'
						),
						'415': errorResponse(
							'Not JSON.',
							'collect.api.contentType',
							'Send the body as application/json.',
							'Content-Type'
						),
						...common
					}
				}
			},
			'/api/v1/feedback/{id}': {
				get: {
					operationId: 'getFeedback',
					summary: 'One item with its analysis status and, once analysed, its results.',
					parameters: [
						{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }
					],
					responses: {
						'200': {
							description: 'The item.',
							content: {
								'application/json': {
									schema: { $ref: '#/components/schemas/StoredItem' },
									example: {
										id: '3f0a4a8e-8c1b-4f7d-9a55-0e6b2f7c1d99',
										status: 'done',
										text: example.text,
										channel: 'email',
										source: 'api',
										received_at: example.received_at,
										created_at: '2026-11-02T14:30:02Z',
										customer: example.customer,
										rating: example.rating,
										journey_id: example.journey_id,
										touchpoint_id: 'b5e1c7d2-…',
										external_id: example.external_id,
										spam: false,
										error: null,
										analysed_at: '2026-11-02T14:30:02Z',
										result: {
											language: 'fr',
											polarity: 'negative',
											score: -1.6,
											intent: 'complaint',
											stage: 'sale',
											emotions: ['anger'],
											motives: ['delay', 'information'],
											products: [],
											places: [],
											corrected: []
										},
										analysis: { '…': 'the full analysis with confidences and spans' }
									}
								}
							}
						},
						'404': errorResponse('No such item in this workspace.', 'error.notFound', 'Not found.'),
						...common
					}
				}
			},
			'/api/v1/inbound/email': {
				post: {
					operationId: 'postInboundEmail',
					summary: 'A raw e-mail (RFC 822), as a mail relay forwards it, stored as one feedback item.',
					description:
						'The text part is kept (else the HTML part, converted to text); quoted replies and ' +
						'signatures are dropped; the subject, without `Re:`/`Fwd:`, becomes the first line. From → ' +
						'customer name and contact, Message-ID → external id (a repeated message answers 200 with ' +
						'`duplicate: true`), Date → received_at. Channel and source are `email`. Accepts ' +
						'`message/rfc822`, `text/plain`, or `application/json` `{ "raw": "…" }`.',
					parameters: [
						{
							name: 'journey_id',
							in: 'query',
							required: false,
							description: 'The journey the message is about.',
							schema: { type: 'string', format: 'uuid' }
						}
					],
					requestBody: {
						required: true,
						content: {
							'message/rfc822': {
								schema: { type: 'string' },
								example:
									'From: Camille Martin <camille@example.com>\r\nSubject: Colis jamais reçu\r\n' +
									'Message-ID: <a1b2@example.com>\r\nDate: Mon, 2 Nov 2026 14:30:00 +0100\r\n' +
									'Content-Type: text/plain; charset=utf-8\r\n\r\nBonjour, j’attends toujours mon colis.\r\n'
							},
							'text/plain': { schema: { type: 'string' } },
							'application/json': {
								schema: { type: 'object', required: ['raw'], properties: { raw: { type: 'string' } } }
							}
						}
					},
					responses: {
						'201': {
							description: 'Stored.',
							content: {
								'application/json': {
									schema: { $ref: '#/components/schemas/Accepted' },
									example: { id: '3f0a4a8e-8c1b-4f7d-9a55-0e6b2f7c1d99', duplicate: false, status: 'pending' }
								}
							}
						},
						'200': {
							description: 'This Message-ID was already stored.',
							content: { 'application/json': { schema: { $ref: '#/components/schemas/Accepted' } } }
						},
						'400': errorResponse(
							'Not an e-mail, or nothing left once quotes and signature are removed.',
							'collect.email.noHeaders',
							'This is not an e-mail message: it has no From header.',
							'body'
						),
						'413': errorResponse(
							'Message too large.',
							'collect.api.tooLarge',
							'The body is larger than 5 MB.',
							'body'
						),
						'415': errorResponse(
							'Unsupported content type.',
							'collect.api.contentType',
							'Send the body as message/rfc822, text/plain or application/json.',
							'Content-Type'
						),
						...common
					}
				}
			},
			'/api/v1/openapi.json': {
				get: {
					operationId: 'getOpenApi',
					summary: 'This document.',
					security: [],
					responses: { '200': { description: 'The OpenAPI document.' } }
				}
			}
		},
		components: {
			securitySchemes: {
				apiKey: { type: 'http', scheme: 'bearer', description: 'A workspace API key, `pk_…`.' }
			},
			schemas: {
				FeedbackItem: {
					type: 'object',
					required: ['text', 'channel'],
					properties: {
						text: {
							type: 'string',
							minLength: 1,
							maxLength: FEEDBACK_LIMITS.text,
							description: 'What the customer said (plain text or HTML; quotes and signatures are ignored).'
						},
						channel: {
							type: 'string',
							enum: [...FEEDBACK_CHANNELS],
							description: 'Where the customer spoke.'
						},
						received_at: {
							type: 'string',
							format: 'date-time',
							description: 'When the customer spoke (ISO 8601). Defaults to the time of the request.'
						},
						customer: {
							type: 'object',
							description: 'Who spoke, for the follow-up answer.',
							properties: {
								id: { type: 'string', maxLength: FEEDBACK_LIMITS.customerField },
								name: { type: 'string', maxLength: FEEDBACK_LIMITS.customerField },
								contact: {
									type: 'string',
									maxLength: FEEDBACK_LIMITS.customerField,
									description: 'E-mail address or social handle.'
								}
							}
						},
						rating: {
							type: 'object',
							required: ['kind', 'value'],
							description: `A score the customer gave: ${ratingRanges}.`,
							properties: {
								kind: { type: 'string', enum: [...RATING_KINDS] },
								value: { type: 'integer', minimum: 0, maximum: 10 }
							}
						},
						journey_id: { type: 'string', format: 'uuid', description: 'A journey of the workspace.' },
						touchpoint_id: {
							type: 'string',
							description: 'A touchpoint of that journey (needs `journey_id`); analysis keeps it.'
						},
						language: {
							type: 'string',
							enum: [...FEEDBACK_LANGUAGES],
							description: 'Language when known; detected otherwise.'
						},
						external_id: {
							type: 'string',
							maxLength: FEEDBACK_LIMITS.externalId,
							description: 'Your id for the item: sending it again stores nothing new.'
						}
					},
					example
				},
				FieldIssue: {
					type: 'object',
					properties: { field: { type: 'string' }, message: { type: 'string' } }
				},
				Accepted: {
					type: 'object',
					properties: {
						id: { type: 'string', format: 'uuid' },
						duplicate: { type: 'boolean' },
						status: { type: 'string', enum: [...FEEDBACK_STATUSES] }
					}
				},
				BatchResult: {
					type: 'object',
					properties: {
						created: { type: 'integer' },
						duplicates: { type: 'integer' },
						rejected: { type: 'integer' },
						results: {
							type: 'array',
							items: {
								type: 'object',
								required: ['index', 'id'],
								properties: {
									index: { type: 'integer' },
									id: { type: ['string', 'null'], format: 'uuid' },
									duplicate: { type: 'boolean' },
									error: { $ref: '#/components/schemas/FieldIssue' },
									issues: { type: 'array', items: { $ref: '#/components/schemas/FieldIssue' } }
								}
							}
						}
					}
				},
				StoredItem: {
					type: 'object',
					properties: {
						id: { type: 'string', format: 'uuid' },
						status: {
							type: 'string',
							enum: [...FEEDBACK_STATUSES],
							description: '`pending` until analysed, then `done` (or `failed`, with `error`).'
						},
						text: { type: 'string' },
						channel: { type: 'string', enum: [...FEEDBACK_CHANNELS] },
						source: { type: 'string', enum: [...FEEDBACK_SOURCES] },
						received_at: { type: 'string', format: 'date-time' },
						created_at: { type: 'string', format: 'date-time' },
						customer: { type: ['object', 'null'] },
						rating: { type: ['object', 'null'] },
						journey_id: { type: ['string', 'null'], format: 'uuid' },
						touchpoint_id: { type: ['string', 'null'] },
						external_id: { type: ['string', 'null'] },
						spam: { type: 'boolean' },
						error: { type: ['string', 'null'] },
						analysed_at: { type: ['string', 'null'], format: 'date-time' },
						result: {
							type: ['object', 'null'],
							description: 'Effective values after corrections; null until analysed.',
							properties: {
								language: { type: ['string', 'null'] },
								polarity: { type: ['string', 'null'] },
								score: { type: ['number', 'null'], minimum: -2, maximum: 2 },
								intent: { type: ['string', 'null'] },
								stage: { type: ['string', 'null'] },
								emotions: { type: 'array', items: { type: 'string' } },
								motives: { type: 'array', items: { type: 'string' } },
								products: { type: 'array', items: { type: 'string' } },
								places: { type: 'array', items: { type: 'string' } },
								corrected: { type: 'array', items: { type: 'string' } }
							}
						},
						analysis: {
							type: ['object', 'null'],
							description: 'The full analysis: every field with its confidence and the spans that decided it.'
						}
					}
				},
				Error: errorSchema
			}
		}
	};
}
