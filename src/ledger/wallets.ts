import { sql } from 'drizzle-orm';
import type { DbOrTransaction } from '../db/transaction.js';
import type { WalletOwner } from './system-accounts.js';

/** The ledger account id of a wallet, created (empty) on first use. */
export async function ensureWallet(db: DbOrTransaction, owner: WalletOwner): Promise<number> {
  // A second try covers a concurrent creation that committed after this statement's snapshot.
  for (let attempt = 0; attempt < 2; attempt++) {
    const id = await insertOrFindWallet(db, owner);
    if (id !== undefined) return id;
  }
  throw new Error('wallet could not be created');
}

async function insertOrFindWallet(db: DbOrTransaction, owner: WalletOwner): Promise<number | undefined> {
  const result = owner.organisationId
    ? await db.execute<{ id: string }>(sql`
        WITH created AS (
          INSERT INTO ledger_accounts (kind, organisation_id) VALUES ('organisation_wallet', ${owner.organisationId})
          ON CONFLICT (organisation_id) DO NOTHING RETURNING id)
        SELECT id FROM created UNION ALL
        SELECT id FROM ledger_accounts WHERE organisation_id = ${owner.organisationId}`)
    : await db.execute<{ id: string }>(sql`
        WITH created AS (
          INSERT INTO ledger_accounts (kind, user_id) VALUES ('user_wallet', ${owner.userId})
          ON CONFLICT (user_id) DO NOTHING RETURNING id)
        SELECT id FROM created UNION ALL
        SELECT id FROM ledger_accounts WHERE user_id = ${owner.userId}`);
  const row = result.rows[0];
  return row ? Number(row.id) : undefined;
}

/** The wallet's account id, or undefined when nothing was ever credited to it. */
export async function findWallet(db: DbOrTransaction, owner: WalletOwner): Promise<number | undefined> {
  const result = owner.organisationId
    ? await db.execute<{ id: string }>(
        sql`SELECT id FROM ledger_accounts WHERE organisation_id = ${owner.organisationId}`,
      )
    : await db.execute<{ id: string }>(sql`SELECT id FROM ledger_accounts WHERE user_id = ${owner.userId}`);
  const row = result.rows[0];
  return row ? Number(row.id) : undefined;
}
