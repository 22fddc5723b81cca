/**
 * A /chat/completions answer -> ChatResult, and the mappings the stream parser shares: finish
 * reasons, usage, content parts and the servers' reasoning fields.
 */
import { randomUUID } from 'node:crypto';
import type { ChatResult, FinishReason, ToolCall, Usage } from '../spec.js';
import type { TOpenAiChatCompletion, TOpenAiContent, TOpenAiUsage } from './openai-api-types.js';
import type { ChatDialect } from './openai-chat.js';

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

export function splitContent(content: TOpenAiContent): { text: string; reasoning: string } {
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

export function reasoningText(
  holder: { reasoning_content?: string | null; reasoning?: string | null },
  dialect: ChatDialect,
): string | undefined {
  for (const field of dialect.reasoningFields) {
    const value = holder[field];
    if (typeof value === 'string' && value !== '') return value;
  }
  return undefined;
}

export function newToolCallId(): string {
  return `call_${randomUUID().replaceAll('-', '').slice(0, 24)}`;
}
