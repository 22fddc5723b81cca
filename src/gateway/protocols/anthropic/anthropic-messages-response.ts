/**
 * An answer as Anthropic's Message object (https://docs.anthropic.com/en/api/messages), so the
 * official SDKs parse it whatever model answered. The stream encoder shares the usage and stop
 * reason mapping.
 */
import { z } from 'zod';
import { amountAsJsonNumber, type JsonAmount } from '../../../lib/money.js';
import type { ChatResult, FinishReason } from '../../../providers/spec.js';
import type { AnswerTotals, ResponseMeta } from '../protocol-types.js';

export type TAnthropicStopReason = 'end_turn' | 'max_tokens' | 'tool_use' | 'refusal';

export interface AnthropicUsage {
  /** Uncached input only: Anthropic counts cache reads and cache writes apart from it. */
  input_tokens: number;
  output_tokens: number;
  cache_read_input_tokens: number;
  cache_creation_input_tokens: number;
  /** Present when the provider said how many output tokens were reasoning. */
  output_tokens_details?: { thinking_tokens: number };
  /** Ours, not Anthropic's: the charged amount in currency units. */
  cost: JsonAmount;
}

export type AnthropicContentBlock =
  | { type: 'thinking'; thinking: string; signature: string }
  | { type: 'redacted_thinking'; data: string }
  | { type: 'text'; text: string }
  | { type: 'tool_use'; id: string; name: string; input: Record<string, unknown> };

export interface AnthropicMessage {
  id: string;
  type: 'message';
  role: 'assistant';
  model: string;
  content: AnthropicContentBlock[];
  stop_reason: TAnthropicStopReason;
  stop_sequence: null;
  usage: AnthropicUsage;
}

const STOP_REASON: Record<FinishReason, TAnthropicStopReason> = {
  // 'stop_sequence' would need the matched sequence, which the internal result does not carry.
  stop: 'end_turn',
  length: 'max_tokens',
  tool_calls: 'tool_use',
  content_filter: 'refusal',
};

export function toAnthropicStopReason(reason: FinishReason): TAnthropicStopReason {
  return STOP_REASON[reason];
}

export function toAnthropicUsage(totals: AnswerTotals): AnthropicUsage {
  const { usage } = totals;
  const cacheRead = usage.cachedInputTokens ?? 0;
  const cacheWrite = usage.cacheWriteTokens ?? 0;
  return {
    input_tokens: Math.max(0, usage.inputTokens - cacheRead - cacheWrite),
    output_tokens: usage.outputTokens,
    cache_read_input_tokens: cacheRead,
    cache_creation_input_tokens: cacheWrite,
    ...(usage.reasoningTokens !== undefined
      ? { output_tokens_details: { thinking_tokens: usage.reasoningTokens } }
      : {}),
    // A JSON number as OpenRouter's usage.cost is; the exact amount stays a decimal in the ledger.
    cost: amountAsJsonNumber(totals.cost),
  };
}

const ZToolInput = z.record(z.string(), z.unknown());

/**
 * A tool call's arguments as Anthropic's `input` object. A model can emit arguments that are not a
 * JSON object (cut by max tokens, or plain wrong); the answer still goes out, with `{}`.
 */
export function toToolInput(argumentsText: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(argumentsText);
  } catch {
    return {};
  }
  const parsed = ZToolInput.safeParse(value);
  return parsed.success ? parsed.data : {};
}

export function toAnthropicMessage(
  result: ChatResult,
  meta: ResponseMeta,
  totals: AnswerTotals,
): AnthropicMessage {
  const content: AnthropicContentBlock[] = (result.reasoning ?? []).map((reasoning) =>
    reasoning.redacted && reasoning.signature !== undefined
      ? { type: 'redacted_thinking', data: reasoning.signature }
      : { type: 'thinking', thinking: reasoning.text, signature: reasoning.signature ?? '' },
  );
  if (result.text !== '') content.push({ type: 'text', text: result.text });
  for (const call of result.toolCalls) {
    content.push({ type: 'tool_use', id: call.id, name: call.name, input: toToolInput(call.arguments) });
  }
  return {
    id: meta.id,
    type: 'message',
    role: 'assistant',
    model: meta.model,
    content,
    stop_reason: toAnthropicStopReason(totals.finishReason),
    stop_sequence: null,
    usage: toAnthropicUsage(totals),
  };
}
