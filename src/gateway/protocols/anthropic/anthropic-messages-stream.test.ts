import { describe, expect, it } from 'vitest';
import type { ChatEvent } from '../../../providers/spec.js';
import type { AnswerTotals, ResponseMeta } from '../protocol-types.js';
import { AnthropicMessagesStreamEncoder } from './anthropic-messages-stream.js';

const meta: ResponseMeta = { id: 'gen-01TEST', model: 'anthropic/claude-sonnet-4', created: 1_700_000_000 };
const totals: AnswerTotals = {
  usage: {
    inputTokens: 100,
    outputTokens: 40,
    cachedInputTokens: 60,
    cacheWriteTokens: 10,
    reasoningTokens: 12,
  },
  cost: '0.001234',
  finishReason: 'tool_calls',
};

interface SseEvent {
  event: string;
  data: Record<string, unknown> & { type: string };
}

/** Splits encoder output into events, checking each is `event: <type>` with a matching data type. */
function parseSse(text: string): SseEvent[] {
  expect(text.endsWith('\n\n')).toBe(true);
  return text
    .split('\n\n')
    .filter((chunk) => chunk !== '')
    .map((chunk) => {
      const match = /^event: ([a-z_]+)\ndata: (.+)$/.exec(chunk);
      if (!match) throw new Error(`not one SSE event: ${chunk}`);
      const data = JSON.parse(match[2]!);
      expect(data.type).toBe(match[1]);
      return { event: match[1]!, data };
    });
}

interface Block {
  type: string;
  text?: string;
  thinking?: string;
  signature?: string;
  id?: string;
  name?: string;
  json?: string;
}

/**
 * Replays events as a strict Anthropic client would: one block open at a time, indexes counting
 * from 0, deltas only for the open block and of its kind, message_stop last. Returns the content.
 */
function replay(events: SseEvent[]): { blocks: Block[]; types: string[] } {
  const blocks: Block[] = [];
  let open: number | undefined;
  let stopped = false;
  for (const { data } of events) {
    expect(stopped).toBe(false);
    switch (data.type) {
      case 'content_block_start': {
        expect(open).toBeUndefined();
        expect(data.index).toBe(blocks.length);
        const { input, ...block } = data.content_block as Block & { input?: unknown };
        if (block.type === 'tool_use') {
          expect(input).toEqual({});
          blocks.push({ ...block, json: '' });
        } else {
          blocks.push(block);
        }
        open = blocks.length - 1;
        break;
      }
      case 'content_block_delta': {
        expect(data.index).toBe(open);
        const block = blocks[open!]!;
        const delta = data.delta as {
          type: string;
          text?: string;
          thinking?: string;
          signature?: string;
          partial_json?: string;
        };
        if (delta.type === 'text_delta') {
          expect(block.type).toBe('text');
          block.text += delta.text!;
        } else if (delta.type === 'thinking_delta') {
          expect(block.type).toBe('thinking');
          block.thinking += delta.thinking!;
        } else if (delta.type === 'signature_delta') {
          expect(block.type).toBe('thinking');
          block.signature = delta.signature!;
        } else {
          expect(delta.type).toBe('input_json_delta');
          expect(block.type).toBe('tool_use');
          block.json += delta.partial_json!;
        }
        break;
      }
      case 'content_block_stop':
        expect(data.index).toBe(open);
        open = undefined;
        break;
      case 'message_delta':
        expect(open).toBeUndefined();
        break;
      case 'message_stop':
        stopped = true;
        break;
    }
  }
  return { blocks, types: events.map((event) => event.data.type) };
}

function encode(events: ChatEvent[], end: AnswerTotals = totals): string {
  const encoder = new AnthropicMessagesStreamEncoder(meta, { inputTokensEstimate: 90 });
  return encoder.start() + events.map((event) => encoder.event(event)).join('') + encoder.end(end);
}

describe('AnthropicMessagesStreamEncoder', () => {
  it('writes a text answer in exactly Anthropic’s events', () => {
    const encoder = new AnthropicMessagesStreamEncoder(meta);
    const text =
      encoder.start() +
      encoder.event({ type: 'text', text: 'Hel' }) +
      encoder.event({ type: 'text', text: '' }) +
      encoder.event({ type: 'text', text: 'lo' }) +
      encoder.event({ type: 'finish', reason: 'stop' }) +
      encoder.event({ type: 'usage', usage: { inputTokens: 1, outputTokens: 1 } }) +
      encoder.end({ usage: { inputTokens: 12, outputTokens: 2 }, cost: '0.000010', finishReason: 'stop' });
    expect(text).toBe(
      [
        'event: message_start',
        'data: {"type":"message_start","message":{"id":"gen-01TEST","type":"message","role":"assistant","model":"anthropic/claude-sonnet-4","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":0,"output_tokens":0}}}',
        '',
        'event: ping',
        'data: {"type":"ping"}',
        '',
        'event: content_block_start',
        'data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}',
        '',
        'event: content_block_delta',
        'data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hel"}}',
        '',
        'event: content_block_delta',
        'data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"lo"}}',
        '',
        'event: content_block_stop',
        'data: {"type":"content_block_stop","index":0}',
        '',
        'event: message_delta',
        'data: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"input_tokens":12,"output_tokens":2,"cache_read_input_tokens":0,"cache_creation_input_tokens":0,"cost":0.00001}}',
        '',
        'event: message_stop',
        'data: {"type":"message_stop"}',
        '',
        '',
      ].join('\n'),
    );
  });

  it('puts the input token estimate in message_start and the settled usage in message_delta', () => {
    const events = parseSse(encode([{ type: 'text', text: 'x' }]));
    expect(events[0]!.data).toMatchObject({ message: { usage: { input_tokens: 90, output_tokens: 0 } } });
    expect(events.at(-2)!.data).toEqual({
      type: 'message_delta',
      delta: { stop_reason: 'tool_use', stop_sequence: null },
      usage: {
        input_tokens: 30,
        output_tokens: 40,
        cache_read_input_tokens: 60,
        cache_creation_input_tokens: 10,
        output_tokens_details: { thinking_tokens: 12 },
        cost: 0.001234,
      },
    });
  });

  it('maps every finish reason to Anthropic’s stop_reason', () => {
    const stopReason = (finishReason: AnswerTotals['finishReason']) =>
      parseSse(encode([], { ...totals, finishReason })).at(-2)!.data.delta;
    expect(stopReason('stop')).toEqual({ stop_reason: 'end_turn', stop_sequence: null });
    expect(stopReason('length')).toEqual({ stop_reason: 'max_tokens', stop_sequence: null });
    expect(stopReason('tool_calls')).toEqual({ stop_reason: 'tool_use', stop_sequence: null });
    expect(stopReason('content_filter')).toEqual({ stop_reason: 'refusal', stop_sequence: null });
  });

  it('opens thinking, text and tool blocks in turn with increasing indexes', () => {
    const events = parseSse(
      encode([
        { type: 'reasoning', text: 'Let me ' },
        { type: 'reasoning', text: 'think.' },
        { type: 'reasoning', text: '', signature: 'sig-1' },
        { type: 'reasoning', text: '', signature: 'opaque', redacted: true },
        { type: 'reasoning', text: 'More.' },
        { type: 'text', text: 'Looking it up.' },
        { type: 'tool_call', index: 0, id: 'call_a', name: 'lookup' },
        { type: 'tool_arguments', index: 0, delta: '{"query":' },
        { type: 'tool_arguments', index: 0, delta: '"fake"}' },
        { type: 'tool_call', index: 1, id: 'call_b', name: 'other' },
        { type: 'tool_arguments', index: 1, delta: '{}' },
      ]),
    );
    const { blocks, types } = replay(events);
    expect(blocks).toEqual([
      { type: 'thinking', thinking: 'Let me think.', signature: 'sig-1' },
      { type: 'redacted_thinking', data: 'opaque' },
      { type: 'thinking', thinking: 'More.', signature: '' },
      { type: 'text', text: 'Looking it up.' },
      { type: 'tool_use', id: 'call_a', name: 'lookup', json: '{"query":"fake"}' },
      { type: 'tool_use', id: 'call_b', name: 'other', json: '{}' },
    ]);
    expect(types.slice(0, 2)).toEqual(['message_start', 'ping']);
    expect(types.slice(-2)).toEqual(['message_delta', 'message_stop']);
    expect(events.find((event) => event.data.type === 'content_block_start')!.data.content_block).toEqual({
      type: 'thinking',
      thinking: '',
      signature: '',
    });
  });

  it('streams sequential tool calls live, each block opened when its call begins', () => {
    const encoder = new AnthropicMessagesStreamEncoder(meta);
    encoder.start();
    encoder.event({ type: 'tool_call', index: 0, id: 'call_a', name: 'a' });
    encoder.event({ type: 'tool_arguments', index: 0, delta: '{"x":1}' });
    const second = parseSse(
      encoder.event({ type: 'tool_call', index: 1, id: 'call_b', name: 'b' }) +
        encoder.event({ type: 'tool_arguments', index: 1, delta: '{"y":' }),
    );
    expect(second.map((event) => event.data)).toEqual([
      { type: 'content_block_stop', index: 0 },
      {
        type: 'content_block_start',
        index: 1,
        content_block: { type: 'tool_use', id: 'call_b', name: 'b', input: {} },
      },
      { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: '{"y":' } },
    ]);
  });

  it('buffers interleaved tool argument deltas into a valid sequence', () => {
    const events = parseSse(
      encode([
        { type: 'tool_call', index: 0, id: 'call_a', name: 'a' },
        { type: 'tool_call', index: 1, id: 'call_b', name: 'b' },
        { type: 'tool_call', index: 2, id: 'call_c', name: 'c' },
        { type: 'tool_arguments', index: 1, delta: '{"b":' },
        { type: 'tool_arguments', index: 0, delta: '{"a":' },
        { type: 'tool_arguments', index: 2, delta: '{"c":3}' },
        { type: 'tool_arguments', index: 1, delta: '2}' },
        { type: 'tool_arguments', index: 0, delta: '1}' },
        { type: 'tool_arguments', index: 1, delta: '' },
      ]),
    );
    const { blocks } = replay(events);
    expect(blocks.map((block) => [block.id, block.json && JSON.parse(block.json)])).toEqual([
      ['call_a', { a: 1 }],
      ['call_b', { b: 2 }],
      ['call_c', { c: 3 }],
    ]);
  });

  it('flushes a waiting call announced before text once the text block takes over', () => {
    const { blocks } = replay(
      parseSse(
        encode([
          { type: 'tool_call', index: 0, id: 'call_a', name: 'a' },
          { type: 'tool_arguments', index: 0, delta: '{"a":' },
          { type: 'tool_call', index: 1, id: 'call_b', name: 'b' },
          { type: 'tool_arguments', index: 0, delta: '1}' },
          { type: 'text', text: 'And then' },
          { type: 'tool_arguments', index: 1, delta: '{"b":2}' },
        ]),
      ),
    );
    expect(blocks).toEqual([
      { type: 'tool_use', id: 'call_a', name: 'a', json: '{"a":1}' },
      { type: 'text', text: 'And then' },
      { type: 'tool_use', id: 'call_b', name: 'b', json: '{"b":2}' },
    ]);
  });

  it('sends a call without arguments as a tool_use block with no delta', () => {
    const events = parseSse(encode([{ type: 'tool_call', index: 0, id: 'call_a', name: 'a' }]));
    expect(
      events.filter((event) => event.data.type.startsWith('content_block')).map((event) => event.data),
    ).toEqual([
      {
        type: 'content_block_start',
        index: 0,
        content_block: { type: 'tool_use', id: 'call_a', name: 'a', input: {} },
      },
      { type: 'content_block_stop', index: 0 },
    ]);
  });

  it('ends a failed stream with an error event and never message_stop', () => {
    const encoder = new AnthropicMessagesStreamEncoder(meta);
    const text =
      encoder.start() +
      encoder.event({ type: 'text', text: 'Hal' }) +
      encoder.fail({ status: 529, code: 'upstream_error', message: 'The provider is overloaded' });
    const events = parseSse(text);
    expect(events.at(-1)).toEqual({
      event: 'error',
      data: { type: 'error', error: { type: 'overloaded_error', message: 'The provider is overloaded' } },
    });
    expect(events.map((event) => event.event)).not.toContain('message_stop');
    expect(encoder.end(totals)).toBe('');
    expect(encoder.event({ type: 'text', text: 'late' })).toBe('');
  });

  it('writes nothing after end', () => {
    const encoder = new AnthropicMessagesStreamEncoder(meta);
    encoder.start();
    encoder.end(totals);
    expect(encoder.end(totals)).toBe('');
    expect(encoder.fail({ status: 500, code: 'internal_error', message: 'x' })).toBe('');
    expect(encoder.start()).toBe('');
  });
});
