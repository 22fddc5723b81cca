/**
 * What erasure does to each table, derived from the data map: a category whose rule is `delete`
 * loses the person's rows; one kept for a legal obligation (`pseudonymise`) keeps them with the
 * columns marked `clearOnErasure` emptied; `keep_until_period_ends` stays as it is. A table with
 * `erasedBy` has a step of its own (erase-user.ts). The order of deletions comes from the
 * database's own foreign keys, children first, so a new table needs no hand-kept list.
 */
import type pg from 'pg';
import { categoryById, DATA_TABLES } from '../datamap.js';
import type { DataCategory, TableMap } from '../datamap-types.js';

export type TableAction = 'delete' | 'clear' | 'keep' | 'own_step';

/** The tables with an `erasedBy` step, each carried out by erase-user.ts; the plan refuses any other. */
export const OWN_STEP_TABLES = ['users', 'user_data_keys', 'organisations'] as const;

export interface TableErasure {
  map: TableMap;
  category: DataCategory;
  action: TableAction;
  /** The columns emptied in the rows kept (action `clear`). */
  clearColumns: string[];
}

export function erasurePlan(): TableErasure[] {
  return DATA_TABLES.map((map) => {
    const category = categoryById(map.category);
    const clearColumns = Object.entries(map.columns)
      .filter(([, role]) => role.role !== 'subject' && role.clearOnErasure === true)
      .map(([column]) => column);
    let action: TableAction;
    const ownStep = (OWN_STEP_TABLES as readonly string[]).includes(map.table);
    if (Boolean(map.erasedBy) !== ownStep) {
      throw new Error(
        `${map.table}: a table has an erasure step of its own exactly when the data map says erasedBy`,
      );
    }
    if (ownStep) action = 'own_step';
    // Reached only through an organisation: handled with the organisation, not with the person.
    else if (map.userRows === null) action = 'keep';
    else if (category.erasure === 'delete') action = 'delete';
    else if (category.erasure === 'pseudonymise' && clearColumns.length > 0) action = 'clear';
    else action = 'keep';
    return { map, category, action, clearColumns: action === 'clear' ? clearColumns : [] };
  });
}

/**
 * The tables to delete from, each after every table whose foreign keys point at it (children
 * first), as PostgreSQL reports the keys. A cycle between them is a schema the erasure cannot
 * order, and it says so.
 */
export async function deletionOrder(pool: pg.Pool, tables: string[]): Promise<string[]> {
  const { rows } = await pool.query<{ child: string; parent: string }>(
    `SELECT child.relname AS child, parent.relname AS parent
       FROM pg_constraint c
       JOIN pg_class child ON child.oid = c.conrelid
       JOIN pg_class parent ON parent.oid = c.confrelid
      WHERE c.contype = 'f' AND c.connamespace = 'public'::regnamespace`,
  );
  const wanted = new Set(tables);
  const parentsOf = new Map<string, Set<string>>(tables.map((table) => [table, new Set()]));
  for (const { child, parent } of rows) {
    if (child !== parent && wanted.has(child) && wanted.has(parent)) parentsOf.get(child)!.add(parent);
  }
  // A table may go once nothing left to delete still references it.
  const order: string[] = [];
  const remaining = new Set(tables);
  while (remaining.size > 0) {
    const next = [...remaining].find(
      (table) => ![...remaining].some((other) => other !== table && parentsOf.get(other)!.has(table)),
    );
    if (next === undefined) throw new Error(`Foreign keys form a cycle among ${[...remaining].join(', ')}`);
    order.push(next);
    remaining.delete(next);
  }
  return order;
}
