import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeServer, fakeReplyText, fakeTokenCount } from '../fakes/fake-server.js';
import { type TestCall, testCallOptions } from '../fakes/test-call-options.js';
import { collect, rejection } from '../fakes/test-outcomes.js';
import { statusError } from '../http/upstream.js';
import type { ChatEvent, ChatRequest } from '../spec.js';
import { FAKE_REFUSAL, FAKE_REFUSAL_TRIGGER, startFakeOpenAi } from './fake-openai.js';
import { readChatEvents } from './openai-chat-stream.js';
import { readOpenAiError, refineOpenAiError } from './openai-error.js';
import { createOpenAiAdapter, OPENAI_CHAT } from './openai-provider.js';

const adapter = createOpenAiAdapter();
let fake: FakeServer & { baseUrl: string };
let call: TestCall;

beforeAll(async () => {
  fake = await startFakeOpenAi();
  call = testCallOptions('openai', fake.baseUrl);
});

afterAll(async () => {
  await call.pool.close();
  await fake.close();
});

function ask(text: string, extra: Partial<ChatRequest> = {}): ChatRequest {
  return {
    model: 'gpt-4o-mini',
    messages: [{ role: 'user', content: [{ type: 'text', text }] }],
    maxOutputTokens: 100,
    ...extra,
  };
}

const lookupTool = {
  name: 'lookup',
  description: 'Looks things up',
  parameters: { type: 'object', properties: {} },
};

function lastRequest() {
  return fake.requests.at(-1)!;
}

function textOf(events: ChatEvent[]): string {
  return events.map((event) => (event.type === 'text' ? event.text : '')).join('');
}

function clientCloses(): number {
  return fake.requests.filter((request) => request.closedByClient).length;
}

describe('OpenAI chat, not streamed', () => {
  it('answers the fake text with usage and sends the mapped request with the bearer key', async () => {
    const result = await adapter.chat!(
      {
        ...ask('Say hi'),
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: [{ type: 'text', text: 'Say hi' }] },
        ],
        temperature: 0.2,
        topP: 0.9,
        stop: ['END'],
        seed: 7,
        user: 'user-123',
      },
      call,
    );
    const reply = fakeReplyText('Say hi', 'openai');
    expect(result).toEqual({
      providerResponseId: expect.stringMatching(/^chatcmpl-/),
      text: reply,
      toolCalls: [],
      finishReason: 'stop',
      usage: { inputTokens: fakeTokenCount('Be brief.\nSay hi'), outputTokens: fakeTokenCount(reply) },
    });
    const request = lastRequest();
    expect(request.url).toBe('/v1/chat/completions');
    expect(request.headers.authorization).toBe('Bearer test-key-not-secret');
    expect(request.body).toEqual({
      model: 'gpt-4o-mini',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Say hi' },
      ],
      max_completion_tokens: 100,
      temperature: 0.2,
      top_p: 0.9,
      stop: ['END'],
      seed: 7,
      safety_identifier: 'user-123',
    });
  });

  it('maps images, tools, tool choice, history with tool calls and a JSON schema format', async () => {
    await adapter.chat!(
      {
        model: 'gpt-4o-mini',
        maxOutputTokens: 50,
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'What is this?' },
              { type: 'image', url: 'data:image/png;base64,AAAA', detail: 'low' },
            ],
          },
          {
            role: 'assistant',
            content: '',
            toolCalls: [{ id: 'call_1', name: 'lookup', arguments: '{"q":1}' }],
          },
          { role: 'tool', toolCallId: 'call_1', content: 'a cat', isError: false },
          { role: 'assistant', content: 'A cat.' },
          { role: 'user', content: [{ type: 'text', text: 'Thanks' }] },
        ],
        tools: [{ ...lookupTool, strict: true }],
        toolChoice: 'none',
        parallelToolCalls: false,
        responseFormat: { type: 'json_schema', name: 'answer', schema: { type: 'object' }, strict: true },
      },
      call,
    );
    expect(lastRequest().body).toEqual({
      model: 'gpt-4o-mini',
      max_completion_tokens: 50,
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is this?' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA', detail: 'low' } },
          ],
        },
        {
          role: 'assistant',
          content: '',
          tool_calls: [
            { id: 'call_1', type: 'function', function: { name: 'lookup', arguments: '{"q":1}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'call_1', content: 'a cat' },
        { role: 'assistant', content: 'A cat.' },
        { role: 'user', content: 'Thanks' },
      ],
      tools: [
        {
          type: 'function',
          function: {
            name: 'lookup',
            description: 'Looks things up',
            parameters: { type: 'object', properties: {} },
            strict: true,
          },
        },
      ],
      tool_choice: 'none',
      parallel_tool_calls: false,
      response_format: {
        type: 'json_schema',
        json_schema: { name: 'answer', schema: { type: 'object' }, strict: true },
      },
    });
  });

  it('sends developer messages and reasoning_effort to reasoning models, without sampling parameters', async () => {
    const result = await adapter.chat!(
      {
        ...ask('Think'),
        model: 'gpt-5-mini',
        messages: [
          { role: 'system', content: 'Be exact.' },
          { role: 'user', content: [{ type: 'text', text: 'Think' }] },
        ],
        temperature: 0.5,
        topP: 0.5,
        reasoning: { effort: 'low' },
        responseFormat: { type: 'json_object' },
      },
      call,
    );
    expect(lastRequest().body).toEqual({
      model: 'gpt-5-mini',
      messages: [
        { role: 'developer', content: 'Be exact.' },
        { role: 'user', content: 'Think' },
      ],
      max_completion_tokens: 100,
      reasoning_effort: 'low',
      response_format: { type: 'json_object' },
    });
    const reply = fakeReplyText('Think', 'openai');
    expect(result.usage).toEqual({
      inputTokens: fakeTokenCount('Be exact.\nThink'),
      outputTokens: fakeTokenCount(reply) + 64,
      reasoningTokens: 64,
    });
  });

  it('leaves reasoning_effort out for models without reasoning', async () => {
    await adapter.chat!(ask('Hi', { reasoning: { effort: 'high' } }), call);
    expect(lastRequest().body).not.toHaveProperty('reasoning_effort');
  });

  it('calls the first tool by default and reports tool_calls', async () => {
    const result = await adapter.chat!(ask('Find it', { tools: [lookupTool], toolChoice: 'auto' }), call);
    expect(result.text).toBe('');
    expect(result.finishReason).toBe('tool_calls');
    expect(result.toolCalls).toEqual([
      { id: expect.stringMatching(/^call_/), name: 'lookup', arguments: '{"query":"fake"}' },
    ]);
  });

  it('reports tool_calls when a named tool was forced, though OpenAI says stop', async () => {
    const tools = [lookupTool, { name: 'other', parameters: {} }];
    const result = await adapter.chat!(ask('Find it', { tools, toolChoice: { name: 'other' } }), call);
    expect(lastRequest().body).toMatchObject({
      tool_choice: { type: 'function', function: { name: 'other' } },
    });
    expect(result.toolCalls[0]?.name).toBe('other');
    expect(result.finishReason).toBe('tool_calls');
  });

  it('maps cached prompt tokens', async () => {
    const long = 'word '.repeat(1000);
    const result = await adapter.chat!(ask(long), call);
    expect(result.usage).toMatchObject({ inputTokens: fakeTokenCount(long), cachedInputTokens: 1024 });
  });

  it('returns a refusal as the text with the content_filter finish reason', async () => {
    const result = await adapter.chat!(ask(`${FAKE_REFUSAL_TRIGGER} now`), call);
    expect(result.text).toBe(FAKE_REFUSAL);
    expect(result.finishReason).toBe('content_filter');
  });

  it('uses the scenario text, an empty answer, and leaves usage out when the provider does', async () => {
    fake.enqueue({ text: 'Custom.' }, { empty: true }, { omitUsage: true });
    expect((await adapter.chat!(ask('a'), call)).text).toBe('Custom.');
    const empty = await adapter.chat!(ask('b'), call);
    expect(empty).toMatchObject({ text: '', toolCalls: [], finishReason: 'stop' });
    expect((await adapter.chat!(ask('c'), call)).usage).toBeUndefined();
  });

  it('waits for a slow first byte', async () => {
    fake.enqueue({ firstByteDelayMs: 50 });
    expect((await adapter.chat!(ask('slow'), call)).finishReason).toBe('stop');
  });

  it('rejects a malformed body as malformed and a cut body as interrupted', async () => {
    fake.enqueue({ malformed: true }, { cutHalfway: true });
    expect((await rejection(adapter.chat!(ask('x'), call))).kind).toBe('malformed');
    const cut = await rejection(adapter.chat!(ask('y'), call));
    expect(cut.kind).toBe('interrupted');
    expect(cut.isRetryable).toBe(true);
  });

  it('aborts a request that hangs when the signal fires', async () => {
    const own = testCallOptions('openai', fake.baseUrl);
    const closes = clientCloses();
    fake.enqueue({ hang: true });
    const pending = adapter.chat!(ask('hang'), own);
    setTimeout(() => own.controller.abort(), 50);
    const error = await rejection(pending);
    expect(error.kind).toBe('aborted');
    await fake.waitForClientCloses(closes + 1);
    await expect.poll(() => lastRequest().closedByClient).toBe(true);
    await own.pool.close();
  });
});

describe('OpenAI chat errors', () => {
  it.each([
    [400, 'bad_request', false],
    [401, 'auth', false],
    [403, 'auth', false],
    [404, 'bad_request', false],
    [429, 'rate_limited', true],
    [500, 'server', true],
    [502, 'server', true],
    [503, 'overloaded', true],
  ] as const)('maps status %i to %s', async (status, kind, retryable) => {
    fake.enqueue({ status, retryAfterSeconds: status === 429 ? 2 : undefined });
    const error = await rejection(adapter.chat!(ask('the secret prompt'), call));
    expect(error.kind).toBe(kind);
    expect(error.isRetryable).toBe(retryable);
    expect(error.status).toBe(status);
    expect(error.message).toMatch(/^openai answered \d{3}/);
    expect(error.message).not.toContain('secret prompt');
    if (status === 429) {
      expect(error.retryAfterMs).toBe(2000);
      expect(error.options.providerCode).toBe('rate_limit_exceeded');
    }
  });

  it('maps an error status on a stream request before the first event', async () => {
    fake.enqueue({ status: 429, retryAfterSeconds: 1 });
    const error = await rejection(collect(adapter.chatStream!(ask('x'), call)));
    expect(error).toMatchObject({ kind: 'rate_limited', retryAfterMs: 1000 });
  });

  it('reads the error body: unsupported parameters are bad requests, exhausted quota is the account', () => {
    const unsupported = {
      error: {
        message: "Unsupported parameter: 'max_tokens' is not supported with this model.",
        type: 'invalid_request_error',
        param: 'max_tokens',
        code: 'unsupported_parameter',
      },
    };
    const badRequest = refineOpenAiError(
      'openai',
      statusError('openai', 400, {}, JSON.stringify(unsupported), readOpenAiError),
    );
    expect(badRequest).toMatchObject({
      kind: 'bad_request',
      options: { providerCode: 'unsupported_parameter' },
    });
    expect(badRequest.message).toContain("'max_tokens' is not supported");

    const quota = {
      error: {
        message: 'You exceeded your current quota.',
        type: 'insufficient_quota',
        code: 'insufficient_quota',
      },
    };
    const account = refineOpenAiError(
      'openai',
      statusError('openai', 429, {}, JSON.stringify(quota), readOpenAiError),
    );
    expect(account).toMatchObject({ kind: 'auth', isRetryable: false, status: 429 });

    const tooLong = {
      error: { message: 'Too long.', type: 'invalid_request_error', code: 'context_length_exceeded' },
    };
    expect(
      refineOpenAiError('openai', statusError('openai', 400, {}, JSON.stringify(tooLong), readOpenAiError))
        .kind,
    ).toBe('bad_request');

    const filtered = { error: { message: 'Filtered.', type: null, code: 'content_filter', status: 400 } };
    const content = refineOpenAiError(
      'openai',
      statusError('openai', 400, {}, JSON.stringify(filtered), readOpenAiError),
    );
    expect(content).toMatchObject({ kind: 'content_filter', isRetryable: false });
  });

  it('keeps only locations and reasons from validation reports that echo the input', () => {
    const mistral = {
      object: 'error',
      message: {
        detail: [
          {
            type: 'extra_forbidden',
            loc: ['body', 'messages'],
            msg: 'Extra inputs are not permitted',
            input: 'the secret prompt',
          },
        ],
      },
      type: 'invalid_request_error',
      param: null,
      code: '3001',
    };
    const read = readOpenAiError(mistral);
    expect(read).toEqual({ code: '3001', message: 'body.messages: Extra inputs are not permitted' });
    expect(readOpenAiError({ error: 'model "x" not found' })).toEqual({ message: 'model "x" not found' });
  });
});

describe('OpenAI chat, streamed', () => {
  it('streams the text, then the finish reason and the usage, asking for the usage chunk', async () => {
    const events = await collect(adapter.chatStream!(ask('Stream please'), call));
    const reply = fakeReplyText('Stream please', 'openai');
    expect(textOf(events)).toBe(reply);
    expect(events.filter((event) => event.type === 'text').length).toBeGreaterThan(3);
    expect(events.slice(-2)).toEqual([
      { type: 'finish', reason: 'stop' },
      {
        type: 'usage',
        usage: { inputTokens: fakeTokenCount('Stream please'), outputTokens: fakeTokenCount(reply) },
      },
    ]);
    expect(lastRequest().body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    expect(lastRequest().closedByClient).toBe(false);
  });

  it('announces a tool call before its argument deltas, which reassemble', async () => {
    const events = await collect(adapter.chatStream!(ask('Find', { tools: [lookupTool] }), call));
    const announce = events.find((event) => event.type === 'tool_call');
    expect(announce).toEqual({
      type: 'tool_call',
      index: 0,
      id: expect.stringMatching(/^call_/),
      name: 'lookup',
    });
    const deltas = events.filter((event) => event.type === 'tool_arguments');
    expect(deltas.length).toBeGreaterThan(1);
    expect(events.indexOf(announce!)).toBeLessThan(events.indexOf(deltas[0]!));
    expect(deltas.map((event) => (event.type === 'tool_arguments' ? event.delta : '')).join('')).toBe(
      '{"query":"fake"}',
    );
    expect(events.at(-2)).toEqual({ type: 'finish', reason: 'tool_calls' });
  });

  it("streams the scenario's tool call", async () => {
    fake.enqueue({ toolCall: { name: 'weather', arguments: '{"city":"Paris","days":[1,2]}' } });
    const events = await collect(adapter.chatStream!(ask('Weather?'), call));
    expect(events.find((event) => event.type === 'tool_call')).toMatchObject({ name: 'weather' });
    const args = events.map((event) => (event.type === 'tool_arguments' ? event.delta : '')).join('');
    expect(JSON.parse(args)).toEqual({ city: 'Paris', days: [1, 2] });
  });

  it('streams a refusal as text and finishes with content_filter', async () => {
    const events = await collect(adapter.chatStream!(ask(FAKE_REFUSAL_TRIGGER), call));
    expect(textOf(events)).toBe(FAKE_REFUSAL);
    expect(events.at(-2)).toEqual({ type: 'finish', reason: 'content_filter' });
  });

  it('ends without a usage event when the provider sends none', async () => {
    fake.enqueue({ omitUsage: true });
    const events = await collect(adapter.chatStream!(ask('x'), call));
    expect(events.at(-1)).toEqual({ type: 'finish', reason: 'stop' });
    expect(events.some((event) => event.type === 'usage')).toBe(false);
  });

  it('fails a malformed chunk as malformed', async () => {
    fake.enqueue({ malformed: true });
    const error = await rejection(collect(adapter.chatStream!(ask('a b c d e f'), call)));
    expect(error.kind).toBe('malformed');
  });

  it('fails a cut stream as interrupted, never with a finish event', async () => {
    fake.enqueue({ cutHalfway: true });
    const events: ChatEvent[] = [];
    const error = await rejection(
      (async () => {
        for await (const event of adapter.chatStream!(ask('a b c d e f'), call)) events.push(event);
      })(),
    );
    expect(error.kind).toBe('interrupted');
    expect(events.length).toBeGreaterThan(0);
    expect(events.some((event) => event.type === 'finish')).toBe(false);
  });

  it('closes the upstream connection when the consumer stops early', async () => {
    const closes = clientCloses();
    fake.enqueue({ chunkDelayMs: 30 });
    for await (const event of adapter.chatStream!(ask('a b c d e f g h'), call)) {
      if (event.type === 'text') break;
    }
    const request = lastRequest();
    await fake.waitForClientCloses(closes + 1);
    // An earlier test's close may be noticed late: wait for this request's own.
    await expect.poll(() => request.closedByClient).toBe(true);
  });

  it('fails as aborted and closes the connection when the signal fires mid-stream', async () => {
    const own = testCallOptions('openai', fake.baseUrl);
    const closes = clientCloses();
    fake.enqueue({ chunkDelayMs: 30 });
    const iterator = adapter.chatStream!(ask('a b c d e f g h'), own)[Symbol.asyncIterator]();
    expect((await iterator.next()).done).toBe(false);
    own.controller.abort();
    const error = await rejection(iterator.next());
    expect(error.kind).toBe('aborted');
    await fake.waitForClientCloses(closes + 1);
    await expect.poll(() => lastRequest().closedByClient).toBe(true);
    await own.pool.close();
  });
});

describe('OpenAI stream parser', () => {
  function sse(...payloads: unknown[]): Readable {
    return Readable.from(
      payloads.map((payload) =>
        Buffer.from(`data: ${typeof payload === 'string' ? payload : JSON.stringify(payload)}\n\n`),
      ),
    );
  }

  it('accepts a clean end after the finish chunk without [DONE], and tool calls without an index', async () => {
    const events = await collect(
      readChatEvents(
        OPENAI_CHAT,
        sse(
          { choices: [{ delta: { tool_calls: [{ id: 'a', function: { name: 'one', arguments: '{}' } }] } }] },
          {
            choices: [{ delta: { tool_calls: [{ id: 'b', function: { name: 'two', arguments: '{"x"' } }] } }],
          },
          {
            choices: [
              { delta: { tool_calls: [{ function: { arguments: ':1}' } }] }, finish_reason: 'function_call' },
            ],
          },
        ),
      ),
    );
    expect(events).toEqual([
      { type: 'tool_call', index: 0, id: 'a', name: 'one' },
      { type: 'tool_arguments', index: 0, delta: '{}' },
      { type: 'tool_call', index: 1, id: 'b', name: 'two' },
      { type: 'tool_arguments', index: 1, delta: '{"x"' },
      { type: 'tool_arguments', index: 1, delta: ':1}' },
      { type: 'finish', reason: 'tool_calls' },
    ]);
  });

  it('fails a stream that ends cleanly before any finish reason as interrupted', async () => {
    const stream = readChatEvents(OPENAI_CHAT, sse({ choices: [{ delta: { content: 'Hel' } }] }));
    const error = await rejection(collect(stream));
    expect(error.kind).toBe('interrupted');
  });

  it('turns an error chunk into its kind', async () => {
    const stream = readChatEvents(
      OPENAI_CHAT,
      sse(
        { choices: [{ delta: { content: 'Hel' } }] },
        { error: { message: 'The server had an error.', type: 'server_error' } },
      ),
    );
    const error = await rejection(collect(stream));
    expect(error).toMatchObject({ kind: 'server', isRetryable: true });
    expect(error.message).toBe('openai failed mid-stream: The server had an error.');
  });
});

describe('the OpenAI fake', () => {
  it('lists models and refuses what OpenAI refuses', async () => {
    const models = await call.pool.request({
      origin: fake.origin,
      path: '/v1/models',
      method: 'GET',
      headers: { authorization: 'Bearer k' },
    });
    expect(((await models.body.json()) as { data: unknown[] }).data.length).toBeGreaterThan(0);
    const refused = await call.pool.request({
      origin: fake.origin,
      path: '/v1/chat/completions',
      method: 'POST',
      headers: { authorization: 'Bearer k', 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'o4-mini', messages: [{ role: 'user', content: 'x' }], max_tokens: 5 }),
    });
    expect(refused.statusCode).toBe(400);
    expect(await refused.body.json()).toMatchObject({
      error: { param: 'max_tokens', code: 'unsupported_parameter' },
    });
  });
});
