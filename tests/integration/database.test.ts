import { describe, expect, it } from 'vitest';
import { DatabaseConfigError, openDatabase } from '../../src/lib/server/db';

describe('opening the database', () => {
	it('rejects a URL that is not PostgreSQL, saying what to write', async () => {
		await expect(openDatabase({ engine: 'postgres', url: 'mysql://root@localhost/db' })).rejects.toThrow(
			/must start with postgres:\/\//
		);
		await expect(openDatabase({ engine: 'postgres', url: 'not a url' })).rejects.toThrow(DatabaseConfigError);
	});

	it('fails fast and clearly when the server cannot be reached', async () => {
		const started = Date.now();
		// Port 1 on loopback: nothing listens there, the connection is refused at once.
		await expect(
			openDatabase({ engine: 'postgres', url: 'postgres://u:secret@127.0.0.1:1/db' })
		).rejects.toThrow(/Cannot reach PostgreSQL at 127\.0\.0\.1:1\/db/);
		expect(Date.now() - started).toBeLessThan(10_000);
	});

	it('does not print the password of a bad URL', async () => {
		await expect(openDatabase({ engine: 'postgres', url: 'postgres://u:topsecret@' })).rejects.toThrow(
			expect.objectContaining({ message: expect.not.stringContaining('topsecret') })
		);
	});
});
