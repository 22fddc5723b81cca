import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fakeReplyText } from '../fakes/fake-server.js';
import { type TestCall, testCallOptions } from '../fakes/test-call-options.js';
import { rejection } from '../fakes/test-outcomes.js';
import { parseMultipart } from '../http/multipart.js';
import type { SpeechRequest, TranscriptionRequest } from '../spec.js';
import { createElevenLabsAdapter } from './elevenlabs-provider.js';
import { type FakeElevenLabs, startFakeElevenLabs } from './fake-elevenlabs.js';

let fake: FakeElevenLabs;
const calls: TestCall[] = [];
const adapter = createElevenLabsAdapter();

beforeAll(async () => {
  fake = await startFakeElevenLabs();
});

afterAll(async () => {
  for (const call of calls) await call.pool.close();
  await fake.close();
});

beforeEach(() => {
  fake.billedCharacters = undefined;
});

function newCall(): TestCall {
  const call = testCallOptions('elevenlabs', fake.baseUrl);
  calls.push(call);
  return call;
}

const speech: SpeechRequest = {
  model: 'eleven_multilingual_v2',
  input: 'Hello there, general.',
  voice: '21m00Tcm4TlvDq8ikWAM',
  format: 'mp3',
};

const transcription: TranscriptionRequest = {
  model: 'scribe_v1',
  audio: Buffer.from('the quick brown fox'),
  filename: 'note.mp3',
  mediaType: 'audio/mpeg',
};

describe('elevenlabs speech', () => {
  it('posts the text, model and voice with the key and returns the audio', async () => {
    const call = newCall();
    const before = fake.requests.length;
    const result = await adapter.speak!({ ...speech, speed: 1.1 }, call);
    const [sent] = fake.requests.slice(before);
    expect(sent!.method).toBe('POST');
    expect(sent!.url).toBe('/v1/text-to-speech/21m00Tcm4TlvDq8ikWAM?output_format=mp3_44100_128');
    expect(sent!.headers['xi-api-key']).toBe('test-key-not-secret');
    expect(sent!.headers.authorization).toBeUndefined();
    expect(sent!.body).toEqual({
      text: 'Hello there, general.',
      model_id: 'eleven_multilingual_v2',
      voice_settings: { speed: 1.1 },
    });
    expect(result.mediaType).toBe('audio/mpeg');
    expect(result.audio.subarray(0, 3).toString('latin1')).toBe('ID3');
    expect(result.audio.toString('utf8')).toContain('Hello there, general.');
    expect(result.characters).toBe(21);
  });

  it('leaves voice_settings out without a speed and escapes the voice id in the path', async () => {
    const call = newCall();
    const before = fake.requests.length;
    await adapter.speak!({ ...speech, voice: 'a/b?c' }, call);
    const [sent] = fake.requests.slice(before);
    expect(sent!.url).toBe('/v1/text-to-speech/a%2Fb%3Fc?output_format=mp3_44100_128');
    expect(sent!.body).toEqual({ text: 'Hello there, general.', model_id: 'eleven_multilingual_v2' });
  });

  it.each([
    ['mp3', 'mp3_44100_128', 'audio/mpeg'],
    ['opus', 'opus_48000_128', 'audio/opus'],
    ['pcm', 'pcm_24000', 'audio/pcm'],
    ['wav', 'wav_24000', 'audio/wav'],
    ['mp3_22050_32', 'mp3_22050_32', 'audio/mpeg'],
    ['pcm_16000', 'pcm_16000', 'audio/pcm'],
  ])('maps the format %s to output_format=%s', async (format, outputFormat, mediaType) => {
    const call = newCall();
    const before = fake.requests.length;
    const result = await adapter.speak!({ ...speech, format }, call);
    expect(fake.requests[before]!.url).toBe(
      `/v1/text-to-speech/21m00Tcm4TlvDq8ikWAM?output_format=${outputFormat}`,
    );
    expect(result.mediaType).toBe(mediaType);
  });

  it('refuses formats ElevenLabs cannot produce, before any request', async () => {
    const call = newCall();
    const before = fake.requests.length;
    for (const format of ['aac', 'flac', 'mp3_1_1']) {
      expect((await rejection(adapter.speak!({ ...speech, format }, call))).kind).toBe('bad_request');
    }
    expect(fake.requests.length).toBe(before);
  });

  it('bills the characters ElevenLabs reports, else the input length in code points', async () => {
    const call = newCall();
    fake.billedCharacters = 40;
    expect((await adapter.speak!(speech, call)).characters).toBe(40);
    fake.enqueue({ omitUsage: true });
    expect((await adapter.speak!({ ...speech, input: 'héllo 👋' }, call)).characters).toBe(7);
  });

  it('treats a non-audio or empty answer as malformed and a cut one as interrupted', async () => {
    const call = newCall();
    fake.enqueue({ malformed: true });
    expect((await rejection(adapter.speak!(speech, call))).kind).toBe('malformed');
    fake.enqueue({ empty: true });
    expect((await rejection(adapter.speak!(speech, call))).kind).toBe('malformed');
    fake.enqueue({ cutHalfway: true });
    expect((await rejection(adapter.speak!(speech, call))).kind).toBe('interrupted');
  });

  it('aborts a slow answer and closes the connection', async () => {
    const call = newCall();
    const closes = fake.requests.filter((request) => request.closedByClient).length;
    fake.enqueue({ chunkDelayMs: 200 });
    const pending = adapter.speak!(speech, call);
    setTimeout(() => call.controller.abort(), 100);
    expect((await rejection(pending)).kind).toBe('aborted');
    await fake.waitForClientCloses(closes + 1);
  });

  it('aborts while waiting for the first byte', async () => {
    const call = newCall();
    const before = fake.requests.length;
    fake.enqueue({ hang: true });
    const pending = adapter.speak!(speech, call);
    // The fake records a request once its body has arrived; under load that can come after the next
    // test counted the requests, unless the abort waits for it.
    await expect.poll(() => fake.requests.length).toBe(before + 1);
    call.controller.abort();
    expect((await rejection(pending)).kind).toBe('aborted');
  });
});

describe('elevenlabs transcription', () => {
  it('uploads the file as multipart and maps text, language and duration', async () => {
    const call = newCall();
    const before = fake.requests.length;
    const result = await adapter.transcribe!({ ...transcription, language: 'en', prompt: 'ignored' }, call);
    const [sent] = fake.requests.slice(before);
    expect(sent!.url).toBe('/v1/speech-to-text');
    expect(sent!.headers['xi-api-key']).toBe('test-key-not-secret');
    const parts = parseMultipart(sent!.rawBody, String(sent!.headers['content-type']));
    expect(parts.map((part) => [part.name, part.filename, part.mediaType])).toEqual([
      ['model_id', undefined, undefined],
      ['file', 'note.mp3', 'audio/mpeg'],
      ['language_code', undefined, undefined],
    ]);
    expect(parts[0]!.data.toString()).toBe('scribe_v1');
    expect(parts[1]!.data.equals(transcription.audio)).toBe(true);
    expect(parts[2]!.data.toString()).toBe('en');
    const text = fakeReplyText('the quick brown fox', 'elevenlabs');
    const words = text.split(' ').length;
    expect(result).toEqual({
      text,
      language: 'en',
      // 0.2 s lead-in, 0.4 s a word, 0.1 s between words.
      durationSeconds: Math.round((0.2 + words * 0.4 + (words - 1) * 0.1) * 1000) / 1000,
    });
  });

  it('reports ElevenLabs’ detected language and no duration for silence', async () => {
    const call = newCall();
    fake.enqueue({ empty: true });
    expect(await adapter.transcribe!(transcription, call)).toEqual({ text: '', language: 'eng' });
  });

  it('treats a body that is not JSON as malformed and a cut one as interrupted', async () => {
    const call = newCall();
    fake.enqueue({ malformed: true });
    expect((await rejection(adapter.transcribe!(transcription, call))).kind).toBe('malformed');
    fake.enqueue({ cutHalfway: true });
    expect((await rejection(adapter.transcribe!(transcription, call))).kind).toBe('interrupted');
  });
});

describe('elevenlabs errors', () => {
  it.each([
    [400, 'bad_request', false, 'invalid_request'],
    [401, 'auth', false, 'invalid_api_key'],
    [422, 'bad_request', false, 'missing'],
    [429, 'rate_limited', true, 'too_many_concurrent_requests'],
    [500, 'server', true, undefined],
    [503, 'overloaded', true, 'system_busy'],
  ] as const)('maps a %i to %s', async (status, kind, retryable, code) => {
    const call = newCall();
    fake.enqueue({ status, retryAfterSeconds: status === 429 ? 3 : undefined });
    const error = await rejection(adapter.speak!(speech, call));
    expect(error.kind).toBe(kind);
    expect(error.isRetryable).toBe(retryable);
    expect(error.status).toBe(status);
    expect(error.retryAfterMs).toBe(status === 429 ? 3_000 : undefined);
    expect(error.options.providerCode).toBe(code);
    expect(error.message).not.toContain('Hello there');
    expect(error.message).not.toContain('test-key-not-secret');
  });

  it('reads the FastAPI validation list and the string detail into the message', async () => {
    const call = newCall();
    fake.enqueue({ status: 422 });
    expect((await rejection(adapter.transcribe!(transcription, call))).message).toBe(
      'elevenlabs answered 422: model_id: Field required',
    );
    fake.enqueue({ status: 500 });
    expect((await rejection(adapter.transcribe!(transcription, call))).message).toBe(
      'elevenlabs answered 500: Internal Server Error',
    );
  });

  it('answers 401 when the deployment has no key', async () => {
    const call = testCallOptions('elevenlabs', fake.baseUrl, { apiKey: undefined });
    calls.push(call);
    expect((await rejection(adapter.speak!(speech, call))).kind).toBe('auth');
  });
});
