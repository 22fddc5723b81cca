import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/test-database.js';
import { runMigrations } from './database.js';

const database = await createTestDatabase();

describe('migrations', () => {
  it('creates the schema and is safe to run again from several connections at once', async () => {
    await Promise.all([runMigrations(database.pool), runMigrations(database.pool), runMigrations(database.pool)]);
    const tables = await database.db.execute<{ table_name: string }>(
      sql`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`,
    );
    expect(tables.rows.map((row) => row.table_name)).toEqual(
      expect.arrayContaining(['users', 'sessions', 'api_keys', 'security_events', 'legal_documents']),
    );
  });
});
