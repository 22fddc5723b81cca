import { describe, expect, it } from 'vitest';
import { buildMultipart, parseMultipart } from './multipart.js';

describe('buildMultipart', () => {
  it('writes text fields and files in the RFC 7578 layout', () => {
    const { body, contentType } = buildMultipart([
      { name: 'model_id', value: 'scribe_v1' },
      { name: 'file', filename: 'a.mp3', mediaType: 'audio/mpeg', data: Buffer.from([0xff, 0xfb, 0x00]) },
    ]);
    const boundary = /boundary=(.+)$/.exec(contentType)?.[1];
    expect(contentType.startsWith('multipart/form-data; boundary=')).toBe(true);
    expect(boundary).toMatch(/^----mixgate-[0-9a-f]{32}$/);
    const expected = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="model_id"\r\n\r\nscribe_v1\r\n` +
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.mp3"\r\n` +
          'Content-Type: audio/mpeg\r\n\r\n',
      ),
      Buffer.from([0xff, 0xfb, 0x00]),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    expect(body.equals(expected)).toBe(true);
  });

  it('uses a new random boundary for every body', () => {
    const first = buildMultipart([{ name: 'a', value: 'b' }]).contentType;
    const second = buildMultipart([{ name: 'a', value: 'b' }]).contentType;
    expect(first).not.toBe(second);
  });

  it('escapes quotes and line breaks in names and file names so they cannot add headers', () => {
    const { body } = buildMultipart([
      {
        name: 'x"\r\nInjected: yes',
        filename: 'f"\n.png',
        mediaType: 'image/png\r\nX: y',
        data: Buffer.from('1'),
      },
    ]);
    const text = body.toString('utf8');
    expect(text).toContain('name="x%22%0D%0AInjected: yes"; filename="f%22%0A.png"');
    expect(text).toContain('Content-Type: image/pngX: y\r\n');
    expect(text).not.toContain('\r\nInjected');
  });

  it('round-trips through parseMultipart, binary bytes and UTF-8 text intact', () => {
    const binary = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const { body, contentType } = buildMultipart([
      { name: 'prompt', value: "un café, s'il vous plaît\r\n--not-a-boundary" },
      { name: 'image', filename: 'bytes.bin', mediaType: 'application/octet-stream', data: binary },
      { name: 'empty', value: '' },
    ]);
    const parts = parseMultipart(body, contentType);
    expect(parts.map((part) => part.name)).toEqual(['prompt', 'image', 'empty']);
    expect(parts[0]!.data.toString('utf8')).toBe("un café, s'il vous plaît\r\n--not-a-boundary");
    expect(parts[0]!.filename).toBeUndefined();
    expect(parts[1]!.filename).toBe('bytes.bin');
    expect(parts[1]!.mediaType).toBe('application/octet-stream');
    expect(parts[1]!.data.equals(binary)).toBe(true);
    expect(parts[2]!.data.length).toBe(0);
  });

  it('refuses to parse a body without its boundary', () => {
    expect(() => parseMultipart(Buffer.from('hello'), 'multipart/form-data; boundary=abc')).toThrow();
    expect(() => parseMultipart(Buffer.from('hello'), 'multipart/form-data')).toThrow();
  });
});
