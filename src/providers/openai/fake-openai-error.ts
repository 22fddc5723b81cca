/**
 * The OpenAI fake's error answers, in the body each flavour sends (OpenAI's `{ error }`,
 * OpenRouter's numeric code, Mistral's `object: "error"` with FastAPI's validation detail).
 */
import type { FakeExchange } from '../fakes/fake-server.js';
import type { FakeOpenAiFlavour } from './fake-openai.js';

/** Why the fake refuses a request: its status and what the error body says. */
export interface Refusal {
  status: number;
  message: string;
  param?: string;
  code?: string;
  detail?: unknown[];
}

/** The body of an error answer, as each flavour sends it. */
export function errorBody(
  flavour: FakeOpenAiFlavour,
  status: number,
  message = defaultMessage(status),
  extra: Partial<Refusal> = {},
): unknown {
  if (flavour === 'openrouter') return { error: { code: status, message, metadata: {} } };
  if (flavour === 'mistral') {
    const type = status >= 500 ? 'internal_error' : 'invalid_request_error';
    return {
      object: 'error',
      message: extra.detail ? { detail: extra.detail } : message,
      type,
      param: null,
      code: String(status),
    };
  }
  const type = status === 429 ? 'requests' : status >= 500 ? 'server_error' : 'invalid_request_error';
  const code =
    extra.code ?? (status === 429 ? 'rate_limit_exceeded' : status === 404 ? 'model_not_found' : null);
  return { error: { message, type, param: extra.param ?? null, code } };
}

function defaultMessage(status: number): string {
  if (status === 401) return 'Incorrect API key provided.';
  if (status === 404) return 'The model does not exist or you do not have access to it.';
  if (status === 429) return 'Rate limit reached for requests. Please try again in 2s.';
  if (status === 503) return 'The engine is currently overloaded, please try again later.';
  if (status >= 500) return 'The server had an error while processing your request. Sorry about that!';
  return 'Invalid request.';
}

export function fail(
  exchange: FakeExchange,
  flavour: FakeOpenAiFlavour,
  status: number,
  message: string,
  extra: Partial<Refusal> = {},
): void {
  exchange.res.writeHead(status, { 'content-type': 'application/json' });
  exchange.res.end(JSON.stringify(errorBody(flavour, status, message, extra)));
}
