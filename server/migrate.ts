/** `npm run db:migrate`: applies the migrations in drizzle/ to DATABASE_URL or the embedded database. */
import path from 'node:path';
import { readConfig } from '../src/lib/server/config';
import { openDatabase } from '../src/lib/server/db';

const config = readConfig();
const database = config.databaseUrl
	? await openDatabase({ engine: 'postgres', url: config.databaseUrl })
	: await openDatabase({ engine: 'pglite', dataDir: path.join(config.dataDir, 'pglite') });
await database.migrate();
await database.close();
console.log('Migrations applied.');
