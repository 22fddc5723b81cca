/**
 * The gateway benchmark's books: after the runs, every request Mixgate received must have been
 * held, settled and recorded exactly once, and the ledger must check clean, or no number is printed.
 */
import { sql } from 'drizzle-orm';
import type { AppContext } from '../src/app-context.js';
import type { Db } from '../src/db/database.js';
import type { GatewayServices } from '../src/gateway/gateway-services.js';
import { checkLedger } from '../src/ledger/check-ledger.js';

/** How long to wait for the last requests' records after the runs. */
const RECORD_WAIT_MS = 30_000;

/**
 * Waits until every request Mixgate received has its generations row. A request cut by the end of a
 * run is still being handled after its client left (waiting for its hold, the upstream or the
 * stream's end), so its settlement may not be queued yet; gives up after RECORD_WAIT_MS and lets
 * the check report what is missing.
 */
export async function settleEverything(
  db: Db,
  gateway: GatewayServices,
  userIds: string[],
  received: number,
): Promise<void> {
  const deadline = Date.now() + RECORD_WAIT_MS;
  for (;;) {
    await gateway.settlements.drain();
    const result = await db.execute<{ count: number }>(
      sql`SELECT count(*)::int AS count FROM generations WHERE user_id = ANY(${uuidArray(userIds)})`,
    );
    if (result.rows[0]!.count >= received || Date.now() > deadline) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function uuidArray(ids: readonly string[]) {
  return sql`${`{${ids.join(',')}}`}::uuid[]`;
}

function bigintArray(ids: readonly number[]) {
  return sql`${`{${ids.join(',')}}`}::bigint[]`;
}

export interface BooksInput {
  userIds: string[];
  walletIds: number[];
  /** Each wallet's balance before the runs. */
  funding: bigint;
  /** Chat requests Mixgate's server received. */
  received: number;
  /** Of those, answered in full with a 2xx. */
  answered2xx: number;
  /** 2xx responses the clients received. */
  client2xx: number;
  cutAtMost: number;
}

/** Throws unless every request Mixgate received was held, settled and recorded exactly once. */
export async function verifyBooks(ctx: AppContext, input: BooksInput): Promise<string> {
  const problems = [...(await checkLedger(ctx.db)).problems];
  const byStatus = await ctx.db.execute<{ status: string; count: number; cost: string }>(sql`
    SELECT status, count(*)::int AS count, coalesce(sum(cost), 0)::text AS cost
      FROM generations WHERE user_id = ANY(${uuidArray(input.userIds)}) GROUP BY status ORDER BY status`);
  const statuses = new Map(byStatus.rows.map((row) => [row.status, row]));
  const rows = byStatus.rows.reduce((sum, row) => sum + row.count, 0);
  const recordedCost = byStatus.rows.reduce((sum, row) => sum + BigInt(row.cost), 0n);
  const succeeded = statuses.get('succeeded')?.count ?? 0;
  const checks = await ctx.db.execute<{
    unmatched: number;
    shared: number;
    holds: number;
    unused: number;
    unusedNotVoided: number;
    open: number;
    balance: string;
    held: string;
  }>(sql`
    SELECT (SELECT count(*)::int FROM generations g LEFT JOIN ledger_holds h ON h.id = g.hold_id
             WHERE g.user_id = ANY(${uuidArray(input.userIds)})
               AND (h.id IS NULL OR NOT h.account_id = ANY(${bigintArray(input.walletIds)}) OR h.status = 'open'
                    OR coalesce(h.posted_amount, 0) <> g.cost)) AS unmatched,
           (SELECT count(*)::int - count(DISTINCT hold_id)::int FROM generations
             WHERE user_id = ANY(${uuidArray(input.userIds)})) AS shared,
           (SELECT count(*)::int FROM ledger_holds WHERE account_id = ANY(${bigintArray(input.walletIds)})) AS holds,
           (SELECT count(*)::int FROM ledger_holds h WHERE account_id = ANY(${bigintArray(input.walletIds)})
               AND NOT EXISTS (SELECT 1 FROM generations g WHERE g.hold_id = h.id)) AS unused,
           (SELECT count(*)::int FROM ledger_holds h WHERE account_id = ANY(${bigintArray(input.walletIds)})
               AND NOT EXISTS (SELECT 1 FROM generations g WHERE g.hold_id = h.id)
               AND h.status <> 'voided') AS "unusedNotVoided",
           (SELECT count(*)::int FROM ledger_holds
             WHERE account_id = ANY(${bigintArray(input.walletIds)}) AND status = 'open') AS open,
           sum(balance)::text AS balance, sum(held)::text AS held
      FROM ledger_accounts WHERE id = ANY(${bigintArray(input.walletIds)})`);
  const books = checks.rows[0]!;

  if (rows !== input.received)
    problems.push(`${rows} generations rows for ${input.received} requests received`);
  if (books.shared !== 0) problems.push(`${books.shared} generations rows share a hold with another`);
  // Holds placed ahead and never taken by a request are released, capturing nothing.
  if (books.holds !== rows + books.unused) problems.push(`${books.holds} holds for ${rows} generations rows`);
  if (books.unusedNotVoided !== 0)
    problems.push(`${books.unusedNotVoided} holds of no request were not released`);
  if (books.unmatched !== 0)
    problems.push(`${books.unmatched} rows without a resolved hold capturing exactly their cost`);
  if (books.open !== 0 || books.held !== '0') problems.push(`${books.open} holds open, ${books.held} held`);
  const spent = input.funding * BigInt(input.walletIds.length) - BigInt(books.balance);
  if (spent !== recordedCost)
    problems.push(`the wallet lost ${spent} micros, the rows record ${recordedCost}`);
  if (succeeded < input.client2xx)
    problems.push(`${succeeded} succeeded rows for ${input.client2xx} 2xx responses received`);
  if (rows - input.client2xx > input.cutAtMost)
    problems.push(`${rows - input.client2xx} rows beyond the 2xx responses; runs can cut ${input.cutAtMost}`);
  for (const status of statuses.keys()) {
    if (status !== 'succeeded' && status !== 'cancelled') problems.push(`unexpected status ${status}`);
  }
  if (problems.length > 0) throw new Error(`gateway bench: the books disagree:\n  ${problems.join('\n  ')}`);
  const cancelled = statuses.get('cancelled')?.count ?? 0;
  return (
    `${input.received} requests reached Mixgate; ${rows} generations rows (${succeeded} succeeded, ` +
    `${cancelled} cancelled when a run's end cut them); ${input.client2xx} 2xx responses received ` +
    `(${input.answered2xx} sent in full); ${books.holds - books.unused} holds posted or voided by ` +
    `their request and ${books.unused} placed ahead and released unused, none open; ${spent} micros captured, ` +
    'equal to the recorded costs; ledger check clean'
  );
}
