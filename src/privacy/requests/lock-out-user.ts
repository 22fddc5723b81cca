import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { AppContext } from '../../app-context.js';
import { apiKeys, gatewayJobs, sessions, users } from '../../db/schema/index.js';
import type { DbTransaction } from '../../db/transaction.js';
import { requestJobCancel } from '../../gateway/jobs/own-jobs.js';

/**
 * The first step of an erasure, taken as soon as it is verified: an active account's status
 * becomes `erasing`, so sign-in, sessions and API keys stop working at once (each checks the
 * status), and its sessions and keys are revoked. A suspended or closed account keeps its status
 * (it has no access either), so rejecting the erasure later cannot lift a suspension; erasure sets
 * `erased` at its end from any of them. Running it again
 * changes nothing. The caller drops the revoked keys from this instance's cache after commit.
 */
export async function lockOutUser(tx: DbTransaction, userId: string, now: Date): Promise<AccessEnded> {
  await tx
    .update(users)
    .set({ status: 'erasing', updatedAt: now })
    .where(and(eq(users.id, userId), eq(users.status, 'active')));
  return endAccess(tx, userId, now);
}

export interface AccessEnded {
  sessionsEnded: number;
  keyHashes: string[];
}

/**
 * Revokes every session and API key of the account, whatever its status: an erasure (above) and a
 * closure (src/accounts/termination/) both start here. The caller drops the keys from the cache.
 */
export async function endAccess(tx: DbTransaction, userId: string, now: Date): Promise<AccessEnded> {
  const endedSessions = await tx
    .update(sessions)
    .set({ revokedAt: now })
    .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt)))
    .returning({ id: sessions.id });
  const revoked = await tx
    .update(apiKeys)
    .set({ revokedAt: now })
    .where(and(eq(apiKeys.userId, userId), isNull(apiKeys.revokedAt)))
    .returning({ keyHash: apiKeys.keyHash });
  return { sessionsEnded: endedSessions.length, keyHashes: revoked.map((row) => row.keyHash) };
}

/** Drops revoked keys from this instance's cache; other instances see the status within their cache's TTL. */
export function forgetRevokedKeys(ctx: Pick<AppContext, 'apiKeyCache'>, keyHashes: string[]): void {
  for (const keyHash of keyHashes) ctx.apiKeyCache.invalidate(keyHash);
}

/**
 * Cancels the long generations still queued or running (nothing is charged for them) of a person,
 * or made for an organisation by any member: their inputs are about to be erased, or their payer
 * has stopped, and a job must not start without them.
 */
export async function cancelUnfinishedJobs(
  ctx: AppContext,
  ownerId: string,
  by: 'user' | 'organisation' = 'user',
): Promise<void> {
  const owner = by === 'user' ? gatewayJobs.userId : gatewayJobs.organisationId;
  const unfinished = await ctx.db
    .select()
    .from(gatewayJobs)
    .where(
      and(
        eq(owner, ownerId),
        inArray(gatewayJobs.status, ['queued', 'running']),
        isNull(gatewayJobs.cancelRequestedAt),
      ),
    );
  // One job that cannot be cancelled (it ended meanwhile) must not stop the others.
  for (const job of unfinished) await requestJobCancel(ctx, job).catch(() => {});
}
