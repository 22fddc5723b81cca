/**
 * The shape of the access export's JSON files, generated from the data map (which columns a person
 * gets) and the drizzle schema (what type each column holds). The same zod schemas become the
 * archive's schema.json, so what the archive promises is what the code writes.
 */
import { is } from 'drizzle-orm';
import { getTableConfig, type PgColumn, PgTable } from 'drizzle-orm/pg-core';
import { z } from 'zod';
import * as schema from '../../db/schema/index.js';
import { DATA_CATEGORIES, DATA_TABLES } from '../datamap.js';
import type { ColumnRole, DataCategory, TableMap } from '../datamap-types.js';

const DRIZZLE_TABLES = new Map<string, PgTable>();
for (const value of Object.values(schema)) {
  if (is(value, PgTable)) DRIZZLE_TABLES.set(getTableConfig(value).name, value);
}

/** The categories that are part of the export (Art. 15, 20), in the map's order. */
export const EXPORTED_CATEGORIES: readonly DataCategory[] = (
  DATA_CATEGORIES as readonly DataCategory[]
).filter((category) => category.exported);

/** A column the person receives: it links a row to them, or is their personal data and no secret. */
export function isExportedColumn(role: ColumnRole): boolean {
  return role.role === 'subject' || (role.role === 'personal' && role.secret !== true);
}

export interface ExportedColumn {
  name: string;
  sealed?: 'text' | 'json';
}

export function exportedColumns(map: TableMap): ExportedColumn[] {
  return Object.entries(map.columns)
    .filter(([, role]) => isExportedColumn(role))
    .map(([name, role]) =>
      role.role === 'personal' && role.sealed ? { name, sealed: role.sealed } : { name },
    );
}

/**
 * The tables whose rows go into a category's file: mapped to it, reachable from a person, and with
 * something to tell them (a table of ids and key material only, such as user_data_keys, is not).
 */
export function tablesOfCategory(categoryId: string): TableMap[] {
  return DATA_TABLES.filter(
    (map) =>
      map.category === categoryId &&
      map.userRows !== null &&
      Object.values(map.columns).some((role) => role.role === 'personal' && role.secret !== true),
  );
}

function drizzleColumn(table: string, column: string): PgColumn {
  const definition = DRIZZLE_TABLES.get(table);
  const found =
    definition && getTableConfig(definition).columns.find((candidate) => candidate.name === column);
  if (!found) throw new Error(`The data map names ${table}.${column}, which the schema does not define`);
  return found;
}

/** How a value of this column is written to JSON (exportValue): int8 as a string of digits, instants in ISO 8601. */
function valueSchema(table: string, column: ExportedColumn): z.ZodType {
  const definition = drizzleColumn(table, column.name);
  const sqlType = definition.getSQLType();
  let value: z.ZodType;
  if (column.sealed === 'json') value = z.unknown();
  else if (column.sealed === 'text' || sqlType === 'text') value = z.string();
  else if (sqlType === 'uuid') value = z.guid();
  else if (sqlType.startsWith('timestamp')) value = z.iso.datetime({ offset: true });
  else if (sqlType === 'bigint' || sqlType === 'bigserial') value = z.string().regex(/^-?\d+$/);
  else if (sqlType === 'integer') value = z.int();
  else if (sqlType === 'boolean') value = z.boolean();
  else if (sqlType === 'jsonb') value = z.unknown();
  else if (sqlType === 'text[]') value = z.array(z.string());
  else throw new Error(`No export type for ${table}.${column.name} (${sqlType})`);
  return definition.notNull ? value : value.nullable();
}

function rowSchema(map: TableMap): z.ZodType {
  return z.strictObject(
    Object.fromEntries(exportedColumns(map).map((column) => [column.name, valueSchema(map.table, column)])),
  );
}

/** One `<category>.json` file. A table with no rows for the person is left out. */
export function categoryFileSchema(category: DataCategory): z.ZodType {
  return z.strictObject({
    category: z.literal(category.id),
    name: z.string(),
    description: z.string(),
    purposes: z.array(z.strictObject({ description: z.string(), legalBasis: z.string() })),
    legalBasis: z.array(z.string()).describe('Every legal basis the purposes rest on'),
    source: z.string(),
    recipients: z.array(z.string()),
    retention: z.string(),
    tables: z.strictObject(
      Object.fromEntries(
        tablesOfCategory(category.id).map((map) => [map.table, z.array(rowSchema(map)).optional()]),
      ),
    ),
  });
}

/** The archive's schema.json: a JSON Schema (draft 2020-12) for each JSON file, by file name. */
export function exportSchemaDocument(): Record<string, unknown> {
  return {
    description:
      'JSON Schema (draft 2020-12) of each JSON file of this archive, by file name. Numbers that may exceed what JSON readers hold exactly (ids, amounts in micros) are strings of digits; instants are ISO 8601 in UTC.',
    files: Object.fromEntries(
      EXPORTED_CATEGORIES.map((category) => [
        `${category.id}.json`,
        z.toJSONSchema(categoryFileSchema(category), { unrepresentable: 'any' }),
      ]),
    ),
  };
}

/** A database value as the schema above describes it. */
export function exportValue(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'bigint') return value.toString();
  if (Buffer.isBuffer(value)) return value.toString('base64');
  return value;
}
