/**
 * Reads an OpenAI chat.completion.chunk event stream (what /api/conversations/:id/messages and
 * /v1/chat/completions send): text and reasoning deltas as they come, then the usage chunk's cost,
 * `[DONE]` for a clean end, or an error event for an answer that failed part-way.
 */

export interface StreamHandlers {
  onText(delta: string): void;
  onReasoning?(delta: string): void;
}

export interface StreamOutcome {
  /** True only when the stream ended with `[DONE]`. */
  complete: boolean;
  cost: string | null;
  model: string | null;
  error: string | null;
}

interface Chunk {
  model?: string;
  choices?: Array<{ delta?: { content?: string | null; reasoning?: string | null } }>;
  usage?: { cost?: number | string } | null;
  error?: { message?: string };
}

export async function readChatStream(
  body: ReadableStream<Uint8Array>,
  handlers: StreamHandlers,
): Promise<StreamOutcome> {
  const outcome: StreamOutcome = { complete: false, cost: null, model: null, error: null };
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let boundary = buffer.indexOf('\n\n');
    while (boundary !== -1) {
      const event = buffer.slice(0, boundary);
      buffer = buffer.slice(boundary + 2);
      boundary = buffer.indexOf('\n\n');
      const data = event
        .split('\n')
        .filter((line) => line.startsWith('data:'))
        .map((line) => line.slice(5).trimStart())
        .join('\n');
      if (!data) continue;
      if (data === '[DONE]') {
        outcome.complete = true;
        continue;
      }
      let chunk: Chunk;
      try {
        chunk = JSON.parse(data) as Chunk;
      } catch {
        continue;
      }
      if (chunk.error) {
        outcome.error = chunk.error.message ?? 'The answer failed part-way.';
        continue;
      }
      if (chunk.model) outcome.model = chunk.model;
      const delta = chunk.choices?.[0]?.delta;
      if (delta?.content) handlers.onText(delta.content);
      if (delta?.reasoning) handlers.onReasoning?.(delta.reasoning);
      // usage.cost is a JSON number with up to six decimals; kept as its text, never as money math.
      if (chunk.usage?.cost !== undefined) outcome.cost = String(chunk.usage.cost);
    }
  }
  return outcome;
}
