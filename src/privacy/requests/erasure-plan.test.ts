/**
 * The erasure plan, derived from the data map, against the migrated schema: deletions run children
 * first, no row kept after an erasure still points at a row it deletes, the columns it empties can
 * be emptied, and the user row's pseudonymisation accounts for every column.
 */
import { describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/test-database.js';
import { DATA_TABLES } from '../datamap.js';
import { deletionOrder, erasurePlan, OWN_STEP_TABLES } from './erasure-plan.js';
import { USER_COLUMNS_KEPT, USER_COLUMNS_REPLACED } from './pseudonymise-user.js';

const database = await createTestDatabase();

interface ForeignKey {
  child: string;
  column: string;
  parent: string;
}

async function foreignKeys(): Promise<ForeignKey[]> {
  const { rows } = await database.pool.query<ForeignKey>(
    `SELECT child.relname AS child, a.attname AS column, parent.relname AS parent
       FROM pg_constraint c
       JOIN pg_class child ON child.oid = c.conrelid
       JOIN pg_class parent ON parent.oid = c.confrelid
       JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)
      WHERE c.contype = 'f' AND c.connamespace = 'public'::regnamespace`,
  );
  return rows;
}

async function nullable(table: string, column: string): Promise<boolean> {
  const { rows } = await database.pool.query<{ is_nullable: string }>(
    `SELECT is_nullable FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 AND column_name = $2`,
    [table, column],
  );
  return rows[0]?.is_nullable === 'YES';
}

describe('the erasure plan', () => {
  const plan = erasurePlan();
  const deleted = plan.filter((step) => step.action === 'delete').map((step) => step.map.table);

  it('covers every mapped table, with a step of its own exactly where the map says so', () => {
    expect(plan.map((step) => step.map.table)).toEqual(DATA_TABLES.map((map) => map.table));
    expect(
      plan
        .filter((step) => step.action === 'own_step')
        .map((step) => step.map.table)
        .sort(),
    ).toEqual([...OWN_STEP_TABLES].sort());
    expect(deleted).toEqual(
      expect.arrayContaining(['sessions', 'api_keys', 'conversations', 'studio_outputs']),
    );
    expect(deleted).not.toEqual(expect.arrayContaining(['ledger_transfers']));
    expect(plan.find((step) => step.map.table === 'security_events')?.action).toBe('keep');
  });

  it('deletes children before the rows they point at', async () => {
    const order = await deletionOrder(database.pool, deleted);
    expect([...order].sort()).toEqual([...deleted].sort());
    const keys = (await foreignKeys()).filter(
      (key) => key.child !== key.parent && deleted.includes(key.child) && deleted.includes(key.parent),
    );
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) {
      expect(order.indexOf(key.child), `${key.child} before ${key.parent}`).toBeLessThan(
        order.indexOf(key.parent),
      );
    }
  });

  it('empties, in the rows it keeps, every column that points at a row it deletes', async () => {
    const kept = new Map(
      plan.filter((step) => step.action !== 'delete').map((step) => [step.map.table, step]),
    );
    for (const key of await foreignKeys()) {
      const step = kept.get(key.child);
      if (!step || step.map.userRows === null || !deleted.includes(key.parent)) continue;
      expect(step.clearColumns, `${key.child}.${key.column} -> ${key.parent}`).toContain(key.column);
    }
    for (const step of plan) {
      for (const column of step.clearColumns)
        expect(await nullable(step.map.table, column), column).toBe(true);
    }
  });

  it('replaces or keeps, with a reason, every column of the user row', async () => {
    const { rows } = await database.pool.query<{ column_name: string }>(
      `SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = 'users'`,
    );
    const handled = [...Object.keys(USER_COLUMNS_REPLACED), ...Object.keys(USER_COLUMNS_KEPT), 'updated_at'];
    expect(handled.sort()).toEqual(rows.map((row) => row.column_name).sort());
  });
});
