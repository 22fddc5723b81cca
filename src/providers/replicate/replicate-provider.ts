/**
 * Replicate: predictions run as async jobs (video, music, slow images) and as images the gateway
 * waits for. Model ids are `owner/name` for official models (POST /models/{owner}/{name}/predictions)
 * or `owner/name:version` for any other (POST /predictions with the version).
 * https://replicate.com/docs/reference/http
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Dispatcher } from 'undici';
import { nearestAspectRatio } from '../http/aspect-ratio.js';
import { sendUpstreamJson, transportError } from '../http/upstream.js';
import type {
  AsyncJobRequest,
  AsyncJobStatus,
  CallOptions,
  ImageRequest,
  ImageResult,
  ProviderAdapter,
} from '../spec.js';
import { ProviderError } from '../spec.js';
import {
  type ReplicateCreatePredictionBody,
  type TReplicatePrediction,
  ZReplicatePrediction,
} from './replicate-api-types.js';
import { predictionFailedError, readReplicateError } from './replicate-error.js';
import {
  defaultDownloadDispatcher,
  downloadOutputs,
  type OutputDownloadSettings,
} from './replicate-outputs.js';

export interface ReplicateAdapterOptions {
  /** First pause between two reads of a prediction generateImage waits for; it doubles from there. */
  pollIntervalMs?: number;
  /** Longest pause between two reads. */
  maxPollIntervalMs?: number;
  /** Dispatcher for output files on replicate.delivery (a shared keep-alive Agent by default). */
  downloadDispatcher?: Dispatcher;
  /** Origins besides the deployment's and replicate.delivery whose output files are downloaded. */
  extraOutputOrigins?: string[];
  /** Largest output file accepted, in bytes (default 256 MiB: a few minutes of 1080p video). */
  maxOutputBytes?: number;
}

const PROVIDER = 'replicate';

export function createReplicateAdapter(options: ReplicateAdapterOptions = {}): ProviderAdapter {
  const pollIntervalMs = options.pollIntervalMs ?? 1_000;
  const maxPollIntervalMs = options.maxPollIntervalMs ?? 5_000;
  const downloads = (): OutputDownloadSettings => ({
    downloadDispatcher: options.downloadDispatcher ?? defaultDownloadDispatcher(),
    extraOutputOrigins: new Set(options.extraOutputOrigins ?? []),
    maxOutputBytes: options.maxOutputBytes ?? 256 * 1024 * 1024,
  });

  return {
    provider: PROVIDER,

    async startJob(request: AsyncJobRequest, call: CallOptions) {
      const prediction = await createPrediction(call, request.model, request.input, false);
      return { upstreamId: prediction.id };
    },

    async pollJob(upstreamId: string, call: CallOptions): Promise<AsyncJobStatus> {
      const prediction = await readPrediction(call, upstreamId);
      return jobStatus(prediction, call, downloads());
    },

    async cancelJob(upstreamId: string, call: CallOptions): Promise<void> {
      // Cancelling a prediction that already ended answers 200 with its final state: nothing to do.
      await sendUpstreamJson(
        PROVIDER,
        call,
        { method: 'POST', path: `/predictions/${predictionIdPath(upstreamId)}/cancel`, headers: auth(call) },
        ZReplicatePrediction,
        readReplicateError,
      );
    },

    async generateImage(request: ImageRequest, call: CallOptions): Promise<ImageResult> {
      // `Prefer: wait` holds the request up to 60 s; a slower model answers `starting` and is polled.
      let prediction = await createPrediction(call, request.model, imageInput(request), true);
      let pause = pollIntervalMs;
      try {
        while (isRunning(prediction)) {
          await sleep(pause, undefined, { signal: call.signal });
          pause = Math.min(pause * 2, maxPollIntervalMs);
          prediction = await readPrediction(call, prediction.id);
        }
      } catch (error) {
        // Giving up on a prediction (our abort, or reads that keep failing) must also stop it, or
        // it runs on and is billed while the router starts another one.
        await cancelQuietly(call, prediction.id);
        throw transportError(PROVIDER, error, call.signal);
      }
      const status = await jobStatus(prediction, call, downloads());
      if (status.state === 'failed') throw status.error;
      if (status.state !== 'succeeded') {
        throw new ProviderError('server', 'replicate cancelled the prediction before it finished');
      }
      return { images: status.outputs.map((output) => ({ data: output.data, mediaType: output.mediaType })) };
    },
  };
}

async function createPrediction(
  call: CallOptions,
  model: string,
  input: Record<string, unknown>,
  wait: boolean,
): Promise<TReplicatePrediction> {
  const match = MODEL_ID.exec(model);
  if (!match) {
    throw new ProviderError('bad_request', 'replicate model ids are owner/name or owner/name:version');
  }
  const [, owner, name, version] = match;
  const body: ReplicateCreatePredictionBody = version ? { version, input } : { input };
  const headers = auth(call);
  if (wait) headers.prefer = 'wait';
  return sendUpstreamJson(
    PROVIDER,
    call,
    {
      method: 'POST',
      path: version ? '/predictions' : `/models/${owner}/${name}/predictions`,
      headers,
      body,
    },
    ZReplicatePrediction,
    readReplicateError,
  );
}

function readPrediction(call: CallOptions, id: string): Promise<TReplicatePrediction> {
  return sendUpstreamJson(
    PROVIDER,
    call,
    { method: 'GET', path: `/predictions/${predictionIdPath(id)}`, headers: auth(call) },
    ZReplicatePrediction,
    readReplicateError,
  );
}

async function jobStatus(
  prediction: TReplicatePrediction,
  call: CallOptions,
  settings: OutputDownloadSettings,
): Promise<AsyncJobStatus> {
  switch (prediction.status) {
    case 'starting':
    case 'processing': {
      const progress = progressFromLogs(prediction.logs);
      return progress === undefined ? { state: 'running' } : { state: 'running', progress };
    }
    case 'failed':
      return { state: 'failed', error: predictionFailedError(prediction.error) };
    case 'canceled':
    case 'aborted':
      return { state: 'canceled' };
    case 'succeeded': {
      const outputs = await downloadOutputs(prediction.output, call, settings);
      const metrics = prediction.metrics;
      const predictSeconds = metrics?.predict_time ?? undefined;
      const outputSeconds =
        metrics?.video_output_duration_seconds ?? metrics?.audio_output_duration_seconds ?? undefined;
      if (predictSeconds === undefined && outputSeconds === undefined) return { state: 'succeeded', outputs };
      return {
        state: 'succeeded',
        outputs,
        metrics: {
          ...(predictSeconds !== undefined && { predictSeconds }),
          ...(outputSeconds !== undefined && { outputSeconds }),
        },
      };
    }
  }
}

function isRunning(prediction: TReplicatePrediction): boolean {
  return prediction.status === 'starting' || prediction.status === 'processing';
}

/**
 * Progress in percent (0-100) from the logs: models print tqdm bars (` 45%|████▌     | 9/20`), so
 * the last percentage written is the latest. Undefined when the logs hold none.
 */
export function progressFromLogs(logs: string | null | undefined): number | undefined {
  if (!logs) return undefined;
  let last: number | undefined;
  for (const match of logs.matchAll(/(\d{1,3}(?:\.\d+)?)\s?%/g)) last = Number(match[1]);
  return last === undefined ? undefined : Math.min(100, Math.max(0, last));
}

/** The common inputs of Replicate's image models (FLUX, SDXL, Imagen...); models ignore unknown keys. */
function imageInput(request: ImageRequest): Record<string, unknown> {
  const input: Record<string, unknown> = { prompt: request.prompt, num_outputs: request.n };
  if (request.size !== undefined) input.aspect_ratio = nearestAspectRatio(request.size, ASPECT_RATIOS);
  if (request.negativePrompt !== undefined) input.negative_prompt = request.negativePrompt;
  if (request.seed !== undefined) input.seed = request.seed;
  return input;
}

/** The aspect ratios Replicate's official image models accept (FLUX's list, the widest one). */
const ASPECT_RATIOS = [
  '1:1',
  '16:9',
  '21:9',
  '3:2',
  '2:3',
  '4:5',
  '5:4',
  '3:4',
  '4:3',
  '9:16',
  '9:21',
] as const;

/** Stops a prediction we no longer wait for; its own deadline, not the caller's aborted signal. */
async function cancelQuietly(call: CallOptions, id: string): Promise<void> {
  try {
    await sendUpstreamJson(
      PROVIDER,
      { ...call, signal: AbortSignal.timeout(5_000) },
      { method: 'POST', path: `/predictions/${predictionIdPath(id)}/cancel`, headers: auth(call) },
      ZReplicatePrediction,
      readReplicateError,
    );
  } catch {
    // The prediction then runs to its end; the job runner's own cancel is the second line.
  }
}

/** `owner/name` or `owner/name:version`, in the characters Replicate allows. */
const MODEL_ID = /^([A-Za-z0-9][\w.-]*)\/([A-Za-z0-9][\w.-]*)(?::([A-Za-z0-9]+))?$/;

/** Prediction ids are lowercase base32; anything else must not reach a URL path. */
function predictionIdPath(id: string): string {
  if (!/^[A-Za-z0-9_-]{1,128}$/.test(id)) {
    throw new ProviderError('bad_request', 'not a replicate prediction id');
  }
  return id;
}

function auth(call: CallOptions): Record<string, string> {
  return call.deployment.apiKey ? { authorization: `Bearer ${call.deployment.apiKey}` } : {};
}
