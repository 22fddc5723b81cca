/**
 * What an erasure is about to do, counted before it starts, per category and outcome: the content
 * of the deletion receipt. Counted once and stored with the request, so a run resumed after a crash
 * still reports what there was, not what the first run left.
 */
import path from 'node:path';
import type pg from 'pg';
import type { StoredErasureReceipt } from '../../db/schema/index.js';
import { DATA_CATEGORIES, DATA_TABLES } from '../datamap.js';
import type { DataCategory, ErasureRule } from '../datamap-types.js';
import type { TableErasure } from './erasure-plan.js';
import { filesIn, mailFilesTo, userFolders } from './user-folders.js';

type Line = StoredErasureReceipt['categories'][number];
type Action = Line['action'];

/**
 * What the receipt says a category's rule did. Rows kept for a legal obligation are pseudonymised
 * even when no column of theirs is emptied: they stay linked only to the pseudonymised user row.
 */
const ACTIONS: Record<ErasureRule, Action> = {
  delete: 'deleted',
  pseudonymise: 'pseudonymised',
  keep_until_period_ends: 'kept',
};

const categories = DATA_CATEGORIES as readonly DataCategory[];

function hasSealedContent(categoryId: string): boolean {
  return DATA_TABLES.some(
    (map) =>
      map.category === categoryId &&
      Object.values(map.columns).some((role) => role.role === 'personal' && role.sealed !== undefined),
  );
}

function keptFor(category: DataCategory): string {
  const obligations = category.purposes.filter((purpose) => purpose.basis !== 'contract');
  const reasons = (obligations.length > 0 ? obligations : category.purposes).map(
    (purpose) => purpose.description,
  );
  return `Kept for: ${reasons.join('; ')}. ${category.retention.description}`;
}

function why(category: DataCategory, action: Action, detail?: string): string {
  if (detail) return detail;
  if (action === 'deleted') {
    return hasSealedContent(category.id)
      ? 'Deleted. The key that encrypted it was destroyed, so any copy left in a backup cannot be read (crypto-shredding).'
      : 'Deleted.';
  }
  if (action === 'pseudonymised') {
    return `${keptFor(category)} It stays linked only to the pseudonymised account, without your name or e-mail address.`;
  }
  return keptFor(category);
}

async function count(pool: pg.Pool, table: string, userRows: string, userId: string): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM "${table}" WHERE (${userRows})`,
    [userId],
  );
  return rows[0]!.n;
}

export async function countErasure(
  pool: pg.Pool,
  input: { plan: TableErasure[]; userId: string; email: string; dataDir: string; now: Date },
): Promise<StoredErasureReceipt> {
  const lines = new Map<string, Line>();
  const add = (
    categoryId: string,
    action: Action,
    table: string | null,
    rows: number,
    files: number,
    detail?: string,
  ) => {
    const category = categories.find((candidate) => candidate.id === categoryId)!;
    const key = `${categoryId}:${action}`;
    const line = lines.get(key) ?? {
      id: category.id,
      name: category.name,
      action,
      tables: [],
      rows: 0,
      files: 0,
      why: why(category, action, detail),
    };
    if (table && !line.tables.includes(table)) line.tables.push(table);
    line.rows += rows;
    line.files += files;
    lines.set(key, line);
  };

  for (const step of input.plan) {
    const { map } = step;
    if (map.userRows === null) continue;
    if (map.table === 'organisations') {
      const { rows } = await pool.query<{ others: number }>(
        `SELECT (SELECT count(*)::int FROM organisation_members m WHERE m.organisation_id = o.id AND m.user_id <> $1) AS others
           FROM organisations o WHERE o.created_by = $1`,
        [input.userId],
      );
      const used = rows.filter((row) => row.others > 0).length;
      if (rows.length - used > 0)
        add(map.category, 'pseudonymised', map.table, rows.length - used, 0, map.erasedBy);
      if (used > 0) {
        add(
          map.category,
          'kept',
          map.table,
          used,
          0,
          'Organisations you created that other members still use stay theirs.',
        );
      }
      continue;
    }
    const rows = await count(pool, map.table, map.userRows, input.userId);
    if (map.table === 'users') add(map.category, 'pseudonymised', map.table, rows, 0, map.erasedBy);
    else if (map.table === 'user_data_keys') add(map.category, 'deleted', map.table, rows, 0, map.erasedBy);
    else add(map.category, ACTIONS[step.category.erasure], map.table, rows, 0);
  }
  // Folders are named by their DATA_FILES path without the owner ("studio/"), so the receipt names no one.
  for (const folder of await userFolders(pool, input.userId)) {
    const files = (await filesIn(path.join(input.dataDir, ...folder.location.split('/')))).length;
    add(folder.category, 'deleted', `${folder.location.split('/')[0]}/`, 0, files);
  }
  add('mail', 'deleted', 'mail/', 0, (await mailFilesTo(input.dataDir, input.email)).length);

  const order = (line: Line) => categories.findIndex((category) => category.id === line.id);
  return {
    countedAt: input.now.toISOString(),
    categories: [...lines.values()].sort((a, b) => order(a) - order(b)),
  };
}
