/**
 * The OpenAI media endpoints: /v1/embeddings, /v1/images/generations, /v1/audio/speech and
 * /v1/audio/transcriptions (multipart), each metered like chat (held, settled, recorded).
 */
import multipart from '@fastify/multipart';
import { z } from 'zod';
import { requireApiKeyOrSession } from '../../accounts/authenticate.js';
import type { App, AppContext } from '../../app-context.js';
import type { CatalogModel } from '../../catalog/catalog-schema.js';
import { countTokens } from '../../catalog/count-tokens.js';
import { embeddingCost, imageCost, speechCost, transcriptionCost } from '../../catalog/prices.js';
import { MixgateError } from '../../lib/errors.js';
import type { ImageRequest, ImageResult, SpeechRequest, SpeechResult } from '../../providers/spec.js';
import { type MediaSpec, requireMethod, runMedia } from '../media/run-media.js';
import {
  type ParsedMediaRequest,
  parseOpenAiEmbeddingRequest,
  parseOpenAiImageRequest,
  parseOpenAiSpeechRequest,
  parseOpenAiTranscriptionRequest,
  type UploadedAudio,
} from '../protocols/openai/openai-media-requests.js';
import {
  toOpenAiEmbeddingList,
  toOpenAiImagesResponse,
  toOpenAiTranscription,
} from '../protocols/openai/openai-media-responses.js';
import { GATEWAY_BODY_LIMIT_BYTES } from './chat-routes.js';

/** OpenAI's own limit for transcription uploads. */
const MAX_AUDIO_BYTES = 25 * 1024 * 1024;
/** Audio is at least 8 kbit/s (1 KB per second): a bound on the seconds of an upload we hold for. */
const AUDIO_BYTES_PER_SECOND_FLOOR = 1_000;
const MAX_AUDIO_SECONDS = 3 * 3600;
/** Transcript tokens per second of speech, generously: fast speech is about 4 tokens per second. */
const TRANSCRIPT_TOKENS_PER_SECOND = 10;
/** Audio input tokens per second for token-priced transcription (gpt-4o-transcribe bills about 10). */
const AUDIO_TOKENS_PER_SECOND = 50;

const AUDIO_MEDIA_TYPES: Record<string, string> = {
  mp3: 'audio/mpeg',
  opus: 'audio/ogg',
  aac: 'audio/aac',
  flac: 'audio/flac',
  wav: 'audio/wav',
  pcm: 'audio/pcm',
};

const ZAnyBody = z.unknown();

export async function registerMediaRoutes(app: App, ctx: AppContext): Promise<void> {
  const guard = requireApiKeyOrSession(ctx, 'inference');
  const docs = (summary: string) => ({
    tags: ['openai-compatible'],
    summary,
    security: [{ apiKey: [] }],
    body: ZAnyBody,
  });

  app.post(
    '/v1/embeddings',
    { bodyLimit: GATEWAY_BODY_LIMIT_BYTES, preHandler: guard, schema: docs('Embeddings (OpenAI format)') },
    async (request, reply) => {
      const parsed = parseOpenAiEmbeddingRequest(request.body);
      const bound = parsed.request.input.reduce((sum, text) => sum + Buffer.byteLength(text, 'utf8'), 0);
      const answer = await runMedia(ctx, request, reply, {
        kind: 'embedding',
        modality: 'embedding',
        routing: parsed.routing,
        worstCase: (model) => embeddingCost(model, bound),
        invoke: (adapter, model, call) =>
          requireMethod(adapter, adapter.embed, 'embeddings').call(
            adapter,
            { ...parsed.request, model },
            call,
          ),
        price: async (model, result) => {
          // Counted once, when the provider reported none: the answer's usage is this one.
          const inputTokens =
            result.usage?.inputTokens ?? (await countTokens(parsed.request.input.join('\n')));
          return {
            cost: embeddingCost(model, inputTokens),
            usage: { inputTokens, outputTokens: 0, estimated: result.usage === undefined },
            empty: result.embeddings.length === 0,
          };
        },
      });
      return toOpenAiEmbeddingList(answer.result, {
        model: answer.model.id,
        inputTokens: answer.usage?.inputTokens ?? 0,
        cost: answer.cost,
        encodingFormat: parsed.encodingFormat,
      });
    },
  );

  app.post(
    '/v1/images/generations',
    {
      bodyLimit: GATEWAY_BODY_LIMIT_BYTES,
      preHandler: guard,
      schema: docs('Image generation (OpenAI format)'),
    },
    async (request, reply) => {
      const answer = await runMedia(ctx, request, reply, imageGenerationSpec(request.body).spec);
      return toOpenAiImagesResponse(answer.result, {
        created: Math.floor(answer.createdAt.getTime() / 1000),
        cost: answer.cost,
      });
    },
  );

  app.post(
    '/v1/audio/speech',
    {
      bodyLimit: GATEWAY_BODY_LIMIT_BYTES,
      preHandler: guard,
      schema: docs('Text to speech (OpenAI format)'),
    },
    async (request, reply) => {
      const { request: speech, spec } = speechSpec(request.body);
      const answer = await runMedia(ctx, request, reply, spec);
      reply.header('content-type', speechMediaType(answer.result, speech.format));
      return reply.send(answer.result.audio);
    },
  );

  await app.register(async (scope) => {
    await scope.register(multipart, { limits: { fileSize: MAX_AUDIO_BYTES, files: 1, fields: 20 } });
    scope.post(
      '/v1/audio/transcriptions',
      {
        preHandler: guard,
        schema: {
          tags: ['openai-compatible'],
          summary: 'Speech to text (OpenAI format, multipart)',
          security: [{ apiKey: [] }],
        },
      },
      async (request, reply) => {
        if (!request.isMultipart()) {
          throw new MixgateError(
            'unsupported_media_type',
            'Send the audio as multipart/form-data with a "file" field',
          );
        }
        const fields: Record<string, string> = {};
        let file: UploadedAudio | undefined;
        for await (const part of request.parts()) {
          if (part.type === 'file') {
            if (part.fieldname !== 'file')
              throw new MixgateError('invalid_request', `Unexpected file field "${part.fieldname}"`);
            const data = await part.toBuffer();
            if (part.file.truncated) {
              throw new MixgateError(
                'payload_too_large',
                `The audio file is larger than ${MAX_AUDIO_BYTES} bytes`,
              );
            }
            file = {
              data,
              filename: part.filename || 'audio',
              mediaType: part.mimetype || 'application/octet-stream',
            };
          } else if (typeof part.value === 'string') {
            fields[part.fieldname] = part.value;
          }
        }
        const parsed = parseOpenAiTranscriptionRequest(fields, file);
        const seconds = Math.min(
          MAX_AUDIO_SECONDS,
          Math.ceil(parsed.request.audio.length / AUDIO_BYTES_PER_SECOND_FLOOR),
        );
        const answer = await runMedia(ctx, request, reply, {
          kind: 'transcription',
          modality: 'transcription',
          routing: parsed.routing,
          worstCase: (model) => transcriptionWorstCase(model, seconds),
          invoke: (adapter, model, call) =>
            requireMethod(adapter, adapter.transcribe, 'transcription').call(
              adapter,
              { ...parsed.request, model },
              call,
            ),
          price: (model, result) => ({
            cost: transcriptionCost(model, {
              seconds: result.durationSeconds ?? seconds,
              usage: result.usage,
            }),
            usage: result.usage,
            units: result.durationSeconds === undefined ? undefined : { seconds: result.durationSeconds },
            empty: result.text.trim() === '',
          }),
        });
        const body = toOpenAiTranscription(answer.result, {
          responseFormat: parsed.responseFormat,
          cost: answer.cost,
        });
        if (typeof body === 'string') reply.header('content-type', 'text/plain; charset=utf-8');
        return body;
      },
    );
  });
}

/**
 * POST /v1/images/generations as a media spec: the OpenAI body parsed (a 400 naming the field),
 * n images held for, only those that came back charged. Also built by the studio from its form.
 */
export function imageGenerationSpec(body: unknown): {
  request: ParsedMediaRequest<ImageRequest>['request'];
  spec: MediaSpec<ImageResult>;
} {
  const parsed = parseOpenAiImageRequest(body);
  const { n, size, quality } = parsed.request;
  const spec: MediaSpec<ImageResult> = {
    kind: 'image',
    modality: 'image',
    routing: parsed.routing,
    worstCase: (model) => imageCost(model, { n, size, quality }),
    invoke: (adapter, model, call) =>
      requireMethod(adapter, adapter.generateImage, 'image generation').call(
        adapter,
        { ...parsed.request, model },
        call,
      ),
    price: (model, result) => ({
      // Only the images that came back are charged, at most the n that were held for.
      cost: imageCost(model, {
        n: Math.min(result.images.length, n),
        size,
        quality,
        usage: result.usage,
      }),
      usage: result.usage,
      units: { images: result.images.length },
      empty: result.images.length === 0,
    }),
  };
  return { request: parsed.request, spec };
}

/** POST /v1/audio/speech as a media spec, charged per character spoken. Also built by the studio. */
export function speechSpec(body: unknown): {
  request: ParsedMediaRequest<SpeechRequest>['request'];
  spec: MediaSpec<SpeechResult>;
} {
  const parsed = parseOpenAiSpeechRequest(body);
  const characters = [...parsed.request.input].length;
  const spec: MediaSpec<SpeechResult> = {
    kind: 'speech',
    modality: 'speech',
    routing: parsed.routing,
    worstCase: (model) => speechCost(model, characters),
    invoke: (adapter, model, call) =>
      requireMethod(adapter, adapter.speak, 'speech').call(adapter, { ...parsed.request, model }, call),
    price: (model, result) => ({
      cost: speechCost(model, Math.min(result.characters, characters)),
      units: { characters: result.characters },
      empty: result.audio.length === 0,
    }),
  };
  return { request: parsed.request, spec };
}

/** The audio's media type: the provider's, else the one of the format asked for. */
export function speechMediaType(result: SpeechResult, format: string): string {
  return result.mediaType || AUDIO_MEDIA_TYPES[format] || 'audio/mpeg';
}

/** Token-priced models (gpt-4o-transcribe) by a generous token bound, the others by time. */
function transcriptionWorstCase(model: CatalogModel, seconds: number): bigint {
  const { perSecond, perMinute, perHour, inputPer1M, outputPer1M } = model.pricing;
  if (perSecond ?? perMinute ?? perHour) return transcriptionCost(model, { seconds });
  if (inputPer1M && outputPer1M) {
    return transcriptionCost(model, {
      usage: {
        inputTokens: seconds * AUDIO_TOKENS_PER_SECOND,
        outputTokens: seconds * TRANSCRIPT_TOKENS_PER_SECOND,
      },
    });
  }
  return transcriptionCost(model, { seconds });
}
