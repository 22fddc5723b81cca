import { describe, expect, it } from 'vitest';
import { MixgateError } from '../../../lib/errors.js';
import { parseAnthropicMessagesRequest } from './anthropic-messages-request.js';

const minimal = {
  model: 'anthropic/claude-sonnet-4',
  max_tokens: 256,
  messages: [{ role: 'user', content: 'Hi' }],
};

function refusal(body: unknown): MixgateError {
  try {
    parseAnthropicMessagesRequest(body);
  } catch (error) {
    if (error instanceof MixgateError) return error;
    throw error;
  }
  throw new Error('the request was accepted');
}

function expectRefused(body: unknown, param: string, message: RegExp): void {
  const error = refusal(body);
  expect(error.code).toBe('invalid_request');
  expect(error.status).toBe(400);
  expect(error.details).toEqual({ param });
  expect(error.message).toMatch(message);
  expect(error.message.startsWith(param)).toBe(true);
}

describe('parseAnthropicMessagesRequest', () => {
  it('maps a minimal request, with usage always included and no stream', () => {
    expect(parseAnthropicMessagesRequest(minimal)).toEqual({
      routing: { models: ['anthropic/claude-sonnet-4'] },
      stream: false,
      includeUsage: true,
      chat: { messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }], maxOutputTokens: 256 },
    });
  });

  it('maps every supported field', () => {
    const parsed = parseAnthropicMessagesRequest({
      model: 'anthropic/claude-sonnet-4',
      models: ['openai/gpt-4o', 'anthropic/claude-sonnet-4', 'google/gemini-2.5-pro'],
      provider: { only: ['anthropic'], region: ['EU'] },
      max_tokens: 4096,
      system: [
        { type: 'text', text: 'You are terse.', cache_control: { type: 'ephemeral' } },
        { type: 'text', text: 'Answer in English.' },
      ],
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is in these?' },
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
            { type: 'image', source: { type: 'url', url: 'https://example.com/cat.jpg' } },
          ],
        },
        {
          role: 'assistant',
          content: [
            { type: 'thinking', thinking: 'Look it up.', signature: 'sig-1' },
            { type: 'redacted_thinking', data: 'encrypted' },
            { type: 'text', text: 'Let me ' },
            { type: 'text', text: 'check.' },
            { type: 'tool_use', id: 'toolu_1', name: 'lookup', input: { query: 'cat', limit: 2 } },
            { type: 'tool_use', id: 'toolu_2', name: 'lookup', input: {} },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Here you go.' },
            { type: 'tool_result', tool_use_id: 'toolu_1', content: 'a cat' },
            {
              type: 'tool_result',
              tool_use_id: 'toolu_2',
              content: [
                { type: 'text', text: 'line 1' },
                { type: 'text', text: 'line 2' },
              ],
              is_error: true,
            },
          ],
        },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_3' }] },
      ],
      tools: [
        {
          name: 'lookup',
          description: 'Looks things up',
          input_schema: { type: 'object', properties: { query: { type: 'string' } }, required: ['query'] },
          cache_control: { type: 'ephemeral' },
        },
        { type: 'custom', name: 'other', input_schema: { type: 'object' }, strict: true },
      ],
      tool_choice: { type: 'auto', disable_parallel_tool_use: true },
      stop_sequences: ['\n\nHuman:'],
      temperature: 0.2,
      top_p: 0.9,
      top_k: 40,
      metadata: { user_id: 'user-hash-1' },
      thinking: { type: 'enabled', budget_tokens: 2048 },
      output_config: { effort: 'max', format: { type: 'json_schema', schema: { type: 'object' } } },
      stream: true,
      service_tier: 'auto',
    });
    expect(parsed).toEqual({
      routing: {
        models: ['anthropic/claude-sonnet-4', 'openai/gpt-4o', 'google/gemini-2.5-pro'],
        provider: { only: ['anthropic'], region: ['EU'] },
      },
      stream: true,
      includeUsage: true,
      chat: {
        messages: [
          { role: 'system', content: 'You are terse.' },
          { role: 'system', content: 'Answer in English.' },
          {
            role: 'user',
            content: [
              { type: 'text', text: 'What is in these?' },
              { type: 'image', url: 'data:image/png;base64,iVBORw0KGgo=' },
              { type: 'image', url: 'https://example.com/cat.jpg' },
            ],
          },
          {
            role: 'assistant',
            content: 'Let me check.',
            toolCalls: [
              { id: 'toolu_1', name: 'lookup', arguments: '{"query":"cat","limit":2}' },
              { id: 'toolu_2', name: 'lookup', arguments: '{}' },
            ],
            reasoning: [
              { text: 'Look it up.', signature: 'sig-1' },
              { text: '', signature: 'encrypted', redacted: true },
            ],
          },
          { role: 'tool', toolCallId: 'toolu_1', content: 'a cat' },
          { role: 'tool', toolCallId: 'toolu_2', content: 'line 1\nline 2', isError: true },
          { role: 'user', content: [{ type: 'text', text: 'Here you go.' }] },
          { role: 'tool', toolCallId: 'toolu_3', content: '' },
        ],
        maxOutputTokens: 4096,
        temperature: 0.2,
        topP: 0.9,
        stop: ['\n\nHuman:'],
        tools: [
          {
            name: 'lookup',
            description: 'Looks things up',
            parameters: { type: 'object', properties: { query: { type: 'string' } }, required: ['query'] },
          },
          { name: 'other', parameters: { type: 'object' }, strict: true },
        ],
        toolChoice: 'auto',
        parallelToolCalls: false,
        reasoning: { budgetTokens: 2048, effort: 'high' },
        responseFormat: { type: 'json_schema', name: 'response', schema: { type: 'object' }, strict: true },
        user: 'user-hash-1',
      },
    });
  });

  it('keeps a top_k out of the internal request (no provider behind it takes one)', () => {
    expect(parseAnthropicMessagesRequest({ ...minimal, top_k: 5 })).toEqual(
      parseAnthropicMessagesRequest(minimal),
    );
  });

  it('maps every tool_choice', () => {
    const tools = [{ name: 'lookup', input_schema: { type: 'object' } }];
    const choice = (toolChoice: unknown) => {
      const { chat } = parseAnthropicMessagesRequest({ ...minimal, tools, tool_choice: toolChoice });
      return { toolChoice: chat.toolChoice, parallelToolCalls: chat.parallelToolCalls };
    };
    expect(choice({ type: 'auto' })).toEqual({ toolChoice: 'auto', parallelToolCalls: undefined });
    expect(choice({ type: 'any', disable_parallel_tool_use: false })).toEqual({
      toolChoice: 'required',
      parallelToolCalls: true,
    });
    expect(choice({ type: 'tool', name: 'lookup', disable_parallel_tool_use: true })).toEqual({
      toolChoice: { name: 'lookup' },
      parallelToolCalls: false,
    });
    expect(choice({ type: 'none' })).toEqual({ toolChoice: 'none', parallelToolCalls: undefined });
  });

  it('passes no reasoning for disabled or adaptive thinking, and maps effort alone', () => {
    expect(
      parseAnthropicMessagesRequest({ ...minimal, thinking: { type: 'disabled' } }).chat.reasoning,
    ).toBeUndefined();
    expect(
      parseAnthropicMessagesRequest({ ...minimal, thinking: { type: 'adaptive' } }).chat.reasoning,
    ).toBeUndefined();
    expect(
      parseAnthropicMessagesRequest({ ...minimal, output_config: { effort: 'low' } }).chat.reasoning,
    ).toEqual({
      effort: 'low',
    });
  });

  it('takes leading system messages inside messages after the top-level system', () => {
    const parsed = parseAnthropicMessagesRequest({
      ...minimal,
      system: 'First.',
      messages: [
        { role: 'system', content: [{ type: 'text', text: 'Second.' }] },
        { role: 'user', content: 'Hi' },
      ],
    });
    expect(parsed.chat.messages.slice(0, 2)).toEqual([
      { role: 'system', content: 'First.' },
      { role: 'system', content: 'Second.' },
    ]);
  });

  it('keeps an assistant prefill given as a string', () => {
    const parsed = parseAnthropicMessagesRequest({
      ...minimal,
      messages: [...minimal.messages, { role: 'assistant', content: 'The answer is (' }],
    });
    expect(parsed.chat.messages.at(-1)).toEqual({ role: 'assistant', content: 'The answer is (' });
  });

  it('refuses what it cannot relay, naming the field', () => {
    const userBlock = (block: unknown) => ({ ...minimal, messages: [{ role: 'user', content: [block] }] });
    const assistantBlock = (block: unknown) => ({
      ...minimal,
      messages: [...minimal.messages, { role: 'assistant', content: [block] }],
    });
    expectRefused(null, 'body', /expected object/);
    expectRefused({ ...minimal, max_tokens: undefined }, 'max_tokens', /max_tokens is required/);
    expectRefused({ ...minimal, max_tokens: 0 }, 'max_tokens', /too small/i);
    expectRefused({ ...minimal, max_tokens: 1.5 }, 'max_tokens', /int/i);
    expectRefused({ ...minimal, model: '' }, 'model', /too small/i);
    expectRefused({ ...minimal, messages: [] }, 'messages', /too small/i);
    expectRefused({ ...minimal, messages: [{ role: 'tool', content: 'x' }] }, 'messages.0.role', /user/);
    expectRefused(
      { ...minimal, messages: [{ role: 'user', content: 3 }] },
      'messages.0.content',
      /string or an array/,
    );
    expectRefused(
      { ...minimal, messages: [{ role: 'user', content: [] }] },
      'messages.0.content',
      /at least one/,
    );
    expectRefused(
      userBlock({ type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'x' } }),
      'messages.0.content.0.type',
      /document blocks are not supported yet/,
    );
    expectRefused(
      userBlock({ type: 'web_search_tool_result', tool_use_id: 'srvtoolu_1', content: [] }),
      'messages.0.content.0.type',
      /server tools/,
    );
    expectRefused(
      userBlock({ type: 'video' }),
      'messages.0.content.0.type',
      /unknown content block type "video"/,
    );
    expectRefused(
      userBlock({ type: 'image', source: { type: 'base64', media_type: 'image/bmp', data: 'x' } }),
      'messages.0.content.0.source.media_type',
      /image\/png/,
    );
    expectRefused(
      userBlock({ type: 'image', source: { type: 'url', url: 'http://example.com/a.png' } }),
      'messages.0.content.0.source.url',
      /https URL/,
    );
    expectRefused(
      userBlock({ type: 'image', source: { type: 'file', file_id: 'file_1' } }),
      'messages.0.content.0.source.type',
      /Files API/,
    );
    expectRefused(
      userBlock({ type: 'tool_result', tool_use_id: 't', content: [{ type: 'image', source: {} }] }),
      'messages.0.content.0.content.0.type',
      /only text blocks .* in a tool_result/,
    );
    expectRefused(
      userBlock({ type: 'tool_use', id: 't', name: 'n', input: {} }),
      'messages.0.content.0',
      /tool_use blocks belong in assistant turns/,
    );
    expectRefused(
      assistantBlock({ type: 'tool_result', tool_use_id: 't' }),
      'messages.1.content.0',
      /tool_result blocks belong in user turns/,
    );
    expectRefused(
      assistantBlock({ type: 'tool_use', id: 't', name: 'n', input: 'x' }),
      'messages.1.content.0.input',
      /expected record/,
    );
    expectRefused(
      { ...minimal, messages: [...minimal.messages, { role: 'system', content: 'late' }] },
      'messages.1.role',
      /after the conversation began/,
    );
    expectRefused(
      {
        ...minimal,
        messages: [
          {
            role: 'system',
            content: [{ type: 'image', source: { type: 'url', url: 'https://example.com/a.png' } }],
          },
          ...minimal.messages,
        ],
      },
      'messages.0.content.0',
      /only text blocks/,
    );
    expectRefused(
      { ...minimal, system: [{ type: 'document' }] },
      'system.0.type',
      /document blocks are not supported yet/,
    );
    expectRefused(
      { ...minimal, tools: [{ type: 'web_search_20250305', name: 'web_search', max_uses: 5 }] },
      'tools.0.type',
      /server tools like "web_search_20250305" are not supported/,
    );
    expectRefused(
      { ...minimal, tools: [{ name: 'has space', input_schema: { type: 'object' } }] },
      'tools.0.name',
      /letters/,
    );
    expectRefused({ ...minimal, tools: [{ name: 'n' }] }, 'tools.0.input_schema', /is required/);
    expectRefused(
      { ...minimal, tools: [{ name: 'n', input_schema: { type: 'string' } }] },
      'tools.0.input_schema.type',
      /object/,
    );
    expectRefused({ ...minimal, tool_choice: { type: 'any' } }, 'tool_choice', /needs tools/);
    expectRefused(
      {
        ...minimal,
        tools: [{ name: 'n', input_schema: { type: 'object' } }],
        tool_choice: { type: 'tool', name: 'm' },
      },
      'tool_choice.name',
      /names no tool/,
    );
    expectRefused({ ...minimal, tool_choice: { type: 'sometimes' } }, 'tool_choice.type', /.+/);
    expectRefused({ ...minimal, temperature: 1.5 }, 'temperature', /too big/i);
    expectRefused({ ...minimal, top_p: -0.1 }, 'top_p', /too small/i);
    expectRefused(
      { ...minimal, thinking: { type: 'enabled', budget_tokens: 1000 } },
      'thinking.budget_tokens',
      /1024/,
    );
    expectRefused(
      { ...minimal, thinking: { type: 'enabled', budget_tokens: 2048 } },
      'thinking.budget_tokens',
      /less than max_tokens/,
    );
    expectRefused({ ...minimal, inference_geo: 'us' }, 'inference_geo', /provider\.region/);
    expectRefused({ ...minimal, provider: { sort: 'price' } }, 'provider', /sort/);
    expectRefused({ ...minimal, stream: 'yes' }, 'stream', /boolean/);
  });

  it('never echoes the prompt in an error message', () => {
    const error = refusal({
      ...minimal,
      messages: [{ role: 'user', content: [{ type: 'text', text: 'my secret plan' }, { type: 'document' }] }],
    });
    expect(error.message).not.toContain('secret');
  });
});
