/**
 * Upgrading a database that already holds data: migration 0006 fills the new per-journey daily sums
 * from the per-touchpoint ones, so a portfolio read right after the upgrade shows the feedback already
 * there. Both engines; the migrations up to 0005 are applied from a copy of the folder first.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { openDatabase, type Database } from '../../src/lib/server/db';
import { rowsOf } from '../../src/lib/server/db/raw';
import { openFreshPostgres } from './helpers/db';

const BEFORE = '0006_health_rollups';

/** A copy of `drizzle/` holding the migrations before `tag` only. */
function migrationsBefore(tag: string): string {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parcours-migrations-'));
	fs.cpSync('drizzle', dir, { recursive: true });
	const journalPath = path.join(dir, 'meta', '_journal.json');
	const journal = JSON.parse(fs.readFileSync(journalPath, 'utf8')) as { entries: Array<{ tag: string }> };
	const at = journal.entries.findIndex((e) => e.tag === tag);
	if (at < 0) throw new Error(`no migration ${tag}`);
	journal.entries = journal.entries.slice(0, at);
	fs.writeFileSync(journalPath, JSON.stringify(journal));
	return dir;
}

async function withMigrations<T>(dir: string, f: () => Promise<T>): Promise<T> {
	const previous = process.env.MIGRATIONS_DIR;
	process.env.MIGRATIONS_DIR = dir;
	try {
		return await f();
	} finally {
		if (previous === undefined) delete process.env.MIGRATIONS_DIR;
		else process.env.MIGRATIONS_DIR = previous;
	}
}

const cases: Array<{ engine: string; open(): Promise<Database> }> = [
	{ engine: 'pglite', open: () => openDatabase({ engine: 'pglite' }) },
	...(process.env.TEST_DATABASE_URL
		? [
				{
					engine: 'postgres',
					open: () => openFreshPostgres(process.env.TEST_DATABASE_URL!, { migrate: false })
				}
			]
		: [])
];

const dirs: string[] = [];
afterAll(() => {
	for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

for (const { engine, open } of cases) {
	describe(`migrations on ${engine}`, () => {
		it('fills journey_daily from the touchpoint sums stored before the upgrade', async () => {
			const database = await open();
			try {
				const old = migrationsBefore(BEFORE);
				dirs.push(old);
				await withMigrations(old, () => database.migrate());
				const { db } = database;
				const [ws] = rowsOf<{ id: string }>(
					await db.execute(sql`insert into workspace (name) values ('Before the upgrade') returning id`)
				);
				const [j] = rowsOf<{ id: string }>(
					await db.execute(
						sql`insert into journey (workspace_id, title) values (${ws.id}, 'Old journey') returning id`
					)
				);
				// Two touchpoints and two channels on one day, one touchpoint the next day.
				await db.execute(sql`
					insert into touchpoint_daily (journey_id, touchpoint_id, day, channel, workspace_id, n, score_sum, score_sq,
						negative, neutral, positive)
					values (${j.id}, 'a', '2026-11-01', 'email', ${ws.id}, 3, -1.5, 2.25, 2, 1, 0),
						(${j.id}, 'a', '2026-11-01', 'social', ${ws.id}, 2, 1.0, 1.0, 0, 1, 1),
						(${j.id}, 'b', '2026-11-01', 'email', ${ws.id}, 1, 2.0, 4.0, 0, 0, 1),
						(${j.id}, 'b', '2026-11-02', 'email', ${ws.id}, 4, 0.5, 3.0, 1, 2, 1)`);
				await database.migrate();
				const days = rowsOf<{
					day: string;
					n: number;
					sum: number;
					negative: number;
					neutral: number;
					positive: number;
				}>(
					await db.execute(sql`select to_char(day, 'YYYY-MM-DD') as day, n, score_sum as sum, negative, neutral, positive
						from journey_daily where journey_id = ${j.id} order by day`)
				).map((r) => ({ ...r, n: Number(r.n), sum: Number(r.sum) }));
				expect(days).toEqual([
					{ day: '2026-11-01', n: 6, sum: 1.5, negative: 2, neutral: 2, positive: 2 },
					{ day: '2026-11-02', n: 4, sum: 0.5, negative: 1, neutral: 2, positive: 1 }
				]);
			} finally {
				await database.close();
			}
		});
	});
}
