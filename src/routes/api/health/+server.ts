import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';

/** Liveness for load balancers: answers once the database is open. */
export const GET: RequestHandler = async ({ locals }) =>
	json({ ok: true, engine: locals.db ? 'ready' : 'starting' });
