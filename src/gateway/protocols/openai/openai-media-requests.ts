/**
 * The OpenAI media endpoints' requests, parsed into the internal spec minus `model` (the catalog
 * maps it to the provider's id) plus the routing: /v1/embeddings, /v1/images/generations,
 * /v1/audio/speech (https://platform.openai.com/docs/api-reference) and the form fields of
 * /v1/audio/transcriptions. As for chat, unknown fields are ignored, a known field with a wrong
 * value is a 400 naming it, and what we cannot honour yet is refused rather than dropped.
 */
import { z } from 'zod';
import type {
  EmbeddingRequest,
  ImageRequest,
  SpeechRequest,
  TranscriptionRequest,
} from '../../../providers/spec.js';
import { type RoutingRequest, ZRoutingFields } from '../../routing/routing-request.js';
import { defined, routingModels, ZEndUserId } from './openai-chat-request.js';
import { invalidParam, invalidRequest } from './openai-error-body.js';

export interface ParsedMediaRequest<Request extends { model: string }> {
  routing: RoutingRequest;
  request: Omit<Request, 'model'>;
}

const ZRoutedModel = { ...ZRoutingFields.shape, model: z.string().min(1).nullish() };

function parseWith<Schema extends z.ZodType>(schema: Schema, body: unknown): z.output<Schema> {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw invalidRequest(parsed.error);
  return parsed.data;
}

function routingOf(body: {
  model?: string | null;
  models?: string[];
  provider?: RoutingRequest['provider'];
}) {
  const routing: RoutingRequest = { models: routingModels(body.model, body.models) };
  return body.provider ? { ...routing, provider: body.provider } : routing;
}

// ---------------------------------------------------------------------------------------------
// Embeddings

/** `base64` is what the OpenAI SDKs ask for by default: little-endian float32 vectors, base64-encoded. */
export type OpenAiEmbeddingEncoding = 'float' | 'base64';

export const ZOpenAiEmbeddingRequest = z.object({
  ...ZRoutedModel,
  // OpenAI refuses empty strings and more than 2048 inputs.
  input: z.union([z.string().min(1), z.array(z.string().min(1)).min(1).max(2048)]),
  dimensions: z.int().positive('must be a positive integer').nullish(),
  encoding_format: z.enum(['float', 'base64']).nullish(),
  user: ZEndUserId.nullish(),
});

export function parseOpenAiEmbeddingRequest(
  body: unknown,
): ParsedMediaRequest<EmbeddingRequest> & { encodingFormat: OpenAiEmbeddingEncoding } {
  // Token ids only mean something to the tokenizer of one model family; other providers need text.
  if (isTokenArray(body)) throw invalidParam('input', 'token arrays are not supported; send the text');
  const parsed = parseWith(ZOpenAiEmbeddingRequest, body);
  return {
    routing: routingOf(parsed),
    request: {
      input: typeof parsed.input === 'string' ? [parsed.input] : parsed.input,
      ...defined('dimensions', parsed.dimensions),
      ...defined('user', parsed.user),
    },
    encodingFormat: parsed.encoding_format ?? 'float',
  };
}

function isTokenArray(body: unknown): boolean {
  if (typeof body !== 'object' || body === null || !('input' in body) || !Array.isArray(body.input)) {
    return false;
  }
  const [first] = body.input as unknown[];
  return typeof first === 'number' || Array.isArray(first);
}

// ---------------------------------------------------------------------------------------------
// Images

export const ZOpenAiImageRequest = z.object({
  ...ZRoutedModel,
  prompt: z.string().min(1).max(32_000),
  n: z.int().min(1).max(10).nullish(),
  size: z
    .string()
    .regex(/^(?:\d{2,5}x\d{2,5}|auto)$/, "must be 'WIDTHxHEIGHT' (e.g. '1024x1024') or 'auto'")
    .nullish(),
  quality: z.enum(['auto', 'standard', 'hd', 'low', 'medium', 'high']).nullish(),
  style: z.enum(['vivid', 'natural']).nullish(),
  response_format: z.enum(['b64_json', 'url']).nullish(),
  user: ZEndUserId.nullish(),
  // Mixgate's additions for the models that take them (Stability, Replicate).
  negative_prompt: z.string().max(10_000).nullish(),
  seed: z.int().min(0).nullish(),
});

export function parseOpenAiImageRequest(body: unknown): ParsedMediaRequest<ImageRequest> {
  const parsed = parseWith(ZOpenAiImageRequest, body);
  if (parsed.response_format === 'url') {
    // A URL answer needs the images stored and served by us; until then only b64_json.
    throw invalidParam('response_format', "'url' is not supported yet; use 'b64_json'");
  }
  return {
    routing: routingOf(parsed),
    request: {
      prompt: parsed.prompt,
      n: parsed.n ?? 1,
      // 'auto' is each model's own default, the same as not asking.
      ...(parsed.size && parsed.size !== 'auto' ? { size: parsed.size } : {}),
      ...(parsed.quality && parsed.quality !== 'auto' ? { quality: parsed.quality } : {}),
      ...defined('style', parsed.style),
      ...defined('negativePrompt', parsed.negative_prompt),
      ...defined('seed', parsed.seed),
      ...defined('user', parsed.user),
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Speech

export const ZOpenAiSpeechRequest = z.object({
  ...ZRoutedModel,
  input: z.string().min(1).max(4096),
  // A built-in voice name, another provider's voice id, or OpenAI's custom voice object.
  voice: z.union([z.string().min(1), z.object({ id: z.string().min(1) })]),
  response_format: z.enum(['mp3', 'opus', 'aac', 'flac', 'wav', 'pcm']).nullish(),
  speed: z.number().min(0.25).max(4).nullish(),
  instructions: z.string().max(4096).nullish(),
  stream_format: z.enum(['audio', 'sse']).nullish(),
});

export function parseOpenAiSpeechRequest(body: unknown): ParsedMediaRequest<SpeechRequest> {
  const parsed = parseWith(ZOpenAiSpeechRequest, body);
  if (parsed.stream_format === 'sse') {
    throw invalidParam('stream_format', "'sse' is not supported yet; use 'audio'");
  }
  return {
    routing: routingOf(parsed),
    request: {
      input: parsed.input,
      voice: typeof parsed.voice === 'string' ? parsed.voice : parsed.voice.id,
      format: parsed.response_format ?? 'mp3',
      ...defined('speed', parsed.speed),
      ...defined('instructions', parsed.instructions),
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Transcriptions

export type OpenAiTranscriptionFormat = 'json' | 'text' | 'verbose_json';

/** The text fields of the multipart form; numbers and booleans arrive as strings. */
export const ZOpenAiTranscriptionFields = z.object({
  model: z.string().min(1),
  language: z.string().min(2).max(16).nullish(),
  prompt: z.string().max(10_000).nullish(),
  temperature: z.coerce.number().min(0).max(1).nullish(),
  response_format: z
    .enum(['json', 'text', 'verbose_json'], { error: "must be one of 'json', 'text', 'verbose_json'" })
    .nullish(),
  stream: z
    .union([z.boolean(), z.enum(['true', 'false'])])
    .refine(
      (stream) => stream !== true && stream !== 'true',
      'streaming transcriptions are not supported yet',
    )
    .nullish(),
});

/** The uploaded audio, as the multipart parser read it. */
export interface UploadedAudio {
  data: Buffer;
  filename: string;
  mediaType: string;
}

export function parseOpenAiTranscriptionRequest(
  fields: unknown,
  file: UploadedAudio | undefined,
): ParsedMediaRequest<TranscriptionRequest> & { responseFormat: OpenAiTranscriptionFormat } {
  const parsed = parseWith(ZOpenAiTranscriptionFields, fields);
  if (!file) throw invalidParam('file', 'is required');
  if (file.data.length === 0) throw invalidParam('file', 'is empty');
  return {
    routing: { models: [parsed.model] },
    request: {
      audio: file.data,
      filename: file.filename,
      mediaType: file.mediaType,
      ...defined('language', parsed.language),
      ...defined('prompt', parsed.prompt),
      ...defined('temperature', parsed.temperature),
    },
    responseFormat: parsed.response_format ?? 'json',
  };
}
