/**
 * Anthropic's error bodies and in-stream `error` events -> ProviderError. HTTP errors are
 * classified by status in the shared helper (429, 529 overloaded, 5xx, 401/403, other 4xx); an
 * error that arrives inside a 200 stream has no status, so its `error.type` decides.
 */
import type { ProviderErrorKind } from '../spec.js';
import { ProviderError } from '../spec.js';
import { ZAnthropicErrorBody } from './anthropic-api-types.js';

export const ANTHROPIC = 'anthropic';

/** The ErrorBodyReader for sendUpstream: Anthropic's `error.type` and `error.message`. */
export function readAnthropicError(body: unknown): { code?: string; message?: string } {
  const parsed = ZAnthropicErrorBody.safeParse(body);
  if (!parsed.success) return {};
  return { code: parsed.data.error.type, message: parsed.data.error.message };
}

/** The error types Anthropic documents, with the status each comes with. */
const KIND_BY_TYPE: Record<string, ProviderErrorKind> = {
  invalid_request_error: 'bad_request', // 400
  authentication_error: 'auth', // 401
  billing_error: 'auth', // 402: the deployment's account, like a bad key
  permission_error: 'auth', // 403
  not_found_error: 'bad_request', // 404
  request_too_large: 'bad_request', // 413
  rate_limit_error: 'rate_limited', // 429
  api_error: 'server', // 500
  timeout_error: 'timeout', // 504
  overloaded_error: 'overloaded', // 529
};

/** An `event: error` inside a stream, e.g. `{"type":"overloaded_error","message":"Overloaded"}`. */
export function streamErrorFromEvent(error: { type: string; message?: string }): ProviderError {
  const kind = KIND_BY_TYPE[error.type] ?? 'server';
  // Anthropic's messages name the failure, not the prompt; capped like HTTP error messages.
  const detail = error.message ? `: ${error.message.slice(0, 300)}` : '';
  return new ProviderError(kind, `${ANTHROPIC} failed mid-stream (${error.type})${detail}`, {
    providerCode: error.type,
  });
}
