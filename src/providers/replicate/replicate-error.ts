/**
 * Replicate's failures as ProviderErrors: HTTP errors (problem+json bodies, classified by status in
 * the shared statusError) and predictions that ended `failed`, which Replicate reports with a 200
 * and free text written by the model's own code.
 */
import type { ErrorBodyReader } from '../http/upstream.js';
import { ProviderError } from '../spec.js';
import { ZReplicateErrorBody } from './replicate-api-types.js';

/** `{ title, detail, status }`: the title is the closest thing Replicate has to an error code. */
export const readReplicateError: ErrorBodyReader = (body) => {
  const parsed = ZReplicateErrorBody.safeParse(body);
  if (!parsed.success) return {};
  return { code: parsed.data.title, message: parsed.data.detail ?? parsed.data.title };
};

/**
 * A failed prediction's error text, classified. The text is whatever the model's Python raised, so
 * it can quote the input: it never goes into the message, only the class does.
 *
 * - Capacity and infrastructure failures (out of memory, interrupted, timed out, "please retry")
 *   are `server`: retryable, another attempt or deployment may well succeed.
 * - Safety-checker refusals (NSFW, flagged content) are `content_filter`: the same input fails again.
 * - Input the model rejected (ValueError, "invalid", "must be", "not supported", too long...) is
 *   `bad_request`: the client has to change the request.
 * - Anything else is `server`: an unexplained crash in the model is more often transient than not,
 *   and the router bounds retries anyway.
 */
export function predictionFailedError(errorText: unknown): ProviderError {
  const text = typeof errorText === 'string' ? errorText : JSON.stringify(errorText ?? '');
  if (TRANSIENT.test(text)) {
    return new ProviderError(
      'server',
      'replicate prediction failed (the model ran out of resources or was interrupted)',
      {
        providerCode: 'prediction_interrupted',
      },
    );
  }
  if (CONTENT_FILTER.test(text)) {
    return new ProviderError(
      'content_filter',
      'replicate prediction failed: the model’s safety checker refused it',
      {
        providerCode: 'prediction_flagged',
      },
    );
  }
  if (INVALID_INPUT.test(text)) {
    return new ProviderError('bad_request', 'replicate prediction failed: the model rejected its input', {
      providerCode: 'prediction_invalid_input',
    });
  }
  return new ProviderError('server', 'replicate prediction failed with a model error', {
    providerCode: 'prediction_failed',
  });
}

const TRANSIENT =
  /out of memory|\boom\b|cuda error|interrupted|please retry|timed? ?out|deadline|internal (server )?error|connection (reset|refused)|no capacity|unavailable/i;
const CONTENT_FILTER = /nsfw|safety check|flagged|sensitive content|content policy|inappropriate|moderation/i;
const INVALID_INPUT =
  /valueerror|validation|invalid|must be|is required|not supported|unsupported|out of range|too (long|large|short|many|few)|exceeds|cannot identify image|unexpected keyword/i;
