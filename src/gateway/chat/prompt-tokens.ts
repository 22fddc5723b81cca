/**
 * Token counts of a chat prompt without calling a provider: an upper bound for the hold, and a
 * count for billing when the provider reports no usage.
 */
import { countTokens } from '../../catalog/count-tokens.js';
import type { ChatRequest } from '../../providers/spec.js';

/**
 * Images are priced by their pixels, which we do not decode on the hot path; this bounds the
 * largest image any provider bills (gpt-4o-mini's multiplied image tokens are about 25,000).
 */
const IMAGE_TOKEN_BOUND = 25_000;
/** Role markers and separators per message. */
const MESSAGE_OVERHEAD_TOKENS = 8;

type PromptParts = Pick<ChatRequest, 'messages' | 'tools' | 'responseFormat'>;

/** Every piece of text the model reads, in order. */
export function promptText(chat: PromptParts): string {
  const parts: string[] = [];
  for (const message of chat.messages) {
    switch (message.role) {
      case 'system':
        parts.push(message.content);
        break;
      case 'user':
        for (const part of message.content) if (part.type === 'text') parts.push(part.text);
        break;
      case 'assistant':
        parts.push(message.content);
        for (const call of message.toolCalls ?? []) parts.push(call.name, call.arguments);
        for (const block of message.reasoning ?? []) parts.push(block.text);
        break;
      case 'tool':
        parts.push(message.content);
        break;
    }
  }
  if (chat.tools?.length) parts.push(JSON.stringify(chat.tools));
  if (chat.responseFormat?.type === 'json_schema') parts.push(JSON.stringify(chat.responseFormat.schema));
  return parts.join('\n');
}

function imageCount(chat: PromptParts): number {
  let images = 0;
  for (const message of chat.messages) {
    if (message.role === 'user') images += message.content.filter((part) => part.type === 'image').length;
  }
  return images;
}

/**
 * At least as many input tokens as any provider will bill, computed in O(bytes) with no tokenizer:
 * a BPE token is at least one byte of UTF-8, so the byte length bounds the count.
 */
export function inputTokensBound(chat: PromptParts): number {
  return (
    Buffer.byteLength(promptText(chat), 'utf8') +
    chat.messages.length * MESSAGE_OVERHEAD_TOKENS +
    imageCount(chat) * IMAGE_TOKEN_BOUND
  );
}

/** Our own count of the prompt, when the provider did not report one (approximate, see countTokens). */
export async function countPromptTokens(chat: PromptParts): Promise<number> {
  return (await countTokens(promptText(chat))) + chat.messages.length * 4 + imageCount(chat) * 1_000;
}
