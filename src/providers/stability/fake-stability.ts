/**
 * A fake Stability AI on 127.0.0.1: POST /v2beta/stable-image/generate/{core|ultra|sd3} reads the
 * multipart form, checks it as Stability does, and answers a PNG with `finish-reason` and `seed`
 * headers (or, under `Accept: application/json`, `{ image, finish_reason, seed }`). Errors use
 * Stability's `{ id, name, errors }` body. Used by tests and benchmarks, never by the product.
 */
import { randomBytes } from 'node:crypto';
import {
  type FakeExchange,
  type FakeServer,
  sendScenarioError,
  startFakeServer,
} from '../fakes/fake-server.js';
import { type MultipartPart, parseMultipart } from '../http/multipart.js';
import { STABILITY_ASPECT_RATIOS } from './stability-api-types.js';

export interface FakeStability extends FakeServer {
  /** The deployment's base URL: the origin, as paths start with /v2beta. */
  baseUrl: string;
  /**
   * Content moderation for the next generations: `request` refuses with a 403 content_moderation,
   * `output` answers a blurred image with `finish-reason: CONTENT_FILTERED`.
   */
  moderation: 'request' | 'output' | undefined;
}

/** A 1x1 transparent PNG. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

const SD3_MODELS = new Set([
  'sd3.5-large',
  'sd3.5-large-turbo',
  'sd3.5-medium',
  'sd3.5-flash',
  'sd3-large',
  'sd3-medium',
]);

export async function startFakeStability(): Promise<FakeStability> {
  const holder: { fake?: FakeStability } = {};
  const server = await startFakeServer((exchange) => handle(exchange, holder.fake!));
  const fake: FakeStability = Object.assign(server, { baseUrl: server.origin, moderation: undefined });
  holder.fake = fake;
  return fake;
}

async function handle(exchange: FakeExchange, fake: FakeStability): Promise<void> {
  const { request, scenario } = exchange;
  if (scenario.status && sendScenarioError(exchange, errorBody(scenario.status))) return;
  if (!/^Bearer \S+$/.test(String(request.headers.authorization ?? ''))) {
    exchange.send(401, errorBody(401, 'authorization: invalid or missing header value'));
    return;
  }
  const endpoint = /^\/v2beta\/stable-image\/generate\/(core|ultra|sd3)$/.exec(request.url)?.[1];
  if (request.method !== 'POST' || !endpoint) {
    exchange.send(404, errorBody(404));
    return;
  }
  let parts: MultipartPart[];
  try {
    parts = parseMultipart(request.rawBody, String(request.headers['content-type'] ?? ''));
  } catch {
    exchange.send(400, errorBody(400, 'content-type: must be multipart/form-data'));
    return;
  }
  const field = (name: string) => parts.find((part) => part.name === name)?.data.toString('utf8');
  const complaint = validate(endpoint, field);
  if (complaint) {
    exchange.send(400, errorBody(400, complaint));
    return;
  }
  if (fake.moderation === 'request') {
    exchange.send(403, errorBody(403));
    return;
  }
  const seed =
    field('seed') && field('seed') !== '0'
      ? field('seed')!
      : String(Number.parseInt(randomBytes(4).toString('hex'), 16) % 4_294_967_295);
  const finishReason = fake.moderation === 'output' ? 'CONTENT_FILTERED' : 'SUCCESS';
  const image = scenario.empty ? Buffer.alloc(0) : PNG;
  if (String(request.headers.accept ?? '').includes('application/json')) {
    exchange.send(200, { image: image.toString('base64'), finish_reason: finishReason, seed: Number(seed) });
    return;
  }
  if (scenario.malformed) {
    // A JSON body where an image was promised, as a misrouted proxy would answer.
    exchange.send(200, '{"image": "brok');
    return;
  }
  const headers = {
    'content-type': 'image/png',
    'finish-reason': finishReason,
    seed,
    'x-request-id': randomBytes(16).toString('hex'),
  };
  await exchange.sendBinary(image, headers);
}

function validate(endpoint: string, field: (name: string) => string | undefined): string | undefined {
  const prompt = field('prompt');
  if (!prompt) return 'prompt: cannot be empty';
  if (prompt.length > 10_000) return 'prompt: must be at most 10000 characters';
  const ratio = field('aspect_ratio');
  if (ratio !== undefined && !(STABILITY_ASPECT_RATIOS as readonly string[]).includes(ratio)) {
    return `aspect_ratio: must be one of ${STABILITY_ASPECT_RATIOS.join(', ')}`;
  }
  const format = field('output_format');
  if (format !== undefined && !['png', 'jpeg', 'webp'].includes(format))
    return 'output_format: must be png, jpeg or webp';
  const seed = field('seed');
  if (seed !== undefined && !(/^\d+$/.test(seed) && Number(seed) < 4_294_967_295)) {
    return 'seed: must be between 0 and 4294967294';
  }
  const model = field('model');
  if (endpoint === 'sd3' && model !== undefined && !SD3_MODELS.has(model))
    return `model: must be one of ${[...SD3_MODELS].join(', ')}`;
  return undefined;
}

const NAMES: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'content_moderation',
  404: 'not_found',
  413: 'payload_too_large',
  422: 'invalid_request',
  429: 'rate_limit_exceeded',
  500: 'internal_error',
};

const DEFAULT_ERRORS: Record<number, string> = {
  403: 'Your request was flagged by our content moderation system, as a result your request was denied and you were not charged.',
  413: 'Your request was larger than 10MiB.',
  429: 'You have exceeded the rate limit of 150 requests within a 10 second period.',
  500: 'An unexpected server error has occurred, please try again later.',
};

/** Stability's error body: `{ id, name, errors }`. */
function errorBody(status: number, error?: string): Record<string, unknown> {
  return {
    id: randomBytes(16).toString('hex'),
    name: NAMES[status] ?? 'error',
    errors: [error ?? DEFAULT_ERRORS[status] ?? `fake stability error ${status}`],
  };
}
