/**
 * The official @anthropic-ai/sdk against our encoders over real HTTP: what it sends must parse,
 * what we write must come back as its own Message, stream events, final message and errors.
 */
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Anthropic, { APIError, BadRequestError, RateLimitError } from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MixgateError } from '../../../lib/errors.js';
import type { ChatEvent, ChatResult, ReasoningItem } from '../../../providers/spec.js';
import type { AnswerTotals, ParsedChatRequest, ResponseMeta } from '../protocol-types.js';
import { anthropicErrorType, toAnthropicErrorBody } from './anthropic-error-body.js';
import { parseAnthropicMessagesRequest } from './anthropic-messages-request.js';
import { toAnthropicMessage } from './anthropic-messages-response.js';
import { AnthropicMessagesStreamEncoder } from './anthropic-messages-stream.js';

const meta: ResponseMeta = { id: 'gen-01COMPAT', model: 'anthropic/claude-sonnet-4', created: 1_700_000_000 };
const totals: AnswerTotals = {
  usage: { inputTokens: 120, outputTokens: 33, cachedInputTokens: 80, cacheWriteTokens: 15 },
  cost: '0.000456',
  finishReason: 'tool_calls',
};
/** spec.ts's redacted_thinking: the opaque data travels as the signature. */
const redacted: ReasoningItem = { text: '', signature: 'opaque', redacted: true };
const result: ChatResult = {
  text: 'Let me look.',
  reasoning: [{ text: 'The user wants a lookup.', signature: 'sig-1' }, redacted],
  toolCalls: [
    { id: 'call_1', name: 'lookup', arguments: '{"query":"fake"}' },
    { id: 'call_2', name: 'lookup', arguments: '{"query":' },
  ],
  finishReason: 'tool_calls',
};
const streamEvents: ChatEvent[] = [
  { type: 'reasoning', text: 'The user wants ' },
  { type: 'reasoning', text: 'a lookup.' },
  { type: 'reasoning', text: '', signature: 'sig-1' },
  { type: 'reasoning', ...redacted },
  { type: 'text', text: 'Let me ' },
  { type: 'text', text: 'look.' },
  { type: 'tool_call', index: 0, id: 'call_1', name: 'lookup' },
  { type: 'tool_arguments', index: 0, delta: '{"query"' },
  { type: 'tool_arguments', index: 0, delta: ':"fake"}' },
  { type: 'tool_call', index: 1, id: 'call_2', name: 'ping' },
  { type: 'finish', reason: 'tool_calls' },
];

function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}

/** Writes each encoder output as its own chunk, as the gateway will. */
function sendStream(response: ServerResponse, write: (encoder: AnthropicMessagesStreamEncoder) => string[]) {
  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  for (const chunk of write(new AnthropicMessagesStreamEncoder(meta, { inputTokensEstimate: 110 }))) {
    if (chunk !== '') response.write(chunk);
  }
  response.end();
}

const scenarios: Record<string, (response: ServerResponse) => void> = {
  message: (response) => sendJson(response, 200, toAnthropicMessage(result, meta, totals)),
  stream: (response) =>
    sendStream(response, (encoder) => [
      encoder.start(),
      ...streamEvents.map((event) => encoder.event(event)),
      encoder.end(totals),
    ]),
  'stream-fail': (response) =>
    sendStream(response, (encoder) => [
      encoder.start(),
      encoder.event({ type: 'text', text: 'Half an ans' }),
      encoder.fail({
        status: 529,
        code: 'upstream_error',
        message: 'Every provider for this model is overloaded',
      }),
    ]),
  'rate-limited': (response) =>
    sendJson(
      response,
      429,
      toAnthropicErrorBody({ status: 429, code: 'rate_limited', message: 'Too many requests for this key' }),
      { 'retry-after': '3' },
    ),
};

const received: ParsedChatRequest[] = [];
let server: Server;
let client: Anthropic;

beforeAll(async () => {
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      let parsed: ParsedChatRequest;
      try {
        parsed = parseAnthropicMessagesRequest(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch (error) {
        if (!(error instanceof MixgateError)) throw error;
        sendJson(
          response,
          error.status,
          toAnthropicErrorBody({ status: error.status, code: error.code, message: error.message }),
        );
        return;
      }
      received.push(parsed);
      const scenario = scenarios[String(request.headers['x-scenario'])];
      if (request.url !== '/v1/messages' || !scenario) {
        sendJson(
          response,
          404,
          toAnthropicErrorBody({ status: 404, code: 'not_found', message: 'No such route' }),
        );
        return;
      }
      scenario(response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  client = new Anthropic({ baseURL: `http://127.0.0.1:${port}`, apiKey: 'x', maxRetries: 0 });
});

afterAll(async () => {
  await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
});

const params = {
  model: 'anthropic/claude-sonnet-4',
  max_tokens: 512,
  system: 'Be brief.',
  messages: [{ role: 'user' as const, content: 'Find the fake thing' }],
  tools: [
    { name: 'lookup', input_schema: { type: 'object' as const, properties: { query: { type: 'string' } } } },
  ],
};

const expectedUsage = {
  input_tokens: 25,
  output_tokens: 33,
  cache_read_input_tokens: 80,
  cache_creation_input_tokens: 15,
  cost: 0.000456,
};

describe('the official Anthropic SDK against our encoders', () => {
  it('parses a non-stream answer with thinking, text and tool_use blocks', async () => {
    const message = await client.messages.create(params, { headers: { 'x-scenario': 'message' } });
    expect(message).toEqual({
      id: 'gen-01COMPAT',
      type: 'message',
      role: 'assistant',
      model: 'anthropic/claude-sonnet-4',
      content: [
        { type: 'thinking', thinking: 'The user wants a lookup.', signature: 'sig-1' },
        { type: 'redacted_thinking', data: 'opaque' },
        { type: 'text', text: 'Let me look.' },
        { type: 'tool_use', id: 'call_1', name: 'lookup', input: { query: 'fake' } },
        // Arguments that are not JSON still make an answer the SDK takes.
        { type: 'tool_use', id: 'call_2', name: 'lookup', input: {} },
      ],
      stop_reason: 'tool_use',
      stop_sequence: null,
      usage: expectedUsage,
    });
    expect(received.at(-1)).toEqual({
      routing: { models: ['anthropic/claude-sonnet-4'] },
      stream: false,
      includeUsage: true,
      chat: {
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: [{ type: 'text', text: 'Find the fake thing' }] },
        ],
        maxOutputTokens: 512,
        tools: [
          { name: 'lookup', parameters: { type: 'object', properties: { query: { type: 'string' } } } },
        ],
      },
    });
  });

  it('streams events the SDK accumulates into the final message', async () => {
    const stream = client.messages.stream(params, { headers: { 'x-scenario': 'stream' } });
    const texts: string[] = [];
    stream.on('text', (delta) => texts.push(delta));
    const types: string[] = [];
    for await (const event of stream) types.push(event.type);
    const final = await stream.finalMessage();

    expect(received.at(-1)?.stream).toBe(true);
    expect(types[0]).toBe('message_start');
    expect(types.slice(-2)).toEqual(['message_delta', 'message_stop']);
    expect(types.filter((type) => type === 'content_block_start')).toHaveLength(5);
    expect(texts.join('')).toBe('Let me look.');
    expect(final.id).toBe('gen-01COMPAT');
    expect(final.model).toBe('anthropic/claude-sonnet-4');
    expect(final.content).toEqual([
      { type: 'thinking', thinking: 'The user wants a lookup.', signature: 'sig-1' },
      { type: 'redacted_thinking', data: 'opaque' },
      { type: 'text', text: 'Let me look.' },
      { type: 'tool_use', id: 'call_1', name: 'lookup', input: { query: 'fake' } },
      { type: 'tool_use', id: 'call_2', name: 'ping', input: {} },
    ]);
    expect(final.stop_reason).toBe('tool_use');
    expect(final.usage).toMatchObject({
      input_tokens: 25,
      output_tokens: 33,
      cache_read_input_tokens: 80,
      cache_creation_input_tokens: 15,
    });
  });

  it('makes the SDK throw when the stream ends with an error event', async () => {
    const stream = client.messages.stream(params, { headers: { 'x-scenario': 'stream-fail' } });
    const error = await stream.finalMessage().then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(APIError);
    expect(error).toMatchObject({
      type: 'overloaded_error',
      error: {
        type: 'error',
        error: { type: 'overloaded_error', message: 'Every provider for this model is overloaded' },
      },
    });
  });

  it('raises the SDK’s own error class for an error status', async () => {
    const error = await client.messages.create(params, { headers: { 'x-scenario': 'rate-limited' } }).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error).toMatchObject({ status: 429, type: 'rate_limit_error' });
    expect(String(error)).toContain('Too many requests for this key');
  });

  it('shows the SDK our 400 naming the refused field', async () => {
    const error = await client.messages
      .create(
        {
          ...params,
          messages: [
            {
              role: 'user',
              content: [{ type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'x' } }],
            },
          ],
        },
        { headers: { 'x-scenario': 'message' } },
      )
      .then(
        () => undefined,
        (thrown: unknown) => thrown,
      );
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error).toMatchObject({
      type: 'invalid_request_error',
      error: {
        type: 'error',
        error: {
          type: 'invalid_request_error',
          message: 'messages.0.content.0.type: document blocks are not supported yet',
        },
      },
    });
  });
});

describe('toAnthropicMessage', () => {
  it('writes thinking without a signature as an empty signature, and no text block for no text', () => {
    const message = toAnthropicMessage(
      {
        text: '',
        reasoning: [{ text: 'Hmm.' }],
        toolCalls: [{ id: 'c', name: 'n', arguments: '[1,2]' }],
        finishReason: 'length',
      },
      meta,
      {
        usage: { inputTokens: 5, outputTokens: 9, reasoningTokens: 4 },
        cost: '0.000000',
        finishReason: 'length',
      },
    );
    expect(message.content).toEqual([
      { type: 'thinking', thinking: 'Hmm.', signature: '' },
      // Anthropic's input is always an object; a JSON array becomes {}.
      { type: 'tool_use', id: 'c', name: 'n', input: {} },
    ]);
    expect(message.stop_reason).toBe('max_tokens');
    expect(message.usage).toEqual({
      input_tokens: 5,
      output_tokens: 9,
      cache_read_input_tokens: 0,
      cache_creation_input_tokens: 0,
      output_tokens_details: { thinking_tokens: 4 },
      cost: 0,
    });
  });

  it('answers a refusal with stop_reason refusal and empty content', () => {
    const message = toAnthropicMessage({ text: '', toolCalls: [], finishReason: 'content_filter' }, meta, {
      usage: { inputTokens: 18, outputTokens: 5 },
      cost: '0.000001',
      finishReason: 'content_filter',
    });
    expect(message).toMatchObject({ content: [], stop_reason: 'refusal', stop_sequence: null });
  });
});

describe('toAnthropicErrorBody', () => {
  it('uses Anthropic’s error type for each status', () => {
    const types = Object.fromEntries(
      [400, 401, 402, 403, 404, 409, 413, 415, 422, 429, 500, 502, 503, 504, 529].map((status) => [
        status,
        anthropicErrorType(status),
      ]),
    );
    expect(types).toEqual({
      400: 'invalid_request_error',
      401: 'authentication_error',
      402: 'billing_error',
      403: 'permission_error',
      404: 'not_found_error',
      409: 'conflict_error',
      413: 'request_too_large',
      415: 'invalid_request_error',
      422: 'invalid_request_error',
      429: 'rate_limit_error',
      500: 'api_error',
      502: 'api_error',
      503: 'overloaded_error',
      504: 'timeout_error',
      529: 'overloaded_error',
    });
    expect(
      toAnthropicErrorBody({ status: 402, code: 'insufficient_credit', message: 'Not enough credit' }),
    ).toEqual({
      type: 'error',
      error: { type: 'billing_error', message: 'Not enough credit' },
    });
  });
});
