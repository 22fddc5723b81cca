/**
 * POST /v1/jobs: validates the request, holds the worst case of the job on the right wallet (402
 * before anything starts), stores the job and schedules its first step. The answer is 202 with the
 * job; its webhook secret is shown here once.
 */
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../app-context.js';
import type { CatalogModel } from '../../catalog/catalog-schema.js';
import { jobCost } from '../../catalog/prices.js';
import { gatewayJobs } from '../../db/schema/index.js';
import { encrypt } from '../../lib/crypto.js';
import { MixgateError } from '../../lib/errors.js';
import { contentField, sealJson } from '../../privacy/content-cipher.js';
import { dataKeyFor } from '../../privacy/content-keys.js';
import { beginMeteredRequest } from '../metering/metered-request.js';
import { invalidRequest } from '../protocols/openai/openai-error-body.js';
import { ZRoutingFields } from '../routing/routing-request.js';
import { type JobRow, jobView } from './job-view.js';
import { checkWebhookUrl, newWebhookSecret, webhookSecretContext } from './job-webhook.js';
import { JOB_MAX_MS } from './run-job-step.js';

export const ZCreateJobRequest = z.object({
  ...ZRoutingFields.shape,
  model: z.string().min(1).max(200),
  /** The model's own inputs (prompt, duration, aspect ratio...), passed to the provider as given. */
  input: z
    .record(z.string(), z.unknown())
    .refine((input) => Object.keys(input).length > 0, 'must not be empty'),
  /** Called once when the job ends, signed (Standard Webhooks). */
  webhook: z.url().max(2000).optional(),
});

const ASYNC_MODALITIES = ['video', 'music', 'image', 'speech'] as const;

/** The most a job on this model can cost: its fixed price, its longest time, one output per image price. */
function worstCase(model: CatalogModel): bigint {
  return jobCost(model, { seconds: model.maxJobSeconds ?? 0, outputs: 1 });
}

export async function createJob(ctx: AppContext, request: FastifyRequest) {
  const { row, webhookSecret } = await queueJob(ctx, request, request.body);
  return {
    ...jobView(row, ctx.config.publicUrl),
    ...(webhookSecret ? { webhook_secret: webhookSecret } : {}),
  };
}

/**
 * Validates the request (`requestBody`: /v1's, or the studio's form), holds, stores the job and
 * schedules its first step; returns the job as stored (queued) and its webhook secret, if any.
 */
export async function queueJob(
  ctx: AppContext,
  request: FastifyRequest,
  requestBody: unknown,
): Promise<{ row: JobRow; webhookSecret?: string }> {
  const parsed = ZCreateJobRequest.safeParse(requestBody);
  if (!parsed.success) throw invalidRequest(parsed.error);
  const body = parsed.data;
  const first = ctx.gateway.catalog.resolve(body.model);
  if (!first) {
    throw new MixgateError(
      'model_not_found',
      `The model "${body.model}" does not exist on this instance`,
      404,
      {
        param: 'model',
      },
    );
  }
  if (!first.async || !(ASYNC_MODALITIES as readonly string[]).includes(first.modality)) {
    throw new MixgateError(
      'invalid_request',
      `"${body.model}" does not run as a job; use its own endpoint (${first.modality})`,
      400,
      { param: 'model' },
    );
  }
  if (body.webhook) await checkWebhookUrl(body.webhook, ctx.config.JOB_WEBHOOK_ALLOW_PRIVATE);
  const routing = { models: [...new Set([body.model, ...(body.models ?? [])])], provider: body.provider };
  const userId = request.principal!.userId;
  // Before the hold: an owner whose content was erased gets no job and no hold.
  const key = await dataKeyFor(ctx, userId);
  const metered = await beginMeteredRequest(ctx, request, {
    kind: 'job',
    protocol: 'openai',
    modality: first.modality,
    routing,
    worstCase,
    maxDurationMs: JOB_MAX_MS,
  });
  const jobId = `job-${metered.generationId.slice('gen-'.length)}`;
  const secret = body.webhook ? newWebhookSecret() : undefined;
  // The prompt is content: sealed with the owner's data key until the provider has it.
  const input = sealJson(key, body.input, contentField('gateway_jobs', 'input', jobId));
  const [row] = await ctx.db
    .insert(gatewayJobs)
    .values({
      id: jobId,
      generationId: metered.generationId,
      userId,
      organisationId: metered.organisationId,
      apiKeyId: metered.apiKeyId,
      requestedModel: metered.models[0]!.id,
      status: 'queued',
      input,
      routing,
      holdId: metered.holdId,
      holdAmount: metered.holdAmount,
      webhookUrl: body.webhook ?? null,
      webhookSecret: secret ? encrypt(ctx.masterKey, secret, webhookSecretContext(jobId)) : null,
      createdAt: metered.createdAt,
    })
    .returning();
  await ctx.gateway.jobScheduler.schedule(jobId, 0);
  return { row: row!, ...(secret ? { webhookSecret: secret } : {}) };
}
