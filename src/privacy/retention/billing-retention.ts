/**
 * Billing records past RETENTION_BILLING_RECORDS_DAYS (5 years by default).
 *
 * What the ledger allows, and what each rule does:
 * - ledger_transfers are append-only (trigger ledger_transfers_immutable) and every balance is the
 *   sum of its transfers, which checkLedger recomputes: an old transfer cannot be deleted while its
 *   accounts exist. Its personal columns can be cleared without touching any sum, and migration 0017
 *   lets exactly that through inside a transaction that sets mixgate.ledger_redaction: reason,
 *   model and member_user_id become NULL, an actor naming someone becomes 'redacted'. The amount,
 *   accounts, kind, time and api_key_id stay (a key's lifetime spend sums transfers by key).
 * - ledger_holds may change only while open (trigger ledger_holds_settle_once); under the same
 *   switch a settled hold may lose the same personal columns, nothing else.
 * - ledger_accounts cannot be detached from their user: a user wallet must name its user (check
 *   ledger_accounts_owner). An erased user's wallet already points at a pseudonym only
 *   (pseudonymise-user.ts), so nothing is left there that names a person.
 * - ledger_spend_counters (what one API key or organisation member spent per limit period) are not
 *   part of any balance and are rebuilt from posted transfers when a period needs one again: a
 *   counter whose period ended before the cutoff is deleted. checkLedger only compares counters with
 *   open holds, and a period that ended years ago has none.
 */
import type pg from 'pg';
import { type BatchResult, inBatches } from './in-batches.js';
import type { ActiveHolds } from './legal-holds.js';
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

/** Rows per statement: each batch commits on its own, so a large ledger is never locked for long. */
export const LEDGER_REDACTION_BATCH = 5_000;

/** Actors that name no one: the scheduler and the operator's command line. */
const IMPERSONAL_ACTOR = `t.actor IN ('system', 'cli', 'redacted')`;

/**
 * A member's lifetime ('total') spend limit counts every usage transfer since the epoch by
 * member_user_id (ledger_place_hold): while that limit is set, the member's id stays on the
 * organisation's transfers, or the next counter would forget the old spend. Their other columns
 * are still redacted.
 */
const LIFETIME_MEMBER_LIMIT = `EXISTS (
  SELECT 1 FROM organisation_members m JOIN ledger_accounts w ON w.organisation_id = m.organisation_id
   WHERE w.id = t.debit_account_id AND m.user_id = t.member_user_id
     AND m.spend_limit_micros IS NOT NULL AND m.spend_limit_period = 'total')`;

/**
 * Parameters of both statements below: $1 the last id done, $2 the cutoff, $3 the wallets under a
 * legal hold, $4 the users under one, $5 their actor names, $6 the batch size.
 */
const NOT_HELD = (accountColumns: string[]) => `
  NOT (${accountColumns.map((column) => `t.${column} = ANY($3::bigint[])`).join(' OR ')})
  AND NOT (t.member_user_id IS NOT NULL AND t.member_user_id = ANY($4::uuid[]))
  AND NOT (t.actor = ANY($5::text[]))`;

const REDACT_TRANSFERS = `
  WITH batch AS (
    SELECT t.id FROM ledger_transfers t
     WHERE t.id > $1 AND t.created_at < $2 AND ${NOT_HELD(['debit_account_id', 'credit_account_id'])}
       AND (t.reason IS NOT NULL OR t.model IS NOT NULL OR NOT (${IMPERSONAL_ACTOR})
            OR (t.member_user_id IS NOT NULL AND NOT ${LIFETIME_MEMBER_LIMIT}))
     ORDER BY t.id LIMIT $6
  ), redacted AS (
    UPDATE ledger_transfers t
       SET reason = NULL, model = NULL,
           actor = CASE WHEN ${IMPERSONAL_ACTOR} THEN t.actor ELSE 'redacted' END,
           member_user_id = CASE WHEN ${LIFETIME_MEMBER_LIMIT} THEN t.member_user_id END
      FROM batch WHERE t.id = batch.id
    RETURNING t.id
  )
  SELECT count(*)::int AS done, max(id)::text AS last FROM redacted`;

// A hold's member id counts for nothing once it is settled (its counters were updated then).
const REDACT_HOLDS = `
  WITH batch AS (
    SELECT t.id FROM ledger_holds t
     WHERE t.id > $1 AND t.created_at < $2 AND t.status <> 'open' AND ${NOT_HELD(['account_id'])}
       AND (t.model IS NOT NULL OR t.member_user_id IS NOT NULL OR NOT (${IMPERSONAL_ACTOR}))
     ORDER BY t.id LIMIT $6
  ), redacted AS (
    UPDATE ledger_holds t
       SET model = NULL, member_user_id = NULL,
           actor = CASE WHEN ${IMPERSONAL_ACTOR} THEN t.actor ELSE 'redacted' END
      FROM batch WHERE t.id = batch.id
    RETURNING t.id
  )
  SELECT count(*)::int AS done, max(id)::text AS last FROM redacted`;

/** Runs `statement` batch after batch, each in its own transaction with the redaction switch on. */
function redactInBatches(
  pool: pg.Pool,
  statement: string,
  values: unknown[],
  batchSize: number,
): Promise<number> {
  return inBatches('0', batchSize, async (after) => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(`SELECT set_config('mixgate.ledger_redaction', 'on', true)`);
      const result = await client.query<BatchResult>(statement, [after, ...values, batchSize]);
      await client.query('COMMIT');
      return result.rows[0]!;
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    } finally {
      client.release();
    }
  });
}

async function heldValues(pool: pg.Pool, cutoff: Date, holds: ActiveHolds): Promise<unknown[]> {
  const wallets = await pool.query<{ id: string }>(
    `SELECT id::text FROM ledger_accounts WHERE user_id = ANY($1::uuid[]) OR organisation_id = ANY($2::uuid[])`,
    [holds.userIds, holds.organisationIds],
  );
  const actors = holds.userIds.flatMap((id) => [`user:${id}`, `staff:${id}`]);
  return [cutoff, wallets.rows.map((row) => row.id), holds.userIds, actors];
}

/** The rule with a chosen batch size; tests use a small one to go through several batches. */
export function ledgerRedactionRule(batchSize = LEDGER_REDACTION_BATCH): RetentionRule {
  return {
    name: 'personal details of old transactions',
    category: 'billing',
    setting: 'RETENTION_BILLING_RECORDS_DAYS',
    async sweep({ pool, holds }, cutoff) {
      const values = await heldValues(pool, cutoff, holds);
      const transfers = await redactInBatches(pool, REDACT_TRANSFERS, values, batchSize);
      const settledHolds = await redactInBatches(pool, REDACT_HOLDS, values, batchSize);
      return transfers + settledHolds;
    },
  };
}

export const ledgerRedaction = ledgerRedactionRule();
