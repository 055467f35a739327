import { json } from '@sveltejs/kit';
import { eq } from 'drizzle-orm';
import { feedback } from '$lib/server/db/schema';
import { batchStatus, drain, readJson, requireApiClient, submitFeedback } from '$lib/server/feedback/api';
import { apiError } from '$lib/server/http';
import type { RequestHandler } from './$types';

/** One item (an object) or a batch `{ items }`; statuses are documented in `$lib/feedback/openapi`. */
export const POST: RequestHandler = async ({ locals, request }) => {
	try {
		const principal = await requireApiClient(locals.db, locals.config, request);
		const body = await readJson(request);
		const result = await submitFeedback(locals.db, principal, body);
		if (result.single) {
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
			// A new item was committed as pending (the processor may already hold it); a duplicate is
			// reported in its current state.
			let status = 'pending';
			if (r.duplicate) {
				const [row] = await locals.db
					.select({ status: feedback.status })
					.from(feedback)
					.where(eq(feedback.id, r.id));
				status = row?.status ?? status;
			}
			return json({ id: r.id, duplicate: r.duplicate, status }, { status: r.duplicate ? 200 : 201 });
		}
		const { single: _, ...answer } = result;
		return json(answer, { status: batchStatus(result) });
	} catch (e) {
		await drain(request);
		return apiError(e);
	}
};
