/**
 * A fake OpenAI API on 127.0.0.1 (see ../fakes/fake-server.ts): /v1/chat/completions (streamed or
 * not, tools, refusals), /v1/embeddings, /v1/images/generations, /v1/audio/speech,
 * /v1/audio/transcriptions and GET /v1/models, in OpenAI's wire format with its real error bodies.
 * It refuses what OpenAI refuses (unknown arguments, max_tokens or temperature on reasoning models,
 * response_format on gpt-image), so a test fails when the adapter sends something OpenAI would not
 * take. A `flavour` makes it answer as a compatible server (reasoning fields, usage fields, Mistral's
 * strict validation, DeepSeek's reasoning replay rule, xAI's reasoning token count).
 * Used by tests, e2e tests and benchmarks; never by the product.
 */
import { createHash } from 'node:crypto';
import {
  type FakeExchange,
  type FakeServer,
  fakeReplyText,
  fakeTokenCount,
  sendScenarioError,
  splitIntoChunks,
  startFakeServer,
} from '../fakes/fake-server.js';
import { ZOpenAiChatRequest } from './openai-api-types.js';

export type FakeOpenAiFlavour = 'openai' | 'openrouter' | 'deepseek' | 'xai' | 'mistral' | 'ollama';

export interface FakeOpenAiOptions {
  flavour?: FakeOpenAiFlavour;
}

/** The reasoning the flavours that think stream before answering. */
export const FAKE_REASONING = 'Thinking it over.';
/** A prompt containing this is refused (chat) or blocked by moderation (images). */
export const FAKE_REFUSAL_TRIGGER = 'please refuse';
export const FAKE_REFUSAL = "I'm sorry, I can't help with that.";
/** A valid 1x1 PNG. */
export const FAKE_PNG_BASE64 =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

const REASONING_FIELD: Partial<Record<FakeOpenAiFlavour, string>> = {
  openrouter: 'reasoning',
  ollama: 'reasoning',
  deepseek: 'reasoning_content',
  xai: 'reasoning_content',
};

export async function startFakeOpenAi(
  options: FakeOpenAiOptions = {},
): Promise<FakeServer & { baseUrl: string }> {
  const flavour = options.flavour ?? 'openai';
  const server = await startFakeServer(async (exchange) => {
    const { request } = exchange;
    if (sendScenarioError(exchange, errorBody(flavour, exchange.scenario.status ?? 500))) return;
    const route = `${request.method} ${request.url.split('?')[0]}`;
    if (flavour !== 'ollama' && !/^Bearer \S+$/.test(String(request.headers.authorization ?? ''))) {
      return fail(exchange, flavour, 401, "You didn't provide an API key.", { code: 'invalid_api_key' });
    }
    if (route === 'GET /v1/models') return exchange.send(200, modelList());
    if (route === 'POST /v1/chat/completions') return chat(exchange, flavour);
    if (route === 'POST /v1/embeddings') return embeddings(exchange);
    if (route === 'POST /v1/images/generations') return images(exchange);
    if (route === 'POST /v1/audio/speech') return speech(exchange);
    if (route === 'POST /v1/audio/transcriptions') return transcription(exchange);
    return fail(exchange, flavour, 404, `Invalid URL (${route})`);
  });
  return { ...server, baseUrl: `${server.origin}/v1` };
}

// ---------------------------------------------------------------------------------------------
// Chat

interface LooseMessage {
  role?: string;
  content?: unknown;
  tool_calls?: unknown[];
  reasoning_content?: unknown;
}
interface LooseChatBody {
  model?: string;
  messages?: LooseMessage[];
  tools?: { function?: { name?: string } }[];
  tool_choice?: string | { function?: { name?: string } };
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
  [key: string]: unknown;
}

const MISTRAL_FIELDS = new Set(
  'model messages temperature top_p max_tokens stream stop random_seed response_format tools tool_choice presence_penalty frequency_penalty n parallel_tool_calls prediction prompt_mode safe_prompt'.split(
    ' ',
  ),
);

function isReasoningModel(model: string): boolean {
  return /^o\d/.test(model) || (model.startsWith('gpt-5') && !model.startsWith('gpt-5-chat'));
}

async function chat(exchange: FakeExchange, flavour: FakeOpenAiFlavour): Promise<void> {
  const body = exchange.request.body as LooseChatBody;
  const refusal = validateChat(body, flavour);
  if (refusal) return fail(exchange, flavour, refusal.status, refusal.message, refusal);
  const { scenario } = exchange;
  const messages = body.messages ?? [];
  const last = messages.at(-1);
  const lastUser = messages.filter((message) => message.role === 'user').at(-1);
  const prompt = textOf(lastUser?.content);
  const forced = typeof body.tool_choice === 'object' ? body.tool_choice.function?.name : undefined;
  const wantsTool = (body.tools?.length ?? 0) > 0 && body.tool_choice !== 'none' && last?.role === 'user';
  const toolCall = scenario.empty
    ? undefined
    : (scenario.toolCall ??
      (wantsTool
        ? { name: forced ?? body.tools?.[0]?.function?.name ?? 'tool', arguments: '{"query":"fake"}' }
        : undefined));
  const refused = !scenario.empty && !toolCall && prompt.includes(FAKE_REFUSAL_TRIGGER);
  const text = scenario.empty || toolCall || refused ? '' : (scenario.text ?? fakeReplyText(prompt, flavour));
  const reasoningField = REASONING_FIELD[flavour];
  const reasoning = reasoningField && !scenario.empty ? FAKE_REASONING : '';
  // OpenAI reports `stop` when tool_choice named the function.
  const finish = toolCall ? (forced && flavour === 'openai' ? 'stop' : 'tool_calls') : 'stop';
  const usage = scenario.omitUsage
    ? undefined
    : usageFor(
        flavour,
        body.model ?? '',
        messages,
        toolCall?.arguments ?? text + (refused ? FAKE_REFUSAL : ''),
        reasoning,
      );
  const id = `chatcmpl-fake${createHash('sha256').update(prompt).digest('hex').slice(0, 20)}`;
  // Mistral's ids are nine letters and digits.
  const callId = flavour === 'mistral' ? id.slice(-9) : `call_${id.slice(-12)}`;
  const base = { id, created: 1_770_000_000, model: body.model, system_fingerprint: 'fp_fake' };

  if (!body.stream) {
    const message: Record<string, unknown> = {
      role: 'assistant',
      content: toolCall || refused ? null : text,
      refusal: refused ? FAKE_REFUSAL : null,
      annotations: [],
    };
    if (reasoning && reasoningField) message[reasoningField] = reasoning;
    if (toolCall) {
      message.tool_calls = [{ id: callId, type: 'function', function: toolCall }];
    }
    const completion = {
      ...base,
      object: 'chat.completion',
      choices: [{ index: 0, message, logprobs: null, finish_reason: finish }],
      ...(usage && { usage }),
    };
    return exchange.send(200, completion);
  }

  const includeUsage = body.stream_options?.include_usage === true;
  const chunk = (delta: Record<string, unknown>, finishReason: string | null = null) => ({
    ...base,
    object: 'chat.completion.chunk',
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
    ...(includeUsage && { usage: null }),
  });
  const chunks: unknown[] = [chunk({ role: 'assistant', content: toolCall ? null : '', refusal: null })];
  for (const piece of splitIntoChunks(reasoning)) chunks.push(chunk({ [reasoningField ?? '']: piece }));
  for (const piece of splitIntoChunks(text)) chunks.push(chunk({ content: piece }));
  if (refused) for (const piece of splitIntoChunks(FAKE_REFUSAL)) chunks.push(chunk({ refusal: piece }));
  if (toolCall && flavour === 'xai') {
    // xAI streams each call whole, in one delta.
    chunks.push(chunk({ tool_calls: [{ id: callId, function: toolCall, index: 0, type: 'function' }] }));
  } else if (toolCall) {
    chunks.push(
      chunk({
        tool_calls: [
          { index: 0, id: callId, type: 'function', function: { name: toolCall.name, arguments: '' } },
        ],
      }),
    );
    for (const piece of toolCall.arguments.match(/[\s\S]{1,4}/g) ?? []) {
      chunks.push(chunk({ tool_calls: [{ index: 0, function: { arguments: piece } }] }));
    }
  }
  // Mistral puts the usage in the finish chunk; OpenRouter always sends it; the others on request.
  const finishChunk: Record<string, unknown> = chunk({}, finish);
  if (usage && flavour === 'mistral') finishChunk.usage = usage;
  chunks.push(finishChunk);
  if (usage && (includeUsage || flavour === 'openrouter'))
    chunks.push({ ...base, object: 'chat.completion.chunk', choices: [], usage });
  const lines = chunks.map((item) => `data: ${JSON.stringify(item)}\n\n`);
  lines.push('data: [DONE]\n\n');
  await exchange.stream(lines);
}

interface Refusal {
  status: number;
  message: string;
  param?: string;
  code?: string;
  detail?: unknown[];
}

function validateChat(body: LooseChatBody, flavour: FakeOpenAiFlavour): Refusal | undefined {
  if (typeof body !== 'object' || body === null || !Array.isArray(body.messages)) {
    return { status: 400, message: "Missing required parameter: 'messages'.", param: 'messages' };
  }
  if (flavour === 'mistral') {
    const ids = body.messages.flatMap((message) => [
      ...(message.tool_calls ?? []).map((toolCall) => (toolCall as { id?: unknown }).id),
      ...(message.role === 'tool' ? [(message as { tool_call_id?: unknown }).tool_call_id] : []),
    ]);
    const badId = ids.find((id) => typeof id !== 'string' || !/^[a-zA-Z0-9]{9}$/.test(id));
    if (badId !== undefined) {
      return {
        status: 400,
        message: `Tool call id was ${badId} but must be a-z, A-Z, 0-9, with a length of 9.`,
      };
    }
    const extra = Object.keys(body).find((key) => !MISTRAL_FIELDS.has(key));
    if (!extra) return undefined;
    const detail = [
      {
        type: 'extra_forbidden',
        loc: ['body', extra],
        msg: 'Extra inputs are not permitted',
        input: body[extra],
      },
    ];
    return { status: 422, message: 'Extra inputs are not permitted', detail };
  }
  if (flavour === 'deepseek') {
    const index = body.messages.findIndex(
      (message) =>
        message.role === 'assistant' && message.tool_calls && typeof message.reasoning_content !== 'string',
    );
    if (index >= 0) {
      return {
        status: 400,
        message: `Missing \`reasoning_content\` field in the assistant message at message index ${index}`,
      };
    }
    if (
      body.messages.some((message) => typeof message.content !== 'string' && message.role !== 'assistant')
    ) {
      return {
        status: 422,
        message: 'Failed to deserialize the JSON body into the target type: expected a string',
      };
    }
    return undefined;
  }
  if (flavour !== 'openai') return undefined;
  const parsed = ZOpenAiChatRequest.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const unknown = issue.code === 'unrecognized_keys' ? issue.keys[0] : undefined;
    const param = unknown ?? issue.path.join('.');
    const message = unknown
      ? `Unrecognized request argument supplied: ${unknown}`
      : `Invalid value for '${param}'.`;
    return { status: 400, message, param, code: unknown ? 'unknown_parameter' : 'invalid_value' };
  }
  const request = parsed.data;
  const unsupported = (param: string, hint = ''): Refusal => ({
    status: 400,
    message: `Unsupported parameter: '${param}' is not supported with this model.${hint}`,
    param,
    code: 'unsupported_parameter',
  });
  if (isReasoningModel(request.model)) {
    if (request.max_tokens !== undefined)
      return unsupported('max_tokens', " Use 'max_completion_tokens' instead.");
    if (request.temperature !== undefined) return unsupported('temperature');
    if (request.top_p !== undefined) return unsupported('top_p');
  } else if (request.reasoning_effort !== undefined) {
    return unsupported('reasoning_effort');
  }
  if (!request.tools && (request.tool_choice !== undefined || request.parallel_tool_calls !== undefined)) {
    const param = request.tool_choice !== undefined ? 'tool_choice' : 'parallel_tool_calls';
    return {
      status: 400,
      message: `Invalid value for '${param}': only allowed when 'tools' are specified.`,
      param,
    };
  }
  if (request.stream_options && !request.stream) {
    return {
      status: 400,
      message: "The 'stream_options' parameter is only allowed when 'stream' is enabled.",
      param: 'stream_options',
    };
  }
  return undefined;
}

function usageFor(
  flavour: FakeOpenAiFlavour,
  model: string,
  messages: LooseMessage[],
  answer: string,
  reasoning: string,
): Record<string, unknown> {
  const promptTokens = fakeTokenCount(messages.map((message) => textOf(message.content)).join('\n'));
  const answerTokens = answer ? fakeTokenCount(answer) : 0;
  const reasoningTokens = reasoning
    ? fakeTokenCount(reasoning)
    : flavour === 'openai' && isReasoningModel(model)
      ? 64
      : 0;
  const completion = answerTokens + reasoningTokens;
  const total = promptTokens + completion;
  switch (flavour) {
    case 'openrouter':
      return {
        prompt_tokens: promptTokens,
        completion_tokens: completion,
        total_tokens: total,
        prompt_tokens_details: {
          cached_tokens: Math.floor(promptTokens / 2),
          cache_write_tokens: 3,
          audio_tokens: 0,
        },
        completion_tokens_details: { reasoning_tokens: reasoningTokens },
        cost: 0.000123,
        cost_details: { upstream_inference_cost: null },
      };
    case 'deepseek': {
      const hit = Math.floor(promptTokens / 2);
      return {
        prompt_tokens: promptTokens,
        completion_tokens: completion,
        total_tokens: total,
        prompt_cache_hit_tokens: hit,
        prompt_cache_miss_tokens: promptTokens - hit,
        completion_tokens_details: { reasoning_tokens: reasoningTokens },
      };
    }
    case 'xai':
      // xAI counts reasoning beside the completion: total = prompt + completion + reasoning.
      return {
        prompt_tokens: promptTokens,
        completion_tokens: answerTokens,
        total_tokens: total,
        prompt_tokens_details: {
          text_tokens: promptTokens,
          audio_tokens: 0,
          image_tokens: 0,
          cached_tokens: 1,
        },
        completion_tokens_details: { reasoning_tokens: reasoningTokens, audio_tokens: 0 },
        num_sources_used: 0,
      };
    case 'mistral':
    case 'ollama':
      return { prompt_tokens: promptTokens, completion_tokens: completion, total_tokens: total };
    default:
      return {
        prompt_tokens: promptTokens,
        completion_tokens: completion,
        total_tokens: total,
        // OpenAI caches prompts from 1,024 tokens on; the fake acts as if the prefix was seen.
        prompt_tokens_details: { cached_tokens: promptTokens >= 1024 ? 1024 : 0, audio_tokens: 0 },
        completion_tokens_details: {
          reasoning_tokens: reasoningTokens,
          audio_tokens: 0,
          accepted_prediction_tokens: 0,
          rejected_prediction_tokens: 0,
        },
      };
  }
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part: { type?: string; text?: unknown }) =>
      part?.type === 'text' && typeof part.text === 'string' ? part.text : '',
    )
    .join(' ');
}

// ---------------------------------------------------------------------------------------------
// Embeddings, images, speech, transcription, models

function embeddings(exchange: FakeExchange) {
  const body = exchange.request.body as {
    model?: string;
    input?: unknown;
    dimensions?: number;
    encoding_format?: string;
  };
  const inputs = typeof body.input === 'string' ? [body.input] : body.input;
  if (!Array.isArray(inputs) || inputs.length === 0 || inputs.some((input) => typeof input !== 'string')) {
    return fail(exchange, 'openai', 400, "'input' must be a string or an array of strings.", {
      param: 'input',
    });
  }
  const dimensions = body.dimensions ?? 8;
  const data = exchange.scenario.empty
    ? []
    : (inputs as string[]).map((input, index) => ({
        object: 'embedding',
        index,
        embedding: fakeVector(`${body.model}\0${input}`, dimensions),
      }));
  const tokens = fakeTokenCount((inputs as string[]).join(' '));
  exchange.send(200, {
    object: 'list',
    data,
    model: body.model,
    ...(!exchange.scenario.omitUsage && { usage: { prompt_tokens: tokens, total_tokens: tokens } }),
  });
}

/** Deterministic values in [-1, 1] from a hash of the text. */
export function fakeVector(text: string, dimensions: number): number[] {
  const bytes = createHash('sha256').update(text).digest();
  return Array.from(
    { length: dimensions },
    (_, i) => Math.round((bytes[i % bytes.length]! / 127.5 - 1) * 1e6) / 1e6,
  );
}

function images(exchange: FakeExchange) {
  const body = exchange.request.body as Record<string, unknown>;
  const model = String(body.model ?? 'dall-e-2');
  const gptImage = model.startsWith('gpt-image');
  for (const param of gptImage ? ['response_format', 'style'] : []) {
    if (body[param] !== undefined) {
      return fail(exchange, 'openai', 400, `Unknown parameter: '${param}'.`, {
        param,
        code: 'unknown_parameter',
      });
    }
  }
  const prompt = String(body.prompt ?? '');
  if (prompt.includes(FAKE_REFUSAL_TRIGGER)) {
    const code = gptImage ? 'moderation_blocked' : 'content_policy_violation';
    return fail(exchange, 'openai', 400, 'Your request was rejected by the safety system.', { code });
  }
  const n = Number(body.n ?? 1);
  const asUrl = !gptImage && body.response_format !== 'b64_json';
  const data = exchange.scenario.empty
    ? []
    : Array.from({ length: n }, () => ({
        ...(asUrl
          ? { url: `http://${exchange.request.headers.host}/fake.png` }
          : { b64_json: FAKE_PNG_BASE64 }),
        ...(model === 'dall-e-3' && { revised_prompt: `A picture of ${prompt}` }),
      }));
  const promptTokens = fakeTokenCount(prompt);
  const usage = {
    input_tokens: promptTokens,
    input_tokens_details: { text_tokens: promptTokens, image_tokens: 0 },
    output_tokens: 272 * n,
    total_tokens: promptTokens + 272 * n,
  };
  exchange.send(200, {
    created: 1_770_000_000,
    data,
    ...(gptImage && { background: 'opaque', output_format: 'png', quality: 'low', size: '1024x1024' }),
    ...(gptImage && !exchange.scenario.omitUsage && { usage }),
  });
}

const AUDIO_CONTENT_TYPES: Record<string, string> = {
  mp3: 'audio/mpeg',
  opus: 'audio/ogg',
  aac: 'audio/aac',
  flac: 'audio/flac',
  wav: 'audio/wav',
  pcm: 'audio/pcm',
};

function speech(exchange: FakeExchange) {
  const body = exchange.request.body as { input?: unknown; voice?: unknown; response_format?: string };
  if (typeof body.input !== 'string' || body.input === '' || typeof body.voice !== 'string') {
    return fail(exchange, 'openai', 400, "Missing required parameter: 'input' or 'voice'.");
  }
  const format = body.response_format ?? 'mp3';
  const audio = exchange.scenario.empty
    ? Buffer.alloc(0)
    : Buffer.concat([
        Buffer.from(`FAKE-${format.toUpperCase()}:`),
        createHash('sha256').update(body.input).digest(),
      ]);
  // A malformed answer is the base's broken JSON, labelled as JSON: nothing can tell bad audio bytes.
  const headers: Record<string, string> = exchange.scenario.malformed
    ? {}
    : { 'content-type': AUDIO_CONTENT_TYPES[format] ?? 'application/octet-stream' };
  exchange.send(200, audio, headers);
}

function transcription(exchange: FakeExchange) {
  const { request, scenario } = exchange;
  const boundary = /boundary=([^;]+)/.exec(String(request.headers['content-type'] ?? ''))?.[1];
  const parts = boundary ? parseMultipart(request.rawBody, boundary) : new Map<string, Buffer>();
  const model = parts.get('model')?.toString('utf8');
  const file = parts.get('file');
  if (!model || !file || file.length === 0) {
    return fail(exchange, 'openai', 400, "Missing required parameter: 'file' or 'model'.");
  }
  const format = parts.get('response_format')?.toString('utf8') ?? 'json';
  if (format === 'verbose_json' && model.startsWith('gpt-4o')) {
    const message = `response_format 'verbose_json' is not compatible with model '${model}'. Use 'json' or 'text' instead.`;
    return fail(exchange, 'openai', 400, message, { param: 'response_format', code: 'unsupported_value' });
  }
  const text = scenario.empty ? '' : (scenario.text ?? 'fake transcription');
  const usage = !model.startsWith('gpt-4o')
    ? { type: 'duration', seconds: 3 }
    : {
        type: 'tokens',
        input_tokens: 14,
        input_token_details: { text_tokens: 0, audio_tokens: 14 },
        output_tokens: fakeTokenCount(text),
        total_tokens: 14 + fakeTokenCount(text),
      };
  const answer =
    format === 'verbose_json'
      ? {
          task: 'transcribe',
          language: parts.get('language')?.toString('utf8') ?? 'english',
          duration: 2.5,
          text,
          segments: [],
        }
      : { text };
  exchange.send(200, { ...answer, ...(!scenario.omitUsage && { usage }) });
}

/** Enough of multipart/form-data for the fake: part name -> bytes. */
function parseMultipart(raw: Buffer, boundary: string): Map<string, Buffer> {
  const parts = new Map<string, Buffer>();
  const delimiter = Buffer.from(`--${boundary}`);
  let start = raw.indexOf(delimiter);
  while (start !== -1) {
    const next = raw.indexOf(delimiter, start + delimiter.length);
    if (next === -1) break;
    const part = raw.subarray(start + delimiter.length + 2, next - 2);
    const headerEnd = part.indexOf('\r\n\r\n');
    const name = /name="([^"]*)"/.exec(part.subarray(0, headerEnd).toString('utf8'))?.[1];
    if (headerEnd !== -1 && name) parts.set(name, part.subarray(headerEnd + 4));
    start = next;
  }
  return parts;
}

function modelList(): unknown {
  const ids = [
    'gpt-4o-mini',
    'gpt-5-mini',
    'o4-mini',
    'text-embedding-3-small',
    'gpt-image-1',
    'tts-1',
    'whisper-1',
  ];
  return {
    object: 'list',
    data: ids.map((id) => ({ id, object: 'model', created: 1_700_000_000, owned_by: 'system' })),
  };
}

// ---------------------------------------------------------------------------------------------
// Errors

/** The body of an error answer, as each flavour sends it. */
function errorBody(
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

function fail(
  exchange: FakeExchange,
  flavour: FakeOpenAiFlavour,
  status: number,
  message: string,
  extra: Partial<Refusal> = {},
): void {
  exchange.res.writeHead(status, { 'content-type': 'application/json' });
  exchange.res.end(JSON.stringify(errorBody(flavour, status, message, extra)));
}
