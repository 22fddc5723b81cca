import type { FastifyInstance } from 'fastify';
import { MixgateError } from '../lib/errors.js';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Fastify's JSON parser decodes bytes leniently (invalid UTF-8 becomes U+FFFD and is stored). Ours
 * refuses invalid UTF-8, then hands the text to Fastify's parser, which guards against
 * prototype poisoning. Multipart uploads (audio transcription) will register their own parser.
 */
export function registerStrictJsonParser(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  // The API speaks JSON only; any other body type is a 415 (Fastify also accepts text/plain by default).
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    let text: string;
    try {
      text = strictUtf8.decode(body as Buffer);
    } catch {
      done(new MixgateError('invalid_request', 'The request body is not valid UTF-8'), undefined);
      return;
    }
    parseJson(request, text, (error, value) => {
      if (error) done(new MixgateError('invalid_json', 'The request body is not valid JSON'), undefined);
      else done(null, value);
    });
  });
}
