import { json } from '@sveltejs/kit';
import { drain, mediaType, readBody, requireApiClient, submitFeedback } from '$lib/server/feedback/api';
import { parseInboundEmail } from '$lib/server/feedback/email';
import { AppError } from '$lib/server/errors';
import { apiError } from '$lib/server/http';
import type { RequestHandler } from './$types';

const RAW_TYPES = ['message/rfc822', 'text/plain', 'application/octet-stream'];

/** A raw e-mail from a mail relay, stored as one item of channel and source `email`. */
export const POST: RequestHandler = async ({ locals, request, url }) => {
	try {
		const principal = await requireApiClient(locals.db, locals.config, request);
		const type = mediaType(request);
		let raw: Uint8Array | string;
		if (RAW_TYPES.includes(type)) raw = await readBody(request);
		else if (type === 'application/json') {
			let body: unknown;
			try {
				body = JSON.parse(new TextDecoder().decode(await readBody(request)));
			} catch {
				throw new AppError(400, 'collect.api.malformedJson', { detail: '' }, 'body');
			}
			const r = (body as { raw?: unknown } | null)?.raw;
			if (typeof r !== 'string') throw new AppError(400, 'collect.email.rawMissing', {}, 'raw');
			raw = r;
		} else
			throw new AppError(
				415,
				'collect.api.contentType',
				{ expected: 'message/rfc822, text/plain or application/json' },
				'Content-Type'
			);
		const parsed = await parseInboundEmail(raw);
		const journeyId = url.searchParams.get('journey_id');
		const result = await submitFeedback(
			locals.db,
			principal,
			{
				...parsed.raw,
				...(journeyId && { journey_id: journeyId })
			},
			{ source: 'email' }
		);
		const r = result.results[0];
		if (r.id === null)
			return json(
				{
					error: {
						code: 'collect.api.invalidItem',
						message: r.error.message,
						field: r.error.field,
						issues: r.issues
					}
				},
				{ status: 400 }
			);
		return json(
			{ id: r.id, duplicate: r.duplicate, status: r.duplicate ? undefined : 'pending' },
			{ status: r.duplicate ? 200 : 201 }
		);
	} catch (e) {
		await drain(request);
		return apiError(e);
	}
};
