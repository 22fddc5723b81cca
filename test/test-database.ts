import { randomBytes } from 'node:crypto';
import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { afterAll, inject } from 'vitest';
import type { Database } from '../src/db/database.js';
import * as schema from '../src/db/schema/index.js';
import { databaseUrl } from './database-url.js';

/**
 * A fresh, migrated database for one test file, cloned from the run's template and dropped after
 * the file. Call at the top level of a test file (or in beforeAll).
 */
export async function createTestDatabase(): Promise<Database & { url: string; name: string }> {
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
  };
  afterAll(close);
  return { db: drizzle(pool, { schema }), pool, connectionString: url, url, name, close };
}
