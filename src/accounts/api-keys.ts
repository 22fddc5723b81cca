import { randomUUID } from 'node:crypto';
import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import { recordSecurityEvent } from '../audit/record-security-event.js';
import type { Db } from '../db/database.js';
import { apiKeys } from '../db/schema/index.js';
import { periodStart, type SpendLimitPeriod } from '../ledger/spend-periods.js';
import { randomToken, sha256Hex } from '../lib/crypto.js';
import { MixgateError } from '../lib/errors.js';
import type { RequestMeta } from './request-meta.js';

export const API_KEY_SCOPES = ['inference', 'models:read'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

export interface CreateApiKeyInput {
  userId: string;
  name: string;
  scopes?: ApiKeyScope[];
  expiresAt?: Date | null;
  spendLimitMicros?: bigint | null;
  /** When the spend limit starts again; `total` (never) unless given. */
  spendLimitPeriod?: SpendLimitPeriod;
  organisationId?: string | null;
  /** Who created it (the user, or staff via the CLI); defaults to the user. */
  actorId?: string | null;
}

export interface CreatedApiKey {
  id: string;
  /** The full key: shown once, never stored. */
  key: string;
  prefix: string;
}

export async function createApiKey(
  db: Db,
  input: CreateApiKeyInput,
  meta: RequestMeta | null,
  now: Date,
): Promise<CreatedApiKey> {
  if (input.expiresAt && input.expiresAt.getTime() <= now.getTime()) {
    throw new MixgateError('invalid_request', 'expiresAt must be in the future');
  }
  const key = `mg-${randomToken(32)}`;
  const prefix = key.slice(0, 11);
  const id = randomUUID();
  await db.transaction(async (tx) => {
    await tx.insert(apiKeys).values({
      id,
      userId: input.userId,
      organisationId: input.organisationId ?? null,
      name: input.name,
      prefix,
      keyHash: sha256Hex(key),
      scopes: [...(input.scopes ?? API_KEY_SCOPES)],
      spendLimitMicros: input.spendLimitMicros ?? null,
      spendLimitPeriod: input.spendLimitPeriod ?? 'total',
      expiresAt: input.expiresAt ?? null,
      createdAt: now,
    });
    await recordSecurityEvent(tx, {
      type: 'api_key_created',
      userId: input.userId,
      actorId: input.actorId ?? input.userId,
      ip: meta?.ip,
      userAgent: meta?.userAgent,
      details: { keyId: id, keyPrefix: prefix, organisationId: input.organisationId ?? null },
      occurredAt: now,
    });
  });
  return { id, key, prefix };
}

/**
 * The user's keys, newest first. A key with a spend limit also carries what it spent in the
 * limit's current period (posted usage, counted as ledger_place_hold counts it), summed in the same
 * query through the (api_key_id, created_at) index.
 */
export async function listApiKeys(db: Db, userId: string, now: Date) {
  // Raw names: drizzle leaves columns unqualified in a one-table select, and "id" inside the
  // subquery would then be the transfer's.
  const periodStartOfKey = sql`CASE api_keys.spend_limit_period
    WHEN 'day' THEN ${periodStart('day', now)}::timestamptz
    WHEN 'week' THEN ${periodStart('week', now)}::timestamptz
    WHEN 'month' THEN ${periodStart('month', now)}::timestamptz
    ELSE ${periodStart('total', now)}::timestamptz END`;
  const rows = await db
    .select({
      id: apiKeys.id,
      name: apiKeys.name,
      prefix: apiKeys.prefix,
      organisationId: apiKeys.organisationId,
      scopes: apiKeys.scopes,
      spendLimitMicros: apiKeys.spendLimitMicros,
      spendLimitPeriod: apiKeys.spendLimitPeriod,
      spent: sql<string | null>`CASE WHEN api_keys.spend_limit_micros IS NOT NULL THEN
        (SELECT coalesce(sum(usage.amount), 0)::text FROM ledger_transfers usage
          WHERE usage.api_key_id = api_keys.id AND usage.kind = 'usage'
            AND usage.created_at >= ${periodStartOfKey}) END`,
      expiresAt: apiKeys.expiresAt,
      lastUsedAt: apiKeys.lastUsedAt,
      createdAt: apiKeys.createdAt,
      revokedAt: apiKeys.revokedAt,
    })
    .from(apiKeys)
    .where(eq(apiKeys.userId, userId))
    .orderBy(desc(apiKeys.createdAt));
  return rows.map(({ spent, ...row }) => ({
    ...row,
    /** Micros spent in the limit's current period; null for a key without a limit. */
    spentMicros: spent === null ? null : BigInt(spent),
  }));
}

/** Revokes a key of the user's; returns its hash so the caller can drop it from the cache. */
export async function revokeApiKey(
  db: Db,
  userId: string,
  keyId: string,
  meta: RequestMeta | null,
  now: Date,
): Promise<string> {
  return db.transaction(async (tx) => {
    const [revoked] = await tx
      .update(apiKeys)
      .set({ revokedAt: now })
      .where(and(eq(apiKeys.id, keyId), eq(apiKeys.userId, userId), isNull(apiKeys.revokedAt)))
      .returning({ keyHash: apiKeys.keyHash, prefix: apiKeys.prefix });
    if (!revoked) throw new MixgateError('not_found', 'No such active API key');
    await recordSecurityEvent(tx, {
      type: 'api_key_revoked',
      userId,
      actorId: userId,
      ip: meta?.ip,
      userAgent: meta?.userAgent,
      details: { keyId, keyPrefix: revoked.prefix },
      occurredAt: now,
    });
    return revoked.keyHash;
  });
}
