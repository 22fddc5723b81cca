/**
 * The one interface between the gateway and every provider. The gateway translates the client's
 * protocol (OpenAI or Anthropic) into these types; an adapter translates them into its provider's
 * wire format and back. Providers know nothing of the ledger, the catalog's prices or the user.
 */
import type { Dispatcher } from 'undici';

// ---------------------------------------------------------------------------------------------
// Chat

export interface TextPart {
  type: 'text';
  text: string;
}

/** An image given by URL (https: or data:) or inline bytes, as the client sent it. */
export interface ImagePart {
  type: 'image';
  /** An https URL or a `data:<mediaType>;base64,...` URL. */
  url: string;
  /** OpenAI's `detail`; ignored by providers without it. */
  detail?: 'auto' | 'low' | 'high';
}

export type ContentPart = TextPart | ImagePart;

export interface ToolCall {
  id: string;
  name: string;
  /** The arguments as the JSON text the model produced (may be `{}`; never re-serialised). */
  arguments: string;
}

/** A block of a model's reasoning. Anthropic's redacted_thinking: `signature` holds its opaque data, `text` is ''. */
export interface ReasoningItem {
  text: string;
  signature?: string;
  redacted?: boolean;
}

export type ChatMessage =
  | { role: 'system'; content: string }
  | { role: 'user'; content: ContentPart[] }
  | {
      role: 'assistant';
      /** Text of the answer; empty when the turn was only tool calls. */
      content: string;
      toolCalls?: ToolCall[];
      /** Anthropic thinking blocks must be replayed with their signature; others drop them. */
      reasoning?: ReasoningItem[];
    }
  | { role: 'tool'; toolCallId: string; content: string; isError?: boolean };

export interface ToolDefinition {
  name: string;
  description?: string;
  /** JSON Schema of the arguments object. */
  parameters: Record<string, unknown>;
  strict?: boolean;
}

export type ToolChoice = 'auto' | 'none' | 'required' | { name: string };

export type ResponseFormat =
  | { type: 'text' }
  | { type: 'json_object' }
  | {
      type: 'json_schema';
      name: string;
      schema: Record<string, unknown>;
      strict?: boolean;
      description?: string;
    };

export type ReasoningEffort = 'minimal' | 'low' | 'medium' | 'high';

export interface ChatRequest {
  /** The provider's own model id (the catalog maps `openai/gpt-4o-mini` to `gpt-4o-mini`). */
  model: string;
  /** System messages first, in order; adapters without a system role join them. */
  messages: ChatMessage[];
  /** Always set: the gateway fills in the catalog's default when the client gave none. */
  maxOutputTokens: number;
  temperature?: number;
  topP?: number;
  stop?: string[];
  seed?: number;
  tools?: ToolDefinition[];
  toolChoice?: ToolChoice;
  parallelToolCalls?: boolean;
  responseFormat?: ResponseFormat;
  /** Reasoning models: OpenAI's effort, Anthropic's thinking budget, Gemini's thinking budget. */
  reasoning?: { effort?: ReasoningEffort; budgetTokens?: number };
  /** An opaque, pseudonymous end-user id for the provider's abuse monitoring; never an e-mail. */
  user?: string;
}

export type FinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter';

/** Token counts as the provider reported them. Reasoning tokens are part of outputTokens. */
export interface Usage {
  /** Every input token of the prompt, including cachedInputTokens and cacheWriteTokens. */
  inputTokens: number;
  outputTokens: number;
  /** Input tokens read from the provider's prompt cache (billed at the cached price). */
  cachedInputTokens?: number;
  /** Input tokens written to the cache (Anthropic bills them above the input price). */
  cacheWriteTokens?: number;
  /** Of outputTokens, how many were reasoning. */
  reasoningTokens?: number;
}

export interface ChatResult {
  /** The provider's response id, for support; never shown as ours. */
  providerResponseId?: string;
  text: string;
  reasoning?: ReasoningItem[];
  toolCalls: ToolCall[];
  finishReason: FinishReason;
  /** Absent when the provider did not report it; the gateway then counts with a tokenizer. */
  usage?: Usage;
}

/**
 * A streamed chat, in order. Tool calls are announced with `tool_call` (id and name) before their
 * argument deltas; `index` numbers the calls of one answer from 0. `finish` and `usage` come last,
 * in either order; `usage` may be missing when the provider did not send it.
 */
export type ChatEvent =
  | { type: 'text'; text: string }
  | { type: 'reasoning'; text: string; signature?: string; redacted?: boolean }
  | { type: 'tool_call'; index: number; id: string; name: string }
  | { type: 'tool_arguments'; index: number; delta: string }
  | { type: 'finish'; reason: FinishReason }
  | { type: 'usage'; usage: Usage };

// ---------------------------------------------------------------------------------------------
// Other modalities

export interface EmbeddingRequest {
  model: string;
  input: string[];
  dimensions?: number;
  user?: string;
}

export interface EmbeddingResult {
  /** One vector per input, in input order. */
  embeddings: number[][];
  usage?: { inputTokens: number };
}

export interface ImageRequest {
  model: string;
  prompt: string;
  /** Number of images; the gateway holds for all of them and captures only those returned. */
  n: number;
  /** `WIDTHxHEIGHT`, e.g. `1024x1024`. */
  size?: string;
  quality?: string;
  style?: string;
  negativePrompt?: string;
  seed?: number;
  user?: string;
}

export interface GeneratedImage {
  /** The image bytes (adapters download URL answers so outputs do not expire upstream). */
  data: Buffer;
  mediaType: string;
  revisedPrompt?: string;
}

export interface ImageResult {
  images: GeneratedImage[];
  /** Token-priced image models (gpt-image-1) report usage; per-image models do not. */
  usage?: Usage;
}

export interface SpeechRequest {
  model: string;
  input: string;
  voice: string;
  /** mp3 | opus | aac | flac | wav | pcm */
  format: string;
  speed?: number;
  instructions?: string;
}

export interface SpeechResult {
  audio: Buffer;
  mediaType: string;
  /** Characters billed (the input's length in characters unless the provider says otherwise). */
  characters: number;
}

export interface TranscriptionRequest {
  model: string;
  audio: Buffer;
  filename: string;
  mediaType: string;
  language?: string;
  prompt?: string;
  temperature?: number;
}

export interface TranscriptionResult {
  text: string;
  language?: string;
  /** Length of the audio in seconds, when known (per-second pricing). */
  durationSeconds?: number;
  usage?: Usage;
}

/** A long generation run by the provider (Replicate predictions): video, music, some images. */
export interface AsyncJobRequest {
  model: string;
  modality: 'image' | 'video' | 'music' | 'speech';
  /** Model-specific inputs (prompt, duration, aspect ratio...), validated by the catalog's schema. */
  input: Record<string, unknown>;
}

export type AsyncJobStatus =
  | { state: 'running' /** Percent done, 0-100, when the provider tells. */; progress?: number }
  | {
      state: 'succeeded';
      outputs: { data: Buffer; mediaType: string }[];
      /** What the provider billed by: seconds of compute or of output. */
      metrics?: { predictSeconds?: number; outputSeconds?: number };
    }
  | { state: 'failed'; error: ProviderError }
  | { state: 'canceled' };

// ---------------------------------------------------------------------------------------------
// Calling a provider

/** One configured provider endpoint. Secrets stay here; adapters never log them. */
export interface Deployment {
  /** Unique id, e.g. `openai` or `openai-eu`. */
  id: string;
  /** The adapter: openai | anthropic | google | openai-compatible | replicate | elevenlabs | stability | local */
  provider: string;
  /** Base URL including any version path the provider documents, e.g. `https://api.openai.com/v1`. */
  baseUrl: string;
  apiKey?: string;
  /** Where requests are processed, e.g. `US`, `EU`, `local`. */
  region: string;
  /** The provider keeps no prompts or outputs (zero data retention). */
  zeroRetention: boolean;
  /** The GDPR transfer safeguard for this sub-processor, e.g. `EU-US Data Privacy Framework`. */
  transferSafeguard: string;
  /** Extra headers the provider needs (OpenRouter's HTTP-Referer, an API version...). */
  headers?: Record<string, string>;
}

export interface CallOptions {
  deployment: Deployment;
  /** Keep-alive connection pool for this deployment (undici), never global fetch. */
  dispatcher: Dispatcher;
  /** Aborted when the client goes away or the attempt times out: adapters must stop reading and
   * close the upstream request. */
  signal: AbortSignal;
}

export type ProviderErrorKind =
  | 'rate_limited' // 429
  | 'overloaded' // 529, 503
  | 'server' // other 5xx
  | 'timeout'
  | 'network' // connection refused, reset
  | 'malformed' // a body or stream we could not parse
  | 'interrupted' // the stream stopped before its end
  | 'bad_request' // 400, 404, 413, 422: the request itself is at fault
  | 'auth' // 401, 403: the deployment's key
  | 'content_filter'
  | 'aborted'; // our own signal

const RETRYABLE: ReadonlySet<ProviderErrorKind> = new Set([
  'rate_limited',
  'overloaded',
  'server',
  'timeout',
  'network',
  'malformed',
  'interrupted',
]);

/**
 * Every failure an adapter reports. The message is safe to show the client and to log: it names
 * the provider and what went wrong, never the prompt, the output or the key.
 */
export class ProviderError extends Error {
  readonly isRetryable: boolean;

  constructor(
    readonly kind: ProviderErrorKind,
    message: string,
    readonly options: {
      /** The upstream HTTP status, when there was one. */
      status?: number;
      /** From Retry-After, retry-after-ms or the provider's retry hint. */
      retryAfterMs?: number;
      /** The provider's own error code or type, e.g. `rate_limit_error`. */
      providerCode?: string;
    } = {},
  ) {
    super(message);
    this.name = 'ProviderError';
    this.isRetryable = RETRYABLE.has(kind);
  }

  get status(): number | undefined {
    return this.options.status;
  }

  get retryAfterMs(): number | undefined {
    return this.options.retryAfterMs;
  }
}

/**
 * A provider. Each method is optional: an adapter implements the modalities its provider offers.
 * Every method rejects (or, for streams, throws from the iterator) with a ProviderError only.
 * A stream's iterator is closed early (`return()`) when the client disconnects; the adapter must
 * then abort the upstream request.
 */
export interface ProviderAdapter {
  readonly provider: string;
  chat?(request: ChatRequest, options: CallOptions): Promise<ChatResult>;
  chatStream?(request: ChatRequest, options: CallOptions): AsyncIterable<ChatEvent>;
  embed?(request: EmbeddingRequest, options: CallOptions): Promise<EmbeddingResult>;
  generateImage?(request: ImageRequest, options: CallOptions): Promise<ImageResult>;
  speak?(request: SpeechRequest, options: CallOptions): Promise<SpeechResult>;
  transcribe?(request: TranscriptionRequest, options: CallOptions): Promise<TranscriptionResult>;
  startJob?(request: AsyncJobRequest, options: CallOptions): Promise<{ upstreamId: string }>;
  pollJob?(upstreamId: string, options: CallOptions): Promise<AsyncJobStatus>;
  cancelJob?(upstreamId: string, options: CallOptions): Promise<void>;
}
