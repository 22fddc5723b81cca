/**
 * The one way the web app talks to the server: same-origin fetch with the session cookie, the
 * session's CSRF token on every state-changing request, and the server's error shape
 * (`{ error: { type, message, details } }` under /api, OpenAI's under /v1) turned into ApiError.
 * The server's messages arrive in English; the client's own (no connection, no readable answer)
 * are written in the language on screen.
 */
import { translateNow } from '../i18n/active-locale';

let csrfToken: string | null = null;

/** Set from the session (log-in or GET /api/auth/session); cleared on log-out. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

export interface FieldIssue {
  path: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues: FieldIssue[] = [],
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

const SAFE = new Set(['GET', 'HEAD']);

export function apiHeaders(method: string, extra: Record<string, string> = {}): Record<string, string> {
  const headers: Record<string, string> = { accept: 'application/json', ...extra };
  if (!SAFE.has(method) && csrfToken) headers['x-csrf-token'] = csrfToken;
  return headers;
}

/** Raw fetch with the session's headers: for streams and downloads. Throws ApiError on non-2xx. */
export async function apiFetch(path: string, init: RequestInit & { json?: unknown } = {}): Promise<Response> {
  const method = (init.method ?? (init.json === undefined ? 'GET' : 'POST')).toUpperCase();
  const { json, ...rest } = init;
  const headers = apiHeaders(method, json === undefined ? {} : { 'content-type': 'application/json' });
  let response: Response;
  try {
    response = await fetch(path, {
      ...rest,
      method,
      credentials: 'same-origin',
      headers: { ...headers, ...(init.headers as Record<string, string> | undefined) },
      body: json === undefined ? init.body : JSON.stringify(json),
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, 'network_error', translateNow('common.networkError'));
  }
  if (!response.ok) throw await errorFrom(response, path.startsWith('/v1/'));
  return response;
}

/** JSON request -> JSON answer (undefined for 204). */
export async function api<T>(path: string, init: RequestInit & { json?: unknown } = {}): Promise<T> {
  const response = await apiFetch(path, init);
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

/** A status code is a code, not a quantity: written as it is, never in the locale's number format. */
function serverAnswered(status: number): string {
  return translateNow('common.serverAnswered', { status: String(status) });
}

async function errorFrom(response: Response, openAiShape: boolean): Promise<ApiError> {
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    return new ApiError(response.status, 'http_error', serverAnswered(response.status));
  }
  const error = (body as { error?: Record<string, unknown> } | null)?.error ?? {};
  const details = (error.details ?? {}) as Record<string, unknown>;
  const issues = Array.isArray(details.issues) ? (details.issues as FieldIssue[]) : [];
  // Our error code is OpenAI's `code` under /v1 and our own `type` elsewhere.
  const code = String((openAiShape ? error.code : error.type) ?? 'error');
  const message = typeof error.message === 'string' ? error.message : serverAnswered(response.status);
  return new ApiError(response.status, code, message, issues, { ...error, ...details });
}

/** A message for people: the server's own, which is written for them. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return error.message;
  return translateNow('common.somethingWentWrong');
}
