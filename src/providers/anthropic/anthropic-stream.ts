/**
 * Anthropic's server-sent events (https://docs.anthropic.com/en/docs/build-with-claude/streaming)
 * -> ChatEvents.
 */
import type { ServerSentEvent } from '../http/sse.js';
import { parseUpstreamJson } from '../http/upstream.js';
import type { ChatEvent } from '../spec.js';
import { ProviderError } from '../spec.js';
import { finishReason, toUsage } from './anthropic-answer.js';
import { type TAnthropicUsage, ZAnthropicStreamEvent } from './anthropic-api-types.js';
import { JSON_ANSWER_TOOL, type RedactableReasoning } from './anthropic-chat.js';
import { ANTHROPIC, streamErrorFromEvent } from './anthropic-error.js';

/** message_delta repeats the usage cumulatively, sometimes with the input side corrected. */
function mergeUsage(previous: TAnthropicUsage | undefined, next: TAnthropicUsage | null | undefined) {
  if (!next) return previous;
  const merged: TAnthropicUsage = { ...previous };
  for (const [key, value] of Object.entries(next)) {
    if (value !== null && value !== undefined) (merged as Record<string, unknown>)[key] = value;
  }
  return merged;
}

function redactedReasoning(data: string): RedactableReasoning & ChatEvent {
  return { type: 'reasoning', text: '', signature: data, redacted: true };
}

type BlockState =
  | { kind: 'text' | 'thinking' | 'ignored' }
  | { kind: 'tool'; index: number; sentArguments: boolean }
  | { kind: 'answer'; sentArguments: boolean };

/**
 * Anthropic's events -> ChatEvents. Tool calls are numbered 0.. among themselves, not by Anthropic's
 * block index. A reasoning event with a signature closes one thinking block. `finish` and `usage`
 * are sent only at `message_stop`, so a cut stream never looks finished.
 */
export async function* readAnthropicStream(
  events: AsyncIterable<ServerSentEvent>,
  jsonAnswer: boolean,
): AsyncGenerator<ChatEvent> {
  const blocks = new Map<number, BlockState>();
  let toolCount = 0;
  let usage: TAnthropicUsage | undefined;
  let stopReason: string | null | undefined;
  let stopped = false;
  // In JSON mode, text waits until we know whether the answer tool follows (then it was a preamble).
  let heldText: string[] = [];
  let answered = false;
  const text = (value: string): ChatEvent[] => {
    if (value === '') return [];
    if (!jsonAnswer) return [{ type: 'text', text: value }];
    if (!answered) heldText.push(value);
    return [];
  };
  const releaseText = (): ChatEvent[] => {
    const released = heldText.map((value): ChatEvent => ({ type: 'text', text: value }));
    heldText = [];
    return released;
  };

  for await (const message of events) {
    // Anthropic closes the stream after message_stop; reading to the end keeps the connection reusable.
    if (stopped) continue;
    const event = parseUpstreamJson(ANTHROPIC, message.data, ZAnthropicStreamEvent);
    switch (event.type) {
      case 'message_start':
        usage = mergeUsage(usage, event.message.usage);
        break;
      case 'content_block_start': {
        const block = event.content_block;
        if (block.type === 'text') {
          blocks.set(event.index, { kind: 'text' });
          yield* text(block.text);
        } else if (block.type === 'tool_use') {
          if (jsonAnswer && block.name === JSON_ANSWER_TOOL) {
            // The first call is the answer; a second, parallel one cannot join valid JSON.
            blocks.set(
              event.index,
              answered ? { kind: 'ignored' } : { kind: 'answer', sentArguments: false },
            );
            answered = true;
            heldText = [];
          } else {
            yield* releaseText();
            const index = toolCount++;
            blocks.set(event.index, { kind: 'tool', index, sentArguments: false });
            yield { type: 'tool_call', index, id: block.id, name: block.name };
          }
        } else if (block.type === 'thinking') {
          blocks.set(event.index, { kind: 'thinking' });
          if (block.thinking) yield { type: 'reasoning', text: block.thinking };
        } else if (block.type === 'redacted_thinking') {
          blocks.set(event.index, { kind: 'ignored' });
          yield redactedReasoning(block.data);
        } else {
          blocks.set(event.index, { kind: 'ignored' });
        }
        break;
      }
      case 'content_block_delta': {
        const state = blocks.get(event.index);
        if (!state)
          throw new ProviderError('malformed', `${ANTHROPIC} sent a delta for a block it never started`);
        const delta = event.delta;
        if (delta.type === 'text_delta' && state.kind === 'text') yield* text(delta.text);
        else if (delta.type === 'thinking_delta' && state.kind === 'thinking') {
          if (delta.thinking) yield { type: 'reasoning', text: delta.thinking };
        } else if (delta.type === 'signature_delta' && state.kind === 'thinking') {
          yield { type: 'reasoning', text: '', signature: delta.signature };
        } else if (delta.type === 'input_json_delta' && delta.partial_json !== '') {
          if (state.kind === 'tool') {
            state.sentArguments = true;
            yield { type: 'tool_arguments', index: state.index, delta: delta.partial_json };
          } else if (state.kind === 'answer') {
            state.sentArguments = true;
            yield { type: 'text', text: delta.partial_json };
          }
        }
        break;
      }
      case 'content_block_stop': {
        // A call without arguments streams only an empty partial_json; its input is `{}`.
        const state = blocks.get(event.index);
        if (state?.kind === 'tool' && !state.sentArguments)
          yield { type: 'tool_arguments', index: state.index, delta: '{}' };
        else if (state?.kind === 'answer' && !state.sentArguments) yield { type: 'text', text: '{}' };
        break;
      }
      case 'message_delta':
        stopReason = event.delta.stop_reason ?? stopReason;
        usage = mergeUsage(usage, event.usage);
        break;
      case 'message_stop': {
        stopped = true;
        yield* releaseText();
        yield { type: 'finish', reason: finishReason(stopReason, toolCount > 0) };
        const mapped = usage ? toUsage(usage) : undefined;
        if (mapped) yield { type: 'usage', usage: mapped };
        break;
      }
      case 'error':
        throw streamErrorFromEvent(event.error);
      default:
        // ping, and event types newer than this adapter.
        break;
    }
  }
  if (!stopped) throw new ProviderError('interrupted', `${ANTHROPIC}'s stream ended before message_stop`);
}
