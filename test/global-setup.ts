import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { runMigrations } from '../src/db/database.js';
import { type EmbeddedPostgres, startEmbeddedPostgres } from '../src/db/embedded-postgres.js';
import { databaseUrl } from './database-url.js';

/** Under KEEP_TEST_DATABASES=1, the run's databases are kept and listed here, one name a line. */
const KEPT_DATABASES_FILE = path.resolve('.tmp/test-databases.txt');

/**
 * One PostgreSQL for the whole run: the machine's (DATABASE_URL) or an embedded cluster under
 * .tmp/. Migrations run once into a template database; every test file clones it (fast, isolated).
 */
export default async function setup(project: TestProject) {
  let embedded: EmbeddedPostgres | undefined;
  let adminUrl: string;
  if (process.env.DATABASE_URL) {
    adminUrl = process.env.DATABASE_URL;
  } else {
    embedded = await startEmbeddedPostgres({ dataDir: path.resolve('.tmp/test-db') });
    adminUrl = embedded.connectionString;
  }
  const runId = `${process.pid}_${Date.now().toString(36)}`;
  const template = `mgtpl_${runId}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${template}"`);
  const pool = new pg.Pool({ connectionString: databaseUrl(adminUrl, template), max: 1 });
  await runMigrations(pool);
  await pool.end();

  project.provide('adminDatabaseUrl', adminUrl);
  project.provide('templateDatabase', template);
  project.provide('testRunId', runId);

  return async () => {
    const databases = await admin.query<{ datname: string }>(
      'SELECT datname FROM pg_database WHERE datname LIKE $1 ORDER BY datname',
      [`mg%_${runId}%`],
    );
    const names = databases.rows.map((row) => row.datname);
    if (process.env.KEEP_TEST_DATABASES === '1') {
      // CI checks the ledger of every database the tests leave, then drops them (.ci/run). Only
      // useful with DATABASE_URL: an embedded cluster stops below unless KEEP_TEST_DB is set too.
      await mkdir(path.dirname(KEPT_DATABASES_FILE), { recursive: true });
      await writeFile(KEPT_DATABASES_FILE, names.map((name) => `${name}\n`).join(''));
    } else {
      for (const name of names) await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    }
    await admin.end();
    if (embedded?.startedHere && !process.env.KEEP_TEST_DB) await embedded.stop();
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    adminDatabaseUrl: string;
    templateDatabase: string;
    testRunId: string;
  }
}
