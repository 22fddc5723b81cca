import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { toAnthropicErrorBody } from '../gateway/protocols/anthropic/anthropic-error-body.js';
import { type ErrorCode, isMixgateError, MixgateError } from '../lib/errors.js';

/** Fastify's own 4xx errors, by code, in our vocabulary. */
const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'invalid_request',
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'invalid_json',
  FST_ERR_CTP_INVALID_JSON_BODY: 'invalid_json',
  FST_ERR_CTP_EMPTY_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_TYPE: 'unsupported_media_type',
};

/** OpenAI clients switch on `error.type`; these are the values its API uses. */
const OPENAI_TYPES: Partial<Record<ErrorCode, string>> = {
  unauthenticated: 'authentication_error',
  invalid_api_key: 'authentication_error',
  forbidden: 'permission_error',
  not_found: 'not_found_error',
  rate_limited: 'rate_limit_error',
  insufficient_credit: 'insufficient_quota',
  spend_limit_reached: 'insufficient_quota',
  internal_error: 'server_error',
  unavailable: 'server_error',
  upstream_error: 'server_error',
  upstream_timeout: 'server_error',
};

/** Turns anything thrown into a MixgateError; unknown errors become a bare 500. */
export function toMixgateError(error: unknown): MixgateError {
  if (isMixgateError(error)) return error;
  if (hasZodFastifySchemaValidationErrors(error)) {
    const issue = error.validation[0];
    const where = [error.validationContext, issue?.instancePath.replace(/^\//, '').replaceAll('/', '.')]
      .filter(Boolean)
      .join('.');
    const message = issue?.message ?? 'Invalid request';
    return new MixgateError('invalid_request', where ? `${where}: ${message}` : message, 400, {
      issues: error.validation.map((item) => ({ path: item.instancePath, message: item.message })),
    });
  }
  const fastifyError = error as Partial<FastifyError>;
  const mapped = fastifyError.code ? FASTIFY_CODES[fastifyError.code] : undefined;
  if (mapped) return new MixgateError(mapped, fastifyError.message ?? 'Invalid request');
  if (error instanceof SyntaxError || fastifyError.code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
    return new MixgateError('invalid_json', 'The request body is not valid JSON');
  }
  const status = fastifyError.statusCode;
  if (status && status >= 400 && status < 500) {
    return new MixgateError('invalid_request', fastifyError.message ?? 'Invalid request', status);
  }
  return new MixgateError('internal_error', 'Internal server error', 500);
}

export function errorBody(request: FastifyRequest, error: MixgateError): Record<string, unknown> {
  if (request.url === '/v1/messages' || request.url.startsWith('/v1/messages?')) {
    // Anthropic's SDKs raise their typed errors from this shape.
    return { ...toAnthropicErrorBody({ status: error.status, code: error.code, message: error.message }) };
  }
  if (request.url.startsWith('/v1/')) {
    return {
      error: {
        message: error.message,
        type: OPENAI_TYPES[error.code] ?? 'invalid_request_error',
        param: null,
        code: error.code,
        ...(error.details ?? {}),
      },
    };
  }
  return {
    error: { type: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) },
  };
}

export function handleError(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const mapped = toMixgateError(error);
  if (mapped.status >= 500) {
    // Logged with the request id; the client never sees the stack or message.
    request.log.error({ err: error }, 'request failed');
  }
  const retryAfter = mapped.details?.retryAfterSeconds;
  if (typeof retryAfter === 'number') reply.header('retry-after', String(retryAfter));
  return reply.status(mapped.status).send(errorBody(request, mapped));
}
