import { randomBytes } from 'node:crypto';
import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { afterAll, inject } from 'vitest';
import type { Database } from '../src/db/database.js';
import * as schema from '../src/db/schema/index.js';
import { databaseUrl } from './database-url.js';

export interface TestDatabaseOptions {
  /**
   * Drop the database as soon as the file is done, even under KEEP_TEST_DATABASES=1 (see
   * global-setup.ts). For files that break the ledger's invariants on purpose: CI runs
   * `mixgate ledger check` on every database the run keeps, and must not see their damage.
   */
  dropAfterFile?: boolean;
}

/**
 * A fresh, migrated database for one test file, cloned from the run's template; the run's teardown
 * drops it. Call at the top level of a test file (or in beforeAll).
 */
export async function createTestDatabase(
  options: TestDatabaseOptions = {},
): Promise<Database & { url: string; name: string }> {
  const adminUrl = inject('adminDatabaseUrl');
  const name = `mgt_${inject('testRunId')}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${inject('templateDatabase')}"`);
  } finally {
    await admin.end();
  }
  const url = databaseUrl(adminUrl, name);
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  pool.on('error', () => {});
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await pool.end();
    if (options.dropAfterFile) await dropDatabase(adminUrl, name);
  };
  afterAll(close);
  return { db: drizzle(pool, { schema }), pool, connectionString: url, url, name, close };
}

async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}
