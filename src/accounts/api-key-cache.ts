import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../db/database.js';
import { apiKeys, organisationMembers, users } from '../db/schema/index.js';
import type { RoutingPolicy } from '../gateway/routing/plan-route.js';
import type { SpendLimitPeriod } from '../ledger/spend-periods.js';
import { sha256Hex } from '../lib/crypto.js';

export interface ApiKeyRecord {
  id: string;
  userId: string;
  organisationId: string | null;
  scopes: string[];
  spendLimitMicros: bigint | null;
  spendLimitPeriod: SpendLimitPeriod;
  expiresAt: Date | null;
  /** The owner's standing routing restrictions, cached with the key (no query per request). */
  routingPolicy: RoutingPolicy | null;
  /**
   * For an organisation's key, the owner's membership there (their spend limit), cached with the
   * key so the gateway's hold is its only query before the provider is called.
   */
  member: { spendLimitMicros: bigint | null; spendLimitPeriod: SpendLimitPeriod } | null;
}

export interface ApiKeyCache {
  /** The live key for a raw `mg-…` string, or null (unknown, revoked, expired, user not active). */
  lookup(rawKey: string): Promise<ApiKeyRecord | null>;
  /** Drops a key from this instance's cache at once (revocation). */
  invalidate(keyHash: string): void;
}

interface Entry {
  record: ApiKeyRecord | null;
  fetchedAt: number;
}

const LAST_USED_WRITE_INTERVAL_MS = 60_000;
/**
 * The part of its TTL after which a used entry is read again in the background. Later means fewer
 * reads (a key in steady use is read once per 3/4 TTL), earlier means a key used less often still
 * never waits.
 */
const REFRESH_AHEAD = 0.75;

/**
 * The gateway's hot path must not query the database per request: keys are cached by hash for
 * `ttlMs` (1 s by default, which bounds how long a revocation made by another instance or by the
 * CLI takes to bite). Concurrent misses for one key share a single query; unknown keys are cached
 * too, so a flood of bad keys cannot hammer the database.
 *
 * An entry past 3/4 of its TTL is refreshed in the background while it still answers, so a key
 * in steady use never makes a request wait for the query (at 10 requests a second per key, one in
 * ten did); only a key unused for the last quarter of its TTL waits. Every answer still comes from
 * a read at most `ttlMs` old. A read that started before an invalidation is not cached, so it
 * cannot put back the key it revoked.
 */
export function createApiKeyCache(db: Db, options: { ttlMs?: number; now?: () => number } = {}): ApiKeyCache {
  const ttlMs = options.ttlMs ?? 1000;
  const now = options.now ?? Date.now;
  const entries = new Map<string, Entry>();
  const pending = new Map<string, Promise<Entry>>();
  /** When each key was last invalidated, until a later read is cached: earlier reads are not. */
  const invalidatedAt = new Map<string, number>();
  const lastUsedWrites = new Map<string, number>();

  // Built once: drizzle assembling this join on every read cost 2% of the gateway's thread when
  // saturated (each key in use is read again every second).
  const byHash = db
    .select({
      id: apiKeys.id,
      userId: apiKeys.userId,
      organisationId: apiKeys.organisationId,
      scopes: apiKeys.scopes,
      spendLimitMicros: apiKeys.spendLimitMicros,
      spendLimitPeriod: sql<SpendLimitPeriod>`${apiKeys.spendLimitPeriod}`,
      expiresAt: apiKeys.expiresAt,
      routingPolicy: users.routingPolicy,
      memberUserId: organisationMembers.userId,
      memberLimit: organisationMembers.spendLimitMicros,
      memberPeriod: sql<SpendLimitPeriod | null>`${organisationMembers.spendLimitPeriod}`,
    })
    .from(apiKeys)
    .innerJoin(users, eq(users.id, apiKeys.userId))
    .leftJoin(
      organisationMembers,
      and(
        eq(organisationMembers.organisationId, apiKeys.organisationId),
        eq(organisationMembers.userId, apiKeys.userId),
      ),
    )
    .where(
      and(
        eq(apiKeys.keyHash, sql.placeholder('keyHash')),
        isNull(apiKeys.revokedAt),
        eq(users.status, 'active'),
      ),
    )
    .limit(1)
    .prepare('mixgate_api_key_by_hash');

  async function load(keyHash: string): Promise<ApiKeyRecord | null> {
    const [row] = await byHash.execute({ keyHash });
    if (!row) return null;
    const { memberUserId, memberLimit, memberPeriod, ...key } = row;
    // A key made for an organisation its owner has since left spends nothing.
    if (key.organisationId && !memberUserId) return null;
    return {
      ...key,
      member:
        key.organisationId && memberPeriod
          ? { spendLimitMicros: memberLimit, spendLimitPeriod: memberPeriod }
          : null,
    };
  }

  /** Reads the key (one read at a time per key, shared) and caches it unless invalidated meanwhile. */
  function refresh(keyHash: string, time: number): Promise<Entry> {
    const shared = pending.get(keyHash);
    if (shared) return shared;
    const loading = load(keyHash)
      .then((record) => {
        const entry = { record, fetchedAt: time };
        const invalidated = invalidatedAt.get(keyHash);
        if (invalidated === undefined || invalidated < time) {
          invalidatedAt.delete(keyHash);
          entries.set(keyHash, entry);
          if (entries.size > 100_000) entries.delete(entries.keys().next().value as string);
        }
        return entry;
      })
      .finally(() => {
        if (pending.get(keyHash) === loading) pending.delete(keyHash);
      });
    pending.set(keyHash, loading);
    return loading;
  }

  function noteUse(record: ApiKeyRecord, time: number): void {
    const last = lastUsedWrites.get(record.id) ?? 0;
    if (time - last < LAST_USED_WRITE_INTERVAL_MS) return;
    lastUsedWrites.set(record.id, time);
    // Fire and forget: "last used" is informational and must not slow the request.
    db.update(apiKeys)
      .set({ lastUsedAt: new Date(time) })
      .where(eq(apiKeys.id, record.id))
      .catch(() => lastUsedWrites.delete(record.id));
  }

  return {
    async lookup(rawKey) {
      if (!rawKey.startsWith('mg-') || rawKey.length > 100) return null;
      const keyHash = sha256Hex(rawKey);
      const time = now();
      let entry = entries.get(keyHash);
      if (!entry || time - entry.fetchedAt >= ttlMs) {
        entry = await refresh(keyHash, time);
      } else if (time - entry.fetchedAt >= ttlMs * REFRESH_AHEAD) {
        // A failed background read changes nothing: the entry answers until its TTL, then a
        // request waits for a read of its own, which reports the error.
        refresh(keyHash, time).catch(() => {});
      }
      const record = entry.record;
      if (!record || (record.expiresAt && record.expiresAt.getTime() <= time)) return null;
      noteUse(record, time);
      return record;
    },
    invalidate(keyHash) {
      entries.delete(keyHash);
      // A read in flight may predate the revocation: later requests start their own.
      pending.delete(keyHash);
      invalidatedAt.set(keyHash, now());
      if (invalidatedAt.size > 10_000) invalidatedAt.delete(invalidatedAt.keys().next().value as string);
    },
  };
}
