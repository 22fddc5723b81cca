/**
 * The OpenAI adapter (provider `openai`): chat with streaming and tools, embeddings, images,
 * speech and transcription against https://api.openai.com/v1 or any deployment of the same API.
 */
import type { Deployment, ProviderAdapter } from '../spec.js';
import { type ChatDialect, openAiChat, openAiChatStream } from './openai-chat.js';
import {
  type MediaDialect,
  openAiEmbed,
  openAiGenerateImage,
  openAiSpeak,
  openAiTranscribe,
} from './openai-media.js';

export const OPENAI = 'openai';

/** `Authorization: Bearer <key>`, and nothing when the deployment has no key (local servers). */
export function bearerHeaders(deployment: Deployment): Record<string, string> {
  return deployment.apiKey ? { authorization: `Bearer ${deployment.apiKey}` } : {};
}

/**
 * The o-series and gpt-5 reasoning models (not gpt-5-chat): they take `developer` messages
 * (https://platform.openai.com/docs/guides/text#message-roles-and-instruction-following),
 * reasoning_effort, and no temperature or top_p.
 */
export function isOpenAiReasoningModel(model: string): boolean {
  return /^o\d/.test(model) || (model.startsWith('gpt-5') && !model.startsWith('gpt-5-chat'));
}

export const OPENAI_CHAT: ChatDialect = {
  provider: OPENAI,
  headers: bearerHeaders,
  // max_tokens is deprecated and refused by reasoning models; every model takes this one.
  maxTokensField: 'max_completion_tokens',
  streamUsage: true,
  reasoningFields: [],
  reasoningTokensOutsideCompletion: false,
  reasoningStyle: 'reasoning_effort',
  // `user` is deprecated in favour of safety_identifier for abuse monitoring.
  userField: 'safety_identifier',
  seedField: 'seed',
  isReasoningModel: isOpenAiReasoningModel,
};

export const OPENAI_MEDIA: MediaDialect = {
  provider: OPENAI,
  headers: bearerHeaders,
  embeddingEncodingFormat: true,
  dimensionsField: 'dimensions',
  userField: 'user',
  verboseTranscription: (model) => model === 'whisper-1',
};

export function createOpenAiAdapter(): ProviderAdapter {
  return {
    provider: OPENAI,
    chat: (request, options) => openAiChat(request, options, OPENAI_CHAT),
    chatStream: (request, options) => openAiChatStream(request, options, OPENAI_CHAT),
    embed: (request, options) => openAiEmbed(request, options, OPENAI_MEDIA),
    generateImage: (request, options) => openAiGenerateImage(request, options, OPENAI_MEDIA),
    speak: (request, options) => openAiSpeak(request, options, OPENAI_MEDIA),
    transcribe: (request, options) => openAiTranscribe(request, options, OPENAI_MEDIA),
  };
}
