import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeServer, fakeTokenCount } from '../fakes/fake-server.js';
import { type TestCall, testCallOptions } from '../fakes/test-call-options.js';
import { rejection } from '../fakes/test-outcomes.js';
import { FAKE_PNG_BASE64, FAKE_REFUSAL_TRIGGER, fakeVector, startFakeOpenAi } from './fake-openai.js';
import { createOpenAiAdapter } from './openai-provider.js';

const adapter = createOpenAiAdapter();
let fake: FakeServer & { baseUrl: string };
let call: TestCall;

beforeAll(async () => {
  fake = await startFakeOpenAi();
  call = testCallOptions('openai', fake.baseUrl);
});

afterAll(async () => {
  await call.pool.close();
  await fake.close();
});

function lastRequest() {
  return fake.requests.at(-1)!;
}

/** The fields of a multipart body, split on its boundary. */
function formFields(raw: Buffer, contentType: string): Map<string, { value: Buffer; header: string }> {
  const boundary = /boundary=(.+)$/.exec(contentType)![1]!;
  const fields = new Map<string, { value: Buffer; header: string }>();
  const sections = raw.toString('latin1').split(`--${boundary}`).slice(1, -1);
  for (const section of sections) {
    const [header = '', ...rest] = section.slice(2, -2).split('\r\n\r\n');
    const name = /name="([^"]+)"/.exec(header)![1]!;
    fields.set(name, { header, value: Buffer.from(rest.join('\r\n\r\n'), 'latin1') });
  }
  return fields;
}

describe('OpenAI embeddings', () => {
  it('sends floats and dimensions and returns one vector per input, in order', async () => {
    const result = await adapter.embed!(
      { model: 'text-embedding-3-small', input: ['first', 'second'], dimensions: 4, user: 'u1' },
      call,
    );
    expect(lastRequest().url).toBe('/v1/embeddings');
    expect(lastRequest().body).toEqual({
      model: 'text-embedding-3-small',
      input: ['first', 'second'],
      dimensions: 4,
      encoding_format: 'float',
      user: 'u1',
    });
    expect(result).toEqual({
      embeddings: [
        fakeVector('text-embedding-3-small\0first', 4),
        fakeVector('text-embedding-3-small\0second', 4),
      ],
      usage: { inputTokens: fakeTokenCount('first second') },
    });
  });

  it('fails an answer with missing vectors as malformed, and maps 429', async () => {
    fake.enqueue({ empty: true }, { status: 429, retryAfterSeconds: 3 });
    expect(
      (await rejection(adapter.embed!({ model: 'text-embedding-3-small', input: ['a'] }, call))).kind,
    ).toBe('malformed');
    const limited = await rejection(adapter.embed!({ model: 'text-embedding-3-small', input: ['a'] }, call));
    expect(limited).toMatchObject({ kind: 'rate_limited', retryAfterMs: 3000 });
  });
});

describe('OpenAI images', () => {
  it('asks gpt-image models without response_format and returns PNG bytes with token usage', async () => {
    const result = await adapter.generateImage!(
      {
        model: 'gpt-image-1',
        prompt: 'a red fox',
        n: 2,
        size: '1024x1024',
        quality: 'low',
        style: 'vivid',
        seed: 3,
      },
      call,
    );
    expect(lastRequest().body).toEqual({
      model: 'gpt-image-1',
      prompt: 'a red fox',
      n: 2,
      size: '1024x1024',
      quality: 'low',
    });
    expect(result.images).toHaveLength(2);
    expect(result.images[0]).toEqual({
      data: Buffer.from(FAKE_PNG_BASE64, 'base64'),
      mediaType: 'image/png',
    });
    expect(result.images[0]!.data.subarray(1, 4).toString()).toBe('PNG');
    expect(result.usage).toEqual({ inputTokens: fakeTokenCount('a red fox'), outputTokens: 544 });
  });

  it('asks DALL-E for base64 and keeps the revised prompt', async () => {
    const result = await adapter.generateImage!(
      { model: 'dall-e-3', prompt: 'a fox', n: 1, style: 'natural' },
      call,
    );
    expect(lastRequest().body).toEqual({
      model: 'dall-e-3',
      prompt: 'a fox',
      n: 1,
      style: 'natural',
      response_format: 'b64_json',
    });
    expect(result.images[0]).toMatchObject({ mediaType: 'image/png', revisedPrompt: 'A picture of a fox' });
    expect(result.usage).toBeUndefined();
  });

  it('maps a moderation refusal to content_filter', async () => {
    const error = await rejection(
      adapter.generateImage!({ model: 'gpt-image-1', prompt: FAKE_REFUSAL_TRIGGER, n: 1 }, call),
    );
    expect(error).toMatchObject({ kind: 'content_filter', isRetryable: false, status: 400 });
  });

  it('returns no images for an empty answer, and fails malformed and cut bodies', async () => {
    fake.enqueue({ empty: true }, { malformed: true }, { cutHalfway: true });
    const request = { model: 'gpt-image-1', prompt: 'x', n: 1 };
    expect((await adapter.generateImage!(request, call)).images).toEqual([]);
    expect((await rejection(adapter.generateImage!(request, call))).kind).toBe('malformed');
    expect((await rejection(adapter.generateImage!(request, call))).kind).toBe('interrupted');
  });
});

describe('OpenAI speech', () => {
  it('sends the speech request and returns the audio with its media type and character count', async () => {
    const result = await adapter.speak!(
      {
        model: 'gpt-4o-mini-tts',
        input: 'héllo 👋',
        voice: 'alloy',
        format: 'mp3',
        speed: 1.25,
        instructions: 'Cheerful.',
      },
      call,
    );
    expect(lastRequest().url).toBe('/v1/audio/speech');
    expect(lastRequest().body).toEqual({
      model: 'gpt-4o-mini-tts',
      input: 'héllo 👋',
      voice: 'alloy',
      response_format: 'mp3',
      speed: 1.25,
      instructions: 'Cheerful.',
    });
    expect(result.audio.subarray(0, 9).toString()).toBe('FAKE-MP3:');
    expect(result.mediaType).toBe('audio/mpeg');
    expect(result.characters).toBe(7);
  });

  it('names the media type by format', async () => {
    const result = await adapter.speak!({ model: 'tts-1', input: 'hi', voice: 'nova', format: 'opus' }, call);
    expect(result.mediaType).toBe('audio/ogg');
  });

  it('fails a JSON body, no audio, a cut body and a 500', async () => {
    fake.enqueue({ malformed: true }, { empty: true }, { cutHalfway: true }, { status: 500 });
    const request = { model: 'tts-1', input: 'hi there', voice: 'nova', format: 'wav' };
    expect((await rejection(adapter.speak!(request, call))).kind).toBe('malformed');
    expect((await rejection(adapter.speak!(request, call))).kind).toBe('malformed');
    expect((await rejection(adapter.speak!(request, call))).kind).toBe('interrupted');
    expect((await rejection(adapter.speak!(request, call))).kind).toBe('server');
  });
});

describe('OpenAI transcription', () => {
  const audio = Buffer.from([0, 1, 2, 13, 10, 45, 45, 255, 254, 0]);

  it('sends multipart form data and maps token usage (gpt-4o-transcribe)', async () => {
    const result = await adapter.transcribe!(
      {
        model: 'gpt-4o-transcribe',
        audio,
        filename: 'my "clip"\r\n.wav',
        mediaType: 'audio/wav',
        language: 'en',
        prompt: 'Names: Zoë.',
        temperature: 0,
      },
      call,
    );
    expect(result).toEqual({
      text: 'fake transcription',
      usage: { inputTokens: 14, outputTokens: fakeTokenCount('fake transcription') },
    });
    const request = lastRequest();
    const contentType = String(request.headers['content-type']);
    expect(contentType).toMatch(/^multipart\/form-data; boundary=----mixgate-[0-9a-f]{32}$/);
    const fields = formFields(request.rawBody, contentType);
    expect([...fields.keys()].sort()).toEqual([
      'file',
      'language',
      'model',
      'prompt',
      'response_format',
      'temperature',
    ]);
    expect(fields.get('model')!.value.toString()).toBe('gpt-4o-transcribe');
    expect(fields.get('response_format')!.value.toString()).toBe('json');
    expect(fields.get('language')!.value.toString()).toBe('en');
    expect(fields.get('prompt')!.value.toString('utf8')).toBe('Names: Zoë.');
    expect(fields.get('temperature')!.value.toString()).toBe('0');
    expect(fields.get('file')!.value).toEqual(audio);
    expect(fields.get('file')!.header).toContain('filename="my _clip___.wav"');
    expect(fields.get('file')!.header).toContain('Content-Type: audio/wav');
    const boundary = contentType.slice('multipart/form-data; boundary='.length);
    const field = (name: string, value: string) =>
      `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
    expect(request.rawBody).toEqual(
      Buffer.concat([
        Buffer.from(
          field('model', 'gpt-4o-transcribe') +
            field('response_format', 'json') +
            field('language', 'en') +
            field('prompt', 'Names: Zoë.') +
            field('temperature', '0') +
            `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="my _clip___.wav"\r\n` +
            'Content-Type: audio/wav\r\n\r\n',
        ),
        audio,
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]),
    );
  });

  it('asks whisper-1 for verbose_json to learn the duration and language', async () => {
    const result = await adapter.transcribe!(
      { model: 'whisper-1', audio, filename: 'a.mp3', mediaType: 'audio/mpeg', language: 'de' },
      call,
    );
    const fields = formFields(lastRequest().rawBody, String(lastRequest().headers['content-type']));
    expect(fields.get('response_format')!.value.toString()).toBe('verbose_json');
    expect(result).toEqual({ text: 'fake transcription', language: 'de', durationSeconds: 2.5 });
  });

  it('maps errors', async () => {
    fake.enqueue({ status: 503 });
    const error = await rejection(
      adapter.transcribe!({ model: 'whisper-1', audio, filename: 'a.mp3', mediaType: 'audio/mpeg' }, call),
    );
    expect(error).toMatchObject({ kind: 'overloaded', isRetryable: true });
  });

  it('sends a media type that is not type/subtype as application/octet-stream, and names a nameless file', async () => {
    await adapter.transcribe!({ model: 'whisper-1', audio, filename: '', mediaType: 'bad type' }, call);
    const fields = formFields(lastRequest().rawBody, String(lastRequest().headers['content-type']));
    expect(fields.get('file')!.header).toBe(
      'Content-Disposition: form-data; name="file"; filename="audio"\r\nContent-Type: application/octet-stream',
    );
    expect(fields.get('file')!.value).toEqual(audio);
  });
});
