import { sql } from 'drizzle-orm';
import type { DbOrTransaction } from '../db/transaction.js';

/** The counter scopes ledger_place_hold builds; keep the two in step. */
export function apiKeyScope(apiKeyId: string): string {
  return `api_key:${apiKeyId}`;
}

export function memberScope(organisationId: string, userId: string): string {
  return `member:${organisationId}:${userId}`;
}

/**
 * Drops a scope's spend counters when its limit or period changes. Counters are only kept while a
 * limit is set, so one surviving from before would miss what was spent without a limit; the next
 * hold recounts the period from the posted usage.
 */
export async function forgetSpendCounters(db: DbOrTransaction, scope: string): Promise<void> {
  await db.execute(sql`DELETE FROM ledger_spend_counters WHERE scope = ${scope}`);
}
