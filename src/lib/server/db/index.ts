/**
 * The one module that opens the database. PGlite on disk by default; PostgreSQL when a URL is given.
 * Both run the same Drizzle schema and the same `drizzle/` migrations.
 */
import fs from 'node:fs';
import path from 'node:path';
import { PGlite, types } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import * as schema from './schema';

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
export type DbEngine = 'pglite' | 'postgres';

export interface Database {
	db: Db;
	engine: DbEngine;
	/** Applies every pending migration from `drizzle/`. */
	migrate(): Promise<void>;
	close(): Promise<void>;
}

export type DatabaseOptions =
	{ engine: 'pglite'; dataDir?: string /* undefined: in memory */ } | { engine: 'postgres'; url: string };

export class DatabaseConfigError extends Error {
	override name = 'DatabaseConfigError';
}

function migrationsFolder(): string {
	return path.resolve(process.env.MIGRATIONS_DIR || 'drizzle');
}

/** Checks a PostgreSQL URL without connecting; the message says what to fix. */
export function parsePostgresUrl(url: string): URL {
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		throw new DatabaseConfigError(
			`DATABASE_URL is not a valid URL ("${redact(url)}"); expected postgres://user:password@host:5432/database`
		);
	}
	if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
		throw new DatabaseConfigError(
			`DATABASE_URL must start with postgres:// or postgresql://, got "${parsed.protocol}//"`
		);
	}
	if (!parsed.hostname) throw new DatabaseConfigError('DATABASE_URL has no host name');
	return parsed;
}

function redact(url: string): string {
	return url.replace(/\/\/([^:/@]*):[^@]*@/, '//$1:***@');
}

/**
 * PGlite hands bytea over as hex text and decodes it in a JavaScript loop: ~50 ms for a 650 kB journey
 * map, most of a cold join. Node's native hex decoder does it in ~5 ms.
 */
function parseBytea(text: string): Uint8Array {
	const b = Buffer.from(text.startsWith('\\x') ? text.slice(2) : text, 'hex');
	return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
	if (options.engine === 'pglite') {
		if (options.dataDir) fs.mkdirSync(options.dataDir, { recursive: true });
		let client: PGlite;
		try {
			client = new PGlite(options.dataDir, { parsers: { [types.BYTEA]: parseBytea } });
			await client.waitReady;
		} catch (e) {
			throw new DatabaseConfigError(
				`Cannot open the embedded database in ${options.dataDir ?? 'memory'}: ${(e as Error).message}. ` +
					'Is another Parcours process using the same DATA_DIR?'
			);
		}
		const db = drizzlePglite(client, { schema }) as unknown as Db;
		return {
			db,
			engine: 'pglite',
			migrate: () => migratePglite(db as never, { migrationsFolder: migrationsFolder() }),
			close: () => client.close()
		};
	}

	const url = parsePostgresUrl(options.url);
	const client = postgres(options.url, {
		max: Number(process.env.DATABASE_POOL_SIZE || 10),
		connect_timeout: 5,
		onnotice: () => {},
		// JIT compiling costs 50–300 ms the first time a large plan runs (a year of journey health): more
		// than these short queries ever gain from it.
		connection: { jit: 'off' }
	});
	const db = drizzlePostgres(client, { schema }) as unknown as Db;
	try {
		await db.execute(sql`select 1`);
	} catch (e) {
		await client.end({ timeout: 1 }).catch(() => {});
		throw new DatabaseConfigError(
			`Cannot reach PostgreSQL at ${url.hostname}:${url.port || 5432}${url.pathname}: ${(e as Error).message}`
		);
	}
	return {
		db,
		engine: 'postgres',
		migrate: () => migratePostgres(db as never, { migrationsFolder: migrationsFolder() }),
		close: () => client.end({ timeout: 5 })
	};
}

export { schema };
