import type { FastifyServerOptions } from 'fastify';

/**
 * pino with redaction. Request bodies are never logged; headers that carry credentials are
 * censored, so logs cannot leak passwords, tokens, keys or prompts.
 */
export function loggerOptions(level: string, stream?: NodeJS.WritableStream): FastifyServerOptions['logger'] {
  if (level === 'silent') return false;
  return {
    level,
    ...(stream ? { stream } : {}),
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'req.headers["x-api-key"]',
        'req.headers["x-csrf-token"]',
        'res.headers["set-cookie"]',
        '*.password',
        '*.token',
      ],
      censor: '[redacted]',
    },
    serializers: {
      req(request: { method: string; url: string; id: string; ip?: string }) {
        // Query strings may carry tokens (e-mailed links land on the web app, never here, but be safe).
        return { method: request.method, url: request.url.split('?')[0], id: request.id };
      },
    },
  };
}
