/**
 * The gateway's abort table, end to end: a client that goes away (mid-stream, before the first
 * event, during a back-off, while a non-streamed answer hangs), a provider that cuts its stream,
 * and a provider that answers nothing. The upstream request must be cancelled when the client
 * leaves, and the hold captures exactly what was delivered — nothing when nothing was.
 */
import { once } from 'node:events';
import http from 'node:http';
import { countTokens } from 'gpt-tokenizer';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { deliveredCost, generationOf } from '../../test/gateway-records.js';
import { createGatewayTestApp, type GatewayTestApp } from '../../test/gateway-test-app.js';
import type { CatalogModel } from '../catalog/catalog-schema.js';
import type { FakeServer } from '../providers/fakes/fake-server.js';
import { createCircuitBreakers } from './routing/circuit-breaker.js';

const CREDIT = 10_000_000n;
const PROMPT = 'Tell me about the sea';

let gateway: GatewayTestApp;
let gptMini: CatalogModel;

beforeAll(async () => {
  gateway = await createGatewayTestApp();
  gptMini = gateway.ctx.gateway.catalog.resolve('openai/gpt-4o-mini')!;
});
afterAll(async () => {
  await gateway.assertLedgerConsistent();
  await gateway.close();
});
beforeEach(() => {
  gateway.ctx.gateway.breakers = createCircuitBreakers();
});

function chat(extra: Record<string, unknown> = {}) {
  return { model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: PROMPT }], ...extra };
}

interface OpenAiChunk {
  choices: { delta: { content?: string | null } }[];
  usage?: { cost: number } | null;
}

/** The content deltas of every complete `data:` chunk in `received` (an OpenAI-protocol stream). */
function streamedText(received: string): string {
  return received
    .split('\n\n')
    .filter((block) => block.startsWith('data: {"id"'))
    .map((block) => (JSON.parse(block.slice(6)) as OpenAiChunk).choices[0]?.delta.content ?? '')
    .join('');
}

/**
 * Posts a chat request on its own connection and reads the answer until `stop` says enough, then
 * destroys the connection, as a client that closes its tab or kills its process does.
 */
async function postAndLeave(
  key: string,
  body: unknown,
  stop: (received: string) => boolean,
): Promise<{ status: number; generationId: string | undefined; received: string }> {
  const request = http.request(`${gateway.url}/v1/chat/completions`, {
    method: 'POST',
    agent: false,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
  });
  request.end(JSON.stringify(body));
  const [response] = (await once(request, 'response')) as [http.IncomingMessage];
  let received = '';
  for await (const chunk of response) {
    received += (chunk as Buffer).toString('utf8');
    if (stop(received)) break;
  }
  request.destroy();
  const generationId = response.headers['x-mixgate-generation-id'];
  return { status: response.statusCode ?? 0, generationId: generationId as string | undefined, received };
}

/** Sends a request and destroys its connection once `ready` holds, before any answer arrived. */
async function postAndLeaveWhen(key: string, body: unknown, ready: () => boolean): Promise<void> {
  const request = http.request(`${gateway.url}/v1/chat/completions`, {
    method: 'POST',
    agent: false,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
  });
  let answered = false;
  request.on('response', () => {
    answered = true;
  });
  request.on('error', () => undefined);
  request.end(JSON.stringify(body));
  await vi.waitFor(() => expect(ready()).toBe(true), { timeout: 5_000, interval: 10 });
  request.destroy();
  expect(answered).toBe(false);
}

function closedCount(fake: FakeServer): number {
  return fake.requests.filter((request) => request.closedByClient).length;
}

describe('the client leaves', () => {
  it('mid-stream: the upstream request is closed, the generation is cancelled and pays only what was delivered', async () => {
    const { userId, key } = await gateway.fundedUser(CREDIT);
    const before = gateway.fakes.openai.requests.length;
    const closedBefore = closedCount(gateway.fakes.openai);
    gateway.fakes.openai.enqueue({ chunkDelayMs: 100 });

    const { status, generationId, received } = await postAndLeave(
      key,
      chat({ stream: true }),
      (text) => streamedText(text).length > 0,
    );

    expect(status).toBe(200);
    const delivered = streamedText(received);
    expect(delivered).toBe('Hello');
    await gateway.fakes.openai.waitForClientCloses(closedBefore + 1);
    expect(gateway.fakes.openai.requests.length - before).toBe(1);
    expect(gateway.fakes.openai.requests.at(-1)!.closedByClient).toBe(true);

    const cost = deliveredCost(gptMini, PROMPT, delivered);
    expect(cost).toBeGreaterThan(0n);
    const record = await generationOf(gateway, userId);
    expect(record.row).toMatchObject({
      id: generationId,
      status: 'cancelled',
      errorCode: 'client_closed',
      streamed: true,
      usageEstimated: true,
      inputTokens: countTokens(PROMPT) + 4,
      outputTokens: countTokens(delivered),
      cost,
    });
    expect(record.recipients).toEqual(['openai']);
    expect(record.hold).toEqual({ status: 'posted', postedAmount: cost });
    expect(await gateway.balanceOf(userId)).toMatchObject({ balance: CREDIT - cost, held: 0n });
  });

  it('before a stream’s first event: the upstream request is closed and nothing is charged', async () => {
    const { userId, key } = await gateway.fundedUser(CREDIT);
    const before = gateway.fakes.openai.requests.length;
    const closedBefore = closedCount(gateway.fakes.openai);
    gateway.fakes.openai.enqueue({ firstByteDelayMs: 3_000 });

    await postAndLeaveWhen(key, chat({ stream: true }), () => gateway.fakes.openai.requests.length > before);

    await gateway.fakes.openai.waitForClientCloses(closedBefore + 1);
    const record = await generationOf(gateway, userId);
    expect(record.row).toMatchObject({ status: 'cancelled', errorCode: 'client_closed', cost: 0n });
    expect(record.attempts).toEqual([{ deploymentId: 'openai', outcome: 'aborted' }]);
    expect(record.recipients).toEqual(['openai']);
    expect(record.hold).toEqual({ status: 'voided', postedAmount: null });
    expect(await gateway.balanceOf(userId)).toMatchObject({ balance: CREDIT, held: 0n });
    // No second attempt and no fallback for a client that is gone.
    expect(gateway.fakes.openai.requests.length - before).toBe(1);
  });

  it('while the gateway waits out a Retry-After: no further attempt is made', async () => {
    const { userId, key } = await gateway.fundedUser(CREDIT);
    const before = {
      openai: gateway.fakes.openai.requests.length,
      openrouter: gateway.fakes.openrouter.requests.length,
    };
    // Two seconds is within the router's patience: it sleeps, then would try openai again.
    gateway.fakes.openai.enqueue({ status: 429, retryAfterSeconds: 2 });

    await postAndLeaveWhen(key, chat(), () => gateway.fakes.openai.requests.length > before.openai);

    const record = await generationOf(gateway, userId);
    expect(record.row).toMatchObject({ status: 'cancelled', errorCode: 'client_closed', cost: 0n });
    expect(record.attempts).toEqual([{ deploymentId: 'openai', outcome: 'rate_limited', status: 429 }]);
    expect(record.hold).toEqual({ status: 'voided', postedAmount: null });
    expect(await gateway.balanceOf(userId)).toMatchObject({ balance: CREDIT, held: 0n });
    // Past the Retry-After, still nothing more was sent anywhere.
    await new Promise((resolve) => setTimeout(resolve, 2_200));
    expect(gateway.fakes.openai.requests.length - before.openai).toBe(1);
    expect(gateway.fakes.openrouter.requests.length - before.openrouter).toBe(0);
  });

  it('while a non-streamed answer hangs: the upstream request is cancelled and nothing is charged', async () => {
    const { userId, key } = await gateway.fundedUser(CREDIT);
    const before = gateway.fakes.openai.requests.length;
    const closedBefore = closedCount(gateway.fakes.openai);
    gateway.fakes.openai.enqueue({ hang: true });

    await postAndLeaveWhen(key, chat(), () => gateway.fakes.openai.requests.length > before);

    await gateway.fakes.openai.waitForClientCloses(closedBefore + 1);
    expect(gateway.fakes.openai.requests.at(-1)!.closedByClient).toBe(true);
    const record = await generationOf(gateway, userId);
    expect(record.row).toMatchObject({
      status: 'cancelled',
      errorCode: 'client_closed',
      streamed: false,
      cost: 0n,
      outputTokens: 0,
    });
    expect(record.attempts).toEqual([{ deploymentId: 'openai', outcome: 'aborted' }]);
    expect(record.recipients).toEqual(['openai']);
    expect(record.hold).toEqual({ status: 'voided', postedAmount: null });
    expect(await gateway.balanceOf(userId)).toMatchObject({ balance: CREDIT, held: 0n });
    expect(gateway.fakes.openai.requests.length - before).toBe(1);
    expect(gateway.fakes.openrouter.requests.every((request) => !request.closedByClient)).toBe(true);
  });
});

describe('the provider', () => {
  it('cuts its stream after half the chunks: the SDK raises the error event and the user pays what it received', async () => {
    const { userId, key } = await gateway.fundedUser(CREDIT);
    const before = gateway.fakes.openai.requests.length;
    gateway.fakes.openai.enqueue({ cutHalfway: true, chunkDelayMs: 20 });
    const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: key, maxRetries: 0 });

    const stream = await client.chat.completions.create({
      model: 'openai/gpt-4o-mini',
      messages: [{ role: 'user', content: PROMPT }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let delivered = '';
    let finishReason: string | null | undefined;
    const error = await (async () => {
      for await (const chunk of stream) {
        delivered += chunk.choices[0]?.delta.content ?? '';
        finishReason = chunk.choices[0]?.finish_reason ?? finishReason;
        if (chunk.usage) throw new Error('a cut stream reported usage');
      }
    })().catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect(error).toMatchObject({
      message: "The provider's stream broke off (interrupted); what you received is all there is",
      code: 'upstream_error',
      type: 'server_error',
    });
    expect(delivered).toBe('Hello from the openai fake. You said:');
    expect(finishReason).toBeUndefined();
    expect(gateway.fakes.openai.requests.length - before).toBe(1);

    const cost = deliveredCost(gptMini, PROMPT, delivered);
    const record = await generationOf(gateway, userId);
    expect(record.row).toMatchObject({
      status: 'interrupted',
      errorCode: 'interrupted',
      inputTokens: countTokens(PROMPT) + 4,
      outputTokens: countTokens(delivered),
      cost,
    });
    expect(record.hold).toEqual({ status: 'posted', postedAmount: cost });
    expect(await gateway.balanceOf(userId)).toMatchObject({ balance: CREDIT - cost, held: 0n });
  });

  it('answers nothing: 200 with cost 0, the balance untouched, status empty', async () => {
    const { userId, key } = await gateway.fundedUser(CREDIT);
    gateway.fakes.openai.enqueue({ empty: true });

    const response = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify(chat()),
    });

    expect(response.status).toBe(200);
    expect(response.headers.get('x-mixgate-cost')).toBe('0.000000');
    const body = (await response.json()) as {
      id: string;
      choices: { message: { content: string | null }; finish_reason: string }[];
      usage: { completion_tokens: number; cost: number };
    };
    expect(body.choices[0]).toMatchObject({ message: { content: '' }, finish_reason: 'stop' });
    expect(body.usage).toMatchObject({ completion_tokens: 0, cost: 0 });
    const record = await generationOf(gateway, userId);
    expect(record.row).toMatchObject({ id: body.id, status: 'empty', cost: 0n });
    expect(record.hold).toEqual({ status: 'posted', postedAmount: 0n });
    expect(await gateway.balanceOf(userId)).toMatchObject({ balance: CREDIT, held: 0n, available: CREDIT });
  });

  it('streams nothing: the stream ends cleanly with cost 0 and the balance untouched', async () => {
    const { userId, key } = await gateway.fundedUser(CREDIT);
    gateway.fakes.openai.enqueue({ empty: true });

    const response = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify(chat({ stream: true, stream_options: { include_usage: true } })),
    });

    expect(response.status).toBe(200);
    const blocks = (await response.text()).split('\n\n').filter((block) => block !== '');
    expect(blocks.at(-1)).toBe('data: [DONE]');
    const usage = (JSON.parse(blocks.at(-2)!.slice(6)) as OpenAiChunk).usage;
    expect(usage).toMatchObject({ completion_tokens: 0, cost: 0 });
    expect(streamedText(blocks.join('\n\n'))).toBe('');
    const record = await generationOf(gateway, userId);
    expect(record.row).toMatchObject({ status: 'empty', streamed: true, cost: 0n });
    expect(record.hold).toEqual({ status: 'posted', postedAmount: 0n });
    expect(await gateway.balanceOf(userId)).toMatchObject({ balance: CREDIT, held: 0n });
  });
});
