/**
 * ChatRequest <-> OpenAI's /chat/completions (https://platform.openai.com/docs/api-reference/chat),
 * for OpenAI and every server that copies it. What differs between them (token limit field, usage
 * chunk, reasoning fields...) is a ChatDialect: OpenAI's is in openai-provider.ts, the others in
 * ../openai-compatible/compat-quirks.ts.
 *
 * Refusals (structured outputs' `refusal` field) are returned as the answer's text with the finish
 * reason `content_filter`: the client sees why there is no answer, and a client expecting JSON can
 * tell a refusal from malformed output.
 */
import { randomUUID } from 'node:crypto';
import { readServerSentEvents } from '../http/sse.js';
import { parseUpstreamJson, sendUpstream, sendUpstreamJson } from '../http/upstream.js';
import type {
  CallOptions,
  ChatEvent,
  ChatMessage,
  ChatRequest,
  ChatResult,
  Deployment,
  FinishReason,
  ReasoningEffort,
  ToolCall,
  Usage,
} from '../spec.js';
import { ProviderError } from '../spec.js';
import {
  type TOpenAiChatCompletion,
  type TOpenAiChatRequest,
  type TOpenAiContent,
  type TOpenAiMessageParam,
  type TOpenAiUsage,
  ZOpenAiChatChunk,
  ZOpenAiChatCompletion,
} from './openai-api-types.js';
import { readOpenAiError, refineOpenAiError, streamErrorFromChunk } from './openai-error.js';

/** Who we talk to: the name used in error messages and the headers each request carries. */
export interface OpenAiEndpoint {
  provider: string;
  headers(deployment: Deployment): Record<string, string>;
}

export interface ChatDialect extends OpenAiEndpoint {
  /** OpenAI's reasoning models reject `max_tokens`; many compatible servers know only it. */
  maxTokensField: 'max_completion_tokens' | 'max_tokens';
  /** Send stream_options.include_usage (servers that do not know it may reject it). */
  streamUsage: boolean;
  /** Where reasoning text comes, first present wins: DeepSeek/vLLM `reasoning_content`, OpenRouter/Ollama `reasoning`. */
  reasoningFields: readonly ('reasoning_content' | 'reasoning')[];
  /** xAI reports reasoning tokens beside completion_tokens rather than inside them. */
  reasoningTokensOutsideCompletion: boolean;
  /** How the request's reasoning settings travel, if at all. */
  reasoningStyle: 'reasoning_effort' | 'openrouter' | 'none';
  /** Efforts the server names differently (xAI knows only low and high). */
  effortNames?: Partial<Record<ReasoningEffort, NonNullable<TOpenAiChatRequest['reasoning_effort']>>>;
  /** The end-user id's field; absent when the server rejects one. */
  userField?: 'safety_identifier' | 'user';
  /** The seed's field (Mistral: random_seed); absent when the server rejects one. */
  seedField?: 'seed' | 'random_seed';
  /** DeepSeek's thinking mode refuses a history whose tool-call turns lack their reasoning_content. */
  replayReasoning?: boolean;
  /** Servers that take only string content (DeepSeek): text parts are joined, images refused. */
  stringContentOnly?: boolean;
  /** Rewrites tool-call ids the server would refuse (Mistral takes only nine letters and digits). */
  toolCallId?(id: string): string;
  /** OpenAI's reasoning models: `developer` instead of `system`, effort sent, no temperature/top_p. */
  isReasoningModel?(model: string): boolean;
}

type TChatMessageBody = TOpenAiMessageParam | (TOpenAiMessageParam & { reasoning_content: string });
export type TChatBody = Omit<TOpenAiChatRequest, 'messages'> & {
  messages: TChatMessageBody[];
  random_seed?: number;
  reasoning?: { effort?: string; max_tokens?: number };
};

// ---------------------------------------------------------------------------------------------
// Calls

export async function openAiChat(
  request: ChatRequest,
  call: CallOptions,
  dialect: ChatDialect,
): Promise<ChatResult> {
  try {
    const completion = await sendUpstreamJson(
      dialect.provider,
      call,
      {
        path: '/chat/completions',
        headers: dialect.headers(call.deployment),
        body: buildChatBody(request, dialect),
      },
      ZOpenAiChatCompletion,
      readOpenAiError,
    );
    return chatResultFromCompletion(completion, dialect);
  } catch (error) {
    throw refineOpenAiError(dialect.provider, error, call.signal);
  }
}

export async function* openAiChatStream(
  request: ChatRequest,
  call: CallOptions,
  dialect: ChatDialect,
): AsyncGenerator<ChatEvent> {
  try {
    const response = await sendUpstream(
      dialect.provider,
      call,
      {
        path: '/chat/completions',
        headers: { ...dialect.headers(call.deployment), accept: 'text/event-stream' },
        body: buildChatBody(request, dialect, true),
      },
      readOpenAiError,
    );
    // Returning early from here returns the SSE reader, whose `finally` destroys the body.
    yield* readChatEvents(dialect, response.body, call.signal);
  } catch (error) {
    throw refineOpenAiError(dialect.provider, error, call.signal);
  }
}

// ---------------------------------------------------------------------------------------------
// Request

export function buildChatBody(request: ChatRequest, dialect: ChatDialect, stream = false): TChatBody {
  const reasoningModel = dialect.isReasoningModel?.(request.model) ?? false;
  const body: TChatBody = {
    model: request.model,
    messages: request.messages.map((message) => messageParam(message, dialect, reasoningModel)),
    [dialect.maxTokensField]: request.maxOutputTokens,
  };
  // Reasoning models refuse sampling parameters (400 unsupported_parameter); they are dropped as
  // OpenRouter does, rather than failing a request another model would take.
  if (!reasoningModel) {
    if (request.temperature !== undefined) body.temperature = request.temperature;
    if (request.topP !== undefined) body.top_p = request.topP;
  }
  if (request.stop?.length) body.stop = request.stop;
  if (request.seed !== undefined && dialect.seedField) body[dialect.seedField] = request.seed;
  // tool_choice and parallel_tool_calls are refused without tools.
  if (request.tools?.length) {
    body.tools = request.tools.map((tool) => ({
      type: 'function' as const,
      function: {
        name: tool.name,
        ...(tool.description !== undefined && { description: tool.description }),
        parameters: tool.parameters,
        ...(tool.strict !== undefined && { strict: tool.strict }),
      },
    }));
    if (request.toolChoice !== undefined) {
      body.tool_choice =
        typeof request.toolChoice === 'string'
          ? request.toolChoice
          : { type: 'function', function: { name: request.toolChoice.name } };
    }
    if (request.parallelToolCalls !== undefined) body.parallel_tool_calls = request.parallelToolCalls;
  }
  const format = request.responseFormat;
  if (format?.type === 'json_object') body.response_format = { type: 'json_object' };
  if (format?.type === 'json_schema') {
    body.response_format = {
      type: 'json_schema',
      json_schema: {
        name: format.name,
        ...(format.description !== undefined && { description: format.description }),
        schema: format.schema,
        ...(format.strict !== undefined && { strict: format.strict }),
      },
    };
  }
  addReasoning(body, request, dialect, reasoningModel);
  if (request.user !== undefined && dialect.userField) body[dialect.userField] = request.user.slice(0, 64);
  if (stream) {
    body.stream = true;
    if (dialect.streamUsage) body.stream_options = { include_usage: true };
  }
  return body;
}

function addReasoning(body: TChatBody, request: ChatRequest, dialect: ChatDialect, reasoningModel: boolean) {
  const { effort, budgetTokens } = request.reasoning ?? {};
  if (dialect.reasoningStyle === 'openrouter') {
    if (effort) body.reasoning = { effort };
    else if (budgetTokens) body.reasoning = { max_tokens: budgetTokens };
    return;
  }
  // OpenAI's other models reject reasoning_effort; compatible servers have no such list.
  if (dialect.reasoningStyle !== 'reasoning_effort' || !effort) return;
  if (dialect.isReasoningModel && !reasoningModel) return;
  body.reasoning_effort = dialect.effortNames?.[effort] ?? effort;
}

function messageParam(message: ChatMessage, dialect: ChatDialect, reasoningModel: boolean): TChatMessageBody {
  switch (message.role) {
    case 'system':
      return { role: reasoningModel ? 'developer' : 'system', content: message.content };
    case 'user': {
      const texts = message.content.flatMap((part) => (part.type === 'text' ? [part.text] : []));
      if (texts.length === message.content.length && (texts.length <= 1 || dialect.stringContentOnly)) {
        return { role: 'user', content: texts.join('\n') };
      }
      if (dialect.stringContentOnly) {
        throw new ProviderError('bad_request', `${dialect.provider} does not accept images`);
      }
      return {
        role: 'user',
        content: message.content.map((part) =>
          part.type === 'text'
            ? { type: 'text' as const, text: part.text }
            : {
                type: 'image_url' as const,
                image_url: { url: part.url, ...(part.detail !== undefined && { detail: part.detail }) },
              },
        ),
      };
    }
    case 'assistant': {
      const toolCalls = message.toolCalls ?? [];
      if (toolCalls.length === 0) return { role: 'assistant', content: message.content };
      const param = {
        role: 'assistant' as const,
        content: message.content,
        tool_calls: toolCalls.map((toolCall) => ({
          id: dialect.toolCallId?.(toolCall.id) ?? toolCall.id,
          type: 'function' as const,
          function: { name: toolCall.name, arguments: toolCall.arguments },
        })),
      };
      if (!dialect.replayReasoning) return param;
      return { ...param, reasoning_content: (message.reasoning ?? []).map((block) => block.text).join('') };
    }
    case 'tool':
      // OpenAI has no error flag on tool results; the content says what went wrong.
      return {
        role: 'tool',
        tool_call_id: dialect.toolCallId?.(message.toolCallId) ?? message.toolCallId,
        content: message.content,
      };
  }
}

// ---------------------------------------------------------------------------------------------
// Answer

export function chatResultFromCompletion(
  completion: TOpenAiChatCompletion,
  dialect: ChatDialect,
): ChatResult {
  const choice = completion.choices[0]!;
  const { message } = choice;
  const content = splitContent(message.content);
  let reasoning = reasoningText(message, dialect) ?? '';
  reasoning += content.reasoning;
  const toolCalls: ToolCall[] = (message.tool_calls ?? []).map((toolCall) => ({
    id: toolCall.id || newToolCallId(),
    name: toolCall.function.name,
    arguments:
      typeof toolCall.function.arguments === 'string'
        ? toolCall.function.arguments
        : JSON.stringify(toolCall.function.arguments ?? {}),
  }));
  const refusal = message.refusal ?? '';
  const result: ChatResult = {
    text: content.text + refusal,
    toolCalls,
    finishReason: finishReason(choice.finish_reason, toolCalls.length > 0, refusal !== ''),
  };
  if (completion.id) result.providerResponseId = completion.id;
  if (reasoning) result.reasoning = [{ text: reasoning }];
  const usage = mapUsage(completion.usage, dialect);
  if (usage) result.usage = usage;
  return result;
}

/**
 * OpenAI answers `stop` when tool_choice named the function, though the turn is tool calls; the
 * internal spec says `tool_calls` whenever there are some. Unknown reasons (vLLM's `eos`...) are `stop`.
 */
export function finishReason(
  reason: string | null | undefined,
  hasToolCalls: boolean,
  refused: boolean,
): FinishReason {
  if (refused) return 'content_filter';
  switch (reason) {
    case 'length':
    case 'model_length': // Mistral: the context window is full
      return 'length';
    case 'content_filter':
      return 'content_filter';
    case 'tool_calls':
    case 'function_call': // the deprecated functions API
      return 'tool_calls';
    default:
      return hasToolCalls ? 'tool_calls' : 'stop';
  }
}

/**
 * `prompt_tokens` includes the cached tokens, as `Usage.inputTokens` does; cached, cache-write and
 * reasoning counts are set only when non-zero.
 */
export function mapUsage(usage: TOpenAiUsage | null | undefined, dialect: ChatDialect): Usage | undefined {
  if (usage?.prompt_tokens == null || usage.completion_tokens == null) return undefined;
  const reasoning = usage.completion_tokens_details?.reasoning_tokens ?? 0;
  const result: Usage = {
    inputTokens: usage.prompt_tokens,
    outputTokens: usage.completion_tokens + (dialect.reasoningTokensOutsideCompletion ? reasoning : 0),
  };
  const cached = usage.prompt_cache_hit_tokens ?? usage.prompt_tokens_details?.cached_tokens ?? 0;
  if (cached > 0) result.cachedInputTokens = cached;
  const cacheWrites = usage.prompt_tokens_details?.cache_write_tokens ?? 0;
  if (cacheWrites > 0) result.cacheWriteTokens = cacheWrites;
  if (reasoning > 0) result.reasoningTokens = reasoning;
  return result;
}

function splitContent(content: TOpenAiContent): { text: string; reasoning: string } {
  if (typeof content === 'string') return { text: content, reasoning: '' };
  let text = '';
  let reasoning = '';
  for (const chunk of content ?? []) {
    if (chunk.type === 'text') text += chunk.text ?? '';
    if (chunk.type === 'thinking')
      reasoning += (chunk.thinking ?? []).map((part) => part.text ?? '').join('');
  }
  return { text, reasoning };
}

function reasoningText(
  holder: { reasoning_content?: string | null; reasoning?: string | null },
  dialect: ChatDialect,
): string | undefined {
  for (const field of dialect.reasoningFields) {
    const value = holder[field];
    if (typeof value === 'string' && value !== '') return value;
  }
  return undefined;
}

function newToolCallId(): string {
  return `call_${randomUUID().replaceAll('-', '').slice(0, 24)}`;
}

// ---------------------------------------------------------------------------------------------
// Stream

interface StreamedToolCall {
  index: number;
  id?: string;
  name?: string;
  announced: boolean;
  /** Argument text that came before the call's name. */
  pending: string;
}

/**
 * The events of one streamed answer. `finish` and `usage` are held until `data: [DONE]` (or the
 * body's clean end after a finish reason): a stream cut after its finish chunk is `interrupted`,
 * never a clean finish.
 */
export async function* readChatEvents(
  dialect: ChatDialect,
  body: AsyncIterable<Buffer>,
  signal?: AbortSignal,
): AsyncGenerator<ChatEvent> {
  const { provider } = dialect;
  const calls = new Map<number | string, StreamedToolCall>();
  let lastKey: number | string = 0;
  let reason: string | undefined;
  let usage: TOpenAiUsage | undefined;
  let refused = false;
  let done = false;
  for await (const event of readServerSentEvents(provider, body, signal)) {
    // After [DONE] the body is read to its end so the connection goes back to the pool.
    if (done) continue;
    if (event.data === '[DONE]') {
      done = true;
      continue;
    }
    const chunk = parseUpstreamJson(provider, event.data, ZOpenAiChatChunk);
    if (chunk.error) throw streamErrorFromChunk(provider, chunk.error);
    usage = chunk.usage ?? chunk.x_groq?.usage ?? usage;
    const choice = chunk.choices?.[0];
    if (!choice) continue;
    const delta = choice.delta;
    if (delta) {
      const reasoning = reasoningText(delta, dialect);
      if (reasoning) yield { type: 'reasoning', text: reasoning };
      const content = splitContent(delta.content);
      if (content.reasoning) yield { type: 'reasoning', text: content.reasoning };
      if (content.text) yield { type: 'text', text: content.text };
      if (delta.refusal) {
        refused = true;
        yield { type: 'text', text: delta.refusal };
      }
      for (const toolDelta of delta.tool_calls ?? []) {
        // Without an index (some servers), a new id starts a new call and the rest continue the last.
        let key: number | string = toolDelta.index ?? lastKey;
        if (toolDelta.index == null && toolDelta.id && calls.get(key)?.id !== toolDelta.id)
          key = toolDelta.id;
        lastKey = key;
        let state = calls.get(key);
        if (!state) {
          state = { index: calls.size, announced: false, pending: '' };
          calls.set(key, state);
        }
        state.id ??= toolDelta.id ?? undefined;
        state.name ??= toolDelta.function?.name ?? undefined;
        const argumentsDelta = state.pending + (toolDelta.function?.arguments ?? '');
        state.pending = '';
        if (!state.announced && state.name) {
          state.announced = true;
          state.id ??= newToolCallId();
          yield { type: 'tool_call', index: state.index, id: state.id, name: state.name };
        }
        if (!state.announced) state.pending = argumentsDelta;
        else if (argumentsDelta) yield { type: 'tool_arguments', index: state.index, delta: argumentsDelta };
      }
    }
    if (choice.finish_reason === 'error') {
      throw new ProviderError('server', `${provider} failed mid-stream`);
    }
    if (choice.finish_reason) reason = choice.finish_reason;
  }
  if (!done && reason === undefined) {
    throw new ProviderError('interrupted', `${provider} ended the stream before its end`);
  }
  if ([...calls.values()].some((state) => !state.announced)) {
    throw new ProviderError('malformed', `${provider} streamed a tool call without a name`);
  }
  yield { type: 'finish', reason: finishReason(reason, calls.size > 0, refused) };
  const mapped = mapUsage(usage, dialect);
  if (mapped) yield { type: 'usage', usage: mapped };
}
