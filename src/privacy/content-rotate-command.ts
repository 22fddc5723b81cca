/**
 * `mixgate keys rotate-master`: a new master key (MIXGATE_NEW_MASTER_KEY, or 32 random bytes),
 * every master-sealed value re-sealed with it (content-master-key.ts), then the key put where the
 * instances read it. With DATA_DIR/master.key, the new key is written to master.key.next before
 * the database changes, and moved into place (the old one kept as master.key.previous-<time>)
 * after it committed: a crash in between leaves both files, never a database whose key is lost.
 * With MIXGATE_MASTER_KEY configured nothing is written: the command prints what to set instead.
 */
import { randomBytes } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config.js';
import type { Db } from '../db/database.js';
import { loadMasterKey } from '../lib/master-key.js';
import { masterKeyId } from './content-keys.js';
import { rotateMasterKey } from './content-master-key.js';

export interface RotateMasterContext {
  config: Pick<Config, 'dataDir' | 'MIXGATE_MASTER_KEY' | 'MIXGATE_NEW_MASTER_KEY'>;
  db: Db;
  masterKey: Buffer;
  now: () => Date;
}

type Output = Pick<Console, 'log' | 'error'>;

export async function rotateMasterKeyCommand(ctx: RotateMasterContext, out: Output): Promise<number> {
  const { config } = ctx;
  const newKey = config.MIXGATE_NEW_MASTER_KEY
    ? await loadMasterKey({ configured: config.MIXGATE_NEW_MASTER_KEY, dataDir: config.dataDir })
    : randomBytes(32);
  if (newKey.equals(ctx.masterKey)) {
    out.error('MIXGATE_NEW_MASTER_KEY is the current master key: nothing to rotate.');
    return 1;
  }
  const inFile = !config.MIXGATE_MASTER_KEY;
  const keyFile = path.join(config.dataDir, 'master.key');
  const nextFile = `${keyFile}.next`;
  if (inFile) {
    try {
      await writeFile(nextFile, `${newKey.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      out.error(
        `${nextFile} exists: an earlier rotation did not finish. If the instances fail to start with ` +
          `${keyFile}, it is the key the database was rotated to: move it to ${keyFile}. Otherwise delete it.`,
      );
      return 1;
    }
  }
  let resealed: Record<string, number>;
  try {
    ({ resealed } = await rotateMasterKey(ctx.db, ctx.masterKey, newKey));
  } catch (error) {
    if (inFile) await rm(nextFile, { force: true });
    out.error(`Nothing was rotated: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
  out.log(
    `Master key rotated from ${masterKeyId(ctx.masterKey)} to ${masterKeyId(newKey)}: ` +
      `${resealed['user_data_keys.key_sealed'] ?? 0} user data key(s), ` +
      `${resealed['users.totp_secret_sealed'] ?? 0} two-factor secret(s) and ` +
      `${resealed['gateway_jobs.webhook_secret'] ?? 0} job webhook secret(s) re-sealed.`,
  );
  if (inFile) {
    const previous = `${keyFile}.previous-${ctx
      .now()
      .toISOString()
      .replace(/[-:]|\.\d+/g, '')}`;
    await rename(keyFile, previous);
    await rename(nextFile, keyFile);
    out.log(`The new key is in ${keyFile}; the previous one was moved to ${previous}.`);
  } else {
    out.log('MIXGATE_MASTER_KEY is configured, so nothing was written. Set this on every instance instead:');
    out.log(`MIXGATE_MASTER_KEY=${newKey.toString('base64')}`);
  }
  out.log(
    'Restart every Mixgate instance now: they still hold the previous key. Keep the previous key only as ' +
      'long as backups made before now must stay readable, then destroy it: without it, those backups ' +
      "cannot be opened, erased users' data keys in them included.",
  );
  return 0;
}
