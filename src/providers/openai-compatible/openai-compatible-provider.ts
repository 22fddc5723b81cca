/**
 * The adapter for servers that speak OpenAI's API: OpenRouter, Ollama, vLLM, LM Studio, Together,
 * Groq, Mistral, DeepSeek, xAI or any other. It is the OpenAI adapter with the flavour's quirks
 * (compat-quirks.ts). Its provider id is the flavour (`deepseek`...), as deployments and the
 * registry name it; errors name it too.
 */
import { type ChatDialect, openAiChat, openAiChatStream } from '../openai/openai-chat.js';
import { type MediaDialect, openAiEmbed, openAiTranscribe } from '../openai/openai-media.js';
import { bearerHeaders } from '../openai/openai-provider.js';
import type { Deployment, ProviderAdapter } from '../spec.js';
import { COMPAT_QUIRKS, type OpenAiCompatibleFlavour } from './compat-quirks.js';

export type { OpenAiCompatibleFlavour } from './compat-quirks.js';

export function createOpenAiCompatibleAdapter(flavour: OpenAiCompatibleFlavour): ProviderAdapter {
  const { defaultHeaders = {}, embeddings, transcription, ...chatQuirks } = COMPAT_QUIRKS[flavour];
  // The deployment's own headers win over our defaults; the key (none for local servers) is its own.
  const headers = (deployment: Deployment): Record<string, string> => {
    const own = new Set(Object.keys(deployment.headers ?? {}).map((name) => name.toLowerCase()));
    const defaults = Object.entries(defaultHeaders).filter(([name]) => !own.has(name.toLowerCase()));
    return { ...Object.fromEntries(defaults), ...bearerHeaders(deployment) };
  };
  const chatDialect: ChatDialect = { provider: flavour, headers, ...chatQuirks };
  const adapter: ProviderAdapter = {
    provider: flavour,
    chat: (request, options) => openAiChat(request, options, chatDialect),
    chatStream: (request, options) => openAiChatStream(request, options, chatDialect),
  };
  const mediaDialect: MediaDialect = {
    provider: flavour,
    headers,
    // OpenAI's default is already floats; some servers refuse the field.
    embeddingEncodingFormat: false,
    dimensionsField: embeddings?.dimensionsField,
    userField: chatQuirks.userField === 'user' ? 'user' : undefined,
    verboseTranscription: (model) => transcription?.verboseJson(model) ?? false,
  };
  if (embeddings) adapter.embed = (request, options) => openAiEmbed(request, options, mediaDialect);
  if (transcription)
    adapter.transcribe = (request, options) => openAiTranscribe(request, options, mediaDialect);
  return adapter;
}
