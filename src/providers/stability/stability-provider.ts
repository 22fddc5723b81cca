/**
 * Stability AI's Stable Image generation: one multipart POST per image to
 * /v2beta/stable-image/generate/{core|ultra|sd3}, answered with the raw image (`Accept: image/*`).
 * The deployment's base URL is the origin (https://api.stability.ai): paths carry their version.
 */
import { nearestAspectRatio } from '../http/aspect-ratio.js';
import { buildMultipart, type MultipartField } from '../http/multipart.js';
import { readBody, sendUpstream, type UpstreamResponse } from '../http/upstream.js';
import type { CallOptions, GeneratedImage, ImageRequest, ImageResult, ProviderAdapter } from '../spec.js';
import { ProviderError } from '../spec.js';
import {
  STABILITY_ASPECT_RATIOS,
  STABILITY_STYLE_PRESETS,
  type StabilityGenerateFields,
  ZStabilityFinishReason,
} from './stability-api-types.js';
import { readStabilityError, refineStabilityError } from './stability-error.js';

const PROVIDER = 'stability';

/** Seeds run from 0 to 4294967294. */
const SEED_LIMIT = 4_294_967_295;

export function createStabilityAdapter(): ProviderAdapter {
  return {
    provider: PROVIDER,

    /**
     * Stability makes one image per call, so n images are n calls, one after the other. When a later
     * call fails, the images already made (and billed) are returned rather than thrown away; the
     * gateway captures only what comes back. A failure of the first call, or our abort, is thrown.
     */
    async generateImage(request: ImageRequest, call: CallOptions): Promise<ImageResult> {
      const endpoint = endpointFor(request.model);
      const images: GeneratedImage[] = [];
      for (let index = 0; index < request.n; index++) {
        try {
          images.push(await generateOne(formFields(request, endpoint.model, index), endpoint.path, call));
        } catch (error) {
          if (images.length === 0 || call.signal.aborted) throw error;
          break;
        }
      }
      return { images };
    },
  };
}

async function generateOne(
  fields: StabilityGenerateFields,
  endpointPath: string,
  call: CallOptions,
): Promise<GeneratedImage> {
  const form: MultipartField[] = Object.entries(fields)
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => ({ name, value: String(value) }));
  const { body, contentType } = buildMultipart(form);
  let response: UpstreamResponse;
  try {
    response = await sendUpstream(
      PROVIDER,
      call,
      {
        method: 'POST',
        path: `/v2beta/stable-image/generate/${endpointPath}`,
        headers: { ...auth(call), accept: 'image/*', 'content-type': contentType },
        body,
      },
      readStabilityError,
    );
  } catch (error) {
    throw refineStabilityError(error);
  }
  const mediaType = single(response.headers['content-type'])?.split(';')[0]?.trim().toLowerCase() ?? '';
  if (!mediaType.startsWith('image/')) {
    discard(response.body);
    throw new ProviderError(
      'malformed',
      `stability answered ${mediaType || 'no content type'} instead of an image`,
      {
        status: response.status,
      },
    );
  }
  const finishReason = single(response.headers['finish-reason']);
  const parsedReason = ZStabilityFinishReason.safeParse(finishReason ?? 'SUCCESS');
  if (!parsedReason.success) {
    discard(response.body);
    throw new ProviderError('malformed', 'stability sent an unknown finish-reason', {
      status: response.status,
    });
  }
  if (parsedReason.data === 'CONTENT_FILTERED') {
    // The image is a blurred placeholder: nothing a client asked for.
    discard(response.body);
    throw new ProviderError('content_filter', 'stability filtered the generated image', {
      status: response.status,
      providerCode: 'CONTENT_FILTERED',
    });
  }
  const data = await readBody(PROVIDER, response.body, undefined, call.signal);
  if (data.length === 0) {
    throw new ProviderError('malformed', 'stability answered with an empty image', {
      status: response.status,
    });
  }
  return { data, mediaType };
}

/** `stable-image-core` -> core, `stable-image-ultra` -> ultra, `sd3.5-large` (and kin) -> sd3 + model. */
function endpointFor(model: string): { path: string; model?: string } {
  if (model === 'stable-image-core' || model === 'core') return { path: 'core' };
  if (model === 'stable-image-ultra' || model === 'ultra') return { path: 'ultra' };
  if (/^sd3(\.5)?-[a-z0-9-]+$/.test(model)) return { path: 'sd3', model };
  throw new ProviderError(
    'bad_request',
    'unknown stability model (stable-image-core, stable-image-ultra or sd3.5-*)',
  );
}

function formFields(
  request: ImageRequest,
  model: string | undefined,
  index: number,
): StabilityGenerateFields {
  const fields: StabilityGenerateFields = { prompt: request.prompt, output_format: 'png' };
  if (request.negativePrompt !== undefined) fields.negative_prompt = request.negativePrompt;
  // Stability takes a ratio, not pixels: the supported one closest to WIDTHxHEIGHT.
  if (request.size !== undefined)
    fields.aspect_ratio = nearestAspectRatio(request.size, STABILITY_ASPECT_RATIOS);
  // The same seed would give n identical images: each call takes the next one.
  if (request.seed !== undefined) fields.seed = (request.seed + index) % SEED_LIMIT;
  if (request.style !== undefined && STABILITY_STYLE_PRESETS.has(request.style))
    fields.style_preset = request.style;
  if (model !== undefined) fields.model = model;
  return fields;
}

/** Drops an unwanted body: a small one is read so the connection is reused, a large one closed. */
function discard(body: UpstreamResponse['body']): void {
  body.dump().catch(() => {});
}

function auth(call: CallOptions): Record<string, string> {
  return call.deployment.apiKey ? { authorization: `Bearer ${call.deployment.apiKey}` } : {};
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
