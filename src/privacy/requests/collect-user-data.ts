/**
 * Everything the data map says Mixgate keeps about one person, read for the access export (Art. 15)
 * in a portable form (Art. 20): per exported category, the rows of its tables with the columns the
 * person receives (sealed content opened), and the files of their folders, opened.
 */
import path from 'node:path';
import { z } from 'zod';
import type { AppContext } from '../../app-context.js';
import { contentField, openJson, openText, type Sealed } from '../content-cipher.js';
import { readSealedFile } from '../content-files.js';
import { dataKeyFor } from '../content-keys.js';
import { type DataCategory, LEGAL_BASES, RECIPIENTS, type TableMap } from '../datamap-types.js';
import { EXPORTED_CATEGORIES, exportedColumns, exportValue, tablesOfCategory } from './export-schema.js';
import { filesIn, userFolders } from './user-folders.js';

export interface CategoryFile {
  category: string;
  name: string;
  description: string;
  purposes: Array<{ description: string; legalBasis: string }>;
  legalBasis: string[];
  source: string;
  recipients: string[];
  retention: string;
  tables: Record<string, Array<Record<string, unknown>>>;
}

export interface UserData {
  /** One per exported category that holds at least one row for the person. */
  categories: CategoryFile[];
  /** Opened files, with their path inside the archive (`files/…`). */
  files: Array<{ path: string; data: Buffer; category: string }>;
}

type ExportContext = Pick<AppContext, 'db' | 'pool' | 'masterKey' | 'config'>;

export async function collectUserData(ctx: ExportContext, userId: string): Promise<UserData> {
  let key: Buffer | undefined;
  const userKey = async () => {
    key ??= await dataKeyFor(ctx, userId);
    return key;
  };
  const categories: CategoryFile[] = [];
  for (const category of EXPORTED_CATEGORIES) {
    const tables: CategoryFile['tables'] = {};
    for (const map of tablesOfCategory(category.id)) {
      const rows = await tableRows(ctx, map, userId, userKey);
      if (rows.length > 0) tables[map.table] = rows;
    }
    if (Object.keys(tables).length > 0) categories.push({ ...describeCategory(ctx, category), tables });
  }
  const files: UserData['files'] = [];
  for (const folder of await userFolders(ctx.pool, userId)) {
    if (!folder.exported) continue;
    // studio/<user id>/a.png -> files/studio/a.png: the person's own id says nothing in their archive.
    const inArchive = ['files', ...folder.location.split('/').filter((part) => part !== userId)].join('/');
    for (const name of await filesIn(path.join(ctx.config.dataDir, ...folder.location.split('/')))) {
      const data = await readSealedFile(ctx.config.dataDir, `${folder.location}/${name}`, await userKey());
      files.push({ path: `${inArchive}/${name}`, data, category: folder.category });
    }
  }
  return { categories, files };
}

function describeCategory(ctx: ExportContext, category: DataCategory): Omit<CategoryFile, 'tables'> {
  const retention = category.retention;
  const setting =
    retention.kind === 'setting'
      ? retention.setting
      : retention.kind === 'until_deleted'
        ? retention.graceSetting
        : null;
  return {
    category: category.id,
    name: category.name,
    description: category.description,
    purposes: category.purposes.map((purpose) => ({
      description: purpose.description,
      legalBasis: LEGAL_BASES[purpose.basis],
    })),
    legalBasis: [...new Set(category.purposes.map((purpose) => LEGAL_BASES[purpose.basis]))],
    source: category.source,
    recipients: category.recipients.map((recipient) => RECIPIENTS[recipient]),
    retention: setting ? `${retention.description} (${ctx.config[setting]} days)` : retention.description,
  };
}

// The map's predicates and column names are constants of this code base, never input.
async function tableRows(
  ctx: ExportContext,
  map: TableMap,
  userId: string,
  userKey: () => Promise<Buffer>,
): Promise<Array<Record<string, unknown>>> {
  const columns = exportedColumns(map);
  const hasId = 'id' in map.columns;
  const sealed = columns.some((column) => column.sealed);
  if (sealed && !hasId) throw new Error(`${map.table} has sealed columns but no id to open them with`);
  const list = columns.map((column) => `"${column.name}"`);
  if (hasId) list.push('"id" AS "__row_id"');
  const { rows } = await ctx.pool.query<Record<string, unknown>>(
    `SELECT ${list.join(', ')} FROM "${map.table}" WHERE (${map.userRows})${hasId ? ' ORDER BY "id"' : ''}`,
    [userId],
  );
  const result: Array<Record<string, unknown>> = [];
  for (const row of rows) {
    const item: Record<string, unknown> = {};
    for (const column of columns) {
      const value = row[column.name];
      if (column.sealed && typeof value === 'string') {
        const field = contentField(map.table, column.name, String(row.__row_id));
        item[column.name] =
          column.sealed === 'json'
            ? openJson(await userKey(), value as Sealed<unknown>, field, z.unknown())
            : openText(await userKey(), value as Sealed<string>, field);
      } else {
        item[column.name] = exportValue(value);
      }
    }
    result.push(item);
  }
  return result;
}
