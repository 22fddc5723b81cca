/**
 * The streamed answer of POST /v1/chat/completions in OpenAI's format
 * (https://platform.openai.com/docs/api-reference/chat-streaming): `data: <chat.completion.chunk>`
 * events, a chunk carrying finish_reason, with stream_options.include_usage a last chunk with empty
 * `choices` and the usage, then `data: [DONE]`. Reasoning goes in `delta.reasoning` and
 * `delta.reasoning_details` as OpenRouter streams it.
 */
import type { ChatEvent } from '../../../providers/spec.js';
import type { AnswerTotals, ChatStreamEncoder, ClientError, ResponseMeta } from '../protocol-types.js';
import { toOpenAiUsage } from './openai-chat-response.js';
import { toOpenAiErrorEvent } from './openai-error-body.js';

type Delta = Record<string, unknown>;

/** Stands for a text delta in the chunk a text template is cut from (see textChunk). */
const TEXT_PLACEHOLDER = '\u0000mixgate-text\u0000';

export class OpenAiChatStreamEncoder implements ChatStreamEncoder {
  private started = false;
  private finished = false;
  /** OpenRouter numbers reasoning blocks; a block ends with its signature or with other output. */
  private reasoningIndex = 0;
  private reasoningOpen = false;
  /** A text chunk's JSON before and after its text, cut once from a whole chunk. */
  private textTemplate?: [string, string];

  constructor(
    private readonly meta: ResponseMeta,
    private readonly options: { includeUsage: boolean },
  ) {}

  start(): string {
    if (this.started || this.finished) return '';
    this.started = true;
    return this.chunk({ role: 'assistant', content: '' }, null);
  }

  event(event: ChatEvent): string {
    if (this.finished) return '';
    const opening = this.start();
    return opening + this.eventChunk(event);
  }

  end(totals: AnswerTotals): string {
    if (this.finished) return '';
    const opening = this.start();
    this.finished = true;
    let text = opening + this.chunk({}, totals.finishReason);
    if (this.options.includeUsage) {
      text += this.data({ ...this.envelope(), choices: [], usage: toOpenAiUsage(totals) });
    }
    return `${text}data: [DONE]\n\n`;
  }

  fail(error: ClientError): string {
    if (this.finished) return '';
    this.finished = true;
    return toOpenAiErrorEvent(error);
  }

  private eventChunk(event: ChatEvent): string {
    if (event.type !== 'reasoning') this.closeReasoning();
    switch (event.type) {
      case 'text':
        return event.text === '' ? '' : this.textChunk(event.text);
      case 'reasoning':
        return this.reasoningChunk(event.text, event.signature);
      case 'tool_call':
        return this.chunk(
          {
            tool_calls: [
              {
                index: event.index,
                id: event.id,
                type: 'function',
                function: { name: event.name, arguments: '' },
              },
            ],
          },
          null,
        );
      case 'tool_arguments':
        return event.delta === ''
          ? ''
          : this.chunk({ tool_calls: [{ index: event.index, function: { arguments: event.delta } }] }, null);
      // The settled finish reason and usage arrive with end(totals); the provider's are not final.
      case 'finish':
      case 'usage':
        return '';
    }
  }

  /**
   * chunk({ content: text }, null), byte for byte, with the text spliced into the chunk's JSON:
   * most events of a stream are text, and building and serialising the whole envelope for each
   * token cost 3 µs where the splice costs 0.1 µs. The placeholder is found from the end, so an id
   * or model name that spelled it could not move the cut (the delta comes after them, and only
   * fixed fields follow it).
   */
  private textChunk(text: string): string {
    if (!this.textTemplate) {
      const whole = this.chunk({ content: TEXT_PLACEHOLDER }, null);
      const placeholder = JSON.stringify(TEXT_PLACEHOLDER);
      const at = whole.lastIndexOf(placeholder);
      this.textTemplate = [whole.slice(0, at), whole.slice(at + placeholder.length)];
    }
    const [before, after] = this.textTemplate;
    return before + JSON.stringify(text) + after;
  }

  private reasoningChunk(text: string, signature: string | undefined): string {
    if (text === '' && signature === undefined) return '';
    this.reasoningOpen = true;
    const detail = {
      type: 'reasoning.text',
      text,
      ...(signature === undefined ? {} : { signature }),
      index: this.reasoningIndex,
    };
    const output = this.chunk({ reasoning: text, reasoning_details: [detail] }, null);
    if (signature !== undefined) this.closeReasoning();
    return output;
  }

  private closeReasoning(): void {
    if (!this.reasoningOpen) return;
    this.reasoningOpen = false;
    this.reasoningIndex += 1;
  }

  private envelope() {
    return {
      id: this.meta.id,
      object: 'chat.completion.chunk' as const,
      created: this.meta.created,
      model: this.meta.model,
    };
  }

  private chunk(delta: Delta, finishReason: string | null): string {
    return this.data({
      ...this.envelope(),
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
      // With include_usage OpenAI sends `usage: null` on every chunk before the usage chunk.
      ...(this.options.includeUsage ? { usage: null } : {}),
    });
  }

  private data(payload: unknown): string {
    return `data: ${JSON.stringify(payload)}\n\n`;
  }
}
