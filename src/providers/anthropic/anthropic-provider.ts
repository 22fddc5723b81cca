/**
 * The Anthropic adapter: chat and streamed chat over POST {baseUrl}/messages, where baseUrl is
 * `https://api.anthropic.com/v1`.
 */
import { readServerSentEvents } from '../http/sse.js';
import { sendUpstream, sendUpstreamJson, transportError } from '../http/upstream.js';
import type { CallOptions, ChatEvent, ChatRequest, ChatResult, ProviderAdapter } from '../spec.js';
import { fromAnthropicMessage } from './anthropic-answer.js';
import { ZAnthropicMessage } from './anthropic-api-types.js';
import { toAnthropicRequest } from './anthropic-chat.js';
import { ANTHROPIC, readAnthropicError } from './anthropic-error.js';
import { readAnthropicStream } from './anthropic-stream.js';

/** The API version this adapter speaks; a deployment may pin another in its headers. */
export const ANTHROPIC_VERSION = '2023-06-01';

export function createAnthropicAdapter(): ProviderAdapter {
  return {
    provider: ANTHROPIC,

    async chat(request: ChatRequest, call: CallOptions): Promise<ChatResult> {
      const { body, jsonAnswer } = toAnthropicRequest(request);
      const message = await sendUpstreamJson(
        ANTHROPIC,
        call,
        { path: '/messages', headers: anthropicHeaders(call), body },
        ZAnthropicMessage,
        readAnthropicError,
      );
      return fromAnthropicMessage(message, jsonAnswer);
    },

    async *chatStream(request: ChatRequest, call: CallOptions): AsyncGenerator<ChatEvent> {
      try {
        const { body, jsonAnswer } = toAnthropicRequest(request);
        const response = await sendUpstream(
          ANTHROPIC,
          call,
          { path: '/messages', headers: anthropicHeaders(call), body: { ...body, stream: true } },
          readAnthropicError,
        );
        // Returning early or an aborted signal ends readServerSentEvents, which destroys the body.
        yield* readAnthropicStream(readServerSentEvents(ANTHROPIC, response.body, call.signal), jsonAnswer);
      } catch (error) {
        throw transportError(ANTHROPIC, error, call.signal, 'interrupted');
      }
    },
  };
}

function anthropicHeaders(call: CallOptions): Record<string, string> {
  const headers: Record<string, string> = {
    'anthropic-version': call.deployment.headers?.['anthropic-version'] ?? ANTHROPIC_VERSION,
  };
  if (call.deployment.apiKey) headers['x-api-key'] = call.deployment.apiKey;
  return headers;
}
