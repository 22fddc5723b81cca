/**
 * Per-user data keys on a real database: made once even when requests (or instances) race, cached
 * for a bounded time, sealed with the master key and refused under another one, and destroyed for
 * good (crypto-shredding): a tombstone, no new key, `content_erased` for every reader.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createTestDatabase } from '../../test/test-database.js';
import { userDataKeys, users } from '../db/schema/index.js';
import { decrypt } from '../lib/crypto.js';
import { MixgateError } from '../lib/errors.js';
import {
  CACHE_TTL_MS,
  clearDataKeyCache,
  dataKeyFor,
  destroyUserDataKey,
  masterKeyId,
  openDataKey,
} from './content-keys.js';
import { checkMasterKey, MasterKeyMismatchError } from './content-master-key.js';

const database = await createTestDatabase();
const masterKey = randomBytes(32);
const ctx = { db: database.db, masterKey };

async function newUser(): Promise<string> {
  const id = randomUUID();
  await database.db.insert(users).values({
    id,
    email: `${id}@example.com`,
    username: `u${id.slice(0, 8)}`,
    passwordHash: 'x',
    ageConfirmed: true,
    ageConfirmedAt: new Date(),
  });
  return id;
}

async function keyRows(userId: string) {
  return database.db.select().from(userDataKeys).where(eq(userDataKeys.userId, userId));
}

afterEach(() => {
  vi.useRealTimers();
});

describe('a user data key', () => {
  it('is 32 random bytes, made on first use, sealed with the master key and bound to its user', async () => {
    const userId = await newUser();
    expect(await keyRows(userId)).toEqual([]);
    const key = await dataKeyFor(ctx, userId);
    expect(key).toHaveLength(32);
    const [row] = await keyRows(userId);
    expect(row).toMatchObject({ masterKeyId: masterKeyId(masterKey), destroyedAt: null, rotatedAt: null });
    expect(row!.keySealed).not.toContain(key.toString('base64'));
    expect(openDataKey(masterKey, userId, row!.keySealed!)).toEqual(key);
    expect(() => decrypt(masterKey, row!.keySealed!, `user-data-key:${randomUUID()}`)).toThrow();
    expect(masterKeyId(masterKey)).toMatch(/^mk-[0-9a-f]{16}$/);
    expect(masterKeyId(masterKey)).not.toContain(masterKey.toString('hex').slice(0, 16));
  });

  it('is made once when requests of this process and of another instance race for it', async () => {
    vi.resetModules();
    // A second copy of the module: its own cache and in-flight requests, as another instance has.
    const other = (await import('./content-keys.js')) as typeof import('./content-keys.js');
    const userIds = await Promise.all(Array.from({ length: 20 }, () => newUser()));
    const keys = await Promise.all(
      userIds.flatMap((userId) => [
        dataKeyFor(ctx, userId),
        other.dataKeyFor(ctx, userId),
        dataKeyFor(ctx, userId),
      ]),
    );
    for (let index = 0; index < userIds.length; index++) {
      const [a, b, c] = keys.slice(index * 3, index * 3 + 3);
      expect(b).toEqual(a);
      expect(c).toEqual(a);
    }
    const { rows } = await database.pool.query(
      'SELECT count(*)::int AS n FROM user_data_keys WHERE user_id = ANY($1)',
      [userIds],
    );
    expect(rows[0].n).toBe(userIds.length);
  });

  it('is read from the cache until its lifetime ends, then from the database again', async () => {
    const userId = await newUser();
    const key = await dataKeyFor(ctx, userId);
    // Swapped behind the cache's back: the cached key is still what a request gets...
    await database.db.delete(userDataKeys).where(eq(userDataKeys.userId, userId));
    expect(await dataKeyFor(ctx, userId)).toEqual(key);
    // ...until the entry expires; then the table is read (and, the row being gone, a new key made).
    vi.useFakeTimers({ now: Date.now() + CACHE_TTL_MS + 1_000, toFake: ['Date'] });
    const fresh = await dataKeyFor(ctx, userId);
    expect(fresh).not.toEqual(key);
    expect(await keyRows(userId)).toHaveLength(1);
  });

  it('is refused under another master key, with both key ids named, and the start-up check refuses that key', async () => {
    const userId = await newUser();
    await dataKeyFor(ctx, userId);
    const stranger = randomBytes(32);
    const error = await dataKeyFor({ ...ctx, masterKey: stranger }, userId).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(MixgateError);
    expect((error as Error).message).toContain(masterKeyId(masterKey));
    expect((error as Error).message).toContain(masterKeyId(stranger));
    await expect(checkMasterKey(database.db, masterKey)).resolves.toEqual({ foreign: 0 });
    await expect(checkMasterKey(database.db, stranger)).rejects.toThrow(MasterKeyMismatchError);
  });
});

describe('destroying a data key (crypto-shredding)', () => {
  it('leaves a tombstone without key material: reading fails with content_erased, and no new key is made', async () => {
    const userId = await newUser();
    await dataKeyFor(ctx, userId);
    expect(await destroyUserDataKey(database.db, userId)).toBe(true);
    const [row] = await keyRows(userId);
    expect(row).toMatchObject({ keySealed: null, masterKeyId: null, destroyedAt: expect.any(Date) });
    for (let attempt = 0; attempt < 2; attempt++) {
      const error = await dataKeyFor(ctx, userId).catch((caught: unknown) => caught);
      expect(error).toMatchObject({ code: 'content_erased', status: 410 });
    }
    expect(await keyRows(userId)).toHaveLength(1);
    // The database refuses a tombstone with key material, or key material without its master key.
    await expect(
      database.db.execute(sql`UPDATE user_data_keys SET key_sealed = 'v1.x' WHERE user_id = ${userId}`),
    ).rejects.toThrow();
  });

  it('also marks a user who never had a key, so none is made for them later', async () => {
    const userId = await newUser();
    expect(await destroyUserDataKey(database.db, userId)).toBe(false);
    await expect(dataKeyFor(ctx, userId)).rejects.toMatchObject({ code: 'content_erased' });
  });

  it("reaches this process's cache at once, even when destroyed in a transaction that commits later", async () => {
    const userId = await newUser();
    await dataKeyFor(ctx, userId);
    await database.db.transaction(async (tx) => {
      await destroyUserDataKey(tx, userId);
      // Before the commit, the key is still readable from the database (not from the cache)...
      expect(await dataKeyFor(ctx, userId)).toHaveLength(32);
    });
    // ...and after it, not at all.
    await expect(dataKeyFor(ctx, userId)).rejects.toMatchObject({ code: 'content_erased' });
  });

  it('reaches the cache of another instance once that cache entry expires', async () => {
    vi.resetModules();
    const other = (await import('./content-keys.js')) as typeof import('./content-keys.js');
    const userId = await newUser();
    await other.dataKeyFor(ctx, userId);
    await destroyUserDataKey(database.db, userId);
    // Documented: another instance may use its cached key for up to CACHE_TTL_MS.
    expect(await other.dataKeyFor(ctx, userId)).toHaveLength(32);
    vi.useFakeTimers({ now: Date.now() + CACHE_TTL_MS + 1_000, toFake: ['Date'] });
    await expect(other.dataKeyFor(ctx, userId)).rejects.toMatchObject({ code: 'content_erased' });
  });

  it('is refused by the database for a user that does not exist', async () => {
    clearDataKeyCache();
    await expect(dataKeyFor(ctx, randomUUID())).rejects.toThrow();
  });
});
