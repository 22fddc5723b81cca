/**
 * With history off the studio keeps nothing (its routes answer 409 history_disabled), so images and
 * speech go through the public API with the session instead: the result lives only in this tab,
 * as blob URLs, until the page shows another one or is left.
 */
import { apiFetch } from '../../api/client';
import type { ImageBody, SpeechBody, StudioKind } from './studio-api';

export interface UnsavedFile {
  /** A blob: URL owned by the page; revoke it when the output goes away. */
  url: string;
  mediaType: string;
  name: string;
}

export interface UnsavedOutput {
  id: string;
  kind: StudioKind;
  model: string;
  prompt: string;
  cost: string | null;
  createdAt: string;
  files: UnsavedFile[];
}

/** OpenAI voices; other providers take their own voice ids, and some need one. */
export const DEFAULT_VOICE = 'alloy';

const EXTENSIONS: Record<string, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/webp': 'webp',
  'audio/mpeg': 'mp3',
  'audio/wav': 'wav',
  'audio/ogg': 'opus',
  'audio/aac': 'aac',
  'audio/flac': 'flac',
};

/** Images arrive as base64 without a type; their first bytes tell it. */
function imageType(base64: string): string {
  if (base64.startsWith('/9j/')) return 'image/jpeg';
  if (base64.startsWith('UklGR')) return 'image/webp';
  return 'image/png';
}

function blobFrom(base64: string, mediaType: string): Blob {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index += 1) bytes[index] = binary.charCodeAt(index);
  return new Blob([bytes], { type: mediaType });
}

function fileOf(blob: Blob, stem: string): UnsavedFile {
  const mediaType = blob.type || 'application/octet-stream';
  return {
    url: URL.createObjectURL(blob),
    mediaType,
    name: `${stem}.${EXTENSIONS[mediaType.split(';')[0]!] ?? 'bin'}`,
  };
}

function unsaved(kind: StudioKind, model: string, prompt: string, response: Response, files: UnsavedFile[]) {
  return {
    id: `unsaved-${Date.now()}`,
    kind,
    model,
    prompt,
    cost: response.headers.get('x-mixgate-cost'),
    createdAt: new Date().toISOString(),
    files,
  } satisfies UnsavedOutput;
}

export async function generateUnsavedImage(body: ImageBody): Promise<UnsavedOutput> {
  const response = await apiFetch('/v1/images/generations', {
    json: {
      model: body.model,
      prompt: body.prompt,
      n: body.n ?? 1,
      size: body.size,
      response_format: 'b64_json',
    },
  });
  const answer = (await response.json()) as { data?: Array<{ b64_json?: string }> };
  const files = (answer.data ?? [])
    .map((image) => image.b64_json)
    .filter((data): data is string => typeof data === 'string')
    .map((data, index) => fileOf(blobFrom(data, imageType(data)), `image-${index + 1}`));
  return unsaved('image', body.model, body.prompt, response, files);
}

export async function generateUnsavedSpeech(body: SpeechBody): Promise<UnsavedOutput> {
  const response = await apiFetch('/v1/audio/speech', {
    json: {
      model: body.model,
      input: body.input,
      voice: body.voice ?? DEFAULT_VOICE,
      response_format: body.format,
      speed: body.speed,
    },
  });
  const file = fileOf(await response.blob(), 'speech');
  return unsaved('speech', body.model, body.input, response, [file]);
}

export function releaseUnsaved(output: UnsavedOutput | null): void {
  for (const file of output?.files ?? []) URL.revokeObjectURL(file.url);
}
