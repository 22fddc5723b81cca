/**
 * Our errors in Anthropic's shape (https://docs.anthropic.com/en/api/errors), so the official SDKs
 * raise their matching error classes: as a response body, and as the `error` event that ends a
 * stream which already answered 200.
 */
import type { ClientError } from '../protocol-types.js';

export type TAnthropicErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'billing_error'
  | 'permission_error'
  | 'not_found_error'
  | 'conflict_error'
  | 'request_too_large'
  | 'rate_limit_error'
  | 'api_error'
  | 'timeout_error'
  | 'overloaded_error';

export interface AnthropicErrorBody {
  type: 'error';
  error: { type: TAnthropicErrorType; message: string };
}

const TYPE_BY_STATUS: Record<number, TAnthropicErrorType> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  402: 'billing_error',
  403: 'permission_error',
  404: 'not_found_error',
  409: 'conflict_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  // Anthropic answers 529 when overloaded; our own unavailability is a 503 and means the same.
  503: 'overloaded_error',
  504: 'timeout_error',
  529: 'overloaded_error',
};

/** Anthropic uses invalid_request_error for the other 4XX statuses too. */
export function anthropicErrorType(status: number): TAnthropicErrorType {
  return TYPE_BY_STATUS[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error');
}

export function toAnthropicErrorBody(error: ClientError): AnthropicErrorBody {
  return { type: 'error', error: { type: anthropicErrorType(error.status), message: error.message } };
}

/** The same body as the SSE `error` event; the stream then ends without message_stop. */
export function toAnthropicErrorEvent(error: ClientError): string {
  return `event: error\ndata: ${JSON.stringify(toAnthropicErrorBody(error))}\n\n`;
}
