/**
 * ElevenLabs: text-to-speech (POST /text-to-speech/{voice_id}, audio bytes back) and speech-to-text
 * (POST /speech-to-text, a multipart upload, Scribe's JSON back). The key goes in `xi-api-key`.
 */
import { buildMultipart, type MultipartField } from '../http/multipart.js';
import { parseUpstreamJson, readBody, sendUpstream, type UpstreamResponse } from '../http/upstream.js';
import type {
  CallOptions,
  ProviderAdapter,
  SpeechRequest,
  SpeechResult,
  TranscriptionRequest,
  TranscriptionResult,
} from '../spec.js';
import { ProviderError } from '../spec.js';
import {
  ELEVENLABS_OUTPUT_FORMAT,
  type ElevenLabsSpeechBody,
  type TElevenLabsTranscription,
  ZElevenLabsTranscription,
} from './elevenlabs-api-types.js';
import { readElevenLabsError } from './elevenlabs-error.js';

const PROVIDER = 'elevenlabs';

/**
 * Our formats (OpenAI's names) as ElevenLabs output formats. pcm is 24 kHz like OpenAI's raw PCM;
 * wav is 24 kHz too, because wav_44100 and pcm_44100 need a Pro subscription. ElevenLabs has no
 * aac or flac: those are refused rather than silently answered in another format.
 */
const FORMATS: Record<string, { outputFormat: string; mediaType: string }> = {
  mp3: { outputFormat: 'mp3_44100_128', mediaType: 'audio/mpeg' },
  opus: { outputFormat: 'opus_48000_128', mediaType: 'audio/opus' },
  pcm: { outputFormat: 'pcm_24000', mediaType: 'audio/pcm' },
  wav: { outputFormat: 'wav_24000', mediaType: 'audio/wav' },
  ulaw: { outputFormat: 'ulaw_8000', mediaType: 'audio/basic' },
  alaw: { outputFormat: 'alaw_8000', mediaType: 'audio/x-alaw-basic' },
};

export function createElevenLabsAdapter(): ProviderAdapter {
  return {
    provider: PROVIDER,

    async speak(request: SpeechRequest, call: CallOptions): Promise<SpeechResult> {
      if (!request.voice) throw new ProviderError('bad_request', 'elevenlabs needs a voice id');
      const format = outputFormat(request.format);
      const body: ElevenLabsSpeechBody = { text: request.input, model_id: request.model };
      if (request.speed !== undefined) body.voice_settings = { speed: request.speed };
      const response = await sendUpstream(
        PROVIDER,
        call,
        {
          method: 'POST',
          path: `/text-to-speech/${encodeURIComponent(request.voice)}?output_format=${format.outputFormat}`,
          headers: { ...auth(call), accept: `${format.mediaType}, audio/*` },
          body,
        },
        readElevenLabsError,
      );
      const contentType = single(response.headers['content-type']) ?? '';
      if (!/^(audio\/|application\/octet-stream)/i.test(contentType)) {
        discard(response.body);
        throw new ProviderError(
          'malformed',
          `elevenlabs answered ${contentType || 'no content type'} instead of audio`,
          {
            status: response.status,
          },
        );
      }
      const audio = await readBody(PROVIDER, response.body, undefined, call.signal);
      if (audio.length === 0) {
        throw new ProviderError('malformed', 'elevenlabs answered with no audio', {
          status: response.status,
        });
      }
      return {
        audio,
        mediaType: format.mediaType,
        characters: billedCharacters(response.headers, request.input),
      };
    },

    async transcribe(request: TranscriptionRequest, call: CallOptions): Promise<TranscriptionResult> {
      const fields: MultipartField[] = [
        { name: 'model_id', value: request.model },
        { name: 'file', filename: request.filename, mediaType: request.mediaType, data: request.audio },
      ];
      if (request.language) fields.push({ name: 'language_code', value: request.language });
      const { body, contentType } = buildMultipart(fields);
      const response = await sendUpstream(
        PROVIDER,
        call,
        {
          method: 'POST',
          path: '/speech-to-text',
          headers: { ...auth(call), 'content-type': contentType, accept: 'application/json' },
          body,
        },
        readElevenLabsError,
      );
      const bytes = await readBody(PROVIDER, response.body, 16 * 1024 * 1024, call.signal);
      const transcript = parseUpstreamJson(
        PROVIDER,
        bytes.toString('utf8'),
        ZElevenLabsTranscription,
        response.status,
      );
      const result: TranscriptionResult = { text: transcript.text };
      if (transcript.language_code) result.language = transcript.language_code;
      const duration = durationSeconds(transcript);
      if (duration !== undefined) result.durationSeconds = duration;
      return result;
    },
  };
}

function outputFormat(format: string): { outputFormat: string; mediaType: string } {
  const ours = FORMATS[format];
  if (ours) return ours;
  // ElevenLabs' own names (mp3_22050_32, pcm_16000...) pass through for clients that know them.
  if (ELEVENLABS_OUTPUT_FORMAT.test(format)) {
    const family = format.split('_')[0]!;
    const mediaType = Object.values(FORMATS).find((entry) =>
      entry.outputFormat.startsWith(`${family}_`),
    )!.mediaType;
    return { outputFormat: format, mediaType };
  }
  throw new ProviderError('bad_request', `elevenlabs cannot produce ${format.slice(0, 20)} audio`);
}

/**
 * What ElevenLabs counted: `x-character-count` (its documented cost header, in characters), else
 * `character-cost` (older name, in credits, which equal characters on the standard models), else
 * the input's length in code points, as ElevenLabs counts an emoji once.
 */
function billedCharacters(headers: Record<string, string | string[] | undefined>, input: string): number {
  for (const name of ['x-character-count', 'character-cost']) {
    const value = single(headers[name])?.trim();
    if (value && /^\d+$/.test(value)) return Number(value);
  }
  return [...input].length;
}

/** The end of the last timed entry: Scribe gives no duration field, its words carry the times. */
function durationSeconds(transcript: TElevenLabsTranscription): number | undefined {
  let end: number | undefined;
  for (const word of transcript.words ?? []) {
    if (typeof word.end === 'number' && (end === undefined || word.end > end)) end = word.end;
  }
  return end;
}

/** Drops an unwanted body: a small one is read so the connection is reused, a large one closed. */
function discard(body: UpstreamResponse['body']): void {
  body.dump().catch(() => {});
}

function auth(call: CallOptions): Record<string, string> {
  return call.deployment.apiKey ? { 'xi-api-key': call.deployment.apiKey } : {};
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
