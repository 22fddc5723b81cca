import { sql } from 'drizzle-orm';
import type { DbOrTransaction } from '../db/transaction.js';
import { settleHolds } from './holds.js';

const BATCH = 500;

/**
 * Voids every open hold past its expiry: the request that placed it died (a crash, a lost
 * connection) without settling. Returns how many were expired. Safe to run on several instances
 * at once: a hold is settled exactly once, whoever gets there first.
 */
export async function expireHolds(db: DbOrTransaction, now: Date): Promise<number> {
  let expired = 0;
  for (;;) {
    const due = await db.execute<{ id: string }>(sql`
      SELECT id FROM ledger_holds WHERE status = 'open' AND expires_at <= ${now} ORDER BY expires_at LIMIT ${BATCH}`);
    if (due.rows.length === 0) return expired;
    const results = await settleHolds(
      db,
      'expired',
      due.rows.map((row) => ({ holdId: Number(row.id) })),
      now,
    );
    expired += results.filter((result) => result.outcome === 'expired').length;
    if (due.rows.length < BATCH) return expired;
  }
}
