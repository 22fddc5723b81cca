/**
 * The startup pass that seals content stored before encryption: rows marked "p0." by migration
 * 0011, and files under DATA_DIR/studio and DATA_DIR/outputs written in plaintext. Run by `serve`
 * before it listens; idempotent and safe to run on several instances at once (a row is updated
 * only while it still holds the plaintext that was read, a file is replaced by a rename).
 *
 * Rows are found through each table's partial index on its marker column, so once everything is
 * sealed the pass costs one empty index lookup per table. The file pass leaves a marker file when
 * it found nothing left to seal, and is skipped from then on.
 */
import { access, mkdir, open, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import type { Config } from '../config.js';
import { jobOutputLocation } from '../gateway/jobs/job-outputs.js';
import { isMixgateError } from '../lib/errors.js';
import { outputFileLocation } from '../studio/output-files.js';
import {
  contentField,
  hasSealedFileHeader,
  isLegacy,
  openText,
  SEALED_FILE_OVERHEAD,
  type Sealed,
  sealText,
} from './content-cipher.js';
import { contentFilePath, isTemporaryFile, sealFileInPlace } from './content-files.js';
import { dataKeyFor, type KeyContext } from './content-keys.js';

export type LegacyPassContext = KeyContext & { config: Pick<Config, 'dataDir'> };

export interface LegacyPassResult {
  rows: number;
  files: number;
  /** Rows or files left as they were: their owner's key was destroyed, or their owner is unknown. */
  skipped: number;
}

interface LegacyTable {
  table: string;
  /** SQL giving the owner's user id of a row. */
  owner: string;
  /** The content columns; the first is the marker the partial index covers. */
  columns: [string, ...string[]];
}

const LEGACY_TABLES: LegacyTable[] = [
  { table: 'conversations', owner: 'user_id', columns: ['title'] },
  {
    table: 'conversation_messages',
    owner: '(SELECT c.user_id FROM conversations c WHERE c.id = conversation_id)',
    columns: ['content', 'attachments'],
  },
  { table: 'output_reports', owner: 'user_id', columns: ['details'] },
  { table: 'studio_outputs', owner: 'user_id', columns: ['prompt'] },
  { table: 'gateway_jobs', owner: 'user_id', columns: ['input'] },
];

/** The file that says every content file was sealed (DATA_DIR/content-files-sealed). */
export const FILES_SEALED_MARKER = 'content-files-sealed';

export async function sealLegacyContent(
  ctx: LegacyPassContext,
  options: { batchSize?: number; log?: (message: string) => void } = {},
): Promise<LegacyPassResult> {
  const result: LegacyPassResult = { rows: 0, files: 0, skipped: 0 };
  for (const table of LEGACY_TABLES) await sealLegacyRows(ctx, table, options.batchSize ?? 100, result);
  await sealLegacyFiles(ctx, result, options.log);
  if (result.rows + result.files + result.skipped > 0) {
    options.log?.(
      `sealed content stored before encryption: ${result.rows} row(s), ${result.files} file(s)` +
        (result.skipped > 0 ? `; ${result.skipped} left unsealed (owner erased or unknown)` : ''),
    );
  }
  return result;
}

type LegacyRow = Record<string, string | null> & { id: string; owner: string | null };

async function sealLegacyRows(
  ctx: LegacyPassContext,
  { table, owner, columns }: LegacyTable,
  batchSize: number,
  result: LegacyPassResult,
): Promise<void> {
  const marker = columns[0];
  const selected = columns.map((column) => `"${column}"`).join(', ');
  let after: string | null = null;
  for (;;) {
    // Identifiers come from LEGACY_TABLES above, never from input.
    const { rows }: { rows: LegacyRow[] } = await ctx.db.execute<LegacyRow>(
      sql`SELECT id::text AS id, ${sql.raw(owner)}::text AS owner, ${sql.raw(selected)}
            FROM ${sql.raw(`"${table}"`)}
           WHERE ${sql.raw(`"${marker}"`)} LIKE 'p0.%' ${after === null ? sql`` : sql`AND id > ${after}`}
           ORDER BY id LIMIT ${batchSize}`,
    );
    if (rows.length === 0) return;
    after = rows.at(-1)!.id;
    await ctx.db.transaction(async (tx) => {
      for (const row of rows) {
        const key = row.owner === null ? null : await ownerKey(ctx, row.owner);
        if (key === null) {
          result.skipped += 1;
          continue;
        }
        const sealed = columns.map((column) => {
          const value = row[column] ?? null;
          if (value === null || !isLegacy(value)) return sql`${sql.raw(`"${column}"`)}`;
          const field = contentField(table, column, row.id);
          return sql`${sealText(key, openText(key, value as Sealed<string>, field), field) as string}`;
        });
        const assignments = sql.join(
          columns.map((column, index) => sql`${sql.raw(`"${column}"`)} = ${sealed[index]}`),
          sql`, `,
        );
        // Only while it still holds what was read: a concurrent pass may have sealed it already.
        const updated = await tx.execute(
          sql`UPDATE ${sql.raw(`"${table}"`)} SET ${assignments}
               WHERE id = ${row.id} AND ${sql.raw(`"${marker}"`)} = ${row[marker]!}`,
        );
        if ((updated.rowCount ?? 0) > 0) result.rows += 1;
      }
    });
    if (rows.length < batchSize) return;
  }
}

/** The owner's key, or null when their content was erased (their plaintext is left for the erasure to delete). */
async function ownerKey(ctx: KeyContext, userId: string): Promise<Buffer | null> {
  try {
    return await dataKeyFor(ctx, userId);
  } catch (error) {
    if (isMixgateError(error) && error.code === 'content_erased') return null;
    throw error;
  }
}

async function sealLegacyFiles(
  ctx: LegacyPassContext,
  result: LegacyPassResult,
  log: ((message: string) => void) | undefined,
): Promise<void> {
  const dataDir = ctx.config.dataDir;
  const marker = path.join(dataDir, FILES_SEALED_MARKER);
  if (await exists(marker)) return;
  const skippedBefore = result.skipped;
  for (const userId of await entries(path.join(dataDir, 'studio'), 'folders')) {
    const key = (await userExists(ctx, userId)) ? await ownerKey(ctx, userId) : null;
    await sealFolder(dataDir, `studio/${userId}`, key, (file) => outputFileLocation(userId, file), result);
  }
  for (const jobId of await entries(path.join(dataDir, 'outputs'), 'folders')) {
    const owner = await jobOwner(ctx, jobId);
    const key = owner === null ? null : await ownerKey(ctx, owner);
    await sealFolder(dataDir, `outputs/${jobId}`, key, (file) => jobOutputLocation(jobId, file), result);
  }
  if (result.skipped > skippedBefore) return;
  try {
    await mkdir(dataDir, { recursive: true });
    await writeFile(marker, `${new Date().toISOString()}\n`, { mode: 0o600 });
  } catch (error) {
    // Only a shortcut for the next start: without it the files are looked at again.
    log?.(`could not write ${marker}: ${(error as Error).message}`);
  }
}

async function sealFolder(
  dataDir: string,
  folder: string,
  key: Buffer | null,
  locationOf: (file: string) => string,
  result: LegacyPassResult,
): Promise<void> {
  for (const file of await entries(contentFilePath(dataDir, folder), 'files')) {
    // An unfinished write of this version: sealed already, and not ours to touch.
    if (isTemporaryFile(file)) continue;
    let location: string;
    try {
      location = locationOf(file);
    } catch {
      result.skipped += 1;
      continue;
    }
    if (await startsSealed(contentFilePath(dataDir, location))) continue;
    if (key === null) {
      result.skipped += 1;
      continue;
    }
    if (await sealFileInPlace(dataDir, location, key)) result.files += 1;
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A folder named after a user who is gone (or no user at all) has no key: its files are left as they are. */
async function userExists(ctx: KeyContext, userId: string): Promise<boolean> {
  if (!UUID.test(userId)) return false;
  const { rows } = await ctx.db.execute(sql`SELECT 1 FROM users WHERE id = ${userId}`);
  return rows.length > 0;
}

async function jobOwner(ctx: KeyContext, jobId: string): Promise<string | null> {
  const { rows } = await ctx.db.execute<{ user_id: string }>(
    sql`SELECT user_id::text AS user_id FROM gateway_jobs WHERE id = ${jobId}`,
  );
  return rows[0]?.user_id ?? null;
}

/** Reads the header only: a pass over many sealed files does not read them whole. */
async function startsSealed(file: string): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    if (size < SEALED_FILE_OVERHEAD) return false;
    const head = Buffer.alloc(SEALED_FILE_OVERHEAD);
    await handle.read(head, 0, head.length, 0);
    return hasSealedFileHeader(head);
  } finally {
    await handle.close();
  }
}

/** The folders or the files in `folder`, by name; none when it does not exist. */
async function entries(folder: string, kind: 'folders' | 'files'): Promise<string[]> {
  try {
    const found = await readdir(folder, { withFileTypes: true });
    return found
      .filter((entry) => (kind === 'folders' ? entry.isDirectory() : entry.isFile()))
      .map((entry) => entry.name)
      .sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}
