/**
 * GET /v1/generations/:id: what one request used and cost, who processed it and where (PP 7.2, 8),
 * in OpenRouter's `{ data: {...} }` shape. Only the user who made the request sees it.
 */
import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/database.js';
import { generationRecipients, generations } from '../../db/schema/index.js';
import { MixgateError } from '../../lib/errors.js';
import { formatAmount } from '../../lib/money.js';

/** Whether the generation `id` is one of `userId`'s requests. */
export async function isOwnGeneration(db: Db, userId: string, id: string): Promise<boolean> {
  const [row] = await db
    .select({ id: generations.id })
    .from(generations)
    .where(and(eq(generations.id, id), eq(generations.userId, userId)));
  return row !== undefined;
}

/** What the studio's gallery shows of a generation: who answered (as generationDetails says) and the cost. */
export interface GenerationSummary {
  id: string;
  /** The catalog model that answered, else the one asked for. */
  model: string;
  provider: string | null;
  cost: bigint;
}

/** The generations among `ids` that are `userId`'s, by id. */
export async function generationSummaries(
  db: Db,
  userId: string,
  ids: readonly string[],
): Promise<Map<string, GenerationSummary>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .select({
      id: generations.id,
      model: generations.model,
      requestedModel: generations.requestedModel,
      provider: generations.provider,
      cost: generations.cost,
    })
    .from(generations)
    .where(and(inArray(generations.id, [...ids]), eq(generations.userId, userId)));
  return new Map(
    rows.map((row) => [
      row.id,
      {
        id: row.id,
        model: row.model ?? row.requestedModel,
        provider: row.provider,
        cost: row.cost,
      },
    ]),
  );
}

export async function generationDetails(db: Db, userId: string, id: string) {
  const [row] = await db
    .select()
    .from(generations)
    .where(and(eq(generations.id, id), eq(generations.userId, userId)));
  if (!row) throw new MixgateError('not_found', `No generation "${id}" of yours`);
  const recipients = await db
    .select()
    .from(generationRecipients)
    .where(eq(generationRecipients.generationId, id));
  return {
    data: {
      id: row.id,
      model: row.model ?? row.requestedModel,
      requested_model: row.requestedModel,
      provider: row.provider,
      deployment: row.deploymentId,
      upstream_model: row.upstreamModel,
      status: row.status,
      streamed: row.streamed,
      protocol: row.protocol,
      tokens_prompt: row.inputTokens,
      tokens_completion: row.outputTokens,
      tokens_cached: row.cachedInputTokens,
      tokens_cache_write: row.cacheWriteTokens,
      tokens_reasoning: row.reasoningTokens,
      usage_estimated: row.usageEstimated,
      units: row.units ?? null,
      cost: formatAmount(row.cost),
      latency_ms: row.latencyMs,
      first_token_ms: row.firstTokenMs,
      error_code: row.errorCode,
      created_at: row.createdAt.toISOString(),
      finished_at: row.finishedAt.toISOString(),
      // Every sub-processor that received the request: the answering one and any tried before it.
      processed_by: recipients.map((recipient) => ({
        deployment: recipient.deploymentId,
        provider: recipient.provider,
        region: recipient.region,
        transfer_safeguard: recipient.transferSafeguard,
        zero_retention: recipient.zeroRetention,
        answered: recipient.deploymentId === row.deploymentId,
      })),
    },
  };
}
