import type { DbOrTransaction } from '../db/transaction.js';
import { formatAmount } from '../lib/money.js';
import { type TransactionFilters, type WalletTransfer, walletTransfers } from './list-transactions.js';
import type { WalletOwner } from './system-accounts.js';

export const TRANSACTIONS_CSV_COLUMNS = [
  'date',
  'kind',
  'direction',
  'amount',
  'currency',
  'model',
  'api_key_id',
  'member_user_id',
  'reason',
  'transfer_id',
] as const;

const LINE_END = '\r\n';

/**
 * A wallet's transfers as CSV (RFC 4180), newest first, yielded a chunk of rows at a time so a
 * long history is never in memory at once. The first chunk is the header row.
 */
export async function* exportTransactionsCsv(
  db: DbOrTransaction,
  owner: WalletOwner,
  filters: TransactionFilters,
  currency: string,
  pageSize = 1_000,
): AsyncGenerator<string> {
  yield `${TRANSACTIONS_CSV_COLUMNS.join(',')}${LINE_END}`;
  for await (const page of walletTransfers(db, owner, filters, pageSize)) {
    yield page.map((transfer) => csvRow(transfer, currency)).join('');
  }
}

function csvRow(transfer: WalletTransfer, currency: string): string {
  const cells = [
    textCell(transfer.createdAt.toISOString()),
    textCell(transfer.kind),
    textCell(transfer.direction),
    // Our own decimal, so a leading "-" is a sign, not a formula: it stays a number in spreadsheets.
    formatAmount(transfer.amount),
    textCell(currency),
    textCell(transfer.model),
    textCell(transfer.apiKeyId),
    textCell(transfer.memberUserId),
    textCell(transfer.reason),
    String(transfer.id),
  ];
  return `${cells.join(',')}${LINE_END}`;
}

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/**
 * A text cell, quoted when RFC 4180 requires it. Text that a spreadsheet would run as a formula
 * (model names and reasons can come from users) gets a leading apostrophe, as OWASP advises:
 * https://owasp.org/www-community/attacks/CSV_Injection
 */
export function textCell(value: string | null): string {
  if (value === null) return '';
  const guarded = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(guarded) ? `"${guarded.replaceAll('"', '""')}"` : guarded;
}
