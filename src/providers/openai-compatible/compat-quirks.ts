/**
 * How each OpenAI-compatible server departs from OpenAI's API. Everything not listed here is sent
 * and read exactly as for OpenAI (../openai/openai-chat.ts). Sources: each provider's API reference;
 * where a server is strict about unknown fields (Mistral answers 422 extra_forbidden) only what it
 * documents is sent.
 */
import { createHash } from 'node:crypto';
import type { ChatDialect } from '../openai/openai-chat.js';

export type OpenAiCompatibleFlavour =
  | 'openrouter'
  | 'ollama'
  | 'vllm'
  | 'lmstudio'
  | 'together'
  | 'groq'
  | 'mistral'
  | 'deepseek'
  | 'xai'
  | 'generic';

export const OPENAI_COMPATIBLE_FLAVOURS: readonly OpenAiCompatibleFlavour[] = [
  'openrouter',
  'ollama',
  'vllm',
  'lmstudio',
  'together',
  'groq',
  'mistral',
  'deepseek',
  'xai',
  'generic',
];

export type CompatQuirks = Omit<ChatDialect, 'provider' | 'headers' | 'isReasoningModel'> & {
  /** Headers sent unless the deployment sets them itself. */
  defaultHeaders?: Record<string, string>;
  /** POST /embeddings, when the server has it; the field for shortened vectors, if any. */
  embeddings?: { dimensionsField?: 'dimensions' | 'output_dimension' };
  /** POST /audio/transcriptions (whisper), when the server has it. */
  transcription?: { verboseJson(model: string): boolean };
};

/**
 * Mistral refuses tool-call ids other than nine letters and digits (400 "Tool call id was ... but
 * must be a-z, A-Z, 0-9, with a length of 9"), so ids from another provider's turns are hashed to
 * one; the same id always maps to the same one, which keeps calls and results paired.
 */
export function mistralToolCallId(id: string): string {
  if (/^[a-zA-Z0-9]{9}$/.test(id)) return id;
  return createHash('sha256')
    .update(id)
    .digest('base64')
    .replace(/[^a-zA-Z0-9]/g, '')
    .slice(0, 9);
}

/** Reasoning text under either name: vLLM renamed `reasoning_content` to `reasoning`. */
const EITHER_REASONING_FIELD = ['reasoning_content', 'reasoning'] as const;

export const COMPAT_QUIRKS: Record<OpenAiCompatibleFlavour, CompatQuirks> = {
  // https://openrouter.ai/docs/api-reference : usage (with `cost` in credits and
  // cache_write_tokens) is always sent, stream_options is deprecated; reasoning is an object;
  // HTTP-Referer and X-Title attribute the traffic (the deployment may set its own, e.g. the
  // instance's PUBLIC_URL as HTTP-Referer).
  openrouter: {
    maxTokensField: 'max_tokens',
    streamUsage: false,
    reasoningFields: ['reasoning'],
    reasoningTokensOutsideCompletion: false,
    reasoningStyle: 'openrouter',
    userField: 'user',
    seedField: 'seed',
    defaultHeaders: { 'X-Title': 'Mixgate' },
    embeddings: { dimensionsField: 'dimensions' },
  },
  // https://docs.ollama.com/api/openai-compatibility : no key by default; thinking in `reasoning`.
  ollama: {
    maxTokensField: 'max_tokens',
    streamUsage: true,
    reasoningFields: ['reasoning'],
    reasoningTokensOutsideCompletion: false,
    reasoningStyle: 'reasoning_effort',
    seedField: 'seed',
    embeddings: { dimensionsField: 'dimensions' },
  },
  // https://docs.vllm.ai/en/latest/serving/openai_compatible_server.html
  vllm: {
    maxTokensField: 'max_tokens',
    streamUsage: true,
    reasoningFields: EITHER_REASONING_FIELD,
    reasoningTokensOutsideCompletion: false,
    reasoningStyle: 'reasoning_effort',
    userField: 'user',
    seedField: 'seed',
    embeddings: { dimensionsField: 'dimensions' },
    transcription: { verboseJson: () => false },
  },
  // https://lmstudio.ai/docs/app/api/endpoints/openai : no key by default.
  lmstudio: {
    maxTokensField: 'max_tokens',
    streamUsage: true,
    reasoningFields: EITHER_REASONING_FIELD,
    reasoningTokensOutsideCompletion: false,
    reasoningStyle: 'reasoning_effort',
    seedField: 'seed',
    embeddings: {},
  },
  // https://docs.together.ai/reference/chat-completions-1
  together: {
    maxTokensField: 'max_tokens',
    streamUsage: true,
    reasoningFields: ['reasoning'],
    reasoningTokensOutsideCompletion: false,
    reasoningStyle: 'reasoning_effort',
    seedField: 'seed',
    embeddings: {},
  },
  // https://console.groq.com/docs/api-reference : max_tokens is deprecated there.
  groq: {
    maxTokensField: 'max_completion_tokens',
    streamUsage: true,
    reasoningFields: ['reasoning'],
    reasoningTokensOutsideCompletion: false,
    reasoningStyle: 'reasoning_effort',
    userField: 'user',
    seedField: 'seed',
    transcription: { verboseJson: (model) => model.includes('whisper') },
  },
  // https://docs.mistral.ai/api : unknown fields are refused (422), the seed is `random_seed`, the
  // usage comes with the finish chunk unasked, reasoning models answer content chunks of type
  // `thinking`, tool-call ids are nine letters and digits.
  mistral: {
    maxTokensField: 'max_tokens',
    streamUsage: false,
    reasoningFields: [],
    reasoningTokensOutsideCompletion: false,
    reasoningStyle: 'none',
    seedField: 'random_seed',
    toolCallId: mistralToolCallId,
    embeddings: { dimensionsField: 'output_dimension' },
  },
  // https://api-docs.deepseek.com/api/create-chat-completion : string content only; cache hits
  // are `prompt_cache_hit_tokens`; in thinking mode the reasoning_content of tool-call turns must
  // be sent back (https://api-docs.deepseek.com/guides/thinking_mode#tool-calls), else 400.
  deepseek: {
    maxTokensField: 'max_tokens',
    streamUsage: true,
    reasoningFields: ['reasoning_content'],
    reasoningTokensOutsideCompletion: false,
    reasoningStyle: 'reasoning_effort',
    replayReasoning: true,
    stringContentOnly: true,
  },
  // https://docs.x.ai/docs/api-reference : reasoning_tokens are not part of completion_tokens
  // (total = prompt + completion + reasoning); effort is only low or high.
  xai: {
    maxTokensField: 'max_completion_tokens',
    streamUsage: true,
    reasoningFields: ['reasoning_content'],
    reasoningTokensOutsideCompletion: true,
    reasoningStyle: 'reasoning_effort',
    effortNames: { minimal: 'low', low: 'low', medium: 'high', high: 'high' },
    userField: 'user',
    seedField: 'seed',
  },
  // Any other server (llama.cpp, SGLang, LiteLLM, TGI...): the most widely understood subset.
  generic: {
    maxTokensField: 'max_tokens',
    streamUsage: true,
    reasoningFields: EITHER_REASONING_FIELD,
    reasoningTokensOutsideCompletion: false,
    reasoningStyle: 'reasoning_effort',
    seedField: 'seed',
    embeddings: { dimensionsField: 'dimensions' },
    transcription: { verboseJson: () => false },
  },
};
