/** A job as the API shows it (GET /v1/jobs/:id, the 202 of POST /v1/jobs, the webhook's body). */
import type { gatewayJobs } from '../../db/schema/index.js';
import { formatAmount } from '../../lib/money.js';

export type JobRow = typeof gatewayJobs.$inferSelect;

export function jobView(row: JobRow, publicUrl: string) {
  return {
    id: row.id,
    object: 'job' as const,
    generation_id: row.generationId,
    model: row.model ?? row.requestedModel,
    status: row.status,
    progress: row.progress,
    cancel_requested: row.cancelRequestedAt !== null,
    outputs: (row.outputs ?? []).map((output) => ({
      url: `${publicUrl}/v1/jobs/${row.id}/outputs/${output.file}`,
      media_type: output.mediaType,
      bytes: output.bytes,
    })),
    // Until the job ends, the amount held for it; then what was charged.
    cost: formatAmount(row.cost),
    held: row.status === 'queued' || row.status === 'running' ? formatAmount(row.holdAmount) : '0.000000',
    error: row.errorCode ? { code: row.errorCode, message: row.errorMessage } : null,
    created_at: row.createdAt.toISOString(),
    started_at: row.startedAt?.toISOString() ?? null,
    finished_at: row.finishedAt?.toISOString() ?? null,
  };
}
