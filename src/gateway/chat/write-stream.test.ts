import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyReply } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChatEvent } from '../../providers/spec.js';
import type { ChatStreamEncoder } from '../protocols/protocol-types.js';
import { DeliveredOutput } from './delivered-output.js';
import { type StreamOutcome, writeStream } from './write-stream.js';

const encoder: ChatStreamEncoder = {
  start: () => 'start\n',
  event: (event) => (event.type === 'text' ? `text ${event.text}\n` : ''),
  end: () => 'end\n',
  fail: () => 'failed\n',
};

const text = (value: string): ChatEvent => ({ type: 'text', text: value });
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let close: (() => Promise<void>) | undefined;
afterEach(async () => close?.());

/**
 * Serves one stream of `events` (each after its delay) through writeStream on a real socket, and
 * returns every write the response took and what the client read.
 */
async function serve(events: Array<{ event: ChatEvent; afterMs?: number }>) {
  const writes: string[] = [];
  let outcome: Promise<StreamOutcome> | undefined;
  const server = createServer((_request, response: ServerResponse) => {
    const write = response.write.bind(response);
    response.write = ((chunk: string, ...rest: never[]) => {
      writes.push(String(chunk));
      return write(chunk, ...rest);
    }) as typeof response.write;
    const end = response.end.bind(response);
    response.end = ((chunk: string, ...rest: never[]) => {
      writes.push(`(end) ${chunk}`);
      return end(chunk, ...rest);
    }) as typeof response.end;
    const iterator = (async function* () {
      for (const { event, afterMs } of events.slice(1)) {
        if (afterMs) await pause(afterMs);
        yield event;
      }
      yield { type: 'finish', reason: 'stop' } as ChatEvent;
    })();
    outcome = writeStream({
      reply: { raw: response, hijack: () => undefined } as unknown as FastifyReply,
      encoder,
      iterator,
      first: { done: false, value: events[0]!.event },
      delivered: new DeliveredOutput(Date.now()),
      clientSignal: new AbortController().signal,
      upstream: new AbortController(),
      generationId: 'gen-test',
      maxStreamMs: 60_000,
    }).then((result) => {
      if (result.kind === 'complete')
        result.finish({
          usage: { inputTokens: 1, outputTokens: 3 },
          cost: '0.000001',
          finishReason: 'stop',
        });
      return result;
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  close = () => new Promise((resolve) => server.close(() => resolve()));
  const { port } = server.address() as AddressInfo;
  const body = await (await fetch(`http://127.0.0.1:${port}/`)).text();
  return { writes, body, outcome: await outcome! };
}

describe('writing a chat stream', () => {
  it('sends the events that arrive together in one write, in order', async () => {
    const { writes, body, outcome } = await serve([
      { event: text('a') },
      { event: text('b') },
      { event: text('c') },
    ]);
    expect(outcome.kind).toBe('complete');
    expect(body).toBe('start\ntext a\ntext b\ntext c\nend\n');
    // Nothing came apart, so everything, the start to the end, leaves with res.end.
    expect(writes).toEqual(['(end) start\ntext a\ntext b\ntext c\nend\n']);
  });

  it('still sends each event as it comes when they come apart', async () => {
    const { writes, body } = await serve([
      { event: text('a') },
      { event: text('b'), afterMs: 20 },
      { event: text('c'), afterMs: 20 },
    ]);
    expect(body).toBe('start\ntext a\ntext b\ntext c\nend\n');
    expect(writes).toEqual(['start\ntext a\n', 'text b\n', '(end) text c\nend\n']);
  });
});
