/** Stability's error bodies read for the shared statusError, and its one special case. */
import type { ErrorBodyReader } from '../http/upstream.js';
import { ProviderError } from '../spec.js';
import { ZStabilityErrorBody } from './stability-api-types.js';

/** `{ id, name, errors }`: the name is the code, the errors (parameter complaints) the message. */
export const readStabilityError: ErrorBodyReader = (body) => {
  const parsed = ZStabilityErrorBody.safeParse(body);
  if (!parsed.success) return {};
  return { code: parsed.data.name, message: parsed.data.errors?.join('; ') };
};

/**
 * A 403 named `content_moderation` is Stability's moderation refusing the prompt, not a key
 * problem: it becomes `content_filter` (not retryable, and not a reason to mark the key bad).
 */
export function refineStabilityError(error: unknown): unknown {
  if (error instanceof ProviderError && error.options.providerCode === 'content_moderation') {
    return new ProviderError('content_filter', error.message, error.options);
  }
  return error;
}
