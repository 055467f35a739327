/**
 * Database tests run on every engine: PGlite in memory always, PostgreSQL too when TEST_DATABASE_URL is
 * set. Each PostgreSQL test file gets its own fresh database, dropped afterwards.
 */
import postgres from 'postgres';
import { openDatabase, type Database, type DbEngine } from '../../../src/lib/server/db';

export interface EngineCase {
	engine: DbEngine;
	open(): Promise<Database>;
}

function withDatabase(url: string, name: string): string {
	const u = new URL(url);
	u.pathname = `/${name}`;
	return u.toString();
}

/** Opens a migrated PostgreSQL database of its own; closing it drops it. */
export async function openFreshPostgres(
	adminUrl: string,
	options: { migrate?: boolean } = {}
): Promise<Database & { url: string }> {
	const name = `parcours_t_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
	const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
	await admin.unsafe(`create database "${name}"`);
	await admin.end();
	const url = withDatabase(adminUrl, name);
	const database = await openDatabase({ engine: 'postgres', url });
	if (options.migrate !== false) await database.migrate();
	return {
		...database,
		url,
		async close() {
			await database.close();
			const a = postgres(adminUrl, { max: 1, onnotice: () => {} });
			await a.unsafe(`drop database if exists "${name}" with (force)`);
			await a.end();
		}
	};
}

export function engines(): EngineCase[] {
	const cases: EngineCase[] = [
		{
			engine: 'pglite',
			async open() {
				const database = await openDatabase({ engine: 'pglite' });
				await database.migrate();
				return database;
			}
		}
	];
	const url = process.env.TEST_DATABASE_URL;
	if (url) cases.push({ engine: 'postgres', open: () => openFreshPostgres(url) });
	return cases;
}
