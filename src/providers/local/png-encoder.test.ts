import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { encodePng, type PngImage } from './png-encoder.js';

interface Chunk {
  type: string;
  data: Buffer;
  crc: number;
  /** The bytes the CRC covers: type and data. */
  covered: Buffer;
}

/** Splits a PNG into its chunks, checking the signature and that nothing trails IEND. */
function readChunks(png: Buffer): Chunk[] {
  expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const chunks: Chunk[] = [];
  let offset = 8;
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    chunks.push({
      type: png.toString('latin1', offset + 4, offset + 8),
      data: png.subarray(offset + 8, offset + 8 + length),
      crc: png.readUInt32BE(offset + 8 + length),
      covered: png.subarray(offset + 4, offset + 8 + length),
    });
    offset += 12 + length;
  }
  expect(offset).toBe(png.length);
  return chunks;
}

/** The CRC-32 of the PNG specification's annex D, written out so the test does not trust zlib's. */
function referenceCrc(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? 0xedb88320 ^ (crc >>> 1) : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/** Decodes the pixels back (filter types None and Sub, the only ones the encoder writes). */
function decodePixels(png: Buffer): PngImage {
  const chunks = readChunks(png);
  const header = chunks.find((chunk) => chunk.type === 'IHDR')!.data;
  const width = header.readUInt32BE(0);
  const height = header.readUInt32BE(4);
  const channels = header[9] === 6 ? 4 : 3;
  const raw = inflateSync(Buffer.concat(chunks.filter((c) => c.type === 'IDAT').map((c) => c.data)));
  const stride = width * channels;
  expect(raw.length).toBe(height * (stride + 1));
  const pixels = new Uint8Array(width * height * channels);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    expect([0, 1]).toContain(filter);
    for (let x = 0; x < stride; x++) {
      const left = filter === 1 && x >= channels ? pixels[y * stride + x - channels]! : 0;
      pixels[y * stride + x] = (raw[y * (stride + 1) + 1 + x]! + left) & 0xff;
    }
  }
  return { width, height, channels, pixels };
}

function randomImage(width: number, height: number, channels: 3 | 4): PngImage {
  const pixels = new Uint8Array(width * height * channels);
  let state = 12345;
  for (let i = 0; i < pixels.length; i++) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    pixels[i] = state >>> 24;
  }
  return { width, height, channels, pixels };
}

describe('encodePng', () => {
  it('writes signature, IHDR, text chunks, IDAT and IEND, each with a correct CRC-32', () => {
    const png = encodePng(randomImage(7, 5, 3), {
      text: [
        { keyword: 'Software', text: 'Mixgate local demo' },
        { keyword: 'XML:com.adobe.xmp', text: '<x/>', international: true },
      ],
    });
    const chunks = readChunks(png);
    expect(chunks.map((chunk) => chunk.type)).toEqual(['IHDR', 'tEXt', 'iTXt', 'IDAT', 'IEND']);
    for (const chunk of chunks) expect(chunk.crc).toBe(referenceCrc(chunk.covered));
    const header = chunks[0]!.data;
    expect(header.length).toBe(13);
    expect([header.readUInt32BE(0), header.readUInt32BE(4)]).toEqual([7, 5]);
    // bit depth 8, colour type 2 (RGB), compression 0, filter 0, no interlace
    expect([...header.subarray(8)]).toEqual([8, 2, 0, 0, 0]);
    expect(chunks[4]!.data.length).toBe(0);
  });

  it.each([
    ['RGB', 3, false],
    ['RGBA', 4, false],
    ['RGB with fast compression', 3, true],
  ] as const)('round-trips %s pixels exactly', (_name, channels, fastCompression) => {
    const image = randomImage(33, 17, channels);
    const decoded = decodePixels(encodePng(image, { fastCompression }));
    expect(decoded.channels).toBe(channels);
    expect([decoded.width, decoded.height]).toEqual([33, 17]);
    expect(Buffer.from(decoded.pixels).equals(Buffer.from(image.pixels))).toBe(true);
  });

  it('round-trips a one-pixel image and clamped pixel arrays', () => {
    const single = {
      width: 1,
      height: 1,
      channels: 3 as const,
      pixels: new Uint8ClampedArray([255, 0, 128]),
    };
    expect([...decodePixels(encodePng(single)).pixels]).toEqual([255, 0, 128]);
  });

  it('stores tEXt as keyword NUL Latin-1 text and iTXt as UTF-8 after its empty fields', () => {
    const png = encodePng(randomImage(2, 2, 3), {
      text: [
        { keyword: 'AI generated', text: 'yes' },
        { keyword: 'Comment', text: 'café' },
        { keyword: 'Title', text: 'Grüße, 世界 🎨', international: true },
      ],
    });
    const [ai, comment, title] = readChunks(png).filter((chunk) => chunk.type !== 'IHDR');
    expect(ai!.type).toBe('tEXt');
    expect(ai!.data.toString('latin1')).toBe('AI generated\0yes');
    expect(comment!.data.toString('latin1')).toBe('Comment\0café');
    expect(comment!.data.length).toBe('Comment'.length + 1 + 4);
    expect(title!.type).toBe('iTXt');
    // keyword, NUL, compression flag 0, method 0, language tag "" NUL, translated keyword "" NUL
    expect(title!.data.subarray(0, 10).toString('latin1')).toBe('Title\0\0\0\0\0');
    expect(title!.data.subarray(10).toString('utf8')).toBe('Grüße, 世界 🎨');
  });

  it('compresses a smooth gradient far below its raw size', () => {
    const width = 256;
    const height = 256;
    const pixels = new Uint8Array(width * height * 3);
    for (let i = 0; i < width * height; i++) pixels.fill((i % width) >> 1, i * 3, i * 3 + 3);
    const png = encodePng({ width, height, channels: 3, pixels });
    expect(png.length).toBeLessThan(pixels.length / 20);
  });

  it('refuses bad keywords, non-Latin-1 tEXt, and pixel buffers of the wrong size', () => {
    const image = randomImage(2, 2, 3);
    for (const keyword of ['', ' lead', 'trail ', 'two  spaces', 'x'.repeat(80), 'tab\there', 'snow☃']) {
      expect(() => encodePng(image, { text: [{ keyword, text: 'x' }] })).toThrow(RangeError);
    }
    expect(() => encodePng(image, { text: [{ keyword: 'Title', text: '世界' }] })).toThrow(/iTXt/);
    expect(() => encodePng(image, { text: [{ keyword: 'Title', text: 'bell\u0007' }] })).toThrow(RangeError);
    expect(encodePng(image, { text: [{ keyword: 'x'.repeat(79), text: '' }] })).toBeInstanceOf(Buffer);
    expect(() => encodePng({ ...image, width: 3 })).toThrow(/bytes/);
    expect(() => encodePng({ ...image, width: 0, pixels: new Uint8Array(0) })).toThrow(/positive/);
  });
});
