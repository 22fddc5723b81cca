/**
 * The server-sent events of a streamed /chat/completions answer -> ChatEvents, for OpenAI and the
 * compatible servers, whose differences the ChatDialect carries.
 */
import { readServerSentEvents } from '../http/sse.js';
import { parseUpstreamJson } from '../http/upstream.js';
import type { ChatEvent } from '../spec.js';
import { ProviderError } from '../spec.js';
import { type TOpenAiUsage, ZOpenAiChatChunk } from './openai-api-types.js';
import type { ChatDialect } from './openai-chat.js';
import { finishReason, mapUsage, newToolCallId, reasoningText, splitContent } from './openai-chat-answer.js';
import { streamErrorFromChunk } from './openai-error.js';

interface StreamedToolCall {
  index: number;
  id?: string;
  name?: string;
  announced: boolean;
  /** Argument text that came before the call's name. */
  pending: string;
}

/**
 * The events of one streamed answer. `finish` and `usage` are held until `data: [DONE]` (or the
 * body's clean end after a finish reason): a stream cut after its finish chunk is `interrupted`,
 * never a clean finish.
 */
export async function* readChatEvents(
  dialect: ChatDialect,
  body: AsyncIterable<Buffer>,
  signal?: AbortSignal,
): AsyncGenerator<ChatEvent> {
  const { provider } = dialect;
  const calls = new Map<number | string, StreamedToolCall>();
  let lastKey: number | string = 0;
  let reason: string | undefined;
  let usage: TOpenAiUsage | undefined;
  let refused = false;
  let done = false;
  for await (const event of readServerSentEvents(provider, body, signal)) {
    // After [DONE] the body is read to its end so the connection goes back to the pool.
    if (done) continue;
    if (event.data === '[DONE]') {
      done = true;
      continue;
    }
    const chunk = parseUpstreamJson(provider, event.data, ZOpenAiChatChunk);
    if (chunk.error) throw streamErrorFromChunk(provider, chunk.error);
    usage = chunk.usage ?? chunk.x_groq?.usage ?? usage;
    const choice = chunk.choices?.[0];
    if (!choice) continue;
    const delta = choice.delta;
    if (delta) {
      const reasoning = reasoningText(delta, dialect);
      if (reasoning) yield { type: 'reasoning', text: reasoning };
      const content = splitContent(delta.content);
      if (content.reasoning) yield { type: 'reasoning', text: content.reasoning };
      if (content.text) yield { type: 'text', text: content.text };
      if (delta.refusal) {
        refused = true;
        yield { type: 'text', text: delta.refusal };
      }
      for (const toolDelta of delta.tool_calls ?? []) {
        // Without an index (some servers), a new id starts a new call and the rest continue the last.
        let key: number | string = toolDelta.index ?? lastKey;
        if (toolDelta.index == null && toolDelta.id && calls.get(key)?.id !== toolDelta.id)
          key = toolDelta.id;
        lastKey = key;
        let state = calls.get(key);
        if (!state) {
          state = { index: calls.size, announced: false, pending: '' };
          calls.set(key, state);
        }
        state.id ??= toolDelta.id ?? undefined;
        state.name ??= toolDelta.function?.name ?? undefined;
        const argumentsDelta = state.pending + (toolDelta.function?.arguments ?? '');
        state.pending = '';
        if (!state.announced && state.name) {
          state.announced = true;
          state.id ??= newToolCallId();
          yield { type: 'tool_call', index: state.index, id: state.id, name: state.name };
        }
        if (!state.announced) state.pending = argumentsDelta;
        else if (argumentsDelta) yield { type: 'tool_arguments', index: state.index, delta: argumentsDelta };
      }
    }
    if (choice.finish_reason === 'error') {
      throw new ProviderError('server', `${provider} failed mid-stream`);
    }
    if (choice.finish_reason) reason = choice.finish_reason;
  }
  if (!done && reason === undefined) {
    throw new ProviderError('interrupted', `${provider} ended the stream before its end`);
  }
  if ([...calls.values()].some((state) => !state.announced)) {
    throw new ProviderError('malformed', `${provider} streamed a tool call without a name`);
  }
  yield { type: 'finish', reason: finishReason(reason, calls.size > 0, refused) };
  const mapped = mapUsage(usage, dialect);
  if (mapped) yield { type: 'usage', usage: mapped };
}
