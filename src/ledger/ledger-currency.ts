import { sql } from 'drizzle-orm';
import type { DbOrTransaction } from '../db/transaction.js';

export class CurrencyMismatchError extends Error {}

/**
 * Every amount in the ledger is in one currency, recorded at first start. Starting later with a
 * different CURRENCY would relabel everyone's balance, so it stops start-up instead.
 */
export async function assertLedgerCurrency(db: DbOrTransaction, currency: string): Promise<void> {
  const result = await db.execute<{ value: string }>(sql`
    WITH recorded AS (
      INSERT INTO ledger_settings (name, value) VALUES ('currency', ${currency})
      ON CONFLICT (name) DO NOTHING RETURNING value)
    SELECT value FROM recorded UNION ALL SELECT value FROM ledger_settings WHERE name = 'currency'`);
  const recorded = result.rows[0]?.value ?? currency;
  if (recorded !== currency) {
    throw new CurrencyMismatchError(
      `CURRENCY is ${currency}, but this ledger holds ${recorded}: amounts cannot change currency. Set CURRENCY=${recorded}.`,
    );
  }
}
