/**
 * POST /v1/chat/completions (OpenAI) and POST /v1/messages (Anthropic): two protocols over one
 * pipeline (runChat), so a client written for either reaches any text model.
 */
import { z } from 'zod';
import { requireApiKeyOrSession } from '../../accounts/authenticate.js';
import type { App, AppContext } from '../../app-context.js';
import { type ChatProtocol, runChat } from '../chat/run-chat.js';
import { parseAnthropicMessagesRequest } from '../protocols/anthropic/anthropic-messages-request.js';
import { toAnthropicMessage } from '../protocols/anthropic/anthropic-messages-response.js';
import { AnthropicMessagesStreamEncoder } from '../protocols/anthropic/anthropic-messages-stream.js';
import { parseOpenAiChatRequest } from '../protocols/openai/openai-chat-request.js';
import { toOpenAiChatCompletion } from '../protocols/openai/openai-chat-response.js';
import { OpenAiChatStreamEncoder } from '../protocols/openai/openai-chat-stream.js';

/** Chat bodies carry inline images and long conversations: well above the API's default limit. */
export const GATEWAY_BODY_LIMIT_BYTES = 32 * 1024 * 1024;

/** Also the studio's chat turns, which stream exactly as /v1/chat/completions does. */
export const openAiProtocol: ChatProtocol = {
  name: 'openai',
  respond: toOpenAiChatCompletion,
  streamEncoder: (meta, parsed) => new OpenAiChatStreamEncoder(meta, { includeUsage: parsed.includeUsage }),
};

const anthropicProtocol: ChatProtocol = {
  name: 'anthropic',
  respond: toAnthropicMessage,
  streamEncoder: (meta, _parsed, inputTokensEstimate) =>
    new AnthropicMessagesStreamEncoder(meta, { inputTokensEstimate }),
};

// The bodies are parsed by the protocols' own schemas, which name the offending parameter the way
// each protocol's clients expect; the route schema only documents them.
const ZAnyBody = z.unknown();

export function registerChatRoutes(app: App, ctx: AppContext): void {
  app.post(
    '/v1/chat/completions',
    {
      bodyLimit: GATEWAY_BODY_LIMIT_BYTES,
      preHandler: requireApiKeyOrSession(ctx, 'inference'),
      schema: {
        tags: ['openai-compatible'],
        summary: 'Chat completion (OpenAI format), streaming or not, with any text model',
        security: [{ apiKey: [] }],
        body: ZAnyBody,
      },
    },
    async (request, reply) =>
      runChat(ctx, request, reply, parseOpenAiChatRequest(request.body), openAiProtocol),
  );
  app.post(
    '/v1/messages',
    {
      bodyLimit: GATEWAY_BODY_LIMIT_BYTES,
      preHandler: requireApiKeyOrSession(ctx, 'inference'),
      schema: {
        tags: ['anthropic-compatible'],
        summary: 'Messages (Anthropic format), streaming or not, with any text model',
        security: [{ apiKey: [] }],
        body: ZAnyBody,
      },
    },
    async (request, reply) =>
      runChat(ctx, request, reply, parseAnthropicMessagesRequest(request.body), anthropicProtocol),
  );
}
