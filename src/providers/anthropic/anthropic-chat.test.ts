import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeServer, fakeReplyText, fakeTokenCount, startFakeServer } from '../fakes/fake-server.js';
import { type TestCall, testCallOptions } from '../fakes/test-call-options.js';
import { collect, rejection } from '../fakes/test-outcomes.js';
import type { ChatEvent, ChatRequest } from '../spec.js';
import { JSON_ANSWER_TOOL, type RedactableReasoning } from './anthropic-chat.js';
import { createAnthropicAdapter } from './anthropic-provider.js';
import { startFakeAnthropic } from './fake-anthropic.js';

const provider = createAnthropicAdapter();
const adapter = { chat: provider.chat!.bind(provider), chatStream: provider.chatStream!.bind(provider) };
let fake: FakeServer & { baseUrl: string };
let call: TestCall;
const calls: TestCall[] = [];

/** Recorded-shape answers (Anthropic's real field names and event order) served as they are. */
const replays: ({ json: unknown } | { events: unknown[]; raw?: string })[] = [];
let replay: FakeServer;
let replayCall: TestCall;

beforeAll(async () => {
  fake = await startFakeAnthropic();
  call = newCall();
  replay = await startFakeServer((exchange) => {
    const next = replays.shift();
    if (!next) return exchange.send(500, { type: 'error', error: { type: 'api_error', message: 'none' } });
    if ('json' in next) return exchange.send(200, next.json);
    const chunks = next.events.map(
      (event) => `event: ${(event as { type: string }).type}\ndata: ${JSON.stringify(event)}\n\n`,
    );
    return exchange.stream(next.raw === undefined ? chunks : [...chunks, next.raw]);
  });
  replayCall = testCallOptions('anthropic', `${replay.origin}/v1`);
  calls.push(replayCall);
});

afterAll(async () => {
  for (const each of calls) await each.pool.close();
  await fake.close();
  await replay.close();
});

function newCall(overrides: Parameters<typeof testCallOptions>[2] = {}): TestCall {
  const made = testCallOptions('anthropic', fake.baseUrl, overrides);
  calls.push(made);
  return made;
}

function ask(text: string, extra: Partial<ChatRequest> = {}): ChatRequest {
  return {
    model: 'claude-sonnet-4-5',
    maxOutputTokens: 1000,
    messages: [{ role: 'user', content: [{ type: 'text', text }] }],
    ...extra,
  };
}

function joined(events: ChatEvent[], type: 'text' | 'reasoning'): string {
  return events.map((event) => (event.type === type ? event.text : '')).join('');
}

function lastBody(): Record<string, unknown> {
  return fake.requests.at(-1)!.body as Record<string, unknown>;
}

const weatherTool = {
  name: 'get_weather',
  description: 'The weather in a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};

describe('chat', () => {
  it('sends the Messages API request with the key and version headers and maps the answer', async () => {
    const result = await adapter.chat(ask('Hello there'), call);
    expect(result.text).toBe(fakeReplyText('Hello there', 'anthropic'));
    expect(result.finishReason).toBe('stop');
    expect(result.toolCalls).toEqual([]);
    expect(result.providerResponseId).toMatch(/^msg_fake_/);
    expect(result.usage).toEqual({
      inputTokens: expect.any(Number),
      outputTokens: fakeTokenCount(result.text),
      cachedInputTokens: 0,
      cacheWriteTokens: 0,
    });
    const request = fake.requests.at(-1)!;
    expect(request.method).toBe('POST');
    expect(request.url).toBe('/v1/messages');
    expect(request.headers['x-api-key']).toBe('test-key-not-secret');
    expect(request.headers['anthropic-version']).toBe('2023-06-01');
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.body).toEqual({
      model: 'claude-sonnet-4-5',
      max_tokens: 1000,
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello there' }] }],
    });
  });

  it('maps a whole conversation field by field', async () => {
    const replayedReasoning: RedactableReasoning[] = [
      { text: 'They want weather.', signature: 'c2lnLTE=' },
      { text: 'From another provider, unsigned.' },
      { text: '', signature: 'ZW5jcnlwdGVk', redacted: true },
    ];
    const request: ChatRequest = {
      model: 'claude-sonnet-4-5',
      maxOutputTokens: 500,
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'system', content: 'Answer in English.' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is in these?' },
            { type: 'image', url: 'data:image/png;base64,iVBORw0KGgo=' },
            { type: 'image', url: 'https://example.com/cat.jpg', detail: 'high' },
          ],
        },
        { role: 'user', content: [{ type: 'text', text: 'And the weather?' }] },
        {
          role: 'assistant',
          content: 'Let me look.',
          reasoning: replayedReasoning,
          toolCalls: [
            { id: 'toolu_1', name: 'get_weather', arguments: '{"city":"Paris"}' },
            { id: 'toolu_2', name: 'get_weather', arguments: '' },
          ],
        },
        { role: 'tool', toolCallId: 'toolu_1', content: '18°C' },
        { role: 'tool', toolCallId: 'toolu_2', content: 'no city', isError: true },
        { role: 'user', content: [{ type: 'text', text: 'Thanks. Tomorrow?' }] },
      ],
      tools: [weatherTool, { name: 'no_args', parameters: {} }],
      toolChoice: { name: 'get_weather' },
      parallelToolCalls: false,
      stop: ['END'],
      temperature: 0.2,
      topP: 0.9,
      seed: 7,
      user: 'user-hash-1',
    };
    const result = await adapter.chat(request, call);
    expect(lastBody()).toEqual({
      model: 'claude-sonnet-4-5',
      max_tokens: 500,
      system: 'Be brief.\n\nAnswer in English.',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is in these?' },
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
            { type: 'image', source: { type: 'url', url: 'https://example.com/cat.jpg' } },
            { type: 'text', text: 'And the weather?' },
          ],
        },
        {
          role: 'assistant',
          content: [
            { type: 'thinking', thinking: 'They want weather.', signature: 'c2lnLTE=' },
            { type: 'redacted_thinking', data: 'ZW5jcnlwdGVk' },
            { type: 'text', text: 'Let me look.' },
            { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } },
            { type: 'tool_use', id: 'toolu_2', name: 'get_weather', input: {} },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'toolu_1', content: '18°C' },
            { type: 'tool_result', tool_use_id: 'toolu_2', content: 'no city', is_error: true },
            { type: 'text', text: 'Thanks. Tomorrow?' },
          ],
        },
      ],
      tools: [
        {
          name: 'get_weather',
          description: 'The weather in a city',
          input_schema: weatherTool.parameters,
        },
        { name: 'no_args', input_schema: { type: 'object' } },
      ],
      tool_choice: { type: 'tool', name: 'get_weather', disable_parallel_tool_use: true },
      stop_sequences: ['END'],
      temperature: 0.2,
      top_p: 0.9,
      metadata: { user_id: 'user-hash-1' },
    });
    // The fake calls the forced tool.
    expect(result.toolCalls).toEqual([
      { id: expect.stringMatching(/^toolu_/), name: 'get_weather', arguments: '{"query":"fake"}' },
    ]);
    expect(result.finishReason).toBe('tool_calls');
  });

  it('maps tool choices and parallel tool use', async () => {
    const cases: [Partial<ChatRequest>, unknown][] = [
      [{ toolChoice: 'auto' }, { type: 'auto' }],
      [{ toolChoice: 'required' }, { type: 'any' }],
      [{ toolChoice: 'none' }, { type: 'none' }],
      [{ parallelToolCalls: false }, { type: 'auto', disable_parallel_tool_use: true }],
      [{}, undefined],
    ];
    for (const [extra, expected] of cases) {
      await adapter.chat(ask('Weather?', { tools: [weatherTool], ...extra }), call);
      expect(lastBody().tool_choice).toEqual(expected);
    }
  });

  it('answers a fresh user turn with a call of the first tool, and a tool result with text', async () => {
    const first = await adapter.chat(ask('Weather in Paris?', { tools: [weatherTool] }), call);
    expect(first.toolCalls).toEqual([
      { id: expect.stringMatching(/^toolu_/), name: 'get_weather', arguments: '{"query":"fake"}' },
    ]);
    expect(first.finishReason).toBe('tool_calls');
    expect(first.text).toBe('');
    const second = await adapter.chat(
      {
        ...ask('Weather in Paris?', { tools: [weatherTool] }),
        messages: [
          { role: 'user', content: [{ type: 'text', text: 'Weather in Paris?' }] },
          { role: 'assistant', content: '', toolCalls: first.toolCalls },
          { role: 'tool', toolCallId: first.toolCalls[0]!.id, content: 'sunny' },
        ],
      },
      call,
    );
    expect(second.toolCalls).toEqual([]);
    expect(second.finishReason).toBe('stop');
    expect(second.text).toContain('Hello from the anthropic fake');
  });

  it('enables thinking from an effort, within max_tokens, without temperature', async () => {
    const result = await adapter.chat(
      ask('Think hard', {
        reasoning: { effort: 'high' },
        maxOutputTokens: 8000,
        temperature: 0.5,
        topP: 0.5,
      }),
      call,
    );
    expect(lastBody().thinking).toEqual({ type: 'enabled', budget_tokens: 4000 });
    expect(lastBody()).not.toHaveProperty('temperature');
    expect(lastBody()).not.toHaveProperty('top_p');
    expect(result.reasoning).toEqual([
      { text: 'Thinking about: Think hard', signature: expect.stringMatching(/^[A-Za-z0-9+/=]+$/) },
    ]);
    expect(result.text).toBe(fakeReplyText('Think hard', 'anthropic'));

    await adapter.chat(ask('Budget', { reasoning: { budgetTokens: 5000 }, maxOutputTokens: 3000 }), call);
    expect(lastBody().thinking).toEqual({ type: 'enabled', budget_tokens: 2999 });
    await adapter.chat(ask('Small', { reasoning: { budgetTokens: 500 }, maxOutputTokens: 3000 }), call);
    expect(lastBody().thinking).toEqual({ type: 'enabled', budget_tokens: 1024 });
    await adapter.chat(ask('Low', { reasoning: { effort: 'medium' }, maxOutputTokens: 1500 }), call);
    expect(lastBody()).not.toHaveProperty('thinking');
  });

  it('answers a JSON schema response format through a forced tool, as text', async () => {
    const schema = { type: 'object', properties: { query: { type: 'string' } }, required: ['query'] };
    const result = await adapter.chat(
      ask('Give JSON', { responseFormat: { type: 'json_schema', name: 'search', schema } }),
      call,
    );
    expect(lastBody().tools).toEqual([
      { name: JSON_ANSWER_TOOL, description: expect.stringContaining('"search"'), input_schema: schema },
    ]);
    expect(lastBody().tool_choice).toEqual({ type: 'tool', name: JSON_ANSWER_TOOL });
    expect(result).toMatchObject({ text: '{"query":"fake"}', toolCalls: [], finishReason: 'stop' });

    // With the client's tools, some tool must be called; with thinking nothing may be forced.
    await adapter.chat(
      ask('Give JSON', { responseFormat: { type: 'json_object' }, tools: [weatherTool] }),
      call,
    );
    expect(lastBody().tool_choice).toEqual({ type: 'any' });
    const thought = await adapter.chat(
      ask('Give JSON', {
        responseFormat: { type: 'json_object' },
        reasoning: { effort: 'low' },
        maxOutputTokens: 4000,
      }),
      call,
    );
    expect(lastBody().tool_choice).toBeUndefined();
    expect(lastBody().tools).toEqual([
      { name: JSON_ANSWER_TOOL, description: expect.any(String), input_schema: { type: 'object' } },
    ]);
    expect(thought.text).toBe('{"query":"fake"}');
  });

  it('reports an empty answer and a missing usage as such', async () => {
    fake.enqueue({ empty: true }, { omitUsage: true });
    const empty = await adapter.chat(ask('Nothing'), call);
    expect(empty).toMatchObject({ text: '', toolCalls: [], finishReason: 'stop' });
    expect(empty.usage?.outputTokens).toBe(0);
    const noUsage = await adapter.chat(ask('No usage'), call);
    expect(noUsage.text).toBe(fakeReplyText('No usage', 'anthropic'));
    expect(noUsage.usage).toBeUndefined();
  });

  it('refuses images and tool arguments Anthropic cannot take, without calling it', async () => {
    const before = fake.requests.length;
    const gif = ask('x');
    gif.messages = [{ role: 'user', content: [{ type: 'image', url: 'data:image/bmp;base64,Qk0=' }] }];
    expect((await rejection(adapter.chat(gif, call))).kind).toBe('bad_request');
    gif.messages = [{ role: 'user', content: [{ type: 'image', url: 'http://example.com/a.png' }] }];
    expect((await rejection(adapter.chat(gif, call))).kind).toBe('bad_request');
    const badArguments = ask('x');
    badArguments.messages.push({
      role: 'assistant',
      content: '',
      toolCalls: [{ id: 't', name: 'f', arguments: '[1,2]' }],
    });
    expect((await rejection(adapter.chat(badArguments, call))).kind).toBe('bad_request');
    expect(fake.requests.length).toBe(before);
  });
});

describe('errors', () => {
  const cases: [number, string, string, boolean][] = [
    [400, 'bad_request', 'invalid_request_error', false],
    [401, 'auth', 'authentication_error', false],
    [403, 'auth', 'permission_error', false],
    [413, 'bad_request', 'request_too_large', false],
    [429, 'rate_limited', 'rate_limit_error', true],
    [500, 'server', 'api_error', true],
    [529, 'overloaded', 'overloaded_error', true],
  ];
  for (const [status, kind, code, retryable] of cases) {
    it(`maps ${status} ${code} to ${kind}`, async () => {
      fake.enqueue({ status, retryAfterSeconds: status === 429 ? 7 : undefined });
      const error = await rejection(adapter.chat(ask('x'), call));
      expect(error).toMatchObject({ kind, isRetryable: retryable, status });
      expect(error.options.providerCode).toBe(code);
      expect(error.retryAfterMs).toBe(status === 429 ? 7000 : undefined);
      expect(error.message).not.toContain('test-key-not-secret');
    });
  }

  it('maps an error status on a stream before any event', async () => {
    fake.enqueue({ status: 529, retryAfterSeconds: 2 });
    const error = await rejection(collect(adapter.chatStream(ask('x'), call)));
    expect(error).toMatchObject({ kind: 'overloaded', isRetryable: true, retryAfterMs: 2000 });
  });

  it('gets a 401 from the fake when the deployment has no key', async () => {
    const keyless = newCall({ apiKey: undefined });
    const error = await rejection(adapter.chat(ask('x'), keyless));
    expect(error).toMatchObject({ kind: 'auth', status: 401 });
  });

  it('reports a malformed body and a cut body', async () => {
    fake.enqueue({ malformed: true });
    expect((await rejection(adapter.chat(ask('x'), call))).kind).toBe('malformed');
    fake.enqueue({ cutHalfway: true });
    const cut = await rejection(adapter.chat(ask('x'), call));
    expect(cut).toMatchObject({ kind: 'interrupted', isRetryable: true });
  });

  it('gives up on a hanging answer when the signal aborts, and closes the connection', async () => {
    const closes = fake.requests.filter((request) => request.closedByClient).length;
    const hanging = newCall();
    fake.enqueue({ hang: true });
    setTimeout(() => hanging.controller.abort(), 50);
    const error = await rejection(adapter.chat(ask('x'), hanging));
    expect(error.kind).toBe('aborted');
    await fake.waitForClientCloses(closes + 1);
  });
});

describe('chatStream', () => {
  it('streams the text, then finish and usage', async () => {
    const events = await collect(adapter.chatStream(ask('Stream please'), call));
    const text = fakeReplyText('Stream please', 'anthropic');
    expect(joined(events, 'text')).toBe(text);
    expect(events.filter((event) => event.type === 'text').length).toBeGreaterThan(3);
    expect(events.slice(-2)).toEqual([
      { type: 'finish', reason: 'stop' },
      {
        type: 'usage',
        usage: {
          inputTokens: expect.any(Number),
          outputTokens: fakeTokenCount(text),
          cachedInputTokens: 0,
          cacheWriteTokens: 0,
        },
      },
    ]);
    expect(lastBody().stream).toBe(true);
  });

  it('streams a tool call: announced once, arguments reassembled, numbered from 0', async () => {
    fake.enqueue({ toolCall: { name: 'get_weather', arguments: '{"city":"Paris","days":[1,2,3]}' } });
    const events = await collect(adapter.chatStream(ask('Weather?', { tools: [weatherTool] }), call));
    const announced = events.filter((event) => event.type === 'tool_call');
    expect(announced).toEqual([{ type: 'tool_call', index: 0, id: expect.any(String), name: 'get_weather' }]);
    const deltas = events.filter((event) => event.type === 'tool_arguments');
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.map((event) => event.delta).join('')).toBe('{"city":"Paris","days":[1,2,3]}');
    expect(events.indexOf(announced[0]!)).toBeLessThan(events.indexOf(deltas[0]!));
    expect(events.at(-2)).toEqual({ type: 'finish', reason: 'tool_calls' });
  });

  it('streams thinking with its signature before the text', async () => {
    const events = await collect(
      adapter.chatStream(ask('Ponder', { reasoning: { budgetTokens: 2048 }, maxOutputTokens: 4096 }), call),
    );
    expect(joined(events, 'reasoning')).toBe('Thinking about: Ponder');
    const signed = events.findIndex((event) => event.type === 'reasoning' && event.signature);
    const firstText = events.findIndex((event) => event.type === 'text');
    expect(signed).toBeGreaterThan(0);
    expect(signed).toBeLessThan(firstText);
  });

  it('streams a JSON answer as text', async () => {
    const events = await collect(
      adapter.chatStream(ask('JSON', { responseFormat: { type: 'json_object' } }), call),
    );
    expect(joined(events, 'text')).toBe('{"query":"fake"}');
    expect(events.some((event) => event.type === 'tool_call')).toBe(false);
    expect(events.at(-2)).toEqual({ type: 'finish', reason: 'stop' });
  });

  it('sends no usage when the provider sent none, and only finish for an empty answer', async () => {
    fake.enqueue({ omitUsage: true }, { empty: true });
    const noUsage = await collect(adapter.chatStream(ask('x'), call));
    expect(noUsage.some((event) => event.type === 'usage')).toBe(false);
    expect(noUsage.at(-1)).toEqual({ type: 'finish', reason: 'stop' });
    const empty = await collect(adapter.chatStream(ask('x'), call));
    expect(empty.map((event) => event.type)).toEqual(['finish', 'usage']);
  });

  it('fails a malformed chunk as malformed', async () => {
    fake.enqueue({ malformed: true });
    const error = await rejection(collect(adapter.chatStream(ask('Some longer prompt here'), call)));
    expect(error.kind).toBe('malformed');
  });

  it('fails a cut stream as interrupted, never with a finish', async () => {
    fake.enqueue({ cutHalfway: true });
    const seen: ChatEvent[] = [];
    const error = await rejection(
      (async () => {
        for await (const event of adapter.chatStream(ask('Cut me off please, halfway'), call))
          seen.push(event);
      })(),
    );
    expect(error.kind).toBe('interrupted');
    expect(seen.some((event) => event.type === 'finish')).toBe(false);
  });

  it('closes the upstream connection when the consumer stops early', async () => {
    const closes = fake.requests.filter((request) => request.closedByClient).length;
    fake.enqueue({ chunkDelayMs: 30 });
    for await (const event of adapter.chatStream(ask('A long answer please'), call)) {
      if (event.type === 'text') break;
    }
    await fake.waitForClientCloses(closes + 1);
  });

  it('stops with aborted when the signal aborts mid-stream', async () => {
    const closes = fake.requests.filter((request) => request.closedByClient).length;
    const aborting = newCall();
    fake.enqueue({ chunkDelayMs: 30 });
    const error = await rejection(
      (async () => {
        for await (const event of adapter.chatStream(ask('Abort me'), aborting)) {
          if (event.type === 'text') aborting.controller.abort();
        }
      })(),
    );
    expect(error.kind).toBe('aborted');
    await fake.waitForClientCloses(closes + 1);
  });
});

describe('recorded answer shapes', () => {
  const start = (usage: Record<string, unknown>) => ({
    type: 'message_start',
    message: {
      id: 'msg_rec',
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-5-20250929',
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage,
    },
  });
  const delta = (stop: string, usage: Record<string, unknown>) => ({
    type: 'message_delta',
    delta: { stop_reason: stop, stop_sequence: null },
    usage,
  });

  it('counts cache reads and writes into the input and reports them apart', async () => {
    replays.push({
      json: {
        id: 'msg_cache',
        type: 'message',
        role: 'assistant',
        model: 'claude-sonnet-4-5-20250929',
        content: [
          { type: 'fallback', from: { model: 'a' }, to: { model: 'b' } },
          { type: 'thinking', thinking: 'Hmm.', signature: 'c2ln' },
          { type: 'redacted_thinking', data: 'b3BhcXVl' },
          { type: 'text', text: 'Done.' },
        ],
        stop_reason: 'max_tokens',
        stop_sequence: null,
        usage: {
          input_tokens: 10,
          cache_creation_input_tokens: 200,
          cache_read_input_tokens: 3000,
          cache_creation: { ephemeral_5m_input_tokens: 200, ephemeral_1h_input_tokens: 0 },
          output_tokens: 50,
          output_tokens_details: { thinking_tokens: 30 },
          service_tier: 'standard',
        },
      },
    });
    const result = await adapter.chat(ask('x'), replayCall);
    expect(result).toEqual({
      providerResponseId: 'msg_cache',
      text: 'Done.',
      reasoning: [
        { text: 'Hmm.', signature: 'c2ln' },
        { text: '', signature: 'b3BhcXVl', redacted: true },
      ],
      toolCalls: [],
      finishReason: 'length',
      usage: {
        inputTokens: 3210,
        outputTokens: 50,
        cachedInputTokens: 3000,
        cacheWriteTokens: 200,
        reasoningTokens: 30,
      },
    });
  });

  it('maps refusal to content_filter', async () => {
    replays.push({
      events: [
        start({
          input_tokens: 18,
          cache_creation_input_tokens: 0,
          cache_read_input_tokens: 0,
          output_tokens: 1,
        }),
        { type: 'ping' },
        delta('refusal', { input_tokens: 18, output_tokens: 5 }),
        { type: 'message_stop' },
      ],
    });
    const events = await collect(adapter.chatStream(ask('x'), replayCall));
    expect(events).toEqual([
      { type: 'finish', reason: 'content_filter' },
      {
        type: 'usage',
        usage: { inputTokens: 18, outputTokens: 5, cachedInputTokens: 0, cacheWriteTokens: 0 },
      },
    ]);
  });

  it('takes input tokens corrected in message_delta, and ignores unknown blocks and events', async () => {
    replays.push({
      events: [
        start({ input_tokens: 43, output_tokens: 1 }),
        { type: 'content_block_start', index: 0, content_block: { type: 'fallback', from: {}, to: {} } },
        { type: 'content_block_stop', index: 0 },
        { type: 'content_block_start', index: 1, content_block: { text: '', type: 'text' } },
        { type: 'content_block_delta', index: 1, delta: { text: 'p', type: 'text_delta' } },
        { type: 'ping' },
        { type: 'some_future_event', detail: 1 },
        { type: 'content_block_delta', index: 1, delta: { type: 'citations_delta', citation: {} } },
        { type: 'content_block_delta', index: 1, delta: { text: 'ong', type: 'text_delta' } },
        { type: 'content_block_stop', index: 1 },
        delta('end_turn', { input_tokens: 61, output_tokens: 2 }),
        { type: 'message_stop' },
      ],
    });
    const events = await collect(adapter.chatStream(ask('x'), replayCall));
    expect(events).toEqual([
      { type: 'text', text: 'p' },
      { type: 'text', text: 'ong' },
      { type: 'finish', reason: 'stop' },
      { type: 'usage', usage: { inputTokens: 61, outputTokens: 2 } },
    ]);
  });

  it('gives a tool call without arguments `{}` and numbers calls apart from text blocks', async () => {
    replays.push({
      events: [
        start({ input_tokens: 565, output_tokens: 7 }),
        { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
        { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Updating.' } },
        { type: 'content_block_stop', index: 0 },
        {
          type: 'content_block_start',
          index: 1,
          content_block: { type: 'tool_use', id: 'toolu_a', name: 'updateIssueList', input: {} },
        },
        { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: '' } },
        { type: 'content_block_stop', index: 1 },
        {
          type: 'content_block_start',
          index: 2,
          content_block: { type: 'tool_use', id: 'toolu_b', name: 'get_weather', input: {} },
        },
        { type: 'content_block_delta', index: 2, delta: { type: 'input_json_delta', partial_json: '{"ci' } },
        {
          type: 'content_block_delta',
          index: 2,
          delta: { type: 'input_json_delta', partial_json: 'ty":"Oslo"}' },
        },
        { type: 'content_block_stop', index: 2 },
        delta('tool_use', { output_tokens: 48 }),
        { type: 'message_stop' },
      ],
    });
    const events = await collect(adapter.chatStream(ask('x'), replayCall));
    expect(events).toEqual([
      { type: 'text', text: 'Updating.' },
      { type: 'tool_call', index: 0, id: 'toolu_a', name: 'updateIssueList' },
      { type: 'tool_arguments', index: 0, delta: '{}' },
      { type: 'tool_call', index: 1, id: 'toolu_b', name: 'get_weather' },
      { type: 'tool_arguments', index: 1, delta: '{"ci' },
      { type: 'tool_arguments', index: 1, delta: 'ty":"Oslo"}' },
      { type: 'finish', reason: 'tool_calls' },
      { type: 'usage', usage: { inputTokens: 565, outputTokens: 48 } },
    ]);
  });

  it('streams thinking blocks, signatures and redacted thinking in order', async () => {
    replays.push({
      events: [
        start({ input_tokens: 9, output_tokens: 1 }),
        {
          type: 'content_block_start',
          index: 0,
          content_block: { type: 'thinking', thinking: '', signature: '' },
        },
        { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'Let me see' } },
        { type: 'content_block_delta', index: 0, delta: { type: 'signature_delta', signature: 'c2ln' } },
        { type: 'content_block_stop', index: 0 },
        { type: 'content_block_start', index: 1, content_block: { type: 'redacted_thinking', data: 'b3A=' } },
        { type: 'content_block_stop', index: 1 },
        { type: 'content_block_start', index: 2, content_block: { type: 'text', text: '' } },
        { type: 'content_block_delta', index: 2, delta: { type: 'text_delta', text: 'Yes.' } },
        { type: 'content_block_stop', index: 2 },
        delta('end_turn', { output_tokens: 20, output_tokens_details: { thinking_tokens: 15 } }),
        { type: 'message_stop' },
      ],
    });
    const events = await collect(adapter.chatStream(ask('x'), replayCall));
    expect(events).toEqual([
      { type: 'reasoning', text: 'Let me see' },
      { type: 'reasoning', text: '', signature: 'c2ln' },
      { type: 'reasoning', text: '', signature: 'b3A=', redacted: true },
      { type: 'text', text: 'Yes.' },
      { type: 'finish', reason: 'stop' },
      { type: 'usage', usage: { inputTokens: 9, outputTokens: 20, reasoningTokens: 15 } },
    ]);
  });

  it('drops a text preamble before the JSON answer tool', async () => {
    replays.push({
      events: [
        start({ input_tokens: 849, output_tokens: 10 }),
        { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
        {
          type: 'content_block_delta',
          index: 0,
          delta: { type: 'text_delta', text: "I'll invoke the tool." },
        },
        { type: 'content_block_stop', index: 0 },
        {
          type: 'content_block_start',
          index: 1,
          content_block: { type: 'tool_use', id: 'toolu_j', name: JSON_ANSWER_TOOL, input: {} },
        },
        { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: '{"a":' } },
        { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: '1}' } },
        { type: 'content_block_stop', index: 1 },
        delta('tool_use', { output_tokens: 47 }),
        { type: 'message_stop' },
      ],
    });
    const events = await collect(
      adapter.chatStream(ask('x', { responseFormat: { type: 'json_object' } }), replayCall),
    );
    expect(joined(events, 'text')).toBe('{"a":1}');
    expect(events.at(-2)).toEqual({ type: 'finish', reason: 'stop' });
  });

  it('fails on an error event mid-stream with its kind', async () => {
    replays.push({
      events: [
        start({ input_tokens: 5, output_tokens: 1 }),
        { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
        { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hel' } },
        { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } },
      ],
    });
    const seen: ChatEvent[] = [];
    const error = await rejection(
      (async () => {
        for await (const event of adapter.chatStream(ask('x'), replayCall)) seen.push(event);
      })(),
    );
    expect(error).toMatchObject({ kind: 'overloaded', isRetryable: true });
    expect(error.options.providerCode).toBe('overloaded_error');
    expect(seen).toEqual([{ type: 'text', text: 'Hel' }]);
  });

  it('fails a stream that ends without message_stop as interrupted', async () => {
    replays.push({
      events: [
        start({ input_tokens: 5, output_tokens: 1 }),
        { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
        { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hel' } },
        { type: 'content_block_stop', index: 0 },
        delta('end_turn', { output_tokens: 2 }),
      ],
    });
    const error = await rejection(collect(adapter.chatStream(ask('x'), replayCall)));
    expect(error.kind).toBe('interrupted');
  });

  it('fails a known event of the wrong shape as malformed', async () => {
    replays.push({
      events: [start({ input_tokens: 5, output_tokens: 1 }), { type: 'content_block_delta', delta: {} }],
    });
    const error = await rejection(collect(adapter.chatStream(ask('x'), replayCall)));
    expect(error.kind).toBe('malformed');
  });
});

describe('the fake', () => {
  it('lists models and refuses requests Anthropic would refuse', async () => {
    const models = await call.pool.request({
      origin: fake.origin,
      path: '/v1/models',
      method: 'GET',
      headers: { 'x-api-key': 'k', 'anthropic-version': '2023-06-01' },
    });
    expect(models.statusCode).toBe(200);
    const list = (await models.body.json()) as { data: { type: string; id: string }[] };
    expect(list.data[0]).toMatchObject({ type: 'model', id: expect.stringMatching(/^claude-/) });

    const refused = await call.pool.request({
      origin: fake.origin,
      path: '/v1/messages',
      method: 'POST',
      headers: { 'x-api-key': 'k', 'anthropic-version': '2023-06-01', 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'm',
        max_tokens: 100,
        temperature: 0.5,
        thinking: { type: 'enabled', budget_tokens: 2000 },
        messages: [{ role: 'user', content: 'hi' }],
      }),
    });
    expect(refused.statusCode).toBe(400);
    expect(await refused.body.json()).toMatchObject({
      type: 'error',
      error: { type: 'invalid_request_error', message: expect.stringContaining('max_tokens') },
    });
  });
});
