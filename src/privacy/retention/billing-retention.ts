/**
 * Billing records past RETENTION_BILLING_RECORDS_DAYS (5 years by default).
 *
 * What the ledger allows, and why this rule does only part of the job:
 * - ledger_transfers are append-only (trigger ledger_transfers_immutable, migration 0003) and every
 *   balance is the sum of its transfers, which checkLedger recomputes. Deleting an old transfer
 *   would change a balance that still exists, so transfers stay as long as their accounts do. Their
 *   personal extras (reason, actor, member_user_id, api_key_id, model) could be cleared without
 *   touching any sum, but the trigger refuses every UPDATE: that needs a migration giving it a
 *   redaction switch, as the security log has (mixgate.security_log_redaction). Until then they stay.
 * - ledger_holds may change only while open (trigger ledger_holds_settle_once); old holds are settled.
 * - ledger_accounts cannot be detached from their user: a user wallet must name its user (check
 *   ledger_accounts_owner). An erased user's wallet already points at a pseudonym only
 *   (pseudonymise-user.ts), so nothing is left there that names a person.
 * - ledger_spend_counters (what one API key or organisation member spent per limit period) are not
 *   part of any balance and are rebuilt from posted transfers when a period needs one again: a
 *   counter whose period ended before the cutoff is deleted. checkLedger only compares counters with
 *   open holds, and a period that ended years ago has none.
 */
import type { RetentionRule } from './retention-rules.js';

// The longest limit period with an end is a month (spend-periods.ts); 'total' starts at the epoch and never ends.
const ENDED_PERIOD = `period_start > 'epoch'::timestamptz AND period_start + interval '1 month' <= $1`;

export const billingRecordsRule: RetentionRule = {
  name: 'spend counters of ended periods',
  category: 'billing',
  setting: 'RETENTION_BILLING_RECORDS_DAYS',
  async sweep({ pool, holds }, cutoff) {
    const result = await pool.query(
      `DELETE FROM ledger_spend_counters c
        WHERE ${ENDED_PERIOD} AND c.held = 0
          AND NOT EXISTS (
            SELECT 1 FROM api_keys k
             WHERE c.scope = 'api_key:' || k.id
               AND (k.user_id = ANY($2::uuid[]) OR k.organisation_id = ANY($3::uuid[])))
          AND NOT (c.scope LIKE 'member:%' AND (
            split_part(c.scope, ':', 2) = ANY($3::text[]) OR split_part(c.scope, ':', 3) = ANY($2::text[])))`,
      [cutoff, holds.userIds, holds.organisationIds],
    );
    return result.rowCount ?? 0;
  },
};
