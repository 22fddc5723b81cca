import { eq } from 'drizzle-orm';
import type { RequestMeta } from '../accounts/request-meta.js';
import { revokeOtherSessions } from '../accounts/sessions.js';
import type { AppContext } from '../app-context.js';
import { recordSecurityEvent } from '../audit/record-security-event.js';
import { users } from '../db/schema/index.js';
import type { DbTransaction } from '../db/transaction.js';
import { MixgateError } from '../lib/errors.js';
import { hasPermission } from './staff-roles.js';

export interface SuspensionInput {
  targetId: string;
  actor: { id: string; staffRole: string | null };
  reason: string;
  meta: RequestMeta;
}

/**
 * Suspends an active account: sign-in is refused, its sessions end now and its API keys stop
 * working (the key cache only accepts keys of active users). Returns the number of sessions ended.
 */
export async function suspendUser(
  ctx: AppContext,
  input: SuspensionInput,
): Promise<{ sessionsRevoked: number }> {
  if (input.targetId === input.actor.id) {
    throw new MixgateError('forbidden', 'You cannot suspend your own account');
  }
  const now = ctx.now();
  return ctx.db.transaction(async (tx) => {
    await lockTarget(tx, input, 'active');
    await tx.update(users).set({ status: 'suspended', updatedAt: now }).where(eq(users.id, input.targetId));
    const sessionsRevoked = await revokeOtherSessions(tx, input.targetId, now);
    await recordSecurityEvent(tx, {
      type: 'account_suspended',
      userId: input.targetId,
      actorId: input.actor.id,
      ...input.meta,
      occurredAt: now,
      details: { reason: input.reason, sessionsRevoked },
    });
    return { sessionsRevoked };
  });
}

/** Lifts a suspension; the user signs in again (no session is restored). */
export async function unsuspendUser(ctx: AppContext, input: SuspensionInput): Promise<void> {
  const now = ctx.now();
  await ctx.db.transaction(async (tx) => {
    await lockTarget(tx, input, 'suspended');
    await tx.update(users).set({ status: 'active', updatedAt: now }).where(eq(users.id, input.targetId));
    await recordSecurityEvent(tx, {
      type: 'account_unsuspended',
      userId: input.targetId,
      actorId: input.actor.id,
      ...input.meta,
      occurredAt: now,
      details: { reason: input.reason },
    });
  });
}

/** Locks the target's row so two staff acting at once cannot both pass the status check. */
async function lockTarget(tx: DbTransaction, input: SuspensionInput, expectedStatus: string): Promise<void> {
  const [target] = await tx
    .select({ status: users.status, staffRole: users.staffRole })
    .from(users)
    .where(eq(users.id, input.targetId))
    .for('update');
  if (!target) throw new MixgateError('not_found', 'No such user');
  // Otherwise support staff could lock admins out of the console.
  if (target.staffRole !== null && !hasPermission(input.actor.staffRole, 'staff.manage')) {
    throw new MixgateError('forbidden', 'Only an admin can suspend or reinstate a staff account');
  }
  if (target.status !== expectedStatus) {
    throw new MixgateError('conflict', `The account is ${target.status}`, 409, { status: target.status });
  }
}
