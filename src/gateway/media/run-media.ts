/**
 * One non-chat request (embeddings, images, speech, transcription) through the gateway: the same
 * hold, routing and settlement as chat, with the modality's own call and price.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../app-context.js';
import type { CatalogModel, Modality } from '../../catalog/catalog-schema.js';
import { MixgateError } from '../../lib/errors.js';
import { formatAmount } from '../../lib/money.js';
import type { CallOptions, ProviderAdapter, Usage } from '../../providers/spec.js';
import { beginMeteredRequest } from '../metering/metered-request.js';
import { callWithRouting, RoutingError } from '../routing/call-with-routing.js';
import type { RoutingRequest } from '../routing/routing-request.js';

export interface MediaPrice {
  cost: bigint;
  usage?: Usage & { estimated?: boolean };
  units?: Record<string, number>;
  /** Nothing came back (no image, no audio): nothing is charged. */
  empty: boolean;
}

export interface MediaSpec<Result> {
  kind: 'embedding' | 'image' | 'speech' | 'transcription';
  modality: Modality;
  routing: RoutingRequest;
  worstCase(model: CatalogModel): bigint;
  /** Calls the adapter's method for this modality, or throws when it has none. */
  invoke(adapter: ProviderAdapter, upstreamId: string, call: CallOptions): Promise<Result>;
  price(model: CatalogModel, result: Result): MediaPrice | Promise<MediaPrice>;
}

export interface MediaAnswer<Result> {
  result: Result;
  model: CatalogModel;
  generationId: string;
  createdAt: Date;
  /** Decimal string in currency units. */
  cost: string;
  /** The usage the request was priced and recorded with. */
  usage?: MediaPrice['usage'];
}

export async function runMedia<Result>(
  ctx: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
  spec: MediaSpec<Result>,
): Promise<MediaAnswer<Result>> {
  const gateway = ctx.gateway;
  const metered = await beginMeteredRequest(ctx, request, {
    kind: spec.kind,
    protocol: 'openai',
    modality: spec.modality,
    routing: spec.routing,
    worstCase: spec.worstCase,
    maxDurationMs: gateway.timeouts.totalTimeoutMs,
  });
  const client = new AbortController();
  const onClose = () => {
    if (!reply.raw.writableFinished) client.abort();
  };
  reply.raw.on('close', onClose);
  try {
    const routed = await callWithRouting(
      metered.route,
      (candidate, signal) => {
        const adapter = gateway.registry.get(candidate.deployment.provider);
        if (!adapter)
          throw new MixgateError('internal_error', `No adapter for ${candidate.deployment.provider}`);
        const call = {
          deployment: candidate.deployment,
          dispatcher: gateway.dispatcherFor(candidate.deployment),
          signal,
        };
        return spec.invoke(adapter, candidate.upstreamId, call);
      },
      {
        breakers: gateway.breakers,
        signal: client.signal,
        ...gateway.timeouts,
        // The answer arrives whole (an image can take a minute): one attempt may use all the time.
        attemptTimeoutMs: gateway.timeouts.totalTimeoutMs,
      },
    );
    const model = metered.model(routed.candidate.modelId);
    const price = await spec.price(model, routed.value);
    const cost = await metered.capture(price.empty ? 0n : price.cost, {
      status: price.empty ? 'empty' : 'succeeded',
      attempts: routed.attempts,
      candidate: routed.candidate,
      usage: price.usage,
      units: price.units,
    });
    reply.header('x-mixgate-generation-id', metered.generationId);
    reply.header('x-mixgate-cost', formatAmount(cost));
    return {
      result: routed.value,
      model,
      generationId: metered.generationId,
      createdAt: metered.createdAt,
      cost: formatAmount(cost),
      usage: price.usage,
    };
  } catch (error) {
    await metered.release({
      status: client.signal.aborted ? 'cancelled' : 'failed',
      attempts: error instanceof RoutingError ? error.attempts : [],
      errorCode: error instanceof MixgateError ? error.code : 'internal_error',
    });
    throw error;
  } finally {
    reply.raw.off('close', onClose);
  }
}

/** The adapter's method, or a clear failure when this provider does not offer the modality. */
export function requireMethod<M>(adapter: ProviderAdapter, method: M | undefined, what: string): M {
  if (!method) throw new MixgateError('internal_error', `${adapter.provider} offers no ${what}`);
  return method;
}
