/**
 * What the gateway needs from a client protocol (OpenAI chat completions, Anthropic messages):
 * a parsed request in the internal spec's terms, and encoders for the answer in the client's shape.
 */
import type { ChatEvent, ChatRequest, ChatResult, FinishReason, Usage } from '../../providers/spec.js';
import type { RoutingRequest } from '../routing/routing-request.js';

export interface ParsedChatRequest {
  routing: RoutingRequest;
  stream: boolean;
  /** OpenAI's stream_options.include_usage; Anthropic streams always carry usage. */
  includeUsage: boolean;
  /** The request without the provider's model id; maxOutputTokens is absent when the client gave none. */
  chat: Omit<ChatRequest, 'model' | 'maxOutputTokens'> & { maxOutputTokens?: number };
}

/** Facts about the answer that are ours, not the provider's. */
export interface ResponseMeta {
  /** The generation id, e.g. `gen-01J...`; also in the x-mixgate-generation-id header. */
  id: string;
  /** The catalog id of the model that answered, e.g. `anthropic/claude-sonnet-4`. */
  model: string;
  /** Unix seconds. */
  created: number;
}

/** The settled outcome reported at the end of an answer. */
export interface AnswerTotals {
  usage: Usage;
  /** The charged amount in currency units as a decimal string with six decimals ("0.000123"). */
  cost: string;
  finishReason: FinishReason;
}

/** An error as the client's protocol reports it. */
export interface ClientError {
  status: number;
  /** Our error code, e.g. `insufficient_credit`, `upstream_error`, `invalid_request`. */
  code: string;
  message: string;
  /** The request parameter at fault (OpenAI's error.param). */
  param?: string | null;
}

/**
 * Turns the internal event stream into the client's SSE text. Each method returns the bytes to
 * write ('' when there is nothing to send). `end` closes a stream that finished cleanly; `fail`
 * ends one that did not, with an error event and never the clean terminator ([DONE], message_stop).
 */
export interface ChatStreamEncoder {
  start(): string;
  event(event: ChatEvent): string;
  end(totals: AnswerTotals): string;
  fail(error: ClientError): string;
}

export type NonStreamEncoder = (result: ChatResult, meta: ResponseMeta, totals: AnswerTotals) => unknown;
