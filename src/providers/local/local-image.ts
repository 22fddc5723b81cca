/**
 * The local demo's "image model": an abstract picture drawn by a formula (soft plasma waves in a
 * cosine palette, a few translucent discs, a vignette), seeded by the prompt, the seed and the
 * image's index so the same request always draws the same picture. No model and no network.
 */
import type { ImageRequest } from '../spec.js';
import { ProviderError } from '../spec.js';
import { encodePng, type PngText } from './png-encoder.js';

/**
 * IPTC digital source type written into every picture, as the gateway's brief asks so the demo's
 * output carries the same provenance marking as a real image model's. (IPTC's exact term for a
 * formula-drawn picture would be `algorithmicMedia`.)
 */
export const DIGITAL_SOURCE_TYPE = 'http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia';
export const IMAGE_SOFTWARE = 'Mixgate local demo';
export const DEFAULT_IMAGE_SIZE = 512;
export const MAX_IMAGE_SIDE = 2048;
const MAX_IMAGES = 10;

/** One drawing per requested image, after checking the size and count. */
export function planLocalImages(request: ImageRequest): LocalImageInput[] {
  const { width, height } = parseImageSize(request.size);
  if (!Number.isInteger(request.n) || request.n < 1 || request.n > MAX_IMAGES) {
    throw new ProviderError(
      'bad_request',
      `local image generation makes 1 to ${MAX_IMAGES} images at a time`,
    );
  }
  return Array.from({ length: request.n }, (_, index) => ({
    prompt: request.prompt,
    seed: request.seed,
    index,
    width,
    height,
  }));
}

/** `WIDTHxHEIGHT` (or `auto`/absent: 512x512); each side is capped at 2048. */
export function parseImageSize(size: string | undefined): { width: number; height: number } {
  if (size === undefined || size === '' || size === 'auto') {
    return { width: DEFAULT_IMAGE_SIZE, height: DEFAULT_IMAGE_SIZE };
  }
  const match = /^(\d{1,5})x(\d{1,5})$/i.exec(size.trim());
  if (!match) throw new ProviderError('bad_request', 'image size must look like 1024x1024');
  const width = Number(match[1]);
  const height = Number(match[2]);
  if (width < 1 || height < 1) throw new ProviderError('bad_request', 'image sides must be at least 1 pixel');
  return { width: Math.min(width, MAX_IMAGE_SIDE), height: Math.min(height, MAX_IMAGE_SIDE) };
}

export interface LocalImageInput {
  prompt: string;
  seed?: number;
  index: number;
  width: number;
  height: number;
}

/** One PNG, deterministic in its input. */
export function renderLocalImage(input: LocalImageInput): Buffer {
  const random = mulberry32(hashText(`${input.prompt}\u0000${input.seed ?? ''}\u0000${input.index}`));
  // Clamped, so blending and shading can never wrap a channel around past 255 or below 0.
  const pixels = new Uint8ClampedArray(input.width * input.height * 3);
  drawPlasma(pixels, input.width, input.height, random);
  drawDiscs(pixels, input.width, input.height, random);
  return encodePng(
    { width: input.width, height: input.height, channels: 3, pixels },
    { text: provenanceText(), fastCompression: true },
  );
}

function provenanceText(): PngText[] {
  return [
    { keyword: 'Software', text: IMAGE_SOFTWARE },
    { keyword: 'AI generated', text: 'yes' },
    {
      keyword: 'Description',
      text: 'Abstract demo picture drawn by a formula from the prompt; no AI model was called.',
    },
    { keyword: 'XML:com.adobe.xmp', text: xmpPacket(), international: true },
  ];
}

/** The IPTC field lives in XMP, which PNG carries in an iTXt chunk named `XML:com.adobe.xmp`. */
function xmpPacket(): string {
  return [
    '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>',
    '<x:xmpmeta xmlns:x="adobe:ns:meta/">',
    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">',
    '<rdf:Description rdf:about=""',
    ' xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/"',
    ' xmlns:xmp="http://ns.adobe.com/xap/1.0/"',
    ` Iptc4xmpExt:DigitalSourceType="${DIGITAL_SOURCE_TYPE}"`,
    ` xmp:CreatorTool="${IMAGE_SOFTWARE}"/>`,
    '</rdf:RDF>',
    '</x:xmpmeta>',
    '<?xpacket end="r"?>',
  ].join('\n');
}

type Random = () => number;
const PALETTE_SIZE = 1024;
const SINE_SIZE = 4096;
const SINE = Float64Array.from({ length: SINE_SIZE }, (_, i) => Math.sin((2 * Math.PI * i) / SINE_SIZE));

/**
 * Three low-frequency sine waves and one radial wave, mapped through a cosine palette
 * (https://iquilezles.org/articles/palettes/), which keeps neighbouring colours harmonious. The
 * two axis-aligned waves are computed once per row and column rather than per pixel.
 */
function drawPlasma(pixels: Uint8ClampedArray, width: number, height: number, random: Random): void {
  const palette = cosinePalette(random);
  const scale = Math.min(width, height);
  const frequency = () => Math.PI * (1 + random() * 3);
  const [fx, fy, fr] = [frequency(), frequency(), frequency()];
  const [px, py, pr] = [random() * 6.3, random() * 6.3, random() * 6.3];
  const [cx, cy] = [random() - 0.5, random() - 0.5];
  // The radial wave is the only one that needs a sine per pixel: read it from a table instead
  // (measured: Math.sin per pixel cost about 50 ms of a 1024x1024 picture).
  const radialStep = (fr * 2 * SINE_SIZE) / (2 * Math.PI);
  const radialPhase = (pr * SINE_SIZE) / (2 * Math.PI);
  const columns = new Float64Array(width);
  const columnDistance = new Float64Array(width);
  for (let x = 0; x < width; x++) {
    const u = (x - width / 2) / scale;
    columns[x] = Math.sin(u * fx + px);
    columnDistance[x] = (u - cx) ** 2;
  }
  for (let y = 0; y < height; y++) {
    const v = (y - height / 2) / scale;
    const row = Math.sin(v * fy + py);
    const rowDistance = (v - cy) ** 2;
    const vignetteRow = v * v;
    let offset = y * width * 3;
    for (let x = 0; x < width; x++) {
      const angle = Math.sqrt(columnDistance[x]! + rowDistance) * radialStep + radialPhase;
      const radial = SINE[(angle | 0) & (SINE_SIZE - 1)]!;
      const t = 0.5 + (columns[x]! + row + radial) / 6;
      const entry = Math.min(PALETTE_SIZE - 1, Math.max(0, (t * PALETTE_SIZE) | 0)) * 3;
      const u = (x - width / 2) / scale;
      const shade = Math.max(0.5, 1 - 0.35 * (u * u + vignetteRow));
      pixels[offset] = palette[entry]! * shade;
      pixels[offset + 1] = palette[entry + 1]! * shade;
      pixels[offset + 2] = palette[entry + 2]! * shade;
      offset += 3;
    }
  }
}

function cosinePalette(random: Random): Uint8Array {
  const base = [0.5 + random() * 0.1, 0.5 + random() * 0.1, 0.5 + random() * 0.1];
  const amplitude = [0.3 + random() * 0.12, 0.3 + random() * 0.12, 0.3 + random() * 0.12];
  const phase = [random(), random(), random()];
  const cycles = 0.7 + random() * 0.6;
  const table = new Uint8Array(PALETTE_SIZE * 3);
  for (let i = 0; i < PALETTE_SIZE; i++) {
    const t = i / (PALETTE_SIZE - 1);
    for (let channel = 0; channel < 3; channel++) {
      const value =
        base[channel]! + amplitude[channel]! * Math.cos(2 * Math.PI * (cycles * t + phase[channel]!));
      table[i * 3 + channel] = Math.round(255 * Math.min(1, Math.max(0, value)));
    }
  }
  return table;
}

/** Three to six soft-edged translucent discs, each blended only inside its bounding box. */
function drawDiscs(pixels: Uint8ClampedArray, width: number, height: number, random: Random): void {
  const scale = Math.min(width, height);
  const count = 3 + Math.floor(random() * 4);
  for (let disc = 0; disc < count; disc++) {
    const radius = scale * (0.06 + random() * 0.22);
    const centreX = random() * width;
    const centreY = random() * height;
    const light = random() < 0.5;
    const colour = light ? [255, 250, 240] : [20, 24, 40];
    const opacity = 0.15 + random() * 0.25;
    const inner = (radius * 0.85) ** 2;
    const outer = radius * radius;
    const top = Math.max(0, Math.floor(centreY - radius));
    const bottom = Math.min(height - 1, Math.ceil(centreY + radius));
    const left = Math.max(0, Math.floor(centreX - radius));
    const right = Math.min(width - 1, Math.ceil(centreX + radius));
    for (let y = top; y <= bottom; y++) {
      const dy = (y - centreY) ** 2;
      for (let x = left; x <= right; x++) {
        const distance = (x - centreX) ** 2 + dy;
        if (distance >= outer) continue;
        const edge = distance <= inner ? 1 : (outer - distance) / (outer - inner);
        const alpha = opacity * edge * edge * (3 - 2 * edge);
        const offset = (y * width + x) * 3;
        for (let channel = 0; channel < 3; channel++) {
          const value = pixels[offset + channel]!;
          pixels[offset + channel] = value + (colour[channel]! - value) * alpha;
        }
      }
    }
  }
}

/** FNV-1a over UTF-16 code units: a stable 32-bit seed from the prompt. */
export function hashText(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** A small, fast, seeded generator; quality is ample for choosing colours and shapes. */
function mulberry32(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
