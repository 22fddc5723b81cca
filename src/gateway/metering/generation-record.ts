/**
 * The usage row and the sub-processor rows of one request, written with its settlement
 * (src/ledger/settlement-queue.ts writeRecords) so that every captured amount has its record.
 */

import { generationRecipients, generations } from '../../db/schema/index.js';
import type { DbOrTransaction } from '../../db/transaction.js';
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

/** One multi-row insert per table for a whole settlement batch. */
export async function writeGenerationRecords(
  tx: DbOrTransaction,
  records: ReadonlyArray<{ record: GenerationRecord }>,
): Promise<void> {
  if (records.length === 0) return;
  await tx
    .insert(generations)
    .values(records.map(({ record }) => record.row))
    .onConflictDoNothing();
  const recipients = records.flatMap(({ record }) => record.recipients);
  if (recipients.length > 0) await tx.insert(generationRecipients).values(recipients).onConflictDoNothing();
}
