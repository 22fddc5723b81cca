/**
 * The OpenAI media endpoints' answers (https://platform.openai.com/docs/api-reference):
 * embedding lists, image generations and transcriptions. Each `usage` carries `cost`, the charged
 * amount, as chat answers do; token or duration fields appear when the provider reported them.
 * Speech answers are the audio bytes themselves, sent with SpeechResult.mediaType.
 */
import { z } from 'zod';
import { amountAsJsonNumber } from '../../../lib/money.js';
import type { EmbeddingResult, ImageResult, TranscriptionResult } from '../../../providers/spec.js';
import type { OpenAiEmbeddingEncoding, OpenAiTranscriptionFormat } from './openai-media-requests.js';

// ---------------------------------------------------------------------------------------------
// Embeddings

export const ZOpenAiEmbeddingList = z.object({
  object: z.literal('list'),
  data: z.array(
    z.object({
      object: z.literal('embedding'),
      index: z.number(),
      embedding: z.union([z.array(z.number()), z.string()]),
    }),
  ),
  model: z.string(),
  usage: z.object({ prompt_tokens: z.number(), total_tokens: z.number(), cost: z.number() }),
});
export type TOpenAiEmbeddingList = z.infer<typeof ZOpenAiEmbeddingList>;

export function toOpenAiEmbeddingList(
  result: EmbeddingResult,
  meta: { model: string; inputTokens: number; cost: string; encodingFormat: OpenAiEmbeddingEncoding },
): TOpenAiEmbeddingList {
  return {
    object: 'list',
    data: result.embeddings.map((vector, index) => ({
      object: 'embedding',
      index,
      embedding: meta.encodingFormat === 'base64' ? float32Base64(vector) : vector,
    })),
    model: meta.model,
    usage: {
      prompt_tokens: meta.inputTokens,
      total_tokens: meta.inputTokens,
      cost: amountAsJsonNumber(meta.cost),
    },
  };
}

/** OpenAI's base64 encoding: the vector as little-endian float32 values, whatever the machine's order. */
function float32Base64(vector: number[]): string {
  const bytes = Buffer.alloc(vector.length * 4);
  for (const [index, value] of vector.entries()) bytes.writeFloatLE(value, index * 4);
  return bytes.toString('base64');
}

// ---------------------------------------------------------------------------------------------
// Images

export const ZOpenAiImagesResponse = z.object({
  created: z.number(),
  data: z.array(z.object({ b64_json: z.string(), revised_prompt: z.string().optional() })),
  output_format: z.enum(['png', 'jpeg', 'webp']).optional(),
  usage: z.object({
    input_tokens: z.number().optional(),
    output_tokens: z.number().optional(),
    total_tokens: z.number().optional(),
    cost: z.number(),
  }),
});
export type TOpenAiImagesResponse = z.infer<typeof ZOpenAiImagesResponse>;

const OUTPUT_FORMATS: Record<string, 'png' | 'jpeg' | 'webp'> = {
  'image/png': 'png',
  'image/jpeg': 'jpeg',
  'image/webp': 'webp',
};

export function toOpenAiImagesResponse(
  result: ImageResult,
  meta: { created: number; cost: string },
): TOpenAiImagesResponse {
  // gpt-image-1 names the format of its base64 images; clients need it to save them.
  const formats = new Set(result.images.map((image) => OUTPUT_FORMATS[image.mediaType]));
  const [format] = formats;
  return {
    created: meta.created,
    data: result.images.map((image) => ({
      b64_json: image.data.toString('base64'),
      ...(image.revisedPrompt === undefined ? {} : { revised_prompt: image.revisedPrompt }),
    })),
    ...(formats.size === 1 && format ? { output_format: format } : {}),
    usage: {
      ...(result.usage
        ? {
            input_tokens: result.usage.inputTokens,
            output_tokens: result.usage.outputTokens,
            total_tokens: result.usage.inputTokens + result.usage.outputTokens,
          }
        : {}),
      cost: amountAsJsonNumber(meta.cost),
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Transcriptions

const ZTranscriptionUsage = z.union([
  z.object({
    type: z.literal('tokens'),
    input_tokens: z.number(),
    output_tokens: z.number(),
    total_tokens: z.number(),
    cost: z.number(),
  }),
  z.object({ type: z.literal('duration'), seconds: z.number(), cost: z.number() }),
  z.object({ cost: z.number() }),
]);

export const ZOpenAiTranscription = z.object({
  text: z.string(),
  usage: ZTranscriptionUsage,
});

/** verbose_json; OpenAI's segments and words are not offered (no provider of ours returns them alike). */
export const ZOpenAiVerboseTranscription = ZOpenAiTranscription.extend({
  task: z.literal('transcribe'),
  language: z.string().optional(),
  duration: z.number().optional(),
});

/** The answer for `response_format`: an object for json and verbose_json, the bare text for text. */
export function toOpenAiTranscription(
  result: TranscriptionResult,
  meta: { responseFormat: OpenAiTranscriptionFormat; cost: string },
): string | z.infer<typeof ZOpenAiTranscription> | z.infer<typeof ZOpenAiVerboseTranscription> {
  if (meta.responseFormat === 'text') return result.text;
  const cost = amountAsJsonNumber(meta.cost);
  const usage = result.usage
    ? {
        type: 'tokens' as const,
        input_tokens: result.usage.inputTokens,
        output_tokens: result.usage.outputTokens,
        total_tokens: result.usage.inputTokens + result.usage.outputTokens,
        cost,
      }
    : result.durationSeconds === undefined
      ? { cost }
      : { type: 'duration' as const, seconds: result.durationSeconds, cost };
  if (meta.responseFormat === 'json') return { text: result.text, usage };
  return {
    task: 'transcribe',
    ...(result.language === undefined ? {} : { language: result.language }),
    ...(result.durationSeconds === undefined ? {} : { duration: result.durationSeconds }),
    text: result.text,
    usage,
  };
}
