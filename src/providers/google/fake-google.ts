/**
 * A fake of the Gemini API on 127.0.0.1 for tests and benchmarks: generateContent,
 * streamGenerateContent (alt=sse, or a JSON array without it) and batchEmbedContents under
 * `/v1beta/models/<model>`, in Google's wire format, with Google's error bodies and the checks
 * that bite adapters in production (empty turns, unanswered parallel calls, Gemini 3's missing
 * thought signatures, batches over 100). Never used by the product. The chat answers are made in
 * fake-google-chat.ts.
 */
import { createHash } from 'node:crypto';
import type { FakeExchange, FakeServer } from '../fakes/fake-server.js';
import { startFakeServer } from '../fakes/fake-server.js';
import { answerBody, checkRequest, planAnswer, streamEvents } from './fake-google-chat.js';
import {
  GOOGLE_MAX_EMBED_BATCH,
  ZBatchEmbedContentsRequest,
  ZGenerateContentRequest,
} from './google-api-types.js';

export { FAKE_THOUGHT_SIGNATURE } from './fake-google-chat.js';

const ROUTE =
  /^\/v1beta\/((?:models|tunedModels)\/[^/:?]+):(generateContent|streamGenerateContent|batchEmbedContents)(?:\?(.*))?$/;

const FAKE_EMBEDDING_DIMENSIONS = 768;

/** Google's status names and messages for the statuses tests ask for. */
const ERRORS: Record<number, { status: string; message: string }> = {
  400: { status: 'INVALID_ARGUMENT', message: 'Request contains an invalid argument.' },
  401: {
    status: 'UNAUTHENTICATED',
    message:
      'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.',
  },
  403: { status: 'PERMISSION_DENIED', message: 'The caller does not have permission' },
  404: { status: 'NOT_FOUND', message: 'Requested entity was not found.' },
  429: {
    status: 'RESOURCE_EXHAUSTED',
    message: 'You exceeded your current quota, please check your plan and billing details.',
  },
  500: {
    status: 'INTERNAL',
    message:
      'An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting',
  },
  503: { status: 'UNAVAILABLE', message: 'The model is overloaded. Please try again later.' },
  504: { status: 'DEADLINE_EXCEEDED', message: 'The request timed out. Please try again.' },
};

export async function startFakeGoogle(): Promise<FakeServer & { baseUrl: string }> {
  const server = await startFakeServer(handleGoogle);
  return Object.assign(server, { baseUrl: `${server.origin}/v1beta` });
}

/** Google's error body; the retry hint goes in a RetryInfo detail, as Google sends it. */
export function googleErrorBody(code: number, message?: string, retryAfterSeconds?: number): unknown {
  const known = ERRORS[code] ?? {
    status: code >= 500 ? 'INTERNAL' : 'FAILED_PRECONDITION',
    message: 'Error.',
  };
  const details: unknown[] = [];
  if (code === 429) {
    details.push({
      '@type': 'type.googleapis.com/google.rpc.QuotaFailure',
      violations: [{ quotaId: 'GenerateRequestsPerMinutePerProjectPerModel-FreeTier' }],
    });
  }
  if (retryAfterSeconds !== undefined) {
    details.push({
      '@type': 'type.googleapis.com/google.rpc.RetryInfo',
      retryDelay: `${retryAfterSeconds}s`,
    });
  }
  return {
    error: {
      code,
      message: message ?? known.message,
      status: known.status,
      ...(details.length > 0 && { details }),
    },
  };
}

function sendError(exchange: FakeExchange, code: number, message?: string, retryAfterSeconds?: number): void {
  // No Retry-After header: Google puts the hint only in the body.
  exchange.res.writeHead(code, { 'content-type': 'application/json; charset=UTF-8' });
  exchange.res.end(JSON.stringify(googleErrorBody(code, message, retryAfterSeconds)));
}

async function handleGoogle(exchange: FakeExchange): Promise<void> {
  const { request, scenario } = exchange;
  const route = ROUTE.exec(request.url);
  if (request.method !== 'POST' || route === null) {
    sendError(exchange, 404, `Method not found: ${request.method} ${request.url.split('?')[0]}`);
    return;
  }
  const model = decodeURIComponent(route[1]!);
  const method = route[2]!;
  const query = new URLSearchParams(route[3] ?? '');
  if (!request.headers['x-goog-api-key'] && !query.get('key')) {
    sendError(
      exchange,
      403,
      "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.",
    );
    return;
  }
  if (scenario.status) {
    sendError(exchange, scenario.status, undefined, scenario.retryAfterSeconds);
    return;
  }
  if (method === 'batchEmbedContents') {
    embed(exchange, model);
    return;
  }
  const parsed = ZGenerateContentRequest.safeParse(request.body);
  if (!parsed.success) {
    sendError(exchange, 400, 'Invalid JSON payload received.');
    return;
  }
  const problem = checkRequest(parsed.data, model);
  if (problem !== undefined) {
    sendError(exchange, 400, problem);
    return;
  }
  const answer = planAnswer(parsed.data, scenario, model);
  if (method === 'generateContent') {
    exchange.send(200, answerBody(answer));
    return;
  }
  const events = streamEvents(answer);
  if (query.get('alt') === 'sse') {
    // Google ends each event with CRLF CRLF.
    await exchange.stream(events.map((event) => `data: ${JSON.stringify(event)}\r\n\r\n`));
  } else {
    exchange.send(200, events);
  }
}

function embed(exchange: FakeExchange, model: string): void {
  const parsed = ZBatchEmbedContentsRequest.safeParse(exchange.request.body);
  if (!parsed.success) {
    sendError(exchange, 400, 'Invalid JSON payload received.');
    return;
  }
  const { requests } = parsed.data;
  if (requests.length > GOOGLE_MAX_EMBED_BATCH) {
    sendError(
      exchange,
      400,
      '* BatchEmbedContentsRequest.requests: at most 100 requests can be in one batch\n',
    );
    return;
  }
  const wrongModel = requests.findIndex((entry) => entry.model !== model);
  if (wrongModel !== -1) {
    sendError(
      exchange,
      400,
      `* BatchEmbedContentsRequest.requests[${wrongModel}].model: the model must be the batch's model, ${model}.\n`,
    );
    return;
  }
  if (exchange.scenario.empty) {
    exchange.send(200, { embeddings: [] });
    return;
  }
  const embeddings = requests.map((entry) => ({
    values: fakeVector(
      (entry.content.parts ?? []).map((part) => part.text ?? '').join(' '),
      entry.outputDimensionality ?? FAKE_EMBEDDING_DIMENSIONS,
    ),
  }));
  exchange.send(200, { embeddings });
}

/** A deterministic vector per text, so a test can tell inputs apart and check their order. */
export function fakeVector(text: string, dimensions: number): number[] {
  const seed = createHash('sha256').update(text).digest();
  return Array.from({ length: dimensions }, (_, index) => {
    const byte = seed[index % seed.length]!;
    return Math.round(((byte / 255) * 2 - 1) * (1 + (index % 7) / 10) * 1e6) / 1e6;
  });
}
