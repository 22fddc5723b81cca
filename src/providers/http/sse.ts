/**
 * Server-sent events from a provider's response body (the WHATWG event-stream format: `event:`,
 * `data:` over several lines, comments, CR/LF line ends). When the consumer stops early the body
 * is destroyed, which closes the upstream connection: the provider stops generating.
 */
import type { Readable } from 'node:stream';
import { ProviderError } from '../spec.js';
import { transportError } from './upstream.js';

export interface ServerSentEvent {
  /** The `event:` field, when the provider names its events (Anthropic). */
  event?: string;
  data: string;
}

/** Longest line we buffer: a provider that never ends a line is broken, not slow. */
const MAX_LINE = 4 * 1024 * 1024;

export async function* readServerSentEvents(
  provider: string,
  body: Readable | AsyncIterable<Buffer>,
  signal?: AbortSignal,
): AsyncGenerator<ServerSentEvent> {
  const decoder = new TextDecoder();
  let buffer = '';
  let event: string | undefined;
  let data: string[] = [];
  let finished = false;
  try {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      buffer += decoder.decode(chunk, { stream: true });
      let start = 0;
      for (;;) {
        const end = nextLineEnd(buffer, start);
        if (end === -1) break;
        const line = buffer.slice(start, end);
        start = end + (buffer[end] === '\r' && buffer[end + 1] === '\n' ? 2 : 1);
        if (line === '') {
          if (data.length > 0) {
            const message: ServerSentEvent = { data: data.join('\n') };
            if (event !== undefined) message.event = event;
            yield message;
          }
          event = undefined;
          data = [];
          continue;
        }
        if (line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon === -1 ? line : line.slice(0, colon);
        let value = colon === -1 ? '' : line.slice(colon + 1);
        if (value.startsWith(' ')) value = value.slice(1);
        if (field === 'data') data.push(value);
        else if (field === 'event') event = value;
      }
      buffer = buffer.slice(start);
      // A lone CR at the end may be the first half of CRLF: keep it for the next chunk.
      if (buffer.length > MAX_LINE) {
        throw new ProviderError(
          'malformed',
          `${provider} sent an event stream line longer than ${MAX_LINE} bytes`,
        );
      }
    }
    buffer += decoder.decode();
    // A final event without its blank line still counts (some servers close right after it).
    if (buffer !== '' && buffer.startsWith('data:')) data.push(buffer.slice(5).trimStart());
    if (data.length > 0) {
      const message: ServerSentEvent = { data: data.join('\n') };
      if (event !== undefined) message.event = event;
      yield message;
    }
    finished = true;
  } catch (error) {
    throw transportError(provider, error, signal, 'interrupted');
  } finally {
    if (!finished) {
      // Destroying an undici body mid-read makes it emit an AbortError; nobody listens any more.
      const stream = body as Readable;
      stream.on?.('error', () => {});
      stream.destroy?.();
    }
  }
}

function nextLineEnd(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) return i;
    if (c === 13) return i + 1 < text.length ? i : -1;
  }
  return -1;
}
