import { authenticateApiKey, type ApiPrincipal } from './api-keys';
import type { Db } from './db';
import { AppError } from './errors';

/** The workspace an API request acts for, from `Authorization: Bearer <key>`. */
export async function requireApiKey(db: Db, request: Request): Promise<ApiPrincipal> {
	const header = request.headers.get('authorization') ?? '';
	const match = /^Bearer\s+(\S+)$/i.exec(header);
	if (!match) throw new AppError(401, 'error.unauthenticated', {}, 'Authorization');
	const principal = await authenticateApiKey(db, match[1]);
	if (!principal) throw new AppError(401, 'error.unauthenticated', {}, 'Authorization');
	return principal;
}
