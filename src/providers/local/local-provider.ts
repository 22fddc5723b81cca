/**
 * The built-in `local` provider: a demo that needs no key and no network, so a fresh install works
 * end to end. Its text model is a fixed rule that says it is a demo, its pictures are drawn by a
 * formula, its embeddings hash spelling, and its speech is espeak-ng when installed. It never
 * uses the deployment's base URL, key or connection pool.
 */
import type {
  CallOptions,
  ChatEvent,
  ChatRequest,
  ChatResult,
  EmbeddingRequest,
  EmbeddingResult,
  ImageRequest,
  ImageResult,
  ProviderAdapter,
  SpeechRequest,
  SpeechResult,
} from '../spec.js';
import { ProviderError } from '../spec.js';
import { embedLocally } from './local-embed.js';
import { planLocalImages, renderLocalImage } from './local-image.js';
import { speakLocally } from './local-speech.js';
import { answerLocally } from './local-text.js';

export interface LocalAdapterOptions {
  /** Pause between streamed chunks, so streaming is visible in a demo; 0 unless told. */
  chunkDelayMs?: number;
  /** The espeak-ng executable for speech (a name in PATH or a path). */
  espeakPath?: string;
}

const PROVIDER = 'local';
/** Tool arguments stream in pieces of this many characters, as models send them. */
const ARGUMENT_PIECE = 12;

export function createLocalAdapter(options: LocalAdapterOptions = {}): ProviderAdapter {
  const chunkDelayMs = options.chunkDelayMs ?? 0;
  return {
    provider: PROVIDER,

    async chat(request: ChatRequest, call: CallOptions): Promise<ChatResult> {
      return guard(call.signal, async () => {
        const answer = await answerLocally(request);
        return {
          providerResponseId: answer.id,
          text: answer.text,
          ...(answer.reasoning !== undefined ? { reasoning: [{ text: answer.reasoning }] } : {}),
          toolCalls: answer.toolCalls,
          finishReason: answer.finishReason,
          usage: answer.usage,
        };
      });
    },

    chatStream(request: ChatRequest, call: CallOptions): AsyncIterable<ChatEvent> {
      return streamAnswer(request, call.signal, chunkDelayMs);
    },

    async embed(request: EmbeddingRequest, call: CallOptions): Promise<EmbeddingResult> {
      return guard(call.signal, () => embedLocally(request));
    },

    async generateImage(request: ImageRequest, call: CallOptions): Promise<ImageResult> {
      // Drawing is synchronous CPU work (65-80 ms of CPU for 1024x1024): let other requests run and
      // the signal be seen between images rather than blocking for all of them at once.
      const inputs = await guard(call.signal, () => planLocalImages(request));
      const images: ImageResult['images'] = [];
      for (const input of inputs) {
        await new Promise((resolve) => setImmediate(resolve));
        images.push({
          data: await guard(call.signal, () => renderLocalImage(input)),
          mediaType: 'image/png',
        });
      }
      return { images };
    },

    async speak(request: SpeechRequest, call: CallOptions): Promise<SpeechResult> {
      return guard(call.signal, () =>
        speakLocally(request, { signal: call.signal, binaryPath: options.espeakPath }),
      );
    },
  };
}

async function* streamAnswer(
  request: ChatRequest,
  signal: AbortSignal,
  chunkDelayMs: number,
): AsyncGenerator<ChatEvent> {
  const answer = await guard(signal, () => answerLocally(request));
  const events: ChatEvent[] = [];
  if (answer.reasoning !== undefined) events.push({ type: 'reasoning', text: answer.reasoning });
  for (const piece of splitWords(answer.text)) events.push({ type: 'text', text: piece });
  answer.toolCalls.forEach((toolCall, index) => {
    events.push({ type: 'tool_call', index, id: toolCall.id, name: toolCall.name });
    // Sliced by code points so no delta ends in half a surrogate pair.
    const characters = Array.from(toolCall.arguments);
    for (let at = 0; at < characters.length; at += ARGUMENT_PIECE) {
      events.push({
        type: 'tool_arguments',
        index,
        delta: characters.slice(at, at + ARGUMENT_PIECE).join(''),
      });
    }
  });
  events.push({ type: 'finish', reason: answer.finishReason });
  events.push({ type: 'usage', usage: answer.usage });
  for (const [position, event] of events.entries()) {
    if (position > 0 && chunkDelayMs > 0) await pause(chunkDelayMs, signal);
    if (signal.aborted) throw abortedError(signal);
    yield event;
  }
}

/** Word chunks with their leading spaces; trailing space is kept so the pieces join to the text. */
function splitWords(text: string): string[] {
  return text.match(/\s*\S+|\s+$/g) ?? [];
}

/** Runs one piece of local work under the call's signal; anything thrown becomes a ProviderError. */
async function guard<T>(signal: AbortSignal, work: () => T | Promise<T>): Promise<T> {
  if (signal.aborted) throw abortedError(signal);
  try {
    return await work();
  } catch (error) {
    if (error instanceof ProviderError) throw error;
    // A bug in the demo, not the caller's fault; its message may quote the prompt, so it is dropped.
    throw new ProviderError('server', 'the local demo provider failed');
  }
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortedError(signal));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

function abortedError(signal: AbortSignal): ProviderError {
  return signal.reason instanceof ProviderError
    ? signal.reason
    : new ProviderError('aborted', `the request to ${PROVIDER} was cancelled`);
}
