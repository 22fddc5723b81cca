/**
 * The Google Gemini adapter (Gemini API, `https://generativelanguage.googleapis.com/v1beta`): chat,
 * streamed chat and embeddings. The deployment's key goes in `x-goog-api-key`.
 */
import type { ProviderAdapter } from '../spec.js';
import { googleChat, googleChatStream } from './google-chat.js';
import { googleEmbed } from './google-embed.js';
import { GOOGLE } from './google-error.js';

export function createGoogleAdapter(): ProviderAdapter {
  return {
    provider: GOOGLE,
    chat: googleChat,
    chatStream: googleChatStream,
    embed: googleEmbed,
  };
}
