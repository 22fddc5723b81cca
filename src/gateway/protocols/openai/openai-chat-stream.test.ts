import { describe, expect, it } from 'vitest';
import type { ChatEvent, ChatResult } from '../../../providers/spec.js';
import type { AnswerTotals, ResponseMeta } from '../protocol-types.js';
import { toOpenAiChatCompletion, ZOpenAiChatCompletion } from './openai-chat-response.js';
import { OpenAiChatStreamEncoder } from './openai-chat-stream.js';
import { toOpenAiErrorBody, toOpenAiErrorEvent } from './openai-error-body.js';

const meta: ResponseMeta = { id: 'gen-01JTEST', model: 'anthropic/claude-sonnet-4', created: 1_770_000_000 };
const totals: AnswerTotals = {
  usage: {
    inputTokens: 120,
    outputTokens: 30,
    cachedInputTokens: 100,
    cacheWriteTokens: 8,
    reasoningTokens: 12,
  },
  cost: '0.000123',
  finishReason: 'stop',
};

/** Splits SSE text into its `data:` payloads, checking every event is exactly `data: <payload>\n\n`. */
function dataPayloads(text: string): string[] {
  expect(text.endsWith('\n\n')).toBe(true);
  return text
    .slice(0, -2)
    .split('\n\n')
    .map((event) => {
      expect(event).toMatch(/^data: [^\n]+$/);
      return event.slice('data: '.length);
    });
}

function encode(events: ChatEvent[], end: AnswerTotals, includeUsage: boolean): string {
  const encoder = new OpenAiChatStreamEncoder(meta, { includeUsage });
  return encoder.start() + events.map((event) => encoder.event(event)).join('') + encoder.end(end);
}

describe('OpenAiChatStreamEncoder', () => {
  it('streams role, text deltas, the finish chunk, the usage chunk and [DONE], in that order', () => {
    const text = encode(
      [
        { type: 'text', text: 'Hel' },
        { type: 'text', text: 'lo' },
        { type: 'finish', reason: 'stop' },
        { type: 'usage', usage: { inputTokens: 1, outputTokens: 1 } },
      ],
      totals,
      true,
    );
    const payloads = dataPayloads(text);
    expect(payloads.at(-1)).toBe('[DONE]');
    const chunks = payloads.slice(0, -1).map((payload) => JSON.parse(payload));
    const envelope = {
      id: meta.id,
      object: 'chat.completion.chunk',
      created: meta.created,
      model: meta.model,
    };
    const choice = (delta: object, finish: string | null) => ({
      ...envelope,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
      usage: null,
    });
    expect(chunks).toEqual([
      choice({ role: 'assistant', content: '' }, null),
      choice({ content: 'Hel' }, null),
      choice({ content: 'lo' }, null),
      // The settled totals decide the finish reason and usage, not the provider's events.
      choice({}, 'stop'),
      {
        ...envelope,
        choices: [],
        usage: {
          prompt_tokens: 120,
          completion_tokens: 30,
          total_tokens: 150,
          prompt_tokens_details: { cached_tokens: 100, cache_write_tokens: 8 },
          completion_tokens_details: { reasoning_tokens: 12 },
          cost: 0.000123,
        },
      },
    ]);
  });

  it('sends neither a usage chunk nor usage fields when include_usage was not asked', () => {
    const payloads = dataPayloads(
      encode([{ type: 'text', text: 'Hi' }], { ...totals, finishReason: 'length' }, false),
    );
    expect(payloads).toHaveLength(4);
    const chunks = payloads.slice(0, -1).map((payload) => JSON.parse(payload));
    expect(chunks.every((chunk) => !('usage' in chunk) && chunk.choices.length === 1)).toBe(true);
    expect(chunks.at(-1).choices[0].finish_reason).toBe('length');
  });

  it('announces each tool call with id, type, name and empty arguments, then streams argument deltas', () => {
    const payloads = dataPayloads(
      encode(
        [
          { type: 'tool_call', index: 0, id: 'call_a', name: 'get_weather' },
          { type: 'tool_arguments', index: 0, delta: '{"city":' },
          { type: 'tool_call', index: 1, id: 'call_b', name: 'get_time' },
          { type: 'tool_arguments', index: 0, delta: '"Paris"}' },
          { type: 'tool_arguments', index: 1, delta: '{}' },
        ],
        { ...totals, finishReason: 'tool_calls' },
        false,
      ),
    );
    const deltas = payloads.slice(1, -2).map((payload) => JSON.parse(payload).choices[0].delta);
    expect(deltas).toEqual([
      {
        tool_calls: [
          { index: 0, id: 'call_a', type: 'function', function: { name: 'get_weather', arguments: '' } },
        ],
      },
      { tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] },
      {
        tool_calls: [
          { index: 1, id: 'call_b', type: 'function', function: { name: 'get_time', arguments: '' } },
        ],
      },
      { tool_calls: [{ index: 0, function: { arguments: '"Paris"}' } }] },
      { tool_calls: [{ index: 1, function: { arguments: '{}' } }] },
    ]);
    expect(JSON.parse(payloads.at(-2)!).choices[0].finish_reason).toBe('tool_calls');
  });

  it('streams reasoning as delta.reasoning and numbered reasoning_details, a signature closing a block', () => {
    const payloads = dataPayloads(
      encode(
        [
          { type: 'reasoning', text: 'First ' },
          { type: 'reasoning', text: 'thought' },
          { type: 'reasoning', text: '', signature: 'sig-1' },
          { type: 'reasoning', text: 'Second' },
          { type: 'text', text: 'Answer' },
        ],
        totals,
        false,
      ),
    );
    const deltas = payloads.slice(1, -2).map((payload) => JSON.parse(payload).choices[0].delta);
    expect(deltas).toEqual([
      { reasoning: 'First ', reasoning_details: [{ type: 'reasoning.text', text: 'First ', index: 0 }] },
      { reasoning: 'thought', reasoning_details: [{ type: 'reasoning.text', text: 'thought', index: 0 }] },
      {
        reasoning: '',
        reasoning_details: [{ type: 'reasoning.text', text: '', signature: 'sig-1', index: 0 }],
      },
      { reasoning: 'Second', reasoning_details: [{ type: 'reasoning.text', text: 'Second', index: 1 }] },
      { content: 'Answer' },
    ]);
  });

  it('writes a text delta byte for byte as the whole chunk serialised, whatever the text holds', () => {
    const texts = [
      'plain',
      ' a "quoted" \\ backslash',
      'line\nbreak\ttab',
      'é 漢字 🚀',
      '\u2028\u0000',
      '}]},"x":1',
    ];
    for (const includeUsage of [true, false]) {
      // An id that spells the placeholder cannot move the cut.
      for (const id of [meta.id, '\u0000mixgate-text\u0000']) {
        const encoder = new OpenAiChatStreamEncoder({ ...meta, id }, { includeUsage });
        encoder.start();
        for (const text of texts) {
          const chunk = {
            id,
            object: 'chat.completion.chunk',
            created: meta.created,
            model: meta.model,
            choices: [{ index: 0, delta: { content: text }, logprobs: null, finish_reason: null }],
            ...(includeUsage ? { usage: null } : {}),
          };
          expect(encoder.event({ type: 'text', text })).toBe(`data: ${JSON.stringify(chunk)}\n\n`);
        }
      }
    }
  });

  it('starts the stream itself when the first call is an event', () => {
    const encoder = new OpenAiChatStreamEncoder(meta, { includeUsage: false });
    const chunks = dataPayloads(encoder.event({ type: 'text', text: 'x' })).map((payload) =>
      JSON.parse(payload),
    );
    expect(chunks.map((chunk) => chunk.choices[0].delta)).toEqual([
      { role: 'assistant', content: '' },
      { content: 'x' },
    ]);
    expect(encoder.start()).toBe('');
  });

  it('fails with one error event and never [DONE], and writes nothing after', () => {
    const encoder = new OpenAiChatStreamEncoder(meta, { includeUsage: true });
    encoder.start();
    encoder.event({ type: 'text', text: 'partial' });
    const error = { status: 502, code: 'upstream_error', message: 'The provider stopped mid-answer.' };
    const failed = encoder.fail(error);
    expect(dataPayloads(failed).map((payload) => JSON.parse(payload))).toEqual([
      {
        error: {
          message: 'The provider stopped mid-answer.',
          type: 'server_error',
          param: null,
          code: 'upstream_error',
        },
      },
    ]);
    expect(failed).not.toContain('[DONE]');
    expect(encoder.end(totals)).toBe('');
    expect(encoder.event({ type: 'text', text: 'late' })).toBe('');
    expect(encoder.fail(error)).toBe('');
  });
});

describe('toOpenAiChatCompletion', () => {
  const result: ChatResult = {
    providerResponseId: 'msg_upstream',
    text: '',
    toolCalls: [{ id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' }],
    reasoning: [{ text: 'Need the weather.', signature: 'sig-1' }, { text: ' Then answer.' }],
    finishReason: 'tool_calls',
  };

  it('builds the chat.completion object, content null when the turn is only tool calls', () => {
    const completion = toOpenAiChatCompletion(result, meta, { ...totals, finishReason: 'tool_calls' });
    expect(ZOpenAiChatCompletion.parse(completion)).toEqual(completion);
    expect(completion).toEqual({
      id: 'gen-01JTEST',
      object: 'chat.completion',
      created: meta.created,
      model: 'anthropic/claude-sonnet-4',
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: null,
            refusal: null,
            tool_calls: [
              {
                id: 'call_1',
                type: 'function',
                function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
              },
            ],
            reasoning: 'Need the weather. Then answer.',
            reasoning_details: [
              { type: 'reasoning.text', text: 'Need the weather.', signature: 'sig-1', index: 0 },
              { type: 'reasoning.text', text: ' Then answer.', index: 1 },
            ],
          },
          finish_reason: 'tool_calls',
          logprobs: null,
        },
      ],
      usage: {
        prompt_tokens: 120,
        completion_tokens: 30,
        total_tokens: 150,
        prompt_tokens_details: { cached_tokens: 100, cache_write_tokens: 8 },
        completion_tokens_details: { reasoning_tokens: 12 },
        cost: 0.000123,
      },
    });
    expect(JSON.stringify(completion)).not.toContain('msg_upstream');
  });

  it('keeps empty text as "" without tool calls and zero details when the provider gave none', () => {
    const completion = toOpenAiChatCompletion({ text: '', toolCalls: [], finishReason: 'stop' }, meta, {
      usage: { inputTokens: 5, outputTokens: 0 },
      cost: '0.000000',
      finishReason: 'stop',
    });
    expect(completion.choices[0]!.message).toEqual({ role: 'assistant', content: '', refusal: null });
    expect(completion.usage).toEqual({
      prompt_tokens: 5,
      completion_tokens: 0,
      total_tokens: 5,
      prompt_tokens_details: { cached_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0 },
      cost: 0,
    });
  });

  it('writes the cost digit for digit from its decimal string', () => {
    const costOf = (cost: string) =>
      JSON.stringify(
        toOpenAiChatCompletion({ text: 'x', toolCalls: [], finishReason: 'stop' }, meta, { ...totals, cost })
          .usage.cost,
      );
    expect(costOf('0.000001')).toBe('0.000001');
    expect(costOf('0.100000')).toBe('0.1');
    expect(costOf('12.345678')).toBe('12.345678');
    expect(costOf('999999999.999999')).toBe('999999999.999999');
    expect(() => costOf('0.0000001')).toThrow(RangeError);
  });
});

describe('toOpenAiErrorBody', () => {
  it.each([
    [400, 'invalid_request', 'invalid_request_error'],
    [401, 'invalid_api_key', 'authentication_error'],
    [402, 'insufficient_credit', 'insufficient_quota'],
    [403, 'forbidden', 'permission_error'],
    [404, 'not_found', 'invalid_request_error'],
    [413, 'payload_too_large', 'invalid_request_error'],
    [415, 'unsupported_media_type', 'invalid_request_error'],
    [429, 'rate_limited', 'rate_limit_error'],
    [500, 'internal_error', 'server_error'],
    [503, 'unavailable', 'server_error'],
  ])('gives status %i (%s) the OpenAI type %s', (status, code, type) => {
    expect(toOpenAiErrorBody({ status, code, message: 'Something.' })).toEqual({
      error: { message: 'Something.', type, param: null, code },
    });
  });

  it('names the parameter at fault and has the same body as the stream error event', () => {
    const error = { status: 400, code: 'invalid_request', message: "Invalid 'n'.", param: 'n' };
    expect(toOpenAiErrorBody(error).error.param).toBe('n');
    expect(toOpenAiErrorEvent(error)).toBe(`data: ${JSON.stringify(toOpenAiErrorBody(error))}\n\n`);
  });
});
