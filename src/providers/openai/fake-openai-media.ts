/**
 * The OpenAI fake's other endpoints: /v1/embeddings, /v1/images/generations, /v1/audio/speech and
 * /v1/audio/transcriptions, with the refusals OpenAI gives there.
 */
import { createHash } from 'node:crypto';
import { type FakeExchange, fakeTokenCount } from '../fakes/fake-server.js';
import { parseMultipart } from '../http/multipart.js';
import { FAKE_REFUSAL_TRIGGER } from './fake-openai-chat.js';
import { fail } from './fake-openai-error.js';

/** A valid 1x1 PNG. */
export const FAKE_PNG_BASE64 =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

export function answerEmbeddings(exchange: FakeExchange) {
  const body = exchange.request.body as {
    model?: string;
    input?: unknown;
    dimensions?: number;
    encoding_format?: string;
  };
  const inputs = typeof body.input === 'string' ? [body.input] : body.input;
  if (!Array.isArray(inputs) || inputs.length === 0 || inputs.some((input) => typeof input !== 'string')) {
    return fail(exchange, 'openai', 400, "'input' must be a string or an array of strings.", {
      param: 'input',
    });
  }
  const dimensions = body.dimensions ?? 8;
  const data = exchange.scenario.empty
    ? []
    : (inputs as string[]).map((input, index) => ({
        object: 'embedding',
        index,
        embedding: fakeVector(`${body.model}\0${input}`, dimensions),
      }));
  const tokens = fakeTokenCount((inputs as string[]).join(' '));
  exchange.send(200, {
    object: 'list',
    data,
    model: body.model,
    ...(!exchange.scenario.omitUsage && { usage: { prompt_tokens: tokens, total_tokens: tokens } }),
  });
}

/** Deterministic values in [-1, 1] from a hash of the text. */
export function fakeVector(text: string, dimensions: number): number[] {
  const bytes = createHash('sha256').update(text).digest();
  return Array.from(
    { length: dimensions },
    (_, i) => Math.round((bytes[i % bytes.length]! / 127.5 - 1) * 1e6) / 1e6,
  );
}

export function answerImages(exchange: FakeExchange) {
  const body = exchange.request.body as Record<string, unknown>;
  const model = String(body.model ?? 'dall-e-2');
  const gptImage = model.startsWith('gpt-image');
  for (const param of gptImage ? ['response_format', 'style'] : []) {
    if (body[param] !== undefined) {
      return fail(exchange, 'openai', 400, `Unknown parameter: '${param}'.`, {
        param,
        code: 'unknown_parameter',
      });
    }
  }
  const prompt = String(body.prompt ?? '');
  if (prompt.includes(FAKE_REFUSAL_TRIGGER)) {
    const code = gptImage ? 'moderation_blocked' : 'content_policy_violation';
    return fail(exchange, 'openai', 400, 'Your request was rejected by the safety system.', { code });
  }
  const n = Number(body.n ?? 1);
  const asUrl = !gptImage && body.response_format !== 'b64_json';
  const data = exchange.scenario.empty
    ? []
    : Array.from({ length: n }, () => ({
        ...(asUrl
          ? { url: `http://${exchange.request.headers.host}/fake.png` }
          : { b64_json: FAKE_PNG_BASE64 }),
        ...(model === 'dall-e-3' && { revised_prompt: `A picture of ${prompt}` }),
      }));
  const promptTokens = fakeTokenCount(prompt);
  const usage = {
    input_tokens: promptTokens,
    input_tokens_details: { text_tokens: promptTokens, image_tokens: 0 },
    output_tokens: 272 * n,
    total_tokens: promptTokens + 272 * n,
  };
  exchange.send(200, {
    created: 1_770_000_000,
    data,
    ...(gptImage && { background: 'opaque', output_format: 'png', quality: 'low', size: '1024x1024' }),
    ...(gptImage && !exchange.scenario.omitUsage && { usage }),
  });
}

const AUDIO_CONTENT_TYPES: Record<string, string> = {
  mp3: 'audio/mpeg',
  opus: 'audio/ogg',
  aac: 'audio/aac',
  flac: 'audio/flac',
  wav: 'audio/wav',
  pcm: 'audio/pcm',
};

export function answerSpeech(exchange: FakeExchange) {
  const body = exchange.request.body as { input?: unknown; voice?: unknown; response_format?: string };
  if (typeof body.input !== 'string' || body.input === '' || typeof body.voice !== 'string') {
    return fail(exchange, 'openai', 400, "Missing required parameter: 'input' or 'voice'.");
  }
  const format = body.response_format ?? 'mp3';
  const audio = exchange.scenario.empty
    ? Buffer.alloc(0)
    : Buffer.concat([
        Buffer.from(`FAKE-${format.toUpperCase()}:`),
        createHash('sha256').update(body.input).digest(),
      ]);
  // A malformed answer is the base's broken JSON, labelled as JSON: nothing can tell bad audio bytes.
  const headers: Record<string, string> = exchange.scenario.malformed
    ? {}
    : { 'content-type': AUDIO_CONTENT_TYPES[format] ?? 'application/octet-stream' };
  exchange.send(200, audio, headers);
}

export function answerTranscription(exchange: FakeExchange) {
  const { request, scenario } = exchange;
  const parts = formParts(request.rawBody, String(request.headers['content-type'] ?? ''));
  const model = parts.get('model')?.toString('utf8');
  const file = parts.get('file');
  if (!model || !file || file.length === 0) {
    return fail(exchange, 'openai', 400, "Missing required parameter: 'file' or 'model'.");
  }
  const format = parts.get('response_format')?.toString('utf8') ?? 'json';
  if (format === 'verbose_json' && model.startsWith('gpt-4o')) {
    const message = `response_format 'verbose_json' is not compatible with model '${model}'. Use 'json' or 'text' instead.`;
    return fail(exchange, 'openai', 400, message, { param: 'response_format', code: 'unsupported_value' });
  }
  const text = scenario.empty ? '' : (scenario.text ?? 'fake transcription');
  const usage = !model.startsWith('gpt-4o')
    ? { type: 'duration', seconds: 3 }
    : {
        type: 'tokens',
        input_tokens: 14,
        input_token_details: { text_tokens: 0, audio_tokens: 14 },
        output_tokens: fakeTokenCount(text),
        total_tokens: 14 + fakeTokenCount(text),
      };
  const answer =
    format === 'verbose_json'
      ? {
          task: 'transcribe',
          language: parts.get('language')?.toString('utf8') ?? 'english',
          duration: 2.5,
          text,
          segments: [],
        }
      : { text };
  exchange.send(200, { ...answer, ...(!scenario.omitUsage && { usage }) });
}

/** A form's parts by name; none when the body is not multipart/form-data. */
function formParts(body: Buffer, contentType: string): Map<string, Buffer> {
  try {
    return new Map(parseMultipart(body, contentType).map((part) => [part.name, part.data]));
  } catch {
    return new Map();
  }
}
