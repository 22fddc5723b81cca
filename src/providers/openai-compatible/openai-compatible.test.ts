import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeServer, fakeReplyText, fakeTokenCount } from '../fakes/fake-server.js';
import { type TestCall, testCallOptions } from '../fakes/test-call-options.js';
import { collect, rejection } from '../fakes/test-outcomes.js';
import { FAKE_REASONING, type FakeOpenAiFlavour, startFakeOpenAi } from '../openai/fake-openai.js';
import type { ChatEvent, ChatMessage, ChatRequest, Deployment } from '../spec.js';
import { COMPAT_QUIRKS, OPENAI_COMPATIBLE_FLAVOURS } from './compat-quirks.js';
import { createOpenAiCompatibleAdapter } from './openai-compatible-provider.js';

type Fake = FakeServer & { baseUrl: string };
const fakes = new Map<FakeOpenAiFlavour, Fake>();
const calls: TestCall[] = [];

beforeAll(async () => {
  for (const flavour of ['openai', 'openrouter', 'deepseek', 'xai', 'mistral', 'ollama'] as const) {
    fakes.set(flavour, await startFakeOpenAi({ flavour }));
  }
});

afterAll(async () => {
  for (const call of calls) await call.pool.close();
  for (const fake of fakes.values()) await fake.close();
});

function callFor(flavour: FakeOpenAiFlavour, overrides: Partial<Deployment> = {}): TestCall {
  const call = testCallOptions('openai-compatible', fakes.get(flavour)!.baseUrl, overrides);
  calls.push(call);
  return call;
}

function lastRequest(flavour: FakeOpenAiFlavour) {
  return fakes.get(flavour)!.requests.at(-1)!;
}

function ask(text: string, extra: Partial<ChatRequest> = {}): ChatRequest {
  return {
    model: 'some-model',
    messages: [{ role: 'user', content: [{ type: 'text', text }] }],
    maxOutputTokens: 64,
    ...extra,
  };
}

function joined(events: ChatEvent[], type: 'text' | 'reasoning'): string {
  return events.map((event) => (event.type === type ? event.text : '')).join('');
}

const lookupTool = { name: 'lookup', parameters: { type: 'object' } };

describe('OpenRouter', () => {
  const adapter = createOpenAiCompatibleAdapter('openrouter');

  it('sends max_tokens, the reasoning object and attribution headers, and maps reasoning and usage', async () => {
    const call = callFor('openrouter', { headers: { 'HTTP-Referer': 'https://mixgate.example' } });
    const result = await adapter.chat!(
      ask('Hello', { seed: 1, user: 'u-1', reasoning: { effort: 'high' } }),
      call,
    );
    const request = lastRequest('openrouter');
    expect(request.body).toEqual({
      model: 'some-model',
      messages: [{ role: 'user', content: 'Hello' }],
      max_tokens: 64,
      seed: 1,
      reasoning: { effort: 'high' },
      user: 'u-1',
    });
    expect(request.headers).toMatchObject({
      authorization: 'Bearer test-key-not-secret',
      'http-referer': 'https://mixgate.example',
      'x-title': 'Mixgate',
    });
    const prompt = fakeTokenCount('Hello');
    const reasoning = fakeTokenCount(FAKE_REASONING);
    expect(result).toMatchObject({
      text: fakeReplyText('Hello', 'openrouter'),
      reasoning: [{ text: FAKE_REASONING }],
    });
    expect(result.usage).toEqual({
      inputTokens: prompt,
      outputTokens: fakeTokenCount(fakeReplyText('Hello', 'openrouter')) + reasoning,
      cachedInputTokens: Math.floor(prompt / 2),
      cacheWriteTokens: 3,
      reasoningTokens: reasoning,
    });
  });

  it('streams reasoning then text and gets the usage without stream_options', async () => {
    const events = await collect(
      adapter.chatStream!(ask('Hi there', { reasoning: { budgetTokens: 500 } }), callFor('openrouter')),
    );
    expect(lastRequest('openrouter').body).toMatchObject({ stream: true, reasoning: { max_tokens: 500 } });
    expect(lastRequest('openrouter').body).not.toHaveProperty('stream_options');
    expect(joined(events, 'reasoning')).toBe(FAKE_REASONING);
    expect(joined(events, 'text')).toBe(fakeReplyText('Hi there', 'openrouter'));
    expect(events.findIndex((event) => event.type === 'reasoning')).toBeLessThan(
      events.findIndex((event) => event.type === 'text'),
    );
    expect(events.at(-1)).toMatchObject({ type: 'usage', usage: { cacheWriteTokens: 3 } });
  });

  it("lets the deployment's own header replace the default", async () => {
    await adapter.chat!(ask('x'), callFor('openrouter', { headers: { 'x-title': 'My instance' } }));
    expect(lastRequest('openrouter').headers['x-title']).toBe('My instance');
  });

  it("maps OpenRouter's error bodies: 402 is the account, 429 is retried later", async () => {
    const fake = fakes.get('openrouter')!;
    fake.enqueue({ status: 402 }, { status: 429, retryAfterSeconds: 4 });
    const call = callFor('openrouter');
    const credits = await rejection(adapter.chat!(ask('x'), call));
    expect(credits).toMatchObject({ kind: 'auth', isRetryable: false, status: 402 });
    expect(credits.message).toMatch(/^openrouter answered 402/);
    expect(await rejection(adapter.chat!(ask('x'), call))).toMatchObject({
      kind: 'rate_limited',
      retryAfterMs: 4000,
    });
  });
});

describe('DeepSeek', () => {
  const adapter = createOpenAiCompatibleAdapter('deepseek');

  it('sends the reasoning of tool-call turns back and joins text parts into a string', async () => {
    const messages: ChatMessage[] = [
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Look it up.' },
          { type: 'text', text: 'Quickly.' },
        ],
      },
      {
        role: 'assistant',
        content: '',
        toolCalls: [{ id: 'call_1', name: 'lookup', arguments: '{}' }],
        reasoning: [{ text: 'I should look.' }],
      },
      { role: 'tool', toolCallId: 'call_1', content: 'found' },
      { role: 'assistant', content: '', toolCalls: [{ id: 'call_2', name: 'lookup', arguments: '{}' }] },
      { role: 'tool', toolCallId: 'call_2', content: 'again' },
    ];
    const result = await adapter.chat!(
      { model: 'deepseek-chat', messages, maxOutputTokens: 10, seed: 5 },
      callFor('deepseek'),
    );
    const body = lastRequest('deepseek').body as { messages: Record<string, unknown>[] };
    expect(body.messages[0]).toEqual({ role: 'user', content: 'Look it up.\nQuickly.' });
    expect(body.messages[1]).toMatchObject({ role: 'assistant', reasoning_content: 'I should look.' });
    expect(body.messages[3]).toMatchObject({ role: 'assistant', reasoning_content: '' });
    expect(body).not.toHaveProperty('seed');
    expect(body).toHaveProperty('max_tokens', 10);
    expect(result.reasoning).toEqual([{ text: FAKE_REASONING }]);
  });

  it('streams reasoning_content and maps prompt_cache_hit_tokens', async () => {
    const events = await collect(adapter.chatStream!(ask('Cache me'), callFor('deepseek')));
    expect(lastRequest('deepseek').body).toMatchObject({ stream_options: { include_usage: true } });
    expect(joined(events, 'reasoning')).toBe(FAKE_REASONING);
    const prompt = fakeTokenCount('Cache me');
    expect(events.at(-1)).toEqual({
      type: 'usage',
      usage: {
        inputTokens: prompt,
        outputTokens: fakeTokenCount(fakeReplyText('Cache me', 'deepseek')) + fakeTokenCount(FAKE_REASONING),
        cachedInputTokens: Math.floor(prompt / 2),
        reasoningTokens: fakeTokenCount(FAKE_REASONING),
      },
    });
  });

  it('refuses images without calling DeepSeek', async () => {
    const fake = fakes.get('deepseek')!;
    const before = fake.requests.length;
    const request: ChatRequest = {
      model: 'deepseek-chat',
      maxOutputTokens: 10,
      messages: [{ role: 'user', content: [{ type: 'image', url: 'https://example.com/a.png' }] }],
    };
    const error = await rejection(adapter.chat!(request, callFor('deepseek')));
    expect(error).toMatchObject({ kind: 'bad_request', message: 'deepseek does not accept images' });
    expect(fake.requests.length).toBe(before);
  });
});

describe('xAI', () => {
  const adapter = createOpenAiCompatibleAdapter('xai');

  it('adds the reasoning tokens xAI counts beside the completion, and names efforts its way', async () => {
    const result = await adapter.chat!(ask('Hey', { reasoning: { effort: 'medium' } }), callFor('xai'));
    expect(lastRequest('xai').body).toMatchObject({ max_completion_tokens: 64, reasoning_effort: 'high' });
    const answer = fakeTokenCount(fakeReplyText('Hey', 'xai'));
    const reasoning = fakeTokenCount(FAKE_REASONING);
    expect(result.usage).toEqual({
      inputTokens: fakeTokenCount('Hey'),
      outputTokens: answer + reasoning,
      cachedInputTokens: 1,
      reasoningTokens: reasoning,
    });
  });

  it('reads a tool call streamed whole in one delta', async () => {
    const events = await collect(
      adapter.chatStream!(ask('Weather?', { tools: [lookupTool] }), callFor('xai')),
    );
    const calls = events.filter((event) => event.type === 'tool_call' || event.type === 'tool_arguments');
    expect(calls).toEqual([
      { type: 'tool_call', index: 0, id: expect.stringMatching(/^call_/), name: 'lookup' },
      { type: 'tool_arguments', index: 0, delta: '{"query":"fake"}' },
    ]);
    expect(events.find((event) => event.type === 'finish')).toEqual({ type: 'finish', reason: 'tool_calls' });
  });
});

describe('Mistral', () => {
  const adapter = createOpenAiCompatibleAdapter('mistral');

  it('sends only fields Mistral accepts and reads the usage from the finish chunk', async () => {
    const request = ask('Bonjour', { seed: 9, user: 'u', reasoning: { effort: 'low' }, stop: ['x'] });
    const events = await collect(adapter.chatStream!(request, callFor('mistral')));
    expect(lastRequest('mistral').body).toEqual({
      model: 'some-model',
      messages: [{ role: 'user', content: 'Bonjour' }],
      max_tokens: 64,
      stop: ['x'],
      random_seed: 9,
      stream: true,
    });
    expect(joined(events, 'text')).toBe(fakeReplyText('Bonjour', 'mistral'));
    expect(events.at(-1)).toEqual({
      type: 'usage',
      usage: {
        inputTokens: fakeTokenCount('Bonjour'),
        outputTokens: fakeTokenCount(fakeReplyText('Bonjour', 'mistral')),
      },
    });
  });

  it('rewrites tool-call ids from other providers to nine letters and digits, keeping pairs', async () => {
    const messages: ChatMessage[] = [
      { role: 'user', content: [{ type: 'text', text: 'Look' }] },
      {
        role: 'assistant',
        content: '',
        toolCalls: [{ id: 'call_abc_123', name: 'lookup', arguments: '{}' }],
      },
      { role: 'tool', toolCallId: 'call_abc_123', content: 'found' },
      { role: 'assistant', content: '', toolCalls: [{ id: 'Ab3dE5gH9', name: 'lookup', arguments: '{}' }] },
      { role: 'tool', toolCallId: 'Ab3dE5gH9', content: 'again' },
    ];
    const result = await adapter.chat!(
      { model: 'mistral-large', messages, maxOutputTokens: 10 },
      callFor('mistral'),
    );
    expect(result.finishReason).toBe('stop');
    const sent = (
      lastRequest('mistral').body as { messages: { tool_calls?: { id: string }[]; tool_call_id?: string }[] }
    ).messages;
    expect(sent[1]!.tool_calls![0]!.id).toMatch(/^[a-zA-Z0-9]{9}$/);
    expect(sent[2]!.tool_call_id).toBe(sent[1]!.tool_calls![0]!.id);
    expect(sent[3]!.tool_calls![0]!.id).toBe('Ab3dE5gH9');
  });

  it("sends embeddings' dimensions as output_dimension", async () => {
    const fake = fakes.get('mistral')!;
    const result = await adapter.embed!(
      { model: 'mistral-embed', input: ['a'], dimensions: 3 },
      callFor('mistral'),
    );
    expect(fake.requests.at(-1)!.body).toEqual({ model: 'mistral-embed', input: ['a'], output_dimension: 3 });
    expect(result.embeddings).toHaveLength(1);
  });
});

describe('Ollama', () => {
  const adapter = createOpenAiCompatibleAdapter('ollama');

  it('sends no Authorization header without a key and reads `reasoning`', async () => {
    const result = await adapter.chat!(ask('Local?'), callFor('ollama', { apiKey: undefined }));
    expect(lastRequest('ollama').headers).not.toHaveProperty('authorization');
    expect(result.reasoning).toEqual([{ text: FAKE_REASONING }]);
    expect(result.text).toBe(fakeReplyText('Local?', 'ollama'));
  });

  it('embeds without encoding_format', async () => {
    await adapter.embed!(
      { model: 'nomic-embed-text', input: ['a', 'b'] },
      callFor('ollama', { apiKey: undefined }),
    );
    expect(lastRequest('ollama').body).toEqual({ model: 'nomic-embed-text', input: ['a', 'b'] });
  });
});

describe('the quirks table', () => {
  it.each([
    ['groq', { max_completion_tokens: 64, stream_options: { include_usage: true }, user: 'u', seed: 2 }],
    ['vllm', { max_tokens: 64, stream_options: { include_usage: true }, user: 'u', seed: 2 }],
    ['lmstudio', { max_tokens: 64, stream_options: { include_usage: true }, seed: 2 }],
    ['together', { max_tokens: 64, stream_options: { include_usage: true }, seed: 2 }],
    ['generic', { max_tokens: 64, stream_options: { include_usage: true }, seed: 2 }],
  ] as const)('shapes a %s stream request', async (flavour, fields) => {
    const adapter = createOpenAiCompatibleAdapter(flavour);
    const events = await collect(adapter.chatStream!(ask('Hi', { seed: 2, user: 'u' }), callFor('openai')));
    expect(events.at(-2)).toEqual({ type: 'finish', reason: 'stop' });
    expect(lastRequest('openai').body).toEqual({
      model: 'some-model',
      messages: [{ role: 'user', content: 'Hi' }],
      stream: true,
      ...fields,
    });
  });

  it('offers the modalities each server has and names the flavour in errors', async () => {
    const groq = createOpenAiCompatibleAdapter('groq');
    expect(groq.provider).toBe('groq');
    expect(groq.transcribe).toBeDefined();
    expect(groq.embed).toBeUndefined();
    expect(createOpenAiCompatibleAdapter('deepseek').embed).toBeUndefined();
    for (const flavour of OPENAI_COMPATIBLE_FLAVOURS) expect(COMPAT_QUIRKS[flavour]).toBeDefined();

    fakes.get('openai')!.enqueue({ status: 503 });
    const error = await rejection(groq.chat!(ask('x'), callFor('openai')));
    expect(error).toMatchObject({ kind: 'overloaded', isRetryable: true });
    expect(error.message).toMatch(/^groq answered 503/);
  });

  it("transcribes with Groq's whisper as verbose_json", async () => {
    const result = await createOpenAiCompatibleAdapter('groq').transcribe!(
      { model: 'whisper-large-v3', audio: Buffer.from('RIFF'), filename: 'a.wav', mediaType: 'audio/wav' },
      callFor('openai'),
    );
    expect(lastRequest('openai').rawBody.toString()).toContain('verbose_json');
    expect(result).toMatchObject({ text: 'fake transcription', durationSeconds: 2.5 });
  });
});
