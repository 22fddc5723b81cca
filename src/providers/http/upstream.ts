/**
 * HTTP to providers through undici, shared by every adapter: one request helper that maps
 * transport failures and error statuses to ProviderError, and the body readers adapters need.
 */
import type { Dispatcher } from 'undici';
import { errors as undiciErrors } from 'undici';
import type { z } from 'zod';
import type { CallOptions, ProviderErrorKind } from '../spec.js';
import { ProviderError } from '../spec.js';

export interface UpstreamRequest {
  method?: 'GET' | 'POST' | 'DELETE';
  /** Relative to the deployment's base URL, e.g. `/chat/completions`; may carry a query string. */
  path: string;
  headers?: Record<string, string>;
  /** An object is sent as JSON; a Buffer or string as is. */
  body?: unknown;
  /** Cap on the whole response for non-stream reads (default 64 MiB: images and audio). */
  maxBytes?: number;
}

export interface UpstreamResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Dispatcher.ResponseData['body'];
}

/** Reads the provider's own error code and message from an error body; adapters supply it. */
export type ErrorBodyReader = (body: unknown) => { code?: string; message?: string };

/** The full path for a deployment: `https://api.openai.com/v1` + `/chat/completions`. */
export function upstreamPath(baseUrl: string, path: string): string {
  const base = new URL(baseUrl).pathname.replace(/\/+$/, '');
  return `${base}${path.startsWith('/') ? path : `/${path}`}`;
}

/**
 * Sends one request. Resolves only for 2xx; any other status is read (up to 64 KiB) and thrown as
 * a ProviderError classified by status, with Retry-After honoured. The body of a 2xx answer is the
 * caller's to consume or destroy.
 */
export async function sendUpstream(
  provider: string,
  call: CallOptions,
  request: UpstreamRequest,
  readError: ErrorBodyReader = readGenericError,
): Promise<UpstreamResponse> {
  const headers: Record<string, string> = { ...call.deployment.headers, ...request.headers };
  let body: string | Buffer | undefined;
  if (request.body !== undefined) {
    if (Buffer.isBuffer(request.body) || typeof request.body === 'string') body = request.body;
    else {
      body = JSON.stringify(request.body);
      headers['content-type'] ??= 'application/json';
    }
  }
  let response: Dispatcher.ResponseData;
  try {
    response = await call.dispatcher.request({
      origin: new URL(call.deployment.baseUrl).origin,
      path: upstreamPath(call.deployment.baseUrl, request.path),
      method: request.method ?? (body === undefined ? 'GET' : 'POST'),
      headers,
      body,
      signal: call.signal,
    });
  } catch (error) {
    throw transportError(provider, error, call.signal);
  }
  if (response.statusCode >= 200 && response.statusCode < 300) {
    return { status: response.statusCode, headers: response.headers, body: response.body };
  }
  let text = '';
  try {
    text = await readText(response.body, 64 * 1024);
  } catch {
    // The status is what matters; an unreadable error body is not worth a second failure.
  }
  throw statusError(provider, response.statusCode, response.headers, text, readError);
}

/** Sends a request and parses its JSON answer with the provider's schema of it. */
export async function sendUpstreamJson<T>(
  provider: string,
  call: CallOptions,
  request: UpstreamRequest,
  schema: z.ZodType<T>,
  readError?: ErrorBodyReader,
): Promise<T> {
  const response = await sendUpstream(provider, call, request, readError);
  const bytes = await readBody(provider, response.body, request.maxBytes, call.signal);
  return parseUpstreamJson(provider, bytes.toString('utf8'), schema, response.status);
}

/** Parses one upstream JSON document (a body or a stream chunk); failures are `malformed`. */
export function parseUpstreamJson<T>(
  provider: string,
  text: string,
  schema: z.ZodType<T>,
  status?: number,
): T {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ProviderError('malformed', `${provider} sent something that is not JSON`, { status });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const where = parsed.error.issues[0]?.path.join('.') || 'the top level';
    throw new ProviderError('malformed', `${provider} sent JSON of an unexpected shape (at ${where})`, {
      status,
    });
  }
  return parsed.data;
}

/** Reads a whole body into a Buffer, refusing more than maxBytes. */
export async function readBody(
  provider: string,
  body: AsyncIterable<Buffer>,
  maxBytes = 64 * 1024 * 1024,
  signal?: AbortSignal,
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body) {
      size += chunk.length;
      if (size > maxBytes)
        throw new ProviderError('malformed', `${provider} answered with more than ${maxBytes} bytes`);
      chunks.push(chunk);
    }
  } catch (error) {
    if (error instanceof ProviderError) throw error;
    throw transportError(provider, error, signal, 'interrupted');
  }
  return Buffer.concat(chunks);
}

async function readText(body: AsyncIterable<Buffer>, maxBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    if (size < maxBytes) chunks.push(chunk);
    size += chunk.length;
  }
  return Buffer.concat(chunks).toString('utf8').slice(0, maxBytes);
}

export function kindForStatus(status: number): ProviderErrorKind {
  if (status === 429) return 'rate_limited';
  if (status === 503 || status === 529) return 'overloaded';
  if (status === 408 || status === 504) return 'timeout';
  if (status >= 500) return 'server';
  if (status === 401 || status === 403) return 'auth';
  return 'bad_request';
}

/** Retry-After in seconds or as an HTTP date, or OpenAI's retry-after-ms, in milliseconds. */
export function retryAfterMs(
  headers: Record<string, string | string[] | undefined>,
  now = Date.now(),
): number | undefined {
  const ms = single(headers['retry-after-ms']);
  if (ms !== undefined && /^\d+(\.\d+)?$/.test(ms)) return Math.ceil(Number(ms));
  const value = single(headers['retry-after']);
  if (value === undefined) return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.ceil(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export function statusError(
  provider: string,
  status: number,
  headers: Record<string, string | string[] | undefined>,
  text: string,
  readError: ErrorBodyReader = readGenericError,
): ProviderError {
  let parsed: { code?: string; message?: string } = {};
  try {
    parsed = readError(JSON.parse(text));
  } catch {
    // Not JSON (an HTML error page from a proxy): the status alone classifies it.
  }
  const kind = parsed.code === 'content_filter' ? 'content_filter' : kindForStatus(status);
  // The provider's message names parameters, not prompt text; cap it so nothing long leaks through.
  const detail = parsed.message ? `: ${parsed.message.slice(0, 300)}` : '';
  return new ProviderError(kind, `${provider} answered ${status}${detail}`, {
    status,
    retryAfterMs: retryAfterMs(headers),
    providerCode: parsed.code,
  });
}

/** `{ error: { type|code, message } }` (OpenAI, Anthropic) or `{ error: { status, message } }` (Google). */
export function readGenericError(body: unknown): { code?: string; message?: string } {
  const error = (body as { error?: unknown } | null)?.error;
  if (error && typeof error === 'object') {
    const e = error as { code?: unknown; type?: unknown; status?: unknown; message?: unknown };
    const code = [e.code, e.type, e.status].find((value) => typeof value === 'string') as string | undefined;
    return { code, message: typeof e.message === 'string' ? e.message : undefined };
  }
  if (typeof error === 'string') return { message: error };
  const detail = (body as { detail?: unknown } | null)?.detail;
  if (typeof detail === 'string') return { message: detail };
  return {};
}

/** Maps an undici or abort failure to a ProviderError. */
export function transportError(
  provider: string,
  error: unknown,
  signal?: AbortSignal,
  fallback: ProviderErrorKind = 'network',
): ProviderError {
  if (error instanceof ProviderError) return error;
  if (signal?.aborted) {
    const reason = signal.reason;
    if (reason instanceof ProviderError) return reason;
    return new ProviderError('aborted', `the request to ${provider} was cancelled`);
  }
  if (
    error instanceof undiciErrors.HeadersTimeoutError ||
    error instanceof undiciErrors.BodyTimeoutError ||
    error instanceof undiciErrors.ConnectTimeoutError
  ) {
    return new ProviderError('timeout', `${provider} did not answer in time`);
  }
  if (error instanceof undiciErrors.RequestAbortedError || (error as Error)?.name === 'AbortError') {
    return new ProviderError('aborted', `the request to ${provider} was cancelled`);
  }
  const code = (error as { code?: string })?.code;
  const what = fallback === 'interrupted' ? 'stopped answering' : 'could not be reached';
  return new ProviderError(fallback, `${provider} ${what}${code ? ` (${code})` : ''}`);
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
