/**
 * Stability's Stable Image generate endpoints as we use them
 * (https://platform.stability.ai/docs/api-reference#tag/Generate): POST
 * /v2beta/stable-image/generate/{core|ultra|sd3} with a multipart form, `Accept: image/*` for the
 * raw image, its `finish-reason` and `seed` in headers.
 */
import { z } from 'zod';

/** The form fields we send; sd3 alone takes `model`. */
export interface StabilityGenerateFields {
  prompt: string;
  negative_prompt?: string;
  aspect_ratio?: string;
  seed?: number;
  style_preset?: string;
  output_format: 'png';
  model?: string;
}

/** The aspect ratios every generate endpoint accepts. */
export const STABILITY_ASPECT_RATIOS = [
  '16:9',
  '1:1',
  '21:9',
  '2:3',
  '3:2',
  '4:5',
  '5:4',
  '9:16',
  '9:21',
] as const;

/** Core and SD3's `style_preset` values; other styles (OpenAI's vivid/natural) are not sent. */
export const STABILITY_STYLE_PRESETS: ReadonlySet<string> = new Set([
  '3d-model',
  'analog-film',
  'anime',
  'cinematic',
  'comic-book',
  'digital-art',
  'enhance',
  'fantasy-art',
  'isometric',
  'line-art',
  'low-poly',
  'modeling-compound',
  'neon-punk',
  'origami',
  'photographic',
  'pixel-art',
  'tile-texture',
]);

/** The `finish-reason` header of a 200: CONTENT_FILTERED is a blurred image, not an error status. */
export const ZStabilityFinishReason = z.enum(['SUCCESS', 'CONTENT_FILTERED']);

/** Every error status: `{ id, name, errors: [...] }`; a 403 is named `content_moderation`. */
export const ZStabilityErrorBody = z.looseObject({
  id: z.string().optional(),
  name: z.string().optional(),
  errors: z.array(z.string()).optional(),
});
