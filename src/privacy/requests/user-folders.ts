/**
 * A person's folders under the data directory, read from the data map's DATA_FILES: each path with
 * an owner placeholder (`<user>`, `<job>`) becomes the folders of this person. The export copies
 * their files; the erasure deletes them. `mail/` names no owner: its files are found by recipient.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type pg from 'pg';
import { isTemporaryFile } from '../content-files.js';
import { DATA_FILES } from '../datamap.js';
import { mailRecipient } from '../retention/retention-rules.js';

export interface UserFolder {
  /** Relative to the data directory, with forward slashes and no trailing slash: `studio/<id>`. */
  location: string;
  category: string;
  what: string;
  exported: boolean;
}

/** What each placeholder stands for, for one person. */
const PLACEHOLDERS: Record<string, (pool: pg.Pool, userId: string) => Promise<string[]>> = {
  '<user>': async (_pool, userId) => [userId],
  '<job>': async (pool, userId) =>
    (await pool.query<{ id: string }>('SELECT id FROM gateway_jobs WHERE user_id = $1', [userId])).rows.map(
      (row) => row.id,
    ),
};

export async function userFolders(pool: pg.Pool, userId: string): Promise<UserFolder[]> {
  const folders: UserFolder[] = [];
  for (const store of DATA_FILES) {
    const placeholder = /<[a-z]+>/.exec(store.path)?.[0];
    if (placeholder === undefined) continue;
    const resolve = PLACEHOLDERS[placeholder];
    if (!resolve) throw new Error(`DATA_FILES path ${store.path}: no owner is known for ${placeholder}`);
    for (const id of await resolve(pool, userId)) {
      folders.push({
        location: store.path.replace(placeholder, id).replace(/\/$/, ''),
        category: store.category,
        what: store.what,
        exported: store.exported !== false,
      });
    }
  }
  return folders;
}

/** The finished files of a folder (not a writer's unfinished temporaries); none when it does not exist. */
export async function filesIn(directory: string): Promise<string[]> {
  try {
    const entries = await readdir(directory, { withFileTypes: true });
    return entries
      .filter((entry) => entry.isFile() && !isTemporaryFile(entry.name))
      .map((entry) => entry.name)
      .sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/** The mail files (DATA_DIR/mail, kept when no SMTP server is configured) addressed to `email`. */
export async function mailFilesTo(dataDir: string, email: string): Promise<string[]> {
  const directory = path.join(dataDir, 'mail');
  const found: string[] = [];
  for (const name of await filesIn(directory)) {
    if (!name.endsWith('.eml')) continue;
    const file = path.join(directory, name);
    if ((await mailRecipient(file).catch(() => null)) === email.toLowerCase()) found.push(file);
  }
  return found;
}
