/**
 * One chat request through the gateway, whichever protocol the client spoke (DESIGN.md "The
 * request lifecycle"): hold the worst case, call the provider with retries and fallback, stream or
 * answer, then capture what the answer cost with its usage record in one group-committed
 * transaction, or release the hold when nothing was delivered.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../app-context.js';
import type { CatalogModel } from '../../catalog/catalog-schema.js';
import { chatCost, worstCaseChatCost } from '../../catalog/prices.js';
import { MixgateError } from '../../lib/errors.js';
import { formatAmount } from '../../lib/money.js';
import type { ChatEvent, ChatRequest, ChatResult, Usage } from '../../providers/spec.js';
import { ProviderError } from '../../providers/spec.js';
import { beginMeteredRequest } from '../metering/metered-request.js';
import type {
  ChatStreamEncoder,
  NonStreamEncoder,
  ParsedChatRequest,
  ResponseMeta,
} from '../protocols/protocol-types.js';
import { callWithRouting, type RoutedResult, RoutingError } from '../routing/call-with-routing.js';
import { DeliveredOutput } from './delivered-output.js';
import { countPromptTokens, inputTokensBound } from './prompt-tokens.js';
import { writeStream } from './write-stream.js';

export interface ChatProtocol {
  name: 'openai' | 'anthropic';
  respond: NonStreamEncoder;
  streamEncoder(
    meta: ResponseMeta,
    parsed: ParsedChatRequest,
    inputTokensEstimate: number,
  ): ChatStreamEncoder;
  /**
   * For a caller that keeps the answer (the studio's conversations): called once the answer is
   * settled and before the client reads its end, so a client that looks again after the stream's
   * terminator finds what was kept. A failure here is logged; it changes neither the answer nor
   * what it costs.
   */
  answered?(answer: ChatAnswer): Promise<void>;
}

/** How one answer ended, as far as the client saw it. */
export interface ChatAnswer {
  /** complete | cancelled (the client left) | interrupted (the provider broke off) | failed (no answer) */
  status: 'complete' | 'cancelled' | 'interrupted' | 'failed';
  /** What was delivered of the text and the reasoning. */
  text: string;
  reasoning: string;
  /** Captured, in micros. */
  cost: bigint;
  usage: Usage | undefined;
  generationId: string;
  /** The catalog model that answered, or the first one asked for when none did. */
  model: string;
  /** Why an interrupted or failed answer ended, in words for the user. */
  error?: string;
}

type Attempt =
  | { kind: 'result'; result: ChatResult }
  | { kind: 'stream'; iterator: AsyncIterator<ChatEvent>; first: IteratorResult<ChatEvent> };

export async function runChat(
  ctx: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
  parsed: ParsedChatRequest,
  protocol: ChatProtocol,
): Promise<unknown> {
  const gateway = ctx.gateway;
  const startedAt = Date.now();
  const maxOutputFor = (model: CatalogModel) =>
    Math.min(
      parsed.chat.maxOutputTokens ?? model.defaultMaxOutputTokens ?? 4096,
      model.maxOutputTokens ?? Infinity,
    );
  const bound = inputTokensBound(parsed.chat);
  const metered = await beginMeteredRequest(ctx, request, {
    kind: 'chat',
    protocol: protocol.name,
    modality: 'text',
    routing: parsed.routing,
    streamed: parsed.stream,
    worstCase: (model) => worstCaseChatCost(model, bound, maxOutputFor(model)),
    maxDurationMs: gateway.timeouts.maxStreamMs,
  });
  // On errors too: the record of a failed request says which providers received the prompt.
  reply.header('x-mixgate-generation-id', metered.generationId);
  const announce = async (answer: ChatAnswer): Promise<void> => {
    if (!protocol.answered) return;
    try {
      await protocol.answered(answer);
    } catch (error) {
      request.log.error({ err: error, generationId: metered.generationId }, 'keeping the answer failed');
    }
  };

  const client = new AbortController();
  const onClose = () => {
    if (!reply.raw.writableFinished)
      client.abort(new ProviderError('aborted', 'the client closed the request'));
  };
  reply.raw.on('close', onClose);

  let routed: RoutedResult<Attempt>;
  try {
    routed = await callWithRouting<Attempt>(
      metered.route,
      async (candidate, signal) => {
        const adapter = gateway.registry.get(candidate.deployment.provider);
        const chatRequest: ChatRequest = {
          ...parsed.chat,
          model: candidate.upstreamId,
          maxOutputTokens: maxOutputFor(metered.model(candidate.modelId)),
        };
        const call = {
          deployment: candidate.deployment,
          dispatcher: gateway.dispatcherFor(candidate.deployment),
          signal,
        };
        if (!parsed.stream) {
          if (!adapter?.chat)
            throw new ProviderError('server', `${candidate.deployment.id} has no chat adapter`);
          return { kind: 'result', result: await adapter.chat(chatRequest, call) };
        }
        if (!adapter?.chatStream)
          throw new ProviderError('server', `${candidate.deployment.id} has no chat adapter`);
        const iterator = adapter.chatStream(chatRequest, call)[Symbol.asyncIterator]();
        // Committed only once the provider produced something: until then, retrying is safe.
        return { kind: 'stream', iterator, first: await iterator.next() };
      },
      {
        breakers: gateway.breakers,
        signal: client.signal,
        ...gateway.timeouts,
        // A stream commits at its first event; a plain answer arrives whole, and a long one (a
        // reasoning model) must not be cut and paid twice: it gets the whole request's time.
        attemptTimeoutMs: parsed.stream ? gateway.timeouts.attemptTimeoutMs : gateway.timeouts.totalTimeoutMs,
      },
    );
  } catch (error) {
    reply.raw.off('close', onClose);
    const cancelled = client.signal.aborted;
    await metered.release({
      status: cancelled ? 'cancelled' : 'failed',
      attempts: error instanceof RoutingError ? error.attempts : [],
      // As for a stream the client left: the router's own code for it (a 499 invalid_request) would
      // read as the client's request being at fault.
      errorCode: cancelled ? 'client_closed' : error instanceof MixgateError ? error.code : 'internal_error',
    });
    await announce({
      status: cancelled ? 'cancelled' : 'failed',
      text: '',
      reasoning: '',
      cost: 0n,
      usage: undefined,
      generationId: metered.generationId,
      model: metered.models[0]!.id,
      ...(cancelled
        ? {}
        : { error: error instanceof MixgateError ? error.message : 'The request failed unexpectedly' }),
    });
    throw error;
  }

  const { candidate, attempts, value } = routed;
  const model = metered.model(candidate.modelId);
  const meta: ResponseMeta = {
    id: metered.generationId,
    model: model.id,
    created: Math.floor(metered.createdAt.getTime() / 1000),
  };
  const delivered = new DeliveredOutput(startedAt);

  /** The provider's usage when the answer completed; otherwise what the client received. */
  const capture = async (status: string, complete: boolean, errorCode?: string) => {
    const usage = complete && delivered.usage ? delivered.usage : await countedUsage(delivered, parsed);
    const empty = delivered.isEmpty;
    const cost = await metered.capture(empty ? 0n : chatCost(model, usage), {
      status: empty && status === 'succeeded' ? 'empty' : status,
      attempts,
      candidate,
      errorCode,
      usage,
      firstTokenMs: delivered.firstOutputMs,
    });
    return { usage, cost: formatAmount(cost), micros: cost };
  };
  const answer = (
    status: ChatAnswer['status'],
    usage: Usage | undefined,
    cost: bigint,
    error?: string,
  ): ChatAnswer => ({
    status,
    text: delivered.deliveredText,
    reasoning: delivered.deliveredReasoning,
    cost,
    usage,
    generationId: metered.generationId,
    model: model.id,
    ...(error ? { error } : {}),
  });

  if (value.kind === 'result') {
    reply.raw.off('close', onClose);
    delivered.addResult(value.result);
    const { usage, cost, micros } = await capture('succeeded', true);
    await announce(answer('complete', usage, micros));
    reply.header('x-mixgate-cost', cost);
    return protocol.respond(value.result, meta, { usage, cost, finishReason: value.result.finishReason });
  }

  const outcome = await writeStream({
    reply,
    encoder: protocol.streamEncoder(meta, parsed, 0),
    iterator: value.iterator,
    first: value.first,
    delivered,
    clientSignal: client.signal,
    upstream: routed.controller,
    generationId: metered.generationId,
    maxStreamMs: gateway.timeouts.maxStreamMs,
  });
  reply.raw.off('close', onClose);
  try {
    if (outcome.kind === 'complete') {
      const { usage, cost, micros } = await capture('succeeded', true);
      await announce(answer('complete', usage, micros));
      outcome.finish({ usage, cost, finishReason: delivered.finishReason ?? 'stop' });
    } else if (outcome.kind === 'client_gone') {
      const { usage, micros } = await capture('cancelled', false, 'client_closed');
      await announce(answer('cancelled', usage, micros));
      outcome.finish();
    } else {
      const { usage, micros } = await capture('interrupted', false, outcome.error.kind);
      await announce(
        answer('interrupted', usage, micros, `The provider's stream broke off (${outcome.error.kind})`),
      );
      outcome.finish();
    }
  } catch (error) {
    // The capture failed: the hold expires and is voided; the client sees an error, not a cost.
    request.log.error({ err: error, generationId: metered.generationId }, 'settlement failed');
    await announce(answer('failed', undefined, 0n, 'The request could not be metered'));
    outcome.fail({ status: 500, code: 'internal_error', message: 'The request could not be metered' });
  }
  return reply;
}

/** Output counted from what was delivered; input from the provider when it said, else counted. */
async function countedUsage(
  delivered: DeliveredOutput,
  parsed: ParsedChatRequest,
): Promise<Usage & { estimated: true }> {
  const counted = await delivered.countOutputTokens();
  return {
    inputTokens: delivered.usage?.inputTokens ?? (await countPromptTokens(parsed.chat)),
    outputTokens: counted.outputTokens,
    reasoningTokens: counted.reasoningTokens,
    estimated: true,
  };
}
