/**
 * Counts tokens when a provider did not report usage, so the answer is still billed. This is
 * OpenAI's o200k_base tokenizer (gpt-tokenizer's default encoding, used by GPT-4o and later): exact
 * for those models and an approximation for every other provider, whose tokenizers differ (Claude
 * and Gemini usually count somewhat more tokens for the same text).
 *
 * The tokenizer runs in a worker thread, started on first use. Its ranks are 200,000 strings and a
 * map of them, about 21 MB of small objects: on the main thread every full garbage collection had
 * to mark them all, which added 15-20 ms to each (10 forced collections here: 22-26 ms with them
 * loaded, 7-8 ms without), pauses that every request in flight waits through. Loading them also
 * takes about 300 ms, which the worker spends off the event loop. A count costs a message each way.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

type Operation = 'count' | 'encode' | 'decode';
interface Reply {
  id: number;
  result?: unknown;
  error?: string;
}

/** A running worker and the answers it owes: those die with it, and only those. */
interface Tokenizer {
  worker: Worker;
  pending: Map<number, { resolve(value: unknown): void; reject(error: Error): void }>;
}

let current: Tokenizer | undefined;
let nextId = 0;

function startTokenizer(): Tokenizer {
  const tokenizer: Tokenizer = {
    worker: new Worker(new URL('./tokenizer-worker.cjs', import.meta.url), {
      workerData: { tokenizerPath: createRequire(import.meta.url).resolve('gpt-tokenizer') },
    }),
    pending: new Map(),
  };
  const { worker, pending } = tokenizer;
  worker.on('message', (reply: Reply) => {
    const waiter = pending.get(reply.id);
    if (!waiter) return;
    pending.delete(reply.id);
    if (pending.size === 0) worker.unref();
    if (reply.error === undefined) waiter.resolve(reply.result);
    else waiter.reject(new Error(`tokenizer: ${reply.error}`));
  });
  // A worker that died takes its answers with it; the next call starts another.
  const lost = (error: Error) => {
    if (current === tokenizer) current = undefined;
    for (const waiter of pending.values()) waiter.reject(error);
    pending.clear();
  };
  worker.on('error', lost);
  worker.on('exit', (code) => lost(new Error(`tokenizer: the worker exited (${code})`)));
  return tokenizer;
}

function call(operation: Operation, input: string | number[]): Promise<unknown> {
  current ??= startTokenizer();
  const { worker, pending } = current;
  const id = nextId++;
  // Held open only while it owes an answer: an idle tokenizer never keeps the process alive.
  worker.ref();
  worker.postMessage({ id, operation, input });
  return new Promise((resolve, reject) => pending.set(id, { resolve, reject }));
}

/** Tokens in `text`; text that spells a special token counts as plain text. */
export async function countTokens(text: string): Promise<number> {
  return text === '' ? 0 : ((await call('count', text)) as number);
}

/** The o200k tokens of `text` (special-token text as plain text). */
export async function encodeTokens(text: string): Promise<number[]> {
  return (await call('encode', text)) as number[];
}

/** The text of o200k tokens. */
export async function decodeTokens(tokens: number[]): Promise<string> {
  return (await call('decode', tokens)) as string;
}

/** Stops the worker (tests that check for open handles); the next call starts another. */
export async function stopTokenizer(): Promise<void> {
  const stopping = current;
  current = undefined;
  await stopping?.worker.terminate();
}
