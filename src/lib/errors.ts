/**
 * Errors are values with a code. Routes throw MixgateError; one error handler turns it into the
 * API's error shape. Anything else that escapes becomes a 500 without its message or stack.
 */
export type ErrorCode =
  | 'invalid_request'
  | 'invalid_json'
  | 'unsupported_media_type'
  | 'payload_too_large'
  | 'unauthenticated'
  | 'invalid_api_key'
  | 'two_factor_required'
  | 'email_not_verified'
  | 'csrf_failed'
  | 'forbidden'
  | 'organisation_closed'
  | 'not_found'
  | 'conflict'
  | 'history_disabled'
  | 'content_erased'
  | 'account_locked'
  | 'rate_limited'
  | 'insufficient_credit'
  | 'spend_limit_reached'
  | 'model_not_found'
  | 'no_eligible_provider'
  | 'upstream_error'
  | 'upstream_timeout'
  | 'unavailable'
  | 'internal_error';

const STATUS: Record<ErrorCode, number> = {
  invalid_request: 400,
  invalid_json: 400,
  unsupported_media_type: 415,
  payload_too_large: 413,
  unauthenticated: 401,
  invalid_api_key: 401,
  two_factor_required: 401,
  email_not_verified: 403,
  csrf_failed: 403,
  forbidden: 403,
  organisation_closed: 403,
  not_found: 404,
  conflict: 409,
  history_disabled: 409,
  content_erased: 410,
  account_locked: 429,
  rate_limited: 429,
  insufficient_credit: 402,
  spend_limit_reached: 402,
  model_not_found: 404,
  no_eligible_provider: 400,
  upstream_error: 502,
  upstream_timeout: 504,
  unavailable: 503,
  internal_error: 500,
};

export function statusFor(code: ErrorCode): number {
  return STATUS[code];
}

export class MixgateError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly status: number = statusFor(code),
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'MixgateError';
  }
}

export function isMixgateError(error: unknown): error is MixgateError {
  return error instanceof MixgateError;
}
