import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import type { Config } from '../config.js';
import { type EmbeddedPostgres, startEmbeddedPostgres } from './embedded-postgres.js';
import * as schema from './schema/index.js';

export type Db = NodePgDatabase<typeof schema>;

export interface Database {
  db: Db;
  pool: pg.Pool;
  /** A connection string for libraries that open their own connections (pg-boss). */
  connectionString: string;
  embedded?: EmbeddedPostgres;
  close(options?: { stopEmbedded?: boolean }): Promise<void>;
}

const MIGRATIONS_FOLDER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');
// Any constant works; it only has to be the same for every Mixgate instance.
const MIGRATION_LOCK_KEY = 7_325_011_001;

export interface OpenDatabaseOptions {
  log?: (message: string) => void;
  migrate?: boolean;
}

/**
 * Connects to `DATABASE_URL`, or starts the embedded PostgreSQL under the data directory, and
 * applies pending migrations. Closing stops the embedded server only when asked, and only when it
 * was this process that started it.
 */
export async function openDatabase(
  config: Pick<Config, 'DATABASE_URL' | 'DATABASE_POOL_SIZE' | 'dataDir'>,
  options: OpenDatabaseOptions = {},
): Promise<Database> {
  let embedded: EmbeddedPostgres | undefined;
  let connection: pg.PoolConfig;
  let connectionString: string;
  if (config.DATABASE_URL) {
    connectionString = config.DATABASE_URL;
    connection = { connectionString };
  } else {
    embedded = await startEmbeddedPostgres({ dataDir: config.dataDir, log: options.log });
    connection = embedded.connection;
    connectionString = embedded.connectionString;
  }
  const pool = new pg.Pool({ ...connection, max: config.DATABASE_POOL_SIZE, idleTimeoutMillis: 30_000 });
  // An idle client that loses its server must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  const db = drizzle(pool, { schema });
  if (options.migrate !== false) await runMigrations(pool);
  return {
    db,
    pool,
    connectionString,
    embedded,
    async close({ stopEmbedded = false } = {}) {
      await pool.end();
      if (stopEmbedded && embedded?.startedHere) await embedded.stop();
    },
  };
}

/** Applies committed migrations under an advisory lock, so instances starting together take turns. */
export async function runMigrations(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      await migrate(drizzle(client), { migrationsFolder: MIGRATIONS_FOLDER });
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    client.release();
  }
}
