/**
 * Counts tokens when a provider did not report usage, so the answer is still billed. This is
 * OpenAI's o200k_base tokenizer (gpt-tokenizer's default encoding, used by GPT-4o and later): exact
 * for those models and an approximation for every other provider, whose tokenizers differ (Claude
 * and Gemini usually count somewhat more tokens for the same text).
 */
import { countTokens as countO200kTokens } from 'gpt-tokenizer';

export function countTokens(text: string): number {
  return text === '' ? 0 : countO200kTokens(text);
}
