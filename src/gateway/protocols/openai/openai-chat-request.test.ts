import { describe, expect, it } from 'vitest';
import { MixgateError } from '../../../lib/errors.js';
import { parseOpenAiChatRequest } from './openai-chat-request.js';
import {
  parseOpenAiEmbeddingRequest,
  parseOpenAiImageRequest,
  parseOpenAiSpeechRequest,
  parseOpenAiTranscriptionRequest,
} from './openai-media-requests.js';

const hello = { model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'Hello' }] };
const weatherTool = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Weather by city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
    strict: true,
  },
};

/** The MixgateError a parse throws, so its code, status, param and message can all be checked. */
function refusal(parse: () => unknown): MixgateError {
  try {
    parse();
  } catch (error) {
    if (error instanceof MixgateError) return error;
    throw error;
  }
  throw new Error('the request was accepted');
}

describe('parseOpenAiChatRequest', () => {
  it('maps a plain request to the routing and the internal chat request', () => {
    expect(parseOpenAiChatRequest(hello)).toEqual({
      routing: { models: ['openai/gpt-4o-mini'] },
      stream: false,
      includeUsage: false,
      chat: { messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello' }] }] },
    });
  });

  it('maps every field of a full conversation exactly', () => {
    const parsed = parseOpenAiChatRequest({
      model: 'anthropic/claude-sonnet-4',
      models: ['openai/gpt-4o', 'anthropic/claude-sonnet-4', 'google/gemini-2.5-flash'],
      provider: { order: ['anthropic'], data_collection: 'deny', region: ['EU'] },
      messages: [
        { role: 'system', content: 'Be brief.' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is in this picture, and the weather there?' },
            { type: 'image_url', image_url: { url: 'https://example.com/cat.png', detail: 'low' } },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
          ],
        },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            {
              id: 'call_1',
              type: 'function',
              function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
            },
          ],
        },
        { role: 'tool', tool_call_id: 'call_1', content: [{ type: 'text', text: '21 C, sunny' }] },
        { role: 'developer', content: [{ type: 'text', text: 'Answer in French.' }] },
      ],
      tools: [weatherTool, { type: 'function', function: { name: 'no_arguments' } }],
      tool_choice: { type: 'function', function: { name: 'get_weather' } },
      parallel_tool_calls: false,
      response_format: {
        type: 'json_schema',
        json_schema: { name: 'answer', schema: { type: 'object' }, strict: true, description: 'The answer' },
      },
      temperature: 0.2,
      top_p: 0.9,
      max_tokens: 100,
      max_completion_tokens: 300,
      stop: 'END',
      seed: 42,
      user: 'user-7f3a',
      n: 1,
      stream: true,
      stream_options: { include_usage: true },
      reasoning_effort: 'low',
    });
    expect(parsed).toEqual({
      routing: {
        models: ['anthropic/claude-sonnet-4', 'openai/gpt-4o', 'google/gemini-2.5-flash'],
        provider: { order: ['anthropic'], data_collection: 'deny', region: ['EU'] },
      },
      stream: true,
      includeUsage: true,
      chat: {
        // The developer message moves up with the system message, in order.
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'system', content: 'Answer in French.' },
          {
            role: 'user',
            content: [
              { type: 'text', text: 'What is in this picture, and the weather there?' },
              { type: 'image', url: 'https://example.com/cat.png', detail: 'low' },
              { type: 'image', url: 'data:image/png;base64,iVBORw0KGgo=' },
            ],
          },
          {
            role: 'assistant',
            content: '',
            toolCalls: [{ id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' }],
          },
          { role: 'tool', toolCallId: 'call_1', content: '21 C, sunny' },
        ],
        maxOutputTokens: 300,
        temperature: 0.2,
        topP: 0.9,
        stop: ['END'],
        seed: 42,
        tools: [
          {
            name: 'get_weather',
            description: 'Weather by city',
            parameters: weatherTool.function.parameters,
            strict: true,
          },
          { name: 'no_arguments', parameters: { type: 'object', properties: {} } },
        ],
        toolChoice: { name: 'get_weather' },
        parallelToolCalls: false,
        responseFormat: {
          type: 'json_schema',
          name: 'answer',
          schema: { type: 'object' },
          strict: true,
          description: 'The answer',
        },
        reasoning: { effort: 'low' },
        user: 'user-7f3a',
      },
    });
  });

  it('uses max_tokens when max_completion_tokens is absent, and a stop list as given', () => {
    const { chat } = parseOpenAiChatRequest({ ...hello, max_tokens: 64, stop: ['a', 'b'] });
    expect(chat.maxOutputTokens).toBe(64);
    expect(chat.stop).toEqual(['a', 'b']);
  });

  it('ignores unknown fields and treats null as not given', () => {
    const parsed = parseOpenAiChatRequest({
      ...hello,
      frequency_penalty: 0.5,
      metadata: { trace: 'x' },
      store: false,
      some_future_field: { nested: true },
      temperature: null,
      stop: null,
      tools: null,
      tool_choice: null,
      stream_options: null,
      functions: null,
    });
    expect(parsed.chat).toEqual({ messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello' }] }] });
  });

  it('reports usage only for streams that asked for it (stream_options or OpenRouter usage.include)', () => {
    expect(parseOpenAiChatRequest({ ...hello, stream: true }).includeUsage).toBe(false);
    expect(parseOpenAiChatRequest({ ...hello, stream: true, usage: { include: true } }).includeUsage).toBe(
      true,
    );
    expect(parseOpenAiChatRequest({ ...hello, stream_options: { include_usage: true } }).includeUsage).toBe(
      false,
    );
  });

  it('accepts models without model, keeping the order and dropping duplicates', () => {
    expect(
      parseOpenAiChatRequest({ ...hello, model: undefined, models: ['a/x', 'b/y', 'a/x'] }).routing,
    ).toEqual({
      models: ['a/x', 'b/y'],
    });
  });

  it('drops tool_choice auto/none and parallel_tool_calls when there are no tools', () => {
    const { chat } = parseOpenAiChatRequest({ ...hello, tool_choice: 'none', parallel_tool_calls: true });
    expect(chat.toolChoice).toBeUndefined();
    expect(chat.parallelToolCalls).toBeUndefined();
    expect(
      parseOpenAiChatRequest({ ...hello, tools: [weatherTool], tool_choice: 'required' }).chat.toolChoice,
    ).toBe('required');
  });

  it("maps OpenRouter's reasoning object, which wins over reasoning_effort", () => {
    const reasoningOf = (extra: object) => parseOpenAiChatRequest({ ...hello, ...extra }).chat.reasoning;
    expect(reasoningOf({ reasoning_effort: 'high', reasoning: { max_tokens: 2000 } })).toEqual({
      budgetTokens: 2000,
    });
    expect(reasoningOf({ reasoning: { effort: 'minimal' } })).toEqual({ effort: 'minimal' });
    expect(reasoningOf({ reasoning: { enabled: true } })).toEqual({ effort: 'medium' });
    expect(reasoningOf({ reasoning_effort: 'high', reasoning: { enabled: false } })).toBeUndefined();
    expect(reasoningOf({ reasoning: {} })).toBeUndefined();
  });

  it('replays assistant reasoning with its signatures, and a refusal as the turn text', () => {
    const assistantOf = (message: object) =>
      parseOpenAiChatRequest({
        ...hello,
        messages: [...hello.messages, { role: 'assistant', ...message }, { role: 'user', content: 'Go on' }],
      }).chat.messages[1];
    expect(
      assistantOf({
        content: 'Done.',
        reasoning: 'ignored when details are given',
        reasoning_details: [
          {
            type: 'reasoning.text',
            text: 'Think',
            signature: 'sig-1',
            format: 'anthropic-claude-v1',
            index: 0,
          },
          { type: 'reasoning.encrypted', data: 'opaque' },
        ],
      }),
    ).toEqual({ role: 'assistant', content: 'Done.', reasoning: [{ text: 'Think', signature: 'sig-1' }] });
    expect(assistantOf({ content: [{ type: 'text', text: 'Hi' }], reasoning: 'Plain' })).toEqual({
      role: 'assistant',
      content: 'Hi',
      reasoning: [{ text: 'Plain' }],
    });
    expect(assistantOf({ content: null, refusal: 'I cannot help with that.' })).toEqual({
      role: 'assistant',
      content: 'I cannot help with that.',
    });
  });

  const refused: [string, object, string, RegExp][] = [
    ['temperature above 2', { temperature: 2.5 }, 'temperature', /<=2/],
    ['temperature as a string', { temperature: '1' }, 'temperature', /expected number/],
    ['a zero max_tokens', { max_tokens: 0 }, 'max_tokens', /positive integer/],
    [
      'a fractional max_completion_tokens',
      { max_completion_tokens: 1.5 },
      'max_completion_tokens',
      /integer/,
    ],
    ['more than one choice', { n: 2 }, 'n', /only 1 choice/],
    ['five stop sequences', { stop: ['a', 'b', 'c', 'd', 'e'] }, 'stop', /<=4/],
    ['a stream flag as a string', { stream: 'yes' }, 'stream', /expected boolean/],
    ['a missing model', { model: undefined }, 'model', /is required/],
    ['missing messages', { messages: undefined }, 'messages', /is required/],
    ['no messages', { messages: [] }, 'messages', /at least one message/],
    ['an unknown role', { messages: [{ role: 'bot', content: 'x' }] }, 'messages[0].role', /'user'/],
    [
      "the legacy 'function' role",
      { messages: [{ role: 'function', name: 'f', content: 'x' }] },
      'messages[0].role',
      /legacy 'function' role/,
    ],
    [
      'an audio part',
      {
        messages: [
          { role: 'user', content: [{ type: 'input_audio', input_audio: { data: 'x', format: 'wav' } }] },
        ],
      },
      'messages[0].content[0].type',
      /audio input parts are not supported/,
    ],
    [
      'a file part',
      {
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'x' },
              { type: 'file', file: {} },
            ],
          },
        ],
      },
      'messages[0].content[1].type',
      /file parts are not supported/,
    ],
    [
      'an unknown part type',
      { messages: [{ role: 'user', content: [{ type: 'video', video: {} }] }] },
      'messages[0].content[0].type',
      /'text', 'image_url'/,
    ],
    [
      'an http image URL',
      {
        messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'http://x/a.png' } }] }],
      },
      'messages[0].content[0].image_url.url',
      /https URL or a data:/,
    ],
    [
      'user content of the wrong type',
      { messages: [{ role: 'user', content: 5 }] },
      'messages[0].content',
      /expected string or array/,
    ],
    [
      'an assistant turn with neither content nor tool calls',
      { messages: [{ role: 'assistant' }] },
      'messages[0].content',
      /unless tool_calls/,
    ],
    [
      'a tool message without tool_call_id',
      { messages: [{ role: 'tool', content: 'x' }] },
      'messages[0].tool_call_id',
      /is required/,
    ],
    [
      'a custom tool',
      { tools: [{ type: 'custom', custom: { name: 'x' } }] },
      'tools[0].type',
      /'function' tools/,
    ],
    [
      'a tool name with spaces',
      { tools: [{ type: 'function', function: { name: 'get weather' } }] },
      'tools[0].function.name',
      /letters, digits/,
    ],
    [
      'a tool_choice naming a missing function',
      { tools: [weatherTool], tool_choice: { type: 'function', function: { name: 'other' } } },
      'tool_choice',
      /'other', which is not in 'tools'/,
    ],
    [
      "tool_choice 'required' without tools",
      { tool_choice: 'required' },
      'tool_choice',
      /needs at least one tool/,
    ],
    ['an unknown tool_choice', { tools: [weatherTool], tool_choice: 'always' }, 'tool_choice', /"required"/],
    [
      'a json_schema format without schema',
      { response_format: { type: 'json_schema', json_schema: { name: 'x' } } },
      'response_format.json_schema.schema',
      /is required/,
    ],
    [
      'an unknown response format',
      { response_format: { type: 'xml' } },
      'response_format.type',
      /json_schema/,
    ],
    ['an unsupported effort', { reasoning_effort: 'xhigh' }, 'reasoning_effort', /'minimal', 'low'/],
    ['reasoning.exclude', { reasoning: { exclude: true } }, 'reasoning.exclude', /not supported yet/],
    ['audio output', { modalities: ['text', 'audio'] }, 'modalities', /only 'text'/],
    ['legacy functions', { functions: [{ name: 'f' }] }, 'functions', /use 'tools'/],
    ['an e-mail address as user', { user: 'jane@example.com' }, 'user', /not an e-mail address/],
    [
      'an unknown provider routing field',
      { provider: { sort: 'price' } },
      'provider.sort',
      /not a known field/,
    ],
  ];

  it.each(refused)('refuses %s with a 400 naming the parameter', (_name, change, param, message) => {
    const error = refusal(() => parseOpenAiChatRequest({ ...hello, ...change }));
    expect(error.code).toBe('invalid_request');
    expect(error.status).toBe(400);
    expect(error.details).toEqual({ param });
    expect(error.message).toContain(`'${param}'`);
    expect(error.message).toMatch(message);
  });

  it('refuses a body that is not an object', () => {
    const error = refusal(() => parseOpenAiChatRequest('hello'));
    expect(error.status).toBe(400);
    expect(error.details).toEqual({ param: null });
  });
});

describe('OpenAI media requests', () => {
  it('parses an embeddings request, a single string becoming a list', () => {
    expect(
      parseOpenAiEmbeddingRequest({ model: 'openai/text-embedding-3-small', input: 'a', dimensions: 256 }),
    ).toEqual({
      routing: { models: ['openai/text-embedding-3-small'] },
      request: { input: ['a'], dimensions: 256 },
      encodingFormat: 'float',
    });
    expect(
      parseOpenAiEmbeddingRequest({ model: 'm', input: ['a', 'b'], encoding_format: 'base64' }),
    ).toMatchObject({
      request: { input: ['a', 'b'] },
      encodingFormat: 'base64',
    });
  });

  it('refuses token arrays and empty inputs for embeddings', () => {
    expect(refusal(() => parseOpenAiEmbeddingRequest({ model: 'm', input: [1, 2, 3] })).message).toMatch(
      /'input': token arrays are not supported/,
    );
    expect(refusal(() => parseOpenAiEmbeddingRequest({ model: 'm', input: [[1, 2]] })).details).toEqual({
      param: 'input',
    });
    expect(refusal(() => parseOpenAiEmbeddingRequest({ model: 'm', input: '' })).details).toEqual({
      param: 'input',
    });
  });

  it('parses an image request and refuses url answers and bad values', () => {
    expect(
      parseOpenAiImageRequest({
        model: 'openai/dall-e-3',
        prompt: 'An otter',
        n: 2,
        size: '1024x1792',
        quality: 'hd',
        style: 'natural',
        response_format: 'b64_json',
      }),
    ).toEqual({
      routing: { models: ['openai/dall-e-3'] },
      request: { prompt: 'An otter', n: 2, size: '1024x1792', quality: 'hd', style: 'natural' },
    });
    expect(
      parseOpenAiImageRequest({ model: 'm', prompt: 'p', size: 'auto', quality: 'auto' }).request,
    ).toEqual({
      prompt: 'p',
      n: 1,
    });
    expect(
      refusal(() => parseOpenAiImageRequest({ model: 'm', prompt: 'p', response_format: 'url' })).message,
    ).toMatch(/'response_format': 'url' is not supported yet/);
    expect(refusal(() => parseOpenAiImageRequest({ model: 'm', prompt: 'p', n: 11 })).details).toEqual({
      param: 'n',
    });
    expect(refusal(() => parseOpenAiImageRequest({ model: 'm', prompt: 'p', size: 'big' })).details).toEqual({
      param: 'size',
    });
  });

  it('parses a speech request with the mp3 default and refuses out-of-range values', () => {
    expect(
      parseOpenAiSpeechRequest({ model: 'openai/tts-1', input: 'Hi', voice: 'alloy', speed: 1.5 }),
    ).toEqual({
      routing: { models: ['openai/tts-1'] },
      request: { input: 'Hi', voice: 'alloy', format: 'mp3', speed: 1.5 },
    });
    expect(
      parseOpenAiSpeechRequest({
        model: 'm',
        input: 'Hi',
        voice: { id: 'voice_123' },
        response_format: 'wav',
      }).request,
    ).toMatchObject({ voice: 'voice_123', format: 'wav' });
    expect(
      refusal(() => parseOpenAiSpeechRequest({ model: 'm', input: 'x', voice: 'a', speed: 5 })).details,
    ).toEqual({ param: 'speed' });
    expect(
      refusal(() => parseOpenAiSpeechRequest({ model: 'm', input: 'x'.repeat(4097), voice: 'a' })).details,
    ).toEqual({ param: 'input' });
  });

  it('parses transcription form fields, coercing numbers, and refuses unsupported formats', () => {
    const audio = { data: Buffer.from('RIFF'), filename: 'a.wav', mediaType: 'audio/wav' };
    expect(
      parseOpenAiTranscriptionRequest(
        { model: 'openai/whisper-1', language: 'fr', temperature: '0.2', response_format: 'verbose_json' },
        audio,
      ),
    ).toEqual({
      routing: { models: ['openai/whisper-1'] },
      request: {
        audio: audio.data,
        filename: 'a.wav',
        mediaType: 'audio/wav',
        language: 'fr',
        temperature: 0.2,
      },
      responseFormat: 'verbose_json',
    });
    expect(
      refusal(() => parseOpenAiTranscriptionRequest({ model: 'm', response_format: 'srt' }, audio)).message,
    ).toMatch(/'response_format'.*'verbose_json'/);
    expect(refusal(() => parseOpenAiTranscriptionRequest({ model: 'm' }, undefined)).details).toEqual({
      param: 'file',
    });
    expect(
      refusal(() => parseOpenAiTranscriptionRequest({ model: 'm', stream: 'true' }, audio)).details,
    ).toEqual({
      param: 'stream',
    });
  });
});
