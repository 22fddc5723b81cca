import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { createMemoryRateLimiter, type RateLimiter } from './rate-limiter.js';
import { createRedisRateLimiter } from './redis-rate-limiter.js';

const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const redis = createRedisRateLimiter(redisUrl, `mixgate-test:${randomUUID()}:`);
afterAll(() => redis.close());

function behaves(name: string, limiter: () => RateLimiter, advance?: (ms: number) => void) {
  describe(name, () => {
    it('allows up to the limit in a window, then refuses with the time left', async () => {
      const key = `k:${randomUUID()}`;
      const results = [];
      for (let index = 0; index < 4; index++) results.push(await limiter().hit(key, 3, 60_000));
      expect(results.map((result) => result.allowed)).toEqual([true, true, true, false]);
      expect(results[3]!.retryAfterMs).toBeGreaterThan(50_000);
      expect(results[3]!.retryAfterMs).toBeLessThanOrEqual(60_000);
    });

    it('counts keys separately and forgets a key on reset', async () => {
      const [a, b] = [`a:${randomUUID()}`, `b:${randomUUID()}`];
      await limiter().hit(a, 1, 60_000);
      expect((await limiter().hit(b, 1, 60_000)).allowed).toBe(true);
      expect((await limiter().hit(a, 1, 60_000)).allowed).toBe(false);
      await limiter().reset(a);
      expect((await limiter().hit(a, 1, 60_000)).allowed).toBe(true);
    });

    if (advance) {
      it('opens a new window when the old one ends', async () => {
        const key = `w:${randomUUID()}`;
        await limiter().hit(key, 1, 1000);
        expect((await limiter().hit(key, 1, 1000)).allowed).toBe(false);
        advance(1001);
        expect((await limiter().hit(key, 1, 1000)).allowed).toBe(true);
      });
    }
  });
}

let time = 0;
const memory = createMemoryRateLimiter(() => time);
behaves(
  'in-process rate limiter',
  () => memory,
  (ms) => {
    time += ms;
  },
);

// Redis runs on the development and CI machines; the shared limiter is what several instances use.
behaves('Redis rate limiter', () => redis);

describe('Redis rate limiter shared by two instances', () => {
  it('counts hits from both against one limit', async () => {
    const prefix = `mixgate-test:${randomUUID()}:`;
    const first = createRedisRateLimiter(redisUrl, prefix);
    const second = createRedisRateLimiter(redisUrl, prefix);
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, index) => (index % 2 ? first : second).hit('shared', 6, 60_000)),
    );
    expect(results.filter((result) => result.allowed)).toHaveLength(6);
    await first.close();
    await second.close();
  });
});
