import { countTokens, encode } from 'gpt-tokenizer';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { deliveredCost, generationOf } from '../../test/gateway-records.js';
import { createGatewayTestApp, type GatewayTestApp } from '../../test/gateway-test-app.js';
import type { CatalogModel } from '../catalog/catalog-schema.js';
import { chatCost } from '../catalog/prices.js';
import { formatAmount, parseAmount } from '../lib/money.js';
import { createCircuitBreakers } from './routing/circuit-breaker.js';

const CREDIT = 10_000_000n;
const PROMPT = 'Tell me about the sea';
const OPENAI_REPLY = `Hello from the openai fake. You said: ${PROMPT}`;

let gateway: GatewayTestApp;
let slow: GatewayTestApp;

beforeAll(async () => {
  [gateway, slow] = await Promise.all([
    createGatewayTestApp(),
    // Attempts time out fast, so a slow first byte is something a test can wait for.
    createGatewayTestApp({ GATEWAY_ATTEMPT_TIMEOUT_MS: '300' }),
  ]);
});
afterAll(async () => {
  await gateway.assertLedgerConsistent();
  await slow.assertLedgerConsistent();
  await Promise.all([gateway.close(), slow.close()]);
});
beforeEach(() => {
  // Every row starts with closed circuits: five failures in earlier rows would open one.
  gateway.ctx.gateway.breakers = createCircuitBreakers();
  slow.ctx.gateway.breakers = createCircuitBreakers();
});

interface Answer {
  status: number;
  headers: Headers;
  text: string;
}

async function post(app: GatewayTestApp, path: string, key: string, body: unknown): Promise<Answer> {
  const response = await fetch(`${app.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

function chat(extra: Record<string, unknown> = {}) {
  return { model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: PROMPT }], ...extra };
}

/** The `data:` payloads of an SSE body, with their `event:` names. */
function serverSentEvents(text: string): { event?: string; data: string }[] {
  return text
    .split('\n\n')
    .filter((block) => block.trim() !== '')
    .map((block) => {
      const lines = block.split('\n');
      const event = lines.find((line) => line.startsWith('event: '))?.slice(7);
      const data = lines
        .filter((line) => line.startsWith('data: '))
        .map((line) => line.slice(6))
        .join('\n');
      return event === undefined ? { data } : { event, data };
    });
}

interface OpenAiChunk {
  choices: { delta: { content?: string | null } }[];
  usage?: { cost: number } | null;
}

/** The text an OpenAI-protocol client assembled from a stream's chunks. */
function streamedText(events: { data: string }[]): string {
  return events
    .filter((event) => event.data !== '[DONE]' && !event.data.startsWith('{"error"'))
    .map((event) => (JSON.parse(event.data) as OpenAiChunk).choices[0]?.delta.content ?? '')
    .join('');
}

function model(app: GatewayTestApp, id: string): CatalogModel {
  const found = app.ctx.gateway.catalog.resolve(id);
  if (!found) throw new Error(`no model ${id}`);
  return found;
}

/** How many requests each fake received since `before`. */
function callsSince(app: GatewayTestApp, before: { openai: number; openrouter: number }) {
  return {
    openai: app.fakes.openai.requests.length - before.openai,
    openrouter: app.fakes.openrouter.requests.length - before.openrouter,
  };
}

function counts(app: GatewayTestApp) {
  return { openai: app.fakes.openai.requests.length, openrouter: app.fakes.openrouter.requests.length };
}

/** Requests each fake has seen closed by the gateway before their answer ended. */
function closes(app: GatewayTestApp) {
  const closed = (requests: { closedByClient: boolean }[]) =>
    requests.filter((request) => request.closedByClient).length;
  return { openai: closed(app.fakes.openai.requests), openrouter: closed(app.fakes.openrouter.requests) };
}

async function expectVoided(app: GatewayTestApp, userId: string) {
  const record = await generationOf(app, userId);
  expect(record.hold).toEqual({ status: 'voided', postedAmount: null });
  expect(record.row.cost).toBe(0n);
  expect(await app.balanceOf(userId)).toMatchObject({ balance: CREDIT, held: 0n, available: CREDIT });
  return record;
}

describe('retries and fallback', () => {
  it('retries a 429 with Retry-After 0 on the same deployment and charges the answer once', async () => {
    const { userId, key } = await gateway.fundedUser(CREDIT);
    const before = counts(gateway);
    gateway.fakes.openai.enqueue({ status: 429, retryAfterSeconds: 0 });

    const answer = await post(gateway, '/v1/chat/completions', key, chat());

    expect(answer.status).toBe(200);
    const body = JSON.parse(answer.text) as {
      id: string;
      choices: { message: { content: string } }[];
      usage: { prompt_tokens: number; completion_tokens: number; cost: number };
    };
    expect(body.choices[0]!.message.content).toBe(OPENAI_REPLY);
    expect(callsSince(gateway, before)).toEqual({ openai: 2, openrouter: 0 });
    const cost = chatCost(model(gateway, 'openai/gpt-4o-mini'), {
      inputTokens: body.usage.prompt_tokens,
      outputTokens: body.usage.completion_tokens,
    });
    expect(cost).toBeGreaterThan(0n);
    expect(answer.headers.get('x-mixgate-cost')).toBe(formatAmount(cost));
    expect(parseAmount(body.usage.cost.toFixed(6))).toBe(cost);

    const record = await generationOf(gateway, userId);
    expect(record.row).toMatchObject({ id: body.id, status: 'succeeded', deploymentId: 'openai', cost });
    expect(record.attempts).toEqual([
      { deploymentId: 'openai', outcome: 'rate_limited', status: 429 },
      { deploymentId: 'openai', outcome: 'ok' },
    ]);
    expect(record.recipients).toEqual(['openai']);
    expect(record.hold).toEqual({ status: 'posted', postedAmount: cost });
    expect(await gateway.balanceOf(userId)).toMatchObject({ balance: CREDIT - cost, held: 0n });
  });

  it('falls back to the OpenRouter deployment after two 500s and names both recipients', async () => {
    const { userId, key } = await gateway.fundedUser(CREDIT);
    const before = counts(gateway);
    gateway.fakes.openai.enqueue({ status: 500 }, { status: 500 });

    const answer = await post(gateway, '/v1/chat/completions', key, chat());

    expect(answer.status).toBe(200);
    const body = JSON.parse(answer.text) as {
      id: string;
      model: string;
      choices: { message: { content: string } }[];
      usage: { prompt_tokens: number; completion_tokens: number };
    };
    // The OpenRouter deployment is a second OpenAI fake: its reply names the openai flavour.
    expect(body.choices[0]!.message.content).toBe(OPENAI_REPLY);
    expect(body.model).toBe('openai/gpt-4o-mini');
    expect(callsSince(gateway, before)).toEqual({ openai: 2, openrouter: 1 });
    expect(gateway.fakes.openrouter.requests.at(-1)!.body).toMatchObject({ model: 'openai/gpt-4o-mini' });
    const cost = chatCost(model(gateway, 'openai/gpt-4o-mini'), {
      inputTokens: body.usage.prompt_tokens,
      outputTokens: body.usage.completion_tokens,
    });
    expect(answer.headers.get('x-mixgate-cost')).toBe(formatAmount(cost));

    const details = await fetch(`${gateway.url}/v1/generations/${body.id}`, {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(details.status).toBe(200);
    const { data } = (await details.json()) as {
      data: {
        status: string;
        deployment: string;
        cost: string;
        processed_by: { deployment: string; answered: boolean }[];
      };
    };
    expect(data).toMatchObject({ status: 'succeeded', deployment: 'openrouter', cost: formatAmount(cost) });
    expect(
      data.processed_by
        .map(({ deployment, answered }) => ({ deployment, answered }))
        .sort((a, b) => a.deployment.localeCompare(b.deployment)),
    ).toEqual([
      { deployment: 'openai', answered: false },
      { deployment: 'openrouter', answered: true },
    ]);

    const record = await generationOf(gateway, userId);
    expect(record.attempts).toEqual([
      { deploymentId: 'openai', outcome: 'server', status: 500 },
      { deploymentId: 'openai', outcome: 'server', status: 500 },
      { deploymentId: 'openrouter', outcome: 'ok' },
    ]);
    expect(record.recipients).toEqual(['openai', 'openrouter']);
    expect(record.hold).toEqual({ status: 'posted', postedAmount: cost });
    expect(await gateway.balanceOf(userId)).toMatchObject({ balance: CREDIT - cost, held: 0n });
  });

  it('answers 502 in OpenAI’s shape when every deployment fails, charges nothing and voids the hold', async () => {
    const { userId, key } = await gateway.fundedUser(CREDIT);
    const before = counts(gateway);
    gateway.fakes.openai.enqueue({ status: 500 }, { status: 500 });
    gateway.fakes.openrouter.enqueue({ status: 500 }, { status: 500 });

    const answer = await post(gateway, '/v1/chat/completions', key, chat());

    expect(answer.status).toBe(502);
    expect(JSON.parse(answer.text)).toEqual({
      error: {
        message:
          'The provider failed after 4 attempt(s): openrouter answered 500: The server had an error while processing your request. Sorry about that!',
        type: 'server_error',
        param: null,
        code: 'upstream_error',
      },
    });
    expect(callsSince(gateway, before)).toEqual({ openai: 2, openrouter: 2 });
    const record = await expectVoided(gateway, userId);
    expect(answer.headers.get('x-mixgate-generation-id')).toBe(record.row.id);
    expect(record.row).toMatchObject({ status: 'failed', errorCode: 'upstream_error', deploymentId: null });
    expect(record.attempts).toEqual([
      { deploymentId: 'openai', outcome: 'server', status: 500 },
      { deploymentId: 'openai', outcome: 'server', status: 500 },
      { deploymentId: 'openrouter', outcome: 'server', status: 500 },
      { deploymentId: 'openrouter', outcome: 'server', status: 500 },
    ]);
    expect(record.recipients).toEqual(['openai', 'openrouter']);
  });

  it('answers 429 rate_limit_error when every deployment is rate-limited', async () => {
    const { userId, key } = await gateway.fundedUser(CREDIT);
    const before = counts(gateway);
    gateway.fakes.openai.enqueue(
      { status: 429, retryAfterSeconds: 0 },
      { status: 429, retryAfterSeconds: 0 },
    );
    gateway.fakes.openrouter.enqueue(
      { status: 429, retryAfterSeconds: 0 },
      { status: 429, retryAfterSeconds: 0 },
    );

    const answer = await post(gateway, '/v1/chat/completions', key, chat());

    expect(answer.status).toBe(429);
    expect(JSON.parse(answer.text)).toEqual({
      error: {
        message:
          'Every provider for this model is rate-limited right now (openrouter answered 429: Rate limit reached for requests. Please try again in 2s.)',
        type: 'rate_limit_error',
        param: null,
        code: 'rate_limited',
        retryAfterSeconds: 0,
      },
    });
    // The providers' Retry-After is passed on as ours.
    expect(answer.headers.get('retry-after')).toBe('0');
    expect(callsSince(gateway, before)).toEqual({ openai: 2, openrouter: 2 });
    const record = await expectVoided(gateway, userId);
    expect(record.row).toMatchObject({ status: 'failed', errorCode: 'rate_limited' });
    expect(record.attempts.map((attempt) => attempt.outcome)).toEqual([
      'rate_limited',
      'rate_limited',
      'rate_limited',
      'rate_limited',
    ]);
    expect(record.recipients).toEqual(['openai', 'openrouter']);
  });

  it('passes a 400 through without retry or fallback', async () => {
    const { userId, key } = await gateway.fundedUser(CREDIT);
    const before = counts(gateway);
    gateway.fakes.openai.enqueue({ status: 400 });

    const answer = await post(gateway, '/v1/chat/completions', key, chat());

    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.text)).toEqual({
      error: {
        message: 'openai answered 400: Invalid request.',
        type: 'invalid_request_error',
        param: null,
        code: 'invalid_request',
      },
    });
    expect(callsSince(gateway, before)).toEqual({ openai: 1, openrouter: 0 });
    const record = await expectVoided(gateway, userId);
    expect(record.row).toMatchObject({ status: 'failed', errorCode: 'invalid_request' });
    expect(record.attempts).toEqual([{ deploymentId: 'openai', outcome: 'bad_request', status: 400 }]);
    expect(record.recipients).toEqual(['openai']);
    // A bad request says nothing about the provider's health.
    expect(gateway.ctx.gateway.breakers.state('openai')).toBe('closed');
  });
  it('answers a streamed request whose every attempt fails before its first event with an HTTP error, not a stream', async () => {
    const { userId, key } = await gateway.fundedUser(CREDIT);
    const anthropicBefore = gateway.fakes.anthropic.requests.length;
    const openrouterBefore = gateway.fakes.openrouter.requests.length;
    gateway.fakes.anthropic.enqueue({ status: 500 }, { status: 500 });
    gateway.fakes.openrouter.enqueue({ status: 500 }, { status: 500 });

    const answer = await post(gateway, '/v1/messages', key, {
      model: 'anthropic/claude-haiku-4-5',
      max_tokens: 200,
      stream: true,
      messages: [{ role: 'user', content: PROMPT }],
    });

    expect(answer.status).toBe(502);
    expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
    expect(JSON.parse(answer.text)).toEqual({
      type: 'error',
      error: {
        type: 'api_error',
        message:
          'The provider failed after 4 attempt(s): openrouter answered 500: The server had an error while processing your request. Sorry about that!',
      },
    });
    expect(gateway.fakes.anthropic.requests.length - anthropicBefore).toBe(2);
    expect(gateway.fakes.openrouter.requests.length - openrouterBefore).toBe(2);
    const record = await expectVoided(gateway, userId);
    expect(answer.headers.get('x-mixgate-generation-id')).toBe(record.row.id);
    expect(record.row).toMatchObject({ protocol: 'anthropic', streamed: true, status: 'failed' });
    expect(record.recipients).toEqual(['anthropic', 'openrouter']);
  });
});

describe('timeouts', () => {
  it('lets a non-streamed answer take longer than the attempt timeout: it is not cut and paid twice', async () => {
    const { userId, key } = await slow.fundedUser(CREDIT);
    const before = counts(slow);
    slow.fakes.openai.enqueue({ firstByteDelayMs: 1_000 });

    const answer = await post(slow, '/v1/chat/completions', key, chat());

    expect(answer.status).toBe(200);
    expect(callsSince(slow, before)).toEqual({ openai: 1, openrouter: 0 });
    const record = await generationOf(slow, userId);
    expect(record.attempts).toEqual([{ deploymentId: 'openai', outcome: 'ok' }]);
  });

  it('retries a stream whose first byte is later than the attempt timeout, closing the slow request', async () => {
    const { userId, key } = await slow.fundedUser(CREDIT);
    const before = counts(slow);
    const closedBefore = closes(slow);
    slow.fakes.openai.enqueue({ firstByteDelayMs: 1_500 });

    const answer = await post(slow, '/v1/chat/completions', key, chat({ stream: true }));

    expect(answer.status).toBe(200);
    expect(callsSince(slow, before)).toEqual({ openai: 2, openrouter: 0 });
    await slow.fakes.openai.waitForClientCloses(closedBefore.openai + 1);
    const [first, second] = slow.fakes.openai.requests.slice(before.openai);
    expect(first!.closedByClient).toBe(true);
    expect(second!.closedByClient).toBe(false);
    const record = await generationOf(slow, userId);
    expect(record.attempts).toEqual([
      { deploymentId: 'openai', outcome: 'timeout' },
      { deploymentId: 'openai', outcome: 'ok' },
    ]);
    const cost = record.row.cost;
    expect(record.hold).toEqual({ status: 'posted', postedAmount: cost });
    expect(await slow.balanceOf(userId)).toMatchObject({ balance: CREDIT - cost, held: 0n });
  });

  it('falls back when a stream’s first event is later than the attempt timeout', async () => {
    const { userId, key } = await slow.fundedUser(CREDIT);
    const before = counts(slow);
    const closedBefore = closes(slow);
    // Headers and the role chunk come at once; the first word only after 1 s.
    slow.fakes.openai.enqueue({ chunkDelayMs: 1_000 }, { chunkDelayMs: 1_000 });

    const answer = await post(slow, '/v1/chat/completions', key, chat({ stream: true }));

    expect(answer.status).toBe(200);
    const events = serverSentEvents(answer.text);
    expect(streamedText(events)).toBe(OPENAI_REPLY);
    expect(events.at(-1)!.data).toBe('[DONE]');
    expect(callsSince(slow, before)).toEqual({ openai: 2, openrouter: 1 });
    await slow.fakes.openai.waitForClientCloses(closedBefore.openai + 2);
    expect(slow.fakes.openai.requests.slice(before.openai).map((request) => request.closedByClient)).toEqual([
      true,
      true,
    ]);
    const record = await generationOf(slow, userId);
    expect(record.attempts).toEqual([
      { deploymentId: 'openai', outcome: 'timeout' },
      { deploymentId: 'openai', outcome: 'timeout' },
      { deploymentId: 'openrouter', outcome: 'ok' },
    ]);
    expect(record.recipients).toEqual(['openai', 'openrouter']);
    expect(record.row).toMatchObject({ status: 'succeeded', deploymentId: 'openrouter' });
    expect(record.hold).toEqual({ status: 'posted', postedAmount: record.row.cost });
    expect(await slow.balanceOf(userId)).toMatchObject({ balance: CREDIT - record.row.cost, held: 0n });
  });

  it('answers 504 when every attempt times out, and every fake sees its request closed', async () => {
    const { userId, key } = await slow.fundedUser(CREDIT);
    const before = counts(slow);
    const closedBefore = closes(slow);
    slow.fakes.openai.enqueue({ firstByteDelayMs: 1_500 }, { firstByteDelayMs: 1_500 });
    slow.fakes.openrouter.enqueue({ firstByteDelayMs: 1_500 }, { firstByteDelayMs: 1_500 });

    // Streamed: every attempt fails before the first event, so the answer is still a plain 504.
    const answer = await post(slow, '/v1/chat/completions', key, chat({ stream: true }));

    expect(answer.status).toBe(504);
    expect(JSON.parse(answer.text)).toEqual({
      error: {
        message: 'The provider did not answer in time',
        type: 'server_error',
        param: null,
        code: 'upstream_timeout',
      },
    });
    expect(callsSince(slow, before)).toEqual({ openai: 2, openrouter: 2 });
    await slow.fakes.openai.waitForClientCloses(closedBefore.openai + 2);
    await slow.fakes.openrouter.waitForClientCloses(closedBefore.openrouter + 2);
    const record = await expectVoided(slow, userId);
    expect(record.row).toMatchObject({ status: 'failed', errorCode: 'upstream_timeout' });
    expect(record.attempts).toEqual([
      { deploymentId: 'openai', outcome: 'timeout' },
      { deploymentId: 'openai', outcome: 'timeout' },
      { deploymentId: 'openrouter', outcome: 'timeout' },
      { deploymentId: 'openrouter', outcome: 'timeout' },
    ]);
    expect(record.recipients).toEqual(['openai', 'openrouter']);
  });
});

describe('garbage from the provider', () => {
  it('retries a malformed body, then answers a clean 502 and charges nothing', async () => {
    const { userId, key } = await gateway.fundedUser(CREDIT);
    const before = counts(gateway);
    gateway.fakes.openai.enqueue({ malformed: true }, { malformed: true });
    gateway.fakes.openrouter.enqueue({ malformed: true }, { malformed: true });

    const answer = await post(gateway, '/v1/chat/completions', key, chat());

    expect(answer.status).toBe(502);
    expect(JSON.parse(answer.text)).toEqual({
      error: {
        message: 'The provider failed after 4 attempt(s): openrouter sent something that is not JSON',
        type: 'server_error',
        param: null,
        code: 'upstream_error',
      },
    });
    expect(callsSince(gateway, before)).toEqual({ openai: 2, openrouter: 2 });
    const record = await expectVoided(gateway, userId);
    expect(record.row).toMatchObject({ status: 'failed', errorCode: 'upstream_error' });
    expect(record.attempts.map((attempt) => `${attempt.deploymentId}:${attempt.outcome}`)).toEqual([
      'openai:malformed',
      'openai:malformed',
      'openrouter:malformed',
      'openrouter:malformed',
    ]);
  });

  it('retries a non-streamed body cut half-way on the same deployment and charges the answer once', async () => {
    const { userId, key } = await gateway.fundedUser(CREDIT);
    const before = counts(gateway);
    gateway.fakes.openai.enqueue({ cutHalfway: true });

    const answer = await post(gateway, '/v1/chat/completions', key, chat());

    expect(answer.status).toBe(200);
    const body = JSON.parse(answer.text) as {
      choices: { message: { content: string } }[];
      usage: { prompt_tokens: number; completion_tokens: number };
    };
    expect(body.choices[0]!.message.content).toBe(OPENAI_REPLY);
    expect(callsSince(gateway, before)).toEqual({ openai: 2, openrouter: 0 });
    const cost = chatCost(model(gateway, 'openai/gpt-4o-mini'), {
      inputTokens: body.usage.prompt_tokens,
      outputTokens: body.usage.completion_tokens,
    });
    expect(answer.headers.get('x-mixgate-cost')).toBe(formatAmount(cost));
    const record = await generationOf(gateway, userId);
    expect(record.attempts).toEqual([
      { deploymentId: 'openai', outcome: 'interrupted' },
      { deploymentId: 'openai', outcome: 'ok' },
    ]);
    expect(record.hold).toEqual({ status: 'posted', postedAmount: cost });
    expect(await gateway.balanceOf(userId)).toMatchObject({ balance: CREDIT - cost, held: 0n });
  });

  it('retries a stream whose garbage came before its first event', async () => {
    const { userId, key } = await gateway.fundedUser(CREDIT);
    const before = counts(gateway);
    // An empty answer's chunks are the role chunk, the finish chunk and the usage chunk: the
    // garbage replaces the usage chunk, before anything could reach the client.
    gateway.fakes.openai.enqueue({ malformed: true, empty: true });

    const answer = await post(
      gateway,
      '/v1/chat/completions',
      key,
      chat({ stream: true, stream_options: { include_usage: true } }),
    );

    expect(answer.status).toBe(200);
    const events = serverSentEvents(answer.text);
    expect(streamedText(events)).toBe(OPENAI_REPLY);
    expect(events.at(-1)!.data).toBe('[DONE]');
    const usage = (JSON.parse(events.at(-2)!.data) as OpenAiChunk).usage!;
    const cost = parseAmount(usage.cost.toFixed(6));
    expect(cost).toBeGreaterThan(0n);
    expect(callsSince(gateway, before)).toEqual({ openai: 2, openrouter: 0 });
    const record = await generationOf(gateway, userId);
    expect(record.attempts).toEqual([
      { deploymentId: 'openai', outcome: 'malformed' },
      { deploymentId: 'openai', outcome: 'ok' },
    ]);
    expect(record.row).toMatchObject({ status: 'succeeded', cost });
    expect(record.hold).toEqual({ status: 'posted', postedAmount: cost });
    expect(await gateway.balanceOf(userId)).toMatchObject({ balance: CREDIT - cost, held: 0n });
  });

  it('ends a stream whose garbage came after content with an error event, no [DONE], and charges what was delivered', async () => {
    const { userId, key } = await gateway.fundedUser(CREDIT);
    const before = counts(gateway);
    gateway.fakes.openai.enqueue({ malformed: true });

    const answer = await post(gateway, '/v1/chat/completions', key, chat({ stream: true }));

    expect(answer.status).toBe(200);
    const events = serverSentEvents(answer.text);
    const delivered = streamedText(events);
    expect(delivered).toBe('Hello from the openai fake. You said:');
    expect(events.some((event) => event.data === '[DONE]')).toBe(false);
    expect(JSON.parse(events.at(-1)!.data)).toEqual({
      error: {
        message: "The provider's stream broke off (malformed); what you received is all there is",
        type: 'server_error',
        param: null,
        code: 'upstream_error',
      },
    });
    expect(callsSince(gateway, before)).toEqual({ openai: 1, openrouter: 0 });

    const cost = deliveredCost(model(gateway, 'openai/gpt-4o-mini'), PROMPT, delivered);
    const record = await generationOf(gateway, userId);
    expect(record.row).toMatchObject({
      id: answer.headers.get('x-mixgate-generation-id'),
      status: 'interrupted',
      errorCode: 'malformed',
      usageEstimated: true,
      inputTokens: countTokens(PROMPT) + 4,
      outputTokens: countTokens(delivered),
      cost,
    });
    expect(record.recipients).toEqual(['openai']);
    expect(record.hold).toEqual({ status: 'posted', postedAmount: cost });
    expect(await gateway.balanceOf(userId)).toMatchObject({ balance: CREDIT - cost, held: 0n });
  });
});

describe('a stream cut half-way', () => {
  it('ends the OpenAI stream with an error event, no [DONE], and captures only the delivered tokens', async () => {
    const { userId, key } = await gateway.fundedUser(CREDIT);
    const before = counts(gateway);
    gateway.fakes.openai.enqueue({ cutHalfway: true });

    const answer = await post(
      gateway,
      '/v1/chat/completions',
      key,
      chat({ stream: true, stream_options: { include_usage: true } }),
    );

    expect(answer.status).toBe(200);
    const events = serverSentEvents(answer.text);
    const delivered = streamedText(events);
    expect(delivered).toBe('Hello from the openai fake. You said:');
    expect(events.some((event) => event.data === '[DONE]')).toBe(false);
    // No usage chunk either: a cost is reported only for an answer that completed.
    expect(events.some((event) => event.data.includes('"cost"'))).toBe(false);
    expect(JSON.parse(events.at(-1)!.data)).toEqual({
      error: {
        message: "The provider's stream broke off (interrupted); what you received is all there is",
        type: 'server_error',
        param: null,
        code: 'upstream_error',
      },
    });
    expect(callsSince(gateway, before)).toEqual({ openai: 1, openrouter: 0 });

    const cost = deliveredCost(model(gateway, 'openai/gpt-4o-mini'), PROMPT, delivered);
    const details = await fetch(
      `${gateway.url}/v1/generations/${answer.headers.get('x-mixgate-generation-id')}`,
      {
        headers: { authorization: `Bearer ${key}` },
      },
    );
    expect((await details.json()) as unknown).toMatchObject({
      data: {
        status: 'interrupted',
        error_code: 'interrupted',
        streamed: true,
        usage_estimated: true,
        tokens_prompt: countTokens(PROMPT) + 4,
        tokens_completion: countTokens(delivered),
        cost: formatAmount(cost),
        processed_by: [{ deployment: 'openai', answered: true }],
      },
    });
    const record = await generationOf(gateway, userId);
    expect(record.hold).toEqual({ status: 'posted', postedAmount: cost });
    expect(await gateway.balanceOf(userId)).toMatchObject({ balance: CREDIT - cost, held: 0n });
  });

  it('bills a cut stream whose prompt spells a special token, counting it as the plain text it is', async () => {
    const { userId, key } = await gateway.fundedUser(CREDIT);
    gateway.fakes.openai.enqueue({ cutHalfway: true });
    const prompt = 'Repeat <|endoftext|> after me';

    const answer = await post(gateway, '/v1/chat/completions', key, {
      model: 'openai/gpt-4o-mini',
      stream: true,
      messages: [{ role: 'user', content: prompt }],
    });

    expect(answer.status).toBe(200);
    const delivered = streamedText(serverSentEvents(answer.text));
    expect(delivered).toMatch(/^Hello from the openai fake\./);
    // gpt-tokenizer's default refuses such text; before the count used it plainly, the capture
    // failed and the hold waited for its expiry.
    const inputTokens = encode(prompt, { disallowedSpecial: new Set() }).length + 4;
    const cost = chatCost(model(gateway, 'openai/gpt-4o-mini'), {
      inputTokens,
      outputTokens: countTokens(delivered),
    });
    const record = await generationOf(gateway, userId);
    expect(record.row).toMatchObject({ status: 'interrupted', usageEstimated: true, inputTokens, cost });
    expect(record.hold).toEqual({ status: 'posted', postedAmount: cost });
    expect(await gateway.balanceOf(userId)).toMatchObject({ balance: CREDIT - cost, held: 0n });
  });

  it('ends the Anthropic stream with an error event and no message_stop', async () => {
    const { userId, key } = await gateway.fundedUser(CREDIT);
    const anthropicBefore = gateway.fakes.anthropic.requests.length;
    const openrouterBefore = gateway.fakes.openrouter.requests.length;
    gateway.fakes.anthropic.enqueue({ cutHalfway: true });

    const answer = await post(gateway, '/v1/messages', key, {
      model: 'anthropic/claude-haiku-4-5',
      max_tokens: 200,
      stream: true,
      messages: [{ role: 'user', content: PROMPT }],
    });

    expect(answer.status).toBe(200);
    const events = serverSentEvents(answer.text);
    const names = events.map((event) => event.event);
    expect(names).not.toContain('message_stop');
    expect(names).not.toContain('message_delta');
    expect(names.at(-1)).toBe('error');
    expect(JSON.parse(events.at(-1)!.data)).toEqual({
      type: 'error',
      error: {
        type: 'api_error',
        message: "The provider's stream broke off (interrupted); what you received is all there is",
      },
    });
    const delivered = events
      .filter((event) => event.event === 'content_block_delta')
      .map((event) => (JSON.parse(event.data) as { delta: { text: string } }).delta.text)
      .join('');
    expect(delivered).toBe('Hello from the anthropic fake. You');
    expect(gateway.fakes.anthropic.requests.length - anthropicBefore).toBe(1);
    expect(gateway.fakes.openrouter.requests.length - openrouterBefore).toBe(0);

    const cost = deliveredCost(model(gateway, 'anthropic/claude-haiku-4-5'), PROMPT, delivered);
    const record = await generationOf(gateway, userId);
    expect(record.row).toMatchObject({
      protocol: 'anthropic',
      status: 'interrupted',
      errorCode: 'interrupted',
      deploymentId: 'anthropic',
      cost,
    });
    expect(record.recipients).toEqual(['anthropic']);
    expect(record.hold).toEqual({ status: 'posted', postedAmount: cost });
    expect(await gateway.balanceOf(userId)).toMatchObject({ balance: CREDIT - cost, held: 0n });
  });
});
