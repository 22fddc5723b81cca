/**
 * Anthropic's non-stream answer (a Message) -> ChatResult, and the stop reason and usage mappings
 * the stream parser shares.
 */
import type { ChatResult, FinishReason, ToolCall, Usage } from '../spec.js';
import type { TAnthropicMessage, TAnthropicUsage } from './anthropic-api-types.js';
import { JSON_ANSWER_TOOL, type RedactableReasoning } from './anthropic-chat.js';

export function fromAnthropicMessage(message: TAnthropicMessage, jsonAnswer: boolean): ChatResult {
  let text = '';
  let answer: string | undefined;
  const reasoning: RedactableReasoning[] = [];
  const toolCalls: ToolCall[] = [];
  for (const block of message.content) {
    if (block.type === 'text') text += block.text;
    else if (block.type === 'thinking') {
      reasoning.push({ text: block.thinking, ...(block.signature && { signature: block.signature }) });
    } else if (block.type === 'redacted_thinking') {
      reasoning.push({ text: '', signature: block.data, redacted: true });
    } else if (block.type === 'tool_use') {
      const input = JSON.stringify(block.input);
      // A text preamble before the answer tool is not part of the JSON answer.
      if (jsonAnswer && block.name === JSON_ANSWER_TOOL) answer ??= input;
      else toolCalls.push({ id: block.id, name: block.name, arguments: input });
    }
  }
  const result: ChatResult = {
    text: answer ?? text,
    toolCalls,
    finishReason: finishReason(message.stop_reason, toolCalls.length > 0),
  };
  if (message.id) result.providerResponseId = message.id;
  if (reasoning.length > 0) result.reasoning = reasoning;
  const usage = message.usage ? toUsage(message.usage) : undefined;
  if (usage) result.usage = usage;
  return result;
}

export function finishReason(stopReason: string | null | undefined, hasToolCalls: boolean): FinishReason {
  switch (stopReason) {
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_use':
      // Only the answer tool was called: for the client that is a finished answer.
      return hasToolCalls ? 'tool_calls' : 'stop';
    case 'refusal':
      return 'content_filter';
    default:
      // end_turn, stop_sequence, and pause_turn (a server tool paused a long turn: this answer is done).
      return 'stop';
  }
}

/**
 * Anthropic's `input_tokens` counts only the uncached rest of the prompt; cache reads and cache
 * writes are reported beside it. Our inputTokens is the whole prompt (all three), of which
 * cachedInputTokens were read from the cache and cacheWriteTokens written to it, so the ledger can
 * price each part. output_tokens already includes thinking.
 */
export function toUsage(usage: TAnthropicUsage): Usage | undefined {
  if (usage.input_tokens == null && usage.output_tokens == null) return undefined;
  const cacheRead = usage.cache_read_input_tokens ?? undefined;
  const cacheWrite = usage.cache_creation_input_tokens ?? undefined;
  const result: Usage = {
    inputTokens: (usage.input_tokens ?? 0) + (cacheRead ?? 0) + (cacheWrite ?? 0),
    outputTokens: usage.output_tokens ?? 0,
  };
  if (cacheRead !== undefined) result.cachedInputTokens = cacheRead;
  if (cacheWrite !== undefined) result.cacheWriteTokens = cacheWrite;
  const thinking = usage.output_tokens_details?.thinking_tokens;
  if (thinking != null) result.reasoningTokens = thinking;
  return result;
}
