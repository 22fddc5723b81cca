/**
 * A fake of the Gemini API on 127.0.0.1 for tests and benchmarks: generateContent,
 * streamGenerateContent (alt=sse, or a JSON array without it) and batchEmbedContents under
 * `/v1beta/models/<model>`, in Google's wire format, with Google's error bodies and the checks
 * that bite adapters in production (empty turns, unanswered parallel calls, Gemini 3's missing
 * thought signatures, batches over 100). Never used by the product.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { FakeExchange, FakeScenario, FakeServer } from '../fakes/fake-server.js';
import { fakeReplyText, fakeTokenCount, splitIntoChunks, startFakeServer } from '../fakes/fake-server.js';
import {
  GOOGLE_MAX_EMBED_BATCH,
  type TGenerateContentRequest,
  type TGooglePart,
  ZBatchEmbedContentsRequest,
  ZGenerateContentRequest,
} from './google-api-types.js';

const ROUTE =
  /^\/v1beta\/((?:models|tunedModels)\/[^/:?]+):(generateContent|streamGenerateContent|batchEmbedContents)(?:\?(.*))?$/;

/** What the fake signs its function calls with (real signatures are longer, opaque base64). */
export const FAKE_THOUGHT_SIGNATURE = 'CiQBjz1rX2Zha2Utc2lnbmF0dXJlLWZyb20tdGhlLWdvb2dsZS1mYWtl';

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
    exchange.send(200, {
      ...answerEvent(answer, answerParts(answer), 'STOP', answer.candidatesTokens),
      ...meta(answer),
    });
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

/** The 400s Google answers to malformed conversations. */
function checkRequest(body: TGenerateContentRequest, model: string): string | undefined {
  if (body.contents.length === 0) return '* GenerateContentRequest.contents: contents is not specified\n';
  const signed = isGemini3OrLater(model);
  for (const [index, content] of body.contents.entries()) {
    const parts = content.parts ?? [];
    if (parts.length === 0) {
      return `* GenerateContentRequest.contents[${index}].parts: contents.parts must not be empty.\n`;
    }
    const calls = parts.filter((part) => part.functionCall !== undefined);
    if (calls.length === 0) continue;
    if (signed && calls[0]!.thoughtSignature === undefined) {
      return `Function call is missing a thought_signature in functionCall parts. This is required for tools to work correctly, and missing thought_signature may lead to degraded model performance. Additional data, function call \`default_api:${calls[0]!.functionCall!.name}\` , position ${index + 1}. Please refer to https://ai.google.dev/gemini-api/docs/thought-signatures for more details.`;
    }
    const next = body.contents[index + 1];
    const responses = (next?.parts ?? []).filter((part) => part.functionResponse !== undefined).length;
    if (next !== undefined && responses !== calls.length) {
      return 'Please ensure that the number of function response parts is equal to the number of function call parts of the function call turn.';
    }
  }
  return undefined;
}

function isGemini3OrLater(model: string): boolean {
  return Number(/(?:^|\/)gemini-(\d+)/.exec(model)?.[1] ?? 0) >= 3;
}

interface FakeAnswer {
  model: string;
  responseId: string;
  /** The thought summary, when the request asked for thoughts. */
  thought?: string;
  text: string;
  functionCall?: { name: string; args: Record<string, unknown> };
  promptTokens: number;
  candidatesTokens: number;
  thoughtsTokens?: number;
  omitUsage: boolean;
  /** Gemini 3 signs its answers, function calls always. */
  signed: boolean;
}

function planAnswer(body: TGenerateContentRequest, scenario: FakeScenario, model: string): FakeAnswer {
  const userText = lastUserText(body);
  const declarations = body.tools?.flatMap((tool) => tool.functionDeclarations ?? []) ?? [];
  const calling = body.toolConfig?.functionCallingConfig;
  const last = body.contents.at(-1);
  const lastIsUserMessage = last?.role !== 'model' && last?.parts?.at(-1)?.functionResponse === undefined;
  let functionCall: FakeAnswer['functionCall'];
  if (scenario.toolCall) {
    functionCall = { name: scenario.toolCall.name, args: parseObject(scenario.toolCall.arguments) };
  } else if (
    !scenario.empty &&
    scenario.text === undefined &&
    declarations.length > 0 &&
    calling?.mode !== 'NONE' &&
    lastIsUserMessage
  ) {
    functionCall = {
      name: calling?.allowedFunctionNames?.[0] ?? declarations[0]!.name,
      args: { query: 'fake' },
    };
  }
  const text = scenario.empty || functionCall ? '' : (scenario.text ?? fakeReplyText(userText, 'google'));
  const thinking = body.generationConfig?.thinkingConfig;
  const thinks = thinking !== undefined && thinking.thinkingBudget !== 0 && !scenario.empty;
  const thoughtText = `Thinking about how to answer: ${userText.trim().slice(0, 40)}`;
  const answered = functionCall ? JSON.stringify(functionCall) : text;
  return {
    model,
    responseId: randomBytes(12).toString('base64url'),
    ...(thinks && thinking.includeThoughts && { thought: thoughtText }),
    text,
    ...(functionCall && { functionCall }),
    promptTokens: fakeTokenCount(promptText(body)),
    candidatesTokens: answered === '' ? 0 : fakeTokenCount(answered),
    ...(thinks && { thoughtsTokens: fakeTokenCount(thoughtText) }),
    omitUsage: scenario.omitUsage === true,
    signed: isGemini3OrLater(model),
  };
}

function answerParts(answer: FakeAnswer): TGooglePart[] {
  const parts: TGooglePart[] = [];
  if (answer.thought !== undefined) parts.push({ text: answer.thought, thought: true });
  if (answer.functionCall)
    parts.push({ functionCall: answer.functionCall, thoughtSignature: FAKE_THOUGHT_SIGNATURE });
  else if (answer.text !== '') {
    parts.push(
      answer.signed ? { text: answer.text, thoughtSignature: FAKE_THOUGHT_SIGNATURE } : { text: answer.text },
    );
  }
  return parts;
}

/** The stream: thoughts, then the text word by word or the call whole, as Gemini sends them. */
function streamEvents(answer: FakeAnswer): unknown[] {
  const events: unknown[] = [];
  const push = (parts: TGooglePart[], candidatesTokens: number, finishReason?: string) =>
    events.push({ ...answerEvent(answer, parts, finishReason, candidatesTokens), ...meta(answer) });
  if (answer.thought !== undefined) push([{ text: answer.thought, thought: true }], 0);
  if (answer.functionCall) {
    push(
      [{ functionCall: answer.functionCall, thoughtSignature: FAKE_THOUGHT_SIGNATURE }],
      answer.candidatesTokens,
    );
    push([{ text: '' }], answer.candidatesTokens, 'STOP');
    return events;
  }
  const words = splitIntoChunks(answer.text);
  if (words.length === 0) {
    push([], 0, 'STOP');
    return events;
  }
  let sent = '';
  words.forEach((word, index) => {
    sent += word;
    const lastWord = index === words.length - 1;
    push([{ text: word }], fakeTokenCount(sent), lastWord && !answer.signed ? 'STOP' : undefined);
  });
  // Gemini 3 ends with an empty text part that carries the signature and the finish reason.
  if (answer.signed)
    push([{ text: '', thoughtSignature: FAKE_THOUGHT_SIGNATURE }], answer.candidatesTokens, 'STOP');
  return events;
}

function answerEvent(
  answer: FakeAnswer,
  parts: TGooglePart[],
  finishReason: string | undefined,
  candidatesTokens: number,
): Record<string, unknown> {
  const candidate: Record<string, unknown> = {
    content: parts.length > 0 ? { parts, role: 'model' } : { role: 'model' },
    ...(finishReason !== undefined && { finishReason }),
    index: 0,
  };
  const event: Record<string, unknown> = { candidates: [candidate] };
  if (!answer.omitUsage) {
    const thoughts = answer.thoughtsTokens ?? 0;
    event.usageMetadata = {
      promptTokenCount: answer.promptTokens,
      ...(candidatesTokens > 0 && { candidatesTokenCount: candidatesTokens }),
      totalTokenCount: answer.promptTokens + candidatesTokens + thoughts,
      promptTokensDetails: [{ modality: 'TEXT', tokenCount: answer.promptTokens }],
      ...(answer.thoughtsTokens !== undefined && { thoughtsTokenCount: answer.thoughtsTokens }),
    };
  }
  return event;
}

function meta(answer: FakeAnswer): Record<string, unknown> {
  return { modelVersion: answer.model.replace(/^models\//, ''), responseId: answer.responseId };
}

function lastUserText(body: TGenerateContentRequest): string {
  for (const content of [...body.contents].reverse()) {
    if (content.role === 'model') continue;
    const texts = (content.parts ?? []).flatMap((part) => (part.text !== undefined ? [part.text] : []));
    if (texts.length > 0) return texts.join(' ');
  }
  return '';
}

function promptText(body: TGenerateContentRequest): string {
  const contents = [...(body.systemInstruction ? [body.systemInstruction] : []), ...body.contents];
  return contents
    .flatMap((content) => content.parts ?? [])
    .map((part) => part.text ?? JSON.stringify(part.functionCall ?? part.functionResponse ?? ''))
    .join('\n');
}

function parseObject(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    if (value !== null && typeof value === 'object' && !Array.isArray(value))
      return value as Record<string, unknown>;
  } catch {
    // A test's deliberately broken arguments: Google only ever sends objects.
  }
  return {};
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
