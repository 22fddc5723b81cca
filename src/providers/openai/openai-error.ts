/**
 * OpenAI's error bodies (`{error:{message,type,param,code}}`) and those of the compatible servers
 * -> ProviderError. The shared helper classifies HTTP errors by status (429, 503, 5xx, 401/403,
 * other 4xx) and honours Retry-After / retry-after-ms; here the provider's `code` refines that
 * where the status alone misleads, and errors that arrive inside a 200 stream are classified.
 */

import type { z } from 'zod';
import { kindForStatus, transportError } from '../http/upstream.js';
import type { ProviderErrorKind } from '../spec.js';
import { ProviderError } from '../spec.js';
import { ZOpenAiErrorBody, ZOpenAiErrorObject } from './openai-api-types.js';

/** Codes meaning the provider's moderation refused the prompt or the output. */
const CONTENT_FILTER_CODES = new Set([
  'content_filter', // Azure OpenAI
  'content_policy_violation', // DALL-E
  'moderation_blocked', // gpt-image
]);

/**
 * Codes whose status would classify them wrongly. An exhausted quota comes as 429 but waiting does
 * not help: like a bad key it is the deployment's account (Anthropic's billing_error is mapped so
 * too), so the router moves on instead of retrying the same deployment.
 */
const KIND_BY_CODE: Record<string, ProviderErrorKind> = {
  insufficient_quota: 'auth',
  context_length_exceeded: 'bad_request',
  string_above_max_length: 'bad_request',
};

/** An error inside a stream has no status: its code or type is all there is. */
const STREAM_KIND_BY_CODE: Record<string, ProviderErrorKind> = {
  ...KIND_BY_CODE,
  rate_limit_exceeded: 'rate_limited',
  invalid_request_error: 'bad_request',
  invalid_api_key: 'auth',
  server_error: 'server',
  timeout: 'timeout',
};

/** The ErrorBodyReader for sendUpstream. Content-filter codes become `content_filter`. */
export function readOpenAiError(body: unknown): { code?: string; message?: string } {
  const wrapped = ZOpenAiErrorBody.safeParse(body);
  const bare = ZOpenAiErrorObject.safeParse(body);
  const error = wrapped.success ? wrapped.data.error : bare.success ? bare.data : undefined;
  if (error === undefined) return {};
  if (typeof error === 'string') return { message: error.slice(0, 300) };
  return { code: errorCode(error), message: safeMessage(error.message) };
}

/**
 * Re-classifies a failure by the provider's code (see KIND_BY_CODE), and turns anything that is not
 * a ProviderError yet into one. Adapters pass every failure through it.
 */
export function refineOpenAiError(provider: string, error: unknown, signal?: AbortSignal): ProviderError {
  const failure = error instanceof ProviderError ? error : transportError(provider, error, signal);
  const code = failure.options.providerCode;
  let kind: ProviderErrorKind | undefined = code ? KIND_BY_CODE[code] : undefined;
  // OpenRouter's "insufficient credits": the deployment's account, not the request.
  if (failure.status === 402) kind = 'auth';
  if (code && CONTENT_FILTER_CODES.has(code)) kind = 'content_filter';
  if (!kind || kind === failure.kind || failure.status === undefined) return failure;
  return new ProviderError(kind, failure.message, failure.options);
}

/** `data: {"error":{...}}` inside a 200 stream (OpenAI on a server fault, OpenRouter mid-stream). */
export function streamErrorFromChunk(
  provider: string,
  error: z.infer<typeof ZOpenAiErrorObject>,
): ProviderError {
  const code = errorCode(error);
  let kind: ProviderErrorKind = 'server';
  if (typeof error.code === 'number' && error.code >= 400) kind = kindForStatus(error.code);
  else if (code && CONTENT_FILTER_CODES.has(code)) kind = 'content_filter';
  else if (code && STREAM_KIND_BY_CODE[code]) kind = STREAM_KIND_BY_CODE[code];
  const message = safeMessage(error.message);
  return new ProviderError(kind, `${provider} failed mid-stream${message ? `: ${message}` : ''}`, {
    providerCode: code,
  });
}

function errorCode(error: z.infer<typeof ZOpenAiErrorObject>): string | undefined {
  const code = typeof error.code === 'string' && error.code !== '' ? error.code : (error.type ?? undefined);
  if (code && CONTENT_FILTER_CODES.has(code)) return 'content_filter';
  return code ?? undefined;
}

/**
 * OpenAI's messages name parameters, not prompt text. Mistral's and vLLM's validation reports are
 * objects whose `input` echoes what was sent (possibly the prompt): only locations and reasons
 * are kept from them.
 */
function safeMessage(message: unknown): string | undefined {
  if (typeof message === 'string') {
    if (!message.startsWith('{')) return message.slice(0, 300);
    // Older Mistral answers carry the validation report as JSON text.
    try {
      return safeMessage(JSON.parse(message));
    } catch {
      return message.slice(0, 300);
    }
  }
  const detail = (message as { detail?: unknown } | null)?.detail ?? message;
  if (!Array.isArray(detail)) return undefined;
  const reasons = detail.map((item: { loc?: unknown; msg?: unknown }) => {
    const where = Array.isArray(item?.loc) ? item.loc.join('.') : '';
    return `${where}${typeof item?.msg === 'string' ? `: ${item.msg}` : ''}`;
  });
  return reasons.join('; ').slice(0, 300) || undefined;
}
