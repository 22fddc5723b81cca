/**
 * A minimal PNG writer (https://www.w3.org/TR/png-3/): 8-bit RGB or RGBA, one IDAT, and text
 * chunks for provenance metadata. Enough for the local demo's pictures; no palette, no
 * interlacing, no reading.
 */
import { constants, crc32, deflateSync } from 'node:zlib';

export interface PngImage {
  width: number;
  height: number;
  /** 3 (RGB) or 4 (RGBA) bytes a pixel, rows top to bottom, no padding. */
  channels: 3 | 4;
  pixels: Uint8Array | Uint8ClampedArray;
}

/**
 * A `tEXt` chunk (Latin-1 text) or, with `international`, an `iTXt` chunk (UTF-8 text, e.g. an
 * XMP packet under the keyword `XML:com.adobe.xmp`).
 */
export interface PngText {
  keyword: string;
  text: string;
  international?: boolean;
}

export interface PngOptions {
  text?: PngText[];
  /**
   * Run-length matching only (zlib's Z_RLE) instead of the default level 6: on filtered smooth
   * pictures measured about half the time for about 15% more bytes.
   */
  fastCompression?: boolean;
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const COLOUR_TYPE = { 3: 2, 4: 6 } as const;

export function encodePng(image: PngImage, options: PngOptions = {}): Buffer {
  const { width, height, channels, pixels } = image;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new RangeError('PNG width and height must be positive integers');
  }
  if (pixels.length !== width * height * channels) {
    throw new RangeError(`PNG pixels must hold ${width}x${height}x${channels} bytes`);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = COLOUR_TYPE[channels];
  // Bytes 10-12: deflate compression, adaptive filtering, no interlace (all zero).
  const chunks = [chunk('IHDR', header)];
  for (const entry of options.text ?? []) chunks.push(textChunk(entry));
  const filtered = filterRows(pixels, width * channels, height, channels);
  const compression = options.fastCompression ? { strategy: constants.Z_RLE } : { level: 6 };
  chunks.push(chunk('IDAT', deflateSync(filtered, compression)));
  chunks.push(chunk('IEND', Buffer.alloc(0)));
  return Buffer.concat([SIGNATURE, ...chunks]);
}

/**
 * Every row with the Sub filter (type 1): each byte minus the same channel of the pixel to its
 * left. Smooth pictures turn into long runs of small numbers, which deflate compresses several
 * times better than raw rows, at the cost of one subtraction a byte.
 */
function filterRows(
  pixels: Uint8Array | Uint8ClampedArray,
  stride: number,
  height: number,
  channels: number,
): Buffer {
  const out = Buffer.allocUnsafe(height * (stride + 1));
  for (let y = 0; y < height; y++) {
    const source = y * stride;
    const target = y * (stride + 1);
    out[target] = 1;
    for (let x = 0; x < channels; x++) out[target + 1 + x] = pixels[source + x]!;
    for (let x = channels; x < stride; x++) {
      out[target + 1 + x] = (pixels[source + x]! - pixels[source + x - channels]!) & 0xff;
    }
  }
  return out;
}

function textChunk(entry: PngText): Buffer {
  if (!isValidKeyword(entry.keyword)) throw new RangeError(`invalid PNG text keyword: ${entry.keyword}`);
  const keyword = Buffer.from(entry.keyword, 'latin1');
  if (!entry.international) {
    if (!Array.from(entry.text).every((character) => character === '\n' || isPrintableLatin1(character))) {
      throw new RangeError('tEXt text must be printable Latin-1; use an international (iTXt) entry');
    }
    return chunk('tEXt', Buffer.concat([keyword, Buffer.from([0]), Buffer.from(entry.text, 'latin1')]));
  }
  // keyword NUL, compression flag 0, compression method 0, empty language tag NUL, empty
  // translated keyword NUL, then the UTF-8 text.
  return chunk(
    'iTXt',
    Buffer.concat([keyword, Buffer.from([0, 0, 0, 0, 0]), Buffer.from(entry.text, 'utf8')]),
  );
}

/** 1-79 printable Latin-1 characters, no leading, trailing or consecutive spaces. */
function isValidKeyword(keyword: string): boolean {
  return (
    keyword.length >= 1 &&
    keyword.length <= 79 &&
    Array.from(keyword).every(isPrintableLatin1) &&
    !keyword.startsWith(' ') &&
    !keyword.endsWith(' ') &&
    !keyword.includes('  ')
  );
}

function isPrintableLatin1(character: string): boolean {
  const code = character.charCodeAt(0);
  return character.length === 1 && ((code >= 0x20 && code <= 0x7e) || (code >= 0xa1 && code <= 0xff));
}

/** length, type, data, and the CRC-32 of type and data. */
function chunk(type: string, data: Buffer): Buffer {
  const out = Buffer.allocUnsafe(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}
