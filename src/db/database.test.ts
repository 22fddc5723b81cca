import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
import { databaseUrl } from '../../test/database-url.js';
import { runMigrations } from './database.js';

describe('migrations', () => {
  it('build the schema on an empty database when several instances start at once', async () => {
    const adminUrl = inject('adminDatabaseUrl');
    const name = `mgt_${inject('testRunId')}_blank_${randomBytes(3).toString('hex')}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    const pools = Array.from(
      { length: 3 },
      () => new pg.Pool({ connectionString: databaseUrl(adminUrl, name), max: 2 }),
    );
    // DROP … WITH (FORCE) below ends any straggling connection; that is expected, not a failure.
    for (const pool of pools) pool.on('error', () => {});
    try {
      await Promise.all(pools.map((pool) => runMigrations(pool)));
      await runMigrations(pools[0]!);
      const tables = await pools[0]!.query<{ table_name: string }>(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1",
      );
      expect(tables.rows.map((row) => row.table_name)).toEqual(
        expect.arrayContaining([
          'users',
          'sessions',
          'api_keys',
          'security_events',
          'legal_documents',
          'organisations',
        ]),
      );
      const applied = await pools[0]!.query('SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations');
      const journal = JSON.parse(
        readFileSync(new URL('./migrations/meta/_journal.json', import.meta.url), 'utf8'),
      ) as { entries: unknown[] };
      expect(applied.rows[0].n).toBe(journal.entries.length);
    } finally {
      await Promise.all(pools.map((pool) => pool.end()));
      await admin.query(`DROP DATABASE "${name}" WITH (FORCE)`);
      await admin.end();
    }
  });
});
