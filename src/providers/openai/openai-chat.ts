/**
 * ChatRequest <-> OpenAI's /chat/completions (https://platform.openai.com/docs/api-reference/chat),
 * for OpenAI and every server that copies it. What differs between them (token limit field, usage
 * chunk, reasoning fields...) is a ChatDialect: OpenAI's is in openai-provider.ts, the others in
 * ../openai-compatible/compat-quirks.ts. The body is built in openai-chat-request.ts, the answer
 * read in openai-chat-answer.ts and the stream in openai-chat-stream.ts.
 *
 * Refusals (structured outputs' `refusal` field) are returned as the answer's text with the finish
 * reason `content_filter`: the client sees why there is no answer, and a client expecting JSON can
 * tell a refusal from malformed output.
 */
import { sendUpstream, sendUpstreamJson } from '../http/upstream.js';
import type {
  CallOptions,
  ChatEvent,
  ChatRequest,
  ChatResult,
  Deployment,
  ReasoningEffort,
} from '../spec.js';
import { type TOpenAiChatRequest, ZOpenAiChatCompletion } from './openai-api-types.js';
import { chatResultFromCompletion } from './openai-chat-answer.js';
import { buildChatBody } from './openai-chat-request.js';
import { readChatEvents } from './openai-chat-stream.js';
import { readOpenAiError, refineOpenAiError } from './openai-error.js';

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
