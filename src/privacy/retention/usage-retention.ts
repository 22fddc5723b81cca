/**
 * Usage records past RETENTION_BILLING_RECORDS_DAYS (the data map's 'usage' category): the record
 * of each request (generations), the sub-processors that received it (generation_recipients, which
 * go with their generation by a cascading foreign key) and finished long generations
 * (gateway_jobs). Nothing refers to them by a foreign key that must survive, and no balance is
 * computed from them (the ledger holds the charges), so they are deleted, not redacted.
 * Kept: anything of a user or organisation under a legal hold; a generation an open output report
 * is about (the report is still being handled); a job a studio output still shows (its files and
 * cost are read from the job, and studio_outputs.job_id refers to it), or whose output files are
 * still stored (they are content, which the API gives no way to delete): such a job goes when its
 * output or its owner's account does.
 */
import type pg from 'pg';
import { type BatchResult, inBatches } from './in-batches.js';
import type { RetentionRule } from './retention-rules.js';

/** Rows per statement, each its own transaction, so a large table is never locked for long. */
export const USAGE_DELETION_BATCH = 5_000;

const NOT_HELD = `NOT (r.user_id = ANY($3::uuid[]))
  AND NOT (r.organisation_id IS NOT NULL AND r.organisation_id = ANY($4::uuid[]))`;

// Ids start with their creation time (generation-id.ts), so walking the primary key from the last
// id done visits each row once, and old rows first.
const DELETE_GENERATIONS = `
  WITH batch AS (
    SELECT r.id FROM generations r
     WHERE r.id > $1 AND r.created_at < $2 AND ${NOT_HELD}
       AND NOT EXISTS (SELECT 1 FROM output_reports o WHERE o.generation_id = r.id AND o.status = 'open')
     ORDER BY r.id LIMIT $5
  ), deleted AS (
    DELETE FROM generations g USING batch WHERE g.id = batch.id RETURNING g.id
  )
  SELECT count(*)::int AS done, max(id) AS last FROM deleted`;

const DELETE_JOBS = `
  WITH batch AS (
    SELECT r.id FROM gateway_jobs r
     WHERE r.id > $1 AND r.created_at < $2 AND ${NOT_HELD}
       AND r.status NOT IN ('queued', 'running')
       AND coalesce(jsonb_array_length(r.outputs), 0) = 0
       AND NOT EXISTS (SELECT 1 FROM studio_outputs s WHERE s.job_id = r.id)
     ORDER BY r.id LIMIT $5
  ), deleted AS (
    DELETE FROM gateway_jobs j USING batch WHERE j.id = batch.id RETURNING j.id
  )
  SELECT count(*)::int AS done, max(id) AS last FROM deleted`;

function deleteInBatches(
  pool: pg.Pool,
  statement: string,
  values: unknown[],
  batchSize: number,
): Promise<number> {
  return inBatches('', batchSize, async (after) => {
    const result = await pool.query<BatchResult>(statement, [after, ...values, batchSize]);
    return result.rows[0]!;
  });
}

/** The rule with a chosen batch size; tests use a small one to go through several batches. */
export function usageRecordsRule(batchSize = USAGE_DELETION_BATCH): RetentionRule {
  return {
    name: 'usage records',
    category: 'usage',
    setting: 'RETENTION_BILLING_RECORDS_DAYS',
    async sweep({ pool, holds }, cutoff) {
      const values = [cutoff, holds.userIds, holds.organisationIds];
      const generations = await deleteInBatches(pool, DELETE_GENERATIONS, values, batchSize);
      const jobs = await deleteInBatches(pool, DELETE_JOBS, values, batchSize);
      return generations + jobs;
    },
  };
}

export const usageRecords = usageRecordsRule();
