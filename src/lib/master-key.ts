import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * The instance master key: MIXGATE_MASTER_KEY when set, else DATA_DIR/master.key, generated on
 * first start with mode 0600. Losing it makes every sealed secret unreadable, so it is never
 * regenerated over an existing file.
 */
export async function loadMasterKey(options: { configured?: string; dataDir: string }): Promise<Buffer> {
  if (options.configured) return decodeKey(options.configured, 'MIXGATE_MASTER_KEY');
  const file = path.join(options.dataDir, 'master.key');
  try {
    return decodeKey((await readFile(file, 'utf8')).trim(), file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await mkdir(options.dataDir, { recursive: true });
  const key = randomBytes(32);
  try {
    await writeFile(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    return key;
  } catch (error) {
    // Another process (the CLI next to the server) created it first: use theirs.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return decodeKey((await readFile(file, 'utf8')).trim(), file);
  }
}

function decodeKey(text: string, source: string): Buffer {
  const key = Buffer.from(text, text.includes('-') || text.includes('_') ? 'base64url' : 'base64');
  if (key.length !== 32) throw new Error(`${source} must hold 32 bytes in base64 (found ${key.length})`);
  return key;
}
