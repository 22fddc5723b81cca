/**
 * The instance master key seals every user's data key (content-keys.ts) and a few secrets of its
 * own (TOTP secrets, job webhook secrets). Rotating it (`mixgate keys rotate-master`) re-seals all
 * of them under a new key in one transaction. A backup taken before keeps what the old key
 * sealed: once the old key file is destroyed too, an erased user's data key in that backup can no
 * longer be opened by anyone.
 *
 * Instances hold the master key in memory, so every instance is stopped before a rotation and
 * started with the new key after it; `checkMasterKey` refuses to start with a key that sealed none
 * of the data keys.
 */
import { sql } from 'drizzle-orm';
import { totpSealContext } from '../accounts/two-factor.js';
import type { Db } from '../db/database.js';
import type { DbTransaction } from '../db/transaction.js';
import { webhookSecretContext } from '../gateway/jobs/job-webhook.js';
import { decrypt, encrypt } from '../lib/crypto.js';
import { masterKeyId } from './content-keys.js';

/** A column of values sealed directly with the master key, and what each value is bound to. */
interface MasterSealedColumn {
  table: string;
  column: string;
  context: (rowId: string) => string;
  /** Extra assignments when a value is re-sealed (the data keys record which master key sealed them). */
  alsoSet?: (newKeyId: string) => ReturnType<typeof sql>;
}

/**
 * Every value sealed with the master key. A new one must be added here, or a rotation leaves it
 * sealed with a key that is then thrown away.
 */
export const MASTER_SEALED_COLUMNS: readonly MasterSealedColumn[] = [
  {
    table: 'user_data_keys',
    column: 'key_sealed',
    context: (userId) => `user-data-key:${userId}`,
    alsoSet: (newKeyId) => sql`, master_key_id = ${newKeyId}, rotated_at = now()`,
  },
  { table: 'users', column: 'totp_secret_sealed', context: totpSealContext },
  { table: 'gateway_jobs', column: 'webhook_secret', context: webhookSecretContext },
];

const ID_COLUMN: Record<string, string> = { user_data_keys: 'user_id' };
const BATCH = 1_000;

export class MasterKeyMismatchError extends Error {}

/**
 * Refuses a master key that sealed none of the data keys (the wrong key, or a rotation that was
 * not followed by a restart with the new key): nothing sealed could be read. Returns how many data
 * keys this key cannot open (sealed by another key), for the start-up log.
 */
export async function checkMasterKey(db: Db, masterKey: Buffer): Promise<{ foreign: number }> {
  const { rows } = await db.execute<{ master_key_id: string; n: number }>(
    sql`SELECT master_key_id, count(*)::int AS n FROM user_data_keys
         WHERE key_sealed IS NOT NULL GROUP BY master_key_id`,
  );
  const current = masterKeyId(masterKey);
  const foreign = rows.filter((row) => row.master_key_id !== current).reduce((sum, row) => sum + row.n, 0);
  if (rows.length > 0 && rows.every((row) => row.master_key_id !== current)) {
    throw new MasterKeyMismatchError(
      `The master key (${current}) did not seal any of the ${foreign} data key(s) in the database ` +
        `(sealed by ${rows.map((row) => row.master_key_id).join(', ')}). Start with the key that did: ` +
        'after `mixgate keys rotate-master`, the new MIXGATE_MASTER_KEY or DATA_DIR/master.key.',
    );
  }
  return { foreign };
}

export interface RotationCounts {
  /** Re-sealed values per table.column. */
  resealed: Record<string, number>;
}

/**
 * Re-seals every master-sealed value from `oldKey` to `newKey` in one transaction; nothing changes
 * when one of them does not open with `oldKey`. The tables are locked against writes meanwhile, so
 * no value sealed with the old key can slip in.
 */
export async function rotateMasterKey(db: Db, oldKey: Buffer, newKey: Buffer): Promise<RotationCounts> {
  if (oldKey.equals(newKey)) throw new Error('The new master key is the current one');
  const newKeyId = masterKeyId(newKey);
  return db.transaction(async (tx) => {
    const tables = [...new Set(MASTER_SEALED_COLUMNS.map((sealed) => sealed.table))];
    await tx.execute(
      sql.raw(`LOCK TABLE ${tables.map((table) => `"${table}"`).join(', ')} IN SHARE ROW EXCLUSIVE MODE`),
    );
    const resealed: Record<string, number> = {};
    for (const sealed of MASTER_SEALED_COLUMNS) {
      resealed[`${sealed.table}.${sealed.column}`] = await resealColumn(tx, sealed, oldKey, newKey, newKeyId);
    }
    return { resealed };
  });
}

async function resealColumn(
  tx: DbTransaction,
  sealed: MasterSealedColumn,
  oldKey: Buffer,
  newKey: Buffer,
  newKeyId: string,
): Promise<number> {
  // Identifiers come from MASTER_SEALED_COLUMNS, never from input.
  const table = sql.raw(`"${sealed.table}"`);
  const column = sql.raw(`"${sealed.column}"`);
  const id = sql.raw(`"${ID_COLUMN[sealed.table] ?? 'id'}"`);
  let count = 0;
  let after: string | null = null;
  for (;;) {
    const { rows }: { rows: Array<{ id: string; value: string }> } = await tx.execute<{
      id: string;
      value: string;
    }>(
      sql`SELECT ${id}::text AS id, ${column} AS value FROM ${table}
           WHERE ${column} IS NOT NULL ${after === null ? sql`` : sql`AND ${id} > ${after}`}
           ORDER BY ${id} LIMIT ${BATCH}`,
    );
    for (const row of rows) {
      let plaintext: Buffer;
      try {
        plaintext = decrypt(oldKey, row.value, sealed.context(row.id));
      } catch {
        throw new MasterKeyMismatchError(
          `${sealed.table}.${sealed.column} of ${row.id} does not open with the current master key: nothing was rotated`,
        );
      }
      const value = encrypt(newKey, plaintext, sealed.context(row.id));
      await tx.execute(
        sql`UPDATE ${table} SET ${column} = ${value}${sealed.alsoSet?.(newKeyId) ?? sql``} WHERE ${id} = ${row.id}`,
      );
      count += 1;
    }
    if (rows.length < BATCH) return count;
    after = rows.at(-1)!.id;
  }
}
