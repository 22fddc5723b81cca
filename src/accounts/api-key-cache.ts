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
 * The gateway's hot path must not query the database per request: keys are cached by hash for
 * `ttlMs` (1 s by default, which bounds how long a revocation made by another instance or by the
 * CLI takes to bite). Concurrent misses for one key share a single query; unknown keys are cached
 * too, so a flood of bad keys cannot hammer the database.
 */
export function createApiKeyCache(db: Db, options: { ttlMs?: number; now?: () => number } = {}): ApiKeyCache {
  const ttlMs = options.ttlMs ?? 1000;
  const now = options.now ?? Date.now;
  const entries = new Map<string, Entry>();
  const pending = new Map<string, Promise<ApiKeyRecord | null>>();
  const lastUsedWrites = new Map<string, number>();

  async function load(keyHash: string): Promise<ApiKeyRecord | null> {
    const [row] = await db
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
      .where(and(eq(apiKeys.keyHash, keyHash), isNull(apiKeys.revokedAt), eq(users.status, 'active')))
      .limit(1);
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
        let loading = pending.get(keyHash);
        if (!loading) {
          loading = load(keyHash).finally(() => pending.delete(keyHash));
          pending.set(keyHash, loading);
        }
        entry = { record: await loading, fetchedAt: time };
        entries.set(keyHash, entry);
        if (entries.size > 100_000) entries.delete(entries.keys().next().value as string);
      }
      const record = entry.record;
      if (!record || (record.expiresAt && record.expiresAt.getTime() <= time)) return null;
      noteUse(record, time);
      return record;
    },
    invalidate(keyHash) {
      entries.delete(keyHash);
    },
  };
}
