/** Test helpers: what an adapter call came to, its stream's events or the ProviderError it failed with. */
import { ProviderError } from '../spec.js';

/** Every event of a stream, in order. */
export async function collect<T>(events: AsyncIterable<T>): Promise<T[]> {
  const collected: T[] = [];
  for await (const event of events) collected.push(event);
  return collected;
}

/** The ProviderError the call failed with; throws (failing the test) when it succeeded or failed otherwise. */
export async function rejection(promise: Promise<unknown>): Promise<ProviderError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ProviderError) return error;
    throw new Error(`expected a ProviderError, the call failed with ${String(error)}`, { cause: error });
  }
  throw new Error('expected the call to fail with a ProviderError, it succeeded');
}
