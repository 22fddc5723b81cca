/**
 * With history off the studio keeps nothing (its routes answer 409 history_disabled), so images and
 * speech go through the public API with the session instead: the result lives only in this tab
 * (data: and blob: URLs) until the page shows another one or is left.
 */
import { apiFetch } from '../../api/client';
import type { ImageBody, SpeechBody, StudioKind } from './studio-api';

export interface UnsavedFile {
  /** An image's data: URL, or a blob: URL (audio) owned by the page: released when the output goes away. */
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
    .map((data, index) => {
      const mediaType = imageType(data);
      // A data: URL, not a blob: one: the app's Content-Security-Policy lets images load from data:.
      return {
        url: `data:${mediaType};base64,${data}`,
        mediaType,
        name: `image-${index + 1}.${EXTENSIONS[mediaType]}`,
      };
    });
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
  for (const file of output?.files ?? []) if (file.url.startsWith('blob:')) URL.revokeObjectURL(file.url);
}
