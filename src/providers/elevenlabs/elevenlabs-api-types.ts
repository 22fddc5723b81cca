/**
 * ElevenLabs' text-to-speech and speech-to-text as we use them
 * (https://elevenlabs.io/docs/api-reference/text-to-speech/convert,
 * https://elevenlabs.io/docs/api-reference/speech-to-text/convert). Only the fields we read are
 * required; the rest (speaker ids, logprobs, additional formats...) passes through.
 */
import { z } from 'zod';

/** POST /v1/text-to-speech/{voice_id}?output_format=... */
export interface ElevenLabsSpeechBody {
  text: string;
  model_id: string;
  voice_settings?: { speed?: number };
}

/** Every `output_format` ElevenLabs documents; some need a higher subscription tier. */
export const ELEVENLABS_OUTPUT_FORMAT =
  /^(mp3_(22050_32|24000_48|44100_(32|64|96|128|192))|opus_48000_(32|64|96|128|192)|pcm_(8000|16000|22050|24000|32000|44100|48000)|wav_(8000|16000|22050|24000|32000|44100|48000)|ulaw_8000|alaw_8000)$/;

export const ZElevenLabsWord = z.looseObject({
  text: z.string().optional(),
  start: z.number().nullish(),
  end: z.number().nullish(),
  /** `word`, `spacing` or `audio_event`. */
  type: z.string().optional(),
});

/** The answer of POST /v1/speech-to-text (one channel). */
export const ZElevenLabsTranscription = z.looseObject({
  language_code: z.string().nullish(),
  language_probability: z.number().nullish(),
  text: z.string(),
  words: z.array(ZElevenLabsWord).nullish(),
});

export type TElevenLabsTranscription = z.infer<typeof ZElevenLabsTranscription>;

/**
 * Errors: `{ detail: { status, message } }` (newer ones add `type` and `code`), `{ detail: string }`,
 * or FastAPI's validation list `{ detail: [{ loc, msg, type }] }` on a 422.
 */
export const ZElevenLabsErrorBody = z.looseObject({
  detail: z.union([
    z.string(),
    z.looseObject({
      status: z.string().optional(),
      code: z.string().optional(),
      type: z.string().optional(),
      message: z.string().optional(),
    }),
    z.array(
      z.looseObject({
        loc: z.array(z.union([z.string(), z.number()])).optional(),
        msg: z.string().optional(),
        type: z.string().optional(),
      }),
    ),
  ]),
});
