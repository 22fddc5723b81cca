import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RecordedRequest } from '../fakes/fake-server.js';
import { type TestCall, testCallOptions } from '../fakes/test-call-options.js';
import { rejection } from '../fakes/test-outcomes.js';
import { parseMultipart } from '../http/multipart.js';
import type { ImageRequest } from '../spec.js';
import { type FakeStability, startFakeStability } from './fake-stability.js';
import { createStabilityAdapter } from './stability-provider.js';

let fake: FakeStability;
const calls: TestCall[] = [];
const adapter = createStabilityAdapter();

beforeAll(async () => {
  fake = await startFakeStability();
});

afterAll(async () => {
  for (const call of calls) await call.pool.close();
  await fake.close();
});

beforeEach(() => {
  fake.moderation = undefined;
});

function newCall(): TestCall {
  const call = testCallOptions('stability', fake.baseUrl);
  calls.push(call);
  return call;
}

const image: ImageRequest = { model: 'stable-image-core', prompt: 'a lighthouse at dusk', n: 1 };

/** The form a request carried, as name -> text. */
function form(request: RecordedRequest): Record<string, string> {
  const parts = parseMultipart(request.rawBody, String(request.headers['content-type']));
  return Object.fromEntries(parts.map((part) => [part.name, part.data.toString('utf8')]));
}

describe('stability images', () => {
  it('posts the form to the core endpoint and returns the PNG', async () => {
    const call = newCall();
    const before = fake.requests.length;
    const result = await adapter.generateImage!(
      { ...image, size: '1024x1024', negativePrompt: 'fog', seed: 7, style: 'cinematic', quality: 'hd' },
      call,
    );
    const [sent] = fake.requests.slice(before);
    expect(sent!.method).toBe('POST');
    expect(sent!.url).toBe('/v2beta/stable-image/generate/core');
    expect(sent!.headers.authorization).toBe('Bearer test-key-not-secret');
    expect(sent!.headers.accept).toBe('image/*');
    expect(sent!.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(form(sent!)).toEqual({
      prompt: 'a lighthouse at dusk',
      output_format: 'png',
      negative_prompt: 'fog',
      aspect_ratio: '1:1',
      seed: '7',
      style_preset: 'cinematic',
    });
    expect(result.images).toHaveLength(1);
    expect(result.images[0]!.mediaType).toBe('image/png');
    expect(result.images[0]!.data.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(result.usage).toBeUndefined();
  });

  it.each([
    ['stable-image-ultra', '/v2beta/stable-image/generate/ultra', undefined],
    ['sd3.5-large', '/v2beta/stable-image/generate/sd3', 'sd3.5-large'],
    ['sd3.5-large-turbo', '/v2beta/stable-image/generate/sd3', 'sd3.5-large-turbo'],
  ])('sends %s to %s with model %s', async (model, path, formModel) => {
    const call = newCall();
    const before = fake.requests.length;
    await adapter.generateImage!({ ...image, model, style: 'vivid' }, call);
    const [sent] = fake.requests.slice(before);
    expect(sent!.url).toBe(path);
    expect(form(sent!).model).toBe(formModel);
    // OpenAI's styles are not Stability presets: they are left out, not sent to fail.
    expect(form(sent!).style_preset).toBeUndefined();
  });

  it.each([
    ['1792x1024', '16:9'],
    ['1024x1792', '9:16'],
    ['1536x1024', '3:2'],
    ['1024x1280', '4:5'],
    ['2560x1080', '21:9'],
    ['1000x1001', '1:1'],
  ])('maps the size %s to the aspect ratio %s', async (size, ratio) => {
    const call = newCall();
    const before = fake.requests.length;
    await adapter.generateImage!({ ...image, size }, call);
    expect(form(fake.requests[before]!).aspect_ratio).toBe(ratio);
  });

  it('makes n images with n sequential calls, each with the next seed', async () => {
    const call = newCall();
    const before = fake.requests.length;
    const result = await adapter.generateImage!({ ...image, n: 3, seed: 4_294_967_294 }, call);
    expect(result.images).toHaveLength(3);
    const sent = fake.requests.slice(before);
    expect(sent.map((request) => form(request).seed)).toEqual(['4294967294', '0', '1']);
  });

  it('refuses unknown models and malformed sizes before any request', async () => {
    const call = newCall();
    const before = fake.requests.length;
    expect((await rejection(adapter.generateImage!({ ...image, model: 'dall-e-3' }, call))).kind).toBe(
      'bad_request',
    );
    expect((await rejection(adapter.generateImage!({ ...image, size: '1024' }, call))).kind).toBe(
      'bad_request',
    );
    expect(fake.requests.length).toBe(before);
  });

  it('maps a filtered output and a moderated prompt to content_filter', async () => {
    const call = newCall();
    fake.moderation = 'output';
    const filtered = await rejection(adapter.generateImage!(image, call));
    expect(filtered.kind).toBe('content_filter');
    expect(filtered.isRetryable).toBe(false);
    fake.moderation = 'request';
    const refused = await rejection(adapter.generateImage!(image, call));
    expect(refused.kind).toBe('content_filter');
    expect(refused.status).toBe(403);
    expect(refused.options.providerCode).toBe('content_moderation');
    expect(refused.message).not.toContain('lighthouse');
  });

  it('returns the images already made when a later call fails', async () => {
    const call = newCall();
    fake.enqueue({}, { status: 500 });
    const result = await adapter.generateImage!({ ...image, n: 3 }, call);
    expect(result.images).toHaveLength(1);
  });

  it('treats a non-image or empty answer as malformed and a cut one as interrupted', async () => {
    const call = newCall();
    fake.enqueue({ malformed: true });
    expect((await rejection(adapter.generateImage!(image, call))).kind).toBe('malformed');
    fake.enqueue({ empty: true });
    expect((await rejection(adapter.generateImage!(image, call))).kind).toBe('malformed');
    fake.enqueue({ cutHalfway: true });
    expect((await rejection(adapter.generateImage!(image, call))).kind).toBe('interrupted');
  });

  it('aborts a slow answer and closes the connection', async () => {
    const call = newCall();
    const closes = fake.requests.filter((request) => request.closedByClient).length;
    fake.enqueue({ chunkDelayMs: 200 });
    const pending = adapter.generateImage!({ ...image, n: 2 }, call);
    setTimeout(() => call.controller.abort(), 100);
    expect((await rejection(pending)).kind).toBe('aborted');
    await fake.waitForClientCloses(closes + 1);
  });

  it('aborts while waiting for the first byte', async () => {
    const call = newCall();
    fake.enqueue({ firstByteDelayMs: 2_000 });
    const pending = adapter.generateImage!(image, call);
    setTimeout(() => call.controller.abort(), 50);
    expect((await rejection(pending)).kind).toBe('aborted');
  });
});

describe('stability errors', () => {
  it.each([
    [400, 'bad_request', false, 'bad_request'],
    [401, 'auth', false, 'unauthorized'],
    [413, 'bad_request', false, 'payload_too_large'],
    [422, 'bad_request', false, 'invalid_request'],
    [429, 'rate_limited', true, 'rate_limit_exceeded'],
    [500, 'server', true, 'internal_error'],
  ] as const)('maps a %i to %s', async (status, kind, retryable, code) => {
    const call = newCall();
    fake.enqueue({ status, retryAfterSeconds: status === 429 ? 10 : undefined });
    const error = await rejection(adapter.generateImage!(image, call));
    expect(error.kind).toBe(kind);
    expect(error.isRetryable).toBe(retryable);
    expect(error.status).toBe(status);
    expect(error.retryAfterMs).toBe(status === 429 ? 10_000 : undefined);
    expect(error.options.providerCode).toBe(code);
    expect(error.message).not.toContain('test-key-not-secret');
  });

  it('carries Stability’s parameter complaint in the message', async () => {
    const call = newCall();
    const error = await rejection(adapter.generateImage!({ ...image, prompt: '' }, call));
    expect(error.kind).toBe('bad_request');
    expect(error.message).toBe('stability answered 400: prompt: cannot be empty');
  });
});
