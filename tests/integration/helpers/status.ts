import { AppError } from '../../../src/lib/server/errors';

/** The HTTP status a service call would answer: 200 when it succeeds, the AppError's status otherwise. */
export async function status(fn: () => Promise<unknown>): Promise<number> {
	try {
		await fn();
		return 200;
	} catch (e) {
		if (e instanceof AppError) return e.status;
		throw e;
	}
}
