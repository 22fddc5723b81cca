import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/test-database.js';
import { executePrepared } from './prepared-statement.js';

const database = await createTestDatabase();
const db = database.db;

const preparedNames = async (tx: Parameters<Parameters<typeof db.transaction>[0]>[0]) =>
  (await tx.execute<{ name: string }>(sql`SELECT name FROM pg_prepared_statements ORDER BY name`)).rows.map(
    (row) => row.name,
  );

describe('executePrepared', () => {
  it('runs a statement as one named prepared statement per text, with fresh parameters each call', async () => {
    await db.transaction(async (tx) => {
      const before = await preparedNames(tx);
      const doubled = async (n: number) =>
        (await executePrepared<{ value: number }>(tx, sql`SELECT ${n}::int * 2 AS value`)).rows[0]!.value;
      expect([await doubled(2), await doubled(21)]).toEqual([4, 42]);
      const tripled = await executePrepared<{ value: number }>(tx, sql`SELECT ${5}::int * 3 AS value`);
      expect(tripled.rows).toEqual([{ value: 15 }]);

      const added = (await preparedNames(tx)).filter((name) => !before.includes(name));
      // One statement per distinct text, named by it: the second call of a text reused the first.
      expect(added).toHaveLength(2);
      for (const name of added) expect(name).toMatch(/^mixgate_[0-9a-f]{24}$/);
    });
  });

  it('runs inside the caller’s transaction', async () => {
    await expect(
      db.transaction(async (tx) => {
        await tx.execute(sql`CREATE TEMP TABLE prepared_probe (n int) ON COMMIT DROP`);
        await executePrepared(tx, sql`INSERT INTO prepared_probe VALUES (${7})`);
        const seen = await tx.execute<{ n: number }>(sql`SELECT n FROM prepared_probe`);
        expect(seen.rows).toEqual([{ n: 7 }]);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
  });

  it('reports a failing statement as the database’s error, and the text stays usable', async () => {
    const divide = (n: number) => executePrepared<{ value: number }>(db, sql`SELECT 10 / ${n}::int AS value`);
    // Wrapped as db.execute wraps it, with PostgreSQL's own error as the cause.
    await expect(divide(0)).rejects.toMatchObject({ cause: { code: '22012' } });
    expect((await divide(5)).rows).toEqual([{ value: 2 }]);
  });
});
