import { type SQL, sql } from 'drizzle-orm';
import type { DbOrTransaction } from '../db/transaction.js';
import { MixgateError } from '../lib/errors.js';
import { formatAmount } from '../lib/money.js';
import type { WalletOwner } from './system-accounts.js';
import type { TransferKind } from './transfer.js';
import { findWallet } from './wallets.js';

export const TRANSFER_DIRECTIONS = ['credit', 'debit'] as const;
/** From the wallet's side: credit is money in, debit is money out. */
export type TransferDirection = (typeof TRANSFER_DIRECTIONS)[number];

export const MAX_TRANSACTIONS_PAGE = 200;
const DEFAULT_TRANSACTIONS_PAGE = 50;

export interface TransactionFilters {
  kinds?: readonly TransferKind[];
  /** Inclusive. */
  from?: Date;
  /** Exclusive. */
  to?: Date;
  model?: string;
  apiKeyId?: string;
  direction?: TransferDirection;
}

export interface ListTransactionsQuery extends TransactionFilters {
  /** The `nextCursor` of the previous page. */
  cursor?: string;
  /** 1 to 200, 50 when not given. */
  limit?: number;
}

/** One transfer as the wallet sees it. */
export interface WalletTransfer {
  id: number;
  createdAt: Date;
  kind: string;
  direction: TransferDirection;
  /** Micros, positive for money in and negative for money out. */
  amount: bigint;
  reason: string | null;
  model: string | null;
  apiKeyId: string | null;
  memberUserId: string | null;
  holdId: number | null;
}

export interface TransactionItem {
  id: number;
  createdAt: string;
  kind: string;
  direction: TransferDirection;
  /** Signed decimal: "-0.001250" for a usage debit. */
  amount: string;
  reason: string | null;
  model: string | null;
  apiKeyId: string | null;
  memberUserId: string | null;
  holdId: number | null;
}

export interface TransactionPage {
  items: TransactionItem[];
  nextCursor: string | null;
}

/**
 * A wallet's transfers, newest first, one page at a time. The cursor names the last transfer of
 * the previous page; transfers are immutable, so pages never repeat or skip a row. A wallet that
 * does not exist yet has no transfers.
 */
export async function listTransactions(
  db: DbOrTransaction,
  owner: WalletOwner,
  query: ListTransactionsQuery,
): Promise<TransactionPage> {
  const limit = query.limit ?? DEFAULT_TRANSACTIONS_PAGE;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_TRANSACTIONS_PAGE) {
    throw new RangeError(`A page holds 1 to ${MAX_TRANSACTIONS_PAGE} transactions`);
  }
  const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
  const walletId = await findWallet(db, owner);
  if (walletId === undefined) return { items: [], nextCursor: null };
  if (after !== undefined && !(await isTransferOf(db, walletId, after))) throw invalidCursor();
  const rows = await readTransferPage(db, walletId, query, after, limit + 1);
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return {
    items: items.map(toTransactionItem),
    nextCursor: rows.length > limit && last ? encodeCursor(last.id) : null,
  };
}

/** Every matching transfer, newest first, read `pageSize` rows per query so memory stays flat. */
export async function* walletTransfers(
  db: DbOrTransaction,
  owner: WalletOwner,
  filters: TransactionFilters,
  pageSize = 1_000,
): AsyncGenerator<WalletTransfer[]> {
  const walletId = await findWallet(db, owner);
  if (walletId === undefined) return;
  let after: number | undefined;
  for (;;) {
    const rows = await readTransferPage(db, walletId, filters, after, pageSize);
    if (rows.length > 0) yield rows;
    if (rows.length < pageSize) return;
    after = rows.at(-1)!.id;
  }
}

function toTransactionItem(transfer: WalletTransfer): TransactionItem {
  return { ...transfer, createdAt: transfer.createdAt.toISOString(), amount: formatAmount(transfer.amount) };
}

export function encodeCursor(transferId: number): string {
  return Buffer.from(`t${transferId}`).toString('base64url');
}

function decodeCursor(cursor: string): number {
  const match = /^t(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString('latin1'));
  if (!match) throw invalidCursor();
  return Number(match[1]);
}

function invalidCursor(): MixgateError {
  return new MixgateError('invalid_request', 'cursor: not a cursor of this transaction list');
}

async function isTransferOf(db: DbOrTransaction, walletId: number, transferId: number): Promise<boolean> {
  const result = await db.execute(sql`
    SELECT 1 FROM ledger_transfers
     WHERE id = ${transferId} AND (debit_account_id = ${walletId} OR credit_account_id = ${walletId})`);
  return result.rows.length > 0;
}

// Raw queries get timestamps as text in the session's time zone; this one is ISO 8601 in UTC.
const ISO_CREATED_AT = sql.raw(`to_char(t.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`);

interface TransferRow extends Record<string, unknown> {
  id: string;
  created: string;
  kind: string;
  direction: TransferDirection;
  amount: string;
  reason: string | null;
  model: string | null;
  api_key_id: string | null;
  member_user_id: string | null;
  hold_id: string | null;
}

/**
 * One page, ordered by (created_at, id) descending. Each side of the wallet is read on its own
 * through the (account, created_at) indexes, at most `limit` rows each, then merged: reading a
 * page costs the same however long the history is.
 */
async function readTransferPage(
  db: DbOrTransaction,
  walletId: number,
  filters: TransactionFilters,
  after: number | undefined,
  limit: number,
): Promise<WalletTransfer[]> {
  const conditions = filterConditions(filters, after);
  const sides = TRANSFER_DIRECTIONS.filter((side) => !filters.direction || filters.direction === side);
  const branches = sides.map((side) => {
    const column = sql.raw(side === 'credit' ? 't.credit_account_id' : 't.debit_account_id');
    return sql`(SELECT t.id, t.created_at, ${ISO_CREATED_AT} AS created, t.kind, ${side}::text AS direction, t.amount, t.reason, t.model,
                       t.api_key_id, t.member_user_id, t.hold_id
                  FROM ledger_transfers t
                 WHERE ${column} = ${walletId} AND ${sql.join(conditions, sql` AND `)}
                 ORDER BY t.created_at DESC, t.id DESC LIMIT ${limit})`;
  });
  const result = await db.execute<TransferRow>(sql`
    SELECT * FROM (${sql.join(branches, sql` UNION ALL `)}) page
     ORDER BY created_at DESC, id DESC LIMIT ${limit}`);
  return result.rows.map((row) => {
    const amount = BigInt(row.amount);
    return {
      id: Number(row.id),
      createdAt: new Date(row.created),
      kind: row.kind,
      direction: row.direction,
      amount: row.direction === 'debit' ? -amount : amount,
      reason: row.reason,
      model: row.model,
      apiKeyId: row.api_key_id,
      memberUserId: row.member_user_id,
      holdId: row.hold_id === null ? null : Number(row.hold_id),
    };
  });
}

function filterConditions(filters: TransactionFilters, after: number | undefined): SQL[] {
  const conditions: SQL[] = [sql`true`];
  if (filters.kinds && filters.kinds.length > 0) {
    const kinds = sql.join(
      filters.kinds.map((kind) => sql`${kind}`),
      sql`, `,
    );
    conditions.push(sql`t.kind IN (${kinds})`);
  }
  if (filters.from) conditions.push(sql`t.created_at >= ${filters.from}`);
  if (filters.to) conditions.push(sql`t.created_at < ${filters.to}`);
  if (filters.model !== undefined) conditions.push(sql`t.model = ${filters.model}`);
  if (filters.apiKeyId !== undefined) conditions.push(sql`t.api_key_id = ${filters.apiKeyId}`);
  if (after !== undefined) {
    // The position is read from the row itself: a JavaScript Date would drop the microseconds.
    // PostgreSQL turns the row comparison into an index bound on created_at and breaks ties by id.
    conditions.push(
      sql`(t.created_at, t.id) < (SELECT created_at, id FROM ledger_transfers WHERE id = ${after})`,
    );
  }
  return conditions;
}
