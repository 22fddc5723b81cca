/**
 * A fake ElevenLabs on 127.0.0.1: POST /v1/text-to-speech/{voice_id}?output_format=... answers
 * audio bytes (a format header followed by the input text, so a test can tell answers apart) with
 * the `request-id`, `x-character-count` and `character-cost` headers; POST /v1/speech-to-text reads
 * the multipart upload and "transcribes" the file's bytes as UTF-8 into Scribe's JSON, word timings
 * included. Errors use ElevenLabs' bodies. Used by tests and benchmarks, never by the product.
 */
import { randomBytes } from 'node:crypto';
import {
  type FakeExchange,
  type FakeServer,
  fakeReplyText,
  sendScenarioError,
  startFakeServer,
} from '../fakes/fake-server.js';
import { type MultipartPart, parseMultipart } from '../http/multipart.js';
import { ELEVENLABS_OUTPUT_FORMAT } from './elevenlabs-api-types.js';

export interface FakeElevenLabs extends FakeServer {
  /** `origin + '/v1'`, the deployment's base URL. */
  baseUrl: string;
  /** When set, the cost headers report this many characters (a voice with a rate multiplier). */
  billedCharacters: number | undefined;
}

/** The first bytes of each audio family, so the answers look like what they claim to be. */
const HEADERS: Record<string, { mediaType: string; header: Buffer }> = {
  mp3: {
    mediaType: 'audio/mpeg',
    header: Buffer.from('ID3\x04\x00\x00\x00\x00\x00\x00\xff\xfb\x90\x64', 'latin1'),
  },
  opus: { mediaType: 'audio/ogg', header: Buffer.from('OggS\x00\x02', 'latin1') },
  pcm: { mediaType: 'audio/pcm', header: Buffer.alloc(0) },
  wav: { mediaType: 'audio/wav', header: Buffer.from('RIFF\x00\x00\x00\x00WAVEfmt ', 'latin1') },
  ulaw: { mediaType: 'audio/basic', header: Buffer.alloc(0) },
  alaw: { mediaType: 'audio/basic', header: Buffer.alloc(0) },
};

export async function startFakeElevenLabs(): Promise<FakeElevenLabs> {
  const holder: { fake?: FakeElevenLabs } = {};
  const server = await startFakeServer((exchange) => handle(exchange, holder.fake!));
  const fake: FakeElevenLabs = Object.assign(server, {
    baseUrl: `${server.origin}/v1`,
    billedCharacters: undefined,
  });
  holder.fake = fake;
  return fake;
}

async function handle(exchange: FakeExchange, fake: FakeElevenLabs): Promise<void> {
  const { request, scenario } = exchange;
  if (scenario.status && sendScenarioError(exchange, errorBody(scenario.status))) return;
  if (!request.headers['xi-api-key']) {
    exchange.send(401, errorBody(401));
    return;
  }
  const url = new URL(request.url, 'http://fake');
  const speech = /^\/v1\/text-to-speech\/([^/]+)$/.exec(url.pathname);
  if (request.method === 'POST' && speech) {
    await speak(exchange, fake, url.searchParams.get('output_format') ?? 'mp3_44100_128');
    return;
  }
  if (request.method === 'POST' && url.pathname === '/v1/speech-to-text') {
    transcribe(exchange);
    return;
  }
  exchange.send(404, { detail: 'Not Found' });
}

async function speak(exchange: FakeExchange, fake: FakeElevenLabs, outputFormat: string): Promise<void> {
  const body = exchange.request.body as { text?: unknown; model_id?: unknown } | null;
  if (!ELEVENLABS_OUTPUT_FORMAT.test(outputFormat)) {
    exchange.send(400, {
      detail: { status: 'invalid_output_format', message: 'The requested output format is not supported.' },
    });
    return;
  }
  if (!body || typeof body.text !== 'string' || body.text === '') {
    exchange.send(422, { detail: [{ loc: ['body', 'text'], msg: 'Field required', type: 'missing' }] });
    return;
  }
  const family = HEADERS[outputFormat.split('_')[0]!]!;
  const audio = exchange.scenario.empty
    ? Buffer.alloc(0)
    : Buffer.concat([family.header, Buffer.from(body.text, 'utf8')]);
  const headers: Record<string, string> = {
    'content-type': family.mediaType,
    'request-id': randomBytes(10).toString('hex'),
  };
  if (!exchange.scenario.omitUsage) {
    const characters = String(fake.billedCharacters ?? [...body.text].length);
    headers['x-character-count'] = characters;
    headers['character-cost'] = characters;
  }
  if (exchange.scenario.malformed) {
    // A JSON body where audio was promised, as a misrouted proxy would answer.
    exchange.send(200, '{"detail": "brok');
    return;
  }
  await exchange.sendBinary(audio, headers);
}

function transcribe(exchange: FakeExchange): void {
  const { request, scenario } = exchange;
  let parts: MultipartPart[];
  try {
    parts = parseMultipart(request.rawBody, String(request.headers['content-type'] ?? ''));
  } catch {
    exchange.send(400, { detail: { status: 'invalid_request', message: 'Expected multipart/form-data.' } });
    return;
  }
  const field = (name: string) => parts.find((part) => part.name === name);
  const missing = ['model_id', 'file'].filter((name) => !field(name));
  if (missing.length > 0) {
    exchange.send(422, {
      detail: missing.map((name) => ({ loc: ['body', name], msg: 'Field required', type: 'missing' })),
    });
    return;
  }
  const language = field('language_code')?.data.toString('utf8');
  const text = scenario.empty
    ? ''
    : (scenario.text ?? fakeReplyText(field('file')!.data.toString('utf8'), 'elevenlabs'));
  exchange.send(200, {
    language_code: language ?? 'eng',
    language_probability: language ? 1 : 0.98,
    text,
    words: timedWords(text),
    transcription_id: randomBytes(10).toString('hex'),
  });
}

/** Scribe's word list: words of 0.4 s with 0.1 s spacing entries between them, from 0.2 s. */
function timedWords(text: string): Array<Record<string, unknown>> {
  const words: Array<Record<string, unknown>> = [];
  let time = 0.2;
  const round = (value: number) => Math.round(value * 1000) / 1000;
  for (const [index, word] of (text.match(/\S+/g) ?? []).entries()) {
    if (index > 0) {
      words.push({
        text: ' ',
        start: round(time),
        end: round(time + 0.1),
        type: 'spacing',
        speaker_id: 'speaker_0',
        logprob: 0,
      });
      time += 0.1;
    }
    words.push({
      text: word,
      start: round(time),
      end: round(time + 0.4),
      type: 'word',
      speaker_id: 'speaker_0',
      logprob: 0,
    });
    time += 0.4;
  }
  return words;
}

/** ElevenLabs' error bodies: `detail.status` codes, FastAPI's list for a 422, a string for a 500. */
function errorBody(status: number): unknown {
  switch (status) {
    case 401:
      return { detail: { status: 'invalid_api_key', message: 'Invalid API key' } };
    case 422:
      return { detail: [{ loc: ['body', 'model_id'], msg: 'Field required', type: 'missing' }] };
    case 429:
      return {
        detail: {
          status: 'too_many_concurrent_requests',
          message: 'Too many concurrent requests. Your plan allows 2 at a time.',
        },
      };
    case 500:
      return { detail: 'Internal Server Error' };
    case 503:
      return { detail: { status: 'system_busy', message: 'The system is experiencing heavy traffic.' } };
    default:
      return { detail: { status: 'invalid_request', message: `Fake ElevenLabs error ${status}.` } };
  }
}
