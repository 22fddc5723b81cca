import { Agent } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RecordedRequest } from '../fakes/fake-server.js';
import { type TestCall, testCallOptions } from '../fakes/test-call-options.js';
import { rejection } from '../fakes/test-outcomes.js';
import { type AsyncJobStatus, ProviderError } from '../spec.js';
import { type FakeReplicate, startFakeReplicate } from './fake-replicate.js';
import { createReplicateAdapter, progressFromLogs } from './replicate-provider.js';

let fake: FakeReplicate;
let delivery: FakeReplicate;
let downloadAgent: Agent;
const calls: TestCall[] = [];

beforeAll(async () => {
  fake = await startFakeReplicate();
  delivery = await startFakeReplicate();
  downloadAgent = new Agent();
});

afterAll(async () => {
  for (const call of calls) await call.pool.close();
  await downloadAgent.close();
  await fake.close();
  await delivery.close();
});

beforeEach(() => {
  fake.readsToFinish = 2;
  fake.waitCompletes = true;
  fake.outputOrigin = fake.origin;
  fake.failWith = undefined;
});

function newCall(): TestCall {
  const call = testCallOptions('replicate', fake.baseUrl);
  calls.push(call);
  return call;
}

const adapter = createReplicateAdapter({ pollIntervalMs: 5, maxPollIntervalMs: 20 });

function requestsSince(count: number): RecordedRequest[] {
  return fake.requests.slice(count);
}

async function pollUntilDone(upstreamId: string, call: TestCall): Promise<AsyncJobStatus[]> {
  const seen: AsyncJobStatus[] = [];
  for (let i = 0; i < 10; i++) {
    const status = await adapter.pollJob!(upstreamId, call);
    seen.push(status);
    if (status.state !== 'running') return seen;
  }
  throw new Error('the prediction never ended');
}

describe('replicate async jobs', () => {
  it('creates an official-model prediction with the input as given and no wait', async () => {
    const call = newCall();
    const before = fake.requests.length;
    const { upstreamId } = await adapter.startJob!(
      { model: 'minimax/video-01', modality: 'video', input: { prompt: 'a cat surfing', duration: 6 } },
      call,
    );
    const [create] = requestsSince(before);
    expect(create!.method).toBe('POST');
    expect(create!.url).toBe('/v1/models/minimax/video-01/predictions');
    expect(create!.body).toEqual({ input: { prompt: 'a cat surfing', duration: 6 } });
    expect(create!.headers.authorization).toBe('Bearer test-key-not-secret');
    expect(create!.headers['content-type']).toBe('application/json');
    expect(create!.headers.prefer).toBeUndefined();
    expect(upstreamId).toMatch(/^[0-9a-f]{26}$/);
  });

  it('creates a versioned prediction on /predictions with the version in the body', async () => {
    const call = newCall();
    const before = fake.requests.length;
    const version = 'a'.repeat(64);
    await adapter.startJob!(
      { model: `someone/sdxl-lora:${version}`, modality: 'image', input: { prompt: 'a lighthouse' } },
      call,
    );
    const [create] = requestsSince(before);
    expect(create!.url).toBe('/v1/predictions');
    expect(create!.body).toEqual({ version, input: { prompt: 'a lighthouse' } });
  });

  it('reports progress from the logs while running, then downloads the video with its metrics', async () => {
    const call = newCall();
    fake.readsToFinish = 3;
    const { upstreamId } = await adapter.startJob!(
      { model: 'minimax/video-01', modality: 'video', input: { prompt: 'waves' } },
      call,
    );
    const before = fake.requests.length;
    const statuses = await pollUntilDone(upstreamId, call);
    expect(statuses.slice(0, 2)).toEqual([
      { state: 'running', progress: 25 },
      { state: 'running', progress: 50 },
    ]);
    const done = statuses[2]!;
    expect(done.state).toBe('succeeded');
    if (done.state !== 'succeeded') return;
    expect(done.outputs).toHaveLength(1);
    expect(done.outputs[0]!.mediaType).toBe('video/mp4');
    expect(done.outputs[0]!.data.subarray(4, 8).toString('latin1')).toBe('ftyp');
    expect(done.metrics).toEqual({ predictSeconds: 1.25, outputSeconds: 5 });
    const reads = requestsSince(before);
    expect(
      reads.map((request) => `${request.method} ${request.url.split('/').slice(0, 3).join('/')}`),
    ).toEqual([
      'GET /v1/predictions',
      'GET /v1/predictions',
      'GET /v1/predictions',
      `GET /files/${upstreamId}`,
    ]);
    // Files on the deployment's own origin are API-hosted and need the key.
    expect(reads[3]!.headers.authorization).toBe('Bearer test-key-not-secret');
  });

  it('downloads music as audio/mpeg and leaves metrics out when Replicate sends none', async () => {
    const call = newCall();
    fake.enqueue({ omitUsage: true });
    const { upstreamId } = await adapter.startJob!(
      { model: 'meta/musicgen', modality: 'music', input: { prompt: 'lofi' } },
      call,
    );
    const done = (await pollUntilDone(upstreamId, call)).at(-1)!;
    expect(done).toMatchObject({ state: 'succeeded' });
    if (done.state !== 'succeeded') return;
    expect(done.outputs[0]!.mediaType).toBe('audio/mpeg');
    expect(done.outputs[0]!.data.subarray(0, 3).toString('latin1')).toBe('ID3');
    expect(done.metrics).toBeUndefined();
  });

  it('succeeds with no outputs when the model returned nothing or only text', async () => {
    const call = newCall();
    fake.enqueue({ empty: true });
    const empty = await adapter.startJob!(
      { model: 'minimax/video-01', modality: 'video', input: { prompt: 'x' } },
      call,
    );
    expect((await pollUntilDone(empty.upstreamId, call)).at(-1)).toMatchObject({
      state: 'succeeded',
      outputs: [],
    });
    // A model's text can be any string; one that looks like an internal URL must not be fetched.
    fake.enqueue({ text: 'http://169.254.169.254/latest/meta-data' });
    const text = await adapter.startJob!(
      { model: 'minimax/video-01', modality: 'video', input: { prompt: 'x' } },
      call,
    );
    const before = fake.requests.length;
    expect((await pollUntilDone(text.upstreamId, call)).at(-1)).toMatchObject({
      state: 'succeeded',
      outputs: [],
    });
    expect(requestsSince(before).every((request) => request.url.startsWith('/v1/predictions/'))).toBe(true);
  });

  it.each([
    ['CUDA error: out of memory', 'server', true, 'prediction_interrupted'],
    ['Prediction interrupted; please retry (code: PA)', 'server', true, 'prediction_interrupted'],
    [
      'NSFW content detected. Try running it again, or try a different prompt.',
      'content_filter',
      false,
      'prediction_flagged',
    ],
    ['ValueError: width must be a multiple of 64', 'bad_request', false, 'prediction_invalid_input'],
    ['Segmentation fault in the prompt "secret plans"', 'server', true, 'prediction_failed'],
  ] as const)('maps the failure "%s" to %s', async (failWith, kind, retryable, code) => {
    const call = newCall();
    fake.failWith = failWith;
    const { upstreamId } = await adapter.startJob!(
      { model: 'black-forest-labs/flux-dev', modality: 'image', input: { prompt: 'secret plans' } },
      call,
    );
    const done = (await pollUntilDone(upstreamId, call)).at(-1)!;
    expect(done.state).toBe('failed');
    if (done.state !== 'failed') return;
    expect(done.error).toBeInstanceOf(ProviderError);
    expect(done.error.kind).toBe(kind);
    expect(done.error.isRetryable).toBe(retryable);
    expect(done.error.options.providerCode).toBe(code);
    // The model's own text can quote the input: it never reaches the message.
    expect(done.error.message).not.toContain('secret');
    expect(done.error.message).not.toContain(failWith);
  });

  it('cancels a running prediction', async () => {
    const call = newCall();
    fake.readsToFinish = 5;
    const { upstreamId } = await adapter.startJob!(
      { model: 'minimax/video-01', modality: 'video', input: { prompt: 'slow' } },
      call,
    );
    const before = fake.requests.length;
    await adapter.cancelJob!(upstreamId, call);
    const [cancel] = requestsSince(before);
    expect(cancel!.method).toBe('POST');
    expect(cancel!.url).toBe(`/v1/predictions/${upstreamId}/cancel`);
    expect(cancel!.headers.authorization).toBe('Bearer test-key-not-secret');
    expect(await adapter.pollJob!(upstreamId, call)).toEqual({ state: 'canceled' });
  });

  it('refuses model and prediction ids that do not fit Replicate’s shapes, before any request', async () => {
    const call = newCall();
    const before = fake.requests.length;
    expect(
      (await rejection(adapter.startJob!({ model: 'flux', modality: 'image', input: {} }, call))).kind,
    ).toBe('bad_request');
    expect((await rejection(adapter.pollJob!('../../account', call))).kind).toBe('bad_request');
    expect((await rejection(adapter.cancelJob!('a/b', call))).kind).toBe('bad_request');
    expect(fake.requests.length).toBe(before);
  });
});

describe('replicate images', () => {
  it('waits with Prefer: wait and maps the image request to the model input', async () => {
    const call = newCall();
    const before = fake.requests.length;
    const result = await adapter.generateImage!(
      {
        model: 'black-forest-labs/flux-schnell',
        prompt: 'a red fox',
        n: 2,
        size: '1792x1024',
        negativePrompt: 'blurry',
        seed: 42,
        quality: 'hd',
      },
      call,
    );
    const [create, ...downloads] = requestsSince(before);
    expect(create!.url).toBe('/v1/models/black-forest-labs/flux-schnell/predictions');
    expect(create!.headers.prefer).toBe('wait');
    expect(create!.body).toEqual({
      input: {
        prompt: 'a red fox',
        num_outputs: 2,
        aspect_ratio: '16:9',
        negative_prompt: 'blurry',
        seed: 42,
      },
    });
    expect(downloads.map((request) => request.method)).toEqual(['GET', 'GET']);
    expect(result.images).toHaveLength(2);
    expect(result.images[0]!.mediaType).toBe('image/png');
    expect(result.images[0]!.data.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(result.usage).toBeUndefined();
  });

  it('polls when the model is slower than the wait', async () => {
    const call = newCall();
    fake.waitCompletes = false;
    fake.readsToFinish = 3;
    const before = fake.requests.length;
    const result = await adapter.generateImage!(
      { model: `stability-ai/sdxl:${'b'.repeat(64)}`, prompt: 'hills', n: 1 },
      call,
    );
    expect(result.images).toHaveLength(1);
    const paths = requestsSince(before).map((request) => request.url.split('/').slice(0, 3).join('/'));
    expect(paths).toHaveLength(5);
    expect(paths.slice(0, 4)).toEqual(Array(4).fill('/v1/predictions'));
    expect(paths[4]).toMatch(/^\/files\/[0-9a-f]+$/);
  });

  it('fails with the classified error when the prediction fails', async () => {
    const call = newCall();
    fake.failWith = 'NSFW content detected';
    const error = await rejection(adapter.generateImage!({ model: 'a/b', prompt: 'x', n: 1 }, call));
    expect(error.kind).toBe('content_filter');
  });

  it('downloads files from an allowed foreign origin without the key, and skips other origins', async () => {
    const call = newCall();
    fake.outputOrigin = delivery.origin;
    const withDelivery = createReplicateAdapter({
      downloadDispatcher: downloadAgent,
      extraOutputOrigins: [delivery.origin],
    });
    const before = delivery.requests.length;
    const result = await withDelivery.generateImage!({ model: 'a/b', prompt: 'x', n: 1 }, call);
    expect(result.images).toHaveLength(1);
    const [download] = delivery.requests.slice(before);
    expect(download!.url).toMatch(/^\/files\/[0-9a-f]+\/0\.png$/);
    expect(download!.headers.authorization).toBeUndefined();
    // Without the origin on the list, the URL is not fetched at all.
    const strict = createReplicateAdapter({ downloadDispatcher: downloadAgent });
    const skipped = await strict.generateImage!({ model: 'a/b', prompt: 'x', n: 1 }, call);
    expect(skipped.images).toEqual([]);
    expect(delivery.requests.length).toBe(before + 1);
  });

  it('rejects a size that is not WIDTHxHEIGHT', async () => {
    const call = newCall();
    expect(
      (await rejection(adapter.generateImage!({ model: 'a/b', prompt: 'x', n: 1, size: 'big' }, call))).kind,
    ).toBe('bad_request');
  });
});

describe('replicate errors', () => {
  it.each([
    [401, 'auth', false],
    [402, 'bad_request', false],
    [404, 'bad_request', false],
    [422, 'bad_request', false],
    [429, 'rate_limited', true],
    [500, 'server', true],
    [503, 'overloaded', true],
  ] as const)('maps a %i on create to %s', async (status, kind, retryable) => {
    const call = newCall();
    fake.enqueue({ status, retryAfterSeconds: status === 429 ? 2 : undefined });
    const error = await rejection(
      adapter.startJob!({ model: 'a/b', modality: 'image', input: { prompt: 'x' } }, call),
    );
    expect(error.kind).toBe(kind);
    expect(error.isRetryable).toBe(retryable);
    expect(error.status).toBe(status);
    expect(error.retryAfterMs).toBe(status === 429 ? 2_000 : undefined);
    expect(error.options.providerCode).toBeTypeOf('string');
    expect(error.message).not.toContain('test-key-not-secret');
  });

  it('maps the real 422 body of an input the model rejects', async () => {
    const call = newCall();
    const error = await rejection(
      adapter.startJob!({ model: 'a/b', modality: 'image', input: { steps: 3 } }, call),
    );
    expect(error.kind).toBe('bad_request');
    expect(error.options.providerCode).toBe('Input validation failed');
    expect(error.message).toBe('replicate answered 422: - input: prompt is required');
  });

  it('reports a body that is not JSON as malformed and a cut body as interrupted', async () => {
    const call = newCall();
    fake.enqueue({ malformed: true });
    const malformed = await rejection(
      adapter.startJob!({ model: 'a/b', modality: 'image', input: { prompt: 'x' } }, call),
    );
    expect(malformed.kind).toBe('malformed');
    fake.enqueue({ cutHalfway: true });
    const cut = await rejection(adapter.generateImage!({ model: 'a/b', prompt: 'x', n: 1 }, call));
    expect(cut.kind).toBe('interrupted');
  });

  it('aborts a hanging create and closes the connection', async () => {
    const call = newCall();
    const closes = fake.requests.filter((request) => request.closedByClient).length;
    fake.enqueue({ hang: true });
    const pending = adapter.generateImage!({ model: 'a/b', prompt: 'x', n: 1 }, call);
    setTimeout(() => call.controller.abort(), 50);
    const error = await rejection(pending);
    expect(error.kind).toBe('aborted');
    await fake.waitForClientCloses(closes + 1);
  });

  it('cancels the prediction upstream when the caller aborts while it runs', async () => {
    const call = newCall();
    fake.waitCompletes = false;
    fake.readsToFinish = 1_000;
    const before = fake.requests.length;
    const pending = adapter.generateImage!({ model: 'a/b', prompt: 'x', n: 1 }, call);
    setTimeout(() => call.controller.abort(), 60);
    const error = await rejection(pending);
    expect(error.kind).toBe('aborted');
    const sent = requestsSince(before);
    const created = sent[0]!;
    expect(created.url).toBe('/v1/models/a/b/predictions');
    expect(sent.at(-1)!.url).toMatch(/^\/v1\/predictions\/[0-9a-f]+\/cancel$/);
  });

  it('fails the poll with the download’s status when an output file cannot be fetched', async () => {
    const call = newCall();
    const { upstreamId } = await adapter.startJob!(
      { model: 'minimax/video-01', modality: 'video', input: { prompt: 'x' } },
      call,
    );
    await adapter.pollJob!(upstreamId, call);
    fake.enqueue({}, { status: 503 });
    const error = await rejection(adapter.pollJob!(upstreamId, call));
    expect(error.kind).toBe('overloaded');
    expect(error.isRetryable).toBe(true);
    // The next poll downloads it again.
    expect(await adapter.pollJob!(upstreamId, call)).toMatchObject({ state: 'succeeded' });
  });

  it('refuses an output file larger than the cap', async () => {
    const call = newCall();
    const small = createReplicateAdapter({ maxOutputBytes: 100 });
    const { upstreamId } = await small.startJob!(
      { model: 'minimax/video-01', modality: 'video', input: { prompt: 'x' } },
      call,
    );
    await small.pollJob!(upstreamId, call);
    expect((await rejection(small.pollJob!(upstreamId, call))).kind).toBe('malformed');
  });

  it('aborts a slow output download and closes its connection', async () => {
    const call = newCall();
    const { upstreamId } = await adapter.startJob!(
      { model: 'minimax/video-01', modality: 'video', input: { prompt: 'x' } },
      call,
    );
    await adapter.pollJob!(upstreamId, call);
    const closes = fake.requests.filter((request) => request.closedByClient).length;
    fake.enqueue({}, { chunkDelayMs: 200 });
    const pending = adapter.pollJob!(upstreamId, call);
    setTimeout(() => call.controller.abort(), 100);
    const error = await rejection(pending);
    expect(error.kind).toBe('aborted');
    await fake.waitForClientCloses(closes + 1);
  });
});

describe('progressFromLogs', () => {
  it('takes the last percentage written', () => {
    expect(progressFromLogs('  0%|    | 0/20\n 45%|███▌ | 9/20\n 47.5%|')).toBe(47.5);
    expect(progressFromLogs('loading weights\n')).toBeUndefined();
    expect(progressFromLogs('')).toBeUndefined();
    expect(progressFromLogs(null)).toBeUndefined();
  });
});
