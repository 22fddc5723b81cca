/**
 * The official OpenAI and Anthropic SDKs against the real server, over the provider fakes: plain
 * and streamed chat, tool calls, and each protocol reaching the other provider's models. Every
 * answer's cost is checked against the balance, to the micro.
 */
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGatewayTestApp, type GatewayTestApp } from '../../test/gateway-test-app.js';
import { parseAmount } from '../lib/money.js';

let gateway: GatewayTestApp;
const weather = {
  type: 'function' as const,
  function: {
    name: 'get_weather',
    description: 'The weather in a city',
    parameters: { type: 'object', properties: { query: { type: 'string' } }, required: ['query'] },
  },
};

beforeAll(async () => {
  gateway = await createGatewayTestApp();
});
afterAll(async () => {
  await gateway.assertLedgerConsistent();
  await gateway.close();
});

async function openAiClient(credit = 10_000_000n) {
  const user = await gateway.fundedUser(credit);
  return { ...user, client: new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: user.key, maxRetries: 0 }) };
}

async function anthropicClient(credit = 10_000_000n) {
  const user = await gateway.fundedUser(credit);
  return { ...user, client: new Anthropic({ baseURL: gateway.url, apiKey: user.key, maxRetries: 0 }) };
}

/** `usage.cost` as the decimal the ledger captured: JSON numbers print exactly at six decimals. */
function micros(cost: unknown): bigint {
  return parseAmount((cost as number).toFixed(6));
}

describe('OpenAI SDK', () => {
  it('answers a chat completion and charges exactly the reported cost', async () => {
    const { client, userId } = await openAiClient();
    const { data, response } = await client.chat.completions
      .create({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'Say hello' }] })
      .withResponse();
    expect(data.choices[0]!.message.content).toContain('Hello from the openai fake');
    expect(data.model).toBe('openai/gpt-4o-mini');
    expect(data.id).toMatch(/^gen-/);
    expect(response.headers.get('x-mixgate-generation-id')).toBe(data.id);
    const cost = micros((data.usage as unknown as { cost: number }).cost);
    expect(cost).toBeGreaterThan(0n);
    expect(parseAmount(response.headers.get('x-mixgate-cost')!)).toBe(cost);
    expect(await gateway.balanceOf(userId)).toMatchObject({ balance: 10_000_000n - cost, held: 0n });
    // The fake received the provider's own model id and our key, not the user's.
    const sent = gateway.fakes.openai.requests.at(-1)!;
    expect(sent.body).toMatchObject({ model: 'gpt-4o-mini' });
    expect(sent.headers.authorization).toBe('Bearer sk-test-openai');
  });

  it('streams with include_usage and ends with the usage chunk and its cost', async () => {
    const { client, userId } = await openAiClient();
    const stream = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Stream please' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let usage: (OpenAI.CompletionUsage & { cost?: number }) | undefined;
    let finish: string | null | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      finish ??= chunk.choices[0]?.finish_reason;
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toContain('Hello from the openai fake. You said: Stream please');
    expect(finish).toBe('stop');
    expect(usage?.completion_tokens).toBeGreaterThan(0);
    const cost = micros(usage?.cost);
    expect(await gateway.balanceOf(userId)).toMatchObject({ balance: 10_000_000n - cost, held: 0n });
  });

  it('streams a tool call that the SDK reassembles', async () => {
    const { client } = await openAiClient();
    const stream = client.chat.completions.stream({
      model: 'openai/gpt-4o-mini',
      messages: [{ role: 'user', content: 'Weather in Paris?' }],
      tools: [weather],
    });
    const final = await stream.finalChatCompletion();
    const call = final.choices[0]!.message.tool_calls![0]!;
    expect(call.type === 'function' && call.function.name).toBe('get_weather');
    expect(call.type === 'function' && JSON.parse(call.function.arguments)).toEqual({ query: 'fake' });
    expect(final.choices[0]!.finish_reason).toBe('tool_calls');
  });

  it('reaches an Anthropic model, streaming, with tools and a tool result', async () => {
    const { client } = await openAiClient();
    const stream = client.chat.completions.stream({
      model: 'anthropic/claude-haiku-4-5',
      messages: [{ role: 'user', content: 'Weather in Paris?' }],
      tools: [weather],
    });
    const final = await stream.finalChatCompletion();
    const call = final.choices[0]!.message.tool_calls![0]!;
    expect(call.type === 'function' && call.function.name).toBe('get_weather');
    const sent = gateway.fakes.anthropic.requests.at(-1)!;
    expect(sent.body).toMatchObject({ model: 'claude-haiku-4-5', stream: true });
    expect((sent.body as { tools: unknown[] }).tools[0]).toMatchObject({ name: 'get_weather' });

    const answer = await client.chat.completions.create({
      model: 'anthropic/claude-haiku-4-5',
      messages: [
        { role: 'user', content: 'Weather in Paris?' },
        { role: 'assistant', content: null, tool_calls: [call] },
        { role: 'tool', tool_call_id: call.id, content: 'Sunny, 21 °C' },
      ],
      tools: [weather],
    });
    expect(answer.choices[0]!.message.content).toContain('Hello from the anthropic fake');
    const toolTurn = (gateway.fakes.anthropic.requests.at(-1)!.body as { messages: { content: unknown }[] })
      .messages[2]!;
    expect(JSON.stringify(toolTurn.content)).toContain('tool_result');
  });

  it('refuses with 402, the amounts, and no provider call when the credit cannot cover the worst case', async () => {
    const { client } = await openAiClient(10n);
    const before = gateway.fakes.openai.requests.length;
    const error = await client.chat.completions
      .create({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(402);
    expect((error as InstanceType<typeof OpenAI.APIError>).error).toMatchObject({
      code: 'insufficient_credit',
      available: '0.000010',
    });
    expect(gateway.fakes.openai.requests.length).toBe(before);
  });

  it('answers an unknown model with 404 in OpenAI’s shape', async () => {
    const { client } = await openAiClient();
    const error = await client.chat.completions
      .create({ model: 'nobody/nothing', messages: [{ role: 'user', content: 'hi' }] })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 404, code: 'model_not_found' });
  });

  it('lists only models whose provider is configured, with sale prices', async () => {
    const { client } = await openAiClient();
    const ids: string[] = [];
    for await (const model of client.models.list()) ids.push(model.id);
    expect(ids).toContain('openai/gpt-4o-mini');
    expect(ids).toContain('anthropic/claude-haiku-4-5');
    expect(ids).toContain('local/echo');
    expect(ids.some((id) => id.startsWith('replicate/'))).toBe(false);
  });
});

describe('Anthropic SDK', () => {
  it('answers a message, plain and streamed', async () => {
    const { client, userId } = await anthropicClient();
    const message = await client.messages.create({
      model: 'anthropic/claude-haiku-4-5',
      max_tokens: 200,
      messages: [{ role: 'user', content: 'Hello Claude' }],
    });
    expect(message.content[0]).toMatchObject({ type: 'text' });
    expect(JSON.stringify(message.content)).toContain('Hello from the anthropic fake');
    const stream = client.messages.stream({
      model: 'anthropic/claude-haiku-4-5',
      max_tokens: 200,
      messages: [{ role: 'user', content: 'Stream, Claude' }],
    });
    // The SDK's accumulated message keeps Anthropic's usage fields only: read our cost off the event.
    let streamedCost: unknown;
    stream.on('streamEvent', (event) => {
      if (event.type === 'message_delta') streamedCost = (event.usage as unknown as { cost: number }).cost;
    });
    const final = await stream.finalMessage();
    expect(JSON.stringify(final.content)).toContain('You said: Stream, Claude');
    expect(final.usage.output_tokens).toBeGreaterThan(0);
    const costs = [(message.usage as unknown as { cost: number }).cost, streamedCost].map(micros);
    expect(await gateway.balanceOf(userId)).toMatchObject({
      balance: 10_000_000n - costs[0]! - costs[1]!,
      held: 0n,
    });
  });

  it('reaches an OpenAI model, streaming, with a tool call', async () => {
    const { client } = await anthropicClient();
    const stream = client.messages.stream({
      model: 'openai/gpt-4o-mini',
      max_tokens: 300,
      messages: [{ role: 'user', content: 'Weather in Rome?' }],
      tools: [
        { name: 'get_weather', description: 'Weather', input_schema: weather.function.parameters as never },
      ],
    });
    const final = await stream.finalMessage();
    const toolUse = final.content.find((block) => block.type === 'tool_use');
    expect(toolUse).toMatchObject({ type: 'tool_use', name: 'get_weather', input: { query: 'fake' } });
    expect(final.stop_reason).toBe('tool_use');
    const sent = gateway.fakes.openai.requests.at(-1)!.body as { model: string; tools: unknown[] };
    expect(sent.model).toBe('gpt-4o-mini');
    expect(sent.tools[0]).toMatchObject({ type: 'function', function: { name: 'get_weather' } });
  });

  it('gets errors in Anthropic’s shape', async () => {
    const { client } = await anthropicClient(10n);
    const error = await client.messages
      .create({ model: 'openai/gpt-4o-mini', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.APIError);
    expect(error).toMatchObject({ status: 402, error: { type: 'error', error: { type: 'billing_error' } } });
  });
});

describe('reasoning across protocols', () => {
  it('maps OpenAI reasoning_effort to Anthropic thinking, and bills the thinking as output', async () => {
    const { client, userId } = await openAiClient();
    const answer = await client.chat.completions.create({
      model: 'anthropic/claude-haiku-4-5',
      messages: [{ role: 'user', content: 'Think first' }],
      reasoning_effort: 'medium',
      max_completion_tokens: 8_000,
    });
    const sent = gateway.fakes.anthropic.requests.at(-1)!.body as {
      thinking?: { type: string; budget_tokens: number };
    };
    // medium is 4,096 tokens of thinking, capped at half of max_tokens so the answer keeps room.
    expect(sent.thinking).toEqual({ type: 'enabled', budget_tokens: 4000 });
    const message = answer.choices[0]!.message as (typeof answer.choices)[0]['message'] & {
      reasoning?: string;
    };
    expect(message.reasoning).toContain('Thinking about: Think first');
    // The fake's output tokens include the thinking, as Anthropic's do: all billed at the output price.
    const model = gateway.ctx.gateway.catalog.resolve('anthropic/claude-haiku-4-5')!;
    const { chatCost } = await import('../catalog/prices.js');
    const expected = chatCost(model, {
      inputTokens: answer.usage!.prompt_tokens,
      outputTokens: answer.usage!.completion_tokens,
    });
    expect(micros((answer.usage as unknown as { cost: number }).cost)).toBe(expected);
    expect(await gateway.balanceOf(userId)).toMatchObject({ balance: 10_000_000n - expected });
  });

  it('maps Anthropic thinking to an OpenAI reasoning model and reports its reasoning tokens', async () => {
    const { client } = await anthropicClient();
    const message = await client.messages.create({
      model: 'openai/o4-mini',
      max_tokens: 4_000,
      thinking: { type: 'enabled', budget_tokens: 2_000 },
      messages: [{ role: 'user', content: 'Reason about it' }],
    });
    const sent = gateway.fakes.openai.requests.at(-1)!.body as Record<string, unknown>;
    expect(sent).toMatchObject({ model: 'o4-mini', max_completion_tokens: 4_000 });
    // A 2,000-token budget is the nearest effort, low.
    expect(sent.reasoning_effort).toBe('low');
    expect(sent).not.toHaveProperty('max_tokens');
    const usage = message.usage as unknown as {
      output_tokens: number;
      output_tokens_details?: { thinking_tokens: number };
    };
    expect(usage.output_tokens_details?.thinking_tokens).toBe(64);
    expect(usage.output_tokens).toBeGreaterThan(64);
  });
});
