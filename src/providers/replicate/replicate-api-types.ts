/**
 * Replicate's HTTP API as we use it (https://replicate.com/docs/reference/http): predictions are
 * created, read and cancelled; everything else about them (model, version, input, timestamps,
 * urls.web, urls.stream...) passes through unread, so new fields never break parsing.
 */
import { z } from 'zod';

/** `aborted` is the newer status of a prediction stopped before it started (deadline reached). */
export const ZReplicatePredictionStatus = z.enum([
  'starting',
  'processing',
  'succeeded',
  'failed',
  'canceled',
  'aborted',
]);

export const ZReplicatePrediction = z.looseObject({
  id: z.string().min(1),
  status: ZReplicatePredictionStatus,
  /** A URL string, an array of URLs, text, or any JSON the model returns; null until it succeeds. */
  output: z.unknown().optional(),
  /** The model's error text when `failed`; usually a string, kept unknown to survive an object. */
  error: z.unknown().optional(),
  logs: z.string().nullish(),
  metrics: z
    .looseObject({
      /** Seconds of GPU or CPU time, what per-second models are billed by. */
      predict_time: z.number().nonnegative().nullish(),
      /** Seconds of output, what per-output-second official video and audio models are billed by. */
      video_output_duration_seconds: z.number().nonnegative().nullish(),
      audio_output_duration_seconds: z.number().nonnegative().nullish(),
    })
    .nullish(),
});

export type TReplicatePrediction = z.infer<typeof ZReplicatePrediction>;

/** `{ title, detail, status }` (application/problem+json); 422s add `invalid_fields`. */
export const ZReplicateErrorBody = z.looseObject({
  title: z.string().optional(),
  detail: z.string().optional(),
  status: z.number().optional(),
});

/** POST /models/{owner}/{name}/predictions (official models) or POST /predictions with a version. */
export interface ReplicateCreatePredictionBody {
  version?: string;
  input: Record<string, unknown>;
}
