/**
 * What a user's message may carry: text, up to four images (PNG, JPEG, WebP, GIF as data URLs of
 * at most 5 MB each) and UTF-8 text files (at most 200 KB each), checked before anything is stored
 * or sent; and how a stored message becomes an OpenAI-format message for the gateway.
 */
import { z } from 'zod';
import type { StoredMessageContent } from '../db/schema/index.js';

export const MAX_IMAGES = 4;
export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;
export const MAX_FILES = 10;
export const MAX_FILE_BYTES = 200 * 1024;
export const MAX_TEXT_CHARACTERS = 1_000_000;

const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/webp', 'image/gif'] as const;
const DATA_URL = /^data:([a-z/]+);base64,([A-Za-z0-9+/]*={0,2})$/;

export const ZStorableText = z.string().refine(isStorable, {
  error: 'must be text without NUL characters or unpaired surrogates',
});
/** One line of text: a title, a file name. */
export const ZLine = ZStorableText.trim()
  .min(1, 'must not be empty')
  .refine((text) => !hasControlCharacters(text), { error: 'must be one line without control characters' });
const ZName = ZLine.max(255);

const ZImageAttachment = z
  .strictObject({
    kind: z.literal('image'),
    name: ZName,
    mediaType: z.enum(IMAGE_TYPES, { error: `must be one of ${IMAGE_TYPES.join(', ')}` }),
    dataUrl: z.string(),
  })
  .superRefine((image, context) => {
    const problem = imageProblem(image.mediaType, image.dataUrl);
    if (problem) context.addIssue({ code: 'custom', path: ['dataUrl'], message: problem });
  });

const ZFileAttachment = z.strictObject({
  kind: z.literal('file'),
  name: ZName,
  mediaType: z.string().min(1).max(255).describe('e.g. text/plain, text/markdown, application/json'),
  text: ZStorableText.refine((text) => Buffer.byteLength(text, 'utf8') <= MAX_FILE_BYTES, {
    error: `must be at most ${MAX_FILE_BYTES / 1024} KB of UTF-8 text`,
  }),
});

export const ZAttachment = z.discriminatedUnion('kind', [ZImageAttachment, ZFileAttachment], {
  error: "must have kind 'image' or 'file'",
});

export const ZMessageContent = z
  .strictObject({
    text: ZStorableText.max(MAX_TEXT_CHARACTERS),
    attachments: z
      .array(ZAttachment)
      .max(MAX_IMAGES + MAX_FILES)
      .optional(),
  })
  .superRefine((content, context) => {
    const attachments = content.attachments ?? [];
    const images = attachments.filter((attachment) => attachment.kind === 'image').length;
    if (images > MAX_IMAGES) {
      context.addIssue({ code: 'custom', path: ['attachments'], message: `at most ${MAX_IMAGES} images` });
    }
    if (attachments.length - images > MAX_FILES) {
      context.addIssue({ code: 'custom', path: ['attachments'], message: `at most ${MAX_FILES} files` });
    }
    if (content.text.trim() === '' && attachments.length === 0) {
      context.addIssue({ code: 'custom', path: ['text'], message: 'is empty and nothing is attached' });
    }
  });
export type TMessageContent = z.infer<typeof ZMessageContent>;

// The first bytes of each image type, so a mislabelled or non-image file is refused here.
const SIGNATURES: Record<(typeof IMAGE_TYPES)[number], (head: Buffer) => boolean> = {
  'image/png': (head) =>
    head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  'image/jpeg': (head) => head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff,
  'image/gif': (head) => head.subarray(0, 4).toString('latin1') === 'GIF8',
  'image/webp': (head) =>
    head.subarray(0, 4).toString('latin1') === 'RIFF' && head.subarray(8, 12).toString('latin1') === 'WEBP',
};

function imageProblem(mediaType: (typeof IMAGE_TYPES)[number], dataUrl: string): string | undefined {
  const match = DATA_URL.exec(dataUrl);
  if (!match) return `must be a base64 data URL (data:${mediaType};base64,…)`;
  const [, urlType, base64 = ''] = match;
  if (urlType !== mediaType) return `is of type ${urlType}, but mediaType says ${mediaType}`;
  const padding = base64.endsWith('==') ? 2 : base64.endsWith('=') ? 1 : 0;
  const bytes = (base64.length * 3) / 4 - padding;
  if (bytes > MAX_IMAGE_BYTES) return `is larger than ${MAX_IMAGE_BYTES / 1024 / 1024} MB`;
  if (!SIGNATURES[mediaType](Buffer.from(base64.slice(0, 16), 'base64'))) {
    return `is not a ${mediaType} image`;
  }
  return undefined;
}

/** PostgreSQL refuses NUL in text and jsonb, and unpaired surrogates in jsonb; JSON can carry both. */
export function isStorable(text: string): boolean {
  return unstorableAt(text, 0) === -1;
}

/** Text from a provider, made storable: NUL and unpaired surrogates become U+FFFD. */
export function storableText(text: string): string {
  let result = '';
  let from = 0;
  for (let at = unstorableAt(text, 0); at !== -1; at = unstorableAt(text, from)) {
    result += `${text.slice(from, at)}\uFFFD`;
    from = at + 1;
  }
  return from === 0 ? text : result + text.slice(from);
}

function unstorableAt(text: string, from: number): number {
  for (let index = from; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code === 0 || (code >= 0xdc00 && code <= 0xdfff)) return index;
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = text.charCodeAt(index + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) return index;
      index += 1;
    }
  }
  return -1;
}

function hasControlCharacters(text: string): boolean {
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

type OpenAiUserPart = { type: 'text'; text: string } | { type: 'image_url'; image_url: { url: string } };

/** A user message as /v1/chat/completions takes it: the text, then each file as text, each image. */
export function toOpenAiUserContent(content: StoredMessageContent): string | OpenAiUserPart[] {
  const attachments = content.attachments ?? [];
  if (attachments.length === 0) return content.text;
  const parts: OpenAiUserPart[] = content.text.trim() === '' ? [] : [{ type: 'text', text: content.text }];
  for (const attachment of attachments) {
    parts.push(
      attachment.kind === 'file'
        ? { type: 'text', text: `File ${attachment.name}:\n${attachment.text}` }
        : { type: 'image_url', image_url: { url: attachment.dataUrl } },
    );
  }
  return parts;
}

export function hasImages(content: StoredMessageContent): boolean {
  return (content.attachments ?? []).some((attachment) => attachment.kind === 'image');
}
