/**
 * The metering shared by every gateway endpoint (DESIGN.md steps 1-4 and 7): resolve the requested
 * models, plan the route, hold the worst case on the right wallet before any provider is called,
 * and at the end capture the actual cost, or void the hold, together with the usage record.
 */
import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../../app-context.js';
import { deploymentsForModel } from '../../catalog/catalog.js';
import type { CatalogModel, Modality } from '../../catalog/catalog-schema.js';
import { holdFor, resolveSpender } from '../../ledger/spender.js';
import { MixgateError } from '../../lib/errors.js';
import type { Usage } from '../../providers/spec.js';
import { type GatewayServices, HOLD_MARGIN_MS } from '../gateway-services.js';
import { newGenerationId } from '../generation-id.js';
import type { AttemptRecord } from '../routing/call-with-routing.js';
import { planRoute, type RouteCandidate, type RoutingPolicy } from '../routing/plan-route.js';
import type { RoutingRequest, TProviderRouting } from '../routing/routing-request.js';
import { type GenerationRecord, recipientsOf } from './generation-record.js';

export interface MeteredRequestInput {
  kind: 'chat' | 'embedding' | 'image' | 'speech' | 'transcription' | 'job';
  protocol: 'openai' | 'anthropic';
  modality: Modality;
  routing: RoutingRequest;
  streamed?: boolean;
  /** The most this request can cost on `model`; the hold is the largest over the route's models. */
  worstCase(model: CatalogModel): bigint;
  /** How long the request may run before its hold may expire. */
  maxDurationMs: number;
}

export interface MeteredOutcome {
  /** succeeded | empty | failed | cancelled | interrupted */
  status: string;
  attempts: AttemptRecord[];
  candidate?: RouteCandidate;
  errorCode?: string;
  usage?: Usage & { estimated?: boolean };
  units?: Record<string, number>;
  firstTokenMs?: number;
}

export interface MeteredRequest {
  generationId: string;
  createdAt: Date;
  models: CatalogModel[];
  model(id: string): CatalogModel;
  route: RouteCandidate[];
  holdId: number;
  holdAmount: bigint;
  organisationId: string | null;
  apiKeyId: string | null;
  /** Captures `cost` (never more than held) with the record; resolves once committed. */
  capture(cost: bigint, outcome: MeteredOutcome): Promise<bigint>;
  /** Releases the hold with the record of what happened. Never throws. */
  release(outcome: MeteredOutcome): Promise<void>;
}

export async function beginMeteredRequest(
  ctx: AppContext,
  request: FastifyRequest,
  input: MeteredRequestInput,
): Promise<MeteredRequest> {
  const gateway = ctx.gateway;
  const principal = request.principal;
  if (!principal) throw new MixgateError('unauthenticated', 'Sign in first');
  const startedAt = Date.now();
  const createdAt = ctx.now();
  const generationId = newGenerationId(createdAt.getTime());

  const models = input.routing.models.map((id) => resolveModel(ctx, id, input.modality));
  const modelsById = new Map(models.map((model) => [model.id, model]));
  const route = routeForModels(
    gateway,
    models,
    input.routing.provider,
    (principal.kind === 'api_key' ? principal.key.routingPolicy : principal.user.routingPolicy) ?? undefined,
  );

  // A fallback model may cost more than the first: hold the worst case of every model routed to.
  let holdAmount = 1n;
  for (const modelId of new Set(route.map((candidate) => candidate.modelId))) {
    const worst = input.worstCase(modelsById.get(modelId)!);
    if (worst > holdAmount) holdAmount = worst;
  }
  const apiKey = principal.kind === 'api_key' ? principal.key : null;
  const organisationId = apiKey?.organisationId ?? null;
  const spender = await resolveSpender(ctx.db, {
    userId: principal.userId,
    organisationId,
    apiKey,
    member: apiKey?.member ?? null,
  });
  const hold = await gateway.holdPool.hold(
    holdFor(spender, {
      amount: holdAmount,
      idempotencyKey: generationId,
      expiresAt: new Date(createdAt.getTime() + input.maxDurationMs + HOLD_MARGIN_MS),
      now: createdAt,
      model: models[0]!.id,
    }),
  );

  const record = (outcome: MeteredOutcome, cost: bigint): GenerationRecord => {
    const usage = outcome.usage;
    return {
      row: {
        id: generationId,
        userId: principal.userId,
        organisationId,
        apiKeyId: apiKey?.id ?? null,
        kind: input.kind,
        protocol: input.protocol,
        requestedModel: models[0]!.id,
        model: outcome.candidate?.modelId ?? null,
        deploymentId: outcome.candidate?.deployment.id ?? null,
        provider: outcome.candidate?.deployment.provider ?? null,
        upstreamModel: outcome.candidate?.upstreamId ?? null,
        status: outcome.status,
        streamed: input.streamed ?? false,
        inputTokens: usage?.inputTokens ?? 0,
        outputTokens: usage?.outputTokens ?? 0,
        cachedInputTokens: usage?.cachedInputTokens ?? 0,
        cacheWriteTokens: usage?.cacheWriteTokens ?? 0,
        reasoningTokens: usage?.reasoningTokens ?? 0,
        usageEstimated: usage?.estimated ?? false,
        units: outcome.units ?? null,
        cost,
        holdId: hold.holdId,
        errorCode: outcome.errorCode ?? null,
        latencyMs: Date.now() - startedAt,
        firstTokenMs: outcome.firstTokenMs ?? null,
        attempts: outcome.attempts,
        createdAt,
        finishedAt: ctx.now(),
      },
      recipients: recipientsOf(generationId, outcome.attempts, gateway.deploymentsById, createdAt),
    };
  };

  return {
    generationId,
    createdAt,
    models,
    model: (id) => modelsById.get(id)!,
    route,
    holdId: hold.holdId,
    holdAmount,
    organisationId,
    apiKeyId: apiKey?.id ?? null,
    async capture(cost, outcome) {
      // Never more than was held: if a provider ever bills past the bound, the difference is ours.
      const captured = cost > holdAmount ? holdAmount : cost < 0n ? 0n : cost;
      await gateway.settlements.post(hold.holdId, captured, record(outcome, captured));
      return captured;
    },
    async release(outcome) {
      await gateway.settlements.void(hold.holdId, record(outcome, 0n)).catch((error: unknown) => {
        // The hold expires and is voided by the job; the client's error is the one that matters.
        request.log.error({ err: error, generationId }, 'releasing a hold failed');
      });
    },
  };
}

/** The deployments to try for these models, in order, under the request's and the user's restrictions. */
export function routeForModels(
  gateway: GatewayServices,
  models: readonly CatalogModel[],
  provider: TProviderRouting | undefined,
  policy: RoutingPolicy | undefined,
): RouteCandidate[] {
  return planRoute(
    models.map((model) => ({
      modelId: model.id,
      candidates: deploymentsForModel(model, gateway.deployments).map(
        ({ deployment, upstreamId }): RouteCandidate => ({ modelId: model.id, deployment, upstreamId }),
      ),
    })),
    provider,
    policy,
  );
}

/** The catalog model `id` names, which must be of `modality`: else 404 or 400 naming the parameter. */
export function resolveModel(ctx: AppContext, id: string, modality: Modality): CatalogModel {
  const model = ctx.gateway.catalog.resolve(id);
  if (!model) {
    throw new MixgateError(
      'model_not_found',
      `The model "${id}" does not exist on this instance; GET /v1/models lists them`,
      404,
      { param: 'model' },
    );
  }
  if (model.modality !== modality) {
    throw new MixgateError(
      'invalid_request',
      `"${id}" is ${article(model.modality)} ${model.modality} model, not ${article(modality)} ${modality} model`,
      400,
      {
        param: 'model',
      },
    );
  }
  return model;
}

function article(word: string): string {
  return /^[aeiou]/.test(word) ? 'an' : 'a';
}
