import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/test-database.js';
import { SETTINGS } from '../config.js';
import { DATA_CATEGORIES, DATA_FILES, DATA_TABLES, NON_PERSONAL_TABLES } from './datamap.js';
import { RETENTION_SETTINGS } from './datamap-types.js';

const database = await createTestDatabase();

/** Every table and column of the migrated schema, as PostgreSQL itself reports them. */
async function schemaColumns(): Promise<Map<string, string[]>> {
  const { rows } = await database.pool.query<{ table_name: string; column_name: string }>(
    `SELECT c.table_name, c.column_name
       FROM information_schema.columns c
       JOIN information_schema.tables t USING (table_schema, table_name)
      WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'
      ORDER BY c.table_name, c.ordinal_position`,
  );
  const tables = new Map<string, string[]>();
  for (const row of rows)
    tables.set(row.table_name, [...(tables.get(row.table_name) ?? []), row.column_name]);
  return tables;
}

describe('the data map against the database schema', () => {
  it('accounts for every table: mapped as personal data, or declared free of it with a reason', async () => {
    const tables = [...(await schemaColumns()).keys()];
    const mapped = new Set(DATA_TABLES.map((table) => table.table));
    const declared = new Set(NON_PERSONAL_TABLES.map((table) => table.table));
    const unaccounted = tables.filter((table) => !mapped.has(table) && !declared.has(table));
    expect(unaccounted, 'tables missing from src/privacy/datamap.ts').toEqual([]);
    expect(
      [...mapped].filter((table) => declared.has(table)),
      'mapped and declared non-personal',
    ).toEqual([]);
    const stale = [...mapped, ...declared].filter((table) => !tables.includes(table));
    expect(stale, 'tables in the data map that the database does not have').toEqual([]);
  });

  it('classifies every column of every mapped table, and no column the table lacks', async () => {
    const tables = await schemaColumns();
    const problems: string[] = [];
    for (const map of DATA_TABLES) {
      const columns = tables.get(map.table) ?? [];
      for (const column of columns) {
        if (!(column in map.columns)) problems.push(`${map.table}.${column} is not in the data map`);
      }
      for (const column of Object.keys(map.columns)) {
        if (!columns.includes(column)) problems.push(`${map.table}.${column} is mapped but does not exist`);
      }
    }
    expect(problems).toEqual([]);
  });

  it("selects a person's rows with a predicate PostgreSQL accepts, through a subject column", async () => {
    for (const map of DATA_TABLES) {
      expect(
        Object.values(map.columns).some((column) => column.role === 'subject'),
        `${map.table} has a subject column`,
      ).toBe(true);
      if (map.userRows === null) continue;
      const { rows } = await database.pool.query(
        `SELECT count(*)::int AS n FROM ${map.table} WHERE (${map.userRows})`,
        [randomUUID()],
      );
      expect(rows[0].n, map.table).toBe(0);
    }
  });
});

describe('the data map itself', () => {
  const categoryIds = new Set<string>(DATA_CATEGORIES.map((category) => category.id));

  it('names only categories it defines, and every category holds data somewhere', () => {
    const used = new Set<string>();
    for (const map of DATA_TABLES) {
      expect(categoryIds.has(map.category), `${map.table}: ${map.category}`).toBe(true);
      for (const [column, role] of Object.entries(map.columns)) {
        if (role.role !== 'personal') continue;
        const category = role.category ?? map.category;
        expect(categoryIds.has(category), `${map.table}.${column}: ${category}`).toBe(true);
        used.add(category);
      }
    }
    for (const file of DATA_FILES) {
      expect(categoryIds.has(file.category), file.path).toBe(true);
      used.add(file.category);
    }
    expect([...categoryIds].filter((id) => !used.has(id))).toEqual([]);
  });

  it('gives every category a purpose, a legal basis, a source, recipients and a retention period that exists', () => {
    for (const category of DATA_CATEGORIES) {
      expect(category.purposes.length, category.id).toBeGreaterThan(0);
      expect(category.source.length, category.id).toBeGreaterThan(0);
      expect(category.recipients.length, category.id).toBeGreaterThan(0);
      const setting =
        category.retention.kind === 'setting'
          ? category.retention.setting
          : category.retention.kind === 'until_deleted'
            ? category.retention.graceSetting
            : null;
      if (setting) expect(setting in SETTINGS, setting).toBe(true);
    }
    for (const setting of RETENTION_SETTINGS) expect(setting in SETTINGS, setting).toBe(true);
  });
});
