import { describe, expect, it } from 'vitest';
import { FAKE_PNG_BASE64 } from '../providers/openai/fake-openai.js';
import {
  isStorable,
  MAX_IMAGE_BYTES,
  storableText,
  toOpenAiUserContent,
  ZMessageContent,
} from './message-content.js';

const PNG = `data:image/png;base64,${FAKE_PNG_BASE64}`;

function firstIssue(content: unknown): string | undefined {
  const parsed = ZMessageContent.safeParse(content);
  if (parsed.success) return undefined;
  const issue = parsed.error.issues[0]!;
  return `${issue.path.join('.')}: ${issue.message}`;
}

function image(mediaType: string, dataUrl: string) {
  return { text: 'look', attachments: [{ kind: 'image', name: 'picture', mediaType, dataUrl }] };
}

describe('message content', () => {
  it('takes text with images of the four types and text files', () => {
    const jpeg = `data:image/jpeg;base64,${Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]).toString('base64')}`;
    const gif = `data:image/gif;base64,${Buffer.from('GIF89a....').toString('base64')}`;
    const webp = `data:image/webp;base64,${Buffer.from('RIFF\u0000\u0000\u0000\u0000WEBPVP8 ').toString('base64')}`;
    for (const [type, url] of [
      ['image/png', PNG],
      ['image/jpeg', jpeg],
      ['image/gif', gif],
      ['image/webp', webp],
    ] as const) {
      expect(firstIssue(image(type, url)), type).toBeUndefined();
    }
    expect(
      firstIssue({
        text: '',
        attachments: [{ kind: 'file', name: 'a.md', mediaType: 'text/markdown', text: '# A' }],
      }),
    ).toBeUndefined();
  });

  it('refuses an image of another type, mislabelled, not base64, or over 5 MB', () => {
    expect(firstIssue(image('image/svg+xml', 'data:image/svg+xml;base64,PHN2Zz4='))).toMatch(
      /^attachments\.0\.mediaType: must be one of/,
    );
    expect(firstIssue(image('image/jpeg', PNG))).toBe(
      'attachments.0.dataUrl: is of type image/png, but mediaType says image/jpeg',
    );
    expect(firstIssue(image('image/png', 'https://example.com/a.png'))).toBe(
      'attachments.0.dataUrl: must be a base64 data URL (data:image/png;base64,…)',
    );
    const pngHeader = Buffer.from(FAKE_PNG_BASE64, 'base64').subarray(0, 12);
    const huge = Buffer.concat([pngHeader, Buffer.alloc(MAX_IMAGE_BYTES)]).toString('base64');
    expect(firstIssue(image('image/png', `data:image/png;base64,${huge}`))).toBe(
      'attachments.0.dataUrl: is larger than 5 MB',
    );
    const justUnder = Buffer.concat([pngHeader, Buffer.alloc(MAX_IMAGE_BYTES - 12)]).toString('base64');
    expect(firstIssue(image('image/png', `data:image/png;base64,${justUnder}`))).toBeUndefined();
  });

  it('refuses NUL characters, which PostgreSQL cannot store, and control characters in names', () => {
    expect(firstIssue({ text: 'a\u0000b' })).toBe(
      'text: must be text without NUL characters or unpaired surrogates',
    );
    expect(
      firstIssue({
        text: 'x',
        attachments: [{ kind: 'file', name: 'a\nb', mediaType: 'text/plain', text: 'x' }],
      }),
    ).toBe('attachments.0.name: must be one line without control characters');
  });

  it('makes provider text storable, and leaves storable text as it is', () => {
    expect(storableText('a\u0000b\uD800c\uDC00d😀')).toBe('a\uFFFDb\uFFFDc\uFFFDd😀');
    expect(isStorable(storableText('\uDBFF'))).toBe(true);
    const plain = 'plain 😀 text';
    expect(storableText(plain)).toBe(plain);
  });

  it('becomes OpenAI content: plain text alone, or its text, then each attachment in order', () => {
    expect(toOpenAiUserContent({ text: 'hi' })).toBe('hi');
    expect(
      toOpenAiUserContent({
        text: ' ',
        attachments: [
          { kind: 'file', name: 'a.txt', mediaType: 'text/plain', text: 'one' },
          { kind: 'image', name: 'b.png', mediaType: 'image/png', dataUrl: PNG },
        ],
      }),
    ).toEqual([
      { type: 'text', text: 'File a.txt:\none' },
      { type: 'image_url', image_url: { url: PNG } },
    ]);
  });
});
