import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeServer } from '../fakes/fake-server.js';
import { fakeReplyText, fakeTokenCount, startFakeServer } from '../fakes/fake-server.js';
import { type TestCall, testCallOptions } from '../fakes/test-call-options.js';
import { collect, rejection } from '../fakes/test-outcomes.js';
import type { ChatEvent, ChatRequest, ChatResult, Deployment, ToolDefinition } from '../spec.js';
import { FAKE_THOUGHT_SIGNATURE, startFakeGoogle } from './fake-google.js';
import { createGoogleAdapter } from './google-provider.js';

const adapter = createGoogleAdapter();
const PROMPT = 'What is the capital of France?';
const REPLY = fakeReplyText(PROMPT, 'google');
const SEARCH: ToolDefinition = {
  name: 'search',
  description: 'Searches the web',
  parameters: { type: 'object', properties: { query: { type: 'string' } }, required: ['query'] },
};

let fake: FakeServer & { baseUrl: string };
/** Answers with whatever the test put in `replay`: recorded Gemini bodies replayed over HTTP. */
let replayServer: FakeServer;
let replay: { status: number; body: string; contentType: string } = {
  status: 200,
  body: '{}',
  contentType: 'application/json',
};
const calls: TestCall[] = [];

beforeAll(async () => {
  fake = await startFakeGoogle();
  replayServer = await startFakeServer(({ res }) => {
    res.writeHead(replay.status, { 'content-type': replay.contentType }).end(replay.body);
  });
});

afterAll(async () => {
  for (const call of calls) await call.pool.close();
  await fake.close();
  await replayServer.close();
});

function newCall(overrides: Partial<Deployment> = {}): TestCall {
  const call = testCallOptions('google', fake.baseUrl, overrides);
  calls.push(call);
  return call;
}

function replayCall(status: number, body: unknown): TestCall {
  replay = { status, body: JSON.stringify(body), contentType: 'application/json' };
  const call = testCallOptions('google', `${replayServer.origin}/v1beta`);
  calls.push(call);
  return call;
}

function replayStreamCall(events: unknown[]): TestCall {
  const body = events.map((event) => `data: ${JSON.stringify(event)}\r\n\r\n`).join('');
  replay = { status: 200, body, contentType: 'text/event-stream' };
  const call = testCallOptions('google', `${replayServer.origin}/v1beta`);
  calls.push(call);
  return call;
}

function chatRequest(overrides: Partial<ChatRequest> = {}): ChatRequest {
  return {
    model: 'gemini-2.5-flash',
    messages: [{ role: 'user', content: [{ type: 'text', text: PROMPT }] }],
    maxOutputTokens: 256,
    ...overrides,
  };
}

function lastBody(): unknown {
  return fake.requests.at(-1)?.body;
}

function textOf(events: ChatEvent[]): string {
  return events.map((event) => (event.type === 'text' ? event.text : '')).join('');
}

describe('google chat', () => {
  it('answers with the text, the usage and the response id, sending the key in x-goog-api-key', async () => {
    const result = await adapter.chat!(chatRequest(), newCall());
    expect(result).toEqual({
      providerResponseId: expect.any(String),
      text: REPLY,
      toolCalls: [],
      finishReason: 'stop',
      usage: { inputTokens: fakeTokenCount(PROMPT), outputTokens: fakeTokenCount(REPLY) },
    });
    const request = fake.requests.at(-1)!;
    expect(request.method).toBe('POST');
    expect(request.url).toBe('/v1beta/models/gemini-2.5-flash:generateContent');
    expect(request.headers['x-goog-api-key']).toBe('test-key-not-secret');
  });

  it('maps every request field to Gemini’s body', async () => {
    await adapter.chat!(
      {
        model: 'gemini-2.5-flash',
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'system', content: 'Answer in French.' },
          {
            role: 'user',
            content: [
              { type: 'text', text: 'Describe these.' },
              { type: 'image', url: 'data:image/png;base64,iVBORw0KGgo=' },
              { type: 'image', url: 'https://example.com/cat.webp?size=2' },
              { type: 'image', url: 'https://cdn.example.com/photo/123' },
            ],
          },
          {
            role: 'assistant',
            content: 'Let me look.',
            toolCalls: [
              { id: 'call_a', name: 'lookup', arguments: '{"query":"cat"}' },
              { id: 'call_b', name: 'weather', arguments: '' },
            ],
          },
          { role: 'tool', toolCallId: 'call_a', content: 'a cat' },
          { role: 'tool', toolCallId: 'call_b', content: 'no weather today', isError: true },
          { role: 'user', content: [{ type: 'text', text: 'Thanks. And now?' }] },
        ],
        maxOutputTokens: 300,
        temperature: 0.2,
        topP: 0.9,
        stop: ['END'],
        seed: 7,
        tools: [
          {
            name: 'lookup',
            description: 'Looks things up',
            parameters: {
              type: 'object',
              properties: { query: { type: 'string' } },
              required: ['query'],
              additionalProperties: false,
            },
          },
          { name: 'weather', parameters: {} },
        ],
        toolChoice: { name: 'lookup' },
        parallelToolCalls: false,
        responseFormat: {
          type: 'json_schema',
          name: 'answer',
          schema: { type: 'object', properties: { answer: { type: 'string' } } },
        },
        reasoning: { budgetTokens: 1024 },
        user: 'user-123',
      },
      newCall(),
    );
    expect(lastBody()).toEqual({
      contents: [
        {
          role: 'user',
          parts: [
            { text: 'Describe these.' },
            { inlineData: { mimeType: 'image/png', data: 'iVBORw0KGgo=' } },
            { fileData: { mimeType: 'image/webp', fileUri: 'https://example.com/cat.webp?size=2' } },
            { fileData: { mimeType: 'image/jpeg', fileUri: 'https://cdn.example.com/photo/123' } },
          ],
        },
        {
          role: 'model',
          parts: [
            { text: 'Let me look.' },
            { functionCall: { name: 'lookup', args: { query: 'cat' } } },
            { functionCall: { name: 'weather', args: {} } },
          ],
        },
        {
          role: 'user',
          parts: [
            { functionResponse: { name: 'lookup', response: { output: 'a cat' } } },
            { functionResponse: { name: 'weather', response: { error: 'no weather today' } } },
            { text: 'Thanks. And now?' },
          ],
        },
      ],
      systemInstruction: { parts: [{ text: 'Be brief.' }, { text: 'Answer in French.' }] },
      generationConfig: {
        maxOutputTokens: 300,
        temperature: 0.2,
        topP: 0.9,
        stopSequences: ['END'],
        seed: 7,
        responseMimeType: 'application/json',
        responseJsonSchema: { type: 'object', properties: { answer: { type: 'string' } } },
        thinkingConfig: { thinkingBudget: 1024, includeThoughts: true },
      },
      tools: [
        {
          functionDeclarations: [
            {
              name: 'lookup',
              description: 'Looks things up',
              parametersJsonSchema: {
                type: 'object',
                properties: { query: { type: 'string' } },
                required: ['query'],
                additionalProperties: false,
              },
            },
            { name: 'weather' },
          ],
        },
      ],
      toolConfig: { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['lookup'] } },
    });
  });

  it.each([
    ['auto', 'AUTO'],
    ['none', 'NONE'],
    ['required', 'ANY'],
  ] as const)('maps tool choice %s to mode %s', async (toolChoice, mode) => {
    await adapter.chat!(chatRequest({ tools: [SEARCH], toolChoice }), newCall());
    expect((lastBody() as { toolConfig: unknown }).toolConfig).toEqual({ functionCallingConfig: { mode } });
  });

  it('maps reasoning effort to a budget before Gemini 3 and to a level from Gemini 3 on, and json_object', async () => {
    await adapter.chat!(
      chatRequest({ reasoning: { effort: 'low' }, responseFormat: { type: 'json_object' } }),
      newCall(),
    );
    expect((lastBody() as { generationConfig: unknown }).generationConfig).toEqual({
      maxOutputTokens: 256,
      responseMimeType: 'application/json',
      thinkingConfig: { thinkingBudget: 1024, includeThoughts: true },
    });
    await adapter.chat!(
      chatRequest({ model: 'gemini-3-pro-preview', reasoning: { effort: 'high' } }),
      newCall(),
    );
    expect((lastBody() as { generationConfig: unknown }).generationConfig).toEqual({
      maxOutputTokens: 256,
      thinkingConfig: { thinkingLevel: 'high', includeThoughts: true },
    });
  });

  it('returns thought summaries as reasoning and counts thinking as output', async () => {
    const result = await adapter.chat!(chatRequest({ reasoning: { budgetTokens: 2048 } }), newCall());
    const thought = `Thinking about how to answer: ${PROMPT}`;
    expect(result.reasoning).toEqual([{ text: thought }]);
    expect(result.text).toBe(REPLY);
    expect(result.usage).toEqual({
      inputTokens: fakeTokenCount(PROMPT),
      outputTokens: fakeTokenCount(REPLY) + fakeTokenCount(thought),
      reasoningTokens: fakeTokenCount(thought),
    });
  });

  it('answers a user message with a call of the first tool, its signature kept as reasoning', async () => {
    const result = await adapter.chat!(chatRequest({ tools: [SEARCH] }), newCall());
    expect(result.toolCalls).toEqual([{ id: 'call_0', name: 'search', arguments: '{"query":"fake"}' }]);
    expect(result.finishReason).toBe('tool_calls');
    expect(result.text).toBe('');
    expect(result.reasoning).toEqual([{ text: '', signature: `google:${FAKE_THOUGHT_SIGNATURE}` }]);
  });

  it('answers with the scenario’s tool call', async () => {
    fake.enqueue({ toolCall: { name: 'lookup', arguments: '{"city":"Paris"}' } });
    const result = await adapter.chat!(chatRequest(), newCall());
    expect(result.toolCalls).toEqual([{ id: 'call_0', name: 'lookup', arguments: '{"city":"Paris"}' }]);
    expect(result.finishReason).toBe('tool_calls');
  });

  it('replays Gemini 3’s signature on the call it came with, and the documented skip value without one', async () => {
    const model = 'gemini-3-pro-preview';
    const first = await adapter.chat!(chatRequest({ model, tools: [SEARCH] }), newCall());
    const history = (assistant: ChatResult['reasoning']): ChatRequest =>
      chatRequest({
        model,
        tools: [SEARCH],
        messages: [
          { role: 'user', content: [{ type: 'text', text: PROMPT }] },
          { role: 'assistant', content: '', toolCalls: first.toolCalls, reasoning: assistant },
          { role: 'tool', toolCallId: first.toolCalls[0]!.id, content: 'Paris' },
        ],
      });
    const modelPart = () =>
      (lastBody() as { contents: { parts: Record<string, unknown>[] }[] }).contents[1]!.parts[0];

    const second = await adapter.chat!(history(first.reasoning), newCall());
    expect(second.text).toBe(REPLY);
    expect(modelPart()).toEqual({
      functionCall: { name: 'search', args: { query: 'fake' } },
      thoughtSignature: FAKE_THOUGHT_SIGNATURE,
    });

    await adapter.chat!(history(undefined), newCall());
    expect(modelPart()?.thoughtSignature).toBe('skip_thought_signature_validator');

    // Another provider's signature (a model switch mid-conversation) is never sent to Google.
    await adapter.chat!(history([{ text: 'thinking', signature: 'EqQBCkgIARABGAIiQL' }]), newCall());
    expect(modelPart()?.thoughtSignature).toBe('skip_thought_signature_validator');
  });

  it('answers empty and without usage when the scenario says so', async () => {
    fake.enqueue({ empty: true }, { omitUsage: true });
    const empty = await adapter.chat!(chatRequest(), newCall());
    expect(empty).toMatchObject({ text: '', toolCalls: [], finishReason: 'stop' });
    expect(empty.reasoning).toBeUndefined();
    const withoutUsage = await adapter.chat!(chatRequest(), newCall());
    expect(withoutUsage.text).toBe(REPLY);
    expect(withoutUsage.usage).toBeUndefined();
  });

  it('waits for a slow first byte and answers the scenario’s text', async () => {
    fake.enqueue({ firstByteDelayMs: 100, text: 'Paris.' });
    const result = await adapter.chat!(chatRequest(), newCall());
    expect(result.text).toBe('Paris.');
  });

  it('refuses tool results without a call and images that are not https or data URLs, before any request', async () => {
    const before = fake.requests.length;
    const orphan = await rejection(
      adapter.chat!(
        chatRequest({
          messages: [
            { role: 'user', content: [{ type: 'text', text: PROMPT }] },
            { role: 'tool', toolCallId: 'call_x', content: 'result' },
          ],
        }),
        newCall(),
      ),
    );
    expect(orphan.kind).toBe('bad_request');
    const image = await rejection(
      adapter.chat!(
        chatRequest({
          messages: [{ role: 'user', content: [{ type: 'image', url: 'http://example.com/a.png' }] }],
        }),
        newCall(),
      ),
    );
    expect(image.kind).toBe('bad_request');
    expect(fake.requests.length).toBe(before);
  });
});

describe('google chat stream', () => {
  it('streams the text word by word, then finish, then usage', async () => {
    const events = await collect(adapter.chatStream!(chatRequest(), newCall()));
    expect(fake.requests.at(-1)!.url).toBe('/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse');
    expect(textOf(events)).toBe(REPLY);
    expect(events.filter((event) => event.type === 'text').length).toBeGreaterThan(3);
    expect(events.slice(-2)).toEqual([
      { type: 'finish', reason: 'stop' },
      { type: 'usage', usage: { inputTokens: fakeTokenCount(PROMPT), outputTokens: fakeTokenCount(REPLY) } },
    ]);
  });

  it('streams a tool call as tool_call then its whole arguments', async () => {
    const events = await collect(adapter.chatStream!(chatRequest({ tools: [SEARCH] }), newCall()));
    expect(events.filter((event) => event.type !== 'usage')).toEqual([
      { type: 'reasoning', text: '', signature: `google:${FAKE_THOUGHT_SIGNATURE}` },
      { type: 'tool_call', index: 0, id: 'call_0', name: 'search' },
      { type: 'tool_arguments', index: 0, delta: '{"query":"fake"}' },
      { type: 'finish', reason: 'tool_calls' },
    ]);
  });

  it('streams thoughts as reasoning before the text', async () => {
    const events = await collect(
      adapter.chatStream!(chatRequest({ reasoning: { budgetTokens: 512 } }), newCall()),
    );
    expect(events[0]).toEqual({ type: 'reasoning', text: `Thinking about how to answer: ${PROMPT}` });
    expect(textOf(events)).toBe(REPLY);
    const usage = events.at(-1);
    expect(usage?.type === 'usage' && usage.usage.reasoningTokens).toBeGreaterThan(0);
  });

  it('streams an empty answer as a finish alone, and no usage when the scenario omits it', async () => {
    fake.enqueue({ empty: true, omitUsage: true });
    const events = await collect(adapter.chatStream!(chatRequest(), newCall()));
    expect(events).toEqual([{ type: 'finish', reason: 'stop' }]);
  });

  it('skips Gemini 3’s signature-only last part', async () => {
    const events = await collect(
      adapter.chatStream!(chatRequest({ model: 'gemini-3-flash-preview' }), newCall()),
    );
    expect(textOf(events)).toBe(REPLY);
    expect(events.some((event) => event.type === 'reasoning')).toBe(false);
  });
});

describe('google answers replayed from recordings', () => {
  it('maps usage precisely: cached, thinking and tool-use prompt tokens', async () => {
    const result = await adapter.chat!(
      chatRequest(),
      replayCall(200, {
        candidates: [
          {
            content: { parts: [{ text: 'There are 3 rs.', thoughtSignature: 'EvsFCvgFAb4' }], role: 'model' },
            finishReason: 'STOP',
            index: 0,
          },
        ],
        usageMetadata: {
          promptTokenCount: 2009,
          candidatesTokenCount: 29,
          totalTokenCount: 2330,
          cachedContentTokenCount: 2000,
          toolUsePromptTokenCount: 10,
          promptTokensDetails: [{ modality: 'TEXT', tokenCount: 2009 }],
          thoughtsTokenCount: 282,
        },
        modelVersion: 'gemini-3-pro-preview',
        responseId: 'YH6LaZT7ENmPxN8P-r2J8Aw',
      }),
    );
    expect(result).toEqual({
      providerResponseId: 'YH6LaZT7ENmPxN8P-r2J8Aw',
      text: 'There are 3 rs.',
      toolCalls: [],
      finishReason: 'stop',
      usage: {
        inputTokens: 2019,
        outputTokens: 311,
        cachedInputTokens: 2000,
        reasoningTokens: 282,
      },
    });
  });

  it('reassembles a recorded streamed tool call', async () => {
    const usageMetadata = {
      promptTokenCount: 29,
      candidatesTokenCount: 15,
      totalTokenCount: 89,
      thoughtsTokenCount: 45,
    };
    const events = await collect(
      adapter.chatStream!(
        chatRequest(),
        replayStreamCall([
          {
            candidates: [
              {
                content: {
                  parts: [
                    {
                      functionCall: { name: 'weather', args: { location: 'San Francisco' } },
                      thoughtSignature: 'EqUC',
                    },
                  ],
                  role: 'model',
                },
                index: 0,
              },
            ],
            usageMetadata,
            responseId: 'b36LacjwM668nsEP2tbsgQQ',
          },
          {
            candidates: [
              { content: { parts: [{ text: '' }], role: 'model' }, finishReason: 'STOP', index: 0 },
            ],
            usageMetadata,
            responseId: 'b36LacjwM668nsEP2tbsgQQ',
          },
        ]),
      ),
    );
    expect(events).toEqual([
      { type: 'reasoning', text: '', signature: 'google:EqUC' },
      { type: 'tool_call', index: 0, id: 'call_0', name: 'weather' },
      { type: 'tool_arguments', index: 0, delta: '{"location":"San Francisco"}' },
      { type: 'finish', reason: 'tool_calls' },
      { type: 'usage', usage: { inputTokens: 29, outputTokens: 60, reasoningTokens: 45 } },
    ]);
  });

  it.each([
    ['MAX_TOKENS', 'length'],
    ['SAFETY', 'content_filter'],
    ['RECITATION', 'content_filter'],
    ['PROHIBITED_CONTENT', 'content_filter'],
    ['SPII', 'content_filter'],
    ['BLOCKLIST', 'content_filter'],
  ])('maps finishReason %s to %s', async (finishReason, expected) => {
    const result = await adapter.chat!(
      chatRequest(),
      replayCall(200, {
        candidates: [{ content: { parts: [{ text: 'Partial' }], role: 'model' }, finishReason, index: 0 }],
      }),
    );
    expect(result.finishReason).toBe(expected);
    expect(result.text).toBe('Partial');
  });

  it('maps a blocked prompt to content_filter', async () => {
    const result = await adapter.chat!(
      chatRequest(),
      replayCall(200, {
        promptFeedback: { blockReason: 'SAFETY' },
        usageMetadata: { promptTokenCount: 8, totalTokenCount: 8 },
      }),
    );
    expect(result).toMatchObject({
      text: '',
      finishReason: 'content_filter',
      usage: { inputTokens: 8, outputTokens: 0 },
    });
  });

  it('treats an answer without a candidate or a block reason as malformed', async () => {
    const error = await rejection(
      adapter.chat!(chatRequest(), replayCall(200, { modelVersion: 'gemini-2.5-flash' })),
    );
    expect(error.kind).toBe('malformed');
  });

  it('reads the recorded 429’s RetryInfo as retryAfterMs', async () => {
    const error = await rejection(
      adapter.chat!(
        chatRequest(),
        replayCall(429, {
          error: {
            code: 429,
            message: 'You exceeded your current quota, please check your plan.',
            status: 'RESOURCE_EXHAUSTED',
            details: [
              {
                '@type': 'type.googleapis.com/google.rpc.QuotaFailure',
                violations: [{ quotaId: 'GenerateRequestsPerMinutePerProjectPerModel-FreeTier' }],
              },
              { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '34.4s' },
            ],
          },
        }),
      ),
    );
    expect(error).toMatchObject({
      kind: 'rate_limited',
      isRetryable: true,
      retryAfterMs: 34_400,
      status: 429,
    });
    expect(error.options.providerCode).toBe('RESOURCE_EXHAUSTED');
  });

  it('treats a 400 for an invalid key as auth', async () => {
    const error = await rejection(
      adapter.chat!(
        chatRequest(),
        replayCall(400, {
          error: {
            code: 400,
            message: 'API key not valid. Please pass a valid API key.',
            status: 'INVALID_ARGUMENT',
            details: [
              {
                '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
                reason: 'API_KEY_INVALID',
                domain: 'googleapis.com',
              },
            ],
          },
        }),
      ),
    );
    expect(error).toMatchObject({ kind: 'auth', isRetryable: false, status: 400 });
  });

  it('fails a stream on an error event after the 200', async () => {
    const call = replayStreamCall([
      { candidates: [{ content: { parts: [{ text: 'Hello' }], role: 'model' }, index: 0 }] },
      { error: { code: 500, message: 'An internal error has occurred.', status: 'INTERNAL' } },
    ]);
    const error = await rejection(collect(adapter.chatStream!(chatRequest(), call)));
    expect(error).toMatchObject({ kind: 'server', isRetryable: true });
    expect(error.message).not.toContain('Hello');
  });
});

describe('google errors and broken answers', () => {
  it.each([
    [400, 'bad_request', false, 'INVALID_ARGUMENT'],
    [403, 'auth', false, 'PERMISSION_DENIED'],
    [404, 'bad_request', false, 'NOT_FOUND'],
    [500, 'server', true, 'INTERNAL'],
    [503, 'overloaded', true, 'UNAVAILABLE'],
  ] as const)('maps %i to %s', async (status, kind, isRetryable, providerCode) => {
    fake.enqueue({ status }, { status });
    const chat = await rejection(adapter.chat!(chatRequest(), newCall()));
    expect(chat).toMatchObject({ kind, isRetryable, status });
    expect(chat.options.providerCode).toBe(providerCode);
    const stream = await rejection(collect(adapter.chatStream!(chatRequest(), newCall())));
    expect(stream).toMatchObject({ kind, isRetryable, status });
  });

  it('maps 429 to rate_limited with the RetryInfo delay, streamed or not', async () => {
    fake.enqueue({ status: 429, retryAfterSeconds: 12 }, { status: 429, retryAfterSeconds: 12 });
    const chat = await rejection(adapter.chat!(chatRequest(), newCall()));
    expect(chat).toMatchObject({
      kind: 'rate_limited',
      isRetryable: true,
      retryAfterMs: 12_000,
      status: 429,
    });
    const stream = await rejection(collect(adapter.chatStream!(chatRequest(), newCall())));
    expect(stream).toMatchObject({ kind: 'rate_limited', retryAfterMs: 12_000 });
  });

  it('maps a missing key to auth', async () => {
    const error = await rejection(adapter.chat!(chatRequest(), newCall({ apiKey: undefined })));
    expect(error).toMatchObject({ kind: 'auth', status: 403, isRetryable: false });
  });

  it('reports a malformed body or chunk as malformed', async () => {
    fake.enqueue({ malformed: true }, { malformed: true });
    expect((await rejection(adapter.chat!(chatRequest(), newCall()))).kind).toBe('malformed');
    expect((await rejection(collect(adapter.chatStream!(chatRequest(), newCall())))).kind).toBe('malformed');
  });

  it('reports a cut body as interrupted', async () => {
    fake.enqueue({ cutHalfway: true });
    const error = await rejection(adapter.chat!(chatRequest(), newCall()));
    expect(error).toMatchObject({ kind: 'interrupted', isRetryable: true });
  });

  it('reports a cut stream as interrupted, never as a finished answer', async () => {
    fake.enqueue({ cutHalfway: true });
    const events: ChatEvent[] = [];
    const error = await rejection(
      (async () => {
        for await (const event of adapter.chatStream!(chatRequest(), newCall())) events.push(event);
      })(),
    );
    expect(error).toMatchObject({ kind: 'interrupted', isRetryable: true });
    expect(events.some((event) => event.type === 'text')).toBe(true);
    expect(events.some((event) => event.type === 'finish')).toBe(false);
  });

  it('reports a stream that ends without a finish reason as interrupted', async () => {
    const call = replayStreamCall([
      { candidates: [{ content: { parts: [{ text: 'Hel' }], role: 'model' } }] },
    ]);
    const error = await rejection(collect(adapter.chatStream!(chatRequest(), call)));
    expect(error.kind).toBe('interrupted');
  });

  it('closes the upstream connection when the consumer stops early', async () => {
    const closes = fake.requests.filter((request) => request.closedByClient).length;
    fake.enqueue({ chunkDelayMs: 50 });
    for await (const event of adapter.chatStream!(chatRequest(), newCall())) {
      if (event.type === 'text') break;
    }
    await fake.waitForClientCloses(closes + 1);
    expect(fake.requests.at(-1)!.closedByClient).toBe(true);
  });

  it('stops with aborted when the signal aborts, waiting or streaming', async () => {
    fake.enqueue({ hang: true });
    const waiting = newCall();
    setTimeout(() => waiting.controller.abort(), 50);
    expect((await rejection(adapter.chat!(chatRequest(), waiting))).kind).toBe('aborted');

    fake.enqueue({ chunkDelayMs: 100 });
    const streaming = newCall();
    const error = await rejection(
      (async () => {
        for await (const event of adapter.chatStream!(chatRequest(), streaming)) {
          if (event.type === 'text') streaming.controller.abort();
        }
      })(),
    );
    expect(error).toMatchObject({ kind: 'aborted', isRetryable: false });
  });
});
