import { randomUUID } from 'node:crypto';
import { and, desc, eq, isNull } from 'drizzle-orm';
import { recordSecurityEvent } from '../audit/record-security-event.js';
import type { Db } from '../db/database.js';
import { apiKeys } from '../db/schema/index.js';
import type { SpendLimitPeriod } from '../ledger/spend-periods.js';
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

export async function listApiKeys(db: Db, userId: string) {
  return db
    .select({
      id: apiKeys.id,
      name: apiKeys.name,
      prefix: apiKeys.prefix,
      organisationId: apiKeys.organisationId,
      scopes: apiKeys.scopes,
      spendLimitMicros: apiKeys.spendLimitMicros,
      spendLimitPeriod: apiKeys.spendLimitPeriod,
      expiresAt: apiKeys.expiresAt,
      lastUsedAt: apiKeys.lastUsedAt,
      createdAt: apiKeys.createdAt,
      revokedAt: apiKeys.revokedAt,
    })
    .from(apiKeys)
    .where(eq(apiKeys.userId, userId))
    .orderBy(desc(apiKeys.createdAt));
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
