/**
 * One step of a gateway job, run by the scheduler: start it at a provider (with routing and
 * fallback), or poll it once; when it ends, keep its outputs, settle its hold with its generation
 * record, and call its webhook. Each step claims the job with a short lease, so two instances (or a
 * step and a restart's resume) never work on it at once; all state is in the row.
 */
import { and, eq, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { AppContext } from '../../app-context.js';
import type { CatalogModel } from '../../catalog/catalog-schema.js';
import { jobCost } from '../../catalog/prices.js';
import { gatewayJobs, users } from '../../db/schema/index.js';
import { decrypt } from '../../lib/crypto.js';
import { MixgateError } from '../../lib/errors.js';
import { contentField, openJson } from '../../privacy/content-cipher.js';
import { dataKeyFor } from '../../privacy/content-keys.js';
import type { AsyncJobRequest, AsyncJobStatus, Deployment } from '../../providers/spec.js';
import { ProviderError } from '../../providers/spec.js';
import type { GenerationRecord } from '../metering/generation-record.js';
import { recipientsOf } from '../metering/generation-record.js';
import { routeForModels } from '../metering/metered-request.js';
import { type AttemptRecord, callWithRouting, RoutingError } from '../routing/call-with-routing.js';
import type { RouteCandidate } from '../routing/plan-route.js';
import type { TProviderRouting } from '../routing/routing-request.js';
import { storeJobOutputs } from './job-outputs.js';
import { type JobRow, jobView } from './job-view.js';
import { deliverWebhook, webhookSecretContext } from './job-webhook.js';

/** The longest a job may run before it is cancelled upstream and fails. */
export const JOB_MAX_MS = 6 * 3600_000;
const LEASE_MS = 120_000;
const MAX_POLL_FAILURES = 10;

export async function runJobStep(ctx: AppContext, jobId: string): Promise<void> {
  const now = ctx.now();
  const [job] = await ctx.db
    .update(gatewayJobs)
    .set({ leaseUntil: new Date(now.getTime() + LEASE_MS) })
    .where(
      and(
        eq(gatewayJobs.id, jobId),
        inArray(gatewayJobs.status, ['queued', 'running']),
        or(isNull(gatewayJobs.leaseUntil), lt(gatewayJobs.leaseUntil, now)),
      ),
    )
    .returning();
  if (!job) return;
  let next: number | null = null;
  try {
    next = await step(ctx, job);
  } finally {
    await ctx.db.update(gatewayJobs).set({ leaseUntil: null }).where(eq(gatewayJobs.id, jobId));
  }
  if (next !== null) await ctx.gateway.jobScheduler.schedule(jobId, next);
}

/** Does one step; returns the delay before the next, or null when the job has ended. */
async function step(ctx: AppContext, job: JobRow): Promise<number | null> {
  const now = ctx.now();
  if (job.cancelRequestedAt) {
    if (job.upstreamId) await cancelUpstream(ctx, job);
    await finish(ctx, job, {
      status: 'cancelled',
      errorCode: 'cancelled',
      errorMessage: 'Cancelled by the client',
    });
    return null;
  }
  if (job.status === 'queued') return start(ctx, job);
  if (job.startedAt && now.getTime() - job.startedAt.getTime() > JOB_MAX_MS) {
    await cancelUpstream(ctx, job);
    await finish(ctx, job, {
      status: 'failed',
      errorCode: 'upstream_timeout',
      errorMessage: `The provider did not finish within ${JOB_MAX_MS / 3600_000} hours`,
    });
    return null;
  }
  return poll(ctx, job);
}

function deploymentOf(ctx: AppContext, job: JobRow): Deployment | undefined {
  return job.deploymentId ? ctx.gateway.deploymentsById.get(job.deploymentId) : undefined;
}

function callOptions(ctx: AppContext, deployment: Deployment, signal = AbortSignal.timeout(60_000)) {
  return { deployment, dispatcher: ctx.gateway.dispatcherFor(deployment), signal };
}

const ZJobInput = z.record(z.string(), z.unknown());

/** The sealed inputs, opened with the owner's data key (gone once the owner's content was erased). */
async function openInput(ctx: AppContext, job: JobRow): Promise<Record<string, unknown>> {
  if (!job.input) return {};
  const key = await dataKeyFor(ctx, job.userId);
  return openJson(key, job.input, contentField('gateway_jobs', 'input', job.id), ZJobInput);
}

/** A job whose content cannot be kept or read (its owner was erased) fails; nothing is charged. */
async function failUnreadable(ctx: AppContext, job: JobRow, error: unknown): Promise<null> {
  if (!(error instanceof MixgateError)) throw error;
  await finish(ctx, job, { status: 'failed', errorCode: error.code, errorMessage: error.message });
  return null;
}

async function start(ctx: AppContext, job: JobRow): Promise<number | null> {
  const gateway = ctx.gateway;
  let input: Record<string, unknown>;
  try {
    input = await openInput(ctx, job);
  } catch (error) {
    return failUnreadable(ctx, job, error);
  }
  let route: RouteCandidate[];
  const models: CatalogModel[] = [];
  try {
    for (const id of job.routing.models) {
      const model = gateway.catalog.resolve(id);
      if (model) models.push(model);
    }
    route = routeForModels(
      gateway,
      models,
      job.routing.provider as TProviderRouting | undefined,
      (await ownerPolicy(ctx, job.userId)) ?? undefined,
    );
  } catch (error) {
    await finish(ctx, job, {
      status: 'failed',
      errorCode: 'no_eligible_provider',
      errorMessage: (error as Error).message,
    });
    return null;
  }
  try {
    const routed = await callWithRouting(
      route,
      async (candidate, signal) => {
        const adapter = gateway.registry.get(candidate.deployment.provider);
        if (!adapter?.startJob)
          throw new ProviderError('bad_request', `${candidate.deployment.id} runs no jobs`);
        const model = models.find((m) => m.id === candidate.modelId)!;
        const request: AsyncJobRequest = {
          model: candidate.upstreamId,
          modality: model.modality as AsyncJobRequest['modality'],
          input,
        };
        return adapter.startJob(request, callOptions(ctx, candidate.deployment, signal));
      },
      { breakers: gateway.breakers, ...gateway.timeouts },
    );
    await ctx.db
      .update(gatewayJobs)
      .set({
        status: 'running',
        upstreamId: routed.value.upstreamId,
        model: routed.candidate.modelId,
        deploymentId: routed.candidate.deployment.id,
        upstreamModel: routed.candidate.upstreamId,
        // The provider has the inputs now; we keep no copy of the prompt.
        input: null,
        attempts: routed.attempts,
        startedAt: ctx.now(),
      })
      .where(eq(gatewayJobs.id, job.id));
    return ctx.gateway.timeouts.jobPollMs;
  } catch (error) {
    const attempts = error instanceof RoutingError ? error.attempts : [];
    await finish(
      ctx,
      { ...job, attempts },
      {
        status: 'failed',
        errorCode: error instanceof RoutingError ? error.code : 'internal_error',
        errorMessage: error instanceof Error ? error.message : 'The job could not be started',
      },
    );
    return null;
  }
}

async function ownerPolicy(ctx: AppContext, userId: string) {
  const [owner] = await ctx.db
    .select({ policy: users.routingPolicy })
    .from(users)
    .where(eq(users.id, userId));
  return owner?.policy ?? null;
}

async function poll(ctx: AppContext, job: JobRow): Promise<number | null> {
  const deployment = deploymentOf(ctx, job);
  const adapter = deployment && ctx.gateway.registry.get(deployment.provider);
  if (!deployment || !adapter?.pollJob || !job.upstreamId) {
    await finish(ctx, job, {
      status: 'failed',
      errorCode: 'unavailable',
      errorMessage: `The deployment running this job (${job.deploymentId}) is no longer configured`,
    });
    return null;
  }
  let status: AsyncJobStatus;
  try {
    status = await adapter.pollJob(job.upstreamId, callOptions(ctx, deployment));
  } catch (error) {
    const failures = job.pollFailures + 1;
    const retryable = error instanceof ProviderError && error.isRetryable;
    if (!retryable || failures >= MAX_POLL_FAILURES) {
      await finish(ctx, job, {
        status: 'failed',
        errorCode: 'upstream_error',
        errorMessage: error instanceof Error ? error.message : 'The provider could not be polled',
      });
      return null;
    }
    await ctx.db.update(gatewayJobs).set({ pollFailures: failures }).where(eq(gatewayJobs.id, job.id));
    return Math.min(60_000, ctx.gateway.timeouts.jobPollMs * 2 ** failures);
  }
  switch (status.state) {
    case 'running':
      await ctx.db
        .update(gatewayJobs)
        .set({
          progress: status.progress === undefined ? job.progress : Math.round(status.progress),
          pollFailures: 0,
        })
        .where(eq(gatewayJobs.id, job.id));
      return ctx.gateway.timeouts.jobPollMs;
    case 'succeeded': {
      let key: Buffer;
      try {
        key = await dataKeyFor(ctx, job.userId);
      } catch (error) {
        return failUnreadable(ctx, job, error);
      }
      const outputs = await storeJobOutputs(ctx.config.dataDir, job.id, key, status.outputs);
      const model = ctx.gateway.catalog.resolve(job.model ?? job.requestedModel);
      const seconds =
        model?.pricing.secondsOf === 'output'
          ? status.metrics?.outputSeconds
          : status.metrics?.predictSeconds;
      let cost = 0n;
      if (model && outputs.length > 0) {
        try {
          cost = jobCost(model, { seconds: seconds ?? model.maxJobSeconds, outputs: outputs.length });
        } catch {
          cost = job.holdAmount; // priced by time with no time reported: the worst case that was held
        }
      }
      await finish(ctx, job, {
        status: 'succeeded',
        cost,
        outputs,
        metrics: status.metrics as Record<string, number> | undefined,
      });
      return null;
    }
    case 'failed':
      await finish(ctx, job, {
        status: 'failed',
        errorCode: status.error.kind,
        errorMessage: status.error.message,
      });
      return null;
    case 'canceled':
      await finish(ctx, job, {
        status: 'cancelled',
        errorCode: 'cancelled',
        errorMessage: 'Cancelled at the provider',
      });
      return null;
  }
}

async function cancelUpstream(ctx: AppContext, job: JobRow): Promise<void> {
  const deployment = deploymentOf(ctx, job);
  const adapter = deployment && ctx.gateway.registry.get(deployment.provider);
  if (!deployment || !adapter?.cancelJob || !job.upstreamId) return;
  await adapter.cancelJob(job.upstreamId, callOptions(ctx, deployment)).catch(() => undefined);
}

interface Ending {
  status: 'succeeded' | 'failed' | 'cancelled';
  cost?: bigint;
  outputs?: JobRow['outputs'];
  metrics?: Record<string, number>;
  errorCode?: string;
  errorMessage?: string;
}

/** Settles the hold with the generation record, stores the ending, then calls the webhook. */
async function finish(ctx: AppContext, job: JobRow, ending: Ending): Promise<void> {
  const finishedAt = ctx.now();
  const cost = ending.cost && ending.cost > job.holdAmount ? job.holdAmount : (ending.cost ?? 0n);
  const record = jobRecord(ctx, job, ending, cost, finishedAt);
  const settlements = ctx.gateway.settlements;
  await (cost > 0n ? settlements.post(job.holdId, cost, record) : settlements.void(job.holdId, record)).catch(
    (error: unknown) => {
      // Already settled by an earlier try of this step: the row below still records the ending.
      if (!(error instanceof MixgateError && error.code === 'conflict')) throw error;
    },
  );
  const [row] = await ctx.db
    .update(gatewayJobs)
    .set({
      status: ending.status,
      cost,
      outputs: ending.outputs ?? job.outputs,
      metrics: ending.metrics ?? job.metrics,
      errorCode: ending.errorCode ?? null,
      errorMessage: ending.errorMessage ?? null,
      input: null,
      finishedAt,
    })
    .where(eq(gatewayJobs.id, job.id))
    .returning();
  if (row?.webhookUrl && row.webhookSecret && !row.webhookDeliveredAt) {
    const secret = decrypt(ctx.masterKey, row.webhookSecret, webhookSecretContext(row.id)).toString('utf8');
    const delivered = await deliverWebhook(
      row.webhookUrl,
      secret,
      `${row.id}.${row.status}`,
      jobView(row, ctx.config.publicUrl),
      ctx.now,
    );
    if (delivered) {
      await ctx.db
        .update(gatewayJobs)
        .set({ webhookDeliveredAt: ctx.now() })
        .where(eq(gatewayJobs.id, job.id));
    }
  }
}

function jobRecord(
  ctx: AppContext,
  job: JobRow,
  ending: Ending,
  cost: bigint,
  finishedAt: Date,
): GenerationRecord {
  const attempts = job.attempts as AttemptRecord[];
  const metrics = ending.metrics ?? {};
  return {
    row: {
      id: job.generationId,
      userId: job.userId,
      organisationId: job.organisationId,
      apiKeyId: job.apiKeyId,
      kind: 'job',
      protocol: 'openai',
      requestedModel: job.requestedModel,
      model: job.model,
      deploymentId: job.deploymentId,
      provider: job.deploymentId
        ? (ctx.gateway.deploymentsById.get(job.deploymentId)?.provider ?? null)
        : null,
      upstreamModel: job.upstreamModel,
      status: ending.status,
      units: { outputs: ending.outputs?.length ?? 0, ...metrics },
      cost,
      holdId: job.holdId,
      errorCode: ending.errorCode ?? null,
      latencyMs: finishedAt.getTime() - job.createdAt.getTime(),
      attempts,
      createdAt: job.createdAt,
      finishedAt,
    },
    recipients: recipientsOf(
      job.generationId,
      attempts,
      ctx.gateway.deploymentsById,
      job.startedAt ?? job.createdAt,
    ),
  };
}

/** At start: every job left queued or running is stepped again (its lease, if any, runs out first). */
export async function resumeUnfinishedJobs(ctx: AppContext): Promise<number> {
  const rows = await ctx.db
    .select({ id: gatewayJobs.id })
    .from(gatewayJobs)
    .where(sql`${gatewayJobs.status} IN ('queued', 'running')`);
  for (const row of rows) await ctx.gateway.jobScheduler.schedule(row.id, 0);
  return rows.length;
}
