import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/test-database.js';
import { apiKeys } from '../db/schema/index.js';
import { insertLedgerTestUser } from '../ledger/ledger-test-fixtures.js';
import { sha256Hex } from '../lib/crypto.js';
import { createApiKeyCache } from './api-key-cache.js';
import { createApiKey } from './api-keys.js';

const database = await createTestDatabase();
const db = database.db;
const TTL = 1000;

/** A key, and a cache on a clock the test moves. */
async function setUp() {
  const userId = await insertLedgerTestUser(db);
  const { key, id } = await createApiKey(db, { userId, name: 'cache test' }, null, new Date());
  const clock = { now: 0 };
  const cache = createApiKeyCache(db, { ttlMs: TTL, now: () => clock.now });
  // Revoked as another instance (or the CLI) would: straight in the database, no invalidate here.
  const revokeElsewhere = () => db.update(apiKeys).set({ revokedAt: new Date() }).where(eq(apiKeys.id, id));
  return { key, id, clock, cache, revokeElsewhere };
}

describe('the API key cache', () => {
  it('answers from its entry within the TTL, then reads again: a revocation elsewhere bites within the TTL', async () => {
    const { key, id, clock, cache, revokeElsewhere } = await setUp();
    expect(await cache.lookup(key)).toMatchObject({ id });
    await revokeElsewhere();
    clock.now = (TTL * 3) / 4 - 1;
    expect(await cache.lookup(key)).toMatchObject({ id });
    clock.now = TTL;
    expect(await cache.lookup(key)).toBeNull();
  });

  it('refreshes an entry past 3/4 of its TTL in the background, answering from it meanwhile', async () => {
    const { key, id, clock, cache, revokeElsewhere } = await setUp();
    expect(await cache.lookup(key)).toMatchObject({ id });
    await revokeElsewhere();
    clock.now = (TTL * 3) / 4;
    // Still the cached answer: this request does not wait for the read it starts.
    expect(await cache.lookup(key)).toMatchObject({ id });
    // The background read lands, and answers before the first entry's TTL would have run out.
    clock.now = (TTL * 3) / 4 + 1;
    await expect.poll(() => cache.lookup(key)).toBeNull();
    expect(clock.now).toBeLessThan(TTL);
  });

  it('a key in steady use keeps answering through its background refreshes, across many TTLs', async () => {
    const { key, id, clock, cache } = await setUp();
    for (let time = 0; time <= 5 * TTL; time += TTL / 4) {
      clock.now = time;
      expect(await cache.lookup(key)).toMatchObject({ id });
      // Let each background read land before the next step.
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  });

  it('invalidate drops the entry at once, and a read begun before it is not cached', async () => {
    const { key, id, clock, cache } = await setUp();
    expect(await cache.lookup(key)).toMatchObject({ id });
    clock.now = (TTL * 3) / 4;
    // Starts a background read of the still-active key, then the key is revoked here.
    expect(await cache.lookup(key)).toMatchObject({ id });
    await db.update(apiKeys).set({ revokedAt: new Date() }).where(eq(apiKeys.id, id));
    cache.invalidate(sha256Hex(key));
    // Whatever the earlier read saw, it cannot bring the key back.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await cache.lookup(key)).toBeNull();
  });

  it('refuses strings that are not Mixgate keys without a query, and caches unknown keys as absent', async () => {
    const { cache } = await setUp();
    expect(await cache.lookup('sk-not-ours')).toBeNull();
    expect(await cache.lookup(`mg-${'x'.repeat(40)}`)).toBeNull();
  });
});
