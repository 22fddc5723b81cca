import { sql } from 'drizzle-orm';
import type { DbOrTransaction } from '../db/transaction.js';
import type { WalletOwner } from './system-accounts.js';

export interface Balance {
  /** Posted credit, in micros. */
  balance: bigint;
  /** Reserved by open holds. */
  held: bigint;
  /** What a new hold can use: balance - held. */
  available: bigint;
  openHolds: number;
}

/** A wallet's balance; an owner that never had a wallet has zero everywhere. */
export async function readBalance(db: DbOrTransaction, owner: WalletOwner): Promise<Balance> {
  const ownerClause = owner.organisationId
    ? sql`a.organisation_id = ${owner.organisationId}`
    : sql`a.user_id = ${owner.userId}`;
  const result = await db.execute<{ balance: string; held: string; open_holds: number }>(sql`
    SELECT a.balance, a.held,
           (SELECT count(*)::int FROM ledger_holds h WHERE h.account_id = a.id AND h.status = 'open') AS open_holds
      FROM ledger_accounts a WHERE ${ownerClause}`);
  const row = result.rows[0];
  if (!row) return { balance: 0n, held: 0n, available: 0n, openHolds: 0 };
  const balance = BigInt(row.balance);
  const held = BigInt(row.held);
  return { balance, held, available: balance - held, openHolds: row.open_holds };
}
