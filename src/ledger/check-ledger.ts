import { sql } from 'drizzle-orm';
import type { Db } from '../db/database.js';
import type { DbTransaction } from '../db/transaction.js';
import { formatAmount } from '../lib/money.js';
import { SYSTEM_ACCOUNTS } from './system-accounts.js';

export interface LedgerCheckReport {
  ok: boolean;
  accountsChecked: number;
  transfersChecked: number;
  holdsChecked: number;
  /** One line per broken invariant instance, readable by an operator. */
  problems: string[];
}

/** Beyond this many lines per invariant, the rest are counted rather than listed. */
const MAX_LINES_PER_CHECK = 20;

/**
 * `mixgate ledger check`: recomputes every ledger invariant from the rows themselves. Read-only,
 * in one repeatable-read snapshot, so it can run beside a live server and still see one instant.
 */
export async function checkLedger(db: Db): Promise<LedgerCheckReport> {
  return db.transaction(
    async (tx) => {
      const counts = await tx.execute<{
        accounts: number;
        transfers: number;
        holds: number;
        total: string;
      }>(sql`
        SELECT (SELECT count(*)::int FROM ledger_accounts) AS accounts,
               (SELECT count(*)::int FROM ledger_transfers) AS transfers,
               (SELECT count(*)::int FROM ledger_holds) AS holds,
               (SELECT coalesce(sum(balance), 0)::text FROM ledger_accounts) AS total`);
      const { accounts, transfers, holds, total } = counts.rows[0]!;
      const problems: string[] = [];
      if (BigInt(total) !== 0n) {
        problems.push(`the balances of all accounts sum to ${formatAmount(BigInt(total))}, not 0`);
      }
      for (const check of CHECKS) {
        const lines = await check(tx);
        problems.push(...lines.slice(0, MAX_LINES_PER_CHECK));
        if (lines.length > MAX_LINES_PER_CHECK) {
          problems.push(`… and ${lines.length - MAX_LINES_PER_CHECK} more like the above`);
        }
      }
      return {
        ok: problems.length === 0,
        accountsChecked: accounts,
        transfersChecked: transfers,
        holdsChecked: holds,
        problems,
      };
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );
}

type Check = (tx: DbTransaction) => Promise<string[]>;

const amount = (text: string | null) => formatAmount(BigInt(text ?? '0'));

const systemAccounts: Check = async (tx) => {
  const rows = await tx.execute<{ id: string; kind: string }>(
    sql`SELECT id, kind FROM ledger_accounts WHERE id < 100`,
  );
  const kinds = new Map(rows.rows.map((row) => [Number(row.id), row.kind]));
  return Object.entries(SYSTEM_ACCOUNTS)
    .filter(([name, id]) => kinds.get(id) !== name)
    .map(([name, id]) => `system account ${id} should be ${name} but is ${kinds.get(id) ?? 'missing'}`);
};

const overdrawnWallets: Check = async (tx) => {
  const rows = await tx.execute<{ id: string; kind: string; balance: string; held: string }>(sql`
    SELECT id, kind, balance, held FROM ledger_accounts
     WHERE (kind IN ('user_wallet', 'organisation_wallet') AND balance - held < 0) OR held < 0
     ORDER BY id`);
  return rows.rows.map(
    (row) =>
      `account ${row.id} (${row.kind}) is overdrawn: balance ${amount(row.balance)}, held ${amount(row.held)}`,
  );
};

const heldMatchesOpenHolds: Check = async (tx) => {
  const rows = await tx.execute<{ id: string; kind: string; held: string; open: string }>(sql`
    SELECT a.id, a.kind, a.held, coalesce(h.open, 0) AS open
      FROM ledger_accounts a
      LEFT JOIN (SELECT account_id, sum(amount) AS open FROM ledger_holds WHERE status = 'open'
                  GROUP BY account_id) h ON h.account_id = a.id
     WHERE a.held <> coalesce(h.open, 0)
     ORDER BY a.id`);
  return rows.rows.map(
    (row) =>
      `account ${row.id} (${row.kind}) holds ${amount(row.held)} but its open holds sum to ${amount(row.open)}`,
  );
};

const balanceMatchesTransfers: Check = async (tx) => {
  const rows = await tx.execute<{ id: string; kind: string; balance: string; expected: string }>(sql`
    SELECT a.id, a.kind, a.balance, coalesce(c.total, 0) - coalesce(d.total, 0) AS expected
      FROM ledger_accounts a
      LEFT JOIN (SELECT credit_account_id AS id, sum(amount) AS total FROM ledger_transfers
                  GROUP BY credit_account_id) c ON c.id = a.id
      LEFT JOIN (SELECT debit_account_id AS id, sum(amount) AS total FROM ledger_transfers
                  GROUP BY debit_account_id) d ON d.id = a.id
     WHERE a.balance <> coalesce(c.total, 0) - coalesce(d.total, 0)
     ORDER BY a.id`);
  return rows.rows.map(
    (row) =>
      `account ${row.id} (${row.kind}) has balance ${amount(row.balance)} but its transfers sum to ${amount(row.expected)}`,
  );
};

const postedHoldsHaveTheirTransfer: Check = async (tx) => {
  const rows = await tx.execute<{
    id: string;
    posted_amount: string;
    transfer_id: string | null;
    transferred: string | null;
  }>(sql`
    SELECT h.id, h.posted_amount, t.id AS transfer_id, t.amount AS transferred
      FROM ledger_holds h
      LEFT JOIN ledger_transfers t ON t.hold_id = h.id
     WHERE h.status = 'posted' AND h.posted_amount > 0
       AND (t.id IS NULL OR t.amount <> h.posted_amount
            OR t.debit_account_id <> h.account_id OR t.credit_account_id <> h.credit_account_id)
     ORDER BY h.id`);
  return rows.rows.map((row) =>
    row.transfer_id === null
      ? `hold ${row.id} was posted for ${amount(row.posted_amount)} but has no transfer`
      : `hold ${row.id} was posted for ${amount(row.posted_amount)} but transfer ${row.transfer_id} moved ${amount(row.transferred)} or between other accounts`,
  );
};

const transfersMatchTheirHold: Check = async (tx) => {
  const rows = await tx.execute<{
    id: string;
    kind: string;
    amount: string;
    hold_id: string | null;
    status: string | null;
    posted_amount: string | null;
  }>(sql`
    SELECT t.id, t.kind, t.amount, t.hold_id, h.status, h.posted_amount
      FROM ledger_transfers t
      LEFT JOIN ledger_holds h ON h.id = t.hold_id
     WHERE (t.kind = 'usage' AND t.hold_id IS NULL)
        OR (t.hold_id IS NOT NULL AND (h.id IS NULL OR h.status <> 'posted' OR h.posted_amount <> t.amount))
     ORDER BY t.id`);
  return rows.rows.map((row) => {
    if (row.hold_id === null) return `${row.kind} transfer ${row.id} has no hold`;
    if (row.status === null) return `transfer ${row.id} names hold ${row.hold_id}, which does not exist`;
    if (row.status !== 'posted')
      return `transfer ${row.id} posts hold ${row.hold_id}, which is ${row.status}`;
    return `transfer ${row.id} moved ${amount(row.amount)} for hold ${row.hold_id}, posted for ${amount(row.posted_amount)}`;
  });
};

const spendCountersMatchOpenHolds: Check = async (tx) => {
  const rows = await tx.execute<{ id: string; scope: string | null; held: string | null; open: string }>(sql`
    SELECT coalesce(c.id, h.counter_id) AS id, c.scope, c.held, coalesce(h.open, 0) AS open
      FROM ledger_spend_counters c
      FULL JOIN (SELECT counter_id, sum(amount) AS open
                   FROM (SELECT key_counter_id AS counter_id, amount FROM ledger_holds WHERE status = 'open'
                         UNION ALL
                         SELECT member_counter_id, amount FROM ledger_holds WHERE status = 'open') u
                  WHERE counter_id IS NOT NULL GROUP BY counter_id) h ON h.counter_id = c.id
     WHERE c.id IS NULL OR c.held <> coalesce(h.open, 0)
     ORDER BY 1`);
  return rows.rows.map((row) =>
    row.scope === null
      ? `open holds of ${amount(row.open)} count against spend counter ${row.id}, which does not exist`
      : `spend counter ${row.id} (${row.scope}) holds ${amount(row.held)} but its open holds sum to ${amount(row.open)}`,
  );
};

const CHECKS: readonly Check[] = [
  systemAccounts,
  overdrawnWallets,
  heldMatchesOpenHolds,
  balanceMatchesTransfers,
  postedHoldsHaveTheirTransfer,
  transfersMatchTheirHold,
  spendCountersMatchOpenHolds,
];
