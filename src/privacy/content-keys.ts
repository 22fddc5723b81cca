/**
 * Per-user data keys (DESIGN.md "Privacy by design"): a user's content is sealed with 32 random
 * bytes of their own, kept in user_data_keys sealed with the instance master key. Destroying that
 * key is the erasure that reaches every copy (crypto-shredding): rows, files and backups keep only
 * ciphertext nobody can open.
 *
 * Keys are made on first use (race-safe: INSERT … ON CONFLICT DO NOTHING, then read) and cached in
 * this process for a few minutes, so a chat turn does not read the table. A destroyed key leaves a
 * tombstone row: reading the user's content fails with `content_erased`, and no new key is made for
 * them. Another instance may still hold the key in its cache for up to CACHE_TTL_MS after it was
 * destroyed; the erasure flow ends the user's sessions and deletes the rows and files as well.
 */
import { createHash, randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { AppContext } from '../app-context.js';
import { userDataKeys } from '../db/schema/index.js';
import type { DbOrTransaction } from '../db/transaction.js';
import { decrypt, encrypt } from '../lib/crypto.js';
import { MixgateError } from '../lib/errors.js';

/** What the key functions need of the running instance. */
export type KeyContext = Pick<AppContext, 'db' | 'masterKey'>;

const DATA_KEY_BYTES = 32;
export const CACHE_TTL_MS = 5 * 60_000;
const CACHE_MAX_ENTRIES = 10_000;

interface CachedKey {
  key: Buffer;
  masterKeyId: string;
  expiresAt: number;
}

const cache = new Map<string, CachedKey>();
const loading = new Map<string, Promise<Buffer>>();
/** Users whose key was destroyed here lately: never cached again before this time. */
const destroyedUntil = new Map<string, number>();
const fingerprints = new WeakMap<Buffer, string>();

/** A short public name for a master key (a hash, not the key), stored beside what it sealed. */
export function masterKeyId(masterKey: Buffer): string {
  let id = fingerprints.get(masterKey);
  if (!id) {
    id = `mk-${createHash('sha256').update('mixgate master key id\0').update(masterKey).digest('hex').slice(0, 16)}`;
    fingerprints.set(masterKey, id);
  }
  return id;
}

/** The additional data a sealed data key is bound to: it opens only for its user. */
function dataKeyContext(userId: string): string {
  return `user-data-key:${userId}`;
}

export function sealDataKey(masterKey: Buffer, userId: string, dataKey: Buffer): string {
  return encrypt(masterKey, dataKey, dataKeyContext(userId));
}

export function openDataKey(masterKey: Buffer, userId: string, sealed: string): Buffer {
  return decrypt(masterKey, sealed, dataKeyContext(userId));
}

export function newDataKey(): Buffer {
  return randomBytes(DATA_KEY_BYTES);
}

export function contentErased(): MixgateError {
  return new MixgateError('content_erased', "This user's content was erased: its data key no longer exists");
}

/**
 * The user's data key, made on first use. Throws `content_erased` once it was destroyed. Runs on
 * its own connection (not the caller's transaction): a key made for content that is then rolled
 * back is simply unused.
 */
export async function dataKeyFor(ctx: KeyContext, userId: string): Promise<Buffer> {
  const keyId = masterKeyId(ctx.masterKey);
  const now = Date.now();
  const cached = cache.get(userId);
  if (cached && cached.masterKeyId === keyId && cached.expiresAt > now) {
    // Least recently used leaves first: a hit moves the entry to the end.
    cache.delete(userId);
    cache.set(userId, cached);
    return cached.key;
  }
  const flight = `${keyId}:${userId}`;
  let pending = loading.get(flight);
  if (!pending) {
    pending = loadDataKey(ctx, userId, keyId).finally(() => loading.delete(flight));
    loading.set(flight, pending);
  }
  const key = await pending;
  remember(userId, key, keyId);
  return key;
}

async function loadDataKey(ctx: KeyContext, userId: string, keyId: string): Promise<Buffer> {
  let row = await readKeyRow(ctx.db, userId);
  if (!row) {
    const fresh = newDataKey();
    const [inserted] = await ctx.db
      .insert(userDataKeys)
      .values({ userId, keySealed: sealDataKey(ctx.masterKey, userId, fresh), masterKeyId: keyId })
      .onConflictDoNothing()
      .returning({ userId: userDataKeys.userId });
    if (inserted) return fresh;
    // Another request (or instance) made it first: use theirs.
    row = await readKeyRow(ctx.db, userId);
    if (!row) throw new Error(`The data key of user ${userId} vanished while it was being made`);
  }
  if (row.keySealed === null) throw contentErased();
  if (row.masterKeyId !== keyId) {
    throw new MixgateError(
      'internal_error',
      `A data key is sealed by master key ${row.masterKeyId}, but this instance runs with ${keyId}: was the master key rotated without restarting every instance?`,
    );
  }
  return openDataKey(ctx.masterKey, userId, row.keySealed);
}

async function readKeyRow(db: DbOrTransaction, userId: string) {
  const [row] = await db
    .select({ keySealed: userDataKeys.keySealed, masterKeyId: userDataKeys.masterKeyId })
    .from(userDataKeys)
    .where(eq(userDataKeys.userId, userId));
  return row;
}

function remember(userId: string, key: Buffer, keyId: string): void {
  const now = Date.now();
  const destroyed = destroyedUntil.get(userId);
  if (destroyed !== undefined) {
    if (destroyed > now) return;
    destroyedUntil.delete(userId);
  }
  cache.delete(userId);
  cache.set(userId, { key, masterKeyId: keyId, expiresAt: now + CACHE_TTL_MS });
  while (cache.size > CACHE_MAX_ENTRIES) cache.delete(cache.keys().next().value!);
}

/**
 * Crypto-shredding: forgets the user's data key for good (the row stays as a tombstone, so no new
 * key is made for them) and drops it from this process's cache. Call it in the erasure's
 * transaction; until that commits, other requests read the key from the database again rather
 * than from the cache. Returns whether a key existed.
 */
export async function destroyUserDataKey(
  db: DbOrTransaction,
  userId: string,
  now = new Date(),
): Promise<boolean> {
  forgetDataKey(userId);
  const before = await readKeyRow(db, userId);
  await db
    .insert(userDataKeys)
    .values({ userId, keySealed: null, masterKeyId: null, destroyedAt: now })
    .onConflictDoUpdate({
      target: userDataKeys.userId,
      set: { keySealed: null, masterKeyId: null, destroyedAt: now },
    });
  forgetDataKey(userId);
  return before?.keySealed != null;
}

/** Drops the user's key from this process's cache (and keeps it out for a cache lifetime). */
export function forgetDataKey(userId: string): void {
  const now = Date.now();
  cache.delete(userId);
  for (const [forgotten, until] of destroyedUntil) if (until <= now) destroyedUntil.delete(forgotten);
  destroyedUntil.set(userId, now + CACHE_TTL_MS);
}

/** Empties the cache: after the master key changed in this process, and in tests that restart. */
export function clearDataKeyCache(): void {
  cache.clear();
  destroyedUntil.clear();
}
