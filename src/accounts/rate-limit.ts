import type { AppContext } from '../app-context.js';
import { MixgateError } from '../lib/errors.js';

/** Throws a 429 with Retry-After when `key` has been hit more than `limit` times in the window. */
export async function enforceRateLimit(
  ctx: AppContext,
  key: string,
  limit: number,
  windowMs: number,
): Promise<void> {
  const result = await ctx.rateLimiter.hit(key, limit, windowMs);
  if (!result.allowed) {
    const seconds = Math.max(1, Math.ceil(result.retryAfterMs / 1000));
    throw new MixgateError('rate_limited', `Too many requests; try again in ${seconds} seconds`, 429, {
      retryAfterSeconds: seconds,
    });
  }
}
