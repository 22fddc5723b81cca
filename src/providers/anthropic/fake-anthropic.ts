/**
 * A fake Anthropic API on 127.0.0.1 speaking the real wire format: POST /v1/messages (JSON and
 * server-sent events, thinking blocks when thinking is on, tool calls) and GET /v1/models, with
 * Anthropic's error bodies. It checks requests as Anthropic does (unknown fields, headers, the
 * thinking rules), so an adapter bug shows as the 400 the real API would give. Tests and benchmarks
 * only.
 */
import {
  type FakeExchange,
  type FakeScenario,
  type FakeServer,
  fakeReplyText,
  fakeTokenCount,
  sendScenarioError,
  splitIntoChunks,
  startFakeServer,
} from '../fakes/fake-server.js';
import { type TAnthropicRequest, ZAnthropicRequest } from './anthropic-api-types.js';

const PROVIDER = 'anthropic';

export async function startFakeAnthropic(): Promise<FakeServer & { baseUrl: string }> {
  let counter = 0;
  const server = await startFakeServer((exchange) => {
    counter += 1;
    return handle(exchange, counter);
  });
  return { ...server, baseUrl: `${server.origin}/v1` };
}

/** Anthropic's error type for each status (https://docs.anthropic.com/en/api/errors). */
const ERRORS: Record<number, { type: string; message: string }> = {
  400: { type: 'invalid_request_error', message: 'messages: at least one message is required' },
  401: { type: 'authentication_error', message: 'invalid x-api-key' },
  402: { type: 'billing_error', message: 'Your credit balance is too low to access the Anthropic API.' },
  403: {
    type: 'permission_error',
    message: 'Your API key does not have permission to use the specified resource.',
  },
  404: { type: 'not_found_error', message: 'Not found' },
  413: { type: 'request_too_large', message: 'Request exceeds the maximum allowed number of bytes.' },
  429: {
    type: 'rate_limit_error',
    message: 'This request would exceed the rate limit for your organization of 50 requests per minute.',
  },
  500: { type: 'api_error', message: 'Internal server error' },
  504: { type: 'timeout_error', message: 'Request timeout' },
  529: { type: 'overloaded_error', message: 'Overloaded' },
};

function errorBody(status: number, message?: string, requestId = 'req_fake') {
  const known = ERRORS[status] ?? {
    type: status >= 500 ? 'api_error' : 'invalid_request_error',
    message: '',
  };
  return {
    type: 'error',
    error: { type: known.type, message: message ?? known.message },
    request_id: requestId,
  };
}

function sendError(exchange: FakeExchange, status: number, message: string): void {
  exchange.res
    .writeHead(status, { 'content-type': 'application/json', 'request-id': 'req_fake' })
    .end(JSON.stringify(errorBody(status, message)));
}

async function handle(exchange: FakeExchange, counter: number): Promise<void> {
  const { request } = exchange;
  if (sendScenarioError(exchange, errorBody(exchange.scenario.status ?? 500))) return;
  if (!request.headers['x-api-key']) return sendError(exchange, 401, 'x-api-key header is required');
  if (!request.headers['anthropic-version'])
    return sendError(exchange, 400, 'anthropic-version: header is required');
  const path = request.url.split('?')[0];
  if (request.method === 'GET' && path === '/v1/models') return sendModels(exchange);
  if (request.method === 'POST' && path === '/v1/messages') return answerMessages(exchange, counter);
  return sendError(exchange, 404, `Not found: ${request.method} ${path}`);
}

function sendModels(exchange: FakeExchange): void {
  const data = [
    {
      id: 'claude-sonnet-4-5-20250929',
      display_name: 'Claude Sonnet 4.5',
      created_at: '2025-09-29T00:00:00Z',
    },
    { id: 'claude-haiku-4-5-20251001', display_name: 'Claude Haiku 4.5', created_at: '2025-10-01T00:00:00Z' },
  ].map((model) => ({ type: 'model', ...model }));
  exchange.send(200, { data, has_more: false, first_id: data[0]!.id, last_id: data.at(-1)!.id });
}

/** The semantic rules Anthropic adds to the schema; each message is Anthropic's own. */
function requestProblem(body: TAnthropicRequest): string | undefined {
  if (!body.thinking) return undefined;
  if (body.thinking.budget_tokens >= body.max_tokens)
    return '`max_tokens` must be greater than `thinking.budget_tokens`.';
  if (body.temperature !== undefined && body.temperature !== 1)
    return '`temperature` may only be set to 1 when thinking is enabled.';
  if (body.tool_choice?.type === 'any' || body.tool_choice?.type === 'tool')
    return 'Thinking may not be enabled when tool_choice forces tool use.';
  return undefined;
}

interface FakeAnswer {
  id: string;
  thinking?: string;
  text?: string;
  toolCall?: { id: string; name: string; arguments: string };
  usage?: { input_tokens: number; output_tokens: number };
}

async function answerMessages(exchange: FakeExchange, counter: number): Promise<void> {
  const parsed = ZAnthropicRequest.safeParse(exchange.request.body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return sendError(exchange, 400, `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`);
  }
  const body = parsed.data;
  const problem = requestProblem(body);
  if (problem) return sendError(exchange, 400, problem);
  const answer = composeAnswer(body, exchange.scenario, counter);
  if (body.stream) return exchange.stream(streamEvents(body, answer));
  exchange.send(200, messageBody(body, answer), { 'request-id': `req_fake_${counter}` });
}

function composeAnswer(body: TAnthropicRequest, scenario: FakeScenario, counter: number): FakeAnswer {
  const answer: FakeAnswer = { id: `msg_fake_${String(counter).padStart(4, '0')}` };
  if (!scenario.empty) {
    const prompt = lastUserText(body);
    if (body.thinking) answer.thinking = `Thinking about: ${prompt.slice(0, 40)}`;
    const call = scenario.toolCall ?? defaultToolCall(body);
    if (call) answer.toolCall = { id: `toolu_fake_${counter}`, ...call };
    else answer.text = scenario.text ?? fakeReplyText(prompt, PROVIDER);
  }
  if (!scenario.omitUsage) {
    const output = `${answer.thinking ?? ''}${answer.text ?? ''}${answer.toolCall?.arguments ?? ''}`;
    answer.usage = {
      input_tokens: fakeTokenCount(JSON.stringify([body.system ?? '', body.messages, body.tools ?? []])),
      output_tokens: output ? fakeTokenCount(output) : 0,
    };
  }
  return answer;
}

function lastUserText(body: TAnthropicRequest): string {
  const last = body.messages.findLast((message) => message.role === 'user');
  if (!last) return '';
  if (typeof last.content === 'string') return last.content;
  return last.content.map((block) => (block.type === 'text' ? block.text : '')).join(' ');
}

/** With tools offered and not refused, a user's new words are answered by calling a tool. */
function defaultToolCall(body: TAnthropicRequest): { name: string; arguments: string } | undefined {
  const choice = body.tool_choice;
  if (!body.tools?.length || choice?.type === 'none') return undefined;
  // Tool results open a user turn; a turn that ends with one answers a call rather than asking anew.
  const last = body.messages.at(-1)!;
  const endsWithToolResult = Array.isArray(last.content) && last.content.at(-1)?.type === 'tool_result';
  if (last.role !== 'user' || endsWithToolResult) return undefined;
  const name = choice?.type === 'tool' ? choice.name : body.tools[0]!.name;
  return { name, arguments: '{"query":"fake"}' };
}

function stopReason(answer: FakeAnswer): string {
  return answer.toolCall ? 'tool_use' : 'end_turn';
}

function signature(answer: FakeAnswer): string {
  return Buffer.from(`fake-signature:${answer.id}`).toString('base64');
}

function fullUsage(usage: NonNullable<FakeAnswer['usage']>) {
  return { ...usage, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, service_tier: 'standard' };
}

function messageBody(body: TAnthropicRequest, answer: FakeAnswer) {
  const content: Record<string, unknown>[] = [];
  if (answer.thinking)
    content.push({ type: 'thinking', thinking: answer.thinking, signature: signature(answer) });
  if (answer.text) content.push({ type: 'text', text: answer.text });
  if (answer.toolCall) {
    const { id, name, arguments: json } = answer.toolCall;
    content.push({ type: 'tool_use', id, name, input: JSON.parse(json) });
  }
  return {
    id: answer.id,
    type: 'message',
    role: 'assistant',
    model: body.model,
    content,
    stop_reason: stopReason(answer),
    stop_sequence: null,
    ...(answer.usage && { usage: fullUsage(answer.usage) }),
  };
}

/** The event sequence of https://docs.anthropic.com/en/docs/build-with-claude/streaming. */
function streamEvents(body: TAnthropicRequest, answer: FakeAnswer): string[] {
  const events: Record<string, unknown>[] = [];
  const usage = answer.usage && fullUsage(answer.usage);
  events.push({
    type: 'message_start',
    message: {
      id: answer.id,
      type: 'message',
      role: 'assistant',
      model: body.model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      ...(usage && { usage: { ...usage, output_tokens: 1 } }),
    },
  });
  let index = 0;
  const block = (start: Record<string, unknown>, deltas: Record<string, unknown>[]) => {
    events.push({ type: 'content_block_start', index, content_block: start });
    if (index === 0) events.push({ type: 'ping' });
    for (const delta of deltas) events.push({ type: 'content_block_delta', index, delta });
    events.push({ type: 'content_block_stop', index });
    index += 1;
  };
  if (answer.thinking) {
    block({ type: 'thinking', thinking: '', signature: '' }, [
      ...splitIntoChunks(answer.thinking).map((thinking) => ({ type: 'thinking_delta', thinking })),
      { type: 'signature_delta', signature: signature(answer) },
    ]);
  }
  if (answer.text) {
    block(
      { type: 'text', text: '' },
      splitIntoChunks(answer.text).map((text) => ({ type: 'text_delta', text })),
    );
  }
  if (answer.toolCall) {
    const { id, name, arguments: json } = answer.toolCall;
    // Anthropic opens with an empty partial_json, then sends the arguments in pieces.
    const pieces = ['', ...(json.match(/[\s\S]{1,8}/g) ?? [])];
    block(
      { type: 'tool_use', id, name, input: {} },
      pieces.map((piece) => ({ type: 'input_json_delta', partial_json: piece })),
    );
  }
  events.push({
    type: 'message_delta',
    delta: { stop_reason: stopReason(answer), stop_sequence: null },
    ...(usage && { usage: { output_tokens: usage.output_tokens } }),
  });
  events.push({ type: 'message_stop' });
  return events.map((event) => `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
}
