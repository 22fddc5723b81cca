import { type SQL, sql } from 'drizzle-orm';
import type { Db } from '../db/database.js';
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

export interface OpenHold {
  id: number;
  /** Reserved micros. */
  amount: bigint;
  model: string | null;
  createdAt: Date;
  expiresAt: Date;
}

/** Enough for a screen; a wallet has about as many open holds as generations in flight. */
const OPEN_HOLDS_SHOWN = 100;

function ownerClause(owner: WalletOwner): SQL {
  return owner.organisationId
    ? sql`a.organisation_id = ${owner.organisationId}`
    : sql`a.user_id = ${owner.userId}`;
}

/** Raw queries get timestamps as text in the session's time zone; this is ISO 8601 in UTC. */
function isoUtc(column: string): SQL {
  return sql.raw(`to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`);
}

/** A wallet's balance; an owner that never had a wallet has zero everywhere. */
export async function readBalance(db: DbOrTransaction, owner: WalletOwner): Promise<Balance> {
  const result = await db.execute<{ balance: string; held: string; open_holds: number }>(sql`
    SELECT a.balance, a.held,
           (SELECT count(*)::int FROM ledger_holds h WHERE h.account_id = a.id AND h.status = 'open') AS open_holds
      FROM ledger_accounts a WHERE ${ownerClause(owner)}`);
  const row = result.rows[0];
  if (!row) return { balance: 0n, held: 0n, available: 0n, openHolds: 0 };
  const balance = BigInt(row.balance);
  const held = BigInt(row.held);
  return { balance, held, available: balance - held, openHolds: row.open_holds };
}

/** The wallet's open holds, newest first, at most `limit` of them. */
export async function listOpenHolds(
  db: DbOrTransaction,
  owner: WalletOwner,
  limit = OPEN_HOLDS_SHOWN,
): Promise<OpenHold[]> {
  const result = await db.execute<{
    id: string;
    amount: string;
    model: string | null;
    created_at: string;
    expires_at: string;
  }>(sql`
    SELECT h.id, h.amount, h.model, ${isoUtc('h.created_at')} AS created_at,
           ${isoUtc('h.expires_at')} AS expires_at
      FROM ledger_accounts a JOIN ledger_holds h ON h.account_id = a.id AND h.status = 'open'
     WHERE ${ownerClause(owner)}
     ORDER BY h.created_at DESC, h.id DESC LIMIT ${limit}`);
  return result.rows.map((row) => ({
    id: Number(row.id),
    amount: BigInt(row.amount),
    model: row.model,
    createdAt: new Date(row.created_at),
    expiresAt: new Date(row.expires_at),
  }));
}

/**
 * The balance and the open holds from one snapshot, so that `held` is the sum of the holds listed
 * (when they are all listed) even while generations settle.
 */
export function readBalanceWithHolds(db: Db, owner: WalletOwner): Promise<Balance & { holds: OpenHold[] }> {
  return db.transaction(
    async (tx) => {
      const balance = await readBalance(tx, owner);
      return { ...balance, holds: balance.openHolds > 0 ? await listOpenHolds(tx, owner) : [] };
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );
}
