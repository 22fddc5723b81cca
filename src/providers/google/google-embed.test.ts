import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeServer } from '../fakes/fake-server.js';
import { type TestCall, testCallOptions } from '../fakes/test-call-options.js';
import { rejection } from '../fakes/test-outcomes.js';
import type { EmbeddingRequest } from '../spec.js';
import { fakeVector, startFakeGoogle } from './fake-google.js';
import { createGoogleAdapter } from './google-provider.js';

const adapter = createGoogleAdapter();
let fake: FakeServer & { baseUrl: string };
const calls: TestCall[] = [];

beforeAll(async () => {
  fake = await startFakeGoogle();
});

afterAll(async () => {
  for (const call of calls) await call.pool.close();
  await fake.close();
});

function newCall(): TestCall {
  const call = testCallOptions('google', fake.baseUrl);
  calls.push(call);
  return call;
}

function embedRequest(overrides: Partial<EmbeddingRequest> = {}): EmbeddingRequest {
  return { model: 'gemini-embedding-001', input: ['first text', 'second text'], ...overrides };
}

describe('google embeddings', () => {
  it('embeds every input in order, without usage, through batchEmbedContents', async () => {
    const result = await adapter.embed!(embedRequest({ dimensions: 8, user: 'user-1' }), newCall());
    expect(result).toEqual({ embeddings: [fakeVector('first text', 8), fakeVector('second text', 8)] });
    expect(result.usage).toBeUndefined();
    const request = fake.requests.at(-1)!;
    expect(request.url).toBe('/v1beta/models/gemini-embedding-001:batchEmbedContents');
    expect(request.headers['x-goog-api-key']).toBe('test-key-not-secret');
    expect(request.body).toEqual({
      requests: [
        {
          model: 'models/gemini-embedding-001',
          content: { parts: [{ text: 'first text' }] },
          outputDimensionality: 8,
        },
        {
          model: 'models/gemini-embedding-001',
          content: { parts: [{ text: 'second text' }] },
          outputDimensionality: 8,
        },
      ],
    });
  });

  it('leaves the dimensions to the model when none are asked for', async () => {
    const result = await adapter.embed!(embedRequest({ input: ['only'] }), newCall());
    expect(result.embeddings[0]).toHaveLength(768);
    expect(fake.requests.at(-1)!.body).toEqual({
      requests: [{ model: 'models/gemini-embedding-001', content: { parts: [{ text: 'only' }] } }],
    });
  });

  it('sends more than 100 inputs in batches of 100 and keeps their order', async () => {
    const before = fake.requests.length;
    const input = Array.from({ length: 250 }, (_, index) => `text ${index}`);
    const result = await adapter.embed!(embedRequest({ input, dimensions: 4 }), newCall());
    expect(result.embeddings).toEqual(input.map((text) => fakeVector(text, 4)));
    const sizes = fake.requests
      .slice(before)
      .map((request) => (request.body as { requests: unknown[] }).requests.length);
    expect(sizes).toEqual([100, 100, 50]);
  });

  it.each([
    [400, 'bad_request', false],
    [403, 'auth', false],
    [500, 'server', true],
    [503, 'overloaded', true],
  ] as const)('maps %i to %s', async (status, kind, isRetryable) => {
    fake.enqueue({ status });
    expect(await rejection(adapter.embed!(embedRequest(), newCall()))).toMatchObject({
      kind,
      isRetryable,
      status,
    });
  });

  it('maps 429 to rate_limited with the RetryInfo delay', async () => {
    fake.enqueue({ status: 429, retryAfterSeconds: 7 });
    const error = await rejection(adapter.embed!(embedRequest(), newCall()));
    expect(error).toMatchObject({ kind: 'rate_limited', isRetryable: true, retryAfterMs: 7_000 });
  });

  it('reports a malformed, cut or short answer', async () => {
    fake.enqueue({ malformed: true }, { cutHalfway: true }, { empty: true });
    expect((await rejection(adapter.embed!(embedRequest(), newCall()))).kind).toBe('malformed');
    expect((await rejection(adapter.embed!(embedRequest(), newCall()))).kind).toBe('interrupted');
    expect((await rejection(adapter.embed!(embedRequest(), newCall()))).kind).toBe('malformed');
  });

  it('stops with aborted when the signal aborts', async () => {
    fake.enqueue({ hang: true });
    const call = newCall();
    setTimeout(() => call.controller.abort(), 50);
    expect((await rejection(adapter.embed!(embedRequest(), call))).kind).toBe('aborted');
  });
});
