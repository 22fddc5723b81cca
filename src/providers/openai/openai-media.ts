/**
 * OpenAI's other modalities: embeddings, image generation, speech and transcription
 * (https://platform.openai.com/docs/api-reference). Compatible servers offering some of them reuse
 * these with their own MediaDialect.
 */
import { buildMultipart, type MultipartField } from '../http/multipart.js';
import { readBody, sendUpstream, sendUpstreamJson } from '../http/upstream.js';
import type {
  CallOptions,
  EmbeddingRequest,
  EmbeddingResult,
  ImageRequest,
  ImageResult,
  SpeechRequest,
  SpeechResult,
  TranscriptionRequest,
  TranscriptionResult,
  Usage,
} from '../spec.js';
import { ProviderError } from '../spec.js';
import { ZOpenAiEmbeddingResponse, ZOpenAiImagesResponse, ZOpenAiTranscription } from './openai-api-types.js';
import type { OpenAiEndpoint } from './openai-chat.js';
import { readOpenAiError, refineOpenAiError } from './openai-error.js';

export interface MediaDialect extends OpenAiEndpoint {
  /** Ask for float vectors explicitly: OpenAI's own SDK asks for base64 unless told otherwise. */
  embeddingEncodingFormat: boolean;
  /** The field for shortened vectors (Mistral: output_dimension); absent when unsupported. */
  dimensionsField?: 'dimensions' | 'output_dimension';
  userField?: 'user';
  /** verbose_json gives whisper's duration and language; gpt-4o-transcribe refuses it. */
  verboseTranscription(model: string): boolean;
}

export async function openAiEmbed(
  request: EmbeddingRequest,
  call: CallOptions,
  dialect: MediaDialect,
): Promise<EmbeddingResult> {
  const body: Record<string, unknown> = { model: request.model, input: request.input };
  if (request.dimensions !== undefined && dialect.dimensionsField)
    body[dialect.dimensionsField] = request.dimensions;
  if (dialect.embeddingEncodingFormat) body.encoding_format = 'float';
  if (request.user !== undefined && dialect.userField) body[dialect.userField] = request.user;
  const answer = await guarded(dialect, call, () =>
    sendUpstreamJson(
      dialect.provider,
      call,
      { path: '/embeddings', headers: dialect.headers(call.deployment), body },
      ZOpenAiEmbeddingResponse,
      readOpenAiError,
    ),
  );
  // `index` says which input each vector belongs to; the order of `data` is not promised.
  const vectors = [...answer.data].sort((a, b) => a.index - b.index);
  if (vectors.length !== request.input.length || vectors.some((item, i) => item.index !== i)) {
    throw new ProviderError(
      'malformed',
      `${dialect.provider} answered ${vectors.length} embeddings for ${request.input.length} inputs`,
    );
  }
  const result: EmbeddingResult = { embeddings: vectors.map((item) => item.embedding) };
  if (answer.usage?.prompt_tokens != null) result.usage = { inputTokens: answer.usage.prompt_tokens };
  return result;
}

const IMAGE_TYPES: Record<string, string> = { png: 'image/png', jpeg: 'image/jpeg', webp: 'image/webp' };

/**
 * gpt-image models always answer base64 and reject `response_format` (400 unknown_parameter);
 * DALL-E answers URLs that expire after an hour unless asked for `b64_json`. `style` is DALL-E 3's
 * only; negative prompts and seeds have no OpenAI equivalent and are not sent.
 */
export async function openAiGenerateImage(
  request: ImageRequest,
  call: CallOptions,
  dialect: MediaDialect,
): Promise<ImageResult> {
  const dallE = request.model.startsWith('dall-e');
  const body: Record<string, unknown> = { model: request.model, prompt: request.prompt, n: request.n };
  if (request.size !== undefined) body.size = request.size;
  if (request.quality !== undefined) body.quality = request.quality;
  if (request.style !== undefined && dallE) body.style = request.style;
  if (request.user !== undefined) body.user = request.user;
  if (dallE) body.response_format = 'b64_json';
  const answer = await guarded(dialect, call, () =>
    sendUpstreamJson(
      dialect.provider,
      call,
      { path: '/images/generations', headers: dialect.headers(call.deployment), body },
      ZOpenAiImagesResponse,
      readOpenAiError,
    ),
  );
  const mediaType = IMAGE_TYPES[answer.output_format ?? 'png'] ?? 'image/png';
  const images = (answer.data ?? []).map((image) => {
    if (!image.b64_json) {
      throw new ProviderError('malformed', `${dialect.provider} answered an image without its bytes`);
    }
    return {
      data: Buffer.from(image.b64_json, 'base64'),
      mediaType,
      ...(image.revised_prompt ? { revisedPrompt: image.revised_prompt } : {}),
    };
  });
  const result: ImageResult = { images };
  if (answer.usage) {
    const usage: Usage = { inputTokens: answer.usage.input_tokens, outputTokens: answer.usage.output_tokens };
    const cached = answer.usage.input_tokens_details?.cached_tokens ?? 0;
    if (cached > 0) usage.cachedInputTokens = cached;
    result.usage = usage;
  }
  return result;
}

/** pcm is raw 24 kHz 16-bit little-endian samples, without a container. */
const AUDIO_TYPES: Record<string, string> = {
  mp3: 'audio/mpeg',
  opus: 'audio/ogg',
  aac: 'audio/aac',
  flac: 'audio/flac',
  wav: 'audio/wav',
  pcm: 'audio/pcm',
};

export async function openAiSpeak(
  request: SpeechRequest,
  call: CallOptions,
  dialect: MediaDialect,
): Promise<SpeechResult> {
  const body: Record<string, unknown> = {
    model: request.model,
    input: request.input,
    voice: request.voice,
    response_format: request.format,
  };
  if (request.speed !== undefined) body.speed = request.speed;
  if (request.instructions !== undefined) body.instructions = request.instructions;
  const audio = await guarded(dialect, call, async () => {
    const response = await sendUpstream(
      dialect.provider,
      call,
      { path: '/audio/speech', headers: dialect.headers(call.deployment), body },
      readOpenAiError,
    );
    const contentType = String(response.headers['content-type'] ?? '');
    if (contentType.includes('json') || contentType.startsWith('text/')) {
      // dump() reads a little and closes; a bare destroy() would surface as an unhandled error.
      await response.body.dump({ limit: 64 * 1024 }).catch(() => undefined);
      throw new ProviderError('malformed', `${dialect.provider} answered ${contentType} instead of audio`);
    }
    return readBody(dialect.provider, response.body, undefined, call.signal);
  });
  if (audio.length === 0) throw new ProviderError('malformed', `${dialect.provider} answered no audio`);
  return {
    audio,
    mediaType: AUDIO_TYPES[request.format] ?? 'application/octet-stream',
    // Billing counts characters, not UTF-16 code units.
    characters: [...request.input].length,
  };
}

export async function openAiTranscribe(
  request: TranscriptionRequest,
  call: CallOptions,
  dialect: MediaDialect,
): Promise<TranscriptionResult> {
  const fields: MultipartField[] = [
    { name: 'model', value: request.model },
    {
      name: 'response_format',
      value: dialect.verboseTranscription(request.model) ? 'verbose_json' : 'json',
    },
  ];
  if (request.language !== undefined) fields.push({ name: 'language', value: request.language });
  if (request.prompt !== undefined) fields.push({ name: 'prompt', value: request.prompt });
  if (request.temperature !== undefined)
    fields.push({ name: 'temperature', value: String(request.temperature) });
  const form = buildMultipart([
    ...fields,
    {
      name: 'file',
      filename: uploadFilename(request.filename),
      mediaType: uploadMediaType(request.mediaType),
      data: request.audio,
    },
  ]);
  const answer = await guarded(dialect, call, () =>
    sendUpstreamJson(
      dialect.provider,
      call,
      {
        path: '/audio/transcriptions',
        headers: { ...dialect.headers(call.deployment), 'content-type': form.contentType },
        body: form.body,
      },
      ZOpenAiTranscription,
      readOpenAiError,
    ),
  );
  const result: TranscriptionResult = { text: answer.text };
  if (answer.language) result.language = answer.language;
  const seconds = answer.duration ?? (answer.usage?.type === 'duration' ? answer.usage.seconds : undefined);
  if (seconds != null) result.durationSeconds = seconds;
  if (answer.usage?.type === 'tokens' && answer.usage.input_tokens != null) {
    result.usage = { inputTokens: answer.usage.input_tokens, outputTokens: answer.usage.output_tokens ?? 0 };
  }
  return result;
}

/**
 * OpenAI tells the audio format from the file name's extension, so a name is always sent. Quotes,
 * backslashes and line breaks become `_`, leaving the extension readable where the shared builder
 * would percent-escape them.
 */
function uploadFilename(filename: string): string {
  return filename.replace(/["\\\r\n]/g, '_') || 'audio';
}

/** A media type that is not plainly `type/subtype` goes as a generic binary file. */
function uploadMediaType(mediaType: string): string {
  return /^[\w.+-]+\/[\w.+-]+$/.test(mediaType) ? mediaType : 'application/octet-stream';
}

async function guarded<T>(dialect: MediaDialect, call: CallOptions, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw refineOpenAiError(dialect.provider, error, call.signal);
  }
}
