/**
 * A fake Replicate on 127.0.0.1 speaking its HTTP API: predictions created for official models
 * (POST /v1/models/{owner}/{name}/predictions) or versions (POST /v1/predictions), read
 * (GET /v1/predictions/{id}) and cancelled (POST /v1/predictions/{id}/cancel), with the output files
 * served by the fake itself under /files/. A prediction goes starting -> processing -> succeeded
 * over successive reads, printing tqdm progress into its logs; `Prefer: wait` answers finished.
 * Scenarios apply to whichever request comes next, so a test queues them just before the call.
 * Used by tests and benchmarks, never by the product.
 */
import { randomBytes } from 'node:crypto';
import {
  type FakeExchange,
  type FakeServer,
  sendScenarioError,
  startFakeServer,
} from '../fakes/fake-server.js';

export interface FakeReplicate extends FakeServer {
  /** `origin + '/v1'`, the deployment's base URL. */
  baseUrl: string;
  /** Reads of a prediction until it ends (the ones before answer `processing`). */
  readsToFinish: number;
  /** `Prefer: wait` answers with the finished prediction; false plays a model slower than 60 s. */
  waitCompletes: boolean;
  /** Where output URLs point: this server, or another one to play replicate.delivery. */
  outputOrigin: string;
  /** When set, predictions created from now on end `failed` with this error text. */
  failWith: string | undefined;
}

interface FakePrediction {
  id: string;
  model: string;
  version: string | null;
  input: Record<string, unknown>;
  kind: 'image' | 'video' | 'music';
  outputCount: number;
  reads: number;
  status: 'starting' | 'processing' | 'succeeded' | 'failed' | 'canceled';
  failWith: string | undefined;
  text: string | undefined;
  empty: boolean;
  omitMetrics: boolean;
  createdAt: string;
}

/** A 1x1 transparent PNG. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);
/** An ISO base media header (ftyp box) and some bytes: enough to look like an MP4 to a sniffer. */
const MP4 = Buffer.concat([
  Buffer.from('000000186674797069736f6d0000020069736f6d69736f32', 'hex'),
  Buffer.alloc(2048, 7),
]);
/** An ID3 tag and MPEG audio frame headers. */
const MP3 = Buffer.concat([
  Buffer.from('ID3\x04\x00\x00\x00\x00\x00\x00', 'latin1'),
  Buffer.alloc(4096, 0xff),
]);

const FILES = {
  image: { extension: 'png', mediaType: 'image/png', data: PNG },
  video: { extension: 'mp4', mediaType: 'video/mp4', data: MP4 },
  music: { extension: 'mp3', mediaType: 'audio/mpeg', data: MP3 },
} as const;

export async function startFakeReplicate(): Promise<FakeReplicate> {
  const predictions = new Map<string, FakePrediction>();
  const holder: { fake?: FakeReplicate } = {};
  const server = await startFakeServer((exchange) => handle(exchange, holder.fake!, predictions));
  const fake: FakeReplicate = Object.assign(server, {
    baseUrl: `${server.origin}/v1`,
    readsToFinish: 2,
    waitCompletes: true,
    outputOrigin: server.origin,
    failWith: undefined,
  });
  holder.fake = fake;
  return fake;
}

async function handle(
  exchange: FakeExchange,
  fake: FakeReplicate,
  predictions: Map<string, FakePrediction>,
): Promise<void> {
  const { request } = exchange;
  const path = request.url.split('?')[0]!;
  const file = /^\/files\/([\w-]+)\/(\d+)\.(png|mp4|mp3)$/.exec(path);
  if (request.method === 'GET' && file) {
    if (sendScenarioError(exchange, problem(exchange.scenario.status ?? 500))) return;
    const served = Object.values(FILES).find((entry) => entry.extension === file[3])!;
    await exchange.sendBinary(served.data, { 'content-type': served.mediaType });
    return;
  }
  if (sendScenarioError(exchange, problem(exchange.scenario.status ?? 500))) return;
  if (!/^Bearer \S+$/.test(String(request.headers.authorization ?? ''))) {
    exchange.send(401, problem(401));
    return;
  }
  const official = /^\/v1\/models\/([\w.-]+)\/([\w.-]+)\/predictions$/.exec(path);
  if (request.method === 'POST' && (official || path === '/v1/predictions')) {
    await create(exchange, fake, predictions, official ? `${official[1]}/${official[2]}` : undefined);
    return;
  }
  const one = /^\/v1\/predictions\/([\w-]+)(\/cancel)?$/.exec(path);
  const prediction = one ? predictions.get(one[1]!) : undefined;
  if (!one || !prediction) {
    exchange.send(404, problem(404));
    return;
  }
  if (request.method === 'POST' && one[2]) {
    if (prediction.status === 'starting' || prediction.status === 'processing')
      prediction.status = 'canceled';
    exchange.send(200, predictionJson(prediction, fake));
    return;
  }
  if (request.method === 'GET' && !one[2]) {
    advance(prediction, fake);
    exchange.send(200, predictionJson(prediction, fake));
    return;
  }
  exchange.send(405, problem(405));
}

async function create(
  exchange: FakeExchange,
  fake: FakeReplicate,
  predictions: Map<string, FakePrediction>,
  officialModel: string | undefined,
): Promise<void> {
  const body = exchange.request.body as { version?: unknown; input?: unknown } | null;
  const input =
    body && typeof body.input === 'object' && body.input ? (body.input as Record<string, unknown>) : null;
  let model = officialModel;
  let version: string | null = null;
  if (!officialModel) {
    const match =
      typeof body?.version === 'string' ? /^(?:([\w.-]+\/[\w.-]+):)?([a-z0-9]+)$/.exec(body.version) : null;
    if (!match) {
      exchange.send(422, problem(422, '- version: Invalid version or not permitted'));
      return;
    }
    model = match[1] ?? 'community/model';
    version = match[2]!;
  }
  if (!input || typeof input.prompt !== 'string') {
    exchange.send(422, problem(422, '- input: prompt is required'));
    return;
  }
  const kind = /video|veo|kling|minimax|seedance|wan-/i.test(model!)
    ? 'video'
    : /music|audio|lyria|sound/i.test(model!)
      ? 'music'
      : 'image';
  const prediction: FakePrediction = {
    id: randomBytes(13).toString('hex'),
    model: model!,
    version,
    input,
    kind,
    outputCount: kind === 'image' ? Math.min(4, Math.max(1, Number(input.num_outputs) || 1)) : 1,
    reads: 0,
    status: 'starting',
    failWith: fake.failWith,
    text: exchange.scenario.text,
    empty: exchange.scenario.empty === true,
    omitMetrics: exchange.scenario.omitUsage === true,
    createdAt: new Date().toISOString(),
  };
  predictions.set(prediction.id, prediction);
  const prefer = String(exchange.request.headers.prefer ?? '');
  if (/^wait(=\d+)?$/.test(prefer) && fake.waitCompletes) finish(prediction);
  exchange.send(201, predictionJson(prediction, fake));
}

function advance(prediction: FakePrediction, fake: FakeReplicate): void {
  if (prediction.status !== 'starting' && prediction.status !== 'processing') return;
  prediction.reads += 1;
  if (prediction.reads >= fake.readsToFinish) finish(prediction);
  else prediction.status = 'processing';
}

function finish(prediction: FakePrediction): void {
  prediction.status = prediction.failWith === undefined ? 'succeeded' : 'failed';
}

function predictionJson(prediction: FakePrediction, fake: FakeReplicate): Record<string, unknown> {
  const done =
    prediction.status === 'succeeded' || prediction.status === 'failed' || prediction.status === 'canceled';
  const file = FILES[prediction.kind];
  const urls = Array.from(
    { length: prediction.outputCount },
    (_, index) => `${fake.outputOrigin}/files/${prediction.id}/${index}.${file.extension}`,
  );
  let output: unknown = null;
  if (prediction.status === 'succeeded' && !prediction.empty) {
    if (prediction.text !== undefined) output = prediction.text;
    else output = prediction.kind === 'image' ? urls : urls[0];
  }
  const metrics: Record<string, number> = { predict_time: 1.25, total_time: 1.5 };
  if (prediction.kind === 'video') metrics.video_output_duration_seconds = 5;
  return {
    id: prediction.id,
    model: prediction.model,
    version: prediction.version ?? 'hidden',
    input: prediction.input,
    logs: logs(prediction, fake.readsToFinish),
    output,
    data_removed: false,
    error: prediction.status === 'failed' ? prediction.failWith : null,
    status: prediction.status,
    source: 'api',
    created_at: prediction.createdAt,
    started_at: prediction.status === 'starting' ? null : prediction.createdAt,
    completed_at: done ? new Date().toISOString() : null,
    ...(done && !prediction.omitMetrics && prediction.status !== 'canceled' ? { metrics } : {}),
    urls: {
      cancel: `${fake.baseUrl}/predictions/${prediction.id}/cancel`,
      get: `${fake.baseUrl}/predictions/${prediction.id}`,
      web: `https://replicate.com/p/${prediction.id}`,
    },
  };
}

/** tqdm bars as Cog models print them; a failure ends with the model's traceback. */
function logs(prediction: FakePrediction, readsToFinish: number): string {
  if (prediction.status === 'starting') return '';
  const steps = 4;
  const reached =
    prediction.status === 'processing' ? Math.floor((prediction.reads / readsToFinish) * steps) : steps;
  const lines = ['Using seed: 1234'];
  for (let step = 0; step <= reached; step++) {
    const percent = String((step / steps) * 100).padStart(3);
    lines.push(
      `${percent}%|${'█'.repeat(step * 2).padEnd(8)}| ${step}/${steps} [00:0${step}<00:0${steps - step}]`,
    );
  }
  if (prediction.status === 'failed')
    lines.push('Traceback (most recent call last):', String(prediction.failWith));
  return `${lines.join('\n')}\n`;
}

const TITLES: Record<number, string> = {
  401: 'Unauthenticated',
  402: 'Insufficient credit',
  404: 'Not found',
  405: 'Method not allowed',
  422: 'Input validation failed',
  429: 'Request was throttled',
  500: 'Internal server error',
  503: 'Service unavailable',
};

/** Replicate's problem+json error body. */
function problem(status: number, detail?: string): Record<string, unknown> {
  const title = TITLES[status] ?? 'Error';
  const body: Record<string, unknown> = {
    title,
    detail:
      detail ??
      (status === 429
        ? 'Request was throttled. Your rate limit resets in ~1s.'
        : `${title} (fake replicate)`),
    status,
  };
  if (status === 422)
    body.invalid_fields = [{ type: 'required', field: 'input', description: String(body.detail) }];
  return body;
}
