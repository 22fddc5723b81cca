/**
 * The internal event stream as Anthropic's SSE events
 * (https://docs.anthropic.com/en/docs/build-with-claude/streaming): message_start, ping, content
 * blocks opened and closed one at a time with increasing indexes, message_delta, message_stop.
 * The SDKs accumulate deltas into `content[index]`, so only one block may be open at once and its
 * index must be its position in the final content.
 */
import type { ChatEvent } from '../../../providers/spec.js';
import type { AnswerTotals, ChatStreamEncoder, ClientError, ResponseMeta } from '../protocol-types.js';
import { toAnthropicErrorEvent } from './anthropic-error-body.js';
import { toAnthropicStopReason, toAnthropicUsage } from './anthropic-messages-response.js';

interface ToolCallState {
  id: string;
  name: string;
  /** Every argument delta received, streamed or not. */
  arguments: string;
  /** waiting: announced but its block not opened yet, its arguments buffered. */
  state: 'waiting' | 'open' | 'closed';
}

type OpenBlock =
  | { kind: 'text'; index: number }
  | { kind: 'thinking'; index: number; signed: boolean }
  | { kind: 'tool'; index: number; call: ToolCallState };

function serverSentEvent(data: { type: string } & Record<string, unknown>): string {
  return `event: ${data.type}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** A JSON text is complete when it parses: no further delta can extend it and stay valid. */
function isCompleteJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

export class AnthropicMessagesStreamEncoder implements ChatStreamEncoder {
  private started = false;
  private finished = false;
  private nextBlockIndex = 0;
  private open: OpenBlock | undefined;
  private readonly toolCalls = new Map<number, ToolCallState>();

  constructor(
    private readonly meta: ResponseMeta,
    private readonly options: { inputTokensEstimate?: number } = {},
  ) {}

  start(): string {
    if (this.started) return '';
    this.started = true;
    const message = {
      id: this.meta.id,
      type: 'message',
      role: 'assistant',
      model: this.meta.model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { input_tokens: this.options.inputTokensEstimate ?? 0, output_tokens: 0 },
    };
    return serverSentEvent({ type: 'message_start', message }) + serverSentEvent({ type: 'ping' });
  }

  event(event: ChatEvent): string {
    if (this.finished) return '';
    switch (event.type) {
      case 'text':
        return this.text(event.text);
      case 'reasoning':
        if (event.redacted && event.signature !== undefined) return this.redactedThinking(event.signature);
        return this.reasoning(event.text, event.signature);
      case 'tool_call':
        return this.toolCall(event.index, event.id, event.name);
      case 'tool_arguments':
        return this.toolArguments(event.index, event.delta);
      case 'finish':
      case 'usage':
        // The settled stop reason and usage arrive with end().
        return '';
    }
  }

  end(totals: AnswerTotals): string {
    if (this.finished) return '';
    this.finished = true;
    let out = this.closeOpen();
    const waiting = [...this.toolCalls]
      .filter(([, call]) => call.state === 'waiting')
      .sort(([a], [b]) => a - b);
    for (const [, call] of waiting) out += this.openTool(call) + this.closeOpen();
    out += serverSentEvent({
      type: 'message_delta',
      delta: { stop_reason: toAnthropicStopReason(totals.finishReason), stop_sequence: null },
      usage: toAnthropicUsage(totals),
    });
    return out + serverSentEvent({ type: 'message_stop' });
  }

  fail(error: ClientError): string {
    if (this.finished) return '';
    this.finished = true;
    return toAnthropicErrorEvent(error);
  }

  private text(text: string): string {
    if (text === '') return '';
    let out = '';
    let block = this.open;
    if (block?.kind !== 'text') {
      out += this.closeOpen();
      block = { kind: 'text', index: this.nextBlockIndex++ };
      out += this.startBlock(block.index, { type: 'text', text: '' });
      this.open = block;
    }
    return out + this.delta(block.index, { type: 'text_delta', text });
  }

  private reasoning(text: string, signature: string | undefined): string {
    if (text === '' && !signature) return '';
    let out = '';
    let block = this.open;
    // A signature seals its thinking block; more thinking after it is a new block.
    if (block?.kind !== 'thinking' || block.signed) {
      out += this.closeOpen();
      block = { kind: 'thinking', index: this.nextBlockIndex++, signed: false };
      out += this.startBlock(block.index, { type: 'thinking', thinking: '', signature: '' });
      this.open = block;
    }
    if (text !== '') out += this.delta(block.index, { type: 'thinking_delta', thinking: text });
    if (signature) {
      out += this.delta(block.index, { type: 'signature_delta', signature });
      block.signed = true;
    }
    return out;
  }

  /** A redacted block arrives whole: Anthropic sends it as a start with its data, then a stop. */
  private redactedThinking(data: string): string {
    const index = this.nextBlockIndex++;
    return (
      this.closeOpen() +
      this.startBlock(index, { type: 'redacted_thinking', data }) +
      serverSentEvent({ type: 'content_block_stop', index })
    );
  }

  private toolCall(index: number, id: string, name: string): string {
    if (this.toolCalls.has(index)) return '';
    this.toolCalls.set(index, { id, name, arguments: '', state: 'waiting' });
    return this.tryOpen(index);
  }

  private toolArguments(index: number, delta: string): string {
    const call = this.toolCalls.get(index);
    // The spec announces every call before its arguments; a stray delta has no block to go to.
    if (!call || delta === '') return '';
    call.arguments += delta;
    if (call.state === 'open' && this.open?.kind === 'tool') {
      return this.delta(this.open.index, { type: 'input_json_delta', partial_json: delta });
    }
    // A closed call only gets more arguments when a provider interleaves text into a call that was
    // not complete; its block cannot reopen, so those arguments are lost to the stream.
    return call.state === 'waiting' ? this.tryOpen(index) : '';
  }

  /**
   * Opens a waiting call's block when nothing else needs the stream: no tool block is open, or the
   * open call's arguments are already complete JSON. Otherwise its arguments stay buffered (calls
   * interleaved by index) and go out when the open call completes or at the end.
   */
  private tryOpen(index: number): string {
    const call = this.toolCalls.get(index);
    if (call?.state !== 'waiting') return '';
    const open = this.open;
    if (open?.kind === 'tool' && !isCompleteJson(open.call.arguments)) return '';
    return this.closeOpen() + this.openTool(call);
  }

  private openTool(call: ToolCallState): string {
    const index = this.nextBlockIndex++;
    call.state = 'open';
    this.open = { kind: 'tool', index, call };
    let out = this.startBlock(index, { type: 'tool_use', id: call.id, name: call.name, input: {} });
    if (call.arguments !== '') {
      out += this.delta(index, { type: 'input_json_delta', partial_json: call.arguments });
    }
    return out;
  }

  private closeOpen(): string {
    const open = this.open;
    if (!open) return '';
    if (open.kind === 'tool') open.call.state = 'closed';
    this.open = undefined;
    return serverSentEvent({ type: 'content_block_stop', index: open.index });
  }

  private startBlock(index: number, contentBlock: Record<string, unknown>): string {
    return serverSentEvent({ type: 'content_block_start', index, content_block: contentBlock });
  }

  private delta(index: number, delta: Record<string, unknown>): string {
    return serverSentEvent({ type: 'content_block_delta', index, delta });
  }
}
