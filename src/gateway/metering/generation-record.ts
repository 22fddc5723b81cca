/**
 * The usage row and the sub-processor rows of one request, written with its settlement
 * (src/ledger/settlement-queue.ts recordsSql) so that every captured amount has its record.
 */

import { type SQL, sql } from 'drizzle-orm';
import type { generationRecipients, generations } from '../../db/schema/index.js';
import type { Deployment } from '../../providers/spec.js';
import type { AttemptRecord } from '../routing/call-with-routing.js';

export type GenerationRow = typeof generations.$inferInsert;
export type RecipientRow = typeof generationRecipients.$inferInsert;

export interface GenerationRecord {
  row: GenerationRow;
  recipients: RecipientRow[];
}

/** Every deployment the request was sent to (tried or answering), once each. */
export function recipientsOf(
  generationId: string,
  attempts: readonly AttemptRecord[],
  deployments: ReadonlyMap<string, Deployment>,
  sentAt: Date,
): RecipientRow[] {
  const seen = new Set<string>();
  const rows: RecipientRow[] = [];
  for (const attempt of attempts) {
    if (!attempt.sent || seen.has(attempt.deploymentId)) continue;
    seen.add(attempt.deploymentId);
    const deployment = deployments.get(attempt.deploymentId);
    if (!deployment) continue;
    rows.push({
      generationId,
      deploymentId: deployment.id,
      provider: deployment.provider,
      region: deployment.region,
      transferSafeguard: deployment.transferSafeguard,
      zeroRetention: deployment.zeroRetention,
      sentAt,
    });
  }
  return rows;
}

/** Outcomes after which a settled hold's record is written (a replay's record already exists). */
const WRITTEN_OUTCOMES = sql`('posted', 'voided', 'expired', 'replayed')`;

/**
 * The records of a settlement batch as SQL run in the settlement's own statement (see the
 * settlement queue's `recordsSql`): one JSON document per table, expanded by
 * json_populate_recordset, so the text is the same for every batch and there is one round trip.
 */
export function generationRecordsSql(records: readonly GenerationRecord[]): SQL {
  const rows = records.map(({ row }) => generationColumns(row));
  const recipients = records.flatMap(({ recipients }) => recipients.map(recipientColumns));
  return sql`new_generations AS (
      INSERT INTO generations
      SELECT g.* FROM json_populate_recordset(NULL::generations, ${JSON.stringify(rows)}::json) g
       WHERE g.hold_id IN (SELECT hold_id FROM settled WHERE outcome IN ${WRITTEN_OUTCOMES})
      ON CONFLICT DO NOTHING
      RETURNING id),
    new_recipients AS (
      INSERT INTO generation_recipients
      SELECT r.* FROM json_populate_recordset(NULL::generation_recipients, ${JSON.stringify(recipients)}::json) r
       WHERE r.generation_id IN (SELECT id FROM new_generations)
      ON CONFLICT DO NOTHING)`;
}

/** Every column by its SQL name (json_populate_recordset leaves a missing one NULL, not its default). */
function generationColumns(row: GenerationRow): Record<string, unknown> {
  return {
    id: row.id,
    user_id: row.userId,
    organisation_id: row.organisationId ?? null,
    api_key_id: row.apiKeyId ?? null,
    kind: row.kind,
    protocol: row.protocol,
    requested_model: row.requestedModel,
    model: row.model ?? null,
    deployment_id: row.deploymentId ?? null,
    provider: row.provider ?? null,
    upstream_model: row.upstreamModel ?? null,
    status: row.status,
    streamed: row.streamed ?? false,
    input_tokens: row.inputTokens ?? 0,
    output_tokens: row.outputTokens ?? 0,
    cached_input_tokens: row.cachedInputTokens ?? 0,
    cache_write_tokens: row.cacheWriteTokens ?? 0,
    reasoning_tokens: row.reasoningTokens ?? 0,
    usage_estimated: row.usageEstimated ?? false,
    units: row.units ?? null,
    cost: (row.cost ?? 0n).toString(),
    hold_id: row.holdId ?? null,
    error_code: row.errorCode ?? null,
    latency_ms: row.latencyMs,
    first_token_ms: row.firstTokenMs ?? null,
    attempts: row.attempts ?? [],
    created_at: row.createdAt.toISOString(),
    finished_at: row.finishedAt.toISOString(),
  };
}

function recipientColumns(row: RecipientRow): Record<string, unknown> {
  return {
    generation_id: row.generationId,
    deployment_id: row.deploymentId,
    provider: row.provider,
    region: row.region,
    transfer_safeguard: row.transferSafeguard,
    zero_retention: row.zeroRetention,
    sent_at: row.sentAt.toISOString(),
  };
}
