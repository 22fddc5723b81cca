/**
 * The non-streamed answer of POST /v1/chat/completions: OpenAI's `chat.completion` object
 * (https://platform.openai.com/docs/api-reference/chat/object) with OpenRouter's additions, which
 * OpenAI-compatible clients already read: `message.reasoning` (the reasoning text),
 * `message.reasoning_details` (the same with signatures, so a client can send it back on the next
 * turn) and `usage.cost` / `usage.prompt_tokens_details.cache_write_tokens`.
 */
import { z } from 'zod';
import { amountAsJsonNumber } from '../../../lib/money.js';
import type { ChatResult, ToolCall } from '../../../providers/spec.js';
import type { AnswerTotals, ResponseMeta } from '../protocol-types.js';

export const ZOpenAiUsage = z.object({
  prompt_tokens: z.number(),
  completion_tokens: z.number(),
  total_tokens: z.number(),
  prompt_tokens_details: z.object({ cached_tokens: z.number(), cache_write_tokens: z.number().optional() }),
  completion_tokens_details: z.object({ reasoning_tokens: z.number() }),
  cost: z.number(),
});
export type TOpenAiUsage = z.infer<typeof ZOpenAiUsage>;

export const ZOpenAiToolCall = z.object({
  id: z.string(),
  type: z.literal('function'),
  function: z.object({ name: z.string(), arguments: z.string() }),
});

/** OpenRouter's structured reasoning; `index` numbers the reasoning blocks of one answer. */
export const ZOpenAiReasoningDetail = z.object({
  type: z.literal('reasoning.text'),
  text: z.string(),
  signature: z.string().optional(),
  index: z.number(),
});

export const ZOpenAiFinishReason = z.enum(['stop', 'length', 'tool_calls', 'content_filter']);

export const ZOpenAiChatCompletion = z.object({
  id: z.string(),
  object: z.literal('chat.completion'),
  created: z.number(),
  model: z.string(),
  choices: z.array(
    z.object({
      index: z.number(),
      message: z.object({
        role: z.literal('assistant'),
        content: z.string().nullable(),
        refusal: z.null(),
        tool_calls: z.array(ZOpenAiToolCall).optional(),
        reasoning: z.string().optional(),
        reasoning_details: z.array(ZOpenAiReasoningDetail).optional(),
      }),
      finish_reason: ZOpenAiFinishReason,
      logprobs: z.null(),
    }),
  ),
  usage: ZOpenAiUsage,
});
export type TOpenAiChatCompletion = z.infer<typeof ZOpenAiChatCompletion>;

export function toOpenAiChatCompletion(
  result: ChatResult,
  meta: ResponseMeta,
  totals: AnswerTotals,
): TOpenAiChatCompletion {
  const reasoning = result.reasoning ?? [];
  return {
    id: meta.id,
    object: 'chat.completion',
    created: meta.created,
    model: meta.model,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          // OpenAI answers null, not '', when the turn is only tool calls; clients test for it.
          content: result.text === '' && result.toolCalls.length > 0 ? null : result.text,
          refusal: null,
          ...(result.toolCalls.length > 0 ? { tool_calls: result.toolCalls.map(toOpenAiToolCall) } : {}),
          ...(reasoning.length > 0
            ? {
                reasoning: reasoning.map((block) => block.text).join(''),
                reasoning_details: reasoning.map((block, index) => ({
                  type: 'reasoning.text' as const,
                  text: block.text,
                  ...(block.signature === undefined ? {} : { signature: block.signature }),
                  index,
                })),
              }
            : {}),
        },
        finish_reason: totals.finishReason,
        logprobs: null,
      },
    ],
    usage: toOpenAiUsage(totals),
  };
}

export function toOpenAiToolCall(call: ToolCall): z.infer<typeof ZOpenAiToolCall> {
  return { id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments } };
}

/** OpenAI's usage object: prompt_tokens counts every input token, cached or written to the cache. */
export function toOpenAiUsage(totals: AnswerTotals): TOpenAiUsage {
  const { usage } = totals;
  return {
    prompt_tokens: usage.inputTokens,
    completion_tokens: usage.outputTokens,
    total_tokens: usage.inputTokens + usage.outputTokens,
    prompt_tokens_details: {
      cached_tokens: usage.cachedInputTokens ?? 0,
      ...(usage.cacheWriteTokens === undefined ? {} : { cache_write_tokens: usage.cacheWriteTokens }),
    },
    completion_tokens_details: { reasoning_tokens: usage.reasoningTokens ?? 0 },
    cost: amountAsJsonNumber(totals.cost),
  };
}
