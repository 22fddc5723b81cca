/**
 * Google's error bodies -> ProviderError, and the one request function the Google adapter uses.
 * Google puts its retry hint in the body (`google.rpc.RetryInfo`, e.g. `"retryDelay": "34.4s"`),
 * not in a Retry-After header, and answers a wrong API key with 400 INVALID_ARGUMENT plus an
 * ErrorInfo reason: both are read here so routing never parses Google's bodies.
 * Reference: https://ai.google.dev/gemini-api/docs/troubleshooting
 */
import type { z } from 'zod';
import type { UpstreamRequest, UpstreamResponse } from '../http/upstream.js';
import { kindForStatus, sendUpstream } from '../http/upstream.js';
import type { CallOptions, ProviderErrorKind } from '../spec.js';
import { ProviderError } from '../spec.js';
import { ZGoogleErrorBody, type ZGoogleErrorObject } from './google-api-types.js';

export const GOOGLE = 'google';

export interface GoogleErrorDetails {
  /** The HTTP status Google repeats in the body. */
  code?: number;
  /** The google.rpc.Code name, e.g. `RESOURCE_EXHAUSTED`. */
  status?: string;
  message?: string;
  /** The ErrorInfo reason, e.g. `API_KEY_INVALID`. */
  reason?: string;
  retryAfterMs?: number;
}

/** ErrorInfo reasons that blame the deployment's key, whatever the status. */
const KEY_REASONS: ReadonlySet<string> = new Set([
  'API_KEY_INVALID',
  'API_KEY_EXPIRED',
  'API_KEY_SERVICE_BLOCKED',
]);

export function readGoogleErrorDetails(body: unknown): GoogleErrorDetails {
  // streamGenerateContent without alt=sse wraps its error in a JSON array; accept that shape too.
  const parsed = ZGoogleErrorBody.safeParse(Array.isArray(body) ? body[0] : body);
  if (!parsed.success) return {};
  return detailsOf(parsed.data.error);
}

function detailsOf(error: z.infer<typeof ZGoogleErrorObject>): GoogleErrorDetails {
  const details = error.details ?? [];
  const retryDelay = details.find((detail) => detail['@type']?.endsWith('google.rpc.RetryInfo'))?.retryDelay;
  const reason = details.find((detail) => detail['@type']?.endsWith('google.rpc.ErrorInfo'))?.reason;
  return {
    code: error.code,
    status: error.status,
    message: error.message,
    reason,
    retryAfterMs: parseGoogleDuration(retryDelay),
  };
}

/** A protobuf Duration in its JSON form (`12s`, `34.4s`, `0.5s`), in milliseconds. */
export function parseGoogleDuration(value: string | undefined): number | undefined {
  const match = value === undefined ? null : /^(\d+(?:\.\d+)?)s$/.exec(value.trim());
  return match ? Math.ceil(Number(match[1]) * 1000) : undefined;
}

function kindFor(status: number, details: GoogleErrorDetails): ProviderErrorKind {
  if (details.reason !== undefined && KEY_REASONS.has(details.reason)) return 'auth';
  return kindForStatus(status);
}

/**
 * sendUpstream with the key in `x-goog-api-key` (never in the query string, where proxies log it)
 * and Google's error body read for the retry hint and the key reasons.
 */
export async function sendGoogleUpstream(
  call: CallOptions,
  request: UpstreamRequest,
): Promise<UpstreamResponse> {
  const headers: Record<string, string> = { ...request.headers };
  if (call.deployment.apiKey !== undefined) headers['x-goog-api-key'] = call.deployment.apiKey;
  let details: GoogleErrorDetails = {};
  try {
    return await sendUpstream(GOOGLE, call, { ...request, headers }, (body) => {
      details = readGoogleErrorDetails(body);
      return { code: details.status, message: details.message };
    });
  } catch (error) {
    if (!(error instanceof ProviderError) || error.status === undefined) throw error;
    throw new ProviderError(kindFor(error.status, details), error.message, {
      status: error.status,
      // A Retry-After header (from a proxy in front of Google) wins over the body's hint.
      retryAfterMs: error.retryAfterMs ?? details.retryAfterMs,
      providerCode: error.options.providerCode,
    });
  }
}

/** An error Google sent as an event of a stream that had already answered 200. */
export function googleStreamError(error: z.infer<typeof ZGoogleErrorObject>): ProviderError {
  const details = detailsOf(error);
  const code = details.code ?? 500;
  // Google's messages name parameters and quotas, not prompt text; capped all the same.
  const message = details.message ? `: ${details.message.slice(0, 300)}` : '';
  return new ProviderError(kindFor(code, details), `${GOOGLE} failed mid-stream with ${code}${message}`, {
    retryAfterMs: details.retryAfterMs,
    providerCode: details.status,
  });
}
