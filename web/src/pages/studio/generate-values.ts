/**
 * The generation form's values, their checks, and the request each kind of model gets from them:
 * a kept image or speech output, a job (video, music, slow image models), or, with history off,
 * the public API's answer that is shown once and not kept.
 */
import type { ModelInfo } from '../../api/models';
import type { MessageKey, Translate } from '../../i18n';
import {
  createImage,
  createJob,
  createSpeech,
  isHistoryOff,
  type SpeechFormat,
  type StudioKind,
  type StudioOutput,
} from './studio-api';
import { generateUnsavedImage, generateUnsavedSpeech, type UnsavedOutput } from './unsaved-generation';

export interface GenerateValues {
  model: string;
  prompt: string;
  size: string;
  n: number | string;
  voice: string;
  format: SpeechFormat;
  speed: number | string;
  /** Seconds; empty for the model's own default. */
  duration: number | string;
}

export const IMAGE_SIZES: ReadonlyArray<{ value: string; label: MessageKey }> = [
  { value: 'auto', label: 'studio.sizeAuto' },
  { value: '512x512', label: 'studio.sizeSmallSquare' },
  { value: '1024x1024', label: 'studio.sizeSquare' },
  { value: '1024x1536', label: 'studio.sizePortrait' },
  { value: '1536x1024', label: 'studio.sizeLandscape' },
  { value: '1024x1792', label: 'studio.sizeTall' },
  { value: '1792x1024', label: 'studio.sizeWide' },
];

export const SPEECH_FORMATS: ReadonlyArray<{ value: SpeechFormat; label: string }> = [
  { value: 'mp3', label: 'MP3' },
  { value: 'wav', label: 'WAV' },
  { value: 'opus', label: 'Opus' },
  { value: 'aac', label: 'AAC' },
  { value: 'flac', label: 'FLAC' },
];

/** OpenAI's built-in voices; other providers take their own voice names or ids. */
export const SUGGESTED_VOICES = ['alloy', 'ash', 'coral', 'echo', 'fable', 'nova', 'onyx', 'sage', 'shimmer'];

export const MAX_PROMPT: Record<StudioKind, number> = { image: 4000, speech: 4096, video: 2000, music: 2000 };
export const MAX_DURATION: Record<'video' | 'music', number> = { video: 60, music: 300 };

/** The built-in local speech engine writes only WAV. */
export function speechFormatsFor(model: ModelInfo | undefined): SpeechFormat[] {
  return model?.owned_by === 'local' ? ['wav'] : SPEECH_FORMATS.map((format) => format.value);
}

export function initialValues(model: ModelInfo | undefined): GenerateValues {
  return {
    model: model?.id ?? '',
    prompt: '',
    size: 'auto',
    n: 1,
    voice: '',
    format: speechFormatsFor(model)[0]!,
    speed: 1,
    duration: '',
  };
}

/** Video and music always run as jobs; an image model does when the catalog says so. */
export function runsAsJob(kind: StudioKind, model: ModelInfo | undefined): boolean {
  return kind === 'video' || kind === 'music' || model?.async === true;
}

function inRange(value: number | string, min: number, max: number, integer: boolean): boolean {
  const number = typeof value === 'number' ? value : Number(value);
  return (
    value !== '' &&
    Number.isFinite(number) &&
    number >= min &&
    number <= max &&
    (!integer || Number.isInteger(number))
  );
}

export function validation(kind: StudioKind, t: Translate) {
  return {
    model: (value: string) => (value ? null : t('studio.chooseModelError')),
    prompt: (value: string) => {
      if (!value.trim()) return t(kind === 'speech' ? 'studio.typeTextError' : 'studio.describeError');
      return value.length > MAX_PROMPT[kind] ? t('studio.atMostCharacters', { max: MAX_PROMPT[kind] }) : null;
    },
    n: (value: number | string) =>
      kind !== 'image' || inRange(value, 1, 4, true) ? null : t('studio.imagesRange'),
    speed: (value: number | string) =>
      kind !== 'speech' || inRange(value, 0.25, 4, false) ? null : t('studio.speedRange'),
    duration: (value: number | string) => {
      if ((kind !== 'video' && kind !== 'music') || value === '') return null;
      const max = MAX_DURATION[kind];
      return inRange(value, 1, max, true) ? null : t('studio.durationRange', { max });
    },
  };
}

export type Generated = { saved: StudioOutput } | { unsaved: UnsavedOutput };

/**
 * Runs one generation. With history off (known before, or learnt from the 409 now) images and
 * speech fall back to the public API; `onHistoryOff` tells the page so it stops trying the studio.
 */
export async function generate(
  kind: StudioKind,
  model: ModelInfo,
  values: GenerateValues,
  historyOff: boolean,
  onHistoryOff: () => void,
): Promise<Generated> {
  const prompt = values.prompt.trim();
  if (runsAsJob(kind, model)) {
    const duration = values.duration === '' ? undefined : Number(values.duration);
    return { saved: await createJob({ model: model.id, input: { prompt, ...(duration && { duration }) } }) };
  }
  const kept = async (create: () => Promise<StudioOutput>): Promise<StudioOutput | null> => {
    if (historyOff) return null;
    try {
      return await create();
    } catch (error) {
      if (!isHistoryOff(error)) throw error;
      onHistoryOff();
      return null;
    }
  };
  if (kind === 'image') {
    const body = {
      model: model.id,
      prompt,
      n: Number(values.n),
      ...(values.size !== 'auto' && { size: values.size }),
    };
    const saved = await kept(() => createImage(body));
    return saved ? { saved } : { unsaved: await generateUnsavedImage(body) };
  }
  const body = {
    model: model.id,
    input: prompt,
    format: values.format,
    speed: Number(values.speed),
    ...(values.voice.trim() && { voice: values.voice.trim() }),
  };
  const saved = await kept(() => createSpeech(body));
  return saved ? { saved } : { unsaved: await generateUnsavedSpeech(body) };
}
