/**
 * Pumps a provider's chat stream to the client as SSE, honouring back-pressure, and reports how it
 * ended without writing the ending: the caller settles first, so the cost in the final usage chunk
 * is one already committed (DESIGN.md "Hot path budget").
 *   complete     the provider finished; finish(totals) writes the usage chunk and the terminator
 *   client_gone  the client left; the upstream request is cancelled, nothing more is written
 *   failed       the provider broke off or sent garbage; finish() writes an error event, never
 *                the clean terminator
 */
import type { FastifyReply } from 'fastify';
import type { ChatEvent } from '../../providers/spec.js';
import { ProviderError } from '../../providers/spec.js';
import type { AnswerTotals, ChatStreamEncoder, ClientError } from '../protocols/protocol-types.js';
import type { DeliveredOutput } from './delivered-output.js';

export type StreamOutcome =
  | { kind: 'complete'; finish(totals: AnswerTotals): void; fail(error: ClientError): void }
  | { kind: 'client_gone'; finish(): void; fail(error: ClientError): void }
  | { kind: 'failed'; error: ProviderError; finish(): void; fail(error: ClientError): void };

export interface WriteStreamInput {
  reply: FastifyReply;
  encoder: ChatStreamEncoder;
  iterator: AsyncIterator<ChatEvent>;
  first: IteratorResult<ChatEvent>;
  delivered: DeliveredOutput;
  clientSignal: AbortSignal;
  /** Cancels the upstream request. */
  upstream: AbortController;
  generationId: string;
  maxStreamMs: number;
}

export async function writeStream(input: WriteStreamInput): Promise<StreamOutcome> {
  const { reply, encoder, iterator, delivered, clientSignal } = input;
  const raw = reply.raw;
  reply.hijack();
  raw.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
    'x-mixgate-generation-id': input.generationId,
  });

  // Events that arrive together (one read of the provider's body often holds several) leave in
  // one write, once this turn of the event loop has run its callbacks: a write per event would
  // cost a chunk header and a system call each, for bytes the client gets at the same moment
  // anyway. (process.nextTick would be too early: it runs before the promise jobs that carry the
  // next event through the iterators.)
  let pending = '';
  let drained: Promise<void> | undefined;
  const flush = () => {
    const text = pending;
    pending = '';
    if (!text || raw.destroyed || raw.writableEnded) return;
    if (!raw.write(text)) drained = onceDrained(raw);
  };
  const write = async (text: string): Promise<void> => {
    if (!text || raw.destroyed) return;
    if (drained) {
      await drained;
      drained = undefined;
    }
    if (pending === '') setImmediate(flush);
    pending += text;
  };
  const end = (text: string) => {
    const rest = pending + text;
    pending = '';
    if (!raw.destroyed) raw.end(rest);
  };
  const fail = (error: ClientError) => end(encoder.fail(error));

  const deadline = setTimeout(
    () =>
      input.upstream.abort(
        new ProviderError('timeout', `the stream ran longer than ${input.maxStreamMs} ms`),
      ),
    input.maxStreamMs,
  );
  let failure: ProviderError | undefined;
  try {
    await write(encoder.start());
    let next = input.first;
    while (!next.done) {
      delivered.add(next.value);
      await write(encoder.event(next.value));
      if (clientSignal.aborted) break;
      next = await iterator.next();
    }
    if (!clientSignal.aborted && next.done && delivered.finishReason === undefined) {
      failure = new ProviderError(
        'interrupted',
        'the provider ended the stream without finishing the answer',
      );
    }
  } catch (error) {
    if (!clientSignal.aborted) {
      failure =
        error instanceof ProviderError
          ? error
          : new ProviderError('malformed', 'the provider stream failed unexpectedly');
    }
  } finally {
    clearTimeout(deadline);
  }

  if (clientSignal.aborted || raw.destroyed) {
    input.upstream.abort(clientSignal.reason);
    await iterator.return?.().catch(() => undefined);
    return { kind: 'client_gone', finish: () => raw.destroy(), fail };
  }
  if (failure) {
    await iterator.return?.().catch(() => undefined);
    const error = failure;
    return {
      kind: 'failed',
      error,
      finish: () =>
        fail({
          status: error.kind === 'timeout' ? 504 : 502,
          code: error.kind === 'timeout' ? 'upstream_timeout' : 'upstream_error',
          message: `The provider's stream broke off (${error.kind}); what you received is all there is`,
        }),
      fail,
    };
  }
  return { kind: 'complete', finish: (totals) => end(encoder.end(totals)), fail };
}

/** Resolves once `raw` wants more, or is gone. */
function onceDrained(raw: FastifyReply['raw']): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = () => {
      raw.off('drain', done);
      raw.off('close', done);
      resolve();
    };
    raw.on('drain', done);
    raw.on('close', done);
  });
}
