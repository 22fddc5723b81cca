/**
 * What reached the client of one chat answer, event by event: the basis of what it pays when the
 * answer ends early (DESIGN.md step 7) and of the token count when the provider reports no usage.
 */
import { countTokens } from '../../catalog/count-tokens.js';
import type { ChatEvent, ChatResult, FinishReason, Usage } from '../../providers/spec.js';

export class DeliveredOutput {
  private text = '';
  private reasoning = '';
  private toolText = '';
  private toolCalls = 0;
  usage: Usage | undefined;
  finishReason: FinishReason | undefined;
  /** Milliseconds from the request's start to the first output, when there was some. */
  firstOutputMs: number | undefined;

  constructor(private readonly startedAt: number) {}

  add(event: ChatEvent): void {
    switch (event.type) {
      case 'text':
        this.text += event.text;
        break;
      case 'reasoning':
        this.reasoning += event.text;
        break;
      case 'tool_call':
        this.toolCalls += 1;
        this.toolText += event.name;
        break;
      case 'tool_arguments':
        this.toolText += event.delta;
        break;
      case 'finish':
        this.finishReason = event.reason;
        return;
      case 'usage':
        this.usage = event.usage;
        return;
    }
    this.firstOutputMs ??= Date.now() - this.startedAt;
  }

  addResult(result: ChatResult): void {
    this.text = result.text;
    this.reasoning = (result.reasoning ?? []).map((block) => block.text).join('');
    this.toolCalls = result.toolCalls.length;
    this.toolText = result.toolCalls.map((call) => call.name + call.arguments).join('');
    this.usage = result.usage;
    this.finishReason = result.finishReason;
  }

  /** The answer's text delivered so far. */
  get deliveredText(): string {
    return this.text;
  }

  /** The reasoning delivered so far. */
  get deliveredReasoning(): string {
    return this.reasoning;
  }

  /** No text, no reasoning, no tool call: the answer costs nothing (zero-completion insurance). */
  get isEmpty(): boolean {
    return this.text === '' && this.reasoning === '' && this.toolCalls === 0;
  }

  /** Our count of the delivered output (reasoning included, as providers bill it). */
  async countOutputTokens(): Promise<{ outputTokens: number; reasoningTokens: number }> {
    const [reasoningTokens, textTokens, toolTokens] = await Promise.all([
      countTokens(this.reasoning),
      countTokens(this.text),
      countTokens(this.toolText),
    ]);
    return { outputTokens: textTokens + toolTokens + reasoningTokens, reasoningTokens };
  }
}
